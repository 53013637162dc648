import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';
import { expectSameBehaviour } from '../../helpers/behaviour';

const rule = 'length-in-loop-condition';
const tester = ruleTester(rule);

describe('length-in-loop-condition reports', () => {
  it.each([
    [
      'Object.keys(o).length in a for condition',
      `export function f(o: Record<string, number>) { let s = 0; for (let i = 0; i < Object.keys(o).length; i++) s += i; return s; }`,
      [{ messageId: 'invariant', line: 1, column: 79 }],
    ],
    [
      'Object.values(o).length in a while condition',
      `export function f(o: Record<string, number>) { let i = 0; while (i < Object.values(o).length) i++; return i; }`,
      [{ messageId: 'invariant', line: 1, column: 70 }],
    ],
    [
      'filter(p).length in a while condition',
      `export function f(tasks: Array<{ done: boolean }>) { let n = 0; while (tasks.filter((t) => !t.done).length > 0) { tasks[n++].done = true; } return n; }`,
      [{ messageId: 'changing', line: 1, column: 72 }],
    ],
    [
      'split(",").length in a do condition',
      `export function f(csv: string) { let i = 0; do { i++; } while (i < csv.split(',').length); return i; }`,
      [{ messageId: 'invariant', line: 1, column: 68 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  const spreadOfMap = `export function f(m: Map<string, number>) { let i = 0; for (; i < [...m.keys()].length; i++); return i; }`;

  it('a spread of a Map into an array', () => {
    const found = findings(spreadOfMap, { rule });
    expect(found.map((f) => [f.range.start.line, f.range.start.column])).toEqual([[1, 67]]);
  });

  // A known bug: nothing changes `m` in the loop, so its count is invariant, but the rule says
  // 'changing' — isInvariantIn never counts a call without arguments (`m.keys()`) as invariant.
  it.fails('says that the count of a Map the loop does not change is invariant', async () => {
    await tester.invalid({ code: spreadOfMap, errors: [{ messageId: 'invariant', line: 1, column: 67 }] });
  });

  it('offers a hoist (as a suggestion) only when what is counted does not change in the loop', async () => {
    const code = `export function run(o: Record<string, number>) { let s = 0; for (let i = 0; i < Object.keys(o).length; i++) s += i; return s; }`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'invariant', line: 1, column: 81 }] });
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    const after = applyFixes(code, finding.fixes).text;
    expect(after).toContain('const keysCount = Object.keys(o).length;');
    await expectSameBehaviour(code, after, 'run', [[{ a: 1, b: 2, c: 3 }], [{}]]);
    const [changing] = await tester.invalid({
      code: `export function f(tasks: Array<{ done: boolean }>) { let n = 0; while (tasks.filter((t) => !t.done).length > 0) tasks[n++].done = true; return n; }`,
      errors: [{ messageId: 'changing', line: 1, column: 72 }],
    });
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
