import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { applySafeFixes, findings } from '../../helpers/analyze';
import { expectSameBehaviour, run } from '../../helpers/behaviour';

const rule = 'lookup-in-loop';

function safeFixes(code: string, filename?: string) {
  return findings(code, { rule, filename }).flatMap((f) => f.fixes).filter((fix) => fix.safe);
}

describe('lookup-in-loop reports', () => {
  it.each([
    ['includes on an annotated array parameter in for…of', `export function f(xs: string[], ys: string[]) { let n = 0; for (const x of xs) if (ys.includes(x)) n++; return n; }`],
    ['indexOf on an array literal variable in a filter callback', `const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];\nexport function f(xs: string[]) { return xs.filter((x) => ids.indexOf(x) !== -1); }`],
    ['lastIndexOf on a map() result', `export function f(xs: Array<{ id: string }>, ys: string[]) { const ids = xs.map((x) => x.id); return ys.filter((y) => ids.lastIndexOf(y) >= 0); }`],
    ['includes on Object.keys() result', `export function f(o: object, ys: string[]) { const keys = Object.keys(o); return ys.filter((y) => keys.includes(y)); }`],
    ['includes on Object.keys() called in the loop', `export function f(o: Record<string, number>, ys: string[]) { return ys.filter((y) => Object.keys(o).includes(y)); }`],
    ['find by key', `export function f(users: Array<{ id: number }>, ids: number[]) { return ids.map((id) => users.find((u) => u.id === id)); }`],
    ['findIndex by nested key', `export function f(users: Array<{ meta: { id: number } }>, ids: number[]) { return ids.map((id) => users.findIndex((u) => id === u.meta.id)); }`],
    ['some by key', `export function f(users: Array<{ name: string }>, names: string[]) { return names.filter((n) => users.some((u) => u.name === n)); }`],
    ['includes in a while loop (BFS visited list)', `export function f(start: string, next: (s: string) => string[]) { const visited: string[] = []; const queue = [start]; while (queue.length) { const n = queue.shift()!; if (visited.includes(n)) continue; visited.push(n); queue.push(...next(n)); } return visited; }`],
    ['a growing array (the seen pattern)', `export function f(xs: number[]) { const seen: number[] = []; for (const x of xs) { if (seen.indexOf(x) === -1) seen.push(x); } return seen; }`],
    ['a growing class field', `export class C { seen: string[] = []; add(xs: string[]) { for (const x of xs) if (!this.seen.includes(x)) this.seen.push(x); } }`],
    ['an inline literal of more than 8 items', `export function f(xs: string[]) { return xs.filter((x) => ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].includes(x)); }`],
    ['an array built by the checker-known type (TypeScript)', `interface G { allowed: string[] }\nexport function f(gs: G[], items: string[]) { let n = 0; for (const g of gs) for (const i of items) if (g.allowed.includes(i)) n++; return n; }`],
    ['a split() result', `export function f(csv: string, ys: string[]) { const parts = csv.split(','); return ys.filter((y) => parts.includes(y)); }`],
    ['options || [] fallback', `export function f(o: { list?: string[] }, ys: string[]) { const list = o.list || []; return ys.filter((y) => list.includes(y)); }`],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toHaveLength(1);
  });

  it('names the array, the collection and the Set in the message', () => {
    const [finding] = findings(`export function f(orders: Array<{ c: string }>, activeIds: string[]) { return orders.filter((o) => activeIds.includes(o.c)); }`, { rule });
    expect(finding.message).toContain('`activeIds.includes(…)`');
    expect(finding.message).toContain('`orders`');
    expect(finding.message).toContain('new Set(activeIds)');
    expect(finding.impact).toBe('high');
  });

  it('suggests a Map keyed by the compared property for find', () => {
    const [finding] = findings(`export function f(users: Array<{ id: number }>, ids: number[]) { return ids.map((id) => users.find((u) => u.id === id)); }`, { rule });
    expect(finding.message).toContain('new Map(users.map((x) => [x.id, x]))');
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    expect(finding.fixes[0].edits.map((e) => e.newText).join('|')).toContain('usersById.get(id)');
  });
});

