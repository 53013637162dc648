/**
 * The sandwich of one function: who called it (an inverted tree: the function at the root, its
 * callers above) and what it called (its callees below it), each merged by function and laid out
 * heaviest first, ready to draw like the flame graph.
 *
 * Recursion: each sample counts once in each tree, so both roots weigh the function's total. The
 * callees tree starts at the outermost call on a stack (a recursive call shows up inside it); the
 * callers tree starts at the innermost (outer recursive calls show up among the callers). Between
 * them, every frame of a sample's stack is shown once.
 */
import { layOutRows, type FlameLayout } from './flame';
import { MergedTree, mergeSiblings } from './mergedTree';
import type { ViewTree } from './viewTree';

/** Both trees span the function's total (`span`), so that its bar fills the width; shares are still of the profile's total. */
export interface Sandwich {
  /** Depth 0 is the function; depth d is the caller d calls away. */
  callers: FlameLayout;
  /** Depth 0 is the function; below it what it called. */
  callees: FlameLayout;
}

/**
 * The sandwich of function `fn` in `tree` (empty layouts when it has no weight there, e.g. hidden).
 */
export function sandwich(tree: ViewTree, fn: number): Sandwich {
  return { callers: callersLayout(tree, fn), callees: calleesLayout(tree, fn) };
}

function calleesLayout(tree: ViewTree, fn: number): FlameLayout {
  // The outermost calls: nested ones (recursion) are inside their subtrees, merged with them.
  const outermost: number[] = [];
  let node = 0;
  while (node < tree.size) {
    if (tree.fn[node] === fn) {
      outermost.push(node);
      node = tree.end[node];
    } else node++;
  }
  // Spanning the function's total: its bar fills the width, as in speedscope's sandwich.
  return layOutRows(mergeSiblings(tree, outermost), 0);
}

function callersLayout(tree: ViewTree, fn: number): FlameLayout {
  const { size, parent, self } = tree;
  const fnOf = tree.fn;
  // The innermost call of fn at or above each node, and the self weight that reaches each call.
  const innermost = new Int32Array(size);
  const reaching = new Float64Array(size);
  for (let node = 0; node < size; node++) {
    const up = parent[node];
    const call = fnOf[node] === fn ? node : up >= 0 ? innermost[up] : -1;
    innermost[node] = call;
    if (call >= 0) reaching[call] += self[node];
  }
  const merged = new MergedTree();
  for (let call = 0; call < size; call++) {
    if (reaching[call] === 0 || fnOf[call] !== fn) continue;
    // Up the stack from this call; the weight is the self of the last (outermost) caller, so
    // that each inverted node's total is the weight that passed through it.
    let at = merged.child(-1, fn);
    for (let caller = parent[call]; caller >= 0; caller = parent[caller]) at = merged.child(at, fnOf[caller]);
    merged.self[at] += reaching[call];
  }
  return layOutRows(merged.toRows(), 0);
}
