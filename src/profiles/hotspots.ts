/**
 * Where the weight went: self and total per function (a recursive function's total counts each
 * sample once), self and total per line, and — on demand, for one function — its callers,
 * callees and bottom-up tree. All of it is a few linear passes over the call tree.
 */
import type { Profile, ProfileUnit } from './model';
import { addOutermost } from './outermost';
import { isRootFunction, type Resolution } from './resolve';

export interface FunctionHotspot {
  /** Index into `Resolution.functions`. */
  id: number;
  self: number;
  total: number;
  /** Samples behind `self`. */
  selfSamples: number;
  /** Sum of the squared weights of those samples: the variance of `self` as a sampled estimate. */
  selfSquares: number;
  /** The line (in the function's file) with the most self weight, 0 when the format has no lines. */
  hotLine: number;
}

export interface LineHotspot {
  /** Index into `Resolution.lines`. */
  id: number;
  self: number;
  total: number;
}

export interface Hotspots {
  unit: ProfileUnit;
  total: number;
  samples: number;
  /** Sum of the squared weights of all samples (see FunctionHotspot.selfSquares). */
  totalSquares: number;
  /** Heaviest self first; the synthetic `(root)` is left out. */
  functions: FunctionHotspot[];
  /** Heaviest self first. */
  lines: LineHotspot[];
}

export function computeHotspots(profile: Profile, resolution: Resolution): Hotspots {
  const { tree } = profile;
  const size = tree.size;
  const functionCount = resolution.functions.length;
  const fnOfNode = new Int32Array(size);
  for (let node = 0; node < size; node++) fnOfNode[node] = resolution.functionOf[tree.frame[node]];

  // Weight of each node's whole subtree: children come after parents, so sum from the end.
  const subtree = new Float64Array(size);
  for (let node = size - 1; node >= 0; node--) {
    subtree[node] += tree.self[node];
    const parent = tree.parent[node];
    if (parent >= 0) subtree[parent] += subtree[node];
  }

  const self = new Float64Array(functionCount);
  const selfSamples = new Float64Array(functionCount);
  const selfSquares = new Float64Array(functionCount);
  const total = new Float64Array(functionCount);
  for (let node = 0; node < size; node++) {
    const fn = fnOfNode[node];
    self[fn] += tree.self[node];
    selfSamples[fn] += tree.selfSamples[node];
    // Without per-sample weights, every sample of a node weighs the node's mean.
    if (tree.selfSquares) selfSquares[fn] += tree.selfSquares[node];
    else if (tree.selfSamples[node] > 0) selfSquares[fn] += (tree.self[node] * tree.self[node]) / tree.selfSamples[node];
  }
  addOutermost(tree.end, fnOfNode, subtree, total);

  // Lines: from the nodes' own lines (pprof, folded) and from line ticks (V8 positionTicks).
  const lineOfNode = new Int32Array(size).fill(-1);
  let anyNodeLine = false;
  for (let node = 0; node < size; node++) {
    if (tree.line[node] > 0) {
      lineOfNode[node] = resolution.lineOf(tree.frame[node], tree.line[node]);
      if (lineOfNode[node] >= 0) anyNodeLine = true;
    }
  }
  const lineSelf = new Map<number, number>();
  const lineTotal = new Map<number, number>();
  const add = (into: Map<number, number>, key: number, value: number): void => {
    into.set(key, (into.get(key) ?? 0) + value);
  };
  if (anyNodeLine) {
    for (let node = 0; node < size; node++) if (lineOfNode[node] >= 0) add(lineSelf, lineOfNode[node], tree.self[node]);
    const totals = new Float64Array(resolution.lines.length);
    addOutermost(tree.end, lineOfNode, subtree, totals);
    totals.forEach((value, key) => value > 0 && lineTotal.set(key, value));
  }
  const ticks = profile.lineTicks;
  if (ticks) {
    for (let at = 0; at < ticks.node.length; at++) {
      const line = resolution.lineOf(tree.frame[ticks.node[at]], ticks.line[at]);
      if (line < 0) continue;
      add(lineSelf, line, ticks.weight[at]);
      // A tick is the line the leaf was executing: its total is its self.
      add(lineTotal, line, ticks.weight[at]);
    }
  }

  const functions: FunctionHotspot[] = [];
  for (let id = 0; id < functionCount; id++) {
    if (isRootFunction(resolution.functions[id])) continue;
    if (self[id] === 0 && total[id] === 0) continue;
    functions.push({ id, self: self[id], total: total[id], selfSamples: selfSamples[id], selfSquares: selfSquares[id], hotLine: 0 });
  }
  functions.sort((a, b) => b.self - a.self || b.total - a.total);
  // The hottest line of each function: where a function known only by its lines is looked up.
  const hotLine = new Int32Array(functionCount);
  const hotLineWeight = new Float64Array(functionCount);
  const consider = (frame: number, line: number, weight: number): void => {
    const fn = resolution.functionOf[frame];
    if (weight > hotLineWeight[fn]) {
      hotLineWeight[fn] = weight;
      hotLine[fn] = line;
    }
  };
  for (let node = 0; node < size; node++) if (tree.line[node] > 0) consider(tree.frame[node], tree.line[node], subtree[node]);
  if (ticks) for (let at = 0; at < ticks.node.length; at++) consider(tree.frame[ticks.node[at]], ticks.line[at], ticks.weight[at]);
  for (const hotspot of functions) hotspot.hotLine = hotLine[hotspot.id];

  const lines: LineHotspot[] = [];
  for (const [id, value] of lineTotal) lines.push({ id, self: lineSelf.get(id) ?? 0, total: value });
  lines.sort((a, b) => b.self - a.self || b.total - a.total);
  let totalSquares = 0;
  for (let id = 0; id < functionCount; id++) totalSquares += selfSquares[id];
  return { unit: profile.unit, total: profile.total, samples: profile.samples, totalSquares, functions, lines };
}

