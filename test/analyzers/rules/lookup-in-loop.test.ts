import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings, projectFindings, shownText } from '../../helpers/analyze';
import { expectSameBehaviour, run } from '../../helpers/behaviour';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'lookup-in-loop';
const tester = ruleTester(rule);
const IDS_33 = Array.from({ length: 33 }, (_, i) => `'id${i}'`).join(', ');

describe('lookup-in-loop reports', () => {
  tester.run({
    invalid: [
      {
        name: 'includes on an annotated array parameter in for…of',
        code: `export function f(orderIds: string[], userIds: string[]) { let n = 0; for (const x of orderIds) if (userIds.includes(x)) n++; return n; }`,
        errors: [{ messageId: 'set', line: 1, column: 101 }],
        output: `export function f(orderIds: string[], userIds: string[]) { let n = 0; const userIdsSet = new Set(userIds);\nfor (const x of orderIds) if (userIdsSet.has(x)) n++; return n; }`,
      },
      {
        name: 'indexOf on a long array literal variable in a filter callback',
        code: `const ids = [${IDS_33}];\nexport function f(orderIds: string[]) { return orderIds.filter((x) => ids.indexOf(x) !== -1); }`,
        errors: [{ messageId: 'set', line: 2, column: 71 }],
        output: `const ids = [${IDS_33}];\nexport function f(orderIds: string[]) { const idsSet = new Set(ids);\nreturn orderIds.filter((x) => idsSet.has(x)); }`,
      },
      {
        name: 'lastIndexOf on a map() result',
        code: `export function f(orderIds: Array<{ id: string }>, userIds: string[]) { const ids = orderIds.map((x) => x.id); return userIds.filter((y) => ids.lastIndexOf(y) >= 0); }`,
        errors: [{ messageId: 'set', line: 1, column: 141 }],
        output: `export function f(orderIds: Array<{ id: string }>, userIds: string[]) { const ids = orderIds.map((x) => x.id); const idsSet = new Set(ids);\nreturn userIds.filter((y) => idsSet.has(y)); }`,
      },
      {
        name: 'includes on Object.keys() result',
        code: `export function f(documents: object, userIds: string[]) { const keys = Object.keys(documents); return userIds.filter((y) => keys.includes(y)); }`,
        errors: [{ messageId: 'set', line: 1, column: 125 }],
        output: `export function f(documents: object, userIds: string[]) { const keys = Object.keys(documents); const keysSet = new Set(keys);\nreturn userIds.filter((y) => keysSet.has(y)); }`,
      },
      {
        name: 'includes on Object.keys() called in the loop',
        code: `export function f(documents: Record<string, number>, userIds: string[]) { return userIds.filter((y) => Object.keys(documents).includes(y)); }`,
        errors: [{ messageId: 'set', line: 1, column: 104 }],
      },
      {
        name: 'find by key',
        code: `export function f(users: Array<{ id: number }>, ids: number[]) { return ids.map((id) => users.find((u) => u.id === id)); }`,
        errors: [{ messageId: 'map', line: 1, column: 89 }],
      },
      {
        name: 'findIndex by nested key',
        code: `export function f(users: Array<{ meta: { id: number } }>, ids: number[]) { return ids.map((id) => users.findIndex((u) => id === u.meta.id)); }`,
        errors: [{ messageId: 'map', line: 1, column: 99 }],
      },
      {
        name: 'some by key',
        code: `export function f(users: Array<{ name: string }>, emails: string[]) { return emails.filter((n) => users.some((u) => u.name === n)); }`,
        errors: [{ messageId: 'setByKey', line: 1, column: 99 }],
      },
      {
        name: 'a growing array (the seen pattern)',
        code: `export function f(orderIds: number[]) { const seen: number[] = []; for (const x of orderIds) { if (seen.indexOf(x) === -1) seen.push(x); } return seen; }`,
        errors: [{ messageId: 'grows', line: 1, column: 100 }],
      },
      {
        name: 'a growing class field',
        code: `export class C { seen: string[] = []; add(orderIds: string[]) { for (const x of orderIds) if (!this.seen.includes(x)) this.seen.push(x); } }`,
        errors: [{ messageId: 'grows', line: 1, column: 96 }],
      },
      {
        name: 'an inline literal of more than 8 items, in a loop over records',
        code: `export function f(files: string[]) { return files.filter((x) => ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].includes(x)); }`,
        errors: [{ messageId: 'literal', line: 1, column: 65 }],
        output: `export function f(files: string[]) { const xValues = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);\nreturn files.filter((x) => xValues.has(x)); }`,
      },
      {
        name: 'an array known from the checker (TypeScript)',
        code: `interface S { allowedIds: string[] }\nexport function f(store: S, orderIds: string[]) { let n = 0; for (const i of orderIds) if (store.allowedIds.includes(i)) n++; return n; }`,
        errors: [{ messageId: 'set', line: 2, column: 92 }],
      },
      {
        name: 'a split() result',
        code: `export function f(csv: string, userIds: string[]) { const rows = csv.split(','); return userIds.filter((y) => rows.includes(y)); }`,
        errors: [{ messageId: 'set', line: 1, column: 111 }],
        output: `export function f(csv: string, userIds: string[]) { const rows = csv.split(','); const rowsSet = new Set(rows);\nreturn userIds.filter((y) => rowsSet.has(y)); }`,
      },
      {
        name: 'options || [] fallback',
        code: `export function f(o: { entries?: string[] }, userIds: string[]) { const entries = o.entries || []; return userIds.filter((y) => entries.includes(y)); }`,
        errors: [{ messageId: 'set', line: 1, column: 129 }],
        output: `export function f(o: { entries?: string[] }, userIds: string[]) { const entries = o.entries || []; const entriesSet = new Set(entries);\nreturn userIds.filter((y) => entriesSet.has(y)); }`,
      },
    ],
  });

  it('names the array, the collection and the Set in the message', async () => {
    const [finding] = await tester.invalid({
      code: `export function f(orders: Array<{ c: string }>, activeIds: string[]) { return orders.filter((o) => activeIds.includes(o.c)); }`,
      errors: [{ messageId: 'set', line: 1, column: 100 }],
      output: `export function f(orders: Array<{ c: string }>, activeIds: string[]) { const activeIdsSet = new Set(activeIds);\nreturn orders.filter((o) => activeIdsSet.has(o.c)); }`,
    });
    expect(shownText(finding)).toContain('`activeIds.includes(…)`');
    expect(shownText(finding)).toContain('`orders`');
    expect(shownText(finding)).toContain('new Set(activeIds)');
    expect(finding.impact).toBe('high');
  });

  it('suggests a Map keyed by the compared property for find (numbers: find never matches NaN, a Map does)', async () => {
    const [finding] = await tester.invalid({
      code: `export function f(users: Array<{ id: number }>, ids: number[]) { return ids.map((id) => users.find((u) => u.id === id)); }`,
      errors: [{ messageId: 'map', line: 1, column: 89 }],
    });
    expect(shownText(finding)).toContain('keeping the first item of each `id`');
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].edits.map((e) => e.newText).join('|')).toContain('usersById.get(id)');
  });
});