describe('lookup-in-loop stays quiet', () => {
  it.each([
    ['String#includes', `export function f(lines: string[], marker: string) { return lines.filter((l) => marker.includes(l)); }`],
    ['includes on a string literal', `export function f(xs: string[]) { return xs.filter((x) => 'abcdef'.includes(x)); }`],
    ['includes on a template', `export function f(xs: string[], y: string) { return xs.filter((x) => \`\${y}-z\`.includes(x)); }`],
    ['a small inline literal', `export function f(ms: string[]) { return ms.filter((m) => ['GET', 'HEAD'].includes(m)); }`],
    ['a small const literal', `const SAFE = ['GET', 'HEAD', 'OPTIONS'];\nexport function f(ms: string[]) { return ms.filter((m) => SAFE.includes(m)); }`],
    ['a small const literal (frozen)', `const SAFE = Object.freeze(['GET', 'HEAD']);\nexport function f(ms: string[]) { return ms.filter((m) => SAFE.includes(m)); }`],
    ['an imported constant list', `import { METHODS } from './http';\nexport function f(ms: string[]) { return ms.filter((m) => METHODS.includes(m)); }`],
    ['a list from an options object', `export function f(ms: string[], options: { allow: string[] }) { return ms.filter((m) => options.allow.includes(m)); }`],
    ['the receiver depends on the loop variable', `export function f(users: Array<{ roles: string[] }>) { return users.filter((u) => u.roles.includes('admin')); }`],
    ['the receiver is declared inside the loop', `export function f(users: string[][]) { let n = 0; for (const u of users) { const roles = u.slice(1); if (roles.includes('x')) n++; } return n; }`],
    ['searching the iterated collection itself', `export function f(items: string[]) { return items.filter((item, i) => items.indexOf(item) === i); }`],
    ['not in a loop', `export function f(allowed: string[], id: string) { return allowed.includes(id); }`],
    ['a function called per item is not a loop', `export function f(allowed: string[]) { return function check(id: string) { return allowed.includes(id); }; }`],
    ['a Set', `export function f(xs: string[], ys: string[]) { const s = new Set(ys); return xs.filter((x) => s.has(x)); }`],
    ['a predicate that is not an equality', `export function f(ps: string[], rules: Array<{ test(p: string): boolean }>) { return ps.filter((p) => rules.some((r) => r.test(p))); }`],
    ['a predicate that compares with the element on both sides', `export function f(xs: number[], ys: Array<{ a: number; b: number }>) { return xs.filter(() => ys.some((y) => y.a === y.b)); }`],
    ['an untyped JavaScript parameter', `function f(texts, needle) { return texts.filter((t) => needle.includes(t)); }`],
    ['a tiny counted loop', `export function f(xs: string[], ys: string[]) { let n = 0; for (let i = 0; i < 3; i++) if (ys.includes(xs[i])) n++; return n; }`],
    ['a loop over a small literal', `export function f(ys: string[]) { let n = 0; for (const m of ['a', 'b']) if (ys.includes(m)) n++; return n; }`],
    ['an array replaced on every pass', `export function f(xs: string[][], y: string) { let cur: string[] = []; let n = 0; for (const x of xs) { cur = x; if (cur.includes(y)) n++; } return n; }`],
    ['an array spliced in the loop (not a plain growing list)', `export function f(xs: string[], ys: string[]) { for (const x of xs) { const i = ys.indexOf(x); if (i >= 0) ys.splice(i, 1); } return ys; }`],
    ['Map#has / Set#has style APIs', `export function f(xs: string[], m: Map<string, number>) { return xs.filter((x) => m.has(x)); }`],
    ['a short list that grows by a few literal pushes outside loops', `export function f(ms: string[], strict: boolean) { const names = ['a', 'b']; if (strict) names.push('c', 'd'); return ms.filter((m) => names.includes(m)); }`],
    ['a shadowing local string of the same name', `const ids: string[] = ['a'];\nexport function f(xs: string[]) { return xs.filter((x) => { const ids = 'abc'; return ids.includes(x); }); }`],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule, filename: /function f\(texts/.test(code) ? 'example.js' : undefined })).toEqual([]);
  });

  it('does not throw on broken syntax', () => {
    expect(() => findings(`export function f(xs: string[], ys: string[]) { for (const x of xs) { ys.includes( } `, { rule, syntaxErrors: 'analyze' })).not.toThrow();
    expect(() => findings(`for (const x of) { y.indexOf(x) !== }`, { rule, syntaxErrors: 'analyze' })).not.toThrow();
    expect(() => findings(`xs.forEach(x => .includes(x))`, { rule, syntaxErrors: 'analyze' })).not.toThrow();
  });
});

