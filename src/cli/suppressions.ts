/**
 * Bulk suppressions, as ESLint has them (eslint-suppressions.json, `--suppress-all`,
 * `--prune-suppressions`): a team adopting PerfLens on existing code records today's findings as
 * counts per file and rule in `perflens-suppressions.json`, and later scans report only what goes
 * beyond them.
 *
 *   { "src/orders.ts": { "query-in-loop": { "count": 2 } } }
 *
 * Per file and rule: when a scan finds at most the recorded count, those findings are suppressed;
 * when it finds more, every one of them is reported — a count cannot tell which is the new one.
 * Paths are relative to the file's own folder (with `/`), so a clone elsewhere reads it the same.
 * The file is read before the scan (a bad one stops it, nothing written) and written atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../analyzers/finding';
import { readRegularFile } from '../io/regularFile';
import type { SuppressionFlags } from './args';
import { displayPath } from './paths';
import { createFile, replaceFile } from './replaceFile';
import type { ScanReport } from './scan';

const SUPPRESSIONS_FILE_NAME = 'perflens-suppressions.json';

/** Far more than a suppressions file of the largest monorepo (about 100 bytes a file and rule). */
const MAX_SUPPRESSIONS_BYTES = 64 * 1024 * 1024;

/** A suppressions file that cannot be used as it is: exit status 2, nothing scanned or written. */
export class SuppressionsError extends Error {
  override name = 'SuppressionsError';
}

/** file (relative to the suppressions file's folder, `/` separators) → rule id → count (≥ 1). */
type Counts = Map<string, Map<string, number>>;

/** The suppressions file as read before the scan. */
export interface SuppressionsFile {
  /** Absolute. */
  path: string;
  /** How messages name it: relative to the working directory. */
  shown: string;
  /** The bytes read; undefined when there is no file yet (`--suppress-all` creates it). */
  bytes?: Buffer;
  counts: Counts;
}

/** A recorded count the scan no longer reaches: `count` recorded findings that do not occur anymore. */
export interface UnusedSuppression {
  /** Absolute path of the recorded file. */
  file: string;
  rule: string;
  count: number;
  /** Why the whole entry is unused, when it is: the file is gone, or no rule has that id. */
  reason?: 'file missing' | 'unknown rule';
}

/** What the suppressions did to a scan's report (`report.suppressions`). */
export interface AppliedSuppressions {
  /** Absolute path of the suppressions file. */
  file: string;
  /** Findings within their file and rule's recorded count: not reported, not failing. */
  suppressed: Finding[];
  unused: UnusedSuppression[];
}

/**
 * Finds and reads the suppressions file: `--suppressions-location`, else perflens-suppressions.json
 * in the working directory. Undefined when there is none and none is to be made.
 */
export function openSuppressions(flags: SuppressionFlags, cwd: string): SuppressionsFile | undefined {
  const file = path.resolve(cwd, flags.location ?? SUPPRESSIONS_FILE_NAME);
  const shown = displayPath(file, cwd);
  const read = readRegularFile(file, { maxBytes: MAX_SUPPRESSIONS_BYTES });
  if ('refused' in read) {
    const { refused } = read;
    if (refused.kind !== 'missing') {
      const what = refused.kind === 'unreadable' ? refused.reason : `${refused.reason}, not a suppressions file`;
      throw new SuppressionsError(`${shown} is ${what}: nothing was scanned or written`);
    }
    if (flags.record) return { path: file, shown, counts: new Map() };
    if (flags.prune) throw new SuppressionsError(`no suppressions file ${shown} to prune: record one with --suppress-all`);
    // As ESLint: a location named but missing is a mistake; the default one missing means none is used.
    if (flags.location !== undefined) throw new SuppressionsError(`no suppressions file ${shown}: record one with --suppress-all`);
    return undefined;
  }
  return { path: file, shown, bytes: read.bytes, counts: parseSuppressions(read.bytes, shown) };
}

