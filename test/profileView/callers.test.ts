/** Who called a function, for the line heat's hover: each call once, however deep its recursion. */
import { describe, expect, it } from 'vitest';
import { callersOf, subtreeWeights } from '../../src/profileView/callers';
import { cpuProfile, functionId, viewData } from './helpers';

describe('callersOf', () => {
  const data = viewData(
    cpuProfile({
      name: '(root)',
      children: [
        {
          name: 'main',
          url: '/app/main.js',
          ms: 1,
          children: [
            // walk → walk → walk: one call from main, its recursion inside it.
            {
              name: 'walk',
              url: '/app/walk.js',
              ms: 2,
              children: [{ name: 'walk', url: '/app/walk.js', ms: 3, children: [{ name: 'walk', url: '/app/walk.js', ms: 4 }] }],
            },
            { name: 'render', url: '/app/render.js', ms: 1, children: [{ name: 'walk', url: '/app/walk.js', ms: 5 }] },
          ],
        },
        { name: 'walk', url: '/app/walk.js', ms: 6 },
      ],
    }),
  );
  const named = (fn: number) => (fn < 0 ? '(none)' : data.functions[fn].name);

  it('lists each caller with the weight of the calls it made, heaviest first, each recursion counted once', () => {
    const callers = callersOf(data, subtreeWeights(data), functionId(data, 'walk'));
    expect(callers.map(({ fn, weight }) => [named(fn), weight])).toEqual([
      ['main', 9],
      // A root's caller is (root), the profile's own top frame.
      ['(root)', 6],
      ['render', 5],
    ]);
    // The weights add up to the function's total: 2 + 3 + 4 + 5 + 6.
    expect(callers.reduce((sum, caller) => sum + caller.weight, 0)).toBe(20);
  });

  it('has none for a function never called', () => {
    expect(callersOf(data, subtreeWeights(data), data.functions.length + 5)).toEqual([]);
  });
});
