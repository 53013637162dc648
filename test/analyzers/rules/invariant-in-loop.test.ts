import { describe, expect, it } from 'vitest';
import { applySafeFixes, findings } from '../../helpers/analyze';
import { expectSameBehaviour } from '../../helpers/behaviour';

const rule = 'invariant-in-loop';

function safeFixes(code: string, filename?: string) {
  return findings(code, { rule, filename })
    .flatMap((f) => f.fixes)
    .filter((fix) => fix.safe);
}

describe('invariant-in-loop reports', () => {
  it.each([
    [
      'new RegExp of a literal in for…of',
      `export function f(xs: string[]) { let n = 0; for (const x of xs) if (new RegExp('a+b', 'i').test(x)) n++; return n; }`,
    ],
    [
      'new RegExp of a module constant',
      `const SOURCE = '^\\\\d+$';\nexport function f(xs: string[]) { return xs.filter((x) => new RegExp(SOURCE).test(x)); }`,
    ],
    [
      'new RegExp of a parameter declared outside the loop',
      `export function f(xs: string[], term: string) { return xs.filter((x) => new RegExp(term, 'i').test(x)); }`,
    ],
    [
      'new RegExp of an escaped parameter (a call of invariant arguments)',
      `declare function escape(s: string): string;\nexport function f(xs: string[], term: string) { return xs.filter((x) => new RegExp(escape(term), 'i').test(x)); }`,
    ],
    [
      'new RegExp used by String#replace',
      `export function f(xs: string[]) { return xs.map((x) => x.replace(new RegExp('\\\\s+'), ' ')); }`,
    ],
    ['new Intl.NumberFormat in map', `export function f(xs: number[]) { return xs.map((x) => new Intl.NumberFormat('en-US').format(x)); }`],
    [
      'new Intl.DateTimeFormat with options in a while loop',
      `export function f(ds: Date[]) { const out: string[] = []; let i = 0; while (i < ds.length) { out.push(new Intl.DateTimeFormat('de', { dateStyle: 'short' }).format(ds[i++])); } return out; }`,
    ],
    [
      'new Intl.Collator inside a sort comparator',
      `export function f(xs: string[], locale: string) { return xs.sort((a, b) => new Intl.Collator(locale).compare(a, b)); }`,
    ],
    [
      'new Intl.PluralRules held by a const in the loop',
      `export function f(ns: number[]) { return ns.map((n) => { const rules = new Intl.PluralRules('en'); return rules.select(n); }); }`,
    ],
    [
      'JSON.parse of invariant text, only read',
      `const RAW = '{"a":1}';\nexport function f(xs: number[]) { return xs.map((x) => x + JSON.parse(RAW).a); }`,
    ],
    [
      'Object.keys(x).sort() of an unchanged object',
      `export function f(rows: Array<Record<string, unknown>>, schema: Record<string, string>) { return rows.map((r) => Object.keys(schema).sort().map((k) => String(r[k])).join(',')); }`,
    ],
    [
      'Object.entries(x).toSorted(cmp) with an inline comparator',
      `export function f(rows: number[], o: Record<string, number>) { return rows.map(() => Object.entries(o).toSorted((a, b) => a[1] - b[1])[0]); }`,
    ],
    [
      'a construction inside a sort comparator nested in a loop',
      `export function f(groups: string[][]) { for (const g of groups) g.sort((a, b) => new Intl.Collator('en').compare(a, b)); }`,
    ],
    [
      'JSON.parse of a parameter held by a const, only read',
      `export function f(xs: string[], raw: string) { let n = 0; for (const x of xs) { const cfg = JSON.parse(raw); if (cfg[x]) n++; } return n; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toHaveLength(1);
  });

  it('names the loop and the constructor', () => {
    const [finding] = findings(
      `export function f(prices: number[]) { return prices.map((p) => new Intl.NumberFormat('en-US').format(p)); }`,
      { rule },
    );
    expect(finding.message).toContain('Intl.NumberFormat');
    expect(finding.message).toContain('`prices`');
  });
});

describe('invariant-in-loop stays quiet', () => {
  it.each([
    ['a regular-expression literal', `export function f(xs: string[]) { return xs.filter((x) => /a+/i.test(x)); }`],
    [
      'a pattern built from the loop variable',
      `export function f(ws: string[], t: string) { return ws.filter((w) => new RegExp('\\\\b' + w).test(t)); }`,
    ],
    [
      'a pattern from a variable assigned in the loop',
      `export function f(ws: string[], t: string) { let p = ''; return ws.filter((w) => { p += w; return new RegExp(p).test(t); }); }`,
    ],
    ['a g flag (lastIndex is state)', `export function f(xs: string[]) { return xs.map((x) => new RegExp('\\\\d', 'g').exec(x)); }`],
    ['a y flag', `export function f(xs: string[]) { return xs.map((x) => new RegExp('a', 'y').test(x)); }`],
    ['unknown flags', `export function f(xs: string[], flags: string) { return xs.map((x) => new RegExp('a', flags).test(x)); }`],
    [
      'a copied RegExp object without flags (they come from the source)',
      `export function f(xs: string[], re: RegExp) { return xs.map((x) => new RegExp(re).test(x)); }`,
    ],
    ['a regexp literal with g copied', `export function f(xs: string[]) { return xs.map((x) => new RegExp(/a/g).test(x)); }`],
    ['JSON.parse of the loop item', `export function f(rows: string[]) { return rows.map((r) => JSON.parse(r)); }`],
    [
      'JSON.parse(JSON.stringify(x)) (a deep clone per pass)',
      `export function f(xs: number[], t: object) { return xs.map(() => JSON.parse(JSON.stringify(t))); }`,
    ],
    [
      'JSON.parse whose result is kept (a fresh copy is the point)',
      `const T = '{"tags":[]}';\nexport function f(xs: string[]) { return xs.map(() => JSON.parse(T)); }`,
    ],
    [
      'JSON.parse whose result is changed',
      `const T = '{"tags":[]}';\nexport function f(xs: string[]) { return xs.map((x) => { const d = JSON.parse(T); d.title = x; return d.title; }); }`,
    ],
    [
      'a regexp that escapes into an array',
      `export function f(xs: string[]) { const out: RegExp[] = []; for (const x of xs) out.push(new RegExp('a')); return out.length + xs.length; }`,
    ],
    ['a formatter stored per item', `export function f(xs: string[]) { return xs.map((x) => ({ x, fmt: new Intl.NumberFormat('en') })); }`],
    [
      'Object.keys(x).sort() of an object that gains keys in the loop',
      `export function f(names: string[]) { const seen: Record<string, number> = {}; return names.map((n) => { seen[n] = 1; return Object.keys(seen).sort().join(); }); }`,
    ],
    [
      'Object.keys(x).sort() with a comparator that reads the loop variable',
      `export function f(rows: string[], o: Record<string, number>) { return rows.map((r) => Object.keys(o).sort((a, b) => (a === r ? -1 : b === r ? 1 : 0))[0]); }`,
    ],
    [
      'sorted keys that are kept (pushed per pass)',
      `export function f(rows: string[], o: object) { const all: string[][] = []; for (const r of rows) all.push(Object.keys(o).sort()); return all.length + rows.length; }`,
    ],
    [
      'built on the pass that then returns (once per call)',
      `const UNITS: Record<string, number> = { day: 86400, hour: 3600 };\nexport function f(s: number, locale: string) { for (const u in UNITS) { if (s > UNITS[u]) { const r = new Intl.RelativeTimeFormat(locale); return r.format(s, u as Intl.RelativeTimeFormatUnit); } } return ''; }`,
    ],
    [
      'in a test file',
      {
        code: `export function f(xs: number[]) { return xs.map((x) => new Intl.NumberFormat('en-US').format(x)); }`,
        filename: 'money.test.ts',
      },
    ],
    ['a construction outside any loop', `export function f(x: number) { return new Intl.NumberFormat('en').format(x); }`],
    [
      'a shadowed RegExp',
      `export function f(xs: string[], RegExp: new (s: string) => { test(x: string): boolean }) { return xs.filter((x) => new RegExp('a').test(x)); }`,
    ],
    [
      'a shadowed JSON',
      `export function f(xs: string[], JSON: { parse(s: string): { a: number } }) { return xs.map(() => JSON.parse('1').a); }`,
    ],
    [
      'a use before the declaration (TDZ)',
      `export function f(xs: string[]) { return xs.map((x) => { const g = () => re.test(x); const re = new RegExp('a'); return g(); }); }`,
    ],
    [
      'lastIndex written on the regexp',
      `export function f(xs: string[]) { return xs.map((x) => { const re = new RegExp('a'); re.lastIndex = 0; return re.test(x); }); }`,
    ],
  ])('%s', (_name, input) => {
    const { code, filename } = typeof input === 'string' ? { code: input, filename: undefined } : input;
    expect(findings(code, { rule, filename })).toEqual([]);
  });

  it('does not throw on broken syntax', () => {
    expect(() => findings(`export function f(xs) { for (const x of xs) new RegExp('a', `, { rule, syntaxErrors: 'analyze' })).not.toThrow();
    expect(() => findings(`xs.map(x => new Intl.(x)); JSON.parse(`, { rule, syntaxErrors: 'analyze' })).not.toThrow();
  });
});

describe('invariant-in-loop safe fix keeps behaviour', () => {
  it('Intl.NumberFormat hoisted out of map (NaN, -0, empty input)', async () => {
    const before = `
export function run(amounts: number[]) {
  return amounts.map((amount) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount));
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain("const numberFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });");
    await expectSameBehaviour(before, after, 'run', [[[1, 2.5, -0, NaN, 1e21]], [[]], [[0, 0]]]);
  });

  it('a RegExp const declared in the loop moves before it', async () => {
    const before = `
export function run(lines: string[]) {
  let count = 0;
  for (const line of lines) {
    const pattern = new RegExp('^\\\\s*(error|fatal):', 'i');
    if (pattern.test(line)) count++;
    log.push(pattern.exec(line)?.[1] ?? null);
  }
  return count;
}`;
    const after = applySafeFixes(before, rule);
    expect(after.indexOf('const pattern')).toBeLessThan(after.indexOf('for (const line'));
    expect(after.match(/new RegExp/g)).toHaveLength(1);
    await expectSameBehaviour(before, after, 'run', [[['error: x', ' FATAL: y', 'ok', 'errors']], [[]], [['']]]);
  });

  it('a RegExp passed to String#replace / split / match / search', async () => {
    const before = `
export function run(rows: string[]) {
  const out: unknown[] = [];
  for (const row of rows) {
    out.push(row.replace(new RegExp('\\\\s+'), '_'), row.split(new RegExp(',\\\\s*')), row.match(new RegExp('(\\\\d+)')), row.search(new RegExp('x', 'i')));
  }
  return out;
}`;
    const after = applySafeFixes(before, rule);
    expect(after.match(/new RegExp/g)).toHaveLength(4);
    expect(after).not.toMatch(/row\.replace\(new RegExp/);
    await expectSameBehaviour(before, after, 'run', [[['a  b, c,d 12 X', '', 'xx 3']], [[]]]);
  });

  it('Intl.Collator compare handed to sort, in a nested loop, hoisted out of both', async () => {
    const before = `
export function run(groups: string[][]) {
  const out: string[][] = [];
  for (const group of groups) {
    out.push([...group].sort(new Intl.Collator('de', { sensitivity: 'base' }).compare));
  }
  return out;
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('.sort(collator.compare)');
    await expectSameBehaviour(before, after, 'run', [[[['b', 'ä', 'a', 'Z'], []]], [[]], [[['x']]]]);
  });

  it('a module-level constant pattern', async () => {
    const before = `
const WORD = '[a-z]+';
const FLAGS = 'iu';
export function run(xs: string[]) {
  return xs.map((x) => new RegExp('^' + WORD + '$', FLAGS).test(x));
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain("const pattern = new RegExp('^' + WORD + '$', FLAGS);");
    await expectSameBehaviour(before, after, 'run', [[['abc', 'ABC', 'a1', '']], [[]]]);
  });
});

describe('invariant-in-loop offers no safe fix when hoisting could change behaviour', () => {
  it.each([
    [
      'a pattern from a parameter (an invalid one would throw before a loop that runs zero times)',
      `export function f(xs: string[], term: string) { return xs.filter((x) => new RegExp(term, 'i').test(x)); }`,
    ],
    ['an invalid literal pattern', `export function f(xs: string[]) { return xs.filter((x) => new RegExp('(', 'i').test(x)); }`],
    ['an invalid locale', `export function f(xs: number[]) { return xs.map((x) => new Intl.NumberFormat('not a locale!').format(x)); }`],
    [
      'a locale from a parameter',
      `export function f(xs: number[], locale: string) { return xs.map((x) => new Intl.NumberFormat(locale).format(x)); }`,
    ],
    [
      'options that a reference could change',
      `const OPTS = { style: 'percent' };\nexport function tweak() { OPTS.style = 'decimal'; }\nexport function f(xs: number[]) { return xs.map((x) => new Intl.NumberFormat('en', OPTS as Intl.NumberFormatOptions).format(x)); }`,
    ],
    [
      'Object.keys(x).sort() (the object may change through another reference)',
      `export function f(rows: string[], o: object) { return rows.map(() => Object.keys(o).sort().join()); }`,
    ],
    [
      'JSON.parse (one shared object)',
      `const RAW = '{"a":1}';\nexport function f(xs: number[]) { return xs.map((x) => x + JSON.parse(RAW).a); }`,
    ],
    [
      'replace on a receiver not known to be a string',
      `export function f(xs: Array<{ replace(r: RegExp, s: string): string }>) { return xs.map((x) => x.replace(new RegExp('a'), 'b')); }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toHaveLength(1);
    expect(safeFixes(code)).toEqual([]);
  });

  it('offers the hoist as a suggestion, saying why', () => {
    const [finding] = findings(
      `export function f(xs: string[], term: string) { return xs.filter((x) => new RegExp(term, 'i').test(x)); }`,
      { rule },
    );
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].title).toMatch(/zero times/);
  });
});
