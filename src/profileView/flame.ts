/**
 * Flame graph layouts as flat typed arrays a canvas renderer draws and hit-tests directly: node i
 * spans [start[i], start[i] + width[i]) in the profile's unit at row depth[i]. Nodes are in
 * depth-first preorder (`end[i]` is one past the last descendant), so a subtree too narrow to see
 * is skipped in one step; they are also indexed by row, in x order, for hit-testing by bisection.
 * Nodes of zero weight are left out: there is nothing to draw.
 */
import { MergedTree } from './mergedTree';
import type { ViewTree } from './viewTree';

export interface FlameLayout {
  readonly size: number;
  start: Float64Array;
  /** The node's total weight. */
  width: Float64Array;
  depth: Int32Array;
  /** Index into `ViewData.functions`. */
  fn: Int32Array;
  self: Float64Array;
  /** One past the node's last descendant (preorder). */
  end: Int32Array;
  /** The deepest row; -1 when the layout is empty. */
  maxDepth: number;
  /** The x axis runs from 0 to this: the profile's total, so widths read as shares. */
  span: number;
  /** Row d holds `rowNodes[rowStart[d]] … rowNodes[rowStart[d + 1] - 1]`, left to right. */
  rowStart: Int32Array;
  rowNodes: Int32Array;
}

/**
 * The call tree as recorded: children in the order the profile lists them. The model keeps no
 * sample timeline (importers add each sample's weight to its stack's node), so this is the order
 * of first appearance, not a timeline: a function called, left and called again is one node.
 */
export function timeOrderLayout(tree: ViewTree): FlameLayout {
  return layOut(tree.size, tree.parent, tree.fn, tree.self, tree.total, tree.profileTotal, false);
}

/**
 * Siblings of the same function merged (recursively: their children merge too), heaviest first —
 * speedscope's "left heavy": the widest paths line up on the left whatever the call order.
 */
export function leftHeavyLayout(tree: ViewTree): FlameLayout {
  const merged = new MergedTree(tree.functionCount);
  const mergedOf = new Int32Array(tree.size);
  for (let node = 0; node < tree.size; node++) {
    const up = tree.parent[node];
    mergedOf[node] = merged.child(up < 0 ? -1 : mergedOf[up], tree.fn[node]);
    merged.self[mergedOf[node]] += tree.self[node];
  }
  return mergedLayout(merged, tree.profileTotal);
}

/** A merged tree laid out heaviest child first (the sandwich's trees are built this way too). */
export function mergedLayout(merged: MergedTree, span: number): FlameLayout {
  return layOut(merged.size, merged.parent, merged.fn, merged.self, merged.totals(), span, true);
}

/**
 * Lays out a tree whose parents precede their children (by index), children in index order or
 * heaviest first; each child starts where its previous sibling ended, the first at its parent's
 * start (the parent's self weight is the gap left on the right).
 */
