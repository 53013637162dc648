/**
 * The bottom-up table: one row per function with its self and total weight. A recursive
 * function's total counts each sample once (its outermost call's subtree), so no total exceeds
 * the profile's. Rows are columns of typed arrays; sorting and filtering return row orders, which
 * a virtualised table reads a screenful at a time.
 */
import { addOutermost } from '../profiles/outermost';
import type { ViewFunction } from './data';
import type { ViewTree } from './viewTree';

export interface FunctionTable {
  readonly size: number;
  /** Row → index into `ViewData.functions`. */
  fn: Int32Array;
  self: Float64Array;
  total: Float64Array;
  /** The profile's total, for shares (hidden weight included: shares do not jump when filtering). */
  profileTotal: number;
}

export type SortKey = 'self' | 'total' | 'name';

/**
 * A row for every function of `tree` that has weight, heaviest self first.
 */
export function functionTable(tree: ViewTree): FunctionTable {
  const self = new Float64Array(tree.functionCount);
  const total = new Float64Array(tree.functionCount);
  for (let node = 0; node < tree.size; node++) self[tree.fn[node]] += tree.self[node];
  addOutermost(tree.end, tree.fn, tree.total, total);
  const rows: number[] = [];
  for (let fn = 0; fn < tree.functionCount; fn++) if (total[fn] > 0) rows.push(fn);
  rows.sort((a, b) => self[b] - self[a] || total[b] - total[a] || a - b);
  const fn = Int32Array.from(rows);
  return {
    size: fn.length,
    fn,
    self: Float64Array.from(rows, (id) => self[id]),
    total: Float64Array.from(rows, (id) => total[id]),
    profileTotal: tree.profileTotal,
  };
}

/**
 * The rows in order of `key`: weights heaviest first, names A to Z (case-insensitive, then by
 * file and line, so that same-named functions keep a stable order); `reverse` flips it.
 */
export function sortRows(table: FunctionTable, functions: readonly ViewFunction[], key: SortKey, reverse = false): Int32Array {
  const order = Int32Array.from({ length: table.size }, (_, row) => row);
  let compare: (a: number, b: number) => number;
  if (key === 'name') {
    const names = Array.from(table.fn, (id) => functions[id].name.toLowerCase());
    const files = Array.from(table.fn, (id) => functions[id].file ?? '');
    const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    compare = (a, b) =>
      text(names[a], names[b]) || text(files[a], files[b]) || functions[table.fn[a]].line - functions[table.fn[b]].line || a - b;
  } else {
    const weight = table[key];
    // Ties go to the other weight, then to the table's own order: equal rows never swap places.
    const other = key === 'self' ? table.total : table.self;
    compare = (a, b) => weight[b] - weight[a] || other[b] - other[a] || a - b;
  }
  order.sort(reverse ? (a, b) => compare(b, a) : compare);
  return order;
}
