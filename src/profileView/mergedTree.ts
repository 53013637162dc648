/**
 * Trees merged by function — each (parent, function) pair one node — with each node's children
 * grouped in rows, ready for flame.ts's layOutRows: the left-heavy graph and the sandwich's callees
 * merge subtrees (mergeSiblings), the sandwich's callers merge paths (MergedTree).
 */
import { childRows } from '../profiles/model';
import type { ViewTree } from './viewTree';

/**
 * A tree merged by function, its children grouped in rows: row p + 1 (`children[rowStart[p + 1]]`
 * … `children[rowStart[p + 2] - 1]`) holds node p's children, row 0 the roots.
 */
export interface MergedRows {
  size: number;
  parent: Int32Array;
  fn: Int32Array;
  self: Float64Array;
  rowStart: Int32Array;
  children: Int32Array;
}

/**
 * Merges the subtrees of `firsts` (nodes of `tree`; those of one function become one root) sibling
 * by sibling, breadth first: each merged node gathers the nodes it stands for, then their children
 * are merged in one go, found by a per-function stamp instead of a hash. Nodes are numbered in that
 * order, so each node's children are numbered consecutively: they are its row as they stand.
 */
export function mergeSiblings(tree: ViewTree, firsts: readonly number[]): MergedRows {
  const { end, fn, self } = tree;
  // Merging only shrinks: the subtrees' node count is enough room.
  const capacity = tree.size;
  const mergedParent = new Int32Array(capacity);
  const mergedFn = new Int32Array(capacity);
  const mergedSelf = new Float64Array(capacity);
  const rowStart = new Int32Array(capacity + 2);
  // The nodes each merged node stands for, as linked lists through the tree's node indices.
  const firstSource = new Int32Array(capacity);
  const nextSource = new Int32Array(tree.size);
  // The merged node each function last became under `stampOwner[fn]`: valid while that owner's children are merged.
  const stampOwner = new Int32Array(tree.functionCount).fill(-2);
  const stampNode = new Int32Array(tree.functionCount);
  let size = 0;
  const add = (owner: number, node: number): void => {
    const f = fn[node];
    let into = stampNode[f];
    if (stampOwner[f] !== owner) {
      into = size++;
      mergedParent[into] = owner;
      mergedFn[into] = f;
      firstSource[into] = -1;
      stampOwner[f] = owner;
      stampNode[f] = into;
    }
    mergedSelf[into] += self[node];
    nextSource[node] = firstSource[into];
    firstSource[into] = node;
  };
  for (const node of firsts) add(-1, node);
  rowStart[1] = size;
  for (let merged = 0; merged < size; merged++) {
    for (let source = firstSource[merged]; source >= 0; source = nextSource[source])
      for (let child = source + 1; child < end[source]; child = end[child]) add(merged, child);
    rowStart[merged + 2] = size;
  }
  return {
    size,
    parent: mergedParent.subarray(0, size),
    fn: mergedFn.subarray(0, size),
    self: mergedSelf.subarray(0, size),
    rowStart: rowStart.subarray(0, size + 2),
    children: Int32Array.from({ length: size }, (_, index) => index),
  };
}

/**
 * A tree merged from paths: the callers tree, built walking up each stack from the function.
 *
 * The pairs are found in an open-addressing hash table of typed arrays rather than a Map: a key
 * packing parent and function outgrows V8's small integers on a large profile, and with a Map of
 * such keys the left-heavy layout of 100,000 nodes (built this way at first) took 1.7× as long
 * (`npm run bench -- profile-view`: 166 ms → 99 ms of CPU, cold).
 */
export class MergedTree {
  size = 0;
  parent = new Int32Array(256);
  fn = new Int32Array(256);
  self = new Float64Array(256);
  /** Node + 1 per slot, 0 when empty; kept at most half full. */
  private slots = new Int32Array(512);

  /** The node for `fn` under `parent` (-1: a root), created when new; parents precede children. */
  child(parent: number, fn: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash(parent, fn) & mask;
    for (;;) {
      const entry = slots[slot] - 1;
      if (entry < 0) break;
      if (this.parent[entry] === parent && this.fn[entry] === fn) return entry;
      slot = (slot + 1) & mask;
    }
    if (this.size === this.parent.length) this.grow();
    const node = this.size++;
    this.parent[node] = parent;
    this.fn[node] = fn;
    this.slots[slot] = node + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return node;
  }

  /** The rows: a counting sort of the nodes by parent (children were numbered as they came). */
  toRows(): MergedRows {
    const { size, parent } = this;
    // Row p + 1 is p's children, row 0 the roots.
    const { rowStart, children } = childRows(parent, size);
    return { size, parent: parent.subarray(0, size), fn: this.fn.subarray(0, size), self: this.self.subarray(0, size), rowStart, children };
  }

  private grow(): void {
    const capacity = this.parent.length * 2;
    const parent = new Int32Array(capacity);
    parent.set(this.parent);
    this.parent = parent;
    const fn = new Int32Array(capacity);
    fn.set(this.fn);
    this.fn = fn;
    const self = new Float64Array(capacity);
    self.set(this.self);
    this.self = self;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let node = 0; node < this.size; node++) {
      let slot = hash(this.parent[node], this.fn[node]) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = node + 1;
    }
  }
}

function hash(parent: number, fn: number): number {
  const mixed = Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(fn, 0x85ebca6b);
  return mixed ^ (mixed >>> 15);
}