function layOut(
  size: number,
  parent: Int32Array,
  fn: Int32Array,
  self: Float64Array,
  total: Float64Array,
  span: number,
  heaviestFirst: boolean,
): FlameLayout {
  // Children as compressed rows: childStart[p + 1] … childStart[p + 2] are p's, roots are p = -1.
  const childStart = new Int32Array(size + 2);
  for (let node = 0; node < size; node++) childStart[parent[node] + 2]++;
  for (let row = 2; row < size + 2; row++) childStart[row] += childStart[row - 1];
  const children = new Int32Array(size);
  const fill = childStart.slice(0, size + 1);
  for (let node = 0; node < size; node++) children[fill[parent[node] + 1]++] = node;
  if (heaviestFirst) {
    for (let row = 0; row <= size; row++) {
      if (childStart[row + 1] - childStart[row] > 1)
        children.subarray(childStart[row], childStart[row + 1]).sort((a, b) => total[b] - total[a] || fn[a] - fn[b]);
    }
  }

  const out = {
    start: new Float64Array(size),
    width: new Float64Array(size),
    depth: new Int32Array(size),
    fn: new Int32Array(size),
    self: new Float64Array(size),
    end: new Int32Array(size),
  };
  const outParent = new Int32Array(size);
  // Where the next child of each laid-out node starts; the roots' cursor is separate.
  const cursor = new Float64Array(size);
  const outOf = new Int32Array(size);
  let rootCursor = 0;
  let count = 0;
  let maxDepth = -1;
  const stack = new Int32Array(size);
  let top = 0;
  const pushChildren = (row: number): void => {
    // Reversed, so that they come off the stack in order.
    for (let at = childStart[row + 1] - 1; at >= childStart[row]; at--) if (total[children[at]] > 0) stack[top++] = children[at];
  };
  pushChildren(0);
  while (top > 0) {
    const node = stack[--top];
    const up = parent[node] < 0 ? -1 : outOf[parent[node]];
    const at = count++;
    outOf[node] = at;
    outParent[at] = up;
    if (up < 0) {
      out.start[at] = rootCursor;
      rootCursor += total[node];
      out.depth[at] = 0;
    } else {
      out.start[at] = cursor[up];
      cursor[up] += total[node];
      out.depth[at] = out.depth[up] + 1;
    }
    cursor[at] = out.start[at];
    out.width[at] = total[node];
    out.fn[at] = fn[node];
    out.self[at] = self[node];
    if (out.depth[at] > maxDepth) maxDepth = out.depth[at];
    pushChildren(node + 1);
  }
  for (let node = count - 1; node >= 0; node--) {
    if (out.end[node] === 0) out.end[node] = node + 1;
    const up = outParent[node];
    if (up >= 0 && out.end[up] < out.end[node]) out.end[up] = out.end[node];
  }
  // Rows by a counting sort on depth: stable, and preorder meets each row left to right.
  const rowStart = new Int32Array(maxDepth + 2);
  for (let node = 0; node < count; node++) rowStart[out.depth[node] + 1]++;
  for (let row = 1; row < rowStart.length; row++) rowStart[row] += rowStart[row - 1];
  const rowFill = rowStart.slice();
  const rowNodes = new Int32Array(count);
  for (let node = 0; node < count; node++) rowNodes[rowFill[out.depth[node]]++] = node;
  return {
    size: count,
    start: out.start.slice(0, count),
    width: out.width.slice(0, count),
    depth: out.depth.slice(0, count),
    fn: out.fn.slice(0, count),
    self: out.self.slice(0, count),
    end: out.end.slice(0, count),
    maxDepth,
    // Wider than the profile's total only if weights were added twice, which would be a bug; never narrower than what is drawn.
    span: Math.max(span, rootCursor),
    rowStart,
    rowNodes,
  };
}

/**
 * The node at `x` (in the profile's unit) on row `depth`, or -1.
 */
export function nodeAt(layout: FlameLayout, x: number, depth: number): number {
  if (depth < 0 || depth > layout.maxDepth) return -1;
  let low = layout.rowStart[depth];
  let high = layout.rowStart[depth + 1] - 1;
  // The last node of the row that starts at or before x.
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (layout.start[layout.rowNodes[middle]] <= x) {
      found = layout.rowNodes[middle];
      low = middle + 1;
    } else high = middle - 1;
  }
  return found >= 0 && x < layout.start[found] + layout.width[found] ? found : -1;
}

/**
 * The nodes to draw when the window [x0, x1] fills `pixels` pixels: those that overlap it and are
 * at least `minPixels` wide. A node too narrow is skipped with its whole subtree (no descendant is
 * wider), so the cost follows what is drawn, not the size of the profile.
 */
export function visibleNodes(layout: FlameLayout, x0: number, x1: number, pixels: number, minPixels = 1): Int32Array {
  const minWidth = pixels > 0 ? (minPixels * (x1 - x0)) / pixels : Number.POSITIVE_INFINITY;
  const found: number[] = [];
  let node = 0;
  while (node < layout.size) {
    const start = layout.start[node];
    const width = layout.width[node];
    if (width < minWidth || start >= x1 || start + width <= x0) {
      node = layout.end[node];
      continue;
    }
    found.push(node);
    node++;
  }
  return Int32Array.from(found);
}
