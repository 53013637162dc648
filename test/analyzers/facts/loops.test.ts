import { ts } from '../../../src/analyzers/ts';
import { describe, expect, it } from 'vitest';
import {
  enclosingIteration,
  isTinyIteration,
  iterationsAround,
  repeatedBy,
  repeatedCalls,
  walkedCollection,
} from '../../../src/analyzers/facts/loops';
import { enclosingFunction } from '../../../src/analyzers/facts/ast';
import { hereCall, parseExample } from '../../helpers/here';

/** The `here()` call in `code`. */
function marker(code: string): ts.Node {
  return hereCall(parseExample(code));
}

const kinds = (code: string) => iterationsAround(marker(code)).map((i) => `${i.kind}${i.method ? `:${i.method}` : ''}`);

describe('iteration facts', () => {
  it.each([
    ['for (const x of xs) here();', ['for-of']],
    ['for (const k in o) { here(); }', ['for-in']],
    ['for (let i = 0; i < n; i++) here();', ['for']],
    ['for (let i = 0; here(); i++) {}', ['for']],
    ['while (more) here();', ['while']],
    ['while (here()) {}', ['while']],
    ['do { here(); } while (more);', ['do']],
    ['xs.forEach((x) => here());', ['callback:forEach']],
    ['xs.map(function (x) { return here(); });', ['callback:map']],
    ['await Promise.all(xs.map(async (x) => here()));', ['callback:map']],
    ['xs.reduce((acc, x) => here(), []);', ['callback:reduce']],
    ['Array.from(xs, (x) => here());', ['callback:from']],
    ['for (const a of as) for (const b of bs) here();', ['for-of', 'for-of']],
    ['for (const a of as) a.items.filter((b) => here());', ['callback:filter', 'for-of']],
  ])('%s', (code, expected) => {
    expect(kinds(code)).toEqual(expected);
  });

  it.each([
    ['here();'],
    ['for (const x of here()) {}'],
    ['for (let i = here(); i < n; i++) {}'],
    ['for (const x of xs) { const f = () => here(); }'],
    ['xs.forEach(x); here();'],
    ['xs.then(() => here());'],
    ['function f() { here(); } for (const x of xs) f();'],
  ])('%s is not repeated', (code) => {
    expect(kinds(code)).toEqual([]);
    expect(enclosingIteration(marker(code))).toBeUndefined();
  });

  it('knows the loop variables and the iterated collection', () => {
    const [loop] = iterationsAround(marker('for (const { id, name } of orders.items) here();'));
    expect(loop.variables).toEqual(['id', 'name']);
    expect(loop.collection?.getText()).toBe('orders.items');
    const [callback] = iterationsAround(marker('users.forEach((user, index) => here());'));
    expect(callback.variables).toEqual(['user', 'index']);
    expect(callback.collection?.getText()).toBe('users');
  });
});

describe('repetition beyond loop statements', () => {
  it('counts a sort comparator as a loop', () => {
    expect(repeatedBy(marker('xs.sort((a, b) => here());')).map((i) => i.method)).toEqual(['sort']);
    expect(repeatedBy(marker('for (const g of gs) g.toSorted((a, b) => here());')).map((i) => i.kind)).toEqual(['callback', 'for-of']);
    expect(iterationsAround(marker('xs.sort((a, b) => here());'))).toEqual([]);
  });

  it('finds the calls that repeat a function', () => {
    const fn = (code: string) => enclosingFunction(marker(code))!;
    expect(repeatedCalls(fn('function f() { here(); }\nfor (const x of xs) f();'))).toHaveLength(1);
    expect(repeatedCalls(fn('const f = () => here();\nxs.map(f);'))).toHaveLength(1);
    expect(repeatedCalls(fn('class C { m() { here(); } n() { xs.forEach(() => this.m()); } }'))).toHaveLength(1);
    expect(repeatedCalls(fn('function f() { here(); }\nf();'))).toHaveLength(0);
    expect(repeatedCalls(fn('function f() { here(); }\nfor (const x of xs) { const f = () => 1; f(); }'))).toHaveLength(0);
  });

  it('knows what an index loop walks, and tiny loops', () => {
    const [index] = iterationsAround(marker('for (let i = 0; i < rows.length; i++) here();'));
    expect(walkedCollection(index)?.getText()).toBe('rows');
    const [down] = iterationsAround(marker('for (let i = rows.length - 1; i >= 0; i--) here();'));
    expect(walkedCollection(down)?.getText()).toBe('rows');
    expect(isTinyIteration(iterationsAround(marker('for (let i = 0; i < 3; i++) here();'))[0])).toBe(true);
    expect(isTinyIteration(iterationsAround(marker("for (const m of ['a', 'b']) here();"))[0])).toBe(true);
    expect(isTinyIteration(iterationsAround(marker('for (const m of ms) here();'))[0])).toBe(false);
  });
});

describe('a `?? []` default in a loop header names the list it defaults', () => {
  it.each([
    ['for (const x of xs ?? []) here();', 'xs'],
    ['for (const x of o?.items ?? []) here();', 'o?.items'],
    ['for (const x of (adj.get(node) || [])) here();', 'adj.get(node)'],
    ['(xs ?? []).forEach((x) => here());', 'xs'],
    ['Array.from(rows ?? [], (r) => here());', 'rows'],
  ])('%s', (code, collection) => {
    expect(iterationsAround(marker(code))[0].collection?.getText()).toBe(collection);
  });

  it('keeps a default that adds items', () => {
    expect(iterationsAround(marker('for (const x of xs ?? [fallback]) here();'))[0].collection?.getText()).toBe('xs ?? [fallback]');
  });
});
