/** Line heat as data: levels relative to the hottest line, labels on the hot ones, by file. */
import { describe, expect, it } from 'vitest';
import { HEAT_LEVELS, lineHeat } from '../../src/profileView/lineHeat';

describe('lineHeat', () => {
  it('gives the hottest line the top level, colder lines lower ones (square-root scale), by file, hottest first', () => {
    const heat = lineHeat(
      [
        { path: '/app/hot.ts', line: 6, self: 400, fn: 1 },
        { path: '/app/hot.ts', line: 13, self: 100, fn: 2 },
        { path: '/app/hot.ts', line: 2, self: 1, fn: -1 },
        { path: '/app/other.ts', line: 3, self: 25, fn: 3 },
      ],
      1000,
      'ms',
    );
    expect(heat.get('/app/hot.ts')).toEqual([
      { line: 6, self: 400, fn: 1, level: HEAT_LEVELS, label: '400.0 ms (40.0%)' },
      // √(100/400) = 0.5 of the scale: level 2 of 4.
      { line: 13, self: 100, fn: 2, level: 2, label: '100.0 ms (10.0%)' },
      // Under half a percent of the profile: coloured, not labelled.
      { line: 2, self: 1, fn: -1, level: 1, label: undefined },
    ]);
    expect(heat.get('/app/other.ts')).toEqual([{ line: 3, self: 25, fn: 3, level: 1, label: '25.0 ms (2.5%)' }]);
  });

  it('labels in the profile’s unit', () => {
    expect(lineHeat([{ path: '/a.ts', line: 1, self: 2048, fn: 0 }], 4096, 'bytes').get('/a.ts')).toEqual([
      { line: 1, self: 2048, fn: 0, level: HEAT_LEVELS, label: '2.0 KB (50.0%)' },
    ]);
  });

  it('has nothing to show for lines without weight or without a line number', () => {
    expect(lineHeat([{ path: '/a.ts', line: 0, self: 5, fn: 0 }], 10, 'ms').size).toBe(0);
    expect(lineHeat([{ path: '/a.ts', line: 3, self: 0, fn: 0 }], 10, 'ms').size).toBe(0);
    expect(lineHeat([], 0, 'ms').size).toBe(0);
  });
});
