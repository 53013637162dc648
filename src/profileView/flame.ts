/**
 * Flame graph layouts as flat typed arrays a canvas renderer draws and hit-tests directly: node i
 * spans [start[i], start[i] + width[i]) in the profile's unit at row depth[i]. Nodes are in
 * depth-first preorder (`end[i]` is one past the last descendant), so a subtree too narrow to see
 * is skipped in one step; they are also indexed by row, in x order, for hit-testing by bisection.
 * Nodes of zero weight are left out: there is nothing to draw.
 */
import type { ViewTimeline } from './data';
import { mergeSiblings, type MergedRows } from './mergedTree';
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
  /** The x axis runs from 0 to this: the profile's total for the flame graph, the function's total for a sandwich. */
  span: number;
  /** True when x is time since the recording began (the timeline), so a node's start is a moment. */
  timed: boolean;
  /** Row d holds `rowNodes[rowStart[d]] … rowNodes[rowStart[d + 1] - 1]`, left to right (built on first use). */
  readonly rowStart: Int32Array;
  readonly rowNodes: Int32Array;
}

/**
 * The call tree as the profile lists it, for formats that record no time order (folded stacks,
 * pprof, heap profiles): children in the order of first appearance, so a function called, left
 * and called again is one node.
 */
export function callOrderLayout(tree: ViewTree): FlameLayout {
  // The view tree is already in preorder with children in recorded order: one pass lays it out.
  const { size, parent, end, fn, self, total } = tree;
  const writer = new LayoutWriter(size);
  const outOf = new Int32Array(size);
  let node = 0;
  while (node < size) {
    if (!(total[node] > 0)) {
      node = end[node];
      continue;
    }
    // A laid-out node's parent was laid out: a skipped node's subtree is skipped with it.
    outOf[node] = writer.add(parent[node] < 0 ? -1 : outOf[parent[node]], fn[node], self[node], total[node]);
    node++;
  }
  return writer.finish(tree.profileTotal);
}

/**
 * The flame chart of the recording (Chrome DevTools' flame chart, speedscope's "time order"): x is
 * time since the profile began and a node is one stretch of time its function stayed on the stack,
 * so a function called, left and called again is two nodes. At each run of the timeline the stack
 * is that run's node and its callers in the view tree: frames the previous run shares stretch on,
 * the others close and open. Runs of nodes "My code only" folds away with no visible caller
 * (`(idle)`, `(program)`) leave a gap: the axis stays time.
 */
export function timelineLayout(tree: ViewTree, timeline: ViewTimeline): FlameLayout {
  const { parent, fn: fnOf, ofDataNode } = tree;
  const level = new Int32Array(tree.size);
  let deepest = 0;
  for (let node = 0; node < tree.size; node++) {
    level[node] = parent[node] < 0 ? 0 : level[parent[node]] + 1;
    if (level[node] > deepest) deepest = level[node];
  }
  const nodes = new GrowingLayout(Math.max(1024, timeline.node.length * 2));
  // The open stack: view node and layout node at each depth.
  const openView = new Int32Array(deepest + 1);
  const openNode = new Int32Array(deepest + 1);
  let open = 0;
  // Ancestors of the run's node not open yet, deepest first.
  const pending = new Int32Array(deepest + 1);
  let time = 0;
  const runs = timeline.node.length;
  for (let run = 0; run < runs; run++) {
    const weight = timeline.weight[run];
    if (!(weight > 0)) continue;
    const target = ofDataNode[timeline.node[run]];
    if (target < 0) {
      open = nodes.close(openNode, open, 0, time);
      time += weight;
      continue;
    }
    if (open === 0 || openView[open - 1] !== target) {
      // Climb from the target to the deepest frame still open on its path.
      let common = target;
      let waiting = 0;
      while (common >= 0 && (level[common] >= open || openView[level[common]] !== common)) {
        pending[waiting++] = common;
        common = parent[common];
      }
      open = nodes.close(openNode, open, common < 0 ? 0 : level[common] + 1, time);
      while (waiting > 0) {
        const view = pending[--waiting];
        openNode[open] = nodes.open(open > 0 ? openNode[open - 1] : -1, fnOf[view], open, time);
        openView[open++] = view;
      }
    }
    nodes.self[openNode[open - 1]] += weight;
    time += weight;
  }
  nodes.close(openNode, open, 0, time);
  return assemble(nodes, nodes.count, nodes.maxDepth, Math.max(tree.profileTotal, time), true);
}

