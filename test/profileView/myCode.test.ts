/**
 * "My code only" on a .cpuprofile with everything it hides: V8's pseudo-frames, a dependency
 * between two of the user's functions, Node's fs and timers. Each function has a distinct number
 * of 1 ms samples, so every figure below names where its weight came from.
 */
import { describe, expect, it } from 'vitest';
import { hiddenFunctions } from '../../src/profileView/myCode';
import { leftHeavyLayout, callOrderLayout } from '../../src/profileView/flame';
import { sandwich } from '../../src/profileView/sandwich';
import { functionTable } from '../../src/profileView/table';
import { boxes, cpuProfile, functionId, viewData, viewTree } from './helpers';

const data = viewData(
  cpuProfile({
    name: '(root)',
    children: [
      { name: '(program)', ms: 4 },
      { name: '(garbage collector)', ms: 1 },
      {
        name: 'main',
        url: 'file:///app/src/main.js',
        ms: 2,
        children: [
          {
            name: 'handle',
            url: 'file:///app/node_modules/express/lib/router/index.js',
            ms: 5,
            children: [
              { name: 'route', url: 'file:///app/src/routes.js', ms: 7, children: [{ name: 'readFileSync', url: 'node:fs', ms: 8 }] },
              { name: 'listOnTimeout', url: 'node:internal/timers', ms: 3 },
            ],
          },
        ],
      },
      { name: '(idle)', ms: 6 },
    ],
  }),
);
const rows = (myCodeOnly: boolean): Record<string, [number, number]> => {
  const table = functionTable(viewTree(data, myCodeOnly));
  return Object.fromEntries(Array.from(table.fn, (fn, row) => [data.functions[fn].name, [table.self[row], table.total[row]]]));
};

describe('which functions are hidden', () => {
  const hiddenNames = (myCodeOnly: boolean): string[] => {
    const hidden = hiddenFunctions(data.functions, myCodeOnly);
    return data.functions.filter((_, index) => hidden[index]).map((fn) => fn.name);
  };

  it('(root) always: it is the whole profile', () => {
    expect(hiddenNames(false)).toEqual(['(root)']);
  });

  it('with "My code only": dependencies, Node internals and the pseudo-frames', () => {
    expect(hiddenNames(true).sort()).toEqual(
      ['(garbage collector)', '(idle)', '(program)', '(root)', 'handle', 'listOnTimeout', 'readFileSync'].sort(),
    );
  });

  it('by path segment and prefix, not by substring', () => {
    const hidden = hiddenFunctions(
      [
        { name: 'a', file: 'src/my_node_modules/x.js', line: 1, column: 1 },
        { name: 'b', file: 'lib/internal/x.js', line: 1, column: 1 },
        { name: 'c', file: 'node_modules/x/y.js', line: 1, column: 1 },
        { name: 'd', file: 'C:\\app\\node_modules\\x.js', line: 1, column: 1 },
        { name: '(program)', file: 'src/program.js', line: 1, column: 1 },
        // A project checked out inside a node_modules folder: its files are shown relative to it.
        { name: 'e', file: 'src/x.js', path: '/work/node_modules/project/src/x.js', line: 1, column: 1 },
      ],
      true,
    );
    expect(Array.from(hidden)).toEqual([0, 0, 1, 1, 0, 0]);
  });
});

describe('the view with everything', () => {
  it('keeps every function, (root) aside', () => {
    expect(rows(false)).toEqual({
      readFileSync: [8, 8],
      route: [7, 15],
      '(idle)': [6, 6],
      handle: [5, 23],
      '(program)': [4, 4],
      listOnTimeout: [3, 3],
      main: [2, 25],
      '(garbage collector)': [1, 1],
    });
    expect(viewTree(data).unattributed).toBe(0);
  });
});

describe('"My code only"', () => {
  const tree = viewTree(data, true);

  it("folds a hidden frame into its nearest visible caller: its self time becomes the caller's", () => {
    // main: 2 + handle 5 + listOnTimeout 3 (under handle); route: 7 + readFileSync 8.
    expect(rows(true)).toEqual({ route: [7 + 8, 15], main: [2 + 5 + 3, 25] });
  });

  it('keeps weight with no visible caller out of every node, and the profile total for shares', () => {
    expect(tree.unattributed).toBe(4 + 1 + 6);
    expect(tree.profileTotal).toBe(36);
    expect(functionTable(tree).profileTotal).toBe(36);
  });

  it("is honoured by both flame layouts: a visible callee becomes its caller's child", () => {
    expect(boxes(callOrderLayout(tree), data)).toEqual(['main 0+25@0', 'route 0+15@1']);
    expect(boxes(leftHeavyLayout(tree), data)).toEqual(['main 0+25@0', 'route 0+15@1']);
    // Everything: (root) folded away, its children are the roots.
    expect(boxes(callOrderLayout(viewTree(data)), data)).toEqual([
      '(program) 0+4@0',
      '(garbage collector) 4+1@0',
      'main 5+25@0',
      'handle 5+23@1',
      'route 5+15@2',
      'readFileSync 5+8@3',
      'listOnTimeout 20+3@2',
      '(idle) 30+6@0',
    ]);
  });

  it('is honoured by the sandwich: route is called by main, and calls nothing visible', () => {
    const { callers, callees } = sandwich(tree, functionId(data, 'route'));
    expect(boxes(callers, data)).toEqual(['route 0+15@0', 'main 0+15@1']);
    expect(boxes(callees, data)).toEqual(['route 0+15@0']);
    expect(Array.from(callees.self)).toEqual([15]);
    // Both span route's total, not the profile's: its bar fills the sandwich's width.
    expect([callers.span, callees.span]).toEqual([15, 15]);
    // A hidden function has no sandwich.
    expect(sandwich(tree, functionId(data, 'handle')).callers.size).toBe(0);
  });
});