/** The file's JSON, checked entry by entry; every problem is named by its place, never by quoting the text. */
function parseSuppressions(bytes: Buffer, shown: string): Counts {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON.parse's own message may quote the text: only the position is passed on.
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    if (/Unexpected end of JSON input/.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length))
      throw new SuppressionsError(`${shown}: the JSON ends early (truncated?)`);
    throw new SuppressionsError(`${shown}: not valid JSON${position !== undefined ? ` at character ${Number(position) + 1}` : ''}`);
  }
  const expected = `expected { "<file>": { "<rule>": { "count": <positive integer> } } }`;
  if (!isObject(value)) throw new SuppressionsError(`${shown}: ${expected}`);
  const counts: Counts = new Map();
  for (const [written, rules] of Object.entries(value)) {
    const file = normalise(written);
    if (file === undefined)
      throw new SuppressionsError(`${shown}: "${written}" is not a path relative to the file's folder with / separators`);
    if (counts.has(file)) throw new SuppressionsError(`${shown}: "${written}" names a file listed before`);
    if (!isObject(rules)) throw new SuppressionsError(`${shown}: "${written}" must hold rule ids; ${expected}`);
    const byRule = new Map<string, number>();
    for (const [rule, entry] of Object.entries(rules)) {
      const count = isObject(entry) && Object.keys(entry).length === 1 ? entry.count : undefined;
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)
        throw new SuppressionsError(`${shown}: "${written}" → "${rule}" must be { "count": <positive integer> }`);
      byRule.set(rule, count);
    }
    if (byRule.size > 0) counts.set(file, byRule);
  }
  return counts;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `./src//a.ts` → `src/a.ts`; undefined for what cannot be a relative path with `/`. */
function normalise(written: string): string | undefined {
  if (written === '' || written.includes('\\') || written.includes('\0') || path.posix.isAbsolute(written) || /^[a-z]:/i.test(written))
    return undefined;
  const file = path.posix.normalize(written);
  return file === '.' || file.endsWith('/') ? undefined : file;
}

export interface SettleOptions {
  flags: SuppressionFlags;
  /** Every rule id this build knows: an entry for any other can never match again. */
  knownRules: ReadonlySet<string>;
}

/**
 * After the scan: records (`--suppress-all`, `--suppress-rule`) or prunes when asked, writes the
 * file when its content changes, then applies it — `report.findings` keeps only what is reported,
 * `report.suppressions` says what was suppressed and which recorded counts are no longer reached.
 * Returns the line that says what was written, if anything was asked.
 */
export function settleSuppressions(file: SuppressionsFile, report: ScanReport, options: SettleOptions): string | undefined {
  const found = countFindings(file, report.findings);
  let note: string | undefined;
  let counts = file.counts;
  if (options.flags.record) {
    counts = record(file, report, found, options);
    const { record: scope } = options.flags;
    const fromScan = report.findings.filter((finding) => scope === 'all' || scope.includes(finding.rule)).length;
    note = write(file, counts, (written, total) => {
      const holds = `${plural(total.findings, 'finding')} in ${plural(total.files, 'file')}`;
      if (!written) return `${file.shown} already records these findings (unchanged: ${holds})`;
      if (fromScan === total.findings) return `recorded ${holds} in ${file.shown}`;
      return `recorded ${plural(fromScan, 'finding')} in ${file.shown}, which now holds ${holds}`;
    });
  } else if (options.flags.prune) {
    const unused = unusedSuppressions(file, file.counts, report, found, options.knownRules);
    counts = prune(file, unused);
    const pruned = unused.reduce((sum, entry) => sum + entry.count, 0);
    note = write(file, counts, (written, total) =>
      written
        ? `pruned ${plural(pruned, 'recorded finding')} that no longer ${pruned === 1 ? 'occurs' : 'occur'} from ${file.shown} (${total.findings} left)`
        : `nothing to prune in ${file.shown} (${plural(total.findings, 'recorded finding')})`,
    );
  }
  apply(file, counts, report, found, options.knownRules);
  return note;
}

