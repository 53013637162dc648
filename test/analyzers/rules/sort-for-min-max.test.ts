import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'sort-for-min-max';
const tester = ruleTester(rule);

describe('sort-for-min-max reports', () => {
  it.each([
    [
      'sort(cmp)[0]',
      `export function f(products: Array<{ price: number }>) { return products.sort((a, b) => a.price - b.price)[0]; }`,
      [{ messageId: 'pick', line: 1, column: 73 }],
    ],
    [
      '[...xs].sort(cmp).pop()',
      `export function f(events: Array<{ at: number }>) { return [...events].sort((a, b) => a.at - b.at).pop(); }`,
      [{ messageId: 'pick', line: 1, column: 71 }],
    ],
    [
      'toSorted(cmp).at(-1)',
      `export function f(files: Array<{ mtime: number }>) { return files.toSorted((a, b) => a.mtime - b.mtime).at(-1); }`,
      [{ messageId: 'pick', line: 1, column: 67 }],
    ],
    [
      'slice().sort()[length - 1]',
      `export function f(rows: number[]) { const s = rows.slice().sort((a, b) => a - b); return rows.slice().sort((a, b) => a - b)[s.length - 1]; }`,
      [{ messageId: 'pick', line: 1, column: 103 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('says when the sort reorders the caller\u2019s list in place', async () => {
    const [inPlace] = await tester.invalid({
      code: `export function f(products: Array<{ price: number }>) { return products.sort((a, b) => a.price - b.price)[0]; }`,
      errors: [{ messageId: 'pick', line: 1, column: 73 }],
    });
    expect(inPlace.message).toContain('in place');
    const [copy] = await tester.invalid({
      code: `export function f(products: Array<{ price: number }>) { return [...products].sort((a, b) => a.price - b.price)[0]; }`,
      errors: [{ messageId: 'pick', line: 1, column: 78 }],
    });
    expect(copy.message).not.toContain('in place');
  });
});

describe('sort-for-min-max stays quiet', () => {
  it.each([
    [
      'the whole sorted list used',
      `export function f(products: Array<{ price: number }>) { return products.sort((a, b) => a.price - b.price).map((p) => p.price); }`,
    ],
    ['a short literal list', `export function f() { return ['b', 'a', 'c'].sort()[0]; }`],
    ['the second item', `export function f(rows: number[]) { return [...rows].sort((a, b) => b - a)[1]; }`],
    ['a list with no sign of size', `export function f(arr: string[]) { return arr.sort((a, b) => b.length - a.length)[0]; }`],
    ['an assignment into the sorted copy', `export function f(rows: number[]) { const s = [...rows]; s.sort()[0] = 1; return s; }`],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
