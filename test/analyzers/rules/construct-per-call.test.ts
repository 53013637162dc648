import { describe, expect, it } from 'vitest';
import { applySafeFixes, findings } from '../../helpers/analyze';
import { expectSameBehaviour } from '../../helpers/behaviour';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'construct-per-call';
const tester = ruleTester(rule);
const express = `import express from 'express';\nconst app = express();\n`;

describe('construct-per-call reports', () => {
  tester.run({
    invalid: [
      {
        name: 'Intl in a request handler',
        code: `${express}app.get('/', (req, res) => res.send(new Intl.NumberFormat('en-US').format(Number(req.query.n))));`,
        errors: [{ messageId: 'intl', line: 3, column: 37 }],
        output: `import express from 'express';\nconst numberFormat = new Intl.NumberFormat('en-US');\nconst app = express();\napp.get('/', (req, res) => res.send(numberFormat.format(Number(req.query.n))));`,
      },
      {
        name: 'RegExp in a function called from a loop over data',
        code: `function ok(t: string) { return new RegExp('^[a-z]+$').test(t); }\nexport function f(users: Array<{ name: string }>) { return users.filter((u) => ok(u.name)); }`,
        errors: [{ messageId: 'regexp', line: 1, column: 33 }],
        output: `const pattern = new RegExp('^[a-z]+$');\nfunction ok(t: string) { return pattern.test(t); }\nexport function f(users: Array<{ name: string }>) { return users.filter((u) => ok(u.name)); }`,
      },
      {
        name: 'a function handed by name to map over data',
        code: `function fmt(n: number) { return new Intl.NumberFormat('de').format(n); }\nexport function f(orders: number[]) { return orders.map(fmt); }`,
        errors: [{ messageId: 'intl', line: 1, column: 34 }],
        output: `const numberFormat = new Intl.NumberFormat('de');\nfunction fmt(n: number) { return numberFormat.format(n); }\nexport function f(orders: number[]) { return orders.map(fmt); }`,
      },
      {
        name: 'a method called from a loop through this',
        code: `export class V { ok(t: string) { return new RegExp('^x').test(t); } all(users: string[]) { for (const u of users) this.ok(u); } }`,
        errors: [{ messageId: 'regexp', line: 1, column: 41 }],
        output: `const pattern = new RegExp('^x');\nexport class V { ok(t: string) { return pattern.test(t); } all(users: string[]) { for (const u of users) this.ok(u); } }`,
      },
      {
        name: 'a component render',
        code: `export function Price({ cents }: { cents: number }) { return <b>{new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(cents)}</b>; }`,
        filename: 'Price.tsx',
        errors: [{ messageId: 'intl', line: 1, column: 66 }],
        output: `const numberFormat = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });\nexport function Price({ cents }: { cents: number }) { return <b>{numberFormat.format(cents)}</b>; }`,
      },
    ],
  });
});

