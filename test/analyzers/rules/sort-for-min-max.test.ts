import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';

const rule = 'sort-for-min-max';

describe('sort-for-min-max reports', () => {
  it.each([
    ['sort(cmp)[0]', `export function f(products: Array<{ price: number }>) { return products.sort((a, b) => a.price - b.price)[0]; }`],
    [
      '[...xs].sort(cmp).pop()',
      `export function f(events: Array<{ at: number }>) { return [...events].sort((a, b) => a.at - b.at).pop(); }`,
    ],
    [
      'toSorted(cmp).at(-1)',
      `export function f(files: Array<{ mtime: number }>) { return files.toSorted((a, b) => a.mtime - b.mtime).at(-1); }`,
    ],
    [
      'slice().sort()[length - 1]',
      `export function f(rows: number[]) { const s = rows.slice().sort((a, b) => a - b); return rows.slice().sort((a, b) => a - b)[s.length - 1]; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toHaveLength(1);
  });

  it('says when the sort reorders the caller\u2019s list in place', () => {
    const [inPlace] = findings(
      `export function f(products: Array<{ price: number }>) { return products.sort((a, b) => a.price - b.price)[0]; }`,
      { rule },
    );
    expect(inPlace.message).toContain('in place');
    const [copy] = findings(
      `export function f(products: Array<{ price: number }>) { return [...products].sort((a, b) => a.price - b.price)[0]; }`,
      { rule },
    );
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