export interface Neighbour {
  /** Index into `Resolution.functions`. */
  id: number;
  weight: number;
}

/**
 * Who calls `fn` and whom it calls, each with the weight of those calls (recursion counted once),
 * heaviest first.
 * @internal no front end shows it yet (the profile view is planned: docs/DESIGN.md); tested by test/profiles/hotspots.test.ts, timed by `npm run bench`
 */
export function callersAndCallees(profile: Profile, resolution: Resolution, fn: number): { callers: Neighbour[]; callees: Neighbour[] } {
  const { tree } = profile;
  const size = tree.size;
  const fnOf = (node: number): number => resolution.functionOf[tree.frame[node]];
  const subtree = new Float64Array(size);
  for (let node = size - 1; node >= 0; node--) {
    subtree[node] += tree.self[node];
    if (tree.parent[node] >= 0) subtree[tree.parent[node]] += subtree[node];
  }
  const callers = new Map<number, number>();
  const callees = new Map<number, number>();
  // Past the end of the last counted occurrence of fn / of each callee under fn: nested ones
  // (recursion) are inside an already counted subtree.
  let fnCountedUntil = 0;
  const calleeCountedUntil = new Map<number, number>();
  for (let node = 0; node < size; node++) {
    if (fnOf(node) !== fn) continue;
    const parent = tree.parent[node];
    if (node >= fnCountedUntil) {
      if (parent >= 0) callers.set(fnOf(parent), (callers.get(fnOf(parent)) ?? 0) + subtree[node]);
      fnCountedUntil = tree.end[node];
    }
    // Children: the next node, then each sibling past the previous one's subtree.
    for (let child = node + 1; child < tree.end[node]; child = tree.end[child]) {
      const callee = fnOf(child);
      if (callee === fn || child < (calleeCountedUntil.get(callee) ?? 0)) continue;
      callees.set(callee, (callees.get(callee) ?? 0) + subtree[child]);
      calleeCountedUntil.set(callee, tree.end[child]);
    }
  }
  const sorted = (map: Map<number, number>): Neighbour[] =>
    [...map].map(([id, weight]) => ({ id, weight })).sort((a, b) => b.weight - a.weight);
  return { callers: sorted(callers), callees: sorted(callees) };
}

export interface BottomUpNode {
  /** Index into `Resolution.functions`. */
  id: number;
  /** Self weight of the function that reached here through this path. */
  weight: number;
  children: BottomUpNode[];
}

/**
 * The bottom-up (inverted) tree of `fn`: where its self weight comes from, caller by caller, up
 * to `depth` levels. Built level by level from the nodes of `fn`, so its cost is the number of
 * those nodes times the depth asked for.
 * @internal no front end shows it yet (the profile view is planned: docs/DESIGN.md); tested by test/profiles/hotspots.test.ts, timed by `npm run bench`
 */
export function bottomUp(profile: Profile, resolution: Resolution, fn: number, depth = Number.POSITIVE_INFINITY): BottomUpNode {
  const { tree } = profile;
  const fnOf = (node: number): number => resolution.functionOf[tree.frame[node]];
  const starts: number[] = [];
  for (let node = 0; node < tree.size; node++) if (fnOf(node) === fn && tree.self[node] > 0) starts.push(node);
  const root: BottomUpNode = { id: fn, weight: 0, children: [] };
  // Each entry: the bottom-up node it feeds, the call-tree node reached so far, and its weight.
  let frontier = starts.map((node) => ({ into: root, at: node, weight: tree.self[node] }));
  for (const entry of frontier) root.weight += entry.weight;
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: typeof frontier = [];
    const childOf = new Map<BottomUpNode, Map<number, BottomUpNode>>();
    for (const entry of frontier) {
      const parent = tree.parent[entry.at];
      if (parent < 0 || isRootFunction(resolution.functions[fnOf(parent)])) continue;
      const caller = fnOf(parent);
      let children = childOf.get(entry.into);
      if (!children) {
        children = new Map();
        childOf.set(entry.into, children);
      }
      let child = children.get(caller);
      if (!child) {
        child = { id: caller, weight: 0, children: [] };
        children.set(caller, child);
        entry.into.children.push(child);
      }
      child.weight += entry.weight;
      next.push({ into: child, at: parent, weight: entry.weight });
    }
    for (const [node] of childOf) node.children.sort((a, b) => b.weight - a.weight);
    frontier = next;
  }
  return root;
}
