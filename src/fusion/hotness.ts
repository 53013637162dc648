/**
 * Where static findings meet a runtime profile: each finding gets the time the profile spent in
 * the function around it, so that a list of findings can be read hottest first. A finding's
 * function is the innermost profiled function whose source range holds the finding: the profile's
 * frames are mapped to source (source maps included) and placed in their enclosing function by
 * the same finder `perflens profile` uses, so both commands agree on what a function is.
 */
import * as path from 'node:path';
import type { Finding } from '../analyzers/finding';
import { EnclosingFunctions } from '../profiles/enclosing';
import { ProfileError } from '../profiles/errors';
import { computeHotspots } from '../profiles/hotspots';
import { loadProfileFile } from '../profiles/load';
import type { Profile } from '../profiles/model';
import { ReadScope } from '../profiles/readScope';
import { resolveFrames } from '../profiles/resolve';
import { SourceMaps } from '../profiles/sourcemaps';
import { withHotness, type LocatedFunction, type ProfiledFunction, type ProfiledLine, type TimeProfile } from './functionTimes';

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
  const lines: ProfiledLine[] = [];
  for (const hotspot of hotspots.lines) {
    const line = resolution.lines[hotspot.id];
    if (line.path !== undefined && line.line > 0 && hotspot.self > 0)
      lines.push({ path: line.path, line: line.line, selfMs: hotspot.self });
  }
  const refused = scope.note();
  return { totalMs: hotspots.total, functions, lines, notes: [...profile.notes, ...sourceMaps.problems, ...(refused ? [refused] : [])] };
}

/**
 * Sets `hotness` on every finding that lies in a profiled function and returns the findings
 * hottest first (by the function's total time, callees included); findings the profile never
 * reached keep `hotness: null` and follow in their original order.
 */
export async function rankByHotness(findings: readonly Finding[], profile: TimeProfile): Promise<Finding[]> {
  const files = new Set(findings.map((finding) => path.resolve(finding.file)));
  const candidates = profile.functions.filter((fn) => files.has(path.resolve(fn.path)));
  const located: LocatedFunction[] = [];
  if (candidates.length > 0) {
    // Only the findings' own files are read for ranges: the scan read them already, whatever the profile names.
    const finder = await EnclosingFunctions.create(new ReadScope([...files]));
    for (const fn of candidates) {
      const found = await finder.find(fn.path, fn.line, fn.column);
      if (found) located.push({ file: path.resolve(fn.path), range: found.range, selfMs: fn.selfMs, totalMs: fn.totalMs });
    }
  }
  const ranked = withHotness(findings, located, profile.totalMs).map((finding, order) => ({ finding, order }));
  ranked.sort((a, b) => (b.finding.hotness?.totalMs ?? -1) - (a.finding.hotness?.totalMs ?? -1) || a.order - b.order);
  return ranked.map(({ finding }) => finding);
}