describe('lookup-in-loop: find by a string key becomes a Map built before the loop, the first of equal keys winning (safe)', () => {
  const PRODUCTS = [
    { id: 'p1', name: 'first', active: true },
    { id: 'p2', name: 'inactive', active: false },
    { id: 'p1', name: 'duplicate', active: true },
  ];

  it('the demo: a cart quoted against its products, with a throw that leaves the loop', async () => {
    const before = `interface Product { id: string; name: string; active: boolean }
export class UnknownProductError extends Error {}
export function run(lines: Array<{ productId: string; quantity: number }>, products: Product[]) {
  const quoted: string[] = [];
  for (const line of lines) {
    const product = products.find((candidate) => candidate.id === line.productId);
    if (!product || !product.active) throw new UnknownProductError(line.productId);
    quoted.push(\`\${product.name} x\${line.quantity}\`);
  }
  return quoted;
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'map', line: 6, column: 21 }],
      output: before.replace(
        `  for (const line of lines) {
    const product = products.find((candidate) => candidate.id === line.productId);`,
        `  const productsById = new Map<string, Product>();
  for (const candidate of products) if (!productsById.has(candidate.id)) productsById.set(candidate.id, candidate);
  for (const line of lines) {
    const product = productsById.get(line.productId);`,
      ),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          // Duplicate ids: find returns the first, so must the Map.
          [[{ productId: 'p1', quantity: 2 }], PRODUCTS],
          [[{ productId: 'p2', quantity: 1 }], PRODUCTS],
          [[{ productId: 'nope', quantity: 1 }], PRODUCTS],
          [[], PRODUCTS],
          [[{ productId: 'p1', quantity: 1 }], []],
          [[], []],
        ],
      },
    });
  });

  it('a nested key in a map callback; the element type written as Array<…>', async () => {
    const before = `export function run(ids: string[], users: Array<{ meta: { id: string }; name: string }>) {
  return ids.map((id) => users.find((u) => u.meta.id === id)?.name ?? '-');
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'map', line: 2, column: 26 }],
      output: `export function run(ids: string[], users: Array<{ meta: { id: string }; name: string }>) {
  const usersById = new Map<string, { meta: { id: string }; name: string }>();
  for (const u of users) if (!usersById.has(u.meta.id)) usersById.set(u.meta.id, u);
  return ids.map((id) => usersById.get(id)?.name ?? '-');
}`,
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            ['a', 'b', 'c'],
            [
              { meta: { id: 'a' }, name: 'A' },
              { meta: { id: 'a' }, name: 'A2' },
              { meta: { id: 'b' }, name: 'B' },
            ],
          ],
          [[], [{ meta: { id: 'a' }, name: 'A' }]],
          [['a'], []],
        ],
      },
    });
  });

  it.each([
    [
      'loose equality (== converts)',
      `export function f(users: Array<{ id: string }>, ids: string[]) { return ids.map((id) => users.find((u) => u.id == id)); }`,
      89,
    ],
    [
      'a key read through a getter',
      `class User { constructor(private raw: { id: string }) {} get id() { return this.raw.id; } }\nexport function f(users: User[], ids: string[]) { return ids.map((id) => users.find((u) => u.id === id)); }`,
      74,
    ],
    [
      'an optional key',
      `export function f(users: Array<{ id?: string }>, ids: string[]) { return ids.map((id) => users.find((u) => u.id === id)); }`,
      90,
    ],
    [
      'elements that may be undefined',
      `export function f(users: Array<{ id: string } | undefined>, ids: string[]) { return ids.map((id) => users.find((u) => u!.id === id)); }`,
      101,
    ],
    [
      'the key changed inside the loop',
      `export function f(users: Array<{ id: string }>, ids: string[]) { return ids.map((id) => { const u = users.find((x) => x.id === id); if (u) u.id = id + '!'; return u; }); }`,
      101,
    ],
    [
      'an element type the checker cannot resolve, searched for a value that may not be a string',
      `import type { User } from '@acme/models';\nexport function f(users: User[], ids: number[]) { return ids.map((id) => users.find((u) => u.id === id)); }`,
      74,
    ],
  ])('%s: a suggestion', async (_name, code, column) => {
    const line = code.split('\n').length;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'map', line, column }] });
    expect(finding.fixes[0].safe).toBe(false);
  });

  it('an element type the checker cannot resolve (a package model without its node_modules, as in the demo), searched for a string: safe', async () => {
    const before = `import type { User } from '@acme/models';
export function run(ids: string[], users: User[]) {
  return ids.map((id) => users.find((u) => u.id === id));
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'map', line: 3, column: 26 }],
      output: `import type { User } from '@acme/models';
export function run(ids: string[], users: User[]) {
  const usersById = new Map<string, User>();
  for (const u of users) if (!usersById.has(u.id)) usersById.set(u.id, u);
  return ids.map((id) => usersById.get(id));
}`,
      sameBehaviour: {
        entry: 'run',
        inputs: [
          // Keys of any type: a string is found only under an equal string, by === and by the Map alike.
          [
            ['1', 'a', 'NaN'],
            [{ id: 1 }, { id: 'a', n: 1 }, { id: 'a', n: 2 }, { id: Number.NaN }, { id: '1' }],
          ],
          [[], []],
          [['a'], []],
        ],
      },
    });
  });

  it('why a number key is not rewritten automatically: find never matches NaN, a Map does', async () => {
    const before = `export function run(users: Array<{ id: number; name: string }>, ids: number[]) {
  return ids.map((id) => users.find((u) => u.id === id)?.name);
}`;
    const [finding] = await tester.invalid({ code: before, errors: [{ messageId: 'map', line: 2, column: 26 }] });
    const users = [{ id: Number.NaN, name: 'not a number' }];
    expect(await run(before, 'run', [users, [Number.NaN]])).toEqual({ value: [undefined], log: [] });
    const mapped = before
      .replace('return ids', 'const byId = new Map(users.map((u) => [u.id, u]));\n  return ids')
      .replace('users.find((u) => u.id === id)', 'byId.get(id)');
    expect(await run(mapped, 'run', [users, [Number.NaN]])).toEqual({ value: ['not a number'], log: [] });
    expect(finding.fixes[0].safe).toBe(false);
  });
});

describe('lookup-in-loop stays quiet', () => {
  it.each([
    ['String#includes', `export function f(lines: string[], marker: string) { return lines.filter((l) => marker.includes(l)); }`],
    ['includes on a string literal', `export function f(orderIds: string[]) { return orderIds.filter((x) => 'abcdef'.includes(x)); }`],
    [
      'includes on a template',
      `export function f(orderIds: string[], y: string) { return orderIds.filter((x) => \`\${y}-z\`.includes(x)); }`,
    ],
    ['a small inline literal', `export function f(ms: string[]) { return ms.filter((m) => ['GET', 'HEAD'].includes(m)); }`],
    [
      'a small const literal',
      `const SAFE = ['GET', 'HEAD', 'OPTIONS'];\nexport function f(ms: string[]) { return ms.filter((m) => SAFE.includes(m)); }`,
    ],
    [
      'a 19-item constant list (built once; a scan of 19 is as fast as a hash)',
      `const KEYWORDS = [${Array.from({ length: 19 }, (_, i) => `'k${i}'`).join(', ')}];\nexport function f(ms: string[]) { return ms.filter((m) => KEYWORDS.includes(m)); }`,
    ],
    [
      'a 30-item local list built once per call',
      `export function f(ms: string[]) { const knownIds = [${Array.from({ length: 30 }, (_, i) => `'k${i}'`).join(', ')}]; return ms.filter((m) => knownIds.includes(m)); }`,
    ],
    [
      'a small const literal (frozen)',
      `const SAFE = Object.freeze(['GET', 'HEAD']);\nexport function f(ms: string[]) { return ms.filter((m) => SAFE.includes(m)); }`,
    ],
    [
      'an imported constant list',
      `import { METHODS } from './http';\nexport function f(ms: string[]) { return ms.filter((m) => METHODS.includes(m)); }`,
    ],
    [
      'a list from an options object',
      `export function f(ms: string[], options: { allow: string[] }) { return ms.filter((m) => options.allow.includes(m)); }`,
    ],
    [
      'the receiver depends on the loop variable',
      `export function f(users: Array<{ roles: string[] }>) { return users.filter((u) => u.roles.includes('admin')); }`,
    ],
    [
      'the receiver is declared inside the loop',
      `export function f(users: string[][]) { let n = 0; for (const u of users) { const roles = u.slice(1); if (roles.includes('x')) n++; } return n; }`,
    ],
    [
      'searching the iterated collection itself',
      `export function f(items: string[]) { return items.filter((item, i) => items.indexOf(item) === i); }`,
    ],
    ['not in a loop', `export function f(allowedIds: string[], id: string) { return allowedIds.includes(id); }`],
    [
      'a function called per item is not a loop',
      `export function f(allowedIds: string[]) { return function check(id: string) { return allowedIds.includes(id); }; }`,
    ],
    [
      'a Set',
      `export function f(orderIds: string[], userIds: string[]) { const s = new Set(userIds); return orderIds.filter((x) => s.has(x)); }`,
    ],
    [
      'a predicate that is not an equality',
      `export function f(ps: string[], rules: Array<{ test(p: string): boolean }>) { return ps.filter((p) => rules.some((r) => r.test(p))); }`,
    ],
    [
      'a predicate that compares with the element on both sides',
      `export function f(orderIds: number[], userIds: Array<{ a: number; b: number }>) { return orderIds.filter(() => userIds.some((y) => y.a === y.b)); }`,
    ],
    ['an untyped JavaScript parameter', `function f(texts, needle) { return texts.filter((t) => needle.includes(t)); }`],
    [
      'a tiny counted loop',
      `export function f(orderIds: string[], userIds: string[]) { let n = 0; for (let i = 0; i < 3; i++) if (userIds.includes(orderIds[i])) n++; return n; }`,
    ],
    [
      'a loop over a small literal',
      `export function f(userIds: string[]) { let n = 0; for (const m of ['a', 'b']) if (userIds.includes(m)) n++; return n; }`,
    ],
    [
      'an array replaced on every pass',
      `export function f(orderIds: string[][], y: string) { let cur: string[] = []; let n = 0; for (const x of orderIds) { cur = x; if (cur.includes(y)) n++; } return n; }`,
    ],
    [
      'an array spliced in the loop (not a plain growing list)',
      `export function f(orderIds: string[], userIds: string[]) { for (const x of orderIds) { const i = userIds.indexOf(x); if (i >= 0) userIds.splice(i, 1); } return userIds; }`,
    ],
    [
      'Map#has / Set#has style APIs',
      `export function f(orderIds: string[], m: Map<string, number>) { return orderIds.filter((x) => m.has(x)); }`,
    ],
    [
      'a short list that grows by a few literal pushes outside loops',
      `export function f(ms: string[], strict: boolean) { const names = ['a', 'b']; if (strict) names.push('c', 'd'); return ms.filter((m) => names.includes(m)); }`,
    ],
    [
      'a while loop (no sign of how many passes)',
      `export function f(start: string, next: (s: string) => string[]) { const visited: string[] = []; const queue = [start]; while (queue.length) { const n = queue.shift()!; if (visited.includes(n)) continue; visited.push(n); queue.push(...next(n)); } return visited; }`,
    ],
    [
      'a list with no sign of size (a generic name, strings)',
      `export function f(orderIds: string[], list: string[]) { return orderIds.filter((x) => list.includes(x)); }`,
    ],
    [
      'a list named for a handful of things (columns)',
      `export function f(rows: Array<{ id: string }>, hiddenColumns: string[]) { return rows.filter((r) => !hiddenColumns.includes(r.id)); }`,
    ],
    [
      'the values of an enum',
      `enum Role { Admin = 'admin', User = 'user' }\nexport function f(users: Array<{ role: string }>) { return users.filter((u) => (Object.values(Role) as string[]).includes(u.role)); }`,
    ],
    [
      'a loop over a list named for a handful of things',
      `export function f(extensions: string[], fileIds: string[]) { return extensions.filter((e) => fileIds.includes(e)); }`,
    ],
    [
      'a shadowing local string of the same name',
      `const ids: string[] = ['a'];\nexport function f(orderIds: string[]) { return orderIds.filter((x) => { const ids = 'abc'; return ids.includes(x); }); }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule, filename: /function f\(texts/.test(code) ? 'example.js' : undefined })).toEqual([]);
  });

  it('does not throw on broken syntax', () => {
    expect(() =>
      findings(`export function f(orderIds: string[], userIds: string[]) { for (const x of orderIds) { userIds.includes( } `, {
        rule,
        syntaxErrors: 'analyze',
      }),
    ).not.toThrow();
    expect(() => findings(`for (const x of) { y.indexOf(x) !== }`, { rule, syntaxErrors: 'analyze' })).not.toThrow();
    expect(() => findings(`orderIds.forEach(x => .includes(x))`, { rule, syntaxErrors: 'analyze' })).not.toThrow();
  });
});

describe('lookup-in-loop safe fix keeps behaviour', () => {
  it('includes → Set#has (strings, duplicates, empty arrays, zero iterations)', async () => {
    const before = `
export function run(wantedIds: string[], presentIds: string[]) {
  const out: string[] = [];
  for (const w of wantedIds) {
    if (presentIds.includes(w)) out.push(w);
  }
  return out;
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'set', line: 5, column: 9 }],
      output: before
        .replace('  for (const w of wantedIds) {', '  const presentIdsSet = new Set(presentIds);\n  for (const w of wantedIds) {')
        .replace('presentIds.includes(w)', 'presentIdsSet.has(w)'),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            ['a', 'b', 'a', 'c'],
            ['a', 'c', 'c'],
          ],
          [[], ['a']],
          [['a'], []],
          [[], []],
          [['', 'x'], ['']],
        ],
      },
    });
  });

  it('includes on numbers: NaN, -0 and +0 behave as in the array (SameValueZero on both sides)', async () => {
    const before = `
export function run(readings: number[], knownIds: number[]) {
  return readings.map((v) => knownIds.includes(v));
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'set', line: 3, column: 30 }],
      output: before.replace(
        '  return readings.map((v) => knownIds.includes(v));',
        '  const knownIdsSet = new Set(knownIds);\n  return readings.map((v) => knownIdsSet.has(v));',
      ),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            [NaN, 0, -0, 1, 2],
            [NaN, -0],
          ],
          [[0, -0], [0]],
          [[NaN], []],
          [[], [NaN]],
          [
            [1, 1, 1],
            [1, 1],
          ],
        ],
      },
    });
  });

  it('indexOf comparisons on strings, in every written form', async () => {
    const before = `
export function run(orderIds: string[], userIds: string[]) {
  return orderIds.map((x) => [
    userIds.indexOf(x) !== -1, userIds.indexOf(x) === -1, userIds.indexOf(x) >= 0, userIds.indexOf(x) < 0,
    userIds.indexOf(x) > -1, -1 !== userIds.indexOf(x), 0 > userIds.indexOf(x), userIds.lastIndexOf(x) != -1, userIds.indexOf(x) <= -1,
  ]);
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'set', line: 4, column: 5 },
        { messageId: 'set', line: 4, column: 32 },
        { messageId: 'set', line: 4, column: 59 },
        { messageId: 'set', line: 4, column: 84 },
        { messageId: 'set', line: 5, column: 5 },
        { messageId: 'set', line: 5, column: 37 },
        { messageId: 'set', line: 5, column: 61 },
        { messageId: 'set', line: 5, column: 81 },
        { messageId: 'set', line: 5, column: 111 },
      ],
      output: before
        .replace('  return orderIds.map', '  const userIdsSet = new Set(userIds);\n  return orderIds.map')
        .replace(
          'userIds.indexOf(x) !== -1, userIds.indexOf(x) === -1, userIds.indexOf(x) >= 0, userIds.indexOf(x) < 0,',
          'userIdsSet.has(x), !userIdsSet.has(x), userIdsSet.has(x), !userIdsSet.has(x),',
        )
        .replace(
          'userIds.indexOf(x) > -1, -1 !== userIds.indexOf(x), 0 > userIds.indexOf(x), userIds.lastIndexOf(x) != -1, userIds.indexOf(x) <= -1,',
          'userIdsSet.has(x), userIdsSet.has(x), !userIdsSet.has(x), userIdsSet.has(x), !userIdsSet.has(x),',
        ),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            ['a', 'b', 'zz', ''],
            ['b', 'b', ''],
          ],
          [[], ['a']],
          [['a'], []],
        ],
      },
    });
  });

  it('indexOf on numbers is not rewritten automatically (NaN would then be found)', async () => {
    const before = `
export function run(amounts: number[], knownIds: number[]) {
  return amounts.map((v) => knownIds.indexOf(v) !== -1);
}`;
    // `amounts` carries no sign of size, so this is not even reported; the rule's own example
    // (countKnown over `orderIds`) is the reported case, and it has no safe fix either.
    tester.valid(before);
    // What the rewrite would do: indexOf never finds NaN, Set#has does.
    const rewritten = before.replace('knownIds.indexOf(v) !== -1', 'new Set(knownIds).has(v)');
    expect(await run(before, 'run', [[[NaN], [NaN]]])).not.toEqual(await run(rewritten, 'run', [[[NaN], [NaN]]]));
  });

  it('hoists before the outermost loop in which the array is invariant', async () => {
    const before = `
export function run(pages: string[][], allowedIds: string[]) {
  let n = 0;
  for (const group of pages) {
    for (const item of group) {
      if (allowedIds.includes(item)) n++;
    }
  }
  return n;
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'set', line: 6, column: 11 }],
      output: before
        .replace('  for (const group of pages) {', '  const allowedIdsSet = new Set(allowedIds);\n  for (const group of pages) {')
        .replace('allowedIds.includes(item)', 'allowedIdsSet.has(item)'),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            [
              ['a', 'b'],
              ['c', 'a'],
            ],
            ['a'],
          ],
          [[], ['a']],
          [[[]], []],
          [[['x']], ['x', 'x']],
        ],
      },
    });
  });

  it('hoists inside an outer loop when the array is declared per outer pass', async () => {
    const before = `
export function run(stores: Array<{ allowedIds: string[] }>, items: string[]) {
  const out: number[] = [];
  for (const store of stores) {
    const allowedIds = store.allowedIds.slice();
    let n = 0;
    for (const item of items) if (allowedIds.includes(item)) n++;
    out.push(n);
  }
  return out;
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'set', line: 7, column: 35 }],
      output: before.replace(
        '    for (const item of items) if (allowedIds.includes(item)) n++;',
        '    const allowedIdsSet = new Set(allowedIds);\n    for (const item of items) if (allowedIdsSet.has(item)) n++;',
      ),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            [{ allowedIds: ['a'] }, { allowedIds: ['b', 'c'] }, { allowedIds: [] }],
            ['a', 'b', 'c', 'a'],
          ],
          [[], ['a']],
          [[{ allowedIds: ['a'] }], []],
        ],
      },
    });
  });

  it('a let changed before the loop (same function) is still safe; all uses in the loop share one Set', async () => {
    const before = `
export function run(base: string[], extra: string[], orderIds: string[]) {
  let allowedIds: string[] = base;
  if (extra.length > 0) allowedIds = allowedIds.concat(extra);
  const hits: string[] = [];
  orderIds.forEach((x) => {
    if (allowedIds.includes(x) || allowedIds.indexOf(x + '!') !== -1) hits.push(x);
  });
  return hits;
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'set', line: 7, column: 9 },
        { messageId: 'set', line: 7, column: 35 },
      ],
      output: before
        .replace('  orderIds.forEach', '  const allowedIdsSet = new Set(allowedIds);\n  orderIds.forEach')
        .replace("allowedIds.includes(x) || allowedIds.indexOf(x + '!') !== -1", "allowedIdsSet.has(x) || allowedIdsSet.has(x + '!')"),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [['a'], ['b!'], ['a', 'b', 'c']],
          [[], [], ['a']],
          [['a', 'a'], [], []],
        ],
      },
    });
  });

  it('a large literal of literals becomes a Set built once', async () => {
    const before = `
export function run(files: string[]) {
  return files.filter((ext) => ['js', 'ts', 'jsx', 'tsx', 'mjs', 'cjs', 'mts', 'cts', 'json'].includes(ext));
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'literal', line: 3, column: 32 }],
      output: before.replace(
        "  return files.filter((ext) => ['js', 'ts', 'jsx', 'tsx', 'mjs', 'cjs', 'mts', 'cts', 'json'].includes(ext));",
        "  const extValues = new Set(['js', 'ts', 'jsx', 'tsx', 'mjs', 'cjs', 'mts', 'cts', 'json']);\n  return files.filter((ext) => extValues.has(ext));",
      ),
      sameBehaviour: { entry: 'run', inputs: [[['js', 'md', 'json', 'JSON']], [[]], [['cts', 'cts']]] },
    });
  });
});

