import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'shift-in-loop';
const tester = ruleTester(rule);

describe('shift-in-loop reports', () => {
  it.each([
    [
      'a BFS queue drained with shift and refilled from the edges',
      `export function f(start: string, graph: Map<string, string[]>) { const seen = new Set([start]); const queue = [start]; while (queue.length > 0) { const n = queue.shift()!; const edges = graph.get(n) ?? []; for (const m of edges) if (!seen.has(m)) { seen.add(m); queue.push(m); } } return seen; }`,
      [{ messageId: 'shift', line: 1, column: 157 }],
    ],
    [
      'a queue fed with unshift and taken with pop',
      `export function f(start: string, graph: Map<string, string[]>) { const queue = [start]; const out: string[] = []; while (queue.length) { const n = queue.pop()!; out.push(n); const edges = graph.get(n) ?? []; for (const m of edges) queue.unshift(m); } return out; }`,
      [{ messageId: 'unshiftQueue', line: 1, column: 232 }],
    ],
    [
      'splice while walking the same list by index',
      `export function f(sessions: Array<{ expires: number }>, now: number) { for (let i = sessions.length - 1; i >= 0; i--) if (sessions[i].expires < now) sessions.splice(i, 1); }`,
      [{ messageId: 'splice', line: 1, column: 150 }],
    ],
    [
      'splice with i-- in a forward index loop',
      `export function f(rows: string[]) { for (let i = 0; i < rows.length; i++) { if (rows[i] === '') { rows.splice(i, 1); i--; } } return rows; }`,
      [{ messageId: 'splice', line: 1, column: 99 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('shift-in-loop stays quiet', () => {
  it.each([
    [
      'one removal, then break',
      `export function f(rows: string[], v: string) { for (let i = 0; i < rows.length; i++) { if (rows[i] === v) { rows.splice(i, 1); break; } } }`,
    ],
    ['draining a list that is not refilled', `export function f(tasks: Array<() => void>) { while (tasks.length) tasks.shift()!(); }`],
    [
      'path segments',
      `export function f(p: string) { const parts = p.split('/'); for (let i = parts.length - 1; i >= 0; i--) if (parts[i] === '.') parts.splice(i, 1); return parts; }`,
    ],
    [
      'walking up a chain of parents',
      `export function f(node: { name: string; parent?: any }) { const names: string[] = []; let c: any = node; while (c) { names.unshift(c.name); c = c.parent; } return names; }`,
    ],
    [
      'a queue bounded by a fixed number of tries',
      `const MAX = 20;\nexport function f(start: string, graph: Map<string, string[]>) { const queue = [start]; let tries = 0; while (queue.length && tries < MAX) { tries++; const n = queue.shift()!; const edges = graph.get(n) ?? []; for (const m of edges) queue.push(m); } return tries; }`,
    ],
    [
      'CLI arguments',
      `export function f(args: string[]) { const out: string[] = []; while (args.length) { const a = args.shift()!; for (const c of a.split(',')) args.push(c); out.push(a); } return out; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});

describe('shift-in-loop sees the refill however the neighbour list is written', () => {
  const ids = (code: string): string[] => findings(code, { rule }).map((f) => f.messageId);
  it.each([
    [
      'inlined in the loop header (issue 14’s first case)',
      `export function f(start: string, adj: Map<string, string[]>) { const seen = new Set([start]); const queue = [start]; while (queue.length > 0) { const node = queue.shift()!; for (const next of adj.get(node) ?? []) if (!seen.has(next)) { seen.add(next); queue.push(next); } } return seen; }`,
      ['shift'],
    ],
    [
      'under a name that says nothing of its size',
      `export function f(start: string, adj: Map<string, string[]>) { const queue = [start]; const out: string[] = []; while (queue.length > 0) { const node = queue.pop()!; out.push(node); const v = adj.get(node) ?? []; for (const next of v) queue.unshift(next); } return out; }`,
      ['unshiftQueue'],
    ],
    [
      'a tree’s children, walked breadth-first',
      `export function f(root: { children: any[] }) { const queue = [root]; let n = 0; while (queue.length) { const node = queue.shift()!; n++; for (const child of node.children) queue.push(child); } return n; }`,
      ['shift'],
    ],
  ])('%s', (_name, code, expected) => {
    expect(ids(code)).toEqual(expected);
  });

  it.each([
    [
      'a refill from a short constant list, not from the item taken',
      `const STEPS = ['a', 'b'];\nexport function f(start: string, limit: number) { const queue = [start]; let n = 0; while (queue.length && n < limit) { const s = queue.shift()!; n++; for (const step of STEPS) if (s.length < 3) queue.push(s + step); } return n; }`,
    ],
    [
      'a refill from a list that does not come from the item taken',
      `export function f(start: string, extra: string[]) { const queue = [start]; let n = 0; while (queue.length) { queue.shift(); n++; for (const x of extra.slice(0, n)) queue.push(x); } return n; }`,
    ],
  ])('quiet: %s', (_name, code) => {
    expect(ids(code)).toEqual([]);
  });
});
