/** Callers and callees of one function, merged, with recursion counted once. */
import { describe, expect, it } from 'vitest';
import { sandwich } from '../../src/profileView/sandwich';
import { functionTable } from '../../src/profileView/table';
import { boxes, functionId, viewData, viewTree } from './helpers';

// a→b→c three times, a→c twice, a→b→a→b once (recursion).
const data = viewData('a;b;c 3\na;c 2\na;b;a;b 1\n');
const tree = viewTree(data);
const of = (name: string) => sandwich(tree, functionId(data, name));

describe('the sandwich', () => {
  it('merges the callers of a function called from two places', () => {
    const { callers, callees } = of('c');
    expect(boxes(callers, data)).toEqual(['c 0+5@0', 'b 0+3@1', 'a 0+3@2', 'a 3+2@1']);
    expect(boxes(callees, data)).toEqual(['c 0+5@0']);
  });

  it('merges the callees of a function called from two places', () => {
    const { callees } = of('a');
    expect(boxes(callees, data)).toEqual(['a 0+6@0', 'b 0+4@1', 'c 0+3@2', 'a 3+1@2', 'b 3+1@3', 'c 4+2@1']);
  });

  it('counts each sample of a recursive function once: both trees weigh its total', () => {
    const { callers, callees } = of('b');
    const table = functionTable(tree);
    const bTotal = table.total[Array.from(table.fn).indexOf(functionId(data, 'b'))];
    expect(bTotal).toBe(4);
    expect(callers.width[0]).toBe(bTotal);
    expect(callees.width[0]).toBe(bTotal);
    // Callees from the outermost b: the inner one shows inside; callers from the innermost b:
    // the outer one shows among them. The one sample of a;b;a;b is in each tree once.
    expect(boxes(callees, data)).toEqual(['b 0+4@0', 'c 0+3@1', 'a 3+1@1', 'b 3+1@2']);
    expect(boxes(callers, data)).toEqual(['b 0+4@0', 'a 0+4@1', 'b 0+1@2', 'a 0+1@3']);
  });

  it("puts a caller's weight where its stack begins: its self in the inverted tree", () => {
    // In the callers tree of c, `a` at depth 2 is where 3 of its samples' stacks begin.
    const { callers } = of('c');
    expect(Array.from(callers.self)).toEqual([0, 0, 3, 2]);
  });
});
