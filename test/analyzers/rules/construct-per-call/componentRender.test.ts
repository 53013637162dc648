/** construct-per-call's own helper: a React function component's body runs on every render (src/analyzers/rules/caching/construct-per-call/componentRender.ts). */
import { describe, expect, it } from 'vitest';
import { ts } from '../../../../src/analyzers/ts';
import { enclosingFunction } from '../../../../src/analyzers/facts/ast';
import { isComponentRender } from '../../../../src/analyzers/rules/caching/construct-per-call/componentRender';
import { hereCall, parseExample } from '../../../helpers/here';

/** The function around the call of `here()` in `code`. */
function functionAroundHere(code: string): ts.Node {
  const fn = enclosingFunction(hereCall(parseExample(code, '/a.tsx')));
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