/** Findings per file key and rule. */
function countFindings(file: SuppressionsFile, findings: readonly Finding[]): Counts {
  const found: Counts = new Map();
  for (const finding of findings) {
    const key = keyOf(file, finding.file);
    let byRule = found.get(key);
    if (!byRule) found.set(key, (byRule = new Map()));
    byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
  }
  return found;
}

function keyOf(file: SuppressionsFile, absolute: string): string {
  return path.relative(path.dirname(file.path), absolute).split(path.sep).join('/');
}

function absoluteOf(file: SuppressionsFile, key: string): string {
  return path.resolve(path.dirname(file.path), ...key.split('/'));
}

/** The files analysed in full (no error of any kind on them): only their counts can be judged. */
function judged(report: ScanReport): Map<string, ReadonlySet<string>> {
  const incomplete = new Set(report.errors.map((error) => error.file));
  return new Map([...report.ran].filter(([absolute]) => !incomplete.has(absolute)));
}

/**
 * The counts `--suppress-all` / `--suppress-rule` leave: for every file analysed and every rule
 * recorded that ran on it, what is found now. A file that could not be fully analysed keeps a
 * count at least as high as before (its findings may be incomplete); entries of files that were
 * not scanned stay, those of files that no longer exist (and, with --suppress-all, of rules that
 * no longer exist) go.
 */
function record(file: SuppressionsFile, report: ScanReport, found: Counts, options: SettleOptions): Counts {
  const only = options.flags.record === 'all' ? undefined : new Set(options.flags.record);
  const counts = copy(file.counts);
  const complete = judged(report);
  for (const [absolute, rules] of report.ran) {
    const key = keyOf(file, absolute);
    for (const rule of rules) {
      if (only && !only.has(rule)) continue;
      const now = found.get(key)?.get(rule) ?? 0;
      const before = counts.get(key)?.get(rule) ?? 0;
      set(counts, key, rule, complete.has(absolute) ? now : Math.max(now, before));
    }
  }
  for (const [key, byRule] of [...counts]) {
    const gone = !report.ran.has(absoluteOf(file, key)) && !exists(absoluteOf(file, key));
    for (const rule of [...byRule.keys()]) {
      if (only && !only.has(rule)) continue;
      if (gone || !options.knownRules.has(rule)) set(counts, key, rule, 0);
    }
  }
  return counts;
}

/** ESLint's prune: each count lowered by what is unused; entries of missing files and unknown rules removed. */
function prune(file: SuppressionsFile, unused: readonly UnusedSuppression[]): Counts {
  const counts = copy(file.counts);
  for (const entry of unused) {
    const key = keyOf(file, entry.file);
    const before = counts.get(key)?.get(entry.rule) ?? 0;
    set(counts, key, entry.rule, entry.reason ? 0 : before - entry.count);
  }
  return counts;
}

/**
 * Recorded counts a scan did not reach, judged only where it could: files analysed in full and
 * rules that ran on them, plus entries of files that no longer exist and of rule ids no rule has.
 * Files outside the scanned paths, or that could not be analysed, are not judged.
 */
function unusedSuppressions(
  file: SuppressionsFile,
  counts: Counts,
  report: ScanReport,
  found: Counts,
  knownRules: ReadonlySet<string>,
): UnusedSuppression[] {
  const complete = judged(report);
  const unused: UnusedSuppression[] = [];
  for (const [key, byRule] of counts) {
    const absolute = absoluteOf(file, key);
    const ran = complete.get(absolute);
    const missing = !report.ran.has(absolute) && !exists(absolute);
    for (const [rule, recorded] of byRule) {
      if (missing) unused.push({ file: absolute, rule, count: recorded, reason: 'file missing' });
      else if (!knownRules.has(rule)) unused.push({ file: absolute, rule, count: recorded, reason: 'unknown rule' });
      else if (ran?.has(rule)) {
        const now = found.get(key)?.get(rule) ?? 0;
        if (now < recorded) unused.push({ file: absolute, rule, count: recorded - now });
      }
    }
  }
  return unused;
}

