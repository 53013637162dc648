/**
 * Real profiles for the tests, made in the tests: a small TypeScript program bundled by esbuild
 * with a source map and run under `node --cpu-prof` / `--heap-prof`, plus an independent reading
 * of what those files say (plain JSON.parse and arithmetic, none of src/profiles).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { runCliAsync } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function perflens(argv: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCliAsync(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd, isTTY: false, env: {} });
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

export function tempDir(prefix = 'perflens-profiles-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** The program: two hot functions of different weight in src/work.ts, called from src/main.ts. */
export function programSources(extraLinesBeforeHeavy = 0, heavyMs = 240, lightMs = 80): Record<string, string> {
  return {
    'src/work.ts': `${'// padding\n'.repeat(extraLinesBeforeHeavy)}export function heavyWork(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 20000; i++) x += Math.sqrt(x + i);
  }
  return x;
}

export function lightWork(ms: number): number {
  const end = performance.now() + ms;
  let y = 1;
  while (performance.now() < end) {
    for (let i = 0; i < 20000; i++) y = (y * 31 + i) % 1000003;
  }
  return y;
}
`,
    'src/main.ts': `import { heavyWork, lightWork } from './work';

function main(): void {
  let sum = 0;
  for (let round = 0; round < 4; round++) {
    sum += heavyWork(${heavyMs / 4});
    sum += lightWork(${lightMs / 4});
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
  buildSync({ entryPoints: [path.join(root, 'src', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', sourcemap: true, outfile, logLevel: 'silent', keepNames: false });
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
  const result = new Map<string, number>();
  let time = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (time += delta));
  profile.samples.forEach((id, index) => {
    const duration = index + 1 < stamps.length ? stamps[index + 1] - stamps[index] : lastSample === 'endTime' ? profile.endTime - stamps[index] : 0;
    const name = (byId.get(id) as CpuNode).callFrame.functionName;
    result.set(name, (result.get(name) ?? 0) + Math.max(0, duration) / 1000);
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
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.unshift((byId.get(at) as CpuNode).callFrame.functionName || '(anonymous)');
    return stack;
  });
}

/** Duration in ms of each sample (as selfMsByName counts it). */
export function sampleDurations(profile: CpuProfileJson): number[] {
  let time = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (time += delta));
  return stamps.map((stamp, index) => Math.max(0, (index + 1 < stamps.length ? stamps[index + 1] : profile.endTime) - stamp) / 1000);
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
