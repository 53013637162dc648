/** The bottom-up table: recursion counted once, sorting, and the filter shared with search. */
import { describe, expect, it } from 'vitest';
import { matchFunctions, filterRows } from '../../src/profileView/search';
import { functionTable, sortRows } from '../../src/profileView/table';
import { viewData, viewTree } from './helpers';

// a→b→c three times, a→c twice, a→b→a→b once (recursion), as test/profiles/hotspots.test.ts.
const data = viewData('a;b;c 3\na;c 2\na;b;a;b 1\n');
const table = functionTable(viewTree(data));
const names = (order: Int32Array): string[] => Array.from(order, (row) => data.functions[table.fn[row]].name);

describe('the table', () => {
  it('has one row per function: self, and a total that counts a recursive call once', () => {
    const rows = Array.from(table.fn, (fn, row) => [data.functions[fn].name, table.self[row], table.total[row]]);
    // a is on every stack (6), b on four (a;b;a;b counts once), c on five.
    expect(rows).toEqual([
      ['c', 5, 5],
      ['b', 1, 4],
      ['a', 0, 6],
    ]);
    expect(table.profileTotal).toBe(6);
  });

  it('merges the nodes of one function, however many call paths reach it', () => {
    // c is two nodes (under a;b and under a), b is two (a;b and a;b;a;b): one row each.
    expect(table.size).toBe(3);
  });
});

describe('sorting', () => {
  it('by self or total, heaviest first, ties broken by the other weight', () => {
    expect(names(sortRows(table, data.functions, 'self'))).toEqual(['c', 'b', 'a']);
    expect(names(sortRows(table, data.functions, 'total'))).toEqual(['a', 'c', 'b']);
    expect(names(sortRows(table, data.functions, 'total', true))).toEqual(['b', 'c', 'a']);
    const tie = viewData('x;p 2\ny;q 2\ny 1\n');
    const tieTable = functionTable(viewTree(tie));
    // p and q both have self 2 and total 2, x and y differ only by total: x 2, y 3.
    expect(Array.from(sortRows(tieTable, tie.functions, 'self'), (row) => tie.functions[tieTable.fn[row]].name)).toEqual([
      'p',
      'q',
      'y',
      'x',
    ]);
  });

  it('by name, A to Z ignoring case, then by file and line', () => {
    const mixed = viewData('Beta 1\nalpha (z.py:3) 1\nalpha (a.py:9) 1\nGamma 1\nalpha (a.py:2) 1\n');
    const mixedTable = functionTable(viewTree(mixed));
    const label = (row: number): string => {
      const fn = mixed.functions[mixedTable.fn[row]];
      return `${fn.name} ${fn.file ?? ''}`.trim();
    };
    // The folded `(file:line)` is the line each frame ran, which resolves to one function per file.
    expect(Array.from(sortRows(mixedTable, mixed.functions, 'name'), label)).toEqual(['alpha a.py', 'alpha z.py', 'Beta', 'Gamma']);
    expect(Array.from(sortRows(mixedTable, mixed.functions, 'name', true), label)).toEqual(['Gamma', 'Beta', 'alpha z.py', 'alpha a.py']);
  });
});

describe('filtering', () => {
  const files = viewData('main (src/app.ts:1);parseJson (src/json.ts:4) 2\nmain (src/app.ts:1);render (src/view.tsx:8) 3\n');
  const filesTable = functionTable(viewTree(files));
  const order = sortRows(filesTable, files.functions, 'self');
  const kept = (query: string): string[] =>
    Array.from(filterRows(filesTable, order, matchFunctions(files.functions, query)), (row) => files.functions[filesTable.fn[row]].name);

  it('keeps the rows whose name or file contains the text, ignoring case, in the sorted order', () => {
    expect(kept('JSON')).toEqual(['parseJson']);
    expect(kept('.tsx')).toEqual(['render']);
    expect(kept('src/')).toEqual(['render', 'parseJson', 'main']);
    expect(kept('nothing like it')).toEqual([]);
  });

  it('keeps every row for a blank filter', () => {
    expect(kept('  ')).toEqual(['render', 'parseJson', 'main']);
  });
});
