/** construct-per-call's own helper: a React function component's body runs on every render (src/analyzers/rules/caching/construct-per-call/componentRender.ts). */
import { describe, expect, it } from 'vitest';
import { ts } from '../../../../src/analyzers/ts';
import { enclosingFunction } from '../../../../src/analyzers/facts/ast';
import { isComponentRender } from '../../../../src/analyzers/rules/caching/construct-per-call/componentRender';

/** The function around the call of `here()` in `code`. */
function functionAroundHere(code: string): ts.Node {
  const sourceFile = ts.createSourceFile('/a.tsx', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  let here: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'here') here = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  const fn = here && enclosingFunction(here);
  if (!fn) throw new Error('no function around here()');
  return fn;
}

describe('isComponentRender', () => {
  it('knows a function component from a helper', () => {
    expect(isComponentRender(functionAroundHere(`export function Row() { here(); return <div />; }`))).toBe(true);
    expect(isComponentRender(functionAroundHere(`export const Row = memo(() => { here(); return <div />; });`))).toBe(true);
    expect(isComponentRender(functionAroundHere(`export function row() { here(); return <div />; }`))).toBe(false);
    expect(isComponentRender(functionAroundHere(`export function Row() { here(); return 1; }`))).toBe(false);
  });
});
