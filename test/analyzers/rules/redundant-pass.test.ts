import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';
import { expectSameBehaviour } from '../../helpers/behaviour';

const rule = 'redundant-pass';
const tester = ruleTester(rule);

describe('redundant-pass reports', () => {
  it.each([
    [
      'filter(p)[0]',
      `export function f(users: Array<{ role: string }>) { return users.filter((u) => u.role === 'admin')[0]; }`,
      [{ messageId: 'find', line: 1, column: 60 }],
    ],
    [
      'filter(p).shift()',
      `export function f(users: Array<{ role: string }>) { return users.filter((u) => u.role === 'admin').shift(); }`,
      [{ messageId: 'find', line: 1, column: 60 }],
    ],
    [
      'filter(p).pop() (the last match)',
      `export function f(users: Array<{ role: string }>) { return users.filter((u) => u.role === 'admin').pop(); }`,
      [{ messageId: 'findLast', line: 1, column: 60 }],
    ],
    [
      'filter(p).length > 0',
      `export function f(invoices: Array<{ due: number }>, now: number) { return invoices.filter((i) => i.due < now).length > 0; }`,
      [{ messageId: 'some', line: 1, column: 75 }],
    ],
    [
      '0 === filter(p).length',
      `export function f(invoices: Array<{ due: number }>, now: number) { return 0 === invoices.filter((i) => i.due < now).length; }`,
      [{ messageId: 'none', line: 1, column: 75 }],
    ],
    [
      '!filter(p).length',
      `export function f(invoices: Array<{ due: number }>, now: number) { return !invoices.filter((i) => i.due < now).length; }`,
      [{ messageId: 'none', line: 1, column: 75 }],
    ],
    [
      'if (filter(p).length)',
      `export function f(invoices: Array<{ due: number }>, now: number) { if (invoices.filter((i) => i.due < now).length) return 1; return 0; }`,
      [{ messageId: 'some', line: 1, column: 72 }],
    ],
    [
      'map(f).slice(a, b)',
      `export function f(rows: Array<{ name: string }>) { return rows.map((r) => '<li>' + r.name + '</li>').slice(0, 20); }`,
      [{ messageId: 'sliceFirst', line: 1, column: 59 }],
    ],
    [
      'a sorted copy, then filtered',
      `export function f(users: Array<{ score: number; active: boolean }>) { return [...users].sort((a, b) => b.score - a.score).filter((u) => u.active); }`,
      [{ messageId: 'filterFirst', line: 1, column: 78 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('suggests find / some / !some, and they agree on plain data', async () => {
    const code = `export function run(users: Array<{ role: string }>) { return [users.filter((u) => u.role === 'admin')[0], users.filter((u) => u.role === 'x').length > 0, users.filter((u) => u.role === 'y').length === 0]; }`;
    const found = await tester.invalid({
      code,
      errors: [
        { messageId: 'find', line: 1, column: 63 },
        { messageId: 'some', line: 1, column: 107 },
        { messageId: 'none', line: 1, column: 155 },
      ],
    });
    expect(found.every((f) => f.fixes.length === 1 && !f.fixes[0].safe)).toBe(true);
    let after = code;
    for (const finding of findings(code, { rule }).reverse()) after = applyFixes(after, finding.fixes).text;
    expect(after).toContain("users.find((u) => u.role === 'admin')");
    expect(after).toContain("users.some((u) => u.role === 'x')");
    expect(after).toContain("!users.some((u) => u.role === 'y')");
    await expectSameBehaviour(code, after, 'run', [[[{ role: 'admin' }, { role: 'x' }]], [[]], [[{ role: 'y' }, { role: 'admin' }]]]);
  });
});

describe('redundant-pass stays quiet', () => {
  it.each([
    ['every match used', `export function f(users: Array<{ role: string }>) { return users.filter((u) => u.role === 'admin'); }`],
    [
      'the count used',
      `export function f(invoices: Array<{ due: number }>, now: number) { return invoices.filter((i) => i.due < now).length; }`,
    ],
    ['a mapping that uses the index', `export function f(rows: string[]) { return rows.map((r, i) => i + r).slice(0, 10); }`],
    ['a slice that drops one item', `export function f(lines: string[]) { return lines.map((l) => ' * ' + l).slice(1); }`],
    ['a short literal', `export function f() { return [1, 2, 3].filter((n) => n % 2).length > 0; }`],
    [
      'a predicate passed by name',
      `export function f(users: Array<{ role: string }>, p: (u: { role: string }) => boolean) { return users.filter(p)[0]; }`,
    ],
    [
      'a list of one record\u2019s children',
      `export function f(chat: { messages: Array<{ type: string }> }) { return chat.messages.filter((m) => m.type === 'a').length > 0; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
