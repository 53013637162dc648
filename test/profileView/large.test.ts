/**
 * A generated .cpuprofile of 100,000 nodes — deep, recursive, with dependencies and Node internals
 * — read by the real importer: the view's structures must hold together at the size the page is
 * built for. Structure only; no test here measures time (`npm run bench -- profile-view` does).
 */
import { describe, expect, it } from 'vitest';
import { leftHeavyLayout, nodeAt, callOrderLayout, timelineLayout, visibleNodes, type FlameLayout } from '../../src/profileView/flame';
import { ModelAssembler, modelMessages } from '../../src/profileView/modelChunks';
import { sandwich } from '../../src/profileView/sandwich';
import { functionTable } from '../../src/profileView/table';
import type { ViewTree } from '../../src/profileView/viewTree';
import { generatedCpuProfile } from '../../bench/lib/generated-profile';
import { viewData, viewTree } from './helpers';

const NODES = 100_000;
const data = viewData(generatedCpuProfile(NODES, 42));

/** Every invariant a renderer relies on, checked node by node; the first broken one is returned. */
function layoutProblems(layout: FlameLayout, tree: ViewTree): string[] {
  const problems: string[] = [];
  const epsilon = 1e-6 * Math.max(1, layout.span);
  let rootsWidth = 0;
  // The parent of each node, from the preorder: the nearest earlier node one row up whose subtree holds it.
  const path: number[] = [];
  const childrenWidth = new Float64Array(layout.size);
  for (let node = 0; node < layout.size && problems.length < 5; node++) {
    while (path.length > 0 && layout.end[path[path.length - 1]] <= node) path.pop();
    const parent = path.length > 0 ? path[path.length - 1] : -1;
    if (layout.width[node] <= 0) problems.push(`node ${node} has no width`);
    if (layout.width[node] + epsilon < layout.self[node]) problems.push(`node ${node} is narrower than its self weight`);
    if (parent < 0) {
      if (layout.depth[node] !== 0) problems.push(`root ${node} is at depth ${layout.depth[node]}`);
      rootsWidth += layout.width[node];
    } else {
      if (layout.depth[node] !== layout.depth[parent] + 1) problems.push(`node ${node} is not one row below its parent`);
      if (
        layout.start[node] + epsilon < layout.start[parent] ||
        layout.start[node] + layout.width[node] > layout.start[parent] + layout.width[parent] + epsilon
      )
        problems.push(`node ${node} sticks out of its parent`);
      childrenWidth[parent] += layout.width[node];
    }
    path.push(node);
  }
  for (let node = 0; node < layout.size; node++)
    if (Math.abs(childrenWidth[node] + layout.self[node] - layout.width[node]) > epsilon)
      problems.push(`node ${node}: children + self ≠ width`);
  if (Math.abs(rootsWidth + tree.unattributed - tree.profileTotal) > epsilon)
    problems.push(`the roots hold ${rootsWidth} of ${tree.profileTotal}`);
  for (let row = 0; row <= layout.maxDepth; row++) {
    for (let at = layout.rowStart[row]; at < layout.rowStart[row + 1]; at++) {
      const node = layout.rowNodes[at];
      if (layout.depth[node] !== row) problems.push(`row ${row} holds node ${node} of depth ${layout.depth[node]}`);
      const next = layout.rowNodes[at + 1];
      if (at + 1 < layout.rowStart[row + 1] && layout.start[next] + epsilon < layout.start[node] + layout.width[node])
        problems.push(`row ${row}: node ${next} overlaps node ${node}`);
    }
  }
  return problems.slice(0, 5);
}

