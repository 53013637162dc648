/**
 * Issue 10: no fix marked `safe` changes behaviour. Each context a safe fix could meet is run
 * before and after the fix. Where the fix is no longer offered as safe there, the test runs the
 * old rewrite (applied by hand, or through the suggestion that now carries it) to show what it
 * would have changed, and checks what the rule offers instead. docs/safe-fixes.md lists every
 * fix kind × context with the test that runs it.
 *
 * Process lifecycles (exit, beforeExit, signals, uncaught errors) run in real `node` processes;
 * the rest runs in-process (test/helpers/behaviour.ts). Nothing waits on a clock: a child is
 * signalled after it prints `ready`, and races are made certain, not likely (see `gatedClaims`).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFixes } from '../../src/analyzers/fixes';
import type { Finding, Fix } from '../../src/analyzers/finding';
import { applySafeFixes, findings } from '../helpers/analyze';
import { expectSameBehaviour, loadModule, run, toCommonJs } from '../helpers/behaviour';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-safe-fixes-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let fresh = 0;
/** A path no earlier run has touched. */
function freshPath(name: string): string {
  return path.join(root, `${++fresh}-${name}`);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The one finding of `rule` whose range starts with `text`. */
function findingAt(code: string, rule: string, text: string): Finding {
  const offset = code.indexOf(text);
  const found = findings(code, { rule }).filter((finding) => finding.start === offset);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Asserts the finding offers exactly one fix, a suggestion, and returns it. */
function suggestionOf(finding: Finding): Fix {
  expect(finding.fixes).toHaveLength(1);
  expect(finding.fixes[0].safe).toBe(false);
  return finding.fixes[0];
}

/** Every fix of `rule` on `code`, safe or not, applied: the rewrite as it was when these were all safe. */
function applyAll(code: string, rule: string): string {
  return applyFixes(
    code,
    findings(code, { rule }).flatMap((finding) => finding.fixes),
  ).text;
}

interface ProgramRun {
  stdout: string;
  code: number | null;
  /** The output file's text, or `(missing)`. */
  output: string;
}

/**
 * Runs `main` (JavaScript) with `node` in a new folder next to `subject.js` (the TypeScript
 * `subject` compiled) and any `extra` files; `main` gets the output file's path as its first
 * argument. With `signal`, sends it once the program has printed `ready` — never on a timer.
 */
async function runProgram(
  subject: string,
  main: string,
  options: { signal?: NodeJS.Signals; extra?: Record<string, string>; args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<ProgramRun> {
  const dir = freshPath('program');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'subject.js'), toCommonJs(subject));
  fs.writeFileSync(path.join(dir, 'main.js'), main);
  for (const [name, text] of Object.entries(options.extra ?? {})) fs.writeFileSync(path.join(dir, name), text);
  const output = path.join(dir, 'output.txt');
  const result = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, ['main.js', output, ...(options.args ?? [])], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.signal && !signalled && /^ready$/m.test(stdout)) {
        signalled = true;
        child.kill(options.signal);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
  if (result.stderr) throw new Error(`the program wrote to stderr:\n${result.stderr}`);
  return { stdout: result.stdout, code: result.code, output: fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '(missing)' };
}

// ---------------------------------------------------------------------------------------------
// sync → await (sync-io-in-async, sync-io-in-handler: awaitPromisesFix)

describe('sync → await in process lifecycle listeners (real node processes)', () => {
  it("'exit': the awaited write never happens; blocking is right there, so the rule is quiet (and offers no fix)", async () => {
    const before = `import fs from 'node:fs';
export function install(file: string) {
  process.on('exit', async () => {
    fs.writeFileSync(file, 'state saved');
  });
}`;
    expect(findings(before, { rule: 'sync-io-in-async' })).toEqual([]);
    const oldRewrite = before.replace("fs.writeFileSync(file, 'state saved')", "await fs.promises.writeFile(file, 'state saved')");
    const main = `require('./subject.js').install(process.argv[2]);\n`;
    expect((await runProgram(before, main)).output).toBe('state saved');
    expect((await runProgram(oldRewrite, main)).output).not.toBe('state saved');
  });

  it("'exit' through a helper the listener calls without waiting: no fix either", async () => {
    const before = `import fs from 'node:fs';
async function save(file: string) {
  fs.writeFileSync(file, 'state saved');
}
export function install(file: string) {
  process.on('exit', () => {
    save(file);
  });
}`;
    expect(findingAt(before, 'sync-io-in-async', 'fs.writeFileSync').fixes).toEqual([]);
    const oldRewrite = before.replace("fs.writeFileSync(file, 'state saved')", "await fs.promises.writeFile(file, 'state saved')");
    const main = `require('./subject.js').install(process.argv[2]);\n`;
    expect((await runProgram(before, main)).output).toBe('state saved');
    expect((await runProgram(oldRewrite, main)).output).not.toBe('state saved');
  });

  it("'beforeExit': awaited work makes the event fire again, and the listener with it; the loop is idle, so the rule is quiet", async () => {
    const before = `import fs from 'node:fs';
export function install(file: string) {
  process.on('beforeExit', async () => {
    fs.appendFileSync(file, 'flushed\\n');
  });
}`;
    expect(findings(before, { rule: 'sync-io-in-async' })).toEqual([]);
    const oldRewrite = before.replace("fs.appendFileSync(file, 'flushed\\n')", "await fs.promises.appendFile(file, 'flushed\\n')");
    // The test's own listener, first in line, ends a program whose 'beforeExit' keeps firing.
    const main = `let fired = 0;
process.on('beforeExit', () => {
  if (++fired === 3) {
    console.log('beforeExit fired 3 times');
    process.exit(0);
  }
});
require('./subject.js').install(process.argv[2]);
`;
    const original = await runProgram(before, main);
    expect(original).toEqual({ stdout: '', code: 0, output: 'flushed\n' });
    const rewritten = await runProgram(oldRewrite, main);
    expect(rewritten).toEqual({ stdout: 'beforeExit fired 3 times\n', code: 0, output: 'flushed\nflushed\n' });
  });

  it("'SIGTERM': another listener ends the process before the awaited write; a suggestion that says so", async () => {
    const before = `import fs from 'node:fs';
export function install(file: string) {
  process.on('SIGTERM', async () => {
    fs.writeFileSync(file, 'state saved');
  });
}`;
    const fix = suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.writeFileSync'));
    expect(fix.title).toBe(
      "Use await fs.promises.writeFile(…) (in a 'SIGTERM' listener: process.exit, here or in another listener, can end the process before it finishes)",
    );
    const main = `require('./subject.js').install(process.argv[2]);
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1 << 30);
console.log('ready');
`;
    expect((await runProgram(before, main, { signal: 'SIGTERM' })).output).toBe('state saved');
    expect((await runProgram(applyFixes(before, [fix]).text, main, { signal: 'SIGTERM' })).output).not.toBe('state saved');
  });

  it.each([
    ['uncaughtException', 'error: Error', 'error.message', `setImmediate(() => { throw new Error('boom'); });`, 'boom'],
    ['unhandledRejection', 'reason: unknown', 'String(reason)', `Promise.reject(new Error('boom'));`, 'Error: boom'],
  ])(
    "'%s': the process exits before the awaited crash report is written; a suggestion",
    async (event, parameter, text, crash, expected) => {
      const before = `import fs from 'node:fs';
export function install(file: string) {
  process.on('${event}', async (${parameter}) => {
    fs.writeFileSync(file, ${text});
  });
}`;
      const fix = suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.writeFileSync'));
      expect(fix.title).toContain(`in a '${event}' listener`);
      const main = `require('./subject.js').install(process.argv[2]);
process.on('${event}', () => process.exit(1));
${crash}
`;
      const original = await runProgram(before, main);
      expect([original.code, original.output]).toEqual([1, expected]);
      const rewritten = await runProgram(applyFixes(before, [fix]).text, main);
      expect(rewritten.code).toBe(1);
      expect(rewritten.output).not.toBe(expected);
    },
  );
});

describe('sync → await where nobody waits for the async function', () => {
  it.each([['process.nextTick'], ['queueMicrotask'], ['setImmediate']])(
    'a %s callback: the next callback no longer finds the write done; a suggestion',
    async (scheduler) => {
      const before = `import fs from 'node:fs';
export function run(file: string) {
  return new Promise((resolve) => {
    ${scheduler}(async () => {
      fs.writeFileSync(file, 'written');
    });
    ${scheduler}(() => resolve(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(no file)'));
  });
}`;
      const fix = suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.writeFileSync'));
      expect(fix.title).toContain(`${scheduler} does not wait for its callback`);
      expect(await run(before, 'run', [freshPath('tick.txt')])).toEqual({ value: 'written', log: [] });
      expect(await run(applyFixes(before, [fix]).text, 'run', [freshPath('tick.txt')])).not.toEqual({ value: 'written', log: [] });
    },
  );

  it('an async method a constructor calls without awaiting: the new object is not loaded yet; a suggestion', async () => {
    const settings = freshPath('settings.json');
    fs.writeFileSync(settings, '{"theme":"dark"}');
    const before = `import fs from 'node:fs';
class Settings {
  values: Record<string, string> = {};
  constructor(file: string) {
    this.load(file);
  }
  async load(file: string) {
    this.values = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
}
export function run(file: string) {
  return new Settings(file).values;
}`;
    const fix = suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.readFileSync'));
    expect(fix.title).toContain('the constructor (line 5) calls this.load(…) without awaiting it');
    expect(await run(before, 'run', [settings])).toEqual({ value: { theme: 'dark' }, log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [settings])).toEqual({ value: {}, log: [] });
  });

  it('a call without await in the same file (`save(); readFileSync(p)`): the caller reads before the write; a suggestion', async () => {
    const before = `import fs from 'node:fs';
export async function save(file: string, text: string) {
  fs.writeFileSync(file, text);
}
export function run(file: string) {
  save(file, 'saved');
  return fs.readFileSync(file, 'utf8');
}`;
    const fix = suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.writeFileSync'));
    expect(fix.title).toContain('line 6 calls save(…) without awaiting it');
    expect(await run(before, 'run', [freshPath('saved.txt')])).toEqual({ value: 'saved', log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [freshPath('saved.txt')])).not.toEqual({ value: 'saved', log: [] });
  });

  it.each([
    [
      "a 'data' listener",
      `const stream = new EventEmitter();
  stream.on('data', async (chunk: string) => {
    fs.appendFileSync(file, chunk);
  });
  stream.emit('data', 'a');
  stream.emit('data', 'b');`,
      "the 'data' event does not wait for its listener",
    ],
    [
      'a forEach callback',
      `['a', 'b'].forEach(async (chunk) => {
    fs.appendFileSync(file, chunk);
  });`,
      'forEach does not wait for its callback',
    ],
  ])('%s: the caller goes on before the writes; a suggestion', async (_name, body, reason) => {
    const before = `import fs from 'node:fs';
import { EventEmitter } from 'node:events';
export function run(file: string) {
  ${body}
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(no file)';
}`;
    const fix = suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.appendFileSync'));
    expect(fix.title).toContain(reason);
    expect(await run(before, 'run', [freshPath('chunks.txt')])).toEqual({ value: 'ab', log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [freshPath('chunks.txt')])).not.toEqual({ value: 'ab', log: [] });
  });

  it('a caller that awaits keeps the fix safe, and behaviour with it', async () => {
    const before = `import fs from 'node:fs';
export async function save(file: string, text: string) {
  fs.writeFileSync(file, text);
}
export async function run(file: string) {
  await save(file, 'saved');
  return fs.existsSync(file) && fs.statSync(file).size;
}`;
    const after = applySafeFixes(before, 'sync-io-in-async');
    expect(after).toContain('await fs.promises.writeFile(file, text);');
    await expectSameBehaviour(before, after, 'run', [[freshPath('awaited.txt')]]);
  });

  it('after an await that always runs, a caller that does not wait could not rely on the call anyway: still safe', async () => {
    const template = freshPath('template.txt');
    fs.writeFileSync(template, 'hello');
    const before = `import fs from 'node:fs';
export async function publish(template: string, file: string, done: () => void) {
  const text = await fs.promises.readFile(template, 'utf8');
  fs.writeFileSync(file, text.toUpperCase());
  done();
}
export function run(template: string, file: string) {
  return new Promise((resolve) => {
    let early = '';
    publish(template, file, () => resolve([early, fs.readFileSync(file, 'utf8')]));
    early = fs.existsSync(file) ? 'written' : 'not yet';
  });
}`;
    const finding = findingAt(before, 'sync-io-in-async', 'fs.writeFileSync');
    expect(finding.fixes.map((fix) => fix.safe)).toEqual([true]);
    const after = applySafeFixes(before, 'sync-io-in-async');
    const outcome = await run(after, 'run', [template, freshPath('published.txt')]);
    expect(outcome).toEqual({ value: ['not yet', 'HELLO'], log: [] });
    expect(await run(before, 'run', [template, freshPath('published.txt')])).toEqual(outcome);
  });
});

/**
 * Two concurrent claims of one path, in a node process whose only thread-pool thread is held
 * at a FIFO "gate" while both claims start: everything they hand to the pool waits behind it, so
 * both checks run before either act — certainly, not probably — once the act is asynchronous.
 * Prints the two results (a value, or the error code).
 */
async function gatedClaims(subject: string, setup: Record<string, string>): Promise<{ results: unknown[]; files: Record<string, string> }> {
  const dir = freshPath('claims');
  fs.mkdirSync(dir);
  const gate = path.join(dir, 'gate');
  execFileSync('mkfifo', [gate]);
  for (const [name, text] of Object.entries(setup)) fs.writeFileSync(path.join(dir, name), text);
  const main = `const fs = require('node:fs');
const { claim } = require('./subject.js');
const [gate, dir] = process.argv.slice(3);
(async () => {
  const held = fs.promises.open(gate, 'r');
  const claims = Promise.allSettled([claim(dir), claim(dir)]);
  fs.closeSync(fs.openSync(gate, 'w'));
  await (await held).close();
  console.log(JSON.stringify((await claims).map((r) => (r.status === 'fulfilled' ? r.value : r.reason.code))));
})();
`;
  const outcome = await runProgram(subject, main, { args: [gate, dir], env: { UV_THREADPOOL_SIZE: '1' } });
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort())
    if (name !== 'gate')
      files[name] = fs.statSync(path.join(dir, name)).isDirectory() ? '(dir)' : fs.readFileSync(path.join(dir, name), 'utf8');
  return { results: JSON.parse(outcome.stdout), files };
}

describe.skipIf(process.platform === 'win32')(
  'sync → await in check-then-act on one path (two concurrent calls, real node processes)',
  () => {
    it.each([
      [
        'existsSync, then a wx write (only the write is converted)',
        `if (fs.existsSync(path.join(dir, 'lock'))) return false;
  fs.writeFileSync(path.join(dir, 'lock'), 'mine', { flag: 'wx' });
  return true;`,
        {},
        { results: [true, false], files: { lock: 'mine' } },
        { results: [true, 'EEXIST'], files: { lock: 'mine' } },
      ],
      [
        'existsSync, then mkdirSync',
        `if (fs.existsSync(path.join(dir, 'cache'))) return false;
  fs.mkdirSync(path.join(dir, 'cache'));
  return true;`,
        {},
        { results: [true, false], files: { cache: '(dir)' } },
        { results: [true, 'EEXIST'], files: { cache: '(dir)' } },
      ],
      [
        'statSync, then unlinkSync (both converted)',
        `try {
    fs.statSync(path.join(dir, 'job'));
  } catch {
    return false;
  }
  fs.unlinkSync(path.join(dir, 'job'));
  return true;`,
        { job: 'pending' },
        { results: [true, false], files: {} },
        { results: [true, 'ENOENT'], files: {} },
      ],
      [
        'accessSync, then renameSync',
        `try {
    fs.accessSync(path.join(dir, 'inbox'));
  } catch {
    return false;
  }
  fs.renameSync(path.join(dir, 'inbox'), path.join(dir, 'done'));
  return true;`,
        { inbox: 'mail' },
        { results: [true, false], files: { done: 'mail' } },
        { results: [true, 'ENOENT'], files: { done: 'mail' } },
      ],
      [
        'existsSync, then an exclusive copyFileSync',
        `if (fs.existsSync(path.join(dir, 'copy'))) return false;
  fs.copyFileSync(path.join(dir, 'original'), path.join(dir, 'copy'), fs.constants.COPYFILE_EXCL);
  return true;`,
        { original: 'data' },
        { results: [true, false], files: { copy: 'data', original: 'data' } },
        { results: [true, 'EEXIST'], files: { copy: 'data', original: 'data' } },
      ],
      [
        'readFileSync, then writeFileSync of the same counter (an update is lost)',
        `const count = Number(fs.readFileSync(path.join(dir, 'counter'), 'utf8')) + 1;
  fs.writeFileSync(path.join(dir, 'counter'), String(count));
  return count;`,
        { counter: '0' },
        { results: [1, 2], files: { counter: '2' } },
        { results: [1, 1], files: { counter: '1' } },
      ],
    ])('%s: both calls are only suggestions', async (_name, body, setup, original, rewritten) => {
      const before = `import fs from 'node:fs';
import path from 'node:path';
export async function claim(dir: string) {
  ${body}
}`;
      const fixes = findings(before, { rule: 'sync-io-in-async' }).flatMap((finding) => finding.fixes);
      expect(fixes.length).toBeGreaterThan(0);
      for (const fix of fixes) {
        expect(fix.safe).toBe(false);
        expect(fix.title).toMatch(/use the same path: another call can now run between them\)$/);
      }
      expect(await gatedClaims(before, setup)).toEqual(original);
      expect(await gatedClaims(applyAll(before, 'sync-io-in-async'), setup)).toEqual(rewritten);
    });

    it('a converted read between the check and the act (another path) opens the same window: a suggestion too', async () => {
      const template = freshPath('page.html');
      fs.writeFileSync(template, '<h1>hi</h1>');
      const before = `import fs from 'node:fs';
export async function publish(template: string, target: string) {
  if (fs.existsSync(target)) return 'exists';
  const body = fs.readFileSync(template, 'utf8');
  fs.writeFileSync(target, body, { flag: 'wx' });
  return 'published';
}
export async function run(template: string, target: string) {
  const results = await Promise.allSettled([publish(template, target), publish(template, target)]);
  return results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as NodeJS.ErrnoException).code)).sort();
}`;
      const read = suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.readFileSync'));
      expect(read.title).toContain('fs.existsSync and fs.writeFileSync use the same path');
      suggestionOf(findingAt(before, 'sync-io-in-async', 'fs.writeFileSync'));
      expect(await run(before, 'run', [template, freshPath('out.html')])).toEqual({ value: ['exists', 'published'], log: [] });
      expect(await run(applyAll(before, 'sync-io-in-async'), 'run', [template, freshPath('out.html')])).toEqual({
        value: ['EEXIST', 'published'],
        log: [],
      });
    });

    it('in a request handler too: the handler rule gives the same suggestion', () => {
      const code = `import fs from 'node:fs';
app.post('/claim/:id', async (req, res) => {
  const lock = 'locks/' + req.params.id;
  if (fs.existsSync(lock)) return res.sendStatus(409);
  fs.writeFileSync(lock, 'taken', { flag: 'wx' });
  res.sendStatus(201);
});`;
      const fix = suggestionOf(findingAt(code, 'sync-io-in-handler', 'fs.writeFileSync'));
      expect(fix.title).toContain('fs.existsSync and fs.writeFileSync use the same path');
    });

    it('calls on different paths stay safe and keep behaviour', async () => {
      const source = freshPath('source.txt');
      fs.writeFileSync(source, 'content');
      const before = `import fs from 'node:fs';
import path from 'node:path';
export async function run(source: string, dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const text = fs.readFileSync(source, 'utf8');
  fs.writeFileSync(path.join(dir, 'copy.txt'), text);
  return fs.statSync(path.join(source)).size;
}`;
      const after = applySafeFixes(before, 'sync-io-in-async');
      expect(after).not.toMatch(/Sync\(/);
      await expectSameBehaviour(before, after, 'run', [[source, freshPath('copies')]]);
    });
  },
);

// ---------------------------------------------------------------------------------------------
// Hoisting (invariant-in-loop, construct-per-call), the Set (lookup-in-loop), the accumulator (spread-accumulator)

const REPORT = `
function price(cents: number) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

export function summary(orders: Array<{ id: string; cents: number }>, activeIds: string[]) {
  const prices = orders.map((order) => price(order.cents));
  const amounts = orders.map((order) => new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2 }).format(order.cents / 100));
  const active = orders.filter((order) => activeIds.includes(order.id)).length;
  const ids = orders.reduce((acc, order) => [...acc, order.id], [] as string[]);
  return { prices, amounts, active, ids };
}`;

const PURE_FIX_RULES = ['construct-per-call', 'invariant-in-loop', 'lookup-in-loop', 'spread-accumulator'];

/** `code` after the safe fixes of the four rules whose fixes move pure work, each checked to change something. */
function withPureFixes(code: string): string {
  let text = code;
  for (const rule of PURE_FIX_RULES) {
    const next = applySafeFixes(text, rule);
    expect(next, rule).not.toBe(text);
    text = next;
  }
  return text;
}

const ORDERS = [
  { id: 'a', cents: 100 },
  { id: 'b', cents: 250 },
  { id: 'a', cents: 0 },
];

describe('hoisting, Set and accumulator fixes in the timing contexts (they move no I/O and add no await)', () => {
  it('inside an exit listener (real node process): the same report is written', async () => {
    const before = `import fs from 'node:fs';
${REPORT}
export function install(file: string, orders: Array<{ id: string; cents: number }>, activeIds: string[]) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify(summary(orders, activeIds)));
  });
}`;
    const after = withPureFixes(before);
    const main = `require('./subject.js').install(process.argv[2], ${JSON.stringify(ORDERS)}, ['a']);\n`;
    const original = await runProgram(before, main);
    expect(JSON.parse(original.output).ids).toEqual(['a', 'b', 'a']);
    expect(await runProgram(after, main)).toEqual(original);
  });

  it('inside a process.nextTick callback and a constructor: same results', async () => {
    const before = `${REPORT}
class Report {
  result: unknown;
  constructor(orders: Array<{ id: string; cents: number }>, activeIds: string[]) {
    this.result = summary(orders, activeIds);
  }
}
export function run(orders: Array<{ id: string; cents: number }>, activeIds: string[]) {
  return new Promise((resolve) => process.nextTick(() => resolve([new Report(orders, activeIds).result, summary(orders, activeIds)])));
}`;
    await expectSameBehaviour(before, withPureFixes(before), 'run', [
      [ORDERS, ['a']],
      [[], []],
      [ORDERS, []],
    ]);
  });
});

describe('hoisting a construction: what it reads and when it runs', () => {
  it('invariant-in-loop: a date formatter in a loop that sets process.env.TZ is only a suggestion (one formatter keeps one zone)', async () => {
    const before = `export function run(at: number, zones: string[]) {
  const out: string[] = [];
  for (const zone of zones) {
    process.env.TZ = zone;
    out.push(new Intl.DateTimeFormat('en-US', { timeStyle: 'short' }).format(at));
  }
  return out;
}`;
    const fix = suggestionOf(findingAt(before, 'invariant-in-loop', 'new Intl.DateTimeFormat'));
    expect(fix.title).toContain('the loop sets process.env.TZ');
    const saved = process.env.TZ;
    try {
      const args = [Date.UTC(2024, 0, 1, 12), ['UTC', 'Asia/Tokyo']];
      process.env.TZ = 'UTC';
      expect(await run(before, 'run', args)).toEqual({ value: ['12:00 PM', '9:00 PM'], log: [] });
      process.env.TZ = 'UTC';
      expect(await run(applyFixes(before, [fix]).text, 'run', args)).toEqual({ value: ['12:00 PM', '12:00 PM'], log: [] });
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('invariant-in-loop: the same date formatter in a loop that leaves the zone alone stays safe', async () => {
    const before = `export function run(times: number[]) {
  const out: string[] = [];
  for (const at of times) out.push(new Intl.DateTimeFormat('en-US', { timeStyle: 'short', timeZone: 'UTC' }).format(at) + new Intl.DateTimeFormat('en-US', { dateStyle: 'short' }).format(at));
  return out;
}`;
    const after = applySafeFixes(before, 'invariant-in-loop');
    expect(after.match(/new Intl\.DateTimeFormat/g)).toHaveLength(2);
    expect(after.indexOf('new Intl.DateTimeFormat')).toBeLessThan(after.indexOf('for (const at'));
    await expectSameBehaviour(before, after, 'run', [[[0, Date.UTC(2024, 5, 30, 23, 59)]], [[]]]);
  });

  it('construct-per-call: a date formatter without a timeZone would keep the zone of module load; a suggestion', async () => {
    const before = `function time(at: number) {
  return new Intl.DateTimeFormat('en-US', { timeStyle: 'short' }).format(at);
}
export function run(orders: Array<{ at: number }>, zone: string) {
  process.env.TZ = zone;
  return orders.map((order) => time(order.at));
}`;
    const fix = suggestionOf(findingAt(before, 'construct-per-call', 'new Intl.DateTimeFormat'));
    expect(fix.title).toContain('keeps the time zone the process had at load time');
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const args = [[{ at: Date.UTC(2024, 0, 1, 12) }], 'Asia/Tokyo'];
      expect(await run(before, 'run', args)).toEqual({ value: ['9:00 PM'], log: [] });
      process.env.TZ = 'UTC';
      expect(await run(applyFixes(before, [fix]).text, 'run', args)).toEqual({ value: ['12:00 PM'], log: [] });
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('construct-per-call: a polyfill required at the top still runs first (real node process)', async () => {
    const before = `require('./intl-polyfill.js');

function price(cents: number) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}
export function prices(orders: Array<{ cents: number }>) {
  return orders.map((order) => price(order.cents));
}`;
    const polyfill = `const Native = Intl.NumberFormat;
Intl.NumberFormat = function NumberFormat(...args) {
  const native = new Native(...args);
  return { format: (n) => native.format(n) + ' (polyfilled)' };
};
`;
    const main = `require('node:fs').writeFileSync(process.argv[2], JSON.stringify(require('./subject.js').prices([{ cents: 100 }, { cents: 250 }])));\n`;
    const extra = { 'intl-polyfill.js': polyfill };
    const after = applySafeFixes(before, 'construct-per-call');
    expect(after.indexOf('const numberFormat')).toBeGreaterThan(after.indexOf("require('./intl-polyfill.js')"));
    const original = await runProgram(before, main, { extra });
    expect(JSON.parse(original.output)).toEqual(['$1.00 (polyfilled)', '$2.50 (polyfilled)']);
    expect(await runProgram(after, main, { extra })).toEqual(original);
    // Where the declaration used to go: first in the file, before the polyfill.
    const oldRewrite = `const numberFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });\n${before.replace("new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })", 'numberFormat')}`;
    expect(JSON.parse((await runProgram(oldRewrite, main, { extra })).output)).toEqual(['$1.00', '$2.50']);
  });

  it('a getter read per pass (invariant-in-loop) is only a suggestion: hoisting reads it once', async () => {
    const before = `class Prices {
  get locale() {
    log.push('locale read');
    return 'en-US';
  }
  format(amounts: number[]) {
    return amounts.map((amount) => new Intl.NumberFormat(this.locale).format(amount));
  }
}
export function run(amounts: number[]) {
  return new Prices().format(amounts);
}`;
    const fix = suggestionOf(findingAt(before, 'invariant-in-loop', 'new Intl.NumberFormat'));
    expect(fix.title).toContain('its arguments are then read once');
    expect((await run(before, 'run', [[1, 2, 3]])).log).toHaveLength(3);
    expect((await run(applyFixes(before, [fix]).text, 'run', [[1, 2, 3]])).log).toHaveLength(1);
  });

  it('invariant-in-loop: options a function called in the loop changes are only a suggestion (one formatter keeps the old options)', async () => {
    const before = `const OPTIONS = { style: 'percent' };
function plain() {
  OPTIONS.style = 'decimal';
}
export function run(ratios: number[]) {
  return ratios.map((ratio) => {
    if (ratio > 1) plain();
    return new Intl.NumberFormat('en-US', OPTIONS as Intl.NumberFormatOptions).format(ratio);
  });
}`;
    const fix = suggestionOf(findingAt(before, 'invariant-in-loop', 'new Intl.NumberFormat'));
    expect(await run(before, 'run', [[0.5, 2, 0.25]])).toEqual({ value: ['50%', '2', '0.25'], log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [[0.5, 2, 0.25]])).toEqual({ value: ['50%', '200%', '25%'], log: [] });
  });

  it('invariant-in-loop: a locale list changed inside the loop is not reported (hoisting would freeze it)', async () => {
    const before = `export function run(amounts: number[], locales: string[]) {
  return amounts.map((amount) => {
    locales[0] = amount > 1 ? 'de-DE' : 'en-US';
    return new Intl.NumberFormat(locales).format(amount * 1000);
  });
}`;
    expect(findings(before, { rule: 'invariant-in-loop' })).toEqual([]);
    const hoisted = before
      .replace('return amounts.map', 'const numberFormat = new Intl.NumberFormat(locales);\n  return amounts.map')
      .replace('new Intl.NumberFormat(locales).format', 'numberFormat.format');
    expect(await run(before, 'run', [[1, 2], ['en-US']])).toEqual({ value: ['1,000', '2.000'], log: [] });
    expect(await run(hoisted, 'run', [[1, 2], ['en-US']])).toEqual({ value: ['1,000', '2,000'], log: [] });
  });

  it('construct-per-call: a constant declared below the function would be read before it is initialised; only a suggestion', () => {
    const before = `function label(cents: number) {
  return new Intl.NumberFormat(LOCALE).format(cents);
}
export function labels(orders: Array<{ cents: number }>) {
  return orders.map((order) => label(order.cents));
}
const LOCALE = 'en-US';`;
    const fix = suggestionOf(findingAt(before, 'construct-per-call', 'new Intl.NumberFormat'));
    expect((loadModule(before).labels as (o: unknown[]) => string[])([{ cents: 1000 }])).toEqual(['1,000']);
    expect(() => loadModule(applyFixes(before, [fix]).text)).toThrow(ReferenceError);
  });

  it('invariant-in-loop: a construction that may throw is built on the first pass (safe); hoisted before the loop it would throw for zero passes', async () => {
    const before = `export function run(lines: string[], term: string) {
  return lines.filter((line) => new RegExp(term, 'i').test(line));
}`;
    const after = applySafeFixes(before, 'invariant-in-loop');
    expect(after).toContain("(pattern ??= new RegExp(term, 'i'))");
    await expectSameBehaviour(before, after, 'run', [
      [[], '('],
      [['a'], '('],
      [['Ab', 'b'], 'a'],
    ]);
    // The eager hoist it used to offer (now never offered for such arguments) throws where the loop never runs.
    const eager = before
      .replace('return lines', "const pattern = new RegExp(term, 'i');\n  return lines")
      .replace("new RegExp(term, 'i').test", 'pattern.test');
    expect(await run(before, 'run', [[], '('])).toEqual({ value: [], log: [] });
    expect(await run(eager, 'run', [[], '('])).toMatchObject({ error: expect.stringMatching(/^SyntaxError: Invalid regular expression/) });
  });

  it('construct-per-call: an invalid pattern would make module load throw; only a suggestion', () => {
    const before = `function isSlug(text: string) {
  return new RegExp('(').test(text);
}
export function invalid(posts: Array<{ slug: string }>) {
  return posts.filter((post) => isSlug(post.slug));
}`;
    const fix = suggestionOf(findingAt(before, 'construct-per-call', "new RegExp('(')"));
    expect(() => loadModule(before)).not.toThrow();
    expect(() => loadModule(applyFixes(before, [fix]).text)).toThrow(SyntaxError);
  });

  it.each([
    [
      'invariant-in-loop',
      `export function run(lines: string[]) {
  return lines.map((line) => new RegExp('\\\\d', 'g').test(line));
}`,
      `export function run(lines: string[]) {
  const pattern = new RegExp('\\\\d', 'g');
  return lines.map((line) => pattern.test(line));
}`,
    ],
    [
      'construct-per-call',
      `function hasDigit(line: string) {
  return new RegExp('\\\\d', 'g').test(line);
}
export function run(lines: string[]) {
  return lines.map((line) => hasDigit(line));
}`,
      `const pattern = new RegExp('\\\\d', 'g');
function hasDigit(line: string) {
  return pattern.test(line);
}
export function run(lines: string[]) {
  return lines.map((line) => hasDigit(line));
}`,
    ],
  ])('%s: a g regexp is not reported, since its lastIndex carries from one use to the next', async (rule, before, hoisted) => {
    expect(findings(before, { rule })).toEqual([]);
    expect(await run(before, 'run', [['a1', 'b2']])).toEqual({ value: [true, true], log: [] });
    expect(await run(hoisted, 'run', [['a1', 'b2']])).toEqual({ value: [true, false], log: [] });
  });
});

describe('the Set and the accumulator: values that change or are shared', () => {
  it('lookup-in-loop: an array a closure changes during the loop gets a suggestion, and the Set would miss the change', async () => {
    const before = `export function run(orderIds: string[], userIds: string[]) {
  const add = (id: string) => userIds.push(id);
  return orderIds.filter((id) => {
    if (id === '+') add('p');
    return userIds.includes(id);
  });
}`;
    const fix = suggestionOf(findingAt(before, 'lookup-in-loop', 'userIds.includes'));
    expect(await run(before, 'run', [['p', '+', 'p'], []])).toEqual({ value: ['p'], log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [['p', '+', 'p'], []])).toEqual({ value: [], log: [] });
  });

  it('lookup-in-loop: an array read through a getter gets no fix (a Set would read it once)', async () => {
    const before = `class Orders {
  get activeIds(): string[] {
    log.push('activeIds read');
    return ['a', 'b'];
  }
  active(orderIds: string[]) {
    return orderIds.filter((id) => this.activeIds.includes(id));
  }
}
export function run(orderIds: string[]) {
  return new Orders().active(orderIds);
}`;
    expect(findingAt(before, 'lookup-in-loop', 'this.activeIds.includes').fixes).toEqual([]);
    const setOnce = before.replace(
      'return orderIds.filter((id) => this.activeIds.includes(id));',
      'const activeIdsSet = new Set(this.activeIds);\n    return orderIds.filter((id) => activeIdsSet.has(id));',
    );
    expect((await run(before, 'run', [['a', 'c', 'b']])).log).toHaveLength(3);
    expect((await run(setOnce, 'run', [['a', 'c', 'b']])).log).toHaveLength(1);
  });

  it('lookup-in-loop: an array that may be undefined gets a suggestion (the Set would not throw where includes does)', async () => {
    const before = `export function run(orderIds: string[], userIds?: string[]) {
  return orderIds.filter((id) => userIds!.includes(id));
}`;
    const fix = suggestionOf(findingAt(before, 'lookup-in-loop', 'userIds!.includes'));
    expect(await run(before, 'run', [['a'], undefined])).toMatchObject({ error: expect.stringMatching(/^TypeError/) });
    expect(await run(applyFixes(before, [fix]).text, 'run', [['a'], undefined])).toEqual({ value: [], log: [] });
  });

  it('lookup-in-loop: a sparse array searched with includes stays safe (a hole is undefined to includes and to the Set alike)', async () => {
    const before = `export function run(orders: Array<{ ref?: string }>, knownIds: Array<string | undefined>) {
  const ids: Array<string | undefined> = new Array(3);
  ids[0] = knownIds[0];
  return orders.filter((order) => ids.includes(order.ref)).length;
}`;
    const after = applySafeFixes(before, 'lookup-in-loop');
    expect(after).toContain('const idsSet = new Set(ids);');
    await expectSameBehaviour(before, after, 'run', [
      [[{ ref: 'a' }, {}, { ref: 'b' }], ['a']],
      [[{}], []],
      [[], ['a']],
    ]);
  });

  it('lookup-in-loop: a loop that awaits, over a parameter the caller changes meanwhile, gets a suggestion', async () => {
    const before = `async function count(orderIds: string[], userIds: string[], tick: () => Promise<void>) {
  let found = 0;
  for (const id of orderIds) {
    await tick();
    if (userIds.includes(id)) found++;
  }
  return found;
}
export async function run(orderIds: string[]) {
  const userIds: string[] = [];
  return count(orderIds, userIds, async () => {
    userIds.push('x');
  });
}`;
    const fix = suggestionOf(findingAt(before, 'lookup-in-loop', 'userIds.includes'));
    expect(await run(before, 'run', [['x', 'x']])).toEqual({ value: 2, log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [['x', 'x']])).toEqual({ value: 0, log: [] });
  });

  it('spread-accumulator: a shared initial value gets a suggestion; mutating it leaks into the next call', async () => {
    const before = `const EMPTY: number[] = [];
function collect(items: number[]) {
  return items.reduce((acc, x) => [...acc, x], EMPTY);
}
export function run(items: number[]) {
  collect(items);
  return collect(items);
}`;
    const fix = suggestionOf(findingAt(before, 'spread-accumulator', '[...acc, x]'));
    expect(await run(before, 'run', [[1, 2]])).toEqual({ value: [1, 2], log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [[1, 2]])).toEqual({ value: [1, 2, 1, 2], log: [] });
  });

  it('spread-accumulator: an initial object with a getter gets a suggestion; assigning through it throws', async () => {
    const before = `export function run(items: string[]) {
  return items.reduce((acc: { last: string }, x) => ({ ...acc, last: x }), { get last() { return ''; } });
}`;
    const fix = suggestionOf(findingAt(before, 'spread-accumulator', '{ ...acc'));
    expect(await run(before, 'run', [['a', 'b']])).toEqual({ value: { last: 'b' }, log: [] });
    expect(await run(applyFixes(before, [fix]).text, 'run', [['a', 'b']])).toMatchObject({
      error: expect.stringMatching(/^TypeError: Cannot set property last/),
    });
  });

  it('spread-accumulator: an accumulator a closure keeps gets a suggestion; mutating it changes what the closure sees', async () => {
    const before = `export function run(items: number[]) {
  const snapshots: Array<() => number> = [];
  const all = items.reduce((acc, x) => {
    snapshots.push(() => acc.length);
    return [...acc, x];
  }, [] as number[]);
  return [all, snapshots.map((size) => size())];
}`;
    const fix = suggestionOf(findingAt(before, 'spread-accumulator', '[...acc, x]'));
    expect(await run(before, 'run', [[7, 8, 9]])).toEqual({
      value: [
        [7, 8, 9],
        [0, 1, 2],
      ],
      log: [],
    });
    expect(await run(applyFixes(before, [fix]).text, 'run', [[7, 8, 9]])).toEqual({
      value: [
        [7, 8, 9],
        [3, 3, 3],
      ],
      log: [],
    });
  });
});
