/**
 * The model on its way to the page: cut into messages no bigger than a chunk (the host posts one,
 * yields, posts the next, so a 100 MB profile never blocks it for long), and put back together
 * on the page, where every index is checked before the view trusts it — an out-of-range function
 * or a tree out of preorder would otherwise become a wrong drawing or a crash far from its cause.
 */
import type { ViewData, ViewFunction } from './data';
import type { HostMessage, ModelFunctionsMessage, ModelNodesMessage, ModelStartMessage, ModelTimelineMessage } from './protocol';

export interface ChunkSizes {
  /** Call-tree nodes per message: 20 bytes each; timeline runs go as many per message (12 bytes each). */
  nodes: number;
  /** Functions per message: a name and a path each. */
  functions: number;
}

/** No profile under the 1 GB that load.ts accepts has more nodes or functions (a node takes far more than 8 bytes). */
const MAX_COUNT = 2 ** 27;

const DEFAULT_CHUNKS: ChunkSizes = { nodes: 65536, functions: 4096 };

/**
 * The messages that carry `data` as model `id`, in the order to post them.
 */
export function* modelMessages(data: ViewData, id: number, chunks: ChunkSizes = DEFAULT_CHUNKS): Generator<HostMessage> {
  const nodeCount = data.tree.parent.length;
  const start: ModelStartMessage = { type: 'modelStart', id, summary: data.summary, functionCount: data.functions.length, nodeCount };
  if (data.timeline) start.timelineRuns = data.timeline.node.length;
  yield start;
  for (let offset = 0; offset < data.functions.length; offset += chunks.functions)
    yield { type: 'modelFunctions', id, offset, functions: data.functions.slice(offset, offset + chunks.functions) };
  for (let offset = 0; offset < nodeCount; offset += chunks.nodes) {
    const until = Math.min(nodeCount, offset + chunks.nodes);
    // Copies, not views: postMessage clones a view's whole buffer.
    yield {
      type: 'modelNodes',
      id,
      offset,
      parent: data.tree.parent.slice(offset, until),
      fn: data.tree.fn.slice(offset, until),
      self: data.tree.self.slice(offset, until),
    };
  }
  const timeline = data.timeline;
  if (timeline)
    for (let offset = 0; offset < timeline.node.length; offset += chunks.nodes) {
      const until = Math.min(timeline.node.length, offset + chunks.nodes);
      yield { type: 'modelTimeline', id, offset, node: timeline.node.slice(offset, until), weight: timeline.weight.slice(offset, until) };
    }
  yield { type: 'modelEnd', id };
}

type ModelMessage = ModelStartMessage | ModelFunctionsMessage | ModelNodesMessage | ModelTimelineMessage | { type: 'modelEnd'; id: number };

/**
 * Receives the model messages of the page's current model. `accept` returns the whole model once
 * its last message arrives, undefined while it is incomplete, and a one-line reason when a message
 * does not fit (the model is then dropped until the next `modelStart`).
 */
export class ModelAssembler {
  private current:
    | {
        start: ModelStartMessage;
        functions: ViewFunction[];
        parent: Int32Array;
        fn: Int32Array;
        self: Float64Array;
        nodes: number;
        timeline: { node: Int32Array; weight: Float64Array; runs: number } | undefined;
        /** The open path of the preorder so far: each node's ancestors, root first. */
        path: number[];
      }
    | undefined;
  /** The newest model id seen: chunks of older models are late, not wrong. */
  private latest = -1;
  /** A model found broken: its remaining chunks are dropped quietly (the reason was given once). */
  private dropped = -1;