describe.each([false, true])('a 100,000-node profile (my code only: %s)', (myCodeOnly) => {
  const tree = viewTree(data, myCodeOnly);
  const time = callOrderLayout(tree);
  const left = leftHeavyLayout(tree);
  const timeline = timelineLayout(tree, data.timeline!);

  it('is as large as generated, and "My code only" hides part of it', () => {
    expect(data.tree.parent.length).toBe(NODES + 1);
    if (myCodeOnly) expect(tree.size).toBeLessThan(NODES * 0.9);
    else expect(tree.size).toBe(NODES);
    expect(tree.unattributed > 0).toBe(myCodeOnly);
  });

  it('lays out every order consistently: children inside parents, rows sorted, weight conserved', () => {
    expect(layoutProblems(time, tree)).toEqual([]);
    expect(layoutProblems(left, tree)).toEqual([]);
    expect(layoutProblems(timeline, tree)).toEqual([]);
    expect(left.maxDepth).toBe(time.maxDepth);
    expect(left.size).toBeLessThan(time.size);
    // A function called again is drawn again: the timeline has more frames than the tree has nodes.
    expect(timeline.size).toBeGreaterThan(time.size);
  });

  it("the timeline puts each frame where its samples fell: a frame's self weight is its runs' weight", () => {
    // Rebuilt from the runs: each run's weight at its moment, on the frame open on top at that moment.
    let at = 0;
    let problems = 0;
    for (let run = 0; run < data.timeline!.node.length && problems < 5; run++) {
      const weight = data.timeline!.weight[run];
      const visible = tree.ofDataNode[data.timeline!.node[run]];
      if (visible >= 0 && weight > 0) {
        const middle = at + weight / 2;
        let found = -1;
        for (let depth = timeline.maxDepth; depth >= 0 && found < 0; depth--) found = nodeAt(timeline, middle, depth);
        if (found < 0 || timeline.fn[found] !== tree.fn[visible]) problems++;
      }
      at += weight;
    }
    expect(problems).toBe(0);
  });

  it('left heavy: no two siblings share a function, and the heaviest come first', () => {
    const problems: string[] = [];
    const path: number[] = [];
    const lastChild = new Map<number, number>();
    const seen = new Set<string>();
    for (let node = 0; node < left.size && problems.length < 5; node++) {
      while (path.length > 0 && left.end[path[path.length - 1]] <= node) path.pop();
      const parent = path.length > 0 ? path[path.length - 1] : -1;
      const key = `${parent}:${left.fn[node]}`;
      if (seen.has(key)) problems.push(`node ${node} repeats a sibling's function`);
      seen.add(key);
      const previous = lastChild.get(parent);
      if (previous !== undefined && left.width[previous] < left.width[node])
        problems.push(`node ${node} is heavier than the sibling before it`);
      lastChild.set(parent, node);
      path.push(node);
    }
    expect(problems).toEqual([]);
  });

  it.each([
    ['call order', () => time],
    ['timeline', () => timeline],
  ])('finds by bisection the node a scan of every node finds (%s)', (_name, layoutOf) => {
    const time = layoutOf();
    let checked = 0;
    for (let probe = 0; probe < 400; probe++) {
      const depth = probe % (time.maxDepth + 1);
      const x = (((probe * 7919) % 1000) / 1000) * time.span;
      let expected = -1;
      for (let node = 0; node < time.size; node++)
        if (time.depth[node] === depth && time.start[node] <= x && x < time.start[node] + time.width[node]) expected = node;
      expect(nodeAt(time, x, depth)).toBe(expected);
      if (expected >= 0) checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it.each([
    ['call order', () => time],
    ['timeline', () => timeline],
  ])('returns as visible exactly the nodes wide enough that overlap the window (%s)', (_name, layoutOf) => {
    const time = layoutOf();
    for (const [x0, x1, pixels] of [
      [0, time.span, 1000],
      [time.span * 0.3, time.span * 0.31, 1000],
      [time.span * 0.9, time.span, 200],
    ]) {
      const minWidth = (x1 - x0) / pixels;
      const expected: number[] = [];
      for (let node = 0; node < time.size; node++)
        if (time.width[node] >= minWidth && time.start[node] < x1 && time.start[node] + time.width[node] > x0) expected.push(node);
      const visible = Array.from(visibleNodes(time, x0, x1, pixels));
      expect(visible).toEqual(expected);
      expect(visible.length).toBeLessThan(time.size);
    }
  });

  it('tables each function once, its total within the profile, and sandwiches the heaviest by its total', () => {
    const table = functionTable(tree);
    let self = 0;
    for (let row = 0; row < table.size; row++) {
      self += table.self[row];
      expect(table.total[row]).toBeGreaterThanOrEqual(table.self[row]);
      expect(table.total[row]).toBeLessThanOrEqual(tree.profileTotal + 1e-6);
    }
    expect(new Set(table.fn).size).toBe(table.size);
    expect(self + tree.unattributed).toBeCloseTo(tree.profileTotal, 6);
    const heaviest = Array.from(table.total).indexOf(Math.max(...table.total));
    const { callers, callees } = sandwich(tree, table.fn[heaviest]);
    expect(callers.width[0]).toBeCloseTo(table.total[heaviest], 6);
    expect(callees.width[0]).toBeCloseTo(table.total[heaviest], 6);
    expect(layoutProblems(callees, { ...tree, profileTotal: table.total[heaviest], unattributed: 0 })).toEqual([]);
    expect(layoutProblems(callers, { ...tree, profileTotal: table.total[heaviest], unattributed: 0 })).toEqual([]);
  });
});

it('sends the 100,000-node model in chunks and gets it back whole', () => {
  const assembler = new ModelAssembler();
  const messages = [...modelMessages(data, 1)];
  expect(messages.length).toBeGreaterThan(3);
  const results = messages.map((message) =>
    message.type === 'select' || message.type === 'error' ? undefined : assembler.accept(structuredClone(message)),
  );
  expect(results.at(-1)).toEqual(data);
});
