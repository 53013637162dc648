/**
 * V8's profile nodes — `{ id, callFrame, hitCount, children | parent, positionTicks }` — as both
 * `.cpuprofile` files and Chrome traces' `ProfileChunk` events hold them, read straight from the
 * bytes. Call frames repeat (one per call path), so they are interned by the hash of their raw
 * bytes and decoded to strings only the first time.
 */
import { ProfileError } from '../errors';
import { buildTree, TimelineRecorder, type CallTree, type Frame, type LineTicks, type Timeline } from '../model';
import { decodeSpan, GrowableNumbers, type JsonCursor } from './jsonCursor';
import { sampleTimes } from './sampleTimes';

const NO_PARENT = -2147483648;

/** Interns call frames by their raw JSON bytes (functionName, url, line, column). */
class CallFrames {
  readonly frames: Frame[] = [];
  private slots = new Int32Array(4096);
  private hashes = new Int32Array(1024);
  private nameStart = new Int32Array(1024);
  private nameEnd = new Int32Array(1024);
  private urlStart = new Int32Array(1024);
  private urlEnd = new Int32Array(1024);
  private lines = new Int32Array(1024);
  private columns = new Int32Array(1024);

  constructor(private readonly bytes: Buffer) {}

  /** Reads a callFrame object and returns its frame index. */
  read(cursor: JsonCursor): number {
    let nameStart = 0;
    let nameEnd = 0;
    let nameEscaped = false;
    let urlStart = 0;
    let urlEnd = 0;
    let urlEscaped = false;
    let line = -1;
    let column = -1;
    cursor.enterObject();
    while (cursor.nextKey()) {
      const keyLength = cursor.spanEnd - cursor.spanStart;
      const first = this.bytes[cursor.spanStart];
      if (keyLength === 12 && first === 0x66 && cursor.spanIs('functionName')) {
        cursor.stringSpan();
        nameStart = cursor.spanStart;
        nameEnd = cursor.spanEnd;
        nameEscaped = cursor.spanEscaped;
      } else if (keyLength === 3 && first === 0x75 && cursor.spanIs('url')) {
        cursor.stringSpan();
        urlStart = cursor.spanStart;
        urlEnd = cursor.spanEnd;
        urlEscaped = cursor.spanEscaped;
      } else if (keyLength === 10 && first === 0x6c && cursor.spanIs('lineNumber')) {
        line = cursor.number();
      } else if (keyLength === 12 && first === 0x63 && cursor.spanIs('columnNumber')) {
        column = cursor.number();
      } else {
        cursor.skip();
      }
    }
    // Position and the tails of name and URL tell frames apart; equal hashes are compared byte
    // for byte, so a collision costs a comparison, never a wrong frame.
    let hash = Math.imul(line + 1, 0x9e3779b1) ^ Math.imul(column + 7, 0x85ebca6b);
    hash = Math.imul(hash ^ this.tail(nameStart, nameEnd), 0xc2b2ae35);
    hash = Math.imul(hash ^ this.tail(urlStart, urlEnd), 0x27d4eb2f);
    hash = (hash ^ (hash >>> 15)) | 0;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) break;
      if (
        this.hashes[entry] === hash &&
        this.lines[entry] === line &&
        this.columns[entry] === column &&
        this.sameBytes(this.nameStart[entry], this.nameEnd[entry], nameStart, nameEnd) &&
        this.sameBytes(this.urlStart[entry], this.urlEnd[entry], urlStart, urlEnd)
      ) {
        return entry;
      }
      slot = (slot + 1) & mask;
    }
    const index = this.frames.length;
    this.frames.push({
      name: decodeSpan(this.bytes, nameStart, nameEnd, nameEscaped),
      url: decodeSpan(this.bytes, urlStart, urlEnd, urlEscaped),
      // V8 counts from 0 and says -1 when it does not know; the model counts from 1, 0 unknown.
      line: line >= 0 ? line + 1 : 0,
      column: column >= 0 ? column + 1 : 0,
    });
    if (index === this.hashes.length) this.grow();
    this.hashes[index] = hash;
    this.nameStart[index] = nameStart;
    this.nameEnd[index] = nameEnd;
    this.urlStart[index] = urlStart;
    this.urlEnd[index] = urlEnd;
    this.lines[index] = line;
    this.columns[index] = column;
    this.slots[slot] = index + 1;
    if (this.frames.length * 2 > this.slots.length) this.rehash();
    return index;
  }

  /** Length and last eight bytes of a span, mixed. */
  private tail(start: number, end: number): number {
    const bytes = this.bytes;
    let hash = end - start;
    for (let at = Math.max(start, end - 8); at < end; at++) hash = Math.imul(hash ^ bytes[at], 0x01000193);
    return hash;
  }

  private sameBytes(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
    const length = aEnd - aStart;
    if (bEnd - bStart !== length) return false;
    const bytes = this.bytes;
    for (let index = 0; index < length; index++) if (bytes[aStart + index] !== bytes[bStart + index]) return false;
    return true;
  }

  private grow(): void {
    const double = (array: Int32Array): Int32Array<ArrayBuffer> => {
      const grown = new Int32Array(array.length * 2);
      grown.set(array);
      return grown;
    };
    this.hashes = double(this.hashes);
    this.nameStart = double(this.nameStart);
    this.nameEnd = double(this.nameEnd);
    this.urlStart = double(this.urlStart);
    this.urlEnd = double(this.urlEnd);
    this.lines = double(this.lines);
    this.columns = double(this.columns);
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let entry = 0; entry < this.frames.length; entry++) {
      let slot = this.hashes[entry] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = entry + 1;
    }
  }
}

