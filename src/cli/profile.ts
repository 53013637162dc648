/**
 * `perflens profile`: read (or record) a profile, map it to source, aggregate, optionally
 * compare with a baseline, and print the table or the JSON contract. Exit status: 0, 1 when
 * `--max-regression` is breached, 2 for bad input (thrown, and turned into one line by main.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffRuns, regressions, type FunctionChange, type ProfileDiff, type ProfileRun, type Regression } from '../profiles/diff';
import { EnclosingFunctions, type SourceRange } from '../profiles/enclosing';
import { ProfileError } from '../profiles/errors';
import { computeHotspots, type FunctionHotspot } from '../profiles/hotspots';
import { describeNonFile } from '../io/regularFile';
import { readBoundedStream } from '../io/boundedStream';
import { loadProfileFile, MAX_PROFILE_BYTES, parseProfile, refusalMessage, type LoadOptions } from '../profiles/load';
import type { Profile } from '../profiles/model';
import { ReadScope } from '../profiles/readScope';
import { displayPath } from '../profiles/paths';
import { resolveFrames, type ResolvedFunction } from '../profiles/resolve';
import { SourceMaps } from '../profiles/sourcemaps';
import { formatProfileJson } from './format/profileJson';
import { formatProfileText } from './format/profileText';
import { stderrLine } from './format/terminal';
import type { ProfileCommand } from './profileArgs';
import { recordCpuProfile } from './record';
import { findConfigFile, loadConfigFile } from '../analyzers/config';
import { BudgetError, checkBudgets, describeBudget, type BudgetCheck } from '../profiles/budgets';
import {
  appendHistory,
  DEFAULT_KEEP,
  HISTORY_FILE,
  historyEntry,
  ignoresPerflens,
  keepRecording,
  PERFLENS_DIR,
  PROFILES_DIR,
  type Kept,
} from '../profiles/keep';

export interface ProfileIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Standard input, opened only when the profile is read from it (`perflens profile -`). */
  stdin?: () => NodeJS.ReadableStream;
}

/** A function as shown: this run's figures, the comparison with the baseline, its source range. */
export interface ReportRow {
  fn: ResolvedFunction;
  /** Undefined for a function only the baseline has. */
  hotspot: FunctionHotspot | undefined;
  change: FunctionChange | undefined;
  range: SourceRange | undefined;
}

/** What the formats print: one run, its ranges, and the comparison when there is a baseline. */
export interface ProfileReport {
  profile: Profile;
  run: ProfileRun;
  /** The functions to show, in order (after --top). */
  rows: ReportRow[];
  /** How many functions there are in all (rows before --top). */
  functionCount: number;
  top: number | undefined;
  diff: ProfileDiff | undefined;
  baselineProfile: Profile | undefined;
  regressions: Regression[] | undefined;
  maxRegression: number | undefined;
  /** The budgets of `.perflensrc.json`, checked; undefined when none is set. */
  budgets: BudgetCheck[] | undefined;
  notes: string[];
}

const DEFAULT_TEXT_ROWS = 20;

