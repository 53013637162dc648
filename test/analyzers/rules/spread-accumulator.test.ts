import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { run } from '../../helpers/behaviour';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'spread-accumulator';
const tester = ruleTester(rule);

describe('spread-accumulator reports', () => {
  tester.run({
    invalid: [
      {
        name: 'array spread in reduce',
        code: `export const f = (items: number[]) => items.reduce((acc, x) => [...acc, x * 2], [] as number[]);`,
        errors: [{ messageId: 'reduceArray', line: 1, column: 64 }],
        output: `export const f = (items: number[]) => items.reduce((acc, x) => (acc.push(x * 2), acc), [] as number[]);`,
      },
      {
        name: 'array spread in reduceRight',
        code: `export const f = (items: number[]) => items.reduceRight((acc, x) => [...acc, x], [] as number[]);`,
        errors: [{ messageId: 'reduceArray', line: 1, column: 69 }],
        output: `export const f = (items: number[]) => items.reduceRight((acc, x) => (acc.push(x), acc), [] as number[]);`,
      },
      {
        name: 'prepending spread in reduce',
        code: `export const f = (items: number[]) => items.reduce((acc, x) => [x, ...acc], [] as number[]);`,
        errors: [{ messageId: 'reduceArray', line: 1, column: 64 }],
      },
      {
        name: 'object spread with a computed key',
        code: `export const f = (items: Array<{ id: string }>) => items.reduce((acc, x) => ({ ...acc, [x.id]: x }), {});`,
        errors: [{ messageId: 'reduceObject', line: 1, column: 78 }],
        output: `export const f = (items: Array<{ id: string }>) => items.reduce((acc, x) => Object.defineProperty(acc, x.id, { value: x, writable: true, enumerable: true, configurable: true }), {});`,
      },
      {
        name: 'object spread in a block-bodied reduce',
        code: `export function f(items: string[]) { return items.reduce(function (acc: Record<string, number>, x) { return { ...acc, [x]: x.length }; }, {}); }`,
        errors: [{ messageId: 'reduceObject', line: 1, column: 109 }],
        output: `export function f(items: string[]) { return items.reduce(function (acc: Record<string, number>, x) { return Object.defineProperty(acc, x, { value: x.length, writable: true, enumerable: true, configurable: true }); }, {}); }`,
      },
      {
        name: 'concat in reduce',
        code: `export const f = (items: number[][]) => items.reduce((acc: number[], x) => acc.concat(x), []);`,
        errors: [{ messageId: 'reduceConcat', line: 1, column: 76 }],
      },
      {
        name: 'Object.assign copy in reduce',
        code: `export const f = (items: object[]) => items.reduce((acc, x) => Object.assign({}, acc, x), {});`,
        errors: [{ messageId: 'reduceAssign', line: 1, column: 64 }],
      },
      {
        name: 'array spread assigned back in for…of',
        code: `export function f(items: number[]) { let out: number[] = []; for (const x of items) out = [...out, x]; return out; }`,
        errors: [{ messageId: 'loopArray', line: 1, column: 85 }],
      },
      {
        name: 'object spread assigned back in a while loop',
        code: `export function f(n: number) { let entries: Record<string, number> = {}; let i = 0; while (i < n) { entries = { ...entries, ['k' + i]: i }; i++; } return entries; }`,
        errors: [{ messageId: 'loopObject', line: 1, column: 101 }],
      },
      {
        name: 'concat assigned back in forEach',
        code: `export function f(items: number[][]) { let out: number[] = []; items.forEach((x) => { out = out.concat(x); }); return out; }`,
        errors: [{ messageId: 'loopConcat', line: 1, column: 87 }],
      },
      {
        name: 'Object.assign copy assigned back in a loop',
        code: `export function f(items: object[]) { let o = {}; for (const x of items) o = Object.assign({}, o, x); return o; }`,
        errors: [{ messageId: 'loopAssign', line: 1, column: 73 }],
      },
    ],
  });

  it('names the growing list inside a fixed-key accumulator', async () => {
    const [finding] = await tester.invalid({
      code: `export function f(elements: Array<{ arrow: boolean }>) { return elements.reduce((acc, e) => (e.arrow ? { ...acc, arrows: acc.arrows.concat(e) } : { ...acc, rest: [...acc.rest, e] }), { arrows: [] as unknown[], rest: [] as unknown[] }); }`,
      errors: [
        { messageId: 'reduceNested', line: 1, column: 104 },
        { messageId: 'reduceNested', line: 1, column: 147 },
      ],
    });
    expect(shownText(finding)).toContain('`acc.arrows`');
    expect(shownText(finding)).toContain('push');
  });

  it('says what is copied and how to mutate instead', async () => {
    const [finding] = await tester.invalid({
      code: `export const f = (items: number[]) => items.reduce((acc, x) => [...acc, x], [] as number[]);`,
      errors: [{ messageId: 'reduceArray', line: 1, column: 64 }],
      output: `export const f = (items: number[]) => items.reduce((acc, x) => (acc.push(x), acc), [] as number[]);`,
    });
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
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'reduceArray', line: 3, column: 35 }],
      output: before.replace('[...acc, u.id, u.n]', '(acc.push(u.id, u.n), acc)'),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            [
              { id: 'a', n: 1 },
              { id: 'a', n: 1 },
              { id: 'b', n: NaN },
            ],
          ],
          [[]],
          [[{ id: '', n: -0 }]],
        ],
      },
    });
  });

  it('array: a non-empty fresh initial value, reduceRight and an initial element order', async () => {
    const before = `
export function run(items: number[]) {
  return items.reduceRight((acc, x) => [...acc, x * 2], [0, -1]);
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'reduceArray', line: 3, column: 40 }],
      output: before.replace('[...acc, x * 2]', '(acc.push(x * 2), acc)'),
      sameBehaviour: { entry: 'run', inputs: [[[1, 2, 3]], [[]], [[5, 5]]] },
    });
  });

  it('object: plain and string keys keep their order (integer-like keys first, repeated keys keep their place)', async () => {
    const before = `
export function run(rows: Array<[string, number]>) {
  return rows.reduce((acc: Record<string, unknown>, [k, v]) => ({ ...acc, last: k, '10': v, count: v + 1, 'a-b': k + v, 2: 'two' }), { first: true });
}`;
    const after = before.replace(
      "({ ...acc, last: k, '10': v, count: v + 1, 'a-b': k + v, 2: 'two' })",
      // The arrow body's own parentheses stay: redundant, harmless.
      "((acc.last = k, acc['10'] = v, acc.count = v + 1, acc['a-b'] = k + v, acc[2] = 'two', acc))",
    );
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'reduceObject', line: 3, column: 65 }],
      output: after,
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            [
              ['x', 1],
              ['y', 2],
              ['x', 3],
            ],
          ],
          [[]],
          [[['', 0]]],
        ],
      },
    });
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
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'reduceArray', line: 9, column: 36 },
        { messageId: 'reduceArray', line: 9, column: 64 },
      ],
      output: before.replace('[...acc, w.toLowerCase()] : [...acc, w]', '(acc.push(w.toLowerCase()), acc) : (acc.push(w), acc)'),
      sameBehaviour: { entry: 'run', inputs: [[['a', '', '#x', 'B', 'a']], [[]], [['#', '#']]] },
    });
  });

  it('errors thrown by an element expression still propagate the same way', async () => {
    const before = `
export function run(items: Array<{ v?: { n: number } }>) {
  return items.reduce((acc, x) => [...acc, x.v!.n], [] as number[]);
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'reduceArray', line: 3, column: 35 }],
      output: before.replace('[...acc, x.v!.n]', '(acc.push(x.v!.n), acc)'),
      sameBehaviour: { entry: 'run', inputs: [[[{ v: { n: 1 } }, {}]], [[{ v: { n: 2 } }]]] },
    });
  });

  it('plain JavaScript: no type needed for object keys', async () => {
    const before = `
export function run(entries) {
  return entries.map((p) => p).reduce((acc, p) => ({ ...acc, key: p[0], value: p[1] }), {});
}`;
    await tester.invalid({
      code: before,
      filename: 'example.js',
      errors: [{ messageId: 'reduceObject', line: 3, column: 52 }],
      output: before.replace('({ ...acc, key: p[0], value: p[1] })', '((acc.key = p[0], acc.value = p[1], acc))'),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [
            [
              ['a', 1],
              ['b', 2],
            ],
          ],
          [[]],
        ],
      },
    });
  });
});

