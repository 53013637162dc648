// The profile suite's inputs, made offline and cached in bench/.cache/profiles/ (gitignored):
//  - a big real .cpuprofile: `tsc --noEmit` type-checking a large project assembled from the
//    sources installed in node_modules, recorded with `node --cpu-prof --cpu-prof-interval 100`;
//  - a ~30 MB Chrome trace: a real Node trace-event recording (threads, GC, …) of a smaller tsc
//    run with that run's CPU profile added as Profile/ProfileChunk events, as DevTools saves them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Globs of installed sources the big workload type-checks (JS files with checkJs). */
const BIG_PROJECT = [
  '@azure/**/*.ts',
  'ajv/lib/**/*.ts',
  'ajv/dist/**/*.js',
  'typeorm/**/*.d.ts',
  'vite/dist/**/*.d.ts',
  'vite/dist/node/chunks/*.js',
  'eslint/lib/**/*.js',
  '@typescript-eslint/*/dist/**/*.d.ts',
  'ts-morph/lib/*.d.ts',
  'vitest/dist/**/*.d.ts',
  '@vitest/*/dist/**/*.js',
  'esbuild/lib/*.d.ts',
];
const SMALL_PROJECT = ['ajv/lib/**/*.ts'];
const TRACE_BYTES = 30 * 1024 * 1024;

/**
 * @param {string} root the repository
 * @param {string} cacheDir bench/.cache
 * @param {(message: string) => void} progress
 * @returns {{ cpuprofile: string, trace: string, made: string[] }}
 */
export function profileWorkload(root, cacheDir, progress) {
  const directory = path.join(cacheDir, 'profiles');
  fs.mkdirSync(directory, { recursive: true });
  const made = [];
  const cpuprofile = path.join(directory, 'tsc-big.cpuprofile');
  if (!fs.existsSync(cpuprofile)) {
    progress('recording the big profile: node --cpu-prof --cpu-prof-interval 100 tsc --noEmit (about a minute, once)…');
    fs.copyFileSync(recordTsc(root, directory, 'big', BIG_PROJECT, []).cpuprofile, cpuprofile);
    made.push(cpuprofile);
  }
  const trace = path.join(directory, 'tsc-30mb.trace.json');
  if (!fs.existsSync(trace)) {
    progress('recording a Node trace with a CPU profile for the 30 MB Chrome trace…');
    const run = recordTsc(root, directory, 'small', SMALL_PROJECT, [
      '--trace-event-categories',
      'v8,node,node.async_hooks',
      `--trace-event-file-pattern=${path.join(directory, 'small', 'trace.json')}`,
    ]);
    writeTrace(
      trace,
      JSON.parse(fs.readFileSync(path.join(directory, 'small', 'trace.json'), 'utf8')).traceEvents,
      JSON.parse(fs.readFileSync(run.cpuprofile, 'utf8')),
    );
    made.push(trace);
  }
  return { cpuprofile, trace, made };
}

function recordTsc(root, directory, name, include, extraFlags) {
  const project = path.join(directory, name);
  fs.rmSync(project, { recursive: true, force: true });
  fs.mkdirSync(project, { recursive: true });
  const modules = path.join(root, 'node_modules');
  const tsconfig = {
    compilerOptions: {
      noEmit: true,
      strict: true,
      skipLibCheck: false,
      allowJs: true,
      checkJs: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: ['node'],
      typeRoots: [path.join(modules, '@types')],
    },
    include: include.map((glob) => `${modules}/${glob}`),
  };
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = path.join(modules, 'typescript', 'lib', 'tsc.js');
  // The project has type errors (it was never meant to compile as one): tsc exits 2, which is fine.
  const result = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-interval',
      '100',
      `--cpu-prof-dir=${project}`,
      '--max-old-space-size=8000',
      ...extraFlags,
      tsc,
      '-p',
      project,
    ],
    {
      cwd: project,
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const written = fs.readdirSync(project).find((file) => file.endsWith('.cpuprofile'));
  if (!written) throw new Error(`tsc wrote no CPU profile (exit ${result.status}): ${String(result.stderr).slice(-500)}`);
  return { cpuprofile: path.join(project, written) };
}

/**
 * Writes `{ traceEvents }`: the recorded Node events, the CPU profile as DevTools stores it (one
 * Profile event, ProfileChunk events of 500 samples with nodes linked by `parent`, keys in
 * Chrome's alphabetical order), and the recorded events again, shifted in time, until the file
 * reaches 30 MB — in real DevTools traces most bytes are other events too.
 */
function writeTrace(file, events, profile) {
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'JavaScriptMainThread') ?? { pid: 1, tid: 1 };
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nodes = profile.nodes.map((node) => ({
    callFrame: node.callFrame,
    id: node.id,
    ...(parent.has(node.id) ? { parent: parent.get(node.id) } : {}),
  }));
  const out = fs.openSync(file, 'w');
  let bytes = 0;
  let first = true;
  const write = (event) => {
    const text = `${first ? '{"traceEvents":[\n' : ',\n'}${JSON.stringify(event)}`;
    first = false;
    bytes += Buffer.byteLength(text);
    fs.writeSync(out, text);
  };
  for (const event of events) write(event);
  const common = { cat: 'disabled-by-default-v8.cpu_profiler', id: '0x1', ph: 'P', pid: main.pid, tid: main.tid };
  write({ args: { data: { startTime: profile.startTime } }, ...common, name: 'Profile', ts: profile.startTime });
  const perChunk = 500;
  const chunks = Math.max(Math.ceil(profile.samples.length / perChunk), Math.ceil(nodes.length / perChunk));
  for (let chunk = 0; chunk < chunks; chunk++) {
    const cpuProfile = {
      nodes: nodes.slice(chunk * perChunk, (chunk + 1) * perChunk),
      samples: profile.samples.slice(chunk * perChunk, (chunk + 1) * perChunk),
    };
    write({
      args: { data: { cpuProfile, timeDeltas: profile.timeDeltas.slice(chunk * perChunk, (chunk + 1) * perChunk) } },
      ...common,
      name: 'ProfileChunk',
      ts: profile.startTime,
    });
  }
  const others = events.filter((event) => event.ph !== 'M');
  for (let round = 1; bytes < TRACE_BYTES && others.length > 0; round++) {
    for (const event of others) {
      write({ ...event, ts: event.ts + round * 1e7 });
      if (bytes >= TRACE_BYTES) break;
    }
  }
  fs.writeSync(out, '\n]}\n');
  fs.closeSync(out);
}
