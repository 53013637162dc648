import { ts } from '../../ts';
import { defineRule, SYNC_STALL_MEASURED } from '../../rule';
import { isLazyInitialisation, isStartUpFunction } from '../../facts/positions';
import { awaitPromisesFix } from '../../facts/awaitFix';
import { onlyProcessEndListener } from '../../facts/unawaited';
import { syncIoCall } from '../../facts/io';
import { syncIoScale } from '../../facts/syncIoScale';

/** Existence checks: a stat that costs microseconds on a local disk. */
const METADATA_CALLS = new Set(['existsSync', 'accessSync']);

export default defineRule({
  meta: {
    id: 'sync-io-in-async',
    category: 'sync-io',
    description: 'A blocking `*Sync` call of fs, child_process, zlib or crypto inside an async function.',
    why:
      'An async function runs on the event loop it shares with every other request, timer and socket. ' +
      'A `*Sync` call stops all of them until the disk, the child process or the CPU-heavy hash finishes: ' +
      'a 20 ms `readFileSync` under 50 concurrent requests adds up to a second of queueing. ' +
      'The function is already async, so the non-blocking form costs one `await`.',
    howToFix:
      'Await the promise form (`await fs.promises.readFile(p)`), or the callback form through `util.promisify` for ' +
      "child_process, zlib and crypto, which run on libuv's thread pool. The safe fix rewrites Node's own `fs` calls " +
      'whose result is only used as a value, through the import the file already has (`fs.promises.readFile`, an ' +
      'existing `fs/promises` import) or one it adds next to a named import (`import { readFile } from ' +
      "'fs/promises'`); file descriptors, `statSync(p, { throwIfNoEntry })`, default parameter values and " +
      'fs-extra/graceful-fs are left to you. The rewrite keeps arguments, results and errors but makes the call finish ' +
      'later, so it is only a suggestion where that shows: in a signal, `uncaughtException` or `unhandledRejection` ' +
      'listener, in a sequence of fs calls on one path (`existsSync(p)` then a `wx` write: another call can now slip ' +
      'in between), and before the first `await` of a function that a caller in the file does not wait for (a ' +
      'listener, a timer or `nextTick` callback, `forEach`, a constructor, a call without `await`); in an `exit` or ' +
      '`beforeExit` listener there is no fix (see docs/safe-fixes.md).',
    notReported: [
      'Blocking calls in a function that only listens for `process` `exit` or `beforeExit` (the event loop has nothing ' +
        'left to run, and an `exit` listener must block to get anything done)',
      'Start-up code: module top level, async functions named `main`, `bootstrap`, `init`, `setup`, `…Loader`',
      '`existsSync`/`accessSync` outside request handlers',
    ],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'calls',
      cpu: true,
      measured: SYNC_STALL_MEASURED,
      scaled: true,
      why:
        'one blocking call of a small file is a fixed, short stall; it grows when the call runs once per item of growing ' +
        'data (a loop over rows or a listing), walks a directory tree, or reads, writes or compresses a file the request ' +
        'decides the size of (an upload, the raw request body), and matters on a request or job path',
    },
    fix: 'safe',
    fixForm: '`await fs.promises.…`',
    scope: { skip: ['tests', 'scripts', 'build-config', 'tool-packages', 'build-tool-importers'] },
    messages: {
      blocking: {
        message: '{{call}} blocks the event loop inside async function {{fn}}: every other request waits for it.',
        note: 'Use {{alternative}}.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import fs from 'node:fs';

export async function loadTemplate(name: string) {
  const html = fs.readFileSync(\`templates/\${name}.html\`, 'utf8');
  return html.replace('{{year}}', String(new Date().getFullYear()));
}`,
          errors: [{ messageId: 'blocking', line: 4, column: 16 }],
          output: `import fs from 'node:fs';

export async function loadTemplate(name: string) {
  const html = await fs.promises.readFile(\`templates/\${name}.html\`, 'utf8');
  return html.replace('{{year}}', String(new Date().getFullYear()));
}`,
        },
        {
          code: `import { readFileSync } from 'node:fs';

export async function readConfig(name: string) {
  return JSON.parse(readFileSync(\`config/\${name}.json\`, 'utf8'));
}`,
          errors: [{ messageId: 'blocking', line: 4, column: 21 }],
          output: `import { readFile } from 'node:fs/promises';

export async function readConfig(name: string) {
  return JSON.parse(await readFile(\`config/\${name}.json\`, 'utf8'));
}`,
        },
        {
          code: `import { execSync } from 'child_process';

export async function currentCommit() {
  return execSync('git rev-parse HEAD').toString().trim();
}`,
          errors: [{ messageId: 'blocking', line: 4, column: 10 }],
        },
        {
          code: `import fs from 'node:fs';

let state = { version: 0 };

// Blocks every request that updates the state; but the 'exit' listener also calls it without
// waiting, and awaited there the last write would never happen (the process ends when 'exit'
// listeners return). No fix.
async function save() {
  fs.writeFileSync('state.json', JSON.stringify(state));
}

export async function update(next: { version: number }) {
  state = next;
  await save();
}

process.on('exit', () => {
  save();
});`,
          errors: [{ messageId: 'blocking', line: 9, column: 3 }],
        },
        {
          code: `import fs from 'node:fs';

// A check, then an act on the same path: awaiting the write lets a second claim slip in between
// (EEXIST). Offered as a suggestion only.
export async function claim(lock: string) {
  if (fs.existsSync(lock)) return false;
  fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
  return true;
}`,
          errors: [{ messageId: 'blocking', line: 7, column: 3 }],
        },
        {
          code: `const crypto = require('crypto');

async function hashPassword(password, salt) {
  return crypto.pbkdf2Sync(password, salt, 100000, 64, 'sha512');
}`,
          filename: 'src/auth.js',
          errors: [{ messageId: 'blocking', line: 4, column: 10 }],
        },
      ],
      valid: [
        `import fs from 'node:fs';

// Module top level: runs once at start-up.
const config = JSON.parse(fs.readFileSync('config.json', 'utf8'));

export async function handler() {
  return config;
}`,
        `import fs from 'node:fs';

export function loadSync(path: string) {
  return fs.readFileSync(path, 'utf8');
}`,
        {
          code: `import fs from 'node:fs';

async function main() {
  fs.writeFileSync('out.json', JSON.stringify({ ok: true }));
}
main();`,
          filename: 'scripts/build-report.ts',
        },
        `// A user's own function named like a sync call is not fs.
async function run(readFileSync: (p: string) => string) {
  return readFileSync('a');
}`,
        `import fs from 'node:fs';

export async function load(path: string) {
  return fs.promises.readFile(path, 'utf8');
}`,
        `import fs from 'node:fs';

// When 'exit' listeners run, nothing else is left to wait: blocking is how the state gets written.
process.on('exit', async () => {
  fs.writeFileSync('state.json', JSON.stringify({ clean: true }));
});`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const io = syncIoCall(call, file);
        if (!io) return;
        // An existence check costs microseconds: worth reporting on every request (sync-io-in-handler), not in any async function.
        if (METADATA_CALLS.has(io.name)) return;
        const fn = file.asyncFunction(call);
        if (!fn || isStartUpFunction(fn)) return;
        // `process.on('exit', async () => { writeFileSync(…) })`: the loop has nothing left to run, and blocking is the only way the write happens.
        if (onlyProcessEndListener(fn, file)) return;
        // `if (!initialized) { init(readFileSync(wasm)); initialized = true; }`: the first call only.
        if (isLazyInitialisation(call, fn)) return;
        // Request handlers have their own rule (sync-io-in-handler) with a stronger message.
        if (file.requestHandler(call)) return;
        const fix = awaitPromisesFix(io, file);
        const scale = syncIoScale(io);
        context.report({
          node: call,
          messageId: 'blocking',
          data: { call: io.display, fn: functionName(fn), alternative: io.alternative },
          fixes: fix ? [fix] : [],
          ...(scale ? { evidence: { scale } } : {}),
        });
      },
    };
  },
});

function functionName(fn: ts.Node): string {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.getText();
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}
