/**
 * The one model every importer produces: frames, a call tree whose nodes carry self weight, and
 * the unit of that weight. Compact on purpose — a 79 MB `.cpuprofile` has hundreds of thousands
 * of nodes, so the tree is a handful of typed arrays, not an object per node.
 */
import { ProfileError } from './errors';

export const PROFILE_FORMATS = ['cpuprofile', 'trace', 'heapprofile', 'speedscope', 'folded', 'pprof'] as const;
export type ProfileFormat = (typeof PROFILE_FORMATS)[number];

/** Time in milliseconds, allocated bytes, or plain sample counts (folded stacks, pprof counts). */
export type ProfileUnit = 'ms' | 'bytes' | 'samples';

/**
 * The factor to the model's unit, and that unit, for the units formats spell out in words; time
 * is kept in milliseconds, so every importer that reads a named time unit scales it the same way.
 */
export const MODEL_UNITS_BY_NAME: Readonly<Record<string, [number, ProfileUnit]>> = {
  nanoseconds: [1e-6, 'ms'],
  microseconds: [1e-3, 'ms'],
  milliseconds: [1, 'ms'],
  seconds: [1e3, 'ms'],
  bytes: [1, 'bytes'],
};

export interface Frame {
  name: string;
  /** The script, file or URL as the profile names it; '' for frames with none (GC, native, idle). */
  url: string;
  /** 1-based position of the function (or, when the format knows only that, of the frame); 0 when unknown. */
  line: number;
  column: number;
}

/**
 * The call tree in depth-first preorder: a node's parent comes before it, and its descendants are
 * exactly the nodes `index + 1 … end[index] - 1`.
 */
export interface CallTree {
  readonly size: number;
  /** -1 for a root. */
  parent: Int32Array;
  /** One past the node's last descendant. */
  end: Int32Array;
  /** Index into `Profile.frames`. */
  frame: Int32Array;
  /** The line the frame was executing in this node (1-based), 0 when the format does not say. */
  line: Int32Array;
  /** Weight spent in the node itself (in the profile's unit). */
  self: Float64Array;
  /** How many samples make up `self` (the statistical noise of a comparison depends on it). */
  selfSamples: Float64Array;
  /**
   * Sum of the squared weights of those samples, when they differ from sample to sample (V8's
   * intervals stretch when the process is descheduled); undefined when all weigh the same.
   */
  selfSquares: Float64Array | undefined;
}

/** Self weight of a node split by the lines it was executing (V8's `positionTicks`). */
export interface LineTicks {
  node: Int32Array;
  line: Int32Array;
  weight: Float64Array;
}

/**
 * What ran, in time order: run `i` is node `node[i]` on top of the stack for `weight[i]` (in the
 * profile's unit), then the next run follows at once. Consecutive samples of one node are one run.
 * Only formats that record a sequence have one (V8 samples with their time deltas, trace chunks,
 * speedscope's sampled and evented profiles); the weights add up to the tree's self weights.
 */
export interface Timeline {
  node: Int32Array;
  weight: Float64Array;
}

/** A thread, process or profile of a file that holds several; one of them is `selected`. */
export interface ProfileThread {
  name: string;
  samples: number;
  selected: boolean;
}

export interface Profile {
  format: ProfileFormat;
  unit: ProfileUnit;
  frames: Frame[];
  tree: CallTree;
  lineTicks: LineTicks | undefined;
  /** The samples in time order; undefined for formats that aggregate them (folded, pprof, heap profiles). */
  timeline: Timeline | undefined;
  /** Sum of all self weight. */
  total: number;
  /** Number of samples (or of allocations sampled, or of stack lines) behind `total`. */
  samples: number;
  threads: ProfileThread[];
  /** Things the reader should know (another thread was picked, a value type was chosen). */
  notes: string[];
}

/** Nodes as an importer found them, in any order, linked by parent index (-1 for roots). */
export interface LooseTree {
  size: number;
  parent: Int32Array;
  frame: Int32Array;
  line: Int32Array;
  self: Float64Array;
  selfSamples: Float64Array;
  selfSquares?: Float64Array;
  /** How the importer names node `index` in messages (V8 ids, usually). */
  describe?: (index: number) => string;
}

/**
 * Orders `loose` depth-first and checks that it is a forest: a node that cannot be reached from
 * a root sits on a cycle. Returns the tree and, for importers with per-node extras, the new index
 * of each old node.
 */
/**
 * Nodes grouped by parent (a counting sort, stable: children keep their order): row p + 1 of `rowStart` is p's
 * children, `children[rowStart[p + 1]] … children[rowStart[p + 2] - 1]`, and row 0 the roots (parent -1).
 * Also used by the profile view's merged trees (src/profileView/mergedTree.ts).
 */
export function childRows(parent: Int32Array, size: number): { rowStart: Int32Array; children: Int32Array } {
  const rowStart = new Int32Array(size + 2);
  for (let node = 0; node < size; node++) rowStart[parent[node] + 2]++;
  for (let row = 2; row < size + 2; row++) rowStart[row] += rowStart[row - 1];
  const children = new Int32Array(size);
  const fill = rowStart.slice(0, size + 1);
  for (let node = 0; node < size; node++) children[fill[parent[node] + 1]++] = node;
  return { rowStart, children };
}