describe('construct-per-call stays quiet', () => {
  it.each([
    ['built once at module level', `const p = new Intl.NumberFormat('en');\nexport function f(n: number) { return p.format(n); }`],
    ['arguments from the call', `${express}app.get('/', (req, res) => res.send(new Intl.NumberFormat(String(req.query.l)).format(1)));`],
    ['a function nothing shows to be hot', `export function ok(t: string) { return new RegExp('^x').test(t); }`],
    [
      'called from a loop over a handful of items',
      `function ok(t: string) { return new RegExp('^x').test(t); }\nexport function f() { return ['a', 'b'].filter(ok); }`,
    ],
    ['a g regexp', `${express}app.get('/', (req, res) => res.send(String(req.url).replace(new RegExp('a', 'g'), 'b')));`],
    ['a regexp literal', `${express}app.get('/', (req, res) => res.send(/^a/.test(String(req.url))));`],
    [
      'inside a loop (invariant-in-loop reports it)',
      `export function f(users: string[]) { return users.map((u) => new RegExp('^x').test(u)); }`,
    ],
    [
      'kept (identity observable)',
      `${express}const all: RegExp[] = [];\napp.get('/', (req, res) => { all.push(new RegExp('x')); res.end(); });`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});

// A hook's callback with dependencies runs when they change (useMemo, useEffect), when called (useCallback)
// or once (useState's initialiser): not on every render of the component around it.
describe('construct-per-call in React hooks', () => {
  it.each([
    [
      'useMemo with deps (langfuse Dropzone)',
      `import { useMemo } from 'react';\nexport function Files({ src }: { src: File[] }) {\n  const label = useMemo(() => new Intl.ListFormat('en').format(src.map((file) => file.name)), [src]);\n  return <b>{label}</b>;\n}`,
    ],
    [
      'React.useMemo with deps, the formatter in a block body (JS)',
      `import React from 'react';\nexport const Price = ({ cents, locale }) => {\n  const label = React.useMemo(() => {\n    const f = new Intl.NumberFormat('en');\n    return f.format(cents);\n  }, [cents, locale]);\n  return <b>{label}</b>;\n};`,
    ],
    [
      'useCallback (runs when called, not per render)',
      `import { useCallback } from 'react';\nexport function List({ items }: { items: number[] }) {\n  const show = useCallback((n: number) => new Intl.NumberFormat('en').format(n), []);\n  return <ul>{items.length}{show(1)}</ul>;\n}`,
    ],
    [
      'useEffect with deps',
      `import { useEffect } from 'react';\nexport function Title({ n }: { n: number }) {\n  useEffect(() => { document.title = new Intl.NumberFormat('en').format(n); }, [n]);\n  return <i>{n}</i>;\n}`,
    ],
  ])('stays quiet: %s', (_name, code) => {
    tester.valid({ code, filename: 'Price.tsx' });
  });

  it('useMemo without deps runs on every render: reported', async () => {
    const [found] = await tester.invalid({
      code: `import { useMemo } from 'react';\nexport function Price({ cents }: { cents: number }) {\n  const label = useMemo(() => new Intl.NumberFormat('en').format(cents));\n  return <b>{label}</b>;\n}`,
      filename: 'Price.tsx',
      errors: [{ messageId: 'intl', line: 3, column: 31 }],
      output: `import { useMemo } from 'react';\nconst numberFormat = new Intl.NumberFormat('en');\nexport function Price({ cents }: { cents: number }) {\n  const label = useMemo(() => numberFormat.format(cents));\n  return <b>{label}</b>;\n}`,
    });
    expect(found.message).toContain('every render');
  });
});

describe('construct-per-call safe fix keeps behaviour', () => {
  it('hoists a literal-argument RegExp to module level', async () => {
    const before = `
function isSlug(text: string) {
  return new RegExp('^[a-z0-9]+(?:-[a-z0-9]+)*$', 'i').test(text);
}
export function run(posts: string[]) {
  return posts.filter((post) => isSlug(post));
}`;
    const after = applySafeFixes(before, rule);
    expect(after.trimStart().startsWith("const pattern = new RegExp('^[a-z0-9]+(?:-[a-z0-9]+)*$', 'i');")).toBe(true);
    await expectSameBehaviour(before, after, 'run', [[['a-b', 'A-B', '-x', '', 'ok1']], [[]]]);
  });

  it('hoists an Intl formatter used by a const in the function', async () => {
    const before = `
function fmt(cents: number) {
  const f = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  return f.format(cents / 100);
}
export function run(orders: number[]) {
  return orders.map(fmt);
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('const f = numberFormat;');
    await expectSameBehaviour(before, after, 'run', [[[0, 199, -5, 1e9]], [[]]]);
  });

  it('keeps imports first and the declaration after them', () => {
    const after = applySafeFixes(
      `import express from 'express';\nconst app = express();\napp.get('/', (req, res) => res.send(new Intl.PluralRules('en').select(1)));`,
      rule,
    );
    expect(after.indexOf('const pluralRules')).toBeGreaterThan(after.indexOf("from 'express'"));
    expect(after.indexOf('const pluralRules')).toBeLessThan(after.indexOf('const app'));
  });
});

describe('construct-per-call offers no safe fix when hoisting could change behaviour', () => {
  it.each([
    [
      'arguments that name module constants (order of initialisation)',
      `const L = 'en';\n${express}app.get('/', (req, res) => res.send(new Intl.NumberFormat(L).format(1)));`,
      [{ messageId: 'intl', line: 4, column: 37 }],
    ],
    [
      'an invalid pattern (module load would start throwing)',
      `${express}app.get('/', (req, res) => { try { res.send(new RegExp('(').test('x')); } catch { res.end(); } });`,
      [{ messageId: 'regexp', line: 3, column: 45 }],
    ],
    [
      'a DateTimeFormat without a time zone (it would freeze the zone at load time)',
      `${express}app.get('/', (req, res) => res.send(new Intl.DateTimeFormat('en').format(new Date())));`,
      [{ messageId: 'intl', line: 3, column: 37 }],
    ],
  ])('%s', async (_name, code, errors) => {
    // Without an `output`, the tester asserts that no fix is safe.
    await tester.invalid({ code, errors });
  });
});

describe('construct-per-call finds the calling loop however it is written', () => {
  const code = (loop: string) =>
    `function isSlug(text: string) { return new RegExp('^[a-z0-9-]+$').test(text); }\nexport function invalidPosts(posts: Array<{ slug: string }>) { const out: string[] = []; ${loop} if (!isSlug(post.slug)) out.push(post.slug); } return out; }`;
  it.each([
    ['a `while` taking `posts[i++]`', 'let i = 0; while (i < posts.length) { const post = posts[i++];'],
    ['a `?? []` header', 'for (const post of posts ?? []) {'],
  ])('%s', (_name, loop) => {
    expect(findings(code(loop), { rule }).map((f) => f.messageId)).toEqual(['regexp']);
  });
});