/** The arrays a layout is collected in, node by node in preorder; LayoutWriter and GrowingLayout fill them. */
abstract class LayoutCollector implements LayoutNodes {
  count = 0;
  maxDepth = -1;
  start: Float64Array;
  width: Float64Array;
  depth: Int32Array;
  fn: Int32Array;
  self: Float64Array;
  parent: Int32Array;

  constructor(capacity: number) {
    this.start = new Float64Array(capacity);
    this.width = new Float64Array(capacity);
    this.depth = new Int32Array(capacity);
    this.fn = new Int32Array(capacity);
    this.self = new Float64Array(capacity);
    this.parent = new Int32Array(capacity);
  }
}

/** The timeline's frames as they open and close; arrays grow as needed (the count is known only at the end). */
class GrowingLayout extends LayoutCollector {
  end: Int32Array;

  constructor(capacity: number) {
    super(capacity);
    this.end = new Int32Array(capacity);
  }

  /** A frame of `fn` opening at `time`, at `depth` under `parent`; its index. */
  open(parent: number, fn: number, depth: number, time: number): number {
    if (this.count === this.start.length) this.grow();
    const at = this.count++;
    this.start[at] = time;
    this.depth[at] = depth;
    this.fn[at] = fn;
    this.parent[at] = parent;
    if (depth > this.maxDepth) this.maxDepth = depth;
    return at;
  }

  /**
   * Closes the stack's frames from depth `open - 1` down to `keep` at `time`; returns the new stack
   * height, `keep`. A closing frame's descendants are exactly the frames opened since it: its end.
   */
  close(stack: Int32Array, open: number, keep: number, time: number): number {
    for (let depth = open - 1; depth >= keep; depth--) {
      const node = stack[depth];
      this.width[node] = time - this.start[node];
      this.end[node] = this.count;
    }
    return keep;
  }

  private grow(): void {
    const capacity = this.start.length * 2;
    this.start = enlarged(this.start, capacity);
    this.width = enlarged(this.width, capacity);
    this.self = enlarged(this.self, capacity);
    this.depth = enlarged(this.depth, capacity);
    this.fn = enlarged(this.fn, capacity);
    this.parent = enlarged(this.parent, capacity);
    this.end = enlarged(this.end, capacity);
  }
}

/** A copy of `array` `capacity` long, its values kept. */
function enlarged<T extends Float64Array | Int32Array>(array: T, capacity: number): T {
  const grown = new (array.constructor as new (length: number) => T)(capacity);
  grown.set(array);
  return grown;
}

/**
 * Siblings of the same function merged (recursively: their children merge too), heaviest first —
 * speedscope's "left heavy": the widest paths line up on the left whatever the call order.
 */
export function leftHeavyLayout(tree: ViewTree): FlameLayout {
  const roots: number[] = [];
  for (let node = 0; node < tree.size; node = tree.end[node]) roots.push(node);
  return layOutRows(mergeSiblings(tree, roots), tree.profileTotal);
}

/**
 * Merged rows laid out in preorder, each row heaviest first (ties by function, so the layout does
 * not depend on the order samples came in). `span`: the x axis's extent, at least the roots' width
 * (0: exactly their width).
 */
export function layOutRows(rows: MergedRows, span: number): FlameLayout {
  const { size, parent, fn, self, rowStart, children } = rows;
  // Children are numbered after their parents: sum from the end.
  const total = new Float64Array(size);
  for (let node = size - 1; node >= 0; node--) {
    total[node] += self[node];
    if (parent[node] >= 0) total[parent[node]] += total[node];
  }
  const heavier = (a: number, b: number): number => total[b] - total[a] || fn[a] - fn[b];
  for (let row = 0; row <= size; row++) {
    const from = rowStart[row];
    const to = rowStart[row + 1];
    if (to - from > 16) children.subarray(from, to).sort(heavier);
    else {
      // Most rows hold a few children: an insertion sort in place beats a typed-array sort with a
      // comparator, whose set-up dominated the left-heavy layout (`npm run bench -- profile-view`).
      for (let at = from + 1; at < to; at++) {
        const node = children[at];
        let into = at;
        while (into > from && heavier(children[into - 1], node) > 0) {
          children[into] = children[into - 1];
          into--;
        }
        children[into] = node;
      }
    }
  }

  const writer = new LayoutWriter(size);
  const outOf = new Int32Array(size);
  const stack = new Int32Array(size);
  let top = 0;
  // A node's row of children, pushed reversed so that they come off the stack heaviest first.
  const push = (row: number): void => {
    for (let at = rowStart[row + 1] - 1; at >= rowStart[row]; at--) if (total[children[at]] > 0) stack[top++] = children[at];
  };
  push(0);
  while (top > 0) {
    const node = stack[--top];
    outOf[node] = writer.add(parent[node] < 0 ? -1 : outOf[parent[node]], fn[node], self[node], total[node]);
    push(node + 1);
  }
  return writer.finish(span);
}