/**
 * Collects V8 nodes (from one `nodes` array or several trace chunks) and the samples that point
 * at them, then resolves ids into a checked call tree.
 */
export class V8NodeReader {
  readonly callFrames: CallFrames;
  private readonly ids = new GrowableNumbers(Int32Array);
  private readonly frameOf = new GrowableNumbers(Int32Array);
  private readonly hitCounts = new GrowableNumbers(Float64Array);
  private readonly parentIds = new GrowableNumbers(Int32Array);
  private readonly childIds = new GrowableNumbers(Int32Array);
  /** Per node: where its children start in childIds, and how many. */
  private readonly childStart = new GrowableNumbers(Int32Array);
  private readonly childCount = new GrowableNumbers(Int32Array);
  private readonly tickNode = new GrowableNumbers(Int32Array);
  private readonly tickLine = new GrowableNumbers(Int32Array);
  private readonly tickCount = new GrowableNumbers(Float64Array);
  /** Sampled node ids and the microseconds since the previous sample. */
  readonly samples = new GrowableNumbers(Int32Array);
  readonly timeDeltas = new GrowableNumbers(Float64Array);
  /** Chrome traces' per-sample source lines (1-based, parallel to samples), when present. */
  readonly sampleLines = new GrowableNumbers(Int32Array);

  constructor(bytes: Buffer) {
    this.callFrames = new CallFrames(bytes);
  }

  get nodeCount(): number {
    return this.ids.length;
  }

  /** Reads a `nodes` array. */
  readNodes(cursor: JsonCursor): void {
    cursor.enterArray();
    while (cursor.nextItem()) this.readNode(cursor);
  }

  private readNode(cursor: JsonCursor): void {
    const bytes = cursor.bytes;
    const index = this.ids.length;
    let id: number | undefined;
    let frame = -1;
    let hitCount = 0;
    let parent = NO_PARENT;
    let childStart = this.childIds.length;
    let childCount = 0;
    cursor.enterObject();
    while (cursor.nextKey()) {
      const keyLength = cursor.spanEnd - cursor.spanStart;
      const first = bytes[cursor.spanStart];
      if (keyLength === 2 && cursor.spanIs('id')) {
        id = cursor.number();
      } else if (keyLength === 9 && first === 0x63 && cursor.spanIs('callFrame')) {
        frame = this.callFrames.read(cursor);
      } else if (keyLength === 8 && first === 0x68 && cursor.spanIs('hitCount')) {
        hitCount = cursor.number();
      } else if (keyLength === 8 && first === 0x63 && cursor.spanIs('children')) {
        childStart = this.childIds.length;
        cursor.enterArray();
        while (cursor.nextItem()) this.childIds.push(cursor.number());
        childCount = this.childIds.length - childStart;
      } else if (keyLength === 6 && first === 0x70 && cursor.spanIs('parent')) {
        parent = cursor.number();
      } else if (keyLength === 13 && first === 0x70 && cursor.spanIs('positionTicks')) {
        this.readPositionTicks(cursor, index);
      } else {
        cursor.skip();
      }
    }
    if (id === undefined) throw new ProfileError(`profile node #${index + 1} has no "id"`);
    if (!Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff)
      throw new ProfileError(`profile node #${index + 1} has id ${id}, which is not a 32-bit integer`);
    if (frame < 0) throw new ProfileError(`profile node ${id} has no "callFrame"`);
    this.ids.push(id);
    this.frameOf.push(frame);
    this.hitCounts.push(hitCount);
    this.parentIds.push(parent);
    this.childStart.push(childStart);
    this.childCount.push(childCount);
  }

