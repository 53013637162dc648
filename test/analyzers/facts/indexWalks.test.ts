import { describe, expect, it } from 'vitest';
import { iterationsAround } from '../../../src/analyzers/facts/loops';
import { hereCall, parseExample } from '../../helpers/here';

/** The innermost iteration around the `here()` call in `code`. */
function iterationAt(code: string) {
  return iterationsAround(hereCall(parseExample(code)))[0];
}

const walk = (code: string) => {
  const iteration = iterationAt(code);
  return { collection: iteration.collection?.getText(), variables: iteration.variables, counter: iteration.counter };
};

describe('index walks: a `for` or `while` loop over a list’s items is seen as one', () => {
  it.each([
    ['for (let i = 0; i < xs.length; i++) { const x = xs[i]; here(); }', 'xs', ['x', 'i']],
    ['for (let i = 0; i < order.lines.length; ++i) { const { id } = order.lines[i]; here(); }', 'order.lines', ['id', 'i']],
    ['for (let i = 0; i <= xs.length - 1; i += 1) here(xs[i]);', 'xs', ['i']],
    ['for (let i = xs.length - 1; i >= 0; i--) { const x = xs[i]; here(); }', 'xs', ['x', 'i']],
    ['let i = 0; while (i < xs.length) { const x = xs[i++]; here(); }', 'xs', ['x', 'i']],
    ['let i = 0; while (i < this.items.length) { here(this.items[i]); i++; }', 'this.items', ['i']],
    ['let i = 0; do { const x = xs[i]; here(); i = i + 1; } while (i < xs.length);', 'xs', ['x', 'i']],
  ])('%s', (code, collection, variables) => {
    expect(walk(code)).toEqual({ collection, variables, counter: 'i' });
  });

  it.each([
    ['a stepped counter walks batches', 'for (let i = 0; i < xs.length; i += 100) here(xs.slice(i, i + 100));'],
    ['a bound that is not a length', 'for (let i = 0; i < pages; i++) here();'],
    ['a condition that may stop early', 'let i = 0; while (i < xs.length && !found) { here(xs[i++]); }'],
    ['a counter the body never moves', 'let i = 0; while (i < xs.length) { here(xs[i]); }'],
    ['a counter moved by two', 'let i = 0; while (i < xs.length) { here(xs[i]); i += 2; }'],
    ['a counter moved in a callback', 'let i = 0; while (i < xs.length) { here(xs[i]); setTimeout(() => i++); }'],
    ['a `for` body that moves its counter as well', 'for (let i = 0; i < xs.length; i++) { if (here(xs[i])) i++; }'],
    ['a list read through a call', 'for (let i = 0; i < get().length; i++) here();'],
  ])('not a walk: %s', (_name, code) => {
    expect(iterationAt(code).collection).toBeUndefined();
    expect(iterationAt(code).counter).toBeUndefined();
  });
});
