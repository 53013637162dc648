/**
 * V8 `.cpuprofile` — Node's `--cpu-prof`, DevTools' "Save profile", `inspector`'s
 * `Profiler.stop` — `{ nodes, startTime, endTime, samples, timeDeltas }`, times in microseconds,
 * with `positionTicks` for the lines each function was executing.
 */
import { ProfileError } from '../errors';
import type { CallTree, LineTicks, Profile, Timeline } from '../model';
import { JsonCursor } from './jsonCursor';
import { V8NodeReader } from './v8Nodes';

export function importCpuProfile(bytes: Buffer): Profile {
  const cursor = new JsonCursor(bytes);
  const reader = new V8NodeReader(bytes);
  let startTime: number | undefined;
  let endTime: number | undefined;
  let sawNodes = false;
  cursor.enterObject();
  while (cursor.nextKey()) {
    if (cursor.spanIs('nodes')) {
      sawNodes = true;
      reader.readNodes(cursor);
    } else if (cursor.spanIs('samples')) cursor.numbers(reader.samples);
    else if (cursor.spanIs('timeDeltas')) cursor.numbers(reader.timeDeltas);
    else if (cursor.spanIs('startTime')) startTime = cursor.number();
    else if (cursor.spanIs('endTime')) endTime = cursor.number();
    else cursor.skip();
  }
  cursor.end();
  if (!sawNodes) throw new ProfileError('not a CPU profile: there is no "nodes" array');
  const { tree, lineTicks, timeline, samples, frames, notes: timingNotes } = reader.finish({ startTime, endTime });
  weightsToMilliseconds(tree, lineTicks, timeline);
  let total = 0;
  for (let node = 0; node < tree.size; node++) total += tree.self[node];
  return { format: 'cpuprofile', unit: 'ms', frames, tree, lineTicks, timeline, total, samples, threads: [], notes: timingNotes };
}

/** V8's weights, read in microseconds, in the model's milliseconds (in place). */
export function weightsToMilliseconds(tree: CallTree, lineTicks: LineTicks | undefined, timeline: Timeline | undefined): void {
  toMilliseconds(tree.self);
  if (tree.selfSquares) for (let node = 0; node < tree.size; node++) tree.selfSquares[node] /= 1e6;
  if (lineTicks) toMilliseconds(lineTicks.weight);
  if (timeline) toMilliseconds(timeline.weight);
}

function toMilliseconds(values: Float64Array): void {
  for (let index = 0; index < values.length; index++) values[index] /= 1000;
}
