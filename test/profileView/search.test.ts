/** Search: which functions a query matches, and the flame nodes to highlight. */
import { describe, expect, it } from 'vitest';
import { leftHeavyLayout, callOrderLayout } from '../../src/profileView/flame';
import { matchFunctions, matchingNodes } from '../../src/profileView/search';
import { viewData, viewTree } from './helpers';

const data = viewData(
  [
    'main (src/app.ts:1);work (src/work.ts:10) 2',
    'main (src/app.ts:1);log (lib/Logger.js:30) 1',
    'main (src/app.ts:1);work (src/work.ts:11) 3',
  ].join('\n'),
);
const matched = (query: string): string[] => {
  const matches = matchFunctions(data.functions, query);
  return matches ? data.functions.filter((_, index) => matches[index]).map((fn) => fn.name) : ['(no search)'];
};

describe('search', () => {
  it('matches a case-insensitive substring of the name or the file', () => {
    expect(matched('WOR')).toEqual(['work']);
    expect(matched('logger')).toEqual(['log']);
    expect(matched('src/')).toEqual(['main', 'work']);
    expect(matched('zzz')).toEqual([]);
  });

  it('is no search when the query is blank', () => {
    expect(matched('')).toEqual(['(no search)']);
    expect(matched(' \t')).toEqual(['(no search)']);
  });

  it('highlights every node of a matching function, in each layout', () => {
    const matches = matchFunctions(data.functions, 'work');
    if (!matches) throw new Error('a query that matches nothing still gives a mask');
    // Recorded: work from two lines of main, two nodes; left heavy: merged, one.
    const time = callOrderLayout(viewTree(data));
    expect(Array.from(matchingNodes(time, matches), (node) => `${time.start[node]}+${time.width[node]}`)).toEqual(['0+2', '3+3']);
    const left = leftHeavyLayout(viewTree(data));
    expect(Array.from(matchingNodes(left, matches), (node) => `${left.start[node]}+${left.width[node]}`)).toEqual(['0+5']);
  });
});