export async function runProfileCommand(command: ProfileCommand, io: ProfileIo): Promise<number> {
  const root = path.resolve(io.cwd, command.root ?? '.');
  if (command.root !== undefined && !isDirectory(root)) throw new ProfileError(`--root ${command.root} is not a folder`);
  // Read before a --run records anything: a malformed budget is a usage error, said before minutes of recording.
  const configFile = findConfigFile(root);
  const config = configFile === undefined ? undefined : loadConfigFile(configFile, undefined);
  const options = { thread: command.thread, sampleType: command.sampleType };
  const notes: string[] = [];

  let profile: Profile;
  let commandStatus: number | null = 0;
  // A recording is kept in the workspace (the root) before its temporary folder goes; what went wrong keeping it is said, not fatal.
  let recorded: { when: Date; kept: Kept | undefined; problem: string | undefined } | undefined;
  if (command.run) {
    const recording = recordCpuProfile(command.run, io.cwd, io.env, io.stderr);
    try {
      profile = loadProfileFile(recording.file, options);
      recorded = { when: new Date(), kept: undefined, problem: undefined };
      const keep = command.keep ?? DEFAULT_KEEP;
      if (keep > 0) {
        try {
          recorded.kept = keepRecording(recording.file, { root, command: command.run, when: recorded.when, keep });
        } catch (error) {
          recorded.problem = `could not keep the profile in ${PROFILES_DIR}: ${errorText(error)}`;
        }
      }
    } finally {
      fs.rmSync(recording.directory, { recursive: true, force: true });
    }
    commandStatus = recording.signal ? 128 : recording.status;
    if (recording.others > 0) notes.push(`${command.run[0]} ran ${recording.others + 1} Node.js processes; showing the busiest`);
  } else {
    profile = await readProfile(command.file as string, io, options);
  }
  // A profile names the files it wants read (sources, maps): none outside the root is.
  const scope = new ReadScope([root]);
  const sourceMaps = new SourceMaps(root, scope);
  const resolution = resolveFrames(profile, { root, sourceMaps });
  const run: ProfileRun = { hotspots: computeHotspots(profile, resolution), resolution };

  let diff: ProfileDiff | undefined;
  let baselineProfile: Profile | undefined;
  let found: Regression[] | undefined;
  if (command.baseline !== undefined) {
    try {
      baselineProfile = loadProfileFile(path.resolve(io.cwd, command.baseline), options);
    } catch (error) {
      // Two profiles are read: say which one is wrong.
      if (error instanceof ProfileError) throw new ProfileError(`--baseline ${command.baseline}: ${error.message}`);
      throw error;
    }
    if (baselineProfile.unit !== profile.unit) {
      throw new ProfileError(`the baseline is in ${baselineProfile.unit} and the profile in ${profile.unit}: they cannot be compared`);
    }
    const baselineResolution = resolveFrames(baselineProfile, { root, sourceMaps });
    diff = diffRuns({ hotspots: computeHotspots(baselineProfile, baselineResolution), resolution: baselineResolution }, run);
    if (command.maxRegression !== undefined) found = regressions(diff, command.maxRegression);
  }

  const limit = command.top ?? (command.format === 'text' ? DEFAULT_TEXT_ROWS : undefined);
  const all: ReportRow[] = diff
    ? diff.changes.map((change) => ({ fn: change.fn, hotspot: change.after, change, range: undefined }))
    : run.hotspots.functions.map((hotspot) => ({ fn: resolution.functions[hotspot.id], hotspot, change: undefined, range: undefined }));
  const rows = limit === undefined ? all : all.slice(0, limit);
  await addRanges(rows, scope);
  notes.push(...profile.notes, ...sourceMaps.problems);
  const refused = scope.note();
  if (refused) notes.push(refused);

  let budgets: BudgetCheck[] | undefined;
  if (config?.budgets) {
    try {
      budgets = checkBudgets(config.budgets, profile, run.hotspots, resolution.functions, config.root);
    } catch (error) {
      if (error instanceof BudgetError)
        throw new ProfileError(`${path.relative(io.cwd, config.source ?? '') || config.source}: ${error.message}`);
      throw error;
    }
  }

  const report: ProfileReport = {
    profile,
    run,
    budgets,
    rows,
    functionCount: all.length,
    top: limit,
    diff,
    baselineProfile,
    regressions: found,
    maxRegression: command.maxRegression,
    notes,
  };
  io.stdout(command.format === 'json' ? formatProfileJson(report) : formatProfileText(report));
  if (command.run && recorded) keptLines(root, command.run, recorded, profile, run, io);

  if (commandStatus !== 0) {
    throw new ProfileError(`${command.run?.[0] ?? 'the command'} exited with status ${commandStatus ?? 'unknown'} (its profile is above)`);
  }
  let status = 0;
  if (found && found.length > 0) {
    const worst = found[0];
    const percent = Number.isFinite(worst.growth) ? `+${(worst.growth * 100).toFixed(1)}%` : 'new';
    io.stderr(
      stderrLine(
        `${found.length} regression${found.length === 1 ? '' : 's'} over ${command.maxRegression}%: ${worst.name}${worst.file ? ` (${worst.file})` : ''} ${percent}`,
      ),
    );
    status = 1;
  }
  const breached = budgets?.filter((check) => check.breached) ?? [];
  if (breached.length > 0) {
    io.stderr(
      stderrLine(`${breached.length} budget${breached.length === 1 ? '' : 's'} exceeded: ${breached.map(describeBudget).join('; ')}`),
    );
    status = 1;
  }
  return status;
}