describe('lookup-in-loop offers no safe fix when it cannot prove the array unchanged', () => {
  it.each([
    [
      'mutated by a closure that the loop may call',
      `export function f(orderIds: string[], userIds: string[]) { const add = (y: string) => userIds.push(y); return orderIds.filter((x) => { if (x === '+') add(x); return userIds.includes(x); }); }`,
      [{ messageId: 'set', line: 1, column: 166 }],
    ],
    [
      'passed to an unknown function (it may keep and change it)',
      `declare function register(a: string[]): void;\nexport function f(orderIds: string[], userIds: string[]) { register(userIds); return orderIds.filter((x) => userIds.includes(x)); }`,
      [{ messageId: 'set', line: 2, column: 109 }],
    ],
    [
      'an optional parameter (may be undefined before the loop)',
      `export function f(orderIds: string[], userIds?: string[]) { return orderIds.filter((x) => userIds!.includes(x)); }`,
      [{ messageId: 'set', line: 1, column: 91 }],
    ],
    [
      'a value that may be undefined by its type',
      `export function f(orderIds: string[], userIds: string[] | undefined) { return orderIds.filter((x) => userIds && userIds.includes(x)); }`,
      [{ messageId: 'set', line: 1, column: 113 }],
    ],
    [
      'a module-level array changed by another function',
      `const seen: string[] = [];\nexport function remember(x: string) { seen.push(x); }\nexport function f(orderIds: string[]) { return orderIds.filter((x) => seen.includes(x)); }`,
      [],
    ],
    [
      'a search with a start index',
      `export function f(orderIds: string[], userIds: string[]) { return orderIds.filter((x) => userIds.includes(x, 1)); }`,
      [{ messageId: 'set', line: 1, column: 90 }],
    ],
    [
      'optional chaining',
      `export function f(orderIds: string[], userIds: string[]) { return orderIds.filter((x) => userIds?.includes(x)); }`,
      [{ messageId: 'set', line: 1, column: 90 }],
    ],
    [
      'indexOf used as a position',
      `export function f(orderIds: string[], order: string[]) { return orderIds.map((x) => order.indexOf(x)); }`,
      [],
    ],
    [
      'a loop in an expression-bodied arrow (no place for a declaration)',
      `export const f = (orderIds: string[], userIds: string[]) => orderIds.filter((x) => userIds.includes(x));`,
      [{ messageId: 'set', line: 1, column: 84 }],
    ],
    [
      'an exported array (other modules may change it)',
      `export const ids: string[] = [];\nexport function f(orderIds: string[]) { return orderIds.filter((x) => ids.includes(x)); }`,
      [],
    ],
    [
      'a top-level array of a classic script (a global)',
      `const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];\nfunction f(orderIds) { return orderIds.filter((x) => ids.includes(x)); }`,
      [],
    ],
    [
      'a TypeScript import (another module may change it)',
      `import { list } from './list';\nexport function f(orderIds: string[]) { return orderIds.filter((x) => (list as string[]).includes(x)); }`,
      [],
    ],
  ])('%s', async (_name, code, errors) => {
    // Without an `output`, the tester asserts that no fix is safe. Five of these cases are not
    // reported at all (no sign that the lists are long), so they show the guard only vacuously.
    if (errors.length === 0) tester.valid(code);
    else await tester.invalid({ code, errors });
  });

  it.each([
    [
      'a parameter and a call the loop makes to unknown code (it may hold the same array)',
      `declare function audit(x: string): void;\nexport function f(orderIds: string[], userIds: string[]) { return orderIds.filter((x) => { audit(x); return userIds.includes(x); }); }`,
      [{ messageId: 'set', line: 2, column: 109 }],
    ],
    [
      'a parameter and a push onto another parameter (they may be the same array)',
      `export function f(orderIds: string[], userIds: string[], out: string[]) { for (const x of orderIds) if (!userIds.includes(x)) out.push(x); return out; }`,
      [{ messageId: 'set', line: 1, column: 106 }],
    ],
    [
      'a parameter and an await in the loop (the caller may change it meanwhile)',
      `export async function f(orderIds: string[], userIds: string[], tick: () => Promise<void>) { let n = 0; for (const x of orderIds) { await tick(); if (userIds.includes(x)) n++; } return n; }`,
      [{ messageId: 'set', line: 1, column: 150 }],
    ],
    [
      'a parameter and a callback passed by name',
      `export function f(orderIds: string[], userIds: string[], keep: (x: string) => boolean) { return orderIds.filter(keep).filter((x) => userIds.includes(x)); }`,
      [{ messageId: 'set', line: 1, column: 133 }],
    ],
    [
      'a parameter and a for…of over an unknown iterable (its iterator runs code)',
      `export function f(orderIds: Iterable<string>, userIds: string[]) { let n = 0; for (const x of orderIds) if (userIds.includes(x)) n++; return n; }`,
      [{ messageId: 'set', line: 1, column: 109 }],
    ],
  ])('%s', async (_name, code, errors) => {
    // Without an `output`, the tester asserts that no fix is safe.
    await tester.invalid({ code, errors });
  });

  it('why: an aliased parameter changes under the loop, and the Set would miss it', async () => {
    const before = `export function run(orderIds: string[], userIds: string[], out: string[]) { for (const x of orderIds) if (!userIds.includes(x)) out.push(x); return out.length; }`;
    const rewritten = before.replace('for (const x', 'const s = new Set(userIds); for (const x').replace('userIds.includes(x)', 's.has(x)');
    const aliased = `export function run2(orderIds: string[]) { const a: string[] = []; return run(orderIds, a, a); }\n${before}`;
    const aliasedAfter = `export function run2(orderIds: string[]) { const a: string[] = []; return run(orderIds, a, a); }\n${rewritten}`;
    expect(await run(aliased, 'run2', [['p', 'p', 'q']])).not.toEqual(await run(aliasedAfter, 'run2', [['p', 'p', 'q']]));
  });

  it('a fresh local array may sit beside unknown calls: nothing else can hold it', async () => {
    const before = `
export function run(orderIds: string[], userIds: Array<{ id: string }>) {
  const ids = userIds.map((y) => y.id);
  return orderIds.filter((x) => {
    log.push(x);
    return ids.includes(x);
  });
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'set', line: 6, column: 12 }],
      output: before
        .replace('  return orderIds.filter((x) => {', '  const idsSet = new Set(ids);\n  return orderIds.filter((x) => {')
        .replace('ids.includes(x)', 'idsSet.has(x)'),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            ['a', 'b'],
            [{ id: 'b' }, { id: 'b' }],
          ],
          [[], []],
          [['a'], []],
        ],
      },
    });
  });

  it('still reports them', async () => {
    await tester.invalid({
      code: `export function f(orderIds: string[], userIds: string[]) { const add = (y: string) => userIds.push(y); return orderIds.filter((x) => { if (x === '+') add(x); return userIds.includes(x); }); }`,
      errors: [{ messageId: 'set', line: 1, column: 166 }],
    });
  });
});

describe('lookup-in-loop suggestion for a growing array', () => {
  it('keeps a Set beside the array, under the same if', async () => {
    const code = `
export function run(orderIds: string[]) {
  const seen: string[] = [];
  for (const x of orderIds) {
    if (!seen.includes(x)) seen.push(x);
  }
  return seen;
}`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'grows', line: 5, column: 10 }] });
    expect(shownText(finding)).toContain('pushed to');
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    const after = applyFixes(code, finding.fixes).text;
    expect(after).toContain('{ seen.push(x); seenSet.add(x); }');
    // The suggestion is right for this shape too.
    await expectSameBehaviour(code, after, 'run', [[['a', 'b', 'a']], [[]], [['x', 'x', 'x']]]);
  });
});

describe('lookup-in-loop fixes nested searches over several passes', () => {
  const nested = `
export function run(orderIds: string[], userIds: string[]) {
  return orderIds.filter((x) => userIds.includes(userIds.includes(x) ? x + '!' : x));
}`;
  const nestedErrors = [
    { messageId: 'set', line: 3, column: 33 },
    { messageId: 'set', line: 3, column: 50 },
  ];

  it('a search inside another search of the same array', async () => {
    await tester.invalid({
      code: nested,
      errors: nestedErrors,
      // A known flaw: the second pass builds a second Set of the same array (userIdsSet2).
      output: nested.replace(
        "  return orderIds.filter((x) => userIds.includes(userIds.includes(x) ? x + '!' : x));",
        "  const userIdsSet = new Set(userIds);\n  const userIdsSet2 = new Set(userIds);\n  return orderIds.filter((x) => userIdsSet.has(userIdsSet2.has(x) ? x + '!' : x));",
      ),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            ['a', 'b'],
            ['a!', 'b'],
          ],
          [[], []],
          [['a'], ['a', 'a!']],
        ],
      },
    });
  });

  it.fails('shares one Set between the nested searches, as it does for searches side by side', async () => {
    await tester.invalid({
      code: nested,
      errors: nestedErrors,
      output: nested.replace(
        "  return orderIds.filter((x) => userIds.includes(userIds.includes(x) ? x + '!' : x));",
        "  const userIdsSet = new Set(userIds);\n  return orderIds.filter((x) => userIdsSet.has(userIdsSet.has(x) ? x + '!' : x));",
      ),
    });
  });
});

describe('lookup-in-loop sees the loop however it is written', () => {
  const ids = (code: string): string[] => findings(code, { rule }).map((f) => f.messageId);
  const missing = (loop: string) =>
    `export function missing(wantedIds: string[], presentIds: string[]) { const result: string[] = []; ${loop} if (presentIds.indexOf(id) === -1) result.push(id); } return result; }`;
  it.each([
    ['a `while` taking `wantedIds[i++]`', 'let i = 0; while (i < wantedIds.length) { const id = wantedIds[i++];'],
    ['an index `for`', 'for (let i = 0; i < wantedIds.length; i++) { const id = wantedIds[i];'],
    ['a `?? []` header', 'for (const id of wantedIds ?? []) {'],
  ])('%s', (_name, loop) => {
    expect(ids(missing(loop))).toEqual(['set']);
  });

  it('a list that grows in the `while` walk it is searched in', () => {
    expect(
      ids(
        `export function uniqueTags(posts: Array<{ tags: string[] }>) { const seen: string[] = []; let i = 0; while (i < posts.length) { const post = posts[i++]; for (const tag of post.tags ?? []) if (!seen.includes(tag)) seen.push(tag); } return seen; }`,
      ),
    ).toEqual(['grows']);
  });

  it('its fix before a `while` walk keeps behaviour', async () => {
    const code = missing('let i = 0; while (i < wantedIds.length) { const id = wantedIds[i++];');
    const [finding] = findings(code, { rule });
    const fixed = applyFixes(code, finding.fixes.slice(0, 1)).text;
    expect(fixed).toContain('presentIdsSet.has(id)');
    await expectSameBehaviour(code, fixed, 'missing', [
      [['a', 'b', 'c', 'a'], ['b']],
      [[], ['x']],
    ]);
  });
});

// Issue 14's script: plain JavaScript spending 97% of its time in `!all.includes(w)` got "No performance problems
// found". Where there are no types, what the code shows decides (facts/collections.ts, facts/sizes.ts).
describe('lookup-in-loop in plain JavaScript', () => {
  const ids = (code: string): string[] => findings(code, { rule, filename: 'src/words.js' }).map((f) => f.messageId);

  // Written in a function: the same lines at a script's top level run once at load, which the evidence policy
  // (evidence.ts, ONCE) does not report whatever the rule says.
  it('a list filled line by line, searched per wanted word (issue 14’s script)', () => {
    const code = `const fs = require('fs');
module.exports.missingWords = function (allPath, wantedPath) {
  const all = [];
  for (const line of fs.readFileSync(allPath, 'utf8').split('\\n')) all.push(line.trim());
  const wanted = fs.readFileSync(wantedPath, 'utf8').split('\\n');
  const missing = [];
  for (const w of wanted) if (!all.includes(w)) missing.push(w);
  return missing;
};`;
    expect(ids(code)).toEqual(['set']);
  });

  it('a list returned by a function of the file', () => {
    expect(
      ids(`const fs = require('fs');
function readWords(path) { return fs.readFileSync(path, 'utf8').split('\\n'); }
module.exports = function missing() { const all = readWords('all.txt'); return readWords('wanted.txt').filter((w) => !all.includes(w)); };`),
    ).toEqual(['set']);
  });

  it('lists typed by JSDoc', () => {
    expect(
      ids(
        `/** @param {string[]} orderIds @param {string[]} userIds */\nexport function missing(orderIds, userIds) { return orderIds.filter((id) => !userIds.includes(id)); }`,
      ),
    ).toEqual(['set']);
  });

  it.each([
    [
      'three literal strings that never grow',
      `const KINDS = ['a', 'b', 'c'];\nexport function f(rows) { return rows.filter((r) => KINDS.includes(r.kind)); }`,
    ],
    [
      'three literal strings in the function, searched per line',
      `export function f(text) { const kinds = ['a', 'b', 'c']; return text.split('\\n').filter((l) => kinds.includes(l)); }`,
    ],
    [
      'a parameter nothing shows to be an array (a string has includes too)',
      `export function f(userIds, text) { return userIds.filter((id) => text.includes(id)); }`,
    ],
  ])('quiet: %s', (_name, code) => {
    expect(ids(code)).toEqual([]);
  });
});

describe('lookup-in-loop in plain JavaScript, across files', () => {
  const words = `const fs = require('fs');\nfunction readWords(path) { return fs.readFileSync(path, 'utf8').split('\\n'); }\nasync function loadWords(path) { return (await fs.promises.readFile(path, 'utf8')).split('\\n'); }\nmodule.exports = { readWords, loadWords };`;
  const ids = (entry: string): string[] =>
    projectFindings({ 'src/words.js': words, 'src/missing.js': entry }, 'src/missing.js', rule).map((f) => f.messageId);

  it('a list returned by a function of another file (required)', () => {
    expect(
      ids(
        `const { readWords } = require('./words');\nmodule.exports.missing = function (lines) { const all = readWords('all.txt'); return lines.split('\\n').filter((w) => !all.includes(w)); };`,
      ),
    ).toEqual(['set']);
  });

  it('a list returned by an async function of another file, awaited', () => {
    expect(
      ids(
        `const { loadWords } = require('./words');\nmodule.exports.missing = async function (lines) { const all = await loadWords('all.txt'); return lines.split('\\n').filter((w) => !all.includes(w)); };`,
      ),
    ).toEqual(['set']);
  });

  it('quiet when the function of another file returns a string', () => {
    expect(
      projectFindings(
        {
          'src/text.js': `const fs = require('fs');\nmodule.exports.readText = function (path) { return fs.readFileSync(path, 'utf8'); };`,
          'src/missing.js': `const { readText } = require('./text');\nmodule.exports.missing = function (lines) { const all = readText('all.txt'); return lines.split('\\n').filter((w) => !all.includes(w)); };`,
        },
        'src/missing.js',
        rule,
      ).map((f) => f.messageId),
    ).toEqual([]);
  });
});
