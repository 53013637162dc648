import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings } from '../../helpers/analyze';
import { run as runCode } from '../../helpers/behaviour';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'invariant-in-loop';
const tester = ruleTester(rule);

describe('invariant-in-loop reports', () => {
  tester.run({
    invalid: [
      {
        name: 'new RegExp of a literal in for…of',
        code: `export function f(xs: string[]) { let n = 0; for (const x of xs) if (new RegExp('a+b', 'i').test(x)) n++; return n; }`,
        errors: [{ messageId: 'regexp', line: 1, column: 70 }],
        output: `export function f(xs: string[]) { let n = 0; const pattern = new RegExp('a+b', 'i');\nfor (const x of xs) if (pattern.test(x)) n++; return n; }`,
      },
      {
        name: 'new RegExp of a module constant',
        code: `const SOURCE = '^\\\\d+$';\nexport function f(xs: string[]) { return xs.filter((x) => new RegExp(SOURCE).test(x)); }`,
        errors: [{ messageId: 'regexp', line: 2, column: 59 }],
        output: `const SOURCE = '^\\\\d+$';\nexport function f(xs: string[]) { const pattern = new RegExp(SOURCE);\nreturn xs.filter((x) => pattern.test(x)); }`,
      },
      {
        name: 'new RegExp of a parameter declared outside the loop',
        code: `export function f(xs: string[], term: string) { return xs.filter((x) => new RegExp(term, 'i').test(x)); }`,
        errors: [{ messageId: 'regexp', line: 1, column: 73 }],
        output: `export function f(xs: string[], term: string) { let pattern: RegExp | undefined;\nreturn xs.filter((x) => (pattern ??= new RegExp(term, 'i')).test(x)); }`,
      },
      {
        name: 'new RegExp of an escaped parameter (a call of invariant arguments)',
        code: `declare function escape(s: string): string;\nexport function f(xs: string[], term: string) { return xs.filter((x) => new RegExp(escape(term), 'i').test(x)); }`,
        errors: [{ messageId: 'regexp', line: 2, column: 73 }],
      },
      {
        name: 'new RegExp used by String#replace',
        code: `export function f(xs: string[]) { return xs.map((x) => x.replace(new RegExp('\\\\s+'), ' ')); }`,
        errors: [{ messageId: 'regexp', line: 1, column: 66 }],
        output: `export function f(xs: string[]) { const pattern = new RegExp('\\\\s+');\nreturn xs.map((x) => x.replace(pattern, ' ')); }`,
      },
      {
        name: 'new Intl.NumberFormat in map',
        code: `export function f(xs: number[]) { return xs.map((x) => new Intl.NumberFormat('en-US').format(x)); }`,
        errors: [{ messageId: 'intl', line: 1, column: 56 }],
        output: `export function f(xs: number[]) { const numberFormat = new Intl.NumberFormat('en-US');\nreturn xs.map((x) => numberFormat.format(x)); }`,
      },
      {
        name: 'new Intl.DateTimeFormat with options in a while loop',
        code: `export function f(ds: Date[]) { const out: string[] = []; let i = 0; while (i < ds.length) { out.push(new Intl.DateTimeFormat('de', { dateStyle: 'short' }).format(ds[i++])); } return out; }`,
        errors: [{ messageId: 'intl', line: 1, column: 103 }],
        output: `export function f(ds: Date[]) { const out: string[] = []; let i = 0; const dateTimeFormat = new Intl.DateTimeFormat('de', { dateStyle: 'short' });\nwhile (i < ds.length) { out.push(dateTimeFormat.format(ds[i++])); } return out; }`,
      },
      {
        name: 'new Intl.Collator inside a sort comparator',
        code: `export function f(xs: string[], locale: string) { return xs.sort((a, b) => new Intl.Collator(locale).compare(a, b)); }`,
        errors: [{ messageId: 'intl', line: 1, column: 76 }],
        output: `export function f(xs: string[], locale: string) { let collator: Intl.Collator | undefined;\nreturn xs.sort((a, b) => (collator ??= new Intl.Collator(locale)).compare(a, b)); }`,
      },
      {
        name: 'new Intl.PluralRules held by a const in the loop',
        code: `export function f(ns: number[]) { return ns.map((n) => { const rules = new Intl.PluralRules('en'); return rules.select(n); }); }`,
        errors: [{ messageId: 'intl', line: 1, column: 72 }],
        // The declaration leaves its line, and the space before it stays.
        output: `export function f(ns: number[]) { const rules = new Intl.PluralRules('en');\nreturn ns.map((n) => {  return rules.select(n); }); }`,
      },
      {
        name: 'JSON.parse of invariant text, only read',
        code: `const RAW = '{"a":1}';\nexport function f(xs: number[]) { return xs.map((x) => x + JSON.parse(RAW).a); }`,
        errors: [{ messageId: 'json', line: 2, column: 60 }],
      },
      {
        name: 'Object.keys(x).sort() of an unchanged object',
        code: `export function f(rows: Array<Record<string, unknown>>, schema: Record<string, string>) { return rows.map((r) => Object.keys(schema).sort().map((k) => String(r[k])).join(',')); }`,
        errors: [{ messageId: 'keys', line: 1, column: 114 }],
      },
      {
        name: 'Object.entries(x).toSorted(cmp) with an inline comparator',
        code: `export function f(rows: number[], o: Record<string, number>) { return rows.map(() => Object.entries(o).toSorted((a, b) => a[1] - b[1])[0]); }`,
        errors: [{ messageId: 'keys', line: 1, column: 86 }],
      },
      {
        name: 'a construction inside a sort comparator nested in a loop',
        code: `export function f(groups: string[][]) { for (const g of groups) g.sort((a, b) => new Intl.Collator('en').compare(a, b)); }`,
        errors: [{ messageId: 'intl', line: 1, column: 82 }],
        output: `export function f(groups: string[][]) { const collator = new Intl.Collator('en');\nfor (const g of groups) g.sort((a, b) => collator.compare(a, b)); }`,
      },
      {
        name: 'JSON.parse of a parameter held by a const, only read',
        code: `export function f(xs: string[], raw: string) { let n = 0; for (const x of xs) { const cfg = JSON.parse(raw); if (cfg[x]) n++; } return n; }`,
        errors: [{ messageId: 'json', line: 1, column: 93 }],
      },
    ],
  });

  it('names the loop and the constructor', async () => {
    const [finding] = await tester.invalid({
      code: `export function f(prices: number[]) { return prices.map((p) => new Intl.NumberFormat('en-US').format(p)); }`,
      errors: [{ messageId: 'intl', line: 1, column: 64 }],
      output: `export function f(prices: number[]) { const numberFormat = new Intl.NumberFormat('en-US');\nreturn prices.map((p) => numberFormat.format(p)); }`,
    });
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
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'intl', line: 3, column: 34 }],
      output: before.replace(
        "  return amounts.map((amount) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount));",
        "  const numberFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });\n  return amounts.map((amount) => numberFormat.format(amount));",
      ),
      sameBehaviour: { entry: 'run', inputs: [[[1, 2.5, -0, NaN, 1e21]], [[]], [[0, 0]]] },
    });
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
    const declaration = "const pattern = new RegExp('^\\\\s*(error|fatal):', 'i');";
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'regexp', line: 5, column: 21 }],
      output: before.replace(`    ${declaration}\n`, '').replace('  for (const line', `  ${declaration}\n  for (const line`),
      sameBehaviour: { entry: 'run', inputs: [[['error: x', ' FATAL: y', 'ok', 'errors']], [[]], [['']]] },
    });
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
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'regexp', line: 5, column: 26 },
        { messageId: 'regexp', line: 5, column: 62 },
        { messageId: 'regexp', line: 5, column: 94 },
        { messageId: 'regexp', line: 5, column: 128 },
      ],
      output: before
        .replace(
          '  for (const row of rows) {',
          "  const pattern = new RegExp('\\\\s+');\n  const pattern2 = new RegExp(',\\\\s*');\n  const pattern3 = new RegExp('(\\\\d+)');\n  const pattern4 = new RegExp('x', 'i');\n  for (const row of rows) {",
        )
        .replace(
          "row.replace(new RegExp('\\\\s+'), '_'), row.split(new RegExp(',\\\\s*')), row.match(new RegExp('(\\\\d+)')), row.search(new RegExp('x', 'i'))",
          "row.replace(pattern, '_'), row.split(pattern2), row.match(pattern3), row.search(pattern4)",
        ),
      sameBehaviour: { entry: 'run', inputs: [[['a  b, c,d 12 X', '', 'xx 3']], [[]]] },
    });
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
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'intl', line: 5, column: 30 }],
      output: before
        .replace(
          '  for (const group of groups) {',
          "  const collator = new Intl.Collator('de', { sensitivity: 'base' });\n  for (const group of groups) {",
        )
        .replace(".sort(new Intl.Collator('de', { sensitivity: 'base' }).compare)", '.sort(collator.compare)'),
      sameBehaviour: { entry: 'run', inputs: [[[['b', 'ä', 'a', 'Z'], []]], [[]], [[['x']]]] },
    });
  });

  it('a module-level constant pattern', async () => {
    const before = `
const WORD = '[a-z]+';
const FLAGS = 'iu';
export function run(xs: string[]) {
  return xs.map((x) => new RegExp('^' + WORD + '$', FLAGS).test(x));
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'regexp', line: 5, column: 24 }],
      output: before.replace(
        "  return xs.map((x) => new RegExp('^' + WORD + '$', FLAGS).test(x));",
        // `$$` is a literal `$` in a replacement string.
        "  const pattern = new RegExp('^' + WORD + '$$', FLAGS);\n  return xs.map((x) => pattern.test(x));",
      ),
      sameBehaviour: { entry: 'run', inputs: [[['abc', 'ABC', 'a1', '']], [[]]] },
    });
  });
});

describe('invariant-in-loop offers no safe fix when hoisting could change behaviour', () => {
  it.each([
    [
      'options that a reference could change',
      `const OPTS = { style: 'percent' };\nexport function tweak() { OPTS.style = 'decimal'; }\nexport function f(xs: number[]) { return xs.map((x) => new Intl.NumberFormat('en', OPTS as Intl.NumberFormatOptions).format(x)); }`,
      [{ messageId: 'intl', line: 3, column: 56 }],
    ],
    [
      'Object.keys(x).sort() (the object may change through another reference)',
      `export function f(rows: string[], o: object) { return rows.map(() => Object.keys(o).sort().join()); }`,
      [{ messageId: 'keys', line: 1, column: 70 }],
    ],
    [
      'JSON.parse (one shared object)',
      `const RAW = '{"a":1}';\nexport function f(xs: number[]) { return xs.map((x) => x + JSON.parse(RAW).a); }`,
      [{ messageId: 'json', line: 2, column: 60 }],
    ],
    [
      'replace on a receiver not known to be a string',
      `export function f(xs: Array<{ replace(r: RegExp, s: string): string }>) { return xs.map((x) => x.replace(new RegExp('a'), 'b')); }`,
      [{ messageId: 'regexp', line: 1, column: 106 }],
    ],
  ])('%s', async (_name, code, errors) => {
    // Without an `output`, the tester asserts that no fix is safe.
    await tester.invalid({ code, errors });
  });

  it('offers the lazy form as a suggestion, saying why, when an argument is read through a property', async () => {
    const [finding] = await tester.invalid({
      code: `export function f(xs: string[], search: { term: string }) { return xs.filter((x) => new RegExp(search.term, 'i').test(x)); }`,
      errors: [{ messageId: 'regexp', line: 1, column: 85 }],
    });
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].title).toMatch(/its arguments are then read once, on the first pass/);
  });
});

describe('invariant-in-loop builds a construction of changing inputs lazily, on the first pass (safe)', () => {
  it('a pattern from a parameter: nothing is built for zero passes, an invalid one throws on the first pass', async () => {
    const before = `export function run(xs: string[], term: string) {
  return xs.filter((x) => new RegExp(term, 'i').test(x));
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'regexp', line: 2, column: 27 }],
      output: `export function run(xs: string[], term: string) {
  let pattern: RegExp | undefined;
  return xs.filter((x) => (pattern ??= new RegExp(term, 'i')).test(x));
}`,
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [['Apple', 'pear', 'APPLE pie'], 'apple'],
          [[], '('],
          [['a'], '('],
          [['a', 'b'], ''],
        ],
      },
    });
  });

  it('an invalid literal pattern, an invalid locale: thrown on the first pass as before, and again on the next pass that catches it', async () => {
    const before = `export function run(xs: string[]) {
  const out: string[] = [];
  for (const x of xs) {
    try {
      out.push(String(new RegExp('(', 'i').test(x)) + new Intl.NumberFormat('not a locale!').format(x.length));
    } catch (error) {
      out.push((error as Error).name);
    }
  }
  return out;
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'regexp', line: 5, column: 23 },
        { messageId: 'intl', line: 5, column: 55 },
      ],
      output: `export function run(xs: string[]) {
  const out: string[] = [];
  let pattern: RegExp | undefined;
  let numberFormat: Intl.NumberFormat | undefined;
  for (const x of xs) {
    try {
      out.push(String((pattern ??= new RegExp('(', 'i')).test(x)) + (numberFormat ??= new Intl.NumberFormat('not a locale!')).format(x.length));
    } catch (error) {
      out.push((error as Error).name);
    }
  }
  return out;
}`,
      sameBehaviour: { entry: 'run', inputs: [[[]], [['a', 'b', 'c']]] },
    });
  });

  it('the demo: a const in a filter callback becomes a local of the function, and a pure helper of the file is called once', async () => {
    const before = `function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\$&');
}
export function run(names: string[], query: string) {
  return names.filter((name) => {
    const pattern = new RegExp(escapeRegExp(query), 'i');
    return pattern.test(name) || pattern.test(name.toUpperCase());
  });
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'regexp', line: 6, column: 21 }],
      output: `function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\$&');
}
export function run(names: string[], query: string) {
  let pattern: RegExp | undefined;
  return names.filter((name) => {
    pattern ??= new RegExp(escapeRegExp(query), 'i');
    return pattern.test(name) || pattern.test(name.toUpperCase());
  });
}`,
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [['a.b', 'axb', 'A.B'], 'a.b'],
          [[], '('],
          [['(x)', 'x'], '(x'],
        ],
      },
    });
  });

  it('a formatter of a locale and a currency from parameters, held by a const in a for…of; a Collator handed to a comparator', async () => {
    const before = `export function run(rows: number[], currency: string, locale = 'en-US') {
  const lines: string[] = [];
  for (const row of rows) {
    const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
    lines.push(money.format(row));
  }
  return lines.sort((a, b) => new Intl.Collator(locale).compare(a, b));
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'intl', line: 4, column: 19 },
        { messageId: 'intl', line: 7, column: 31 },
      ],
      output: `export function run(rows: number[], currency: string, locale = 'en-US') {
  const lines: string[] = [];
  let money: Intl.NumberFormat | undefined;
  for (const row of rows) {
    money ??= new Intl.NumberFormat(locale, { style: 'currency', currency });
    lines.push(money.format(row));
  }
  let collator: Intl.Collator | undefined;
  return lines.sort((a, b) => (collator ??= new Intl.Collator(locale)).compare(a, b));
}`,
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [[1.5, 20, 3], 'EUR', 'de-DE'],
          [[], 'not a currency'],
          [[1], 'not a currency'],
          [[2, 1], 'USD', 'not a locale!'],
        ],
      },
    });
  });

  it('a const used in a callback inside the loop keeps its name and gets its value from the lazy local (TypeScript does not narrow a local inside a callback)', async () => {
    const before = `export function run(groups: string[][], term: string) {
  return groups.map((group) => {
    const pattern = new RegExp(term, 'i');
    return group.filter((word) => pattern.test(word));
  });
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'regexp', line: 3, column: 21 }],
      output: `export function run(groups: string[][], term: string) {
  let pattern2: RegExp | undefined;
  return groups.map((group) => {
    const pattern = (pattern2 ??= new RegExp(term, 'i'));
    return group.filter((word) => pattern.test(word));
  });
}`,
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [[['Ab', 'c'], ['AB']], 'ab'],
          [[], '('],
          [[[]], '('],
        ],
      },
    });
  });

  it('plain JavaScript: the same lazy form without a type (a suggestion: without types the arguments may be objects)', async () => {
    const [finding] = await tester.invalid({
      filename: 'src/search.js',
      code: `export function run(xs, term) {
  return xs.filter((x) => new RegExp(term, 'i').test(x));
}`,
      errors: [{ messageId: 'regexp', line: 2, column: 27 }],
    });
    expect(finding.fixes[0].safe).toBe(false);
    expect(
      applyFixes(
        `export function run(xs, term) {
  return xs.filter((x) => new RegExp(term, 'i').test(x));
}`,
        finding.fixes,
      ).text,
    ).toBe(`export function run(xs, term) {
  let pattern;
  return xs.filter((x) => (pattern ??= new RegExp(term, 'i')).test(x));
}`);
  });

  it('why an argument that is an object is only a suggestion: its toString runs once instead of once per pass', async () => {
    const before = `export function run(xs: string[], term: { toString(): string }) {
  return xs.filter((x) => new RegExp(term as unknown as string, 'i').test(x));
}`;
    const [finding] = await tester.invalid({ code: before, errors: [{ messageId: 'regexp', line: 2, column: 27 }] });
    const term = `{ toString() { log.push("toString"); return "a"; } }`;
    const caller = `\nexport function main(xs: string[]) { return run(xs, ${term}); }`;
    const after = applyFixes(before, finding.fixes).text;
    expect((await runCode(before + caller, 'main', [['a', 'b', 'A']])).log).toHaveLength(3);
    expect((await runCode(after + caller, 'main', [['a', 'b', 'A']])).log).toHaveLength(1);
  });
});