/** The source range of each shown function, from its file (any language with a grammar) when `scope` lets it be read. */
async function addRanges(rows: ReportRow[], scope: ReadScope): Promise<void> {
  const lineOf = (row: ReportRow): number => row.fn.line || row.hotspot?.hotLine || 0;
  const wanted = rows.filter((row) => row.fn.path !== undefined && lineOf(row) > 0 && fs.existsSync(row.fn.path));
  if (wanted.length === 0) return;
  const finder = await EnclosingFunctions.create(scope);
  for (const row of wanted) {
    const found = await finder.find(row.fn.path as string, lineOf(row), row.fn.line > 0 ? row.fn.column : 0);
    if (!found) continue;
    row.range = found.range;
    // A frame known only by the lines it ran (folded stacks, some pprofs) takes its function's start.
    if (row.fn.line === 0) row.fn = { ...row.fn, line: found.range.start.line, column: found.range.start.column };
  }
}

/** `-` and `/dev/stdin`: standard input (a pipe or a redirected file), read with the same limit as a file. */
const STDIN_NAMES = new Set(['-', '/dev/stdin']);

async function readProfile(file: string, io: ProfileIo, options: LoadOptions): Promise<Profile> {
  if (!STDIN_NAMES.has(file)) return loadProfileFile(path.resolve(io.cwd, file), options);
  const stdin = io.stdin?.();
  if (!stdin) throw new ProfileError('standard input is not available to read a profile from');
  if ((stdin as { isTTY?: boolean }).isTTY)
    throw new ProfileError('standard input is a terminal: pipe a profile in (cat run.cpuprofile | perflens profile -)');
  // A device redirected in (< /dev/zero) is refused by what it is, as a named one would be.
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd === 'number') {
    const stats = fs.fstatSync(fd);
    if (!stats.isFIFO() && !stats.isSocket() && !stats.isFile()) {
      throw new ProfileError(`standard input is ${describeNonFile(stats)}: pipe a profile in (cat run.cpuprofile | perflens profile -)`);
    }
  }
  const read = await readBoundedStream(stdin, MAX_PROFILE_BYTES);
  if ('refused' in read) throw new ProfileError(refusalMessage('standard input', read.refused, MAX_PROFILE_BYTES));
  return parseProfile(read.bytes, options);
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * After a recorded run: its summary goes to .perflens/history.jsonl, and stderr says where the profile
 * was kept — and, the first time, that .perflens/ belongs in .gitignore when it is not there yet.
 */
function keptLines(
  root: string,
  command: readonly string[],
  recorded: { when: Date; kept: Kept | undefined; problem: string | undefined },
  profile: Profile,
  run: ProfileRun,
  io: ProfileIo,
): void {
  const shown = (file: string): string => path.relative(io.cwd, file) || '.';
  const kept = recorded.kept;
  const relative = kept && displayPath(kept.file, root);
  if (kept) {
    const pruned = kept.pruned > 0 ? `; ${kept.pruned} older ${kept.pruned === 1 ? 'one' : 'ones'} removed` : '';
    io.stderr(stderrLine(`profile kept: ${shown(kept.file)}${pruned}`));
  }
  if (recorded.problem) io.stderr(stderrLine(recorded.problem));
  try {
    appendHistory(root, historyEntry(profile, run.hotspots, run.resolution.functions, { command, when: recorded.when, profile: relative }));
  } catch (error) {
    io.stderr(stderrLine(`could not add the run to ${HISTORY_FILE}: ${errorText(error)}`));
  }
  if (kept?.first && ignoresPerflens(root) === false)
    io.stderr(stderrLine(`${PERFLENS_DIR}/ holds recordings of this machine's runs: add it to .gitignore`));
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code} (${(error as Error).message.replace(/^[A-Z]+: /, '').split(',')[0]})` : String(error);
}
