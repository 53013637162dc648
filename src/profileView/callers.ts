/**
 * Who called a function, and with how much weight: the line heat's hover lists them. Each call
 * counts once however deep the recursion under it (the outermost call of the function on a stack),
 * so the callers' weights add up to the function's total.
 */
import type { ViewData } from './data';

export interface CallerWeight {
  /** Index into `ViewData.functions`; -1 when the function was at the bottom of a stack. */
  fn: number;
  weight: number;
}

/** Each node's weight with everything under it, for `callersOf` (computed once per model). */
export function subtreeWeights(data: ViewData): Float64Array {
  const { parent, self } = data.tree;
  const total = Float64Array.from(self);
  // Preorder: a child comes after its parent, so summing from the end reaches parents last.
  for (let node = parent.length - 1; node >= 0; node--) if (parent[node] >= 0) total[parent[node]] += total[node];
  return total;
}

/** The callers of `fn`, heaviest first (ties: by function index). */
export function callersOf(data: ViewData, subtree: Float64Array, fn: number): CallerWeight[] {
  const { parent, fn: fnOf } = data.tree;
  // Whether a node is `fn` or below a call of it: those below are inside an outer call already.
  const inside = new Uint8Array(parent.length);
  const byCaller = new Map<number, number>();
  for (let node = 0; node < parent.length; node++) {
    const up = parent[node];
    const enclosed = up >= 0 && inside[up] === 1;
    if (fnOf[node] === fn) {
      inside[node] = 1;
      if (!enclosed && subtree[node] > 0) {
        const caller = up >= 0 ? fnOf[up] : -1;
        byCaller.set(caller, (byCaller.get(caller) ?? 0) + subtree[node]);
      }
    } else if (enclosed) inside[node] = 1;
  }
  return [...byCaller].map(([caller, weight]) => ({ fn: caller, weight })).sort((a, b) => b.weight - a.weight || a.fn - b.fn);
}