  accept(message: ModelMessage): ViewData | undefined | string {
    if (message.type === 'modelStart') {
      if (message.id < this.latest) return undefined;
      this.latest = message.id;
      // Allocated up front from the announced counts: an absurd count is refused, not attempted.
      const runs = message.timelineRuns ?? 0;
      if (message.nodeCount > MAX_COUNT || message.functionCount > MAX_COUNT || runs > MAX_COUNT) {
        this.current = undefined;
        this.dropped = message.id;
        const counts = listed(
          [`${message.nodeCount} nodes`, `${message.functionCount} functions`],
          message.timelineRuns,
          `${runs} timeline runs`,
        );
        return `model ${message.id}: announces ${counts}, more than a profile of 1 GB holds`;
      }
      this.current = {
        start: message,
        functions: [],
        parent: new Int32Array(message.nodeCount),
        fn: new Int32Array(message.nodeCount),
        self: new Float64Array(message.nodeCount),
        nodes: 0,
        timeline:
          message.timelineRuns === undefined
            ? undefined
            : { node: new Int32Array(message.timelineRuns), weight: new Float64Array(message.timelineRuns), runs: 0 },
        path: [],
      };
      return undefined;
    }
    if (message.id < this.latest || message.id === this.dropped) return undefined;
    const current = this.current;
    if (!current || message.id !== current.start.id) return this.fail(`model ${message.id}: a "${message.type}" before its "modelStart"`);
    const { functionCount, nodeCount } = current.start;
    if (message.type === 'modelFunctions') {
      if (message.offset !== current.functions.length) return this.fail(`model ${message.id}: functions out of order`);
      if (current.functions.length + message.functions.length > functionCount)
        return this.fail(`model ${message.id}: more functions than announced`);
      // A loop, not push(...): a spread of a huge chunk would overflow the argument limit.
      for (const fn of message.functions) current.functions.push(fn);
      return undefined;
    }
    if (message.type === 'modelNodes') {
      const { parent, fn, self, offset } = message;
      if (offset !== current.nodes) return this.fail(`model ${message.id}: nodes out of order`);
      if (fn.length !== parent.length || self.length !== parent.length)
        return this.fail(`model ${message.id}: node arrays of different lengths`);
      if (offset + parent.length > nodeCount) return this.fail(`model ${message.id}: more nodes than announced`);
      const path = current.path;
      for (let at = 0; at < parent.length; at++) {
        const node = offset + at;
        if (fn[at] < 0 || fn[at] >= functionCount) return this.fail(`model ${message.id}: node ${node} names no function`);
        if (!(self[at] >= 0) || self[at] === Number.POSITIVE_INFINITY)
          return this.fail(`model ${message.id}: node ${node} has an invalid weight`);
        // Preorder: the parent is the node before or one of its open ancestors (or -1, a new root).
        while (path.length > 0 && path[path.length - 1] !== parent[at]) path.pop();
        if (parent[at] !== -1 && path.length === 0)
          return this.fail(`model ${message.id}: the call tree is not in preorder at node ${node}`);
        path.push(node);
      }
      current.parent.set(parent, offset);
      current.fn.set(fn, offset);
      current.self.set(self, offset);
      current.nodes += parent.length;
      return undefined;
    }
    if (message.type === 'modelTimeline') {
      const { node, weight, offset } = message;
      const timeline = current.timeline;
      if (!timeline) return this.fail(`model ${message.id}: a timeline that was not announced`);
      if (offset !== timeline.runs) return this.fail(`model ${message.id}: timeline out of order`);
      if (weight.length !== node.length) return this.fail(`model ${message.id}: timeline arrays of different lengths`);
      if (offset + node.length > timeline.node.length) return this.fail(`model ${message.id}: more timeline runs than announced`);
      for (let at = 0; at < node.length; at++) {
        if (node[at] < 0 || node[at] >= nodeCount) return this.fail(`model ${message.id}: timeline run ${offset + at} names no node`);
        if (!(weight[at] >= 0) || weight[at] === Number.POSITIVE_INFINITY)
          return this.fail(`model ${message.id}: timeline run ${offset + at} has an invalid weight`);
      }
      timeline.node.set(node, offset);
      timeline.weight.set(weight, offset);
      timeline.runs += node.length;
      return undefined;
    }
    const runs = current.timeline?.runs ?? 0;
    const announcedRuns = current.start.timelineRuns;
    if (current.functions.length !== functionCount || current.nodes !== nodeCount || runs !== (announcedRuns ?? 0)) {
      const counts = listed(
        [`${current.functions.length} of ${functionCount} functions`, `${current.nodes} of ${nodeCount} nodes`],
        announcedRuns,
        `${runs} of ${announcedRuns} timeline runs`,
      );
      return this.fail(`model ${message.id}: ended with ${counts}`);
    }
    this.current = undefined;
    const data: ViewData = {
      summary: current.start.summary,
      functions: current.functions,
      tree: { parent: current.parent, fn: current.fn, self: current.self },
    };
    if (current.timeline) data.timeline = { node: current.timeline.node, weight: current.timeline.weight };
    return data;
  }

  private fail(reason: string): string {
    if (this.current) this.dropped = this.current.start.id;
    this.current = undefined;
    return reason;
  }
}

/** "a and b", or "a, b and c" when the model announced a timeline (`runs` defined). */
function listed(counts: [string, string], runs: number | undefined, timeline: string): string {
  return runs === undefined ? `${counts[0]} and ${counts[1]}` : `${counts[0]}, ${counts[1]} and ${timeline}`;
}
