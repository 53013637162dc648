import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';
import { expectSameBehaviour } from '../../helpers/behaviour';

const rule = 'nested-scan';
const tester = ruleTester(rule);

describe('nested-scan reports', () => {
  it.each([
    [
      'a join written as nested for…of loops',
      `export function f(orders: Array<{ customerId: string }>, customers: Array<{ id: string }>) { let n = 0; for (const o of orders) for (const c of customers) if (c.id === o.customerId) n++; return n; }`,
      [{ messageId: 'join', line: 1, column: 160 }],
    ],
    [
      'a join in forEach callbacks',
      `export function f(orders: Array<{ customerId: string }>, customers: Array<{ id: string }>) { orders.forEach((o) => customers.forEach((c) => { if (o.customerId === c.id) console.log(c); })); }`,
      [{ messageId: 'join', line: 1, column: 147 }],
    ],
    [
      'a group-by written as filter per item',
      `export function f(orders: Array<{ id: number }>, items: Array<{ orderId: number }>) { return orders.map((o) => items.filter((i) => i.orderId === o.id)); }`,
      [{ messageId: 'group', line: 1, column: 112 }],
    ],
    [
      'an intersection by value',
      `export function f(userIds: string[], memberIds: string[]) { const out: string[] = []; for (const a of userIds) for (const b of memberIds) if (a === b) out.push(a); return out; }`,
      [{ messageId: 'intersect', line: 1, column: 143 }],
    ],
    [
      'a pairwise scan of one list by index',
      `export function f(files: Array<{ hash: string }>) { let d = 0; for (let i = 0; i < files.length; i++) for (let j = i + 1; j < files.length; j++) if (files[i].hash === files[j].hash) d++; return d; }`,
      [{ messageId: 'pairwise', line: 1, column: 150 }],
    ],
    [
      'a dedupe by indexOf',
      `export function f(emails: string[]) { return emails.filter((e, i) => emails.indexOf(e) === i); }`,
      [{ messageId: 'dedupe', line: 1, column: 70 }],
    ],
    [
      'a dedupe through the third callback parameter',
      `export function f(emails: string[]) { return emails.filter((e, i, all) => all.indexOf(e) === i); }`,
      [{ messageId: 'dedupe', line: 1, column: 75 }],
    ],
    [
      'a dedupe by key with findIndex',
      `export function f(users: Array<{ id: string }>) { return users.filter((u, i) => users.findIndex((o) => o.id === u.id) === i); }`,
      [{ messageId: 'dedupeByKey', line: 1, column: 81 }],
    ],
    [
      'a search by key in the list being walked',
      `export function f(documents: Array<{ id: string; parentId: string }>) { return documents.map((n) => documents.find((p) => p.id === n.parentId)); }`,
      [{ messageId: 'selfSearch', line: 1, column: 101 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('names both lists and the key in the message', async () => {
    const [finding] = await tester.invalid({
      code: `export function f(orders: Array<{ customerId: string }>, customers: Array<{ id: string }>) { for (const o of orders) for (const c of customers) if (c.id === o.customerId) return c; return undefined; }`,
      errors: [{ messageId: 'join', line: 1, column: 149 }],
    });
    expect(shownText(finding)).toContain('`customers`');
    expect(shownText(finding)).toContain('`orders`');
    expect(shownText(finding)).toContain('`id`');
  });
});

describe('nested-scan stays quiet', () => {
  it.each([
    [
      'a matrix product (different dimensions)',
      `export function f(a: number[][], b: number[][], n: number) { let s = 0; for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) s += a[i][k] * b[k][j]; return s; }`,
    ],
    [
      'grid building',
      `export function f(w: number, h: number) { const cells: string[] = []; for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) cells.push(x + ',' + y); return cells; }`,
    ],
    [
      'each item own children',
      `export function f(orders: Array<{ id: string; lines: Array<{ orderId: string }> }>) { let n = 0; for (const o of orders) for (const l of o.lines) if (l.orderId === o.id) n++; return n; }`,
    ],
    [
      'a short fixed list',
      `const FORMATS = [{ ext: 'a' }, { ext: 'b' }];\nexport function f(files: Array<{ ext: string }>) { return files.map((f) => FORMATS.filter((x) => x.ext === f.ext)); }`,
    ],
    [
      'a comparison that is not a key equality',
      `export function f(points: Array<{ x: number }>) { let n = 0; for (const a of points) for (const b of points) if (Math.abs(a.x - b.x) < 1) n++; return n; }`,
    ],
    [
      'a search callback (lookup-in-loop reports those)',
      `export function f(posts: Array<{ authorId: string }>, users: Array<{ id: string }>) { return posts.map((p) => users.find((u) => u.id === p.authorId)); }`,
    ],
    [
      'a test against a constant, not the outer item',
      `export function f(orders: string[], customers: Array<{ active: boolean }>) { let n = 0; for (const o of orders) for (const c of customers) if (c.active === true) n++; return n + o0(orders); }\ndeclare function o0(a: unknown): number;`,
    ],
    [
      'a tiny outer loop',
      `export function f(customers: Array<{ id: string }>) { let n = 0; for (const id of ['a', 'b']) for (const c of customers) if (c.id === id) n++; return n; }`,
    ],
    [
      'lists with no sign of size',
      `export function f(xs: Array<{ k: string }>, ys: Array<{ k: string }>) { let n = 0; for (const x of xs) for (const y of ys) if (x.k === y.k) n++; return n; }`,
    ],
    [
      'a pairwise containment test (not an index lookup)',
      `export function f(shapes: Array<{ r: number }>, inside: (a: unknown, b: unknown) => boolean) { return shapes.filter((s) => !shapes.some((o) => o !== s && inside(s, o))); }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });

  it('does not throw on broken syntax', () => {
    expect(() =>
      findings(`export function f(orders, customers) { for (const o of orders) for (const c of customers) if (c.id === `, {
        rule,
        syntaxErrors: 'analyze',
      }),
    ).not.toThrow();
  });
});

describe('nested-scan dedupe suggestion', () => {
  it('is a suggestion and gives the same result on duplicate-laden strings', async () => {
    const code = `export function run(emails: string[]) { return emails.filter((e, i) => emails.indexOf(e) === i); }`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'dedupe', line: 1, column: 72 }] });
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    const after = applyFixes(code, finding.fixes).text;
    expect(after).toContain('Array.from(new Set(emails))');
    await expectSameBehaviour(code, after, 'run', [[['a', 'b', 'a', 'c', 'b']], [[]], [['x']]]);
  });
});

describe('nested-scan sees the loops however they are written', () => {
  const join = (outer: string, inner: string) =>
    `export function attach(orders: Array<{ customerId: string; customer?: unknown }>, customers: Array<{ id: string }>) { ${outer} ${inner} if (customer.id === order.customerId) { order.customer = customer; break; } } } }`;
  it.each([
    [
      'index `for` loops',
      'for (let i = 0; i < orders.length; i++) { const order = orders[i];',
      'for (let j = 0; j < customers.length; j++) { const customer = customers[j];',
    ],
    [
      '`while` loops',
      'let i = 0; while (i < orders.length) { const order = orders[i++];',
      'let j = 0; while (j < customers.length) { const customer = customers[j++];',
    ],
    ['`?? []` headers', 'for (const order of orders ?? []) {', 'for (const customer of customers ?? []) {'],
  ])('a join written with %s', (_name, outer, inner) => {
    expect(findings(join(outer, inner), { rule }).map((f) => f.messageId)).toEqual(['join']);
  });

  it('names the list an index walk goes over', () => {
    const code = join('for (let i = 0; i < orders.length; i++) { const order = orders[i];', 'for (const customer of customers) {');
    expect(findings(code, { rule }).map(shownText)[0]).toContain('every item of `orders`');
  });
});
