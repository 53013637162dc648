/**
 * Which function each source line ran in: the line heat's hover names the function a hot line
 * belongs to and who called it. A line is attributed to the function that spent the most weight on
 * it — from the nodes' own lines (pprof, folded stacks) and from V8's line ticks — as hotspots.ts
 * counts line weight, so the hover and the heat agree.
 */
import type { Profile } from '../profiles/model';
import type { Resolution } from '../profiles/resolve';

/** Line index (into `Resolution.lines`) → function index (into `Resolution.functions`). */
export function lineFunctions(profile: Profile, resolution: Resolution): Map<number, number> {
  const { tree, lineTicks } = profile;
  const best = new Map<number, { fn: number; weight: number }>();
  // Weight per (line, function): few functions share a line, so a small map per line is enough.
  const weights = new Map<number, Map<number, number>>();
  const add = (frame: number, line: number, weight: number): void => {
    const id = resolution.lineOf(frame, line);
    if (id < 0 || !(weight > 0)) return;
    const fn = resolution.functionOf[frame];
    let byFunction = weights.get(id);
    if (!byFunction) weights.set(id, (byFunction = new Map()));
    const sum = (byFunction.get(fn) ?? 0) + weight;
    byFunction.set(fn, sum);
    const current = best.get(id);
    if (!current || sum > current.weight || (sum === current.weight && fn < current.fn)) best.set(id, { fn, weight: sum });
  };
  for (let node = 0; node < tree.size; node++) if (tree.line[node] > 0) add(tree.frame[node], tree.line[node], tree.self[node]);
  if (lineTicks)
    for (let at = 0; at < lineTicks.node.length; at++) add(tree.frame[lineTicks.node[at]], lineTicks.line[at], lineTicks.weight[at]);
  return new Map([...best].map(([line, { fn }]) => [line, fn]));
}
