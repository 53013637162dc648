import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'json-clone-in-loop';
const tester = ruleTester(rule);

describe('json-clone-in-loop reports', () => {
  it.each([
    [
      'a growing state re-copied every pass',
      `export function f(moves: number[]) { let board: { cells: number[] } = { cells: [] }; for (const m of moves) { board = JSON.parse(JSON.stringify(board)); board.cells.push(m); } return board; }`,
      [{ messageId: 'grows', line: 1, column: 119 }],
    ],
    [
      'a state gaining computed keys, copied with structuredClone',
      `export function f(ids: string[]) { let index: Record<string, number> = {}; ids.forEach((id, i) => { index = structuredClone(index); index[id] = i; }); return index; }`,
      [{ messageId: 'grows', line: 1, column: 109 }],
    ],
    [
      'an unchanged value copied only to be read',
      `export function f(items: string[], settings: { prefix: string }) { return items.map((i) => JSON.parse(JSON.stringify(settings)).prefix + i); }`,
      [{ messageId: 'readOnly', line: 1, column: 92 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('json-clone-in-loop stays quiet', () => {
  it.each([
    ['a copy of each item', `export function f(items: Array<{ a: number }>) { return items.map((i) => JSON.parse(JSON.stringify(i))); }`],
    [
      'a template copied and then changed',
      `export function f(titles: string[], t: { title: string }) { return titles.map((title) => { const d = structuredClone(t); d.title = title; return d; }); }`,
    ],
    [
      'a copy spread into a new object (its nested parts are wanted fresh)',
      `export function f(pages: number[], field: { page: number; meta: object }) { return pages.map((page) => ({ ...structuredClone(field), page })); }`,
    ],
    ['a copy outside any loop', `export function f(o: object) { return JSON.parse(JSON.stringify(o)); }`],
    [
      'a shadowed JSON',
      `export function f(xs: number[], JSON: { parse(s: string): number; stringify(o: unknown): string }, o: object) { return xs.map(() => JSON.parse(JSON.stringify(o))); }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
