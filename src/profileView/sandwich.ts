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
import { mergedLayout, type FlameLayout } from './flame';
import { MergedTree } from './mergedTree';
import type { ViewTree } from './viewTree';

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
  const merged = new MergedTree();
  const mergedOf = new Int32Array(tree.size);
  let node = 0;
  while (node < tree.size) {
    if (tree.fn[node] !== fn) {
      node++;
      continue;
    }
    // An outermost call: its whole subtree merges under the one root; nested calls are inside it.
    const end = tree.end[node];
    mergedOf[node] = merged.child(-1, fn);
    merged.self[mergedOf[node]] += tree.self[node];
    for (let inner = node + 1; inner < end; inner++) {
      mergedOf[inner] = merged.child(mergedOf[tree.parent[inner]], tree.fn[inner]);
      merged.self[mergedOf[inner]] += tree.self[inner];
    }
    node = end;
  }
  return mergedLayout(merged, tree.profileTotal);
}

function callersLayout(tree: ViewTree, fn: number): FlameLayout {
  // The innermost call of fn at or above each node, and the self weight that reaches each call.
  const innermost = new Int32Array(tree.size);
  const reaching = new Float64Array(tree.size);
  for (let node = 0; node < tree.size; node++) {
    const up = tree.parent[node];
    innermost[node] = tree.fn[node] === fn ? node : up >= 0 ? innermost[up] : -1;
    if (innermost[node] >= 0) reaching[innermost[node]] += tree.self[node];
  }
  const merged = new MergedTree();
  for (let call = 0; call < tree.size; call++) {
    if (reaching[call] === 0 || tree.fn[call] !== fn) continue;
    // Up the stack from this call; the weight is the self of the last (outermost) caller, so
    // that each inverted node's total is the weight that passed through it.
    let at = merged.child(-1, fn);
    for (let caller = tree.parent[call]; caller >= 0; caller = tree.parent[caller]) at = merged.child(at, tree.fn[caller]);
    merged.self[at] += reaching[call];
  }
  return mergedLayout(merged, tree.profileTotal);
}