/** Moves the findings within their recorded counts out of `report.findings`. */
function apply(file: SuppressionsFile, counts: Counts, report: ScanReport, found: Counts, knownRules: ReadonlySet<string>): void {
  const suppressed: Finding[] = [];
  const reported: Finding[] = [];
  for (const finding of report.findings) {
    const key = keyOf(file, finding.file);
    const recorded = counts.get(key)?.get(finding.rule) ?? 0;
    const now = found.get(key)?.get(finding.rule) ?? 0;
    (now <= recorded ? suppressed : reported).push(finding);
  }
  report.findings = reported;
  report.suppressions = { file: file.path, suppressed, unused: unusedSuppressions(file, counts, report, found, knownRules) };
}

/** Writes `counts` when the file's text would change; `say` words what happened. */
function write(
  file: SuppressionsFile,
  counts: Counts,
  say: (written: boolean, total: { findings: number; files: number }) => string,
): string {
  const text = serialise(counts);
  const total = {
    findings: [...counts.values()].reduce((sum, byRule) => sum + [...byRule.values()].reduce((a, b) => a + b, 0), 0),
    files: counts.size,
  };
  if (file.bytes?.toString('utf8') === text) return say(false, total);
  const data = Buffer.from(text);
  const outcome = file.bytes ? replaceFile(file.path, data, { expected: file.bytes }) : createFile(file.path, data);
  if (!outcome.written) throw new SuppressionsError(`${file.shown} was not written: ${outcome.reason}`);
  file.bytes = data;
  file.counts = counts;
  return say(true, total);
}

/** Sorted keys at every level (by code unit: the same on every machine), two spaces, a final newline. */
function serialise(counts: Counts): string {
  const sorted: Record<string, Record<string, { count: number }>> = {};
  for (const key of [...counts.keys()].sort()) {
    const byRule = counts.get(key)!;
    sorted[key] = {};
    for (const rule of [...byRule.keys()].sort()) sorted[key][rule] = { count: byRule.get(rule)! };
  }
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function copy(counts: Counts): Counts {
  return new Map([...counts].map(([key, byRule]) => [key, new Map(byRule)]));
}

/** Sets one count; 0 removes the entry, and a file left without rules. */
function set(counts: Counts, key: string, rule: string, count: number): void {
  let byRule = counts.get(key);
  if (count <= 0) {
    byRule?.delete(rule);
    if (byRule?.size === 0) counts.delete(key);
    return;
  }
  if (!byRule) counts.set(key, (byRule = new Map()));
  byRule.set(rule, count);
}

function exists(absolute: string): boolean {
  try {
    fs.statSync(absolute);
    return true;
  } catch {
    return false;
  }
}

function plural(count: number, one: string): string {
  return `${count} ${count === 1 ? one : `${one}s`}`;
}

/** The one line that says which recorded findings no longer occur and what to do (exit status 2 unless passed on). */
export function unusedMessage(applied: AppliedSuppressions, cwd: string): string {
  const total = applied.unused.reduce((sum, entry) => sum + entry.count, 0);
  const listed = applied.unused
    .slice(0, 3)
    .map((entry) => `${displayPath(entry.file, cwd)} ${entry.rule} ${entry.reason ? `(${entry.reason})` : `×${entry.count}`}`);
  if (applied.unused.length > 3) listed.push(`${applied.unused.length - 3} more`);
  return (
    `${displayPath(applied.file, cwd)} records ${plural(total, 'finding')} that no longer ${total === 1 ? 'occurs' : 'occur'} (${listed.join(', ')}): ` +
    'remove them with --prune-suppressions, or ignore them with --pass-on-unpruned-suppressions'
  );
}
