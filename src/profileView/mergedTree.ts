/**
 * A tree whose siblings are merged by function: each (parent, function) pair is one node. The
 * left-heavy flame graph and both halves of the sandwich are built in one, then laid out.
 */
export class MergedTree {
  size = 0;
  parent = new Int32Array(256);
  fn = new Int32Array(256);
  self = new Float64Array(256);
  private readonly index = new Map<number, number>();

  constructor(private readonly functionCount: number) {}

  /** The node for `fn` under `parent` (-1: a root), created when new; parents precede children. */
  child(parent: number, fn: number): number {
    // (parent + 1) · functions + fn stays far below 2^53 for any profile that fits in memory.
    const key = (parent + 1) * this.functionCount + fn;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    if (this.size === this.parent.length) this.grow();
    const node = this.size++;
    this.parent[node] = parent;
    this.fn[node] = fn;
    this.index.set(key, node);
    return node;
  }

  /** Each node's self plus its descendants': children are created after parents, so sum from the end. */
  totals(): Float64Array {
    const total = new Float64Array(this.size);
    for (let node = this.size - 1; node >= 0; node--) {
      total[node] += this.self[node];
      if (this.parent[node] >= 0) total[this.parent[node]] += total[node];
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
}
