import { ts } from '../../../src/analyzers/ts';
import { describe, expect, it } from 'vitest';
import { enclosingIteration, iterationsAround } from '../../../src/analyzers/facts/loops';

/** The `here()` call in `code`. */
function marker(code: string): ts.Node {
  const sourceFile = ts.createSourceFile('/a.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'here') found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (!found) throw new Error('no here()');
  return found;
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