describe('spread-accumulator offers no safe fix when mutation could be observed', () => {
  it.each([
    [
      'a computed key of unknown type whose value is computed (the key would be converted after the call, not before)',
      `declare function price(x: unknown): number;\nexport const f = (items: Array<{ id: any }>) => items.reduce((acc: Record<string, unknown>, x) => ({ ...acc, [x.id]: price(x) }), {});`,
      [{ messageId: 'reduceObject', line: 2, column: 100 }],
    ],
    [
      'a key Object.prototype has',
      `export const f = (items: string[]) => items.reduce((acc: Record<string, string>, x) => ({ ...acc, toString: x }), {});`,
      [{ messageId: 'reduceObject', line: 1, column: 89 }],
    ],
    [
      'a shared initial value',
      `const EMPTY: number[] = [];\nexport const f = (items: number[]) => items.reduce((acc, x) => [...acc, x], EMPTY);`,
      [{ messageId: 'reduceArray', line: 2, column: 64 }],
    ],
    [
      'no initial value',
      `export const f = (items: number[][]) => items.reduce((acc, x) => [...acc, ...x]);`,
      [{ messageId: 'reduceArray', line: 1, column: 66 }],
    ],
    [
      'the accumulator read elsewhere',
      `export const f = (items: number[]) => items.reduce((acc, x) => [...acc, acc.length + x], [] as number[]);`,
      [{ messageId: 'reduceArray', line: 1, column: 64 }],
    ],
    [
      'the accumulator kept by a closure',
      `export const f = (items: number[], keep: Array<() => number[]>) => items.reduce((acc, x) => { keep.push(() => acc); return [...acc, x]; }, [] as number[]);`,
      [{ messageId: 'reduceArray', line: 1, column: 124 }],
    ],
    [
      'a spread of another array among the new elements',
      `export const f = (items: number[][]) => items.reduce((acc, x) => [...acc, ...x], [] as number[]);`,
      [{ messageId: 'reduceArray', line: 1, column: 66 }],
    ],
    [
      'a path that returns something else',
      `export const f = (items: number[]) => items.reduce((acc, x) => (x > 0 ? [...acc, x] : []), [] as number[]);`,
      [{ messageId: 'reduceArray', line: 1, column: 73 }],
    ],
    [
      'an async callback',
      `export const f = (items: number[]) => items.reduce(async (acc, x) => [...(await acc), x], Promise.resolve([] as number[]));`,
      [],
    ],
    [
      'a receiver not known to be an array (custom reduce)',
      `declare const tree: { reduce<T>(cb: (acc: T, x: number) => T, init: T): T };\nexport const f = () => tree.reduce((acc, x) => [...acc, x], [] as number[]);`,
      [],
    ],
    [
      'a TypeScript accumulator type without the assigned key',
      `export const f = (items: string[]) => items.reduce((acc, x) => ({ ...acc, last: x }), {});`,
      [{ messageId: 'reduceObject', line: 1, column: 65 }],
    ],
    [
      'a getter in the initial object',
      `export const f = (items: string[]) => items.reduce((acc: { last: string }, x) => ({ ...acc, last: x }), { get last() { return ''; } });`,
      [{ messageId: 'reduceObject', line: 1, column: 83 }],
    ],
    [
      'a loop accumulator (the old array may be shared)',
      `export function f(items: number[]) { let out: number[] = []; for (const x of items) out = [...out, x]; return out; }`,
      [{ messageId: 'loopArray', line: 1, column: 85 }],
    ],
  ])('%s', async (_name, code, errors) => {
    // Without an `output`, the tester asserts that no fix is safe.
    if (errors.length === 0) tester.valid(code);
    else await tester.invalid({ code, errors });
  });

  it('offers the loop rewrite as a suggestion', async () => {
    const [finding] = await tester.invalid({
      code: `export function f(items: number[]) { let out: number[] = []; for (const x of items) { out = [...out, x]; } return out; }`,
      errors: [{ messageId: 'loopArray', line: 1, column: 87 }],
    });
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].edits[0].newText).toBe('out.push(x)');
  });

  it('suggests flatMap for concat in reduce', async () => {
    const [finding] = await tester.invalid({
      code: `export const f = (items: Array<{ c: number[] }>) => items.reduce((acc: number[], x) => acc.concat(x.c), []);`,
      errors: [{ messageId: 'reduceConcat', line: 1, column: 88 }],
    });
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].edits[0].newText).toBe('items.flatMap((x) => x.c)');
  });
});

