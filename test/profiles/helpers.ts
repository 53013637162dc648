/**
 * Real profiles for the tests, made in the tests: a small TypeScript program bundled by esbuild
 * with a source map and run under `node --cpu-prof` / `--heap-prof`, plus an independent reading
 * of what those files say (plain JSON.parse and arithmetic, none of src/profiles).
 *
 * How much time a recording gives each function depends on how the machine scheduled the run.
 * A test that ranks functions or gates on a change gives the recording known weights first
 * (`withKnownWeights`); a test that only compares PerfLens with the raw file may use it as it is.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll } from 'vitest';
import { runCliAsync } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function perflens(argv: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCliAsync(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    isTTY: false,
    env: {},
  });
  return { code, stdout, stderr };
}

/** One `perflens: …` line on stderr and nothing like a stack trace. */
export function oneLineError(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1 || !lines[0].startsWith('perflens: ') || /^\s+at /m.test(run.stderr)) {
    throw new Error(`expected one "perflens: …" line on stderr, got:\n${run.stderr}`);
  }
  return lines[0];
}

const madeDirs: string[] = [];

// Folders made for a test file live until its last test: suites make their profiles in beforeAll.
// (Integration test files run isolated, so this hook belongs to the file that imports the helper.)
afterAll(() => {
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temp folder, removed after the test file ends. */
export function tempDir(prefix = 'perflens-profiles-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  madeDirs.push(dir);
  return dir;
}

/**
 * The program: two hot functions in src/work.ts, called from src/main.ts, each doing a fixed amount
 * of work — not working for a fixed time, which a busy machine can pass asleep, leaving a function
 * without a sample. heavyWork does three times lightWork's rounds.
 */
export function programSources(extraLinesBeforeHeavy = 0): Record<string, string> {
  return {
    'src/work.ts': `${'// padding\n'.repeat(extraLinesBeforeHeavy)}export function heavyWork(rounds: number): number {
  let x = 0;
  let round = 0;
  while (round++ < rounds) {
    for (let i = 0; i < 20000; i++) x += Math.sqrt(x + i);
  }
  return x;
}

export function lightWork(rounds: number): number {
  let y = 1;
  let round = 0;
  while (round++ < rounds) {
    for (let i = 0; i < 20000; i++) y = (y * 31 + i) % 1000003;
  }
  return y;
}
`,
    'src/main.ts': `import { heavyWork, lightWork } from './work';

function main(): void {
  let sum = 0;
  for (let round = 0; round < 4; round++) {
    sum += heavyWork(60);
    sum += lightWork(20);
  }
  if (sum === -1) console.log(sum);
}

main();
`,
  };
}

/** Writes the sources, bundles src/main.ts to dist/app.js with a linked source map. */
export function buildProgram(root: string, sources: Record<string, string>): string {
  for (const [name, text] of Object.entries(sources)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const outfile = path.join(root, 'dist', 'app.js');
  buildSync({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: true,
    outfile,
    logLevel: 'silent',
    keepNames: false,
  });
  return outfile;
}

/** Runs node with `flags` on `script` and returns the one profile it wrote. */
export function recordNode(script: string, flags: string[], extension: '.cpuprofile' | '.heapprofile', cwd: string): string {
  const directory = tempDir('perflens-record-');
  const dirFlag = extension === '.cpuprofile' ? '--cpu-prof-dir' : '--heap-prof-dir';
  const result = spawnSync(process.execPath, [...flags, `${dirFlag}=${directory}`, script], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node ${script} failed: ${result.stderr}`);
  const file = fs.readdirSync(directory).find((name) => name.endsWith(extension));
  if (!file) throw new Error(`node wrote no ${extension}`);
  return path.join(directory, file);
}

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
  hitCount?: number;
}

export interface CpuProfileJson {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function readCpuProfile(file: string): CpuProfileJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfileJson;
}

/**
 * Self milliseconds per function name, computed from the raw JSON: each sample lasts until the
 * next one, the last until endTime (the convention PerfLens documents).
 */
export function selfMsByName(profile: CpuProfileJson, lastSample: 'endTime' | 'none' = 'endTime'): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const durations = sampleDurations(profile, lastSample);
  const result = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const name = (byId.get(id) as CpuNode).callFrame.functionName;
    result.set(name, (result.get(name) ?? 0) + durations[index]);
  });
  return result;
}

/** Every sample as its stack of function names, root first (for folding and conversions). */
export function sampleStacks(profile: CpuProfileJson): string[][] {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  return profile.samples.map((id) => {
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      stack.unshift((byId.get(at) as CpuNode).callFrame.functionName || '(anonymous)');
    return stack;
  });
}

/**
 * Duration in ms of each sample, by its index: as Chrome DevTools reads a profile, a sample lasts
 * until the next one in time (V8 records a few samples out of order, so they are taken sorted by
 * timestamp, ties in recorded order), the last one until `endTime` (or not at all, for traces).
 */
export function sampleDurations(profile: CpuProfileJson, lastSample: 'endTime' | 'none' = 'endTime'): number[] {
  let time = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (time += delta));
  const order = stamps.map((_, index) => index).sort((a, b) => stamps[a] - stamps[b] || a - b);
  const durations = new Array<number>(stamps.length).fill(0);
  order.forEach((index, rank) => {
    const next = rank + 1 < order.length ? stamps[order[rank + 1]] : lastSample === 'endTime' ? profile.endTime : stamps[index];
    durations[index] = (next - stamps[index]) / 1000;
  });
  return durations;
}

/** Self weight per function name from a report's JSON functions. */
export function reportSelf(report: { functions: Array<{ name: string; self: number }> }): Map<string, number> {
  const result = new Map<string, number>();
  for (const fn of report.functions) result.set(fn.name, (result.get(fn.name) ?? 0) + fn.self);
  return result;
}

export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not in the text`);
  return text.slice(0, index).split('\n').length;
}

/**
 * `profile` with samples of known weight, all `intervalUs` long: `ms[name]` milliseconds of them in
 * the node of each named function the recording sampled most, and one in every other node it
 * sampled. Nodes, call frames and line ticks stay as recorded (source maps and hot lines are real);
 * what the profile says about time no longer depends on how the machine scheduled the run.
 */
export function withKnownWeights(profile: CpuProfileJson, ms: Record<string, number>, intervalUs = 250): CpuProfileJson {
  const count = new Map<number, number>();
  for (const id of profile.samples) count.set(id, (count.get(id) ?? 0) + 1);
  const busiest = new Map<string, CpuNode>();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName;
    const best = busiest.get(name);
    if (Object.hasOwn(ms, name) && (best === undefined || (count.get(node.id) ?? 0) > (count.get(best.id) ?? 0))) busiest.set(name, node);
  }
  const missing = Object.keys(ms).filter((name) => !busiest.has(name));
  if (missing.length > 0) throw new Error(`the recording has no node for ${missing.join(', ')}`);

  const samples: number[] = [];
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName;
    if (busiest.get(name) === node) samples.push(...Array<number>(Math.round((ms[name] * 1000) / intervalUs)).fill(node.id));
    else if (!Object.hasOwn(ms, name) && count.has(node.id)) samples.push(node.id);
  }
  return {
    ...profile,
    samples,
    timeDeltas: samples.map((_, index) => (index === 0 ? 0 : intervalUs)),
    endTime: profile.startTime + samples.length * intervalUs,
  };
}

/** `profile` as if recorded from a copy of its program in `to`: frame URLs under `from` point there. */
export function movedTo(profile: CpuProfileJson, from: string, to: string): CpuProfileJson {
  const [old, now] = [pathToFileURL(from).href, pathToFileURL(to).href];
  return {
    ...profile,
    nodes: profile.nodes.map((node) => ({ ...node, callFrame: { ...node.callFrame, url: node.callFrame.url.replace(old, now) } })),
  };
}
