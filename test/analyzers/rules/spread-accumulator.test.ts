import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { applySafeFixes, findings, shownText } from '../../helpers/analyze';
import { expectSameBehaviour, run } from '../../helpers/behaviour';

const rule = 'spread-accumulator';

function safeFixes(code: string, filename?: string) {
  return findings(code, { rule, filename })
    .flatMap((f) => f.fixes)
    .filter((fix) => fix.safe);
}

describe('spread-accumulator reports', () => {
  it.each([
    ['array spread in reduce', `export const f = (items: number[]) => items.reduce((acc, x) => [...acc, x * 2], [] as number[]);`],
    ['array spread in reduceRight', `export const f = (items: number[]) => items.reduceRight((acc, x) => [...acc, x], [] as number[]);`],
    ['prepending spread in reduce', `export const f = (items: number[]) => items.reduce((acc, x) => [x, ...acc], [] as number[]);`],
    [
      'object spread with a computed key',
      `export const f = (items: Array<{ id: string }>) => items.reduce((acc, x) => ({ ...acc, [x.id]: x }), {});`,
    ],
    [
      'object spread in a block-bodied reduce',
      `export function f(items: string[]) { return items.reduce(function (acc: Record<string, number>, x) { return { ...acc, [x]: x.length }; }, {}); }`,
    ],
    ['concat in reduce', `export const f = (items: number[][]) => items.reduce((acc: number[], x) => acc.concat(x), []);`],
    ['Object.assign copy in reduce', `export const f = (items: object[]) => items.reduce((acc, x) => Object.assign({}, acc, x), {});`],
    [
      'array spread assigned back in for…of',
      `export function f(items: number[]) { let out: number[] = []; for (const x of items) out = [...out, x]; return out; }`,
    ],
    [
      'object spread assigned back in a while loop',
      `export function f(n: number) { let entries: Record<string, number> = {}; let i = 0; while (i < n) { entries = { ...entries, ['k' + i]: i }; i++; } return entries; }`,
    ],
    [
      'concat assigned back in forEach',
      `export function f(items: number[][]) { let out: number[] = []; items.forEach((x) => { out = out.concat(x); }); return out; }`,
    ],
    [
      'Object.assign copy assigned back in a loop',
      `export function f(items: object[]) { let o = {}; for (const x of items) o = Object.assign({}, o, x); return o; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toHaveLength(1);
  });

  it('names the growing list inside a fixed-key accumulator', () => {
    const [finding] = findings(
      `export function f(elements: Array<{ arrow: boolean }>) { return elements.reduce((acc, e) => (e.arrow ? { ...acc, arrows: acc.arrows.concat(e) } : { ...acc, rest: [...acc.rest, e] }), { arrows: [] as unknown[], rest: [] as unknown[] }); }`,
      { rule },
    );
    expect(shownText(finding)).toContain('`acc.arrows`');
    expect(shownText(finding)).toContain('push');
  });

  it('says what is copied and how to mutate instead', () => {
    const [finding] = findings(`export const f = (items: number[]) => items.reduce((acc, x) => [...acc, x], [] as number[]);`, { rule });
    expect(shownText(finding)).toContain('`[...acc, …]`');
    expect(shownText(finding)).toContain('O(n²)');
    expect(shownText(finding)).toContain('acc.push');
  });
});

describe('spread-accumulator stays quiet', () => {
  it.each([
    ['a single spread outside any loop', `export const f = (o: object) => ({ ...DEFAULTS, ...o });\nconst DEFAULTS = { a: 1 };`],
    [
      'a spread of the item, not the accumulator (map)',
      `export const f = (items: Array<{ a: number }>) => items.map((x, i) => ({ ...x, i }));`,
    ],
    [
      'a spread of another object into a pushed copy',
      `export function f(items: object[], base: object) { const out: object[] = []; for (const x of items) out.push({ ...base, ...x }); return out; }`,
    ],
    ['already mutating', `export const f = (items: number[]) => items.reduce((acc: number[], x) => { acc.push(x); return acc; }, []);`],
    ['string += in a loop', `export function f(items: string[]) { let s = ''; for (const x of items) s += x; return s; }`],
    ['String#concat in a loop', `export function f(items: string[]) { let s = ''; for (const x of items) s = s.concat(x); return s; }`],
    [
      'an accumulator declared inside the loop (fresh per pass)',
      `export function f(items: number[][]) { const out: number[][] = []; for (const x of items) { let row: number[] = []; row = [...row, ...x]; out.push(row); } return out; }`,
    ],
    [
      'a copy assigned to another name',
      `export function f(items: number[]) { let a: number[] = []; let b: number[] = []; for (const x of items) { b = [...a, x]; } return b; }`,
    ],
    [
      'a spread in a reduce callback that is not the returned value',
      `export const f = (items: number[]) => items.reduce((acc: number[], x) => { const copy = [...acc]; copy.sort(); return acc; }, []);`,
    ],
    ['spreading the accumulator into a call', `export const f = (items: number[]) => items.reduce((acc, x) => Math.max(...[acc, x]), 0);`],
    [
      'a reduce over a handful of things (plugins)',
      `export const f = (plugins: Array<{ rules: string[] }>) => plugins.reduce((acc: string[], p) => [...acc, ...p.rules], []);`,
    ],
    [
      'a reduce over a list with no sign of size',
      `export const f = (list: number[]) => list.reduce((acc: number[], x) => [...acc, x], []);`,
    ],
    [
      'a spread of a parameter that is not the accumulator',
      `export const f = (items: number[], ys: number[]) => items.reduce((acc: number[], x) => [...ys, x], []);`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });

  it('does not throw on broken syntax', () => {
    expect(() =>
      findings(`export const f = (items) => items.reduce((acc, x) => [...acc, , [], {`, { rule, syntaxErrors: 'analyze' }),
    ).not.toThrow();
    expect(() => findings(`let a = []; for (const x of) a = [...a`, { rule, syntaxErrors: 'analyze' })).not.toThrow();
  });
});

describe('spread-accumulator safe fix keeps behaviour', () => {
  it('array: push onto a fresh accumulator (duplicates, empty input, several elements)', async () => {
    const before = `
export function run(users: Array<{ id: string; n: number }>) {
  return users.reduce((acc, u) => [...acc, u.id, u.n], [] as Array<string | number>);
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('(acc.push(u.id, u.n), acc)');
    await expectSameBehaviour(before, after, 'run', [
      [
        [
          { id: 'a', n: 1 },
          { id: 'a', n: 1 },
          { id: 'b', n: NaN },
        ],
      ],
      [[]],
      [[{ id: '', n: -0 }]],
    ]);
  });

  it('array: a non-empty fresh initial value, reduceRight and an initial element order', async () => {
    const before = `
export function run(items: number[]) {
  return items.reduceRight((acc, x) => [...acc, x * 2], [0, -1]);
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('(acc.push(x * 2), acc)');
    await expectSameBehaviour(before, after, 'run', [[[1, 2, 3]], [[]], [[5, 5]]]);
  });

  it('object: plain and string keys keep their order (integer-like keys first, repeated keys keep their place)', async () => {
    const before = `
export function run(rows: Array<[string, number]>) {
  return rows.reduce((acc: Record<string, unknown>, [k, v]) => ({ ...acc, last: k, '10': v, count: v + 1, 'a-b': k + v, 2: 'two' }), { first: true });
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain("(acc.last = k, acc['10'] = v, acc.count = v + 1, acc['a-b'] = k + v, acc[2] = 'two', acc)");
    await expectSameBehaviour(before, after, 'run', [
      [
        [
          ['x', 1],
          ['y', 2],
          ['x', 3],
        ],
      ],
      [[]],
      [[['', 0]]],
    ]);
    // Key order, not only values (isDeepStrictEqual ignores the order of keys).
    const keys = async (code: string) =>
      Object.keys(
        (
          (await run(code, 'run', [
            [
              ['x', 1],
              ['y', 2],
            ],
          ])) as { value: object }
        ).value,
      );
    expect(await keys(after)).toEqual(await keys(before));
  });

  it('passthrough branches and a block body with several returns', async () => {
    const before = `
export function run(words: string[]) {
  return words.reduce(function (acc: string[], w) {
    if (w.length === 0) return acc;
    if (w.startsWith('#')) {
      log.push('skip ' + w);
      return acc;
    }
    return w === w.toUpperCase() ? [...acc, w.toLowerCase()] : [...acc, w];
  }, []);
}`;
    const after = applySafeFixes(before, rule);
    expect(after).not.toContain('...acc');
    await expectSameBehaviour(before, after, 'run', [[['a', '', '#x', 'B', 'a']], [[]], [['#', '#']]]);
  });

  it('errors thrown by an element expression still propagate the same way', async () => {
    const before = `
export function run(items: Array<{ v?: { n: number } }>) {
  return items.reduce((acc, x) => [...acc, x.v!.n], [] as number[]);
}`;
    const after = applySafeFixes(before, rule);
    await expectSameBehaviour(before, after, 'run', [[[{ v: { n: 1 } }, {}]], [[{ v: { n: 2 } }]]]);
  });

  it('plain JavaScript: no type needed for object keys', async () => {
    const before = `
export function run(entries) {
  return entries.map((p) => p).reduce((acc, p) => ({ ...acc, key: p[0], value: p[1] }), {});
}`;
    const after = applySafeFixes(before, rule, 'example.js');
    expect(after).toContain('(acc.key = p[0], acc.value = p[1], acc)');
    await expectSameBehaviour(before, after, 'run', [
      [
        [
          ['a', 1],
          ['b', 2],
        ],
      ],
      [[]],
    ]);
  });
});

describe('spread-accumulator offers no safe fix when mutation could be observed', () => {
  it.each([
    [
      'a computed key (__proto__ would set the prototype)',
      `export const f = (items: Array<{ id: string }>) => items.reduce((acc: Record<string, unknown>, x) => ({ ...acc, [x.id]: x }), {});`,
    ],
    [
      'a key Object.prototype has',
      `export const f = (items: string[]) => items.reduce((acc: Record<string, string>, x) => ({ ...acc, toString: x }), {});`,
    ],
    [
      'a shared initial value',
      `const EMPTY: number[] = [];\nexport const f = (items: number[]) => items.reduce((acc, x) => [...acc, x], EMPTY);`,
    ],
    ['no initial value', `export const f = (items: number[][]) => items.reduce((acc, x) => [...acc, ...x]);`],
    [
      'the accumulator read elsewhere',
      `export const f = (items: number[]) => items.reduce((acc, x) => [...acc, acc.length + x], [] as number[]);`,
    ],
    [
      'the accumulator kept by a closure',
      `export const f = (items: number[], keep: Array<() => number[]>) => items.reduce((acc, x) => { keep.push(() => acc); return [...acc, x]; }, [] as number[]);`,
    ],
    [
      'a spread of another array among the new elements',
      `export const f = (items: number[][]) => items.reduce((acc, x) => [...acc, ...x], [] as number[]);`,
    ],
    [
      'a path that returns something else',
      `export const f = (items: number[]) => items.reduce((acc, x) => (x > 0 ? [...acc, x] : []), [] as number[]);`,
    ],
    [
      'an async callback',
      `export const f = (items: number[]) => items.reduce(async (acc, x) => [...(await acc), x], Promise.resolve([] as number[]));`,
    ],
    [
      'a receiver not known to be an array (custom reduce)',
      `declare const tree: { reduce<T>(cb: (acc: T, x: number) => T, init: T): T };\nexport const f = () => tree.reduce((acc, x) => [...acc, x], [] as number[]);`,
    ],
    [
      'a TypeScript accumulator type without the assigned key',
      `export const f = (items: string[]) => items.reduce((acc, x) => ({ ...acc, last: x }), {});`,
    ],
    [
      'a getter in the initial object',
      `export const f = (items: string[]) => items.reduce((acc: { last: string }, x) => ({ ...acc, last: x }), { get last() { return ''; } });`,
    ],
    [
      'a loop accumulator (the old array may be shared)',
      `export function f(items: number[]) { let out: number[] = []; for (const x of items) out = [...out, x]; return out; }`,
    ],
  ])('%s', (_name, code) => {
    expect(safeFixes(code)).toEqual([]);
  });

  it('the computed-key suggestion really differs for __proto__ (why it is not safe)', async () => {
    const before = `export function run(ids: string[]) { return Object.getPrototypeOf(ids.reduce((acc: Record<string, unknown>, k) => ({ ...acc, [k]: { polluted: true } }), {})) === Object.prototype; }`;
    const [finding] = findings(before, { rule });
    const after = applyFixes(before, finding.fixes).text;
    expect(after).toContain('acc[k] = { polluted: true }');
    expect(await run(before, 'run', [['__proto__']])).not.toEqual(await run(after, 'run', [['__proto__']]));
  });

  it('offers the loop rewrite as a suggestion', () => {
    const [finding] = findings(
      `export function f(items: number[]) { let out: number[] = []; for (const x of items) { out = [...out, x]; } return out; }`,
      { rule },
    );
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].edits[0].newText).toBe('out.push(x)');
  });

  it('suggests flatMap for concat in reduce', () => {
    const [finding] = findings(
      `export const f = (items: Array<{ c: number[] }>) => items.reduce((acc: number[], x) => acc.concat(x.c), []);`,
      { rule },
    );
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].edits[0].newText).toBe('items.flatMap((x) => x.c)');
  });
});
