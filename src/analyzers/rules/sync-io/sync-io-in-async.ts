import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { awaitPromisesEdit, syncIoCall } from '../../facts/io';

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
      'Await the promise form (`await fs.promises.readFile(p)`), or the callback form through `util.promisify` ' +
      'for child_process, zlib and crypto, which run on libuv\'s thread pool. Blocking calls at start-up, in CLI ' +
      'scripts, build tools and tests are fine and are not reported.',
    impact: 'medium',
    effort: 'low',
    fix: 'safe',
    messages: {
      blocking: '{{call}} blocks the event loop inside async function {{fn}}: every other request waits for it. Use {{alternative}}.',
    },
    examples: {
      invalid: [
        {
          code: `import fs from 'node:fs';

export async function loadTemplate(name: string) {
  const html = fs.readFileSync(\`templates/\${name}.html\`, 'utf8');
  return html.replace('{{year}}', String(new Date().getFullYear()));
}`,
          output: `import fs from 'node:fs';

export async function loadTemplate(name: string) {
  const html = await fs.promises.readFile(\`templates/\${name}.html\`, 'utf8');
  return html.replace('{{year}}', String(new Date().getFullYear()));
}`,
        },
        {
          code: `import { execSync } from 'child_process';

export async function currentCommit() {
  return execSync('git rev-parse HEAD').toString().trim();
}`,
        },
        {
          code: `const crypto = require('crypto');

async function hashPassword(password, salt) {
  return crypto.pbkdf2Sync(password, salt, 100000, 64, 'sha512');
}`,
          filename: 'src/auth.js',
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
      ],
    },
  },
  check(context) {
    const { file } = context;
    if (file.isScriptOrTooling) return {};
    return {
      CallExpression(call) {
        const io = syncIoCall(call, file);
        if (!io) return;
        const fn = file.asyncFunction(call);
        if (!fn) return;
        // Request handlers have their own rule (sync-io-in-handler) with a stronger message.
        if (file.requestHandler(call)) return;
        const edit = awaitPromisesEdit(io, file);
        context.report({
          node: call,
          messageId: 'blocking',
          data: { call: io.display, fn: functionName(fn), alternative: io.alternative },
          fixes: edit ? [{ title: `Use await ${edit.newText.replace(/^\(?await /, '').replace(/\(.*$/s, '')}(…)`, kind: 'safe', edits: [edit] }] : [],
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
