import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'unmemoized-recursion';
const tester = ruleTester(rule);

describe('unmemoized-recursion reports', () => {
  it.each([
    [
      'fib',
      `export function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }`,
      [{ messageId: 'overlapping', line: 1, column: 17 }],
    ],
    [
      'a const arrow on a grid',
      `export const paths = (r: number, c: number): number => (r === 0 || c === 0 ? 1 : paths(r - 1, c) + paths(r, c - 1));`,
      [{ messageId: 'overlapping', line: 1, column: 14 }],
    ],
    [
      'a function expression with its own name',
      `export const f = function count(n: number): number { if (n <= 1) return 1; const a = count(n - 1); const b = count(n - 3); return a + b; };`,
      [{ messageId: 'overlapping', line: 1, column: 27 }],
    ],
    [
      'edit distance by indexes',
      `export function d(a: string, b: string, i = 0, j = 0): number { if (i === a.length || j === b.length) return 0; return Math.min(d(a, b, i + 1, j), d(a, b, i, j + 1)) + 1; }`,
      [{ messageId: 'overlapping', line: 1, column: 17 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('unmemoized-recursion stays quiet', () => {
  it.each([
    [
      'a tree walk',
      `export function depth(n: { l?: any; r?: any } | undefined): number { return n ? 1 + Math.max(depth(n.l), depth(n.r)) : 0; }`,
    ],
    [
      'divide and conquer',
      `export function s(xs: number[], lo: number, hi: number): number { if (hi - lo < 2) return xs[lo] ?? 0; const m = (lo + hi) >> 1; return s(xs, lo, m) + s(xs, m, hi); }`,
    ],
    [
      'one call per run, whichever return',
      `export function g(n: number): number { if (n <= 1) return 0; if (n % 2) return g(n - 1); return g(n - 2); }`,
    ],
    ['one recursive call', `export function fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); }`],
    [
      'already memoized with a Map',
      `const memo = new Map<number, number>();\nexport function fib(n: number): number { if (n < 2) return n; const k = memo.get(n); if (k !== undefined) return k; const v = fib(n - 1) + fib(n - 2); memo.set(n, v); return v; }`,
    ],
    [
      'wrapped in memoize',
      `declare function memoize<T>(f: T): T;\nexport const fib = memoize((n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2)));`,
    ],
    [
      'a shadowed name calls something else',
      `export function f(n: number): number { const f = (x: number) => x; return f(n - 1) + f(n - 2); }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
