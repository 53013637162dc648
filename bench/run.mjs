// `npm run bench [-- SUITE…]`: runs benchmark suites (all of them by default), prints each one's
// table and its PASS/FAIL checks, and writes every figure to bench/.cache/results.json.
// The machine is small and shared, so suites measure CPU time, not wall time, and compare with
// a baseline measured in the same run.
//
// A suite is a module in bench/suites/ exporting `description` and `run(context)`, which returns
// { output, notes?, checks: [{ name, value, target, pass }], data }. To add one, add it to SUITES.
//
// Exit status: 0 every check passed, 1 a check failed, 2 a suite could not run or bad arguments.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const SUITES = {
  scan: () => import('./suites/scan.mjs'),
  'edit-latency': () => import('./suites/edit-latency.mjs'),
  profile: () => import('./suites/profile.mjs'),
  'profile-view': () => import('./suites/profile-view.mjs'),
};

/**
 * @typedef {object} SuiteContext
 * @property {string} root the repository
 * @property {string} cacheDir bench/.cache (gitignored), for files a suite hands to its children
 * @property {string} engineBundle bench/.cache/engine.js, built by `npm run build`
 * @property {() => any} engine the engine bundle, loaded on first use
 * @property {(message: string) => void} progress a line on stderr while the suite runs
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'bench', '.cache');
const engineBundle = path.join(cacheDir, 'engine.js');

const requested = process.argv.slice(2);
if (requested.includes('--help') || requested.includes('-h')) {
  console.log(`usage: npm run bench [-- SUITE…]\nsuites: ${Object.keys(SUITES).join(', ')}`);
  process.exit(0);
}
const unknown = requested.filter((name) => !(name in SUITES));
if (unknown.length > 0) {
  console.error(`bench: unknown suite ${unknown.join(', ')} (suites: ${Object.keys(SUITES).join(', ')})`);
  process.exit(2);
}
for (const [file, build] of [
  [engineBundle, 'npm run build'],
  [path.join(root, 'dist', 'cli.js'), 'npm run build'],
]) {
  if (!fs.existsSync(file)) {
    console.error(`bench: ${path.relative(root, file)} is missing — run ${build} first (npm run bench does)`);
    process.exit(2);
  }
}
fs.mkdirSync(cacheDir, { recursive: true });

let loaded;
/** @type {SuiteContext} */
const context = {
  root,
  cacheDir,
  engineBundle,
  engine: () => (loaded ??= createRequire(import.meta.url)(engineBundle)),
  progress: (message) => process.stderr.write(`  … ${message}\n`),
};

const names = requested.length > 0 ? requested : Object.keys(SUITES);
const cpu = os.cpus();
console.log(
  `PerfLens bench · node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · load ${os.loadavg()[0].toFixed(2)}`,
);

const results = { date: new Date().toISOString(), node: process.version, cpus: cpu.length, cpuModel: cpu[0]?.model.trim(), suites: {} };
let failed = 0;
let broken = 0;
let passed = 0;
for (const name of names) {
  const suite = await SUITES[name]();
  console.log(`\n■ ${name} — ${suite.description}`);
  const started = performance.now();
  try {
    const result = await suite.run(context);
    const seconds = (performance.now() - started) / 1000;
    console.log(result.output.replace(/^/gm, '  '));
    for (const note of result.notes ?? []) console.log(`  · ${note}`);
    for (const check of result.checks) {
      console.log(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.value} (target ${check.target})`);
      if (check.pass) passed++;
      else failed++;
    }
    console.log(`  (${seconds.toFixed(1)} s)`);
    results.suites[name] = { seconds, checks: result.checks, ...result.data };
  } catch (error) {
    broken++;
    console.log(`  ERROR  ${error instanceof Error ? error.message : String(error)}`);
    results.suites[name] = { error: error instanceof Error ? error.stack : String(error) };
  }
}

const resultsFile = path.join(cacheDir, 'results.json');
fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${passed} passed, ${failed} failed${broken > 0 ? `, ${broken} suite(s) broken` : ''} · ${path.relative(root, resultsFile)}`);
process.exitCode = broken > 0 ? 2 : failed > 0 ? 1 : 0;
