/**
 * Two runs compared function by function. A function is the same across runs when its name and
 * original file match — its line may have moved with an edit; several same-named functions in a
 * file are paired by nearest line. Growth counts as a regression only past the sampling noise.
 */
import type { FunctionHotspot, Hotspots } from './hotspots';
import type { Resolution, ResolvedFunction } from './resolve';

export interface ProfileRun {
  hotspots: Hotspots;
  resolution: Resolution;
}

export interface FunctionChange {
  /** The function as the current run has it, or the baseline's when it disappeared. */
  fn: ResolvedFunction;
  before: FunctionHotspot | undefined;
  after: FunctionHotspot | undefined;
  /** after.self - before.self */
  delta: number;
  /** Three standard deviations of the sampling error of `delta`, in the profile's unit. */
  noise: number;
}

export interface ProfileDiff {
  before: { total: number; samples: number };
  after: { total: number; samples: number };
  totalNoise: number;
  changes: FunctionChange[];
}

/** How many standard deviations of sampling error a change must exceed to count. */
const SIGMAS = 3;

export function diffRuns(before: ProfileRun, after: ProfileRun): ProfileDiff {
  // A sampled weight is a sum of sample weights, each sample present or not by chance: its
  // variance is the sum of the squared weights. The difference of two runs adds both.
  const noiseOf = (squaresBefore: number, squaresAfter: number): number => SIGMAS * Math.sqrt(squaresBefore + squaresAfter);

  const group = (run: ProfileRun): Map<string, FunctionHotspot[]> => {
    const groups = new Map<string, FunctionHotspot[]>();
    for (const hotspot of run.hotspots.functions) {
      const fn = run.resolution.functions[hotspot.id];
      const key = `${fn.name}\0${fn.file ?? ''}`;
      const list = groups.get(key);
      if (list) list.push(hotspot);
      else groups.set(key, [hotspot]);
    }
    return groups;
  };
  const beforeGroups = group(before);
  const afterGroups = group(after);

  const changes: FunctionChange[] = [];
  const record = (old: FunctionHotspot | undefined, current: FunctionHotspot | undefined): void => {
    const fn = current ? after.resolution.functions[current.id] : before.resolution.functions[(old as FunctionHotspot).id];
    changes.push({
      fn,
      before: old,
      after: current,
      delta: (current?.self ?? 0) - (old?.self ?? 0),
      noise: noiseOf(old?.selfSquares ?? 0, current?.selfSquares ?? 0),
    });
  };
  for (const [key, currents] of afterGroups) {
    const olds = beforeGroups.get(key) ?? [];
    beforeGroups.delete(key);
    for (const [old, current] of pairByLine(olds, currents, before.resolution, after.resolution)) record(old, current);
  }
  for (const olds of beforeGroups.values()) for (const old of olds) record(old, undefined);
  changes.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (b.after?.self ?? 0) - (a.after?.self ?? 0));
  return {
    before: { total: before.hotspots.total, samples: before.hotspots.samples },
    after: { total: after.hotspots.total, samples: after.hotspots.samples },
    totalNoise: noiseOf(before.hotspots.totalSquares, after.hotspots.totalSquares),
    changes,
  };
}

/** Same-named functions of one file, paired nearest line first; the rest stay unpaired. */
function pairByLine(
  olds: FunctionHotspot[],
  currents: FunctionHotspot[],
  beforeResolution: Resolution,
  afterResolution: Resolution,
): Array<[FunctionHotspot | undefined, FunctionHotspot | undefined]> {
  if (olds.length === 1 && currents.length === 1) return [[olds[0], currents[0]]];
  const candidates: Array<{ old: number; current: number; distance: number }> = [];
  olds.forEach((old, i) => {
    currents.forEach((current, j) => {
      const a = beforeResolution.functions[old.id];
      const b = afterResolution.functions[current.id];
      // Lines first; on the same line (two closures), columns decide.
      const distance = Math.abs(a.line - b.line) * 1e6 + Math.abs(a.column - b.column);
      candidates.push({ old: i, current: j, distance });
    });
  });
  candidates.sort((a, b) => a.distance - b.distance);
  const usedOld = new Set<number>();
  const usedCurrent = new Set<number>();
  const pairs: Array<[FunctionHotspot | undefined, FunctionHotspot | undefined]> = [];
  for (const candidate of candidates) {
    if (usedOld.has(candidate.old) || usedCurrent.has(candidate.current)) continue;
    usedOld.add(candidate.old);
    usedCurrent.add(candidate.current);
    pairs.push([olds[candidate.old], currents[candidate.current]]);
  }
  currents.forEach((current, j) => usedCurrent.has(j) || pairs.push([undefined, current]));
  olds.forEach((old, i) => usedOld.has(i) || pairs.push([old, undefined]));
  return pairs;
}

export interface Regression {
  /** '(total)' for the profile's total. */
  name: string;
  file: string | undefined;
  before: number;
  after: number;
  /** (after - before) / before, Infinity for something new. */
  growth: number;
}

/**
 * What grew by more than `maxPercent` and by more than its sampling noise: the total, then
 * functions' self weight, largest growth first.
 */
export function regressions(diff: ProfileDiff, maxPercent: number): Regression[] {
  const limit = maxPercent / 100;
  const grewTooMuch = (before: number, after: number, noise: number): boolean =>
    after - before > noise && (before === 0 ? after > 0 : (after - before) / before > limit);
  const found: Regression[] = [];
  if (grewTooMuch(diff.before.total, diff.after.total, diff.totalNoise)) {
    found.push({
      name: '(total)',
      file: undefined,
      before: diff.before.total,
      after: diff.after.total,
      growth: growth(diff.before.total, diff.after.total),
    });
  }
  for (const change of diff.changes) {
    const before = change.before?.self ?? 0;
    const after = change.after?.self ?? 0;
    if (grewTooMuch(before, after, change.noise))
      found.push({ name: change.fn.name, file: change.fn.file, before, after, growth: growth(before, after) });
  }
  return found.sort((a, b) => (a.name === '(total)' ? -1 : b.name === '(total)' ? 1 : b.after - b.before - (a.after - a.before)));
}

function growth(before: number, after: number): number {
  return before > 0 ? (after - before) / before : Number.POSITIVE_INFINITY;
}