  private readPositionTicks(cursor: JsonCursor, node: number): void {
    cursor.enterArray();
    while (cursor.nextItem()) {
      let line = 0;
      let ticks = 0;
      cursor.enterObject();
      while (cursor.nextKey()) {
        if (cursor.spanIs('line')) line = cursor.number();
        else if (cursor.spanIs('ticks')) ticks = cursor.number();
        else cursor.skip();
      }
      if (line > 0 && ticks > 0) {
        this.tickNode.push(node);
        this.tickLine.push(line);
        this.tickCount.push(ticks);
      }
    }
  }

  /**
   * The checked call tree with self weight from the samples (each sample lasts until the next
   * one in time; the last until `endTime` — see sampleTimes.ts for out-of-order and bad deltas), or — for profiles saved without samples — from hit counts
   * spread evenly over the profile's duration. Weights stay in microseconds.
   */
  finish(timing: { startTime?: number; endTime?: number }): {
    tree: CallTree;
    lineTicks: LineTicks | undefined;
    /** In microseconds, as the tree; undefined for a profile saved without samples. */
    timeline: Timeline | undefined;
    samples: number;
    frames: Frame[];
    notes: string[];
  } {
    const size = this.ids.length;
    if (size === 0) throw new ProfileError('the profile has no nodes');
    const ids = this.ids.values;
    const indexOf = this.idIndex(ids, size);

    const parent = new Int32Array(size).fill(-1);
    for (let node = 0; node < size; node++) {
      const parentId = this.parentIds.values[node];
      if (parentId !== NO_PARENT) {
        const up = indexOf(parentId);
        if (up < 0) throw new ProfileError(`profile node ${ids[node]} has parent ${parentId}, which is not in the profile`);
        parent[node] = up;
      }
    }
    for (let node = 0; node < size; node++) {
      const start = this.childStart.values[node];
      const count = this.childCount.values[node];
      for (let at = start; at < start + count; at++) {
        const childId = this.childIds.values[at];
        const child = indexOf(childId);
        if (child < 0) throw new ProfileError(`profile node ${ids[node]} lists child ${childId}, which is not in the profile`);
        if (parent[child] >= 0 && parent[child] !== node) {
          throw new ProfileError(`profile node ${childId} is a child of both ${ids[parent[child]]} and ${ids[node]}`);
        }
        if (child === node) throw new ProfileError(`the profile's call tree has a cycle: node ${childId} is its own child`);
        parent[child] = node;
      }
    }

    const self = new Float64Array(size);
    const selfSamples = new Float64Array(size);
    const selfSquares = new Float64Array(size);
    const sampleCount = this.samples.length;
    let durations: Float64Array = new Float64Array(0);
    let order: Int32Array | undefined;
    const notes: string[] = [];
    if (sampleCount > 0) {
      if (this.timeDeltas.length !== sampleCount) {
        throw new ProfileError(`the profile has ${sampleCount} samples but ${this.timeDeltas.length} time deltas`);
      }
      const times = sampleTimes(this.timeDeltas.values, sampleCount, timing);
      durations = times.durations;
      order = times.order;
      notes.push(...times.notes);
      const samples = this.samples.values;
      for (let at = 0; at < sampleCount; at++) {
        const node = indexOf(samples[at]);
        if (node < 0) throw new ProfileError(`sample ${at + 1} points at node ${samples[at]}, which is not in the profile`);
        const duration = durations[at];
        if (duration > 0) {
          self[node] += duration;
          selfSquares[node] += duration * duration;
        }
        selfSamples[node] += 1;
      }
    } else {
      let hits = 0;
      for (let node = 0; node < size; node++) hits += this.hitCounts.values[node];
      const span = (timing.endTime ?? 0) - (timing.startTime ?? 0);
      const perHit = hits > 0 && span > 0 ? span / hits : 0;
      for (let node = 0; node < size; node++) {
        selfSamples[node] = this.hitCounts.values[node];
        self[node] = this.hitCounts.values[node] * perHit;
      }
    }

    const { tree, newIndex } = buildTree({
      size,
      parent,
      frame: this.frameOf.values.subarray(0, size),
      line: new Int32Array(size),
      self,
      selfSamples,
      selfSquares: sampleCount > 0 ? selfSquares : undefined,
      describe: (index) => `node ${ids[index]}`,
    });
    const lineTicks =
      this.sampleLines.length > 0 && this.sampleLines.length === sampleCount
        ? this.lineTicksFromSamples(newIndex, indexOf, durations)
        : this.lineTicks(tree, newIndex);
    let timeline: Timeline | undefined;
    if (order) {
      // Every sample was checked above: its node is in the profile.
      const recorder = new TimelineRecorder();
      for (let rank = 0; rank < sampleCount; rank++) recorder.add(indexOf(this.samples.values[order[rank]]), durations[order[rank]]);
      timeline = recorder.finish(newIndex);
    }
    return {
      tree,
      lineTicks,
      timeline,
      samples: sampleCount > 0 ? sampleCount : sumOf(selfSamples),
      frames: this.callFrames.frames,
      notes,
    };
  }

