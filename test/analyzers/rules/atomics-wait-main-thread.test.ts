import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'atomics-wait-main-thread';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);

describe('atomics-wait-main-thread', () => {
  it('reports Atomics.wait outside a worker', async () => {
    const code = `export function sleep(ms: number) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }`;
    await tester.invalid({ code, errors: [{ messageId: 'mainThread', line: 1, column: 37 }] });
    expect(messages(code)).toEqual([
      'Atomics.wait blocks the main thread until it is notified or times out: the event loop stops for the whole wait (browsers throw). Use await Atomics.waitAsync(…).value or await setTimeout(ms), or wait in a worker thread.',
    ]);
  });

  it('reports it in the main-thread branch', async () => {
    await tester.invalid({
      code: `import { isMainThread } from 'node:worker_threads';\nexport function f(v: Int32Array) { if (isMainThread) Atomics.wait(v, 0, 0); }`,
      errors: [{ messageId: 'mainThread', line: 2, column: 54 }],
    });
  });

  it.each([
    ['a worker file by name', 'src/compute.worker.ts', `export function f(v: Int32Array) { Atomics.wait(v, 0, 0); }`],
    [
      'a worker_threads worker',
      'src/w.ts',
      `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (v) => Atomics.wait(v, 0, 0));`,
    ],
    [
      'else branch of isMainThread',
      'src/w.ts',
      `import { isMainThread } from 'node:worker_threads';\nexport function f(v: Int32Array) { if (isMainThread) start(); else Atomics.wait(v, 0, 0); }`,
    ],
    ['Atomics.waitAsync', 'src/a.ts', `export async function f(v: Int32Array) { await Atomics.waitAsync(v, 0, 0).value; }`],
    ['Atomics.notify', 'src/a.ts', `export function f(v: Int32Array) { Atomics.notify(v, 0); }`],
    ['a test', 'test/a.test.ts', `export function f(v: Int32Array) { Atomics.wait(v, 0, 0); }`],
  ])('stays quiet: %s', (_name, filename, code) => {
    expect(messages(code, filename)).toEqual([]);
  });
});