describe('lookup-in-loop safe fix keeps behaviour', () => {
  it('includes → Set#has (strings, duplicates, empty arrays, zero iterations)', async () => {
    const before = `
export function run(wanted: string[], present: string[]) {
  const out: string[] = [];
  for (const w of wanted) {
    if (present.includes(w)) out.push(w);
  }
  return out;
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('const presentSet = new Set(present);');
    expect(after).toContain('presentSet.has(w)');
    await expectSameBehaviour(before, after, 'run', [
      [['a', 'b', 'a', 'c'], ['a', 'c', 'c']],
      [[], ['a']],
      [['a'], []],
      [[], []],
      [['', 'x'], ['']],
    ]);
  });

  it('includes on numbers: NaN, -0 and +0 behave as in the array (SameValueZero on both sides)', async () => {
    const before = `
export function run(values: number[], known: number[]) {
  return values.map((v) => known.includes(v));
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('knownSet.has(v)');
    await expectSameBehaviour(before, after, 'run', [
      [[NaN, 0, -0, 1, 2], [NaN, -0]],
      [[0, -0], [0]],
      [[NaN], []],
      [[], [NaN]],
      [[1, 1, 1], [1, 1]],
    ]);
  });

  it('indexOf comparisons on strings, in every written form', async () => {
    const before = `
export function run(xs: string[], ys: string[]) {
  return xs.map((x) => [
    ys.indexOf(x) !== -1, ys.indexOf(x) === -1, ys.indexOf(x) >= 0, ys.indexOf(x) < 0,
    ys.indexOf(x) > -1, -1 !== ys.indexOf(x), 0 > ys.indexOf(x), ys.lastIndexOf(x) != -1, ys.indexOf(x) <= -1,
  ]);
}`;
    const after = applySafeFixes(before, rule);
    expect(after).not.toMatch(/indexOf|lastIndexOf/);
    await expectSameBehaviour(before, after, 'run', [
      [['a', 'b', 'zz', ''], ['b', 'b', '']],
      [[], ['a']],
      [['a'], []],
    ]);
  });

  it('indexOf on numbers is not rewritten automatically (NaN would then be found)', async () => {
    const before = `
export function run(values: number[], known: number[]) {
  return values.map((v) => known.indexOf(v) !== -1);
}`;
    expect(safeFixes(before)).toEqual([]);
    // What the rewrite would do: indexOf never finds NaN, Set#has does.
    const rewritten = before.replace('known.indexOf(v) !== -1', 'new Set(known).has(v)');
    expect((await run(before, 'run', [[[NaN], [NaN]]]))).not.toEqual(await run(rewritten, 'run', [[[NaN], [NaN]]]));
  });

  it('hoists before the outermost loop in which the array is invariant', async () => {
    const before = `
export function run(groups: string[][], allowed: string[]) {
  let n = 0;
  for (const group of groups) {
    for (const item of group) {
      if (allowed.includes(item)) n++;
    }
  }
  return n;
}`;
    const after = applySafeFixes(before, rule);
    expect(after.indexOf('const allowedSet')).toBeLessThan(after.indexOf('for (const group'));
    await expectSameBehaviour(before, after, 'run', [
      [[['a', 'b'], ['c', 'a']], ['a']],
      [[], ['a']],
      [[[]], []],
      [[['x']], ['x', 'x']],
    ]);
  });

  it('hoists inside an outer loop when the array is declared per outer pass', async () => {
    const before = `
export function run(groups: Array<{ allowed: string[] }>, items: string[]) {
  const out: number[] = [];
  for (const group of groups) {
    const allowed = group.allowed.slice();
    let n = 0;
    for (const item of items) if (allowed.includes(item)) n++;
    out.push(n);
  }
  return out;
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toMatch(/let n = 0;\n {4}const allowedSet = new Set\(allowed\);\n {4}for \(const item/);
    await expectSameBehaviour(before, after, 'run', [
      [[{ allowed: ['a'] }, { allowed: ['b', 'c'] }, { allowed: [] }], ['a', 'b', 'c', 'a']],
      [[], ['a']],
      [[{ allowed: ['a'] }], []],
    ]);
  });

  it('a let changed before the loop (same function) is still safe; all uses in the loop share one Set', async () => {
    const before = `
export function run(base: string[], extra: string[], xs: string[]) {
  let allowed: string[] = base;
  if (extra.length > 0) allowed = allowed.concat(extra);
  const hits: string[] = [];
  xs.forEach((x) => {
    if (allowed.includes(x) || allowed.indexOf(x + '!') !== -1) hits.push(x);
  });
  return hits;
}`;
    const after = applySafeFixes(before, rule);
    expect(after.match(/new Set/g)).toHaveLength(1);
    expect(after).toContain('allowedSet.has(x) || allowedSet.has(x + \'!\')');
    await expectSameBehaviour(before, after, 'run', [
      [['a'], ['b!'], ['a', 'b', 'c']],
      [[], [], ['a']],
      [['a', 'a'], [], []],
    ]);
  });

  it('a large literal of literals becomes a Set built once', async () => {
    const before = `
export function run(exts: string[]) {
  return exts.filter((ext) => ['js', 'ts', 'jsx', 'tsx', 'mjs', 'cjs', 'mts', 'cts', 'json'].includes(ext));
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain("const extValues = new Set(['js'");
    await expectSameBehaviour(before, after, 'run', [[['js', 'md', 'json', 'JSON']], [[]], [['cts', 'cts']]]);
  });
});

describe('lookup-in-loop offers no safe fix when it cannot prove the array unchanged', () => {
  it.each([
    ['mutated by a closure that the loop may call', `export function f(xs: string[], ys: string[]) { const add = (y: string) => ys.push(y); return xs.filter((x) => { if (x === '+') add(x); return ys.includes(x); }); }`],
    ['passed to an unknown function (it may keep and change it)', `declare function register(a: string[]): void;\nexport function f(xs: string[], ys: string[]) { register(ys); return xs.filter((x) => ys.includes(x)); }`],
    ['an optional parameter (may be undefined before the loop)', `export function f(xs: string[], ys?: string[]) { return xs.filter((x) => ys!.includes(x)); }`],
    ['a value that may be undefined by its type', `export function f(xs: string[], ys: string[] | undefined) { return xs.filter((x) => ys && ys.includes(x)); }`],
    ['a module-level array changed by another function', `const seen: string[] = [];\nexport function remember(x: string) { seen.push(x); }\nexport function f(xs: string[]) { return xs.filter((x) => seen.includes(x)); }`],
    ['a search with a start index', `export function f(xs: string[], ys: string[]) { return xs.filter((x) => ys.includes(x, 1)); }`],
    ['optional chaining', `export function f(xs: string[], ys: string[]) { return xs.filter((x) => ys?.includes(x)); }`],
    ['indexOf used as a position', `export function f(xs: string[], order: string[]) { return xs.map((x) => order.indexOf(x)); }`],
    ['a loop in an expression-bodied arrow (no place for a declaration)', `export const f = (xs: string[], ys: string[]) => xs.filter((x) => ys.includes(x));`],
    ['an exported array (other modules may change it)', `export const ids: string[] = [];\nexport function f(xs: string[]) { return xs.filter((x) => ids.includes(x)); }`],
    ['a top-level array of a classic script (a global)', `const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];\nfunction f(xs) { return xs.filter((x) => ids.includes(x)); }`],
    ['a TypeScript import (another module may change it)', `import { list } from './list';\nexport function f(xs: string[]) { return xs.filter((x) => (list as string[]).includes(x)); }`],
  ])('%s', (_name, code) => {
    expect(safeFixes(code)).toEqual([]);
  });

  it.each([
    ['a parameter and a call the loop makes to unknown code (it may hold the same array)', `declare function audit(x: string): void;\nexport function f(xs: string[], ys: string[]) { return xs.filter((x) => { audit(x); return ys.includes(x); }); }`],
    ['a parameter and a push onto another parameter (they may be the same array)', `export function f(xs: string[], ys: string[], out: string[]) { for (const x of xs) if (!ys.includes(x)) out.push(x); return out; }`],
    ['a parameter and an await in the loop (the caller may change it meanwhile)', `export async function f(xs: string[], ys: string[], tick: () => Promise<void>) { let n = 0; for (const x of xs) { await tick(); if (ys.includes(x)) n++; } return n; }`],
    ['a parameter and a callback passed by name', `export function f(xs: string[], ys: string[], keep: (x: string) => boolean) { return xs.filter(keep).filter((x) => ys.includes(x)); }`],
    ['a parameter and a for…of over an unknown iterable (its iterator runs code)', `export function f(xs: Iterable<string>, ys: string[]) { let n = 0; for (const x of xs) if (ys.includes(x)) n++; return n; }`],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toHaveLength(1);
    expect(safeFixes(code)).toEqual([]);
  });

  it('why: an aliased parameter changes under the loop, and the Set would miss it', async () => {
    const before = `export function run(xs: string[], ys: string[], out: string[]) { for (const x of xs) if (!ys.includes(x)) out.push(x); return out.length; }`;
    const rewritten = before.replace('for (const x', 'const s = new Set(ys); for (const x').replace('ys.includes(x)', 's.has(x)');
    const aliased = `export function run2(xs: string[]) { const a: string[] = []; return run(xs, a, a); }\n${before}`;
    const aliasedAfter = `export function run2(xs: string[]) { const a: string[] = []; return run(xs, a, a); }\n${rewritten}`;
    expect(await run(aliased, 'run2', [['p', 'p', 'q']])).not.toEqual(await run(aliasedAfter, 'run2', [['p', 'p', 'q']]));
  });

  it('a fresh local array may sit beside unknown calls: nothing else can hold it', async () => {
    const before = `
export function run(xs: string[], ys: Array<{ id: string }>) {
  const ids = ys.map((y) => y.id);
  return xs.filter((x) => {
    log.push(x);
    return ids.includes(x);
  });
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('const idsSet = new Set(ids);');
    await expectSameBehaviour(before, after, 'run', [[['a', 'b'], [{ id: 'b' }, { id: 'b' }]], [[], []], [['a'], []]]);
  });

  it('still reports them', () => {
    expect(findings(`export function f(xs: string[], ys: string[]) { const add = (y: string) => ys.push(y); return xs.filter((x) => { if (x === '+') add(x); return ys.includes(x); }); }`, { rule })).toHaveLength(1);
  });
});

describe('lookup-in-loop suggestion for a growing array', () => {
  it('keeps a Set beside the array, under the same if', async () => {
    const code = `
export function run(xs: string[]) {
  const seen: string[] = [];
  for (const x of xs) {
    if (!seen.includes(x)) seen.push(x);
  }
  return seen;
}`;
    const [finding] = findings(code, { rule });
    expect(finding.message).toContain('pushed to');
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    const after = applyFixes(code, finding.fixes).text;
    expect(after).toContain('{ seen.push(x); seenSet.add(x); }');
    // The suggestion is right for this shape too.
    await expectSameBehaviour(code, after, 'run', [[['a', 'b', 'a']], [[]], [['x', 'x', 'x']]]);
  });
});

describe('lookup-in-loop fixes nested searches over several passes', () => {
  it('a search inside another search of the same array', async () => {
    const before = `
export function run(xs: string[], ys: string[]) {
  return xs.filter((x) => ys.includes(ys.includes(x) ? x + '!' : x));
}`;
    const after = applySafeFixes(before, rule);
    expect(after).not.toContain('ys.includes');
    await expectSameBehaviour(before, after, 'run', [[['a', 'b'], ['a!', 'b']], [[], []], [['a'], ['a', 'a!']]]);
  });
});
