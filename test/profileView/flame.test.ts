/** Flame graph layouts of profiles small enough to lay out by hand. */
import { describe, expect, it } from 'vitest';
import { leftHeavyLayout, nodeAt, callOrderLayout, visibleNodes } from '../../src/profileView/flame';
import { boxes, cpuProfile, viewData, viewTree } from './helpers';

// Folded stacks with the line each frame ran: `work` is called from two lines of `main`, so the
// recorded tree has two `work` nodes under it, and `sum` only under the second.
const data = viewData(
  [
    'main (app.js:1);work (app.js:10) 2',
    'main (app.js:1);log (app.js:30) 1',
    'main (app.js:1);work (app.js:11) 3',
    'main (app.js:1);work (app.js:11);sum (app.js:40) 4',
  ].join('\n'),
);
const tree = viewTree(data);

describe('call order (formats with no timeline)', () => {
  it('lays the tree out as recorded: siblings in order, each starting where the previous one ended', () => {
    const layout = callOrderLayout(tree);
    expect(boxes(layout, data)).toEqual(['main 0+10@0', 'work 0+2@1', 'log 2+1@1', 'work 3+7@1', 'sum 3+4@2']);
    expect(Array.from(layout.self)).toEqual([0, 2, 1, 3, 4]);
    expect(Array.from(layout.end)).toEqual([5, 2, 3, 5, 5]);
    expect(layout.maxDepth).toBe(2);
    expect(layout.span).toBe(10);
  });

  it('indexes each row left to right', () => {
    const layout = callOrderLayout(tree);
    expect(Array.from(layout.rowStart)).toEqual([0, 1, 4, 5]);
    expect(Array.from(layout.rowNodes)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('left heavy', () => {
  it('merges siblings of the same function, their children too, heaviest first', () => {
    const layout = leftHeavyLayout(tree);
    expect(boxes(layout, data)).toEqual(['main 0+10@0', 'work 0+9@1', 'sum 0+4@2', 'log 9+1@1']);
    expect(Array.from(layout.self)).toEqual([0, 5, 4, 1]);
  });

  it('merges roots of the same function', () => {
    // A .cpuprofile can call `a` twice from (root), which the view leaves out: two `a` roots.
    const roots = viewData(
      cpuProfile({
        name: '(root)',
        children: [
          { name: 'a', url: 'file:///app/a.js', ms: 1, children: [{ name: 'b', url: 'file:///app/a.js', ms: 1 }] },
          { name: 'c', url: 'file:///app/c.js', ms: 5 },
          { name: 'a', url: 'file:///app/a.js', children: [{ name: 'd', url: 'file:///app/a.js', ms: 2 }] },
        ],
      }),
    );
    expect(boxes(callOrderLayout(viewTree(roots)), roots)).toEqual(['a 0+2@0', 'b 0+1@1', 'c 2+5@0', 'a 7+2@0', 'd 7+2@1']);
    expect(boxes(leftHeavyLayout(viewTree(roots)), roots)).toEqual(['c 0+5@0', 'a 5+4@0', 'd 5+2@1', 'b 7+1@1']);
  });
});

describe('hit-testing', () => {
  const layout = callOrderLayout(tree);
  const name = (node: number): string => (node < 0 ? '-' : data.functions[layout.fn[node]].name);

  it('finds the node under a point by its row', () => {
    expect(name(nodeAt(layout, 2.5, 1))).toBe('log');
    expect(name(nodeAt(layout, 6, 2))).toBe('sum');
    expect(name(nodeAt(layout, 0, 0))).toBe('main');
  });

  it('finds nothing in a gap, past an end (ends are exclusive), or off the rows', () => {
    expect(nodeAt(layout, 7, 2)).toBe(-1);
    expect(nodeAt(layout, 1, 2)).toBe(-1);
    expect(nodeAt(layout, 10, 0)).toBe(-1);
    expect(nodeAt(layout, -1, 0)).toBe(-1);
    expect(nodeAt(layout, 1, 3)).toBe(-1);
    expect(nodeAt(layout, 1, -1)).toBe(-1);
  });
});

describe('the visible nodes of a zoom window', () => {
  const layout = leftHeavyLayout(tree);
  const names = (nodes: Int32Array): string[] => Array.from(nodes, (node) => data.functions[layout.fn[node]].name);

  it('leaves out nodes narrower than the minimum number of pixels', () => {
    // 10 pixels for the whole profile: `log` is 1 pixel wide.
    expect(names(visibleNodes(layout, 0, 10, 10, 1.5))).toEqual(['main', 'work', 'sum']);
    expect(names(visibleNodes(layout, 0, 10, 10, 1))).toEqual(['main', 'work', 'sum', 'log']);
  });

  it('leaves out nodes outside the window, however wide', () => {
    // Zoomed into [8, 10] over 100 pixels: `sum` ends at 4.
    expect(names(visibleNodes(layout, 8, 10, 100))).toEqual(['main', 'work', 'log']);
    expect(names(visibleNodes(layout, 4, 8, 100))).toEqual(['main', 'work']);
  });
});

it('lays out a profile without weight as nothing', () => {
  const empty = viewData({
    head: { callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] },
    samples: [],
  });
  for (const layout of [callOrderLayout(viewTree(empty)), leftHeavyLayout(viewTree(empty))]) {
    expect(layout).toMatchObject({ size: 0, maxDepth: -1, span: 0 });
    expect(nodeAt(layout, 0, 0)).toBe(-1);
    expect(visibleNodes(layout, 0, 1, 100)).toHaveLength(0);
  }
});
