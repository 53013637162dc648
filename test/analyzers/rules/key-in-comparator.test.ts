import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'key-in-comparator';
const tester = ruleTester(rule);

describe('key-in-comparator reports', () => {
  it.each([
    [
      'toLowerCase on both sides',
      `export function f(users: Array<{ name: string }>) { return users.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())); }`,
      [{ messageId: 'key', line: 1, column: 81 }],
    ],
    [
      'new Date on both sides',
      `export function f(events: Array<{ at: string }>) { return [...events].sort((x, y) => new Date(x.at).getTime() - new Date(y.at).getTime()); }`,
      [{ messageId: 'key', line: 1, column: 86 }],
    ],
    [
      'Date.parse in a function comparator',
      `export function f(rows: Array<{ d: string }>) { return rows.toSorted(function (a, b) { return Date.parse(a.d) - Date.parse(b.d); }); }`,
      [{ messageId: 'key', line: 1, column: 95 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('key-in-comparator stays quiet', () => {
  it.each([
    ['property reads only', `export function f(users: Array<{ age: number }>) { return users.sort((a, b) => a.age - b.age); }`],
    [
      'keys computed before sorting',
      `export function f(users: Array<{ name: string }>) { return users.map((u) => ({ u, k: u.name.toLowerCase() })).sort((a, b) => a.k.localeCompare(b.k)); }`,
    ],
    ['a short literal list', `export function f() { return ['B', 'a'].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())); }`],
    [
      'a derivation on one side only',
      `export function f(users: Array<{ name: string }>, q: string) { return users.sort((a, b) => a.name.toLowerCase().indexOf(q) - b.name.length); }`,
    ],
    ['not a comparator', `export function f(users: Array<{ name: string }>) { return users.map((a) => a.name.toLowerCase()); }`],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