/**
 * Collects a layout node by node in preorder: each child starts where its previous sibling ended,
 * the first at its parent's start (the parent's self weight is the gap left on its right).
 */
class LayoutWriter extends LayoutCollector {
  private rootCursor = 0;
  /** Where the next child of each node starts. */
  private readonly cursor: Float64Array;

  constructor(capacity: number) {
    super(capacity);
    this.cursor = new Float64Array(capacity);
  }

  /** Adds the next node in preorder under `parent` (an index this writer returned, or -1); returns its index. */
  add(parent: number, fn: number, self: number, total: number): number {
    const at = this.count++;
    const { cursor, depth } = this;
    let start: number;
    let level = 0;
    if (parent < 0) {
      start = this.rootCursor;
      this.rootCursor += total;
    } else {
      start = cursor[parent];
      cursor[parent] += total;
      level = depth[parent] + 1;
    }
    this.parent[at] = parent;
    this.start[at] = start;
    cursor[at] = start;
    depth[at] = level;
    this.width[at] = total;
    this.fn[at] = fn;
    this.self[at] = self;
    if (level > this.maxDepth) this.maxDepth = level;
    return at;
  }

  finish(span: number): FlameLayout {
    // Never narrower than the roots: a layout is never clipped (the sandwich asks for exactly their width).
    return assemble(this, this.count, this.maxDepth, Math.max(span, this.rootCursor), false);
  }
}

/** A layout's nodes as collected, in preorder, before their subtree ends and rows are known. */
interface LayoutNodes {
  start: Float64Array;
  width: Float64Array;
  depth: Int32Array;
  fn: Int32Array;
  self: Float64Array;
  parent: Int32Array;
  /** One past each node's last descendant, when the collector knows it already. */
  end?: Int32Array;
}

/** The first `count` nodes as a layout: trimmed, with each subtree's end (the nodes of each row on first use). */
function assemble(nodes: LayoutNodes, count: number, maxDepth: number, span: number, timed: boolean): FlameLayout {
  const { parent, depth } = nodes;
  let end: Int32Array;
  if (nodes.end) end = nodes.end.length === count ? nodes.end : nodes.end.slice(0, count);
  else {
    end = new Int32Array(count);
    for (let node = count - 1; node >= 0; node--) {
      if (end[node] === 0) end[node] = node + 1;
      const up = parent[node];
      if (up >= 0 && end[up] < end[node]) end[up] = end[node];
    }
  }
  // Copied only when the collector's arrays are longer than the layout (a timeline's grow by doubling).
  const trim = <T extends Float64Array | Int32Array>(array: T): T => (array.length === count ? array : (array.slice(0, count) as T));
  return {
    size: count,
    start: trim(nodes.start),
    width: trim(nodes.width),
    depth: trim(depth),
    fn: trim(nodes.fn),
    self: trim(nodes.self),
    end,
    maxDepth,
    span,
    timed,
    // The rows serve hit-testing only (nodeAt): built at the first pointer or keyboard question, not for the first paint.
    get rowStart() {
      return rowsOf(this).rowStart;
    },
    get rowNodes() {
      return rowsOf(this).rowNodes;
    },
  };
}

const rowsCache = new WeakMap<FlameLayout, { rowStart: Int32Array; rowNodes: Int32Array }>();

/** Row d of `layout` holds its nodes of depth d, left to right: a counting sort on depth (stable, and preorder meets each row left to right). */
function rowsOf(layout: FlameLayout): { rowStart: Int32Array; rowNodes: Int32Array } {
  let rows = rowsCache.get(layout);
  if (rows) return rows;
  const { size, depth, maxDepth } = layout;
  const rowStart = new Int32Array(maxDepth + 2);
  for (let node = 0; node < size; node++) rowStart[depth[node] + 1]++;
  for (let row = 1; row < rowStart.length; row++) rowStart[row] += rowStart[row - 1];
  const rowFill = rowStart.slice();
  const rowNodes = new Int32Array(size);
  for (let node = 0; node < size; node++) rowNodes[rowFill[depth[node]]++] = node;
  rows = { rowStart, rowNodes };
  rowsCache.set(layout, rows);
  return rows;
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
