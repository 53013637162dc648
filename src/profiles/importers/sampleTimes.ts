/**
 * How long each sample of a V8 profile lasted, from its `timeDeltas` (µs since the previous
 * sample): a sample lasts until the next one in time, the last one until `endTime`.
 *
 * The deltas cannot be trusted blindly. V8 records some samples out of order (negative deltas of a
 * few µs), and a damaged or hand-edited profile can hold anything: summed as they come, one delta
 * of −1e9 made the last sample last 1,000 s. So, like Chrome DevTools (its CPUProfileDataModel
 * sorts the samples when timestamps go backwards), samples are taken in time order. A step that
 * would land before the profile's start, or past its end, cannot be placed in time at all: it is
 * clamped (a step back past the start counts as no time; a step past the end stops at the end).
 * Each repair is said in a note, and the durations add up to no more than the profile's span.
 */

export interface SampleTimes {
  /** Each sample's duration in µs (≥ 0), by its index in the profile. */
  durations: Float64Array;
  /** Sample indices in time order (the recorded order unless timestamps went backwards). */
  order: Int32Array;
  /** What was repaired, one line each; empty for a well-formed profile. */
  notes: string[];
}

export function sampleTimes(deltas: Float64Array, count: number, timing: { startTime?: number; endTime?: number }): SampleTimes {
  const start = timing.startTime;
  const end = start !== undefined && timing.endTime !== undefined && timing.endTime >= start ? timing.endTime : undefined;
  const notes: string[] = [];

  const times = new Float64Array(count);
  let time = start ?? 0;
  let beforeStart = 0;
  let pastEnd = 0;
  let notFinite = 0;
  for (let at = 0; at < count; at++) {
    let next = time + deltas[at];
    if (!Number.isFinite(deltas[at])) {
      next = time;
      notFinite++;
    } else if (start !== undefined && next < start) {
      next = time;
      beforeStart++;
    }
    if (end !== undefined && next > end) {
      next = end;
      pastEnd++;
    }
    times[at] = time = next;
  }
  if (beforeStart > 0) notes.push(`${plural(beforeStart, 'negative time delta')} reached before the profile's start: counted as no time`);
  if (notFinite > 0)
    notes.push(
      `${plural(notFinite, 'time delta')} ${notFinite === 1 ? 'was not a finite number' : 'were not finite numbers'}: counted as no time`,
    );
  if (pastEnd > 0) notes.push(`${plural(pastEnd, 'sample')} lay past the profile's end: clamped to its end`);

  let outOfOrder = 0;
  let latest = -Infinity;
  for (let at = 0; at < count; at++) {
    if (times[at] < latest) outOfOrder++;
    else latest = times[at];
  }
  const order = new Int32Array(count);
  for (let at = 0; at < count; at++) order[at] = at;
  if (outOfOrder > 0) {
    // Stable: samples with the same timestamp keep their recorded order.
    order.sort((a, b) => times[a] - times[b] || a - b);
    notes.push(`${plural(outOfOrder, 'sample')} out of time order ${outOfOrder === 1 ? 'was' : 'were'} reordered by timestamp`);
  }

  const durations = new Float64Array(count);
  for (let rank = 0; rank + 1 < count; rank++) durations[order[rank]] = times[order[rank + 1]] - times[order[rank]];
  if (count > 0 && end !== undefined) durations[order[count - 1]] = end - times[order[count - 1]];
  return { durations, order, notes };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
