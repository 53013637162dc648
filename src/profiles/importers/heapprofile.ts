/**
 * V8 sampling heap profiles (`.heapprofile`: Node's `--heap-prof`, DevTools' "Allocation
 * sampling"): `{ head: { callFrame, selfSize, id, children }, samples: [{ size, nodeId }] }`.
 * Weights are bytes allocated (as sampled) and still live when the profile was taken.
 */
import { ProfileError } from '../errors';
import { buildTree, FrameTable, type Profile } from '../model';
import { isObject, parseJson } from './json';

interface HeapNode {
  callFrame?: { functionName?: unknown; url?: unknown; lineNumber?: unknown; columnNumber?: unknown };
  selfSize?: unknown;
  id?: unknown;
  children?: unknown;
}

export function importHeapProfile(bytes: Buffer): Profile {
  const document = parseJson(bytes);
  if (!isObject(document) || !isObject(document.head)) throw new ProfileError('not a heap profile: there is no "head" node');
  const frames = new FrameTable();
  const parent: number[] = [];
  const frame: number[] = [];
  const self: number[] = [];
  const ids: number[] = [];
  const indexById = new Map<number, number>();
  // Iterative: allocation stacks can be thousands of frames deep.
  const pending: Array<[HeapNode, number]> = [[document.head as HeapNode, -1]];
  const seen = new Set<HeapNode>();
  while (pending.length > 0) {
    const [node, up] = pending.pop() as [HeapNode, number];
    if (!isObject(node) || !isObject(node.callFrame)) throw new ProfileError(`heap profile node #${parent.length + 1} has no "callFrame"`);
    if (seen.has(node)) throw new ProfileError('the heap profile repeats a node');
    seen.add(node);
    const index = parent.length;
    const callFrame = node.callFrame;
    const line = typeof callFrame.lineNumber === 'number' && callFrame.lineNumber >= 0 ? callFrame.lineNumber + 1 : 0;
    const column = typeof callFrame.columnNumber === 'number' && callFrame.columnNumber >= 0 ? callFrame.columnNumber + 1 : 0;
    frame.push(frames.add(String(callFrame.functionName ?? ''), String(callFrame.url ?? ''), line, column));
    parent.push(up);
    self.push(typeof node.selfSize === 'number' && node.selfSize > 0 ? node.selfSize : 0);
    const id = typeof node.id === 'number' ? node.id : -1 - index;
    if (indexById.has(id)) throw new ProfileError(`heap profile node id ${id} appears twice`);
    indexById.set(id, index);
    ids.push(id);
    if (node.children !== undefined) {
      if (!Array.isArray(node.children)) throw new ProfileError(`heap profile node ${id} has "children" that is not an array`);
      for (let at = node.children.length - 1; at >= 0; at--) pending.push([node.children[at] as HeapNode, index]);
    }
  }

  const size = parent.length;
  const selfSamples = new Float64Array(size);
  let samples = 0;
  if (Array.isArray(document.samples) && document.samples.length > 0) {
    for (const sample of document.samples as unknown[]) {
      const nodeId = isObject(sample) ? sample.nodeId : undefined;
      if (typeof nodeId !== 'number') throw new ProfileError('a heap sample has no "nodeId"');
      // V8 keeps samples of nodes it pruned from the tree (their objects were collected): they
      // hold no live bytes, so they count for nothing here.
      const index = indexById.get(nodeId);
      if (index === undefined) continue;
      selfSamples[index]++;
      samples++;
    }
  } else {
    // Older profiles carry no samples: each node with live bytes counts as one.
    for (let index = 0; index < size; index++) if (self[index] > 0) selfSamples[index] = 1;
    samples = selfSamples.reduce((sum, count) => sum + count, 0);
  }
  const { tree } = buildTree({
    size,
    parent: Int32Array.from(parent),
    frame: Int32Array.from(frame),
    line: new Int32Array(size),
    self: Float64Array.from(self),
    selfSamples,
  });
  const total = self.reduce((sum, value) => sum + value, 0);
  return {
    format: 'heapprofile',
    unit: 'bytes',
    frames: frames.frames,
    tree,
    lineTicks: undefined,
    timeline: undefined,
    total,
    samples,
    threads: [],
    notes: [],
  };
}
