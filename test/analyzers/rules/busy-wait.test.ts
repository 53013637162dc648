import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'busy-wait';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);

describe('busy-wait', () => {
  it('says what it costs and what to do', async () => {
    const code = `function sleep(ms) { const end = Date.now() + ms; while (Date.now() < end); }`;
    await tester.invalid({ code, errors: [{ messageId: 'spin', line: 1, column: 51 }] });
    expect(messages(code)).toEqual([
      'This loop spins on Date.now() until a deadline passes: it blocks the event loop and burns a CPU core for the whole wait. Use await setTimeout(ms) from node:timers/promises instead.',
    ]);
  });

  it.each([
    [
      'reading the clock into a local',
      `function wait(ms: number) { const start = Date.now(); let now = start; while (now - start < ms) { now = Date.now(); } }`,
      [{ messageId: 'spin', line: 1, column: 72 }],
    ],
    [
      'process.hrtime.bigint()',
      `function spin(ns: bigint) { const end = process.hrtime.bigint() + ns; while (process.hrtime.bigint() < end) {} }`,
      [{ messageId: 'spin', line: 1, column: 71 }],
    ],
    [
      '+new Date()',
      `function spin(ms: number) { const end = +new Date() + ms; while (+new Date() < end) {} }`,
      [{ messageId: 'spin', line: 1, column: 59 }],
    ],
  ])('reports %s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it.each([
    ['a loop that works each pass', `function f(end: number) { let n = 0; while (Date.now() < end) n = step(n); return n; }`],
    [
      'a deadline checked in a polling loop that awaits',
      `async function f(end: number) { while (Date.now() < end) { if (await ready()) return true; await sleep(50); } return false; }`,
    ],
    ['a counter loop with no clock', `function f() { let i = 0; while (i < 10) i++; }`],
    ['a loop that writes shared state', `let ticks = 0;\nfunction f(end: number) { while (Date.now() < end) ticks++; }`],
  ])('stays quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it.each([['scripts/wait.ts'], ['test/sleep.ts'], ['src/sleep.worker.ts']])('stays quiet in %s', (filename) => {
    expect(messages(`function sleep(ms) { const end = Date.now() + ms; while (Date.now() < end); }`, filename)).toEqual([]);
  });
});
