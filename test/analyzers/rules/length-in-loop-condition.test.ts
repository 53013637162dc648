import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings } from '../../helpers/analyze';
import { expectSameBehaviour } from '../../helpers/behaviour';

const rule = 'length-in-loop-condition';

describe('length-in-loop-condition reports', () => {
  it.each([
    [
      'Object.keys(o).length in a for condition',
      `export function f(o: Record<string, number>) { let s = 0; for (let i = 0; i < Object.keys(o).length; i++) s += i; return s; }`,
    ],
    [
      'Object.values(o).length in a while condition',
      `export function f(o: Record<string, number>) { let i = 0; while (i < Object.values(o).length) i++; return i; }`,
    ],
    [
      'filter(p).length in a while condition',
      `export function f(tasks: Array<{ done: boolean }>) { let n = 0; while (tasks.filter((t) => !t.done).length > 0) { tasks[n++].done = true; } return n; }`,
    ],
    [
      'split(",").length in a do condition',
      `export function f(csv: string) { let i = 0; do { i++; } while (i < csv.split(',').length); return i; }`,
    ],
    [
      'a spread of a Map into an array',
      `export function f(m: Map<string, number>) { let i = 0; for (; i < [...m.keys()].length; i++); return i; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toHaveLength(1);
  });

  it('offers a hoist (as a suggestion) only when what is counted does not change in the loop', async () => {
    const code = `export function run(o: Record<string, number>) { let s = 0; for (let i = 0; i < Object.keys(o).length; i++) s += i; return s; }`;
    const [finding] = findings(code, { rule });
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    const after = applyFixes(code, finding.fixes).text;
    expect(after).toContain('const keysCount = Object.keys(o).length;');
    await expectSameBehaviour(code, after, 'run', [[{ a: 1, b: 2, c: 3 }], [{}]]);
    const [changing] = findings(
      `export function f(tasks: Array<{ done: boolean }>) { let n = 0; while (tasks.filter((t) => !t.done).length > 0) tasks[n++].done = true; return n; }`,
      { rule },
    );
    expect(changing.fixes).toEqual([]);
  });
});

describe('length-in-loop-condition stays quiet', () => {
  it.each([
    ['array length', `export function f(xs: number[]) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }`],
    [
      'a count kept before the loop',
      `export function f(o: object) { const n = Object.keys(o).length; let s = 0; for (let i = 0; i < n; i++) s += i; return s; }`,
    ],
    [
      'a count in the body, not the condition',
      `export function f(rows: string[][]) { for (const r of rows) if (r.filter(Boolean).length === 0) return r; return undefined; }`,
    ],
    ['a filter of a short literal', `export function f() { let i = 0; while (i < [1, 2, 3].filter((n) => n > 1).length) i++; return i; }`],
    [
      'slice() with no arguments is not a count of work done',
      `export function f(xs: number[]) { let i = 0; while (i < xs.slice().length) i++; return i; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
