import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';
import { run } from '../../helpers/behaviour';

const rule = 'await-in-reduce';
const tester = ruleTester(rule);
const messages = (code: string): string[] => findings(code, { rule }).map(shownText);

describe('await-in-reduce', () => {
  it('says that the results are lost, and it is true', async () => {
    const code = `export async function byId(items: { id: string }[]) {
  return items.reduce(async (acc, item) => {
    acc[item.id] = await Promise.resolve(item.id.toUpperCase());
    return acc;
  }, {} as Record<string, string>);
}`;
    await tester.invalid({ code, errors: [{ messageId: 'promiseAccumulator', line: 3, column: 5 }] });
    expect(messages(code)).toEqual([
      'This async reduce callback uses its accumulator `acc` without awaiting it: from the second item on it is a Promise, so acc[…] works on the Promise and the results are lost, while every step runs at once. Build the results with await Promise.all(items.map(…)) and reduce them synchronously, or use a for…of loop.',
    ]);
    // The behaviour the message describes: only the first item's result survives.
    expect(await run(code, 'byId', [[{ id: 'a' }, { id: 'b' }, { id: 'c' }]])).toEqual({ value: { a: 'A' }, log: [] });
  });

  it.each([
    [
      'push on the accumulator',
      `export function f(xs: string[]) { return xs.reduce(async (all, x) => { all.push(await load(x)); return all; }, []); }`,
      'all.push(…)',
      [{ messageId: 'promiseAccumulator', line: 1, column: 72 }],
    ],
    [
      'a spread of the accumulator',
      `export function f(xs: string[]) { return xs.reduce(async (acc, x) => ({ ...acc, [x]: await load(x) }), {}); }`,
      '...acc',
      [{ messageId: 'promiseAccumulator', line: 1, column: 73 }],
    ],
    [
      'reduceRight',
      `export function f(xs: string[]) { return xs.reduceRight(async (acc, x) => { acc.total += await size(x); return acc; }, { total: 0 }); }`,
      'acc.total',
      [{ messageId: 'promiseAccumulator', line: 1, column: 77 }],
    ],
  ])('reports %s', async (_name, code, use, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toContain(use);
  });

  it.each([
    [
      'await first',
      `export function f(xs: string[]) { return xs.reduce(async (previous, x) => { const acc = await previous; acc.push(await load(x)); return acc; }, Promise.resolve([] as string[])); }`,
    ],
    [
      'then on the accumulator',
      `export function f(xs: string[]) { return xs.reduce((p, x) => p.then(() => load(x)), Promise.resolve()); }`,
    ],
    [
      'an async callback that only passes the accumulator on',
      `export function f(xs: string[]) { return xs.reduce(async (acc, x) => { await log(x); return acc; }, 0); }`,
    ],
    ['a synchronous reduce', `export function f(xs: string[]) { return xs.reduce((acc, x) => { acc[x] = true; return acc; }, {}); }`],
    ['no initial value', `export function f(xs: Promise<number>[]) { return xs.reduce(async (a, b) => (await a) + (await b)); }`],
  ])('stays quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });
});
