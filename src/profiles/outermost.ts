/**
 * Totals that do not double-count recursion, on any call tree in depth-first preorder. Kept free
 * of imports: the profile view's page bundles it beside hotspots.ts's callers in the worker.
 */

/**
 * Adds each node's subtree weight to its key's total, but only for the outermost node of that key
 * on its path: a recursive function (or a line on the stack twice) counts each sample once.
 * Walks the preorder keeping how many open ancestors have each key; a key of -1 is skipped.
 */
export function addOutermost(end: Int32Array, keyOf: Int32Array, subtree: Float64Array, into: Float64Array): void {
  const size = end.length;
  const open = new Int32Array(into.length);
  const stack = new Int32Array(size);
  let depth = 0;
  for (let node = 0; node < size; node++) {
    while (depth > 0 && end[stack[depth - 1]] <= node) {
      const closed = keyOf[stack[--depth]];
      if (closed >= 0) open[closed]--;
    }
    const key = keyOf[node];
    if (key >= 0) {
      if (open[key] === 0) into[key] += subtree[node];
      open[key]++;
    }
    stack[depth++] = node;
  }
}
