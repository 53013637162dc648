/**
 * A tree whose siblings are merged by function: each (parent, function) pair is one node. The
 * left-heavy flame graph and both halves of the sandwich are built in one, then laid out.
 *
 * The pairs are found in an open-addressing hash table of typed arrays rather than a Map: a key
 * packing parent and function outgrows V8's small integers on a large profile, and with a Map of
 * such keys the left-heavy layout of 100,000 nodes took 1.7× as long (`npm run bench -- profile-view`:
 * 166 ms → 99 ms of CPU, cold).
 */
export class MergedTree {
  size = 0;
  parent: Int32Array;
  fn: Int32Array;
  self: Float64Array;
  /** Node + 1 per slot, 0 when empty; kept at most half full. */
  private slots: Int32Array;

  /** `expected`: how many nodes it will likely hold (at most the source tree's size), to allocate once. */
  constructor(expected = 256) {
    const capacity = Math.max(16, expected);
    this.parent = new Int32Array(capacity);
    this.fn = new Int32Array(capacity);
    this.self = new Float64Array(capacity);
    let slots = 32;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots);
  }

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

  /** Each node's self plus its descendants': children are created after parents, so sum from the end. */
  totals(): Float64Array {
    // Locals, not `this.` in the loop: the first run is interpreted, where each property load counts.
    const { size, parent, self } = this;
    const total = new Float64Array(size);
    for (let node = size - 1; node >= 0; node--) {
      total[node] += self[node];
      if (parent[node] >= 0) total[parent[node]] += total[node];
    }
    return total;
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