export function buildTree(loose: LooseTree): { tree: CallTree; newIndex: Int32Array } {
  const { size, parent } = loose;
  // childStart[p + 1] … childStart[p + 2] are p's children; roots are the row of p = -1.
  const { rowStart: childStart, children } = childRows(parent, size);

  const order = new Int32Array(size);
  const newIndex = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size);
  let top = 0;
  for (let at = childStart[1] - 1; at >= childStart[0]; at--) stack[top++] = children[at];
  let next = 0;
  while (top > 0) {
    const node = stack[--top];
    newIndex[node] = next;
    order[next++] = node;
    // Pushed in reverse so that children keep the importer's order.
    for (let at = childStart[node + 2] - 1; at >= childStart[node + 1]; at--) stack[top++] = children[at];
  }
  if (next < size) {
    const stuck = newIndex.indexOf(-1);
    const name = loose.describe ? loose.describe(stuck) : `node ${stuck}`;
    throw new ProfileError(`the profile's call tree has a cycle: ${name} is its own ancestor`);
  }

  const tree: CallTree = {
    size,
    parent: new Int32Array(size),
    end: new Int32Array(size),
    frame: new Int32Array(size),
    line: new Int32Array(size),
    self: new Float64Array(size),
    selfSamples: new Float64Array(size),
    selfSquares: loose.selfSquares ? new Float64Array(size) : undefined,
  };
  for (let index = 0; index < size; index++) {
    const old = order[index];
    const oldParent = parent[old];
    tree.parent[index] = oldParent < 0 ? -1 : newIndex[oldParent];
    tree.frame[index] = loose.frame[old];
    tree.line[index] = loose.line[old];
    tree.self[index] = loose.self[old];
    tree.selfSamples[index] = loose.selfSamples[old];
    if (tree.selfSquares && loose.selfSquares) tree.selfSquares[index] = loose.selfSquares[old];
  }
  // Subtree ends, from the leaves up: a node ends where its last child's subtree ends.
  for (let index = size - 1; index >= 0; index--) {
    if (tree.end[index] === 0) tree.end[index] = index + 1;
    const up = tree.parent[index];
    if (up >= 0 && tree.end[up] < tree.end[index]) tree.end[up] = tree.end[index];
  }
  return { tree, newIndex };
}

/**
 * Builds a call tree from whole stacks (folded lines, pprof and speedscope samples, heap nodes):
 * the same frame at the same line under the same parent is one node.
 */
export class StackTrie {
  size = 0;
  private parent = new Int32Array(1024);
  private frame = new Int32Array(1024);
  private line = new Int32Array(1024);
  private self = new Float64Array(1024);
  private selfSamples = new Float64Array(1024);
  private readonly index = new Map<string, number>();

  /** The node for `frame` (at `line`) under `parent` (-1: a root), created when new. */
  child(parent: number, frame: number, line = 0): number {
    const key = `${parent},${frame},${line}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    if (this.size === this.parent.length) this.grow();
    const node = this.size++;
    this.parent[node] = parent;
    this.frame[node] = frame;
    this.line[node] = line;
    this.index.set(key, node);
    return node;
  }

  addSelf(node: number, weight: number, samples: number): void {
    this.self[node] += weight;
    this.selfSamples[node] += samples;
  }

  toTree(): CallTree {
    return this.toIndexedTree().tree;
  }

  /** The tree, and the tree index of each node this trie numbered (for a timeline recorded against the trie). */
  toIndexedTree(): { tree: CallTree; newIndex: Int32Array } {
    const size = this.size;
    return buildTree({
      size,
      parent: this.parent.subarray(0, size),
      frame: this.frame.subarray(0, size),
      line: this.line.subarray(0, size),
      self: this.self.subarray(0, size),
      selfSamples: this.selfSamples.subarray(0, size),
    });
  }

  private grow(): void {
    const capacity = this.parent.length * 2;
    const grow = <T extends Int32Array | Float64Array>(array: T, make: (length: number) => T): T => {
      const grown = make(capacity);
      grown.set(array);
      return grown;
    };
    this.parent = grow(this.parent, (length) => new Int32Array(length));
    this.frame = grow(this.frame, (length) => new Int32Array(length));
    this.line = grow(this.line, (length) => new Int32Array(length));
    this.self = grow(this.self, (length) => new Float64Array(length));
    this.selfSamples = grow(this.selfSamples, (length) => new Float64Array(length));
  }
}

/** Interns frames by value: importers that meet the same frame many times store it once. */
export class FrameTable {
  readonly frames: Frame[] = [];
  private readonly index = new Map<string, number>();

  add(name: string, url: string, line: number, column: number): number {
    const key = `${name}\0${url}\0${line}\0${column}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    this.frames.push({ name, url, line, column });
    this.index.set(key, this.frames.length - 1);
    return this.frames.length - 1;
  }
}

/**
 * Records a timeline as samples come, in time order: a sample of the node on top already extends
 * its run. Nodes are the importer's own numbering until `finish` maps them into the tree's.
 */
export class TimelineRecorder {
  private node = new Int32Array(1024);
  private weight = new Float64Array(1024);
  private count = 0;

  add(node: number, weight: number): void {
    // No time, nothing to draw: a zero-length sample must not split the run around it either.
    if (!(weight > 0)) return;
    const last = this.count - 1;
    if (last >= 0 && this.node[last] === node) {
      this.weight[last] += weight;
      return;
    }
    if (this.count === this.node.length) {
      const node = new Int32Array(this.count * 2);
      node.set(this.node);
      this.node = node;
      const grown = new Float64Array(this.count * 2);
      grown.set(this.weight);
      this.weight = grown;
    }
    this.node[this.count] = node;
    this.weight[this.count++] = weight;
  }

  /** The timeline with each node renumbered by `newIndex` (buildTree's), its weights times `factor`. */
  finish(newIndex: Int32Array, factor = 1): Timeline {
    const node = new Int32Array(this.count);
    const weight = new Float64Array(this.count);
    for (let at = 0; at < this.count; at++) {
      node[at] = newIndex[this.node[at]];
      weight[at] = this.weight[at] * factor;
    }
    return { node, weight };
  }
}
