/** The view's data: resolved functions, the unit each format weighs in, the tree as the model has it. */
import { describe, expect, it } from 'vitest';
import { functionTable } from '../../src/profileView/table';
import { formatWeight } from '../../src/profileView/format';
import { cpuProfile, viewData, viewTree } from './helpers';

describe('the view data of a profile', () => {
  it('carries bytes for a heap profile, and the table reads them', () => {
    const frame = (functionName: string, lineNumber: number) => ({
      functionName,
      url: 'file:///app/src/cache.js',
      lineNumber,
      columnNumber: 2,
    });
    const heap = viewData({
      head: {
        callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 },
        selfSize: 0,
        id: 1,
        children: [
          {
            callFrame: frame('fill', 3),
            selfSize: 4096,
            id: 2,
            children: [{ callFrame: frame('grow', 20), selfSize: 102400, id: 3, children: [] }],
          },
        ],
      },
    });
    expect(heap.summary).toMatchObject({ format: 'heapprofile', unit: 'bytes', total: 106496 });
    const table = functionTable(viewTree(heap));
    expect(
      Array.from(table.fn, (fn, row) => [
        heap.functions[fn].name,
        formatWeight(table.self[row], 'bytes'),
        formatWeight(table.total[row], 'bytes'),
      ]),
    ).toEqual([
      ['grow', '100.0 KB', '100.0 KB'],
      ['fill', '4.0 KB', '104.0 KB'],
    ]);
  });

  it('names each function by its file relative to the root, 1-based positions, and the path to open', () => {
    const heap = viewData({
      head: {
        callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 },
        selfSize: 0,
        id: 1,
        children: [
          {
            callFrame: { functionName: 'fill', url: 'file:///app/src/cache.js', lineNumber: 3, columnNumber: 2 },
            selfSize: 1,
            id: 2,
            children: [],
          },
        ],
      },
    });
    expect(heap.functions).toEqual([
      { name: '(root)', line: 0, column: 0 },
      { name: 'fill', file: 'app/src/cache.js', path: '/app/src/cache.js', line: 4, column: 3 },
    ]);
  });

  it('carries samples for folded stacks, and ms for a CPU profile', () => {
    expect(viewData('a;b 3\n').summary).toMatchObject({ format: 'folded', unit: 'samples', total: 3, samples: 3 });
    const cpu = viewData(cpuProfile({ name: '(root)', children: [{ name: 'main', url: 'file:///app/main.js', ms: 4 }] }));
    expect(cpu.summary).toMatchObject({ format: 'cpuprofile', unit: 'ms', total: 4, samples: 4 });
  });
});
