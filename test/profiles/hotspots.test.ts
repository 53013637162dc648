/** The aggregations on a call tree small enough to work out by hand (from folded stacks). */
import { describe, expect, it } from 'vitest';
import { bottomUp, callersAndCallees, computeHotspots, type BottomUpNode } from '../../src/profiles/hotspots';
import { parseProfile } from '../../src/profiles/load';
import { resolveFrames } from '../../src/profiles/resolve';

// a→b→c three times, a→c twice, a→b→a→b once (recursion).
const profile = parseProfile(Buffer.from('a;b;c 3\na;c 2\na;b;a;b 1\n'));
const resolution = resolveFrames(profile, { root: '/' });
const id = (name: string): number => resolution.functions.findIndex((fn) => fn.name === name);
const named = (list: Array<{ id: number; weight: number }>) =>
  Object.fromEntries(list.map((entry) => [resolution.functions[entry.id].name, entry.weight]));

describe('hotspots', () => {
  it('self and total per function, recursion counted once', () => {
    const hotspots = computeHotspots(profile, resolution);
    const byName = Object.fromEntries(
      hotspots.functions.map((hotspot) => [resolution.functions[hotspot.id].name, [hotspot.self, hotspot.total]]),
    );
    expect(byName).toEqual({ a: [0, 6], b: [1, 4], c: [5, 5] });
    expect(hotspots.total).toBe(6);
  });

  it('callers and callees of a function', () => {
    expect(named(callersAndCallees(profile, resolution, id('c')).callers)).toEqual({ b: 3, a: 2 });
    expect(named(callersAndCallees(profile, resolution, id('b')).callers)).toEqual({ a: 4 });
    expect(named(callersAndCallees(profile, resolution, id('a')).callees)).toEqual({ b: 4, c: 2 });
    expect(named(callersAndCallees(profile, resolution, id('b')).callees)).toEqual({ c: 3, a: 1 });
  });

  it('the bottom-up tree of a function', () => {
    const show = (node: BottomUpNode): unknown => [resolution.functions[node.id].name, node.weight, node.children.map(show)];
    expect(show(bottomUp(profile, resolution, id('c')))).toEqual([
      'c',
      5,
      [
        ['b', 3, [['a', 3, []]]],
        ['a', 2, []],
      ],
    ]);
    expect(show(bottomUp(profile, resolution, id('c'), 1))).toEqual([
      'c',
      5,
      [
        ['b', 3, []],
        ['a', 2, []],
      ],
    ]);
  });

  it('does not error on empty profiles', () => {
    const speedscope = parseProfile(
      Buffer.from(
        JSON.stringify({
          $schema: 'https://www.speedscope.app/file-format-schema.json',
          shared: { frames: [] },
          profiles: [{ type: 'sampled', name: 'x', unit: 'none', startValue: 0, endValue: 0, samples: [], weights: [] }],
        }),
      ),
    );
    const heap = parseProfile(
      Buffer.from(
        JSON.stringify({
          head: { callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] },
          samples: [],
        }),
      ),
    );
    for (const empty of [speedscope, heap]) {
      const hotspots = computeHotspots(empty, resolveFrames(empty, { root: '/' }));
      expect(hotspots).toMatchObject({ total: 0, functions: [], lines: [] });
    }
  });
});