  /** positionTicks as weights: a node's self time split in proportion to the ticks of each line. */
  private lineTicks(tree: CallTree, newIndex: Int32Array): LineTicks | undefined {
    const count = this.tickNode.length;
    if (count === 0) return undefined;
    const ticksPerNode = new Float64Array(tree.size);
    const node = new Int32Array(count);
    for (let at = 0; at < count; at++) {
      node[at] = newIndex[this.tickNode.values[at]];
      ticksPerNode[node[at]] += this.tickCount.values[at];
    }
    const weight = new Float64Array(count);
    for (let at = 0; at < count; at++) weight[at] = (tree.self[node[at]] * this.tickCount.values[at]) / ticksPerNode[node[at]];
    return { node, line: this.tickLine.values.slice(0, count), weight };
  }

  /** Per-sample lines (traces) as weights: each sample's duration goes to its node and line. */
  private lineTicksFromSamples(newIndex: Int32Array, indexOf: (id: number) => number, durations: Float64Array): LineTicks | undefined {
    const weights = new Map<number, number>();
    const count = this.samples.length;
    for (let at = 0; at < count; at++) {
      const line = this.sampleLines.values[at];
      if (line <= 0) continue;
      const node = newIndex[indexOf(this.samples.values[at])];
      const duration = durations[at];
      // node < 2^31 and line < 2^21 in practice: one number keys both.
      const key = node * 0x200000 + Math.min(line, 0x1fffff);
      weights.set(key, (weights.get(key) ?? 0) + duration);
    }
    if (weights.size === 0) return undefined;
    const node = new Int32Array(weights.size);
    const line = new Int32Array(weights.size);
    const weight = new Float64Array(weights.size);
    let at = 0;
    for (const [key, value] of weights) {
      node[at] = Math.floor(key / 0x200000);
      line[at] = key % 0x200000;
      weight[at++] = value;
    }
    return { node, line, weight };
  }

  /** id → node index: a flat table when ids are dense (V8 numbers them 1…n), a Map otherwise. */
  private idIndex(ids: Int32Array, size: number): (id: number) => number {
    let max = 0;
    let min = 0;
    for (let node = 0; node < size; node++) {
      if (ids[node] > max) max = ids[node];
      if (ids[node] < min) min = ids[node];
    }
    const duplicate = (id: number): never => {
      throw new ProfileError(`profile node id ${id} appears twice`);
    };
    if (min >= 0 && max <= size * 4 + 1024) {
      const table = new Int32Array(max + 1).fill(-1);
      for (let node = 0; node < size; node++) {
        if (table[ids[node]] >= 0) duplicate(ids[node]);
        table[ids[node]] = node;
      }
      return (id) => (id >= 0 && id <= max ? table[id] : -1);
    }
    const map = new Map<number, number>();
    for (let node = 0; node < size; node++) {
      if (map.has(ids[node])) duplicate(ids[node]);
      map.set(ids[node], node);
    }
    return (id) => map.get(id) ?? -1;
  }
}

function sumOf(values: Float64Array): number {
  let total = 0;
  for (let index = 0; index < values.length; index++) total += values[index];
  return total;
}