describe('spread-accumulator defines a computed key on the fresh accumulator (safe)', () => {
  it('a computed key is defined, not assigned: __proto__, a key Object.prototype has, duplicates and key order behave as in the literal', async () => {
    const before = `export function run(ids: string[]) {
  const made = ids.reduce((acc: Record<string, unknown>, k) => ({ ...acc, [k]: { polluted: k } }), {});
  return { own: Object.getOwnPropertyNames(made), keys: Object.keys(made), plain: Object.getPrototypeOf(made) === Object.prototype, json: JSON.stringify(made) };
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'reduceObject', line: 2, column: 65 }],
      output: before.replace(
        '({ ...acc, [k]: { polluted: k } })',
        'Object.defineProperty(acc, k, { value: { polluted: k }, writable: true, enumerable: true, configurable: true })',
      ),
      sameBehaviour: { entry: 'run', inputs: [[['__proto__', 'a']], [['toString', 'b', 'toString']], [['2', 'x', '1', 'x']], [[]]] },
    });
    // Why not the assignment `(acc[k] = v, acc)`: for __proto__ it sets the prototype instead of an own key.
    const assigned = before.replace('({ ...acc, [k]: { polluted: k } })', '((acc[k] = { polluted: k }), acc)');
    expect(await run(before, 'run', [['__proto__']])).not.toEqual(await run(assigned, 'run', [['__proto__']]));
  });
});
