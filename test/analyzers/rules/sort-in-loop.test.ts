import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'sort-in-loop';
const tester = ruleTester(rule);

describe('sort-in-loop reports', () => {
  it.each([
    [
      'a copy of an unchanged list sorted per item',
      `export function f(users: Array<{ score: number; id: string }>, ids: string[]) { return ids.map((id) => [...users].sort((a, b) => b.score - a.score).findIndex((u) => u.id === id)); }`,
      [{ messageId: 'invariant', line: 1, column: 104 }],
    ],
    [
      'toSorted per pass',
      `export function f(users: Array<{ score: number }>, n: number[]) { return n.map(() => users.toSorted((a, b) => a.score - b.score).length); }`,
      [{ messageId: 'invariant', line: 1, column: 86 }],
    ],
    [
      'a queue re-sorted after every push',
      `export function f(jobs: Array<{ at: number }>) { const q: Array<{ at: number }> = []; for (const j of jobs) { q.push(j); q.sort((a, b) => a.at - b.at); } return q; }`,
      [{ messageId: 'grows', line: 1, column: 122 }],
    ],
    [
      'a priority queue re-sorted and shifted in a while loop',
      `export function f(start: { d: number }, next: (n: { d: number }) => Array<{ d: number }>) { const open = [start]; let seen = 0; while (open.length) { open.sort((a, b) => a.d - b.d); const n = open.shift()!; seen++; for (const m of next(n)) open.push(m); } return seen; }`,
      [{ messageId: 'grows', line: 1, column: 151 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('sort-in-loop stays quiet', () => {
  it.each([
    [
      'each item sorting its own list',
      `export function f(groups: Array<{ items: number[] }>) { for (const g of groups) g.items.sort((a, b) => a - b); }`,
    ],
    [
      'an order that depends on the pass',
      `export function f(points: Array<{ x: number }>, targets: Array<{ x: number }>) { return targets.map((t) => [...points].sort((a, b) => Math.abs(a.x - t.x) - Math.abs(b.x - t.x))); }`,
    ],
    [
      'sorted once after the loop',
      `export function f(jobs: Array<{ at: number }>) { const q: Array<{ at: number }> = []; for (const j of jobs) q.push(j); return q.sort((a, b) => a.at - b.at); }`,
    ],
    [
      'a list built inside the loop',
      `export function f(rows: number[][]) { return rows.map((r) => r.filter((n) => n > 0).sort((a, b) => a - b)); }`,
    ],
    [
      'only the first item taken (sort-for-min-max reports it)',
      `export function f(users: Array<{ s: number }>, ids: string[]) { return ids.map(() => [...users].sort((a, b) => a.s - b.s)[0]); }`,
    ],
    [
      'a loop over a handful of items',
      `export function f(users: Array<{ s: number }>) { const out = []; for (const k of ['a', 'b']) out.push([...users].sort((a, b) => a.s - b.s).length + k.length); return out; }`,
    ],
    ['a short literal list', `export function f(ids: string[]) { const L = ['b', 'a']; return ids.map(() => [...L].sort()); }`],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
