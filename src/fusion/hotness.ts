/**
 * Where static findings meet a runtime profile: each finding gets the time the profile spent in
 * the function around it, so that a list of findings can be read hottest first. A finding's
 * function is the innermost profiled function whose source range holds the finding: the profile's
 * frames are mapped to source (source maps included) and placed in their enclosing function by
 * the same finder `perflens profile` uses, so both commands agree on what a function is.
 */
import * as path from 'node:path';
import type { Finding, Hotness } from '../analyzers/finding';
import { EnclosingFunctions, type SourceRange } from '../profiles/enclosing';
import { ProfileError } from '../profiles/errors';
import { computeHotspots } from '../profiles/hotspots';
import { loadProfileFile } from '../profiles/load';
import type { Profile } from '../profiles/model';
import { ReadScope } from '../profiles/readScope';
import { resolveFrames } from '../profiles/resolve';
import { round } from '../profiles/round';
import { SourceMaps } from '../profiles/sourcemaps';

/** A profiled function in a source file: where it is and what it cost. */
export interface ProfiledFunction {
  name: string;
  /** Absolute path. */
  path: string;
  /** 1-based, V8's position of the function (start of its name or parameters), after source maps. */
  line: number;
  column: number;
  selfMs: number;
  totalMs: number;
}

/** A CPU profile reduced to what ranking findings needs. */
export interface TimeProfile {
  /** The profile's total time, ms. */
  totalMs: number;
  functions: ProfiledFunction[];
  /** Source-map problems and the importer's notes, one line each. */
  notes: string[];
}

export interface TimeProfileOptions {
  /**
   * The folders the profile may make us read (generated files, source maps); default `[root]`.
   * The editor passes its workspace folders.
   */
  readRoots?: readonly string[];
}

/**
 * Reads a CPU profile (any format `perflens profile` reads) for ranking. Profiles that do not
 * measure time — heap profiles (bytes), folded stacks or pprof sample counts — are refused with a
 * ProfileError: a finding's cost cannot be read from them in milliseconds.
 */
export function loadTimeProfile(file: string, root: string, options: TimeProfileOptions = {}): TimeProfile {
  let profile: Profile;
  try {
    profile = loadProfileFile(file);
  } catch (error) {
    if (error instanceof ProfileError) throw new ProfileError(`--profile ${path.relative(root, file) || file}: ${error.message}`);
    throw error;
  }
  if (profile.unit !== 'ms') {
    const what = profile.unit === 'bytes' ? 'memory (bytes)' : 'sample counts, not time';
    throw new ProfileError(
      `--profile ${path.relative(root, file) || file} measures ${what}: ranking findings needs a CPU profile (.cpuprofile, a Chrome trace, speedscope or a pprof CPU profile)`,
    );
  }
  const scope = new ReadScope(options.readRoots ?? [root]);
  const sourceMaps = new SourceMaps(root, scope);
  const resolution = resolveFrames(profile, { root, sourceMaps });
  const hotspots = computeHotspots(profile, resolution);
  const functions: ProfiledFunction[] = [];
  for (const hotspot of hotspots.functions) {
    const fn = resolution.functions[hotspot.id];
    if (fn.path === undefined || fn.line <= 0) continue;
    functions.push({ name: fn.name, path: fn.path, line: fn.line, column: fn.column, selfMs: hotspot.self, totalMs: hotspot.total });
  }
  const refused = scope.note();
  return { totalMs: hotspots.total, functions, notes: [...profile.notes, ...sourceMaps.problems, ...(refused ? [refused] : [])] };
}

/**
 * Sets `hotness` on every finding that lies in a profiled function and returns the findings
 * hottest first (by the function's total time, callees included); findings the profile never
 * reached keep `hotness: null` and follow in their original order.
 */
export async function rankByHotness(findings: readonly Finding[], profile: TimeProfile): Promise<Finding[]> {
  const files = new Set(findings.map((finding) => path.resolve(finding.file)));
  const candidates = profile.functions.filter((fn) => files.has(path.resolve(fn.path)));
  const byFile = new Map<string, Array<{ range: SourceRange; selfMs: number; totalMs: number }>>();
  if (candidates.length > 0) {
    // Only the findings' own files are read for ranges: the scan read them already, whatever the profile names.
    const finder = await EnclosingFunctions.create(new ReadScope([...files]));
    // Frames of one source function can arrive under several scripts (a bundle and its chunk,
    // two reloads): the same range is one function, its times added up.
    const merged = new Map<string, { file: string; range: SourceRange; selfMs: number; totalMs: number }>();
    for (const fn of candidates) {
      const found = await finder.find(fn.path, fn.line, fn.column);
      if (!found) continue;
      const file = path.resolve(fn.path);
      const key = `${file}\0${found.range.start.line}:${found.range.start.column}-${found.range.end.line}:${found.range.end.column}`;
      const entry = merged.get(key);
      if (entry) {
        entry.selfMs += fn.selfMs;
        entry.totalMs += fn.totalMs;
      } else {
        merged.set(key, { file, range: found.range, selfMs: fn.selfMs, totalMs: fn.totalMs });
      }
    }
    for (const { file, ...entry } of merged.values()) {
      const list = byFile.get(file);
      if (list) list.push(entry);
      else byFile.set(file, [entry]);
    }
  }

  const ranked = findings.map((finding, order) => {
    const functions = byFile.get(path.resolve(finding.file)) ?? [];
    const { line, column } = finding.range.start;
    let innermost: { range: SourceRange; selfMs: number; totalMs: number } | undefined;
    for (const fn of functions) {
      if (!contains(fn.range, line, column)) continue;
      if (!innermost || contains(innermost.range, fn.range.start.line, fn.range.start.column)) innermost = fn;
    }
    const hotness: Hotness | null = innermost
      ? {
          selfMs: round(innermost.selfMs),
          totalMs: round(innermost.totalMs),
          share: profile.totalMs > 0 ? round(innermost.totalMs / profile.totalMs, 6) : 0,
        }
      : null;
    return { finding: { ...finding, hotness }, order };
  });
  ranked.sort((a, b) => (b.finding.hotness?.totalMs ?? -1) - (a.finding.hotness?.totalMs ?? -1) || a.order - b.order);
  return ranked.map(({ finding }) => finding);
}

function contains(range: SourceRange, line: number, column: number): boolean {
  if (line < range.start.line || line > range.end.line) return false;
  if (line === range.start.line && column < range.start.column) return false;
  if (line === range.end.line && column > range.end.column) return false;
  return true;
}
