/**
 * The call tree the view draws: the profile's tree with hidden functions folded away. A hidden
 * node's self weight becomes its nearest visible caller's self weight and its children become
 * that caller's children, so every layout, table and sandwich built on it honours "My code only"
 * without knowing about it.
 */
import type { ViewData } from './data';

export interface ViewTree {
  readonly size: number;
  /** Depth-first preorder, as the profile's tree; -1 for a root. */
  parent: Int32Array;
  /** One past the node's last descendant. */
  end: Int32Array;
  /** Index into `ViewData.functions`. */
  fn: Int32Array;
  self: Float64Array;
  /** Self plus every descendant's self. */
  total: Float64Array;
  /** How many functions `fn` indexes (the size of per-function arrays). */
  functionCount: number;
  /** The profile's total: shares are of it, whatever is hidden. */
  profileTotal: number;
  /** Weight of hidden nodes with no visible caller (`(program)`, `(idle)` under "My code only"): in no node. */
  unattributed: number;
  /** The node of this tree each node of the data's tree folded into; -1 for a hidden one with no visible caller. */
  ofDataNode: Int32Array;
}

/**
 * Folds every node whose function `hidden` marks into its nearest visible ancestor.
 */
export function foldTree(data: ViewData, hidden: Uint8Array): ViewTree {
  const { parent: oldParent, fn: oldFn, self: oldSelf } = data.tree;
  const count = oldParent.length;
  // The new index of a visible node, or for a hidden one its nearest visible ancestor's (-1: none).
  const mapped = new Int32Array(count);
  const parent = new Int32Array(count);
  const fn = new Int32Array(count);
  const self = new Float64Array(count);
  let size = 0;
  let unattributed = 0;
  for (let node = 0; node < count; node++) {
    const up = oldParent[node] < 0 ? -1 : mapped[oldParent[node]];
    if (hidden[oldFn[node]]) {
      mapped[node] = up;
      if (up >= 0) self[up] += oldSelf[node];
      else unattributed += oldSelf[node];
      continue;
    }
    // Keeping the old order keeps preorder: the nearest visible ancestor of a node is an ancestor
    // of every visible node between them.
    parent[size] = up;
    fn[size] = oldFn[node];
    self[size] += oldSelf[node];
    mapped[node] = size++;
  }
  const tree: ViewTree = {
    size,
    parent: parent.slice(0, size),
    end: new Int32Array(size),
    fn: fn.slice(0, size),
    self: self.slice(0, size),
    total: new Float64Array(size),
    functionCount: data.functions.length,
    profileTotal: data.summary.total,
    unattributed,
    ofDataNode: mapped,
  };
  // From the leaves up, as model.ts's buildTree does.
  for (let node = size - 1; node >= 0; node--) {
    if (tree.end[node] === 0) tree.end[node] = node + 1;
    tree.total[node] += tree.self[node];
    const up = tree.parent[node];
    if (up >= 0) {
      tree.total[up] += tree.total[node];
      if (tree.end[up] < tree.end[node]) tree.end[up] = tree.end[node];
    }
  }
  return tree;
}
