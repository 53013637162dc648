/**
 * What was recorded is kept (issue 15): a recorded profile goes to `.perflens/profiles/` under the
 * workspace, named for when and what (`20261208-003012-node-app.js.cpuprofile`, local time as Node's
 * own `--cpu-prof` names its files), and only the newest `keep` of those names stay; each recording's
 * summary is one line of `.perflens/history.jsonl`. vscode-free: the CLI and the editor share it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hotspots } from './hotspots';
import type { Profile } from './model';
import type { ResolvedFunction } from './resolve';
import { round } from './round';

export const PERFLENS_DIR = '.perflens';
export const PROFILES_DIR = path.join(PERFLENS_DIR, 'profiles');
export const HISTORY_FILE = path.join(PERFLENS_DIR, 'history.jsonl');
/** How many recordings stay in `.perflens/profiles/` unless the user says otherwise. */
export const DEFAULT_KEEP = 20;

/** The names this module gives, and the only files it ever prunes: a user's own files there are left alone. */
const KEPT_NAME = /^\d{8}-\d{6}(?:-\d+)?-[A-Za-z0-9._-]*\.cpuprofile$/;
const MAX_WHAT_LENGTH = 60;

/**
 * `20261208-003012-node-app.js.cpuprofile` for `node app.js` run at that local time.
 * @internal exported for test/profiles/keep.test.ts
 */
export function keptName(command: readonly string[], when: Date): string {
  const two = (value: number): string => String(value).padStart(2, '0');
  const stamp = `${when.getFullYear()}${two(when.getMonth() + 1)}${two(when.getDate())}-${two(when.getHours())}${two(when.getMinutes())}${two(when.getSeconds())}`;
  // The program's own name (not its path) and its arguments, reduced to characters every file system takes.
  const words = command.map((word, index) => (index === 0 ? path.basename(word) : word));
  const what = words
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, MAX_WHAT_LENGTH)
    .replace(/-+$/, '');
  return `${stamp}-${what || 'run'}.cpuprofile`;
}

export interface Kept {
  /** Where the profile now is. */
  file: string;
  /** Older recordings removed to stay within `keep`. */
  pruned: number;
  /** True when `.perflens/profiles/` did not exist before: the first recording kept in this workspace. */
  first: boolean;
}

/**
 * Copies the recording at `source` into `<root>/.perflens/profiles/` under keptName, then removes the
 * oldest kept recordings beyond `keep`. The copy is written beside its final name and renamed, so a
 * full disk leaves no half profile under a name that looks whole. Throws on failure (the caller says so).
 */
export function keepRecording(source: string, options: { root: string; command: readonly string[]; when: Date; keep: number }): Kept {
  const directory = path.join(options.root, PROFILES_DIR);
  const first = !fs.existsSync(directory);
  fs.mkdirSync(directory, { recursive: true });
  const name = keptName(options.command, options.when);
  // Two recordings in one second: the second gets -2, -3…
  let file = path.join(directory, name);
  for (let count = 2; fs.existsSync(file); count++) file = path.join(directory, name.replace(/^(\d{8}-\d{6})/, `$1-${count}`));
  const partial = path.join(directory, `.${path.basename(file)}.${crypto.randomBytes(4).toString('hex')}.partial`);
  try {
    fs.copyFileSync(source, partial);
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { file, pruned: prune(directory, options.keep, file), first };
}

/** Removes the oldest kept recordings beyond `keep` (never `current`); how many went. */
function prune(directory: string, keep: number, current: string): number {
  // The names start with the time, so their order is the recordings' order.
  const kept = fs
    .readdirSync(directory)
    .filter((name) => KEPT_NAME.test(name))
    .sort(byTime);
  let pruned = 0;
  for (const name of kept.slice(0, Math.max(0, kept.length - Math.max(keep, 1)))) {
    const file = path.join(directory, name);
    if (file === current) continue;
    fs.rmSync(file, { force: true });
    pruned++;
  }
  return pruned;
}

/** By the time in the name, then by the -2, -3 of recordings within one second. */
function byTime(a: string, b: string): number {
  const key = (name: string): [string, number] => {
    const match = /^(\d{8}-\d{6})(?:-(\d+))?-/.exec(name);
    return match ? [match[1], Number(match[2] ?? 1)] : [name, 0];
  };
  const [timeA, countA] = key(a);
  const [timeB, countB] = key(b);
  return timeA < timeB ? -1 : timeA > timeB ? 1 : countA - countB;
}

/** One line of `.perflens/history.jsonl`: a recording's summary, so that runs can be compared over time. */
export interface HistoryEntry {
  /** ISO 8601, UTC. */
  time: string;
  command: string[];
  /** The kept profile, relative to the workspace with `/`; absent when none was kept. */
  profile?: string;
  format: Profile['format'];
  unit: Profile['unit'];
  total: number;
  samples: number;
  /** The heaviest functions by self weight (up to HISTORY_TOP), as the report names them. */
  top: Array<{ name: string; file?: string; line: number; self: number; total: number }>;
}

const HISTORY_TOP = 5;

export function historyEntry(
  profile: Profile,
  hotspots: Hotspots,
  functions: readonly ResolvedFunction[],
  recorded: { command: readonly string[]; when: Date; profile: string | undefined },
): HistoryEntry {
  const entry: HistoryEntry = {
    time: recorded.when.toISOString(),
    command: [...recorded.command],
    format: profile.format,
    unit: profile.unit,
    // Rounded as the JSON report rounds them: the history and the report of one run agree.
    total: round(hotspots.total),
    samples: profile.samples,
    top: hotspots.functions.slice(0, HISTORY_TOP).map((hotspot) => {
      const fn = functions[hotspot.id];
      const row: HistoryEntry['top'][number] = { name: fn.name, line: fn.line, self: round(hotspot.self), total: round(hotspot.total) };
      if (fn.file !== undefined) row.file = fn.file;
      return row;
    }),
  };
  if (recorded.profile !== undefined) entry.profile = recorded.profile;
  return entry;
}

/** Appends `entry` to `<root>/.perflens/history.jsonl` as one line (one write: lines of concurrent runs do not interleave). */
export function appendHistory(root: string, entry: HistoryEntry): string {
  const file = path.join(root, HISTORY_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  return file;
}

/**
 * Whether `<root>/.gitignore` already keeps `.perflens/` out of git (a line `.perflens`, `.perflens/`,
 * `/.perflens` or `/.perflens/`); undefined when the root has no `.gitignore` and is no git work tree.
 */
export function ignoresPerflens(root: string): boolean | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, '.gitignore'), 'utf8');
  } catch {
    return fs.existsSync(path.join(root, '.git')) ? false : undefined;
  }
  return text.split(/\r?\n/).some((line) => /^\/?\.perflens\/?\s*$/.test(line.trim()));
}
