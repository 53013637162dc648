/**
 * Search and filter: which functions a query matches (a case-insensitive substring of the name or
 * the file), then which flame nodes to highlight and which table rows to keep. One matcher serves
 * the search box and the table's filter, so they never disagree.
 */
import type { ViewFunction } from './data';
import type { FlameLayout } from './flame';
import type { FunctionTable } from './table';

/**
 * 1 for each function the query matches; undefined for a blank query (nothing to highlight, no filter).
 */
export function matchFunctions(functions: readonly ViewFunction[], query: string): Uint8Array | undefined {
  const needle = query.trim().toLowerCase();
  if (needle === '') return undefined;
  const matches = new Uint8Array(functions.length);
  functions.forEach((fn, index) => {
    if (fn.name.toLowerCase().includes(needle) || (fn.file !== undefined && fn.file.toLowerCase().includes(needle))) matches[index] = 1;
  });
  return matches;
}

/**
 * The layout's nodes whose function matches, in preorder.
 */
export function matchingNodes(layout: FlameLayout, matches: Uint8Array): Int32Array {
  const found: number[] = [];
  for (let node = 0; node < layout.size; node++) if (matches[layout.fn[node]]) found.push(node);
  return Int32Array.from(found);
}

/**
 * `order` (from sortRows) without the rows whose function does not match; all of it without matches.
 */
export function filterRows(table: FunctionTable, order: Int32Array, matches: Uint8Array | undefined): Int32Array {
  return matches ? order.filter((row) => matches[table.fn[row]] === 1) : order;
}
