/**
 * vitest's global setup for the unit and integration tests: every build a test runs is made here,
 * once per run — not in a test's hook, where a busy machine made it miss the hook's time limit.
 *
 * - dist/ (extension, worker, CLI, grammars), as `npm run build` makes it, only when it is missing
 *   or older than its sources: `npm test` builds first, so then nothing happens here, and
 *   `npx vitest run FILE` after an edit still tests the code as it is now.
 * - The worker-thread fixtures of test/extension/fixtures/ and src/extension.ts with its metafile,
 *   bundled into node_modules/.cache/perflens-test/ and rebuilt only when one of their inputs changed.
 *
 * Tests read the paths with `inject('bundles')` (test/extension/helpers/bundle.ts). In watch mode
 * the same checks run again before every rerun.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'perflens-test');

/** What `node esbuild.mjs` writes that the tests use, and what it is made from. */
const DIST_OUTPUTS = [
  'dist/extension.js',
  'dist/worker.js',
  'dist/profileWorker.js',
  'dist/webview.js',
  'dist/cli.js',
  'dist/tree-sitter/web-tree-sitter.wasm',
];
const DIST_INPUTS = ['src', 'media', 'esbuild.mjs', 'package.json', 'package-lock.json'];

export interface TestBundles {
  /** dist/worker.js: the analysis worker as it ships. */
  worker: string;
  /** dist/profileWorker.js: the profile view's loader as it ships. */
  profileWorker: string;
  /** test/extension/fixtures/echoWorker.ts: a deterministic stand-in for the engine. */
  echoWorker: string;
  /** test/extension/fixtures/crashingRuleWorker.ts: the real server plus a rule that always throws. */
  crashingRuleWorker: string;
  /** test/extension/fixtures/gatedWorker.ts, as `<gatedExtension>/dist/worker.js` (where the extension looks). */
  gatedWorker: string;
  gatedExtension: string;
  /** src/extension.ts bundled on its own, with the files esbuild read to make it. */
  extension: { file: string; inputs: string[] };
}

declare module 'vitest' {
  export interface ProvidedContext {
    bundles: TestBundles;
  }
}

/** The part of vitest's TestProject used here (vitest/node is ESM-only; this file is not). */
interface Project {
  provide(key: 'bundles', value: TestBundles): void;
  onTestsRerun(callback: () => Promise<void>): void;
}

export default async function setup(project: Project): Promise<void> {
  const prepare = async (): Promise<void> => {
    ensureDist();
    project.provide('bundles', await bundleFixtures());
  };
  await prepare();
  project.onTestsRerun(prepare);
}

function ensureDist(): void {
  const built = Math.min(...DIST_OUTPUTS.map((file) => mtimeOf(path.join(ROOT, file))));
  const sources = Math.max(...DIST_INPUTS.map((input) => newestMtime(path.join(ROOT, input))));
  if (built >= sources) return;
  console.log('[vitest] dist/ is missing or older than its sources: node esbuild.mjs');
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`node esbuild.mjs failed (exit ${build.status ?? build.signal})`);
}

async function bundleFixtures(): Promise<TestBundles> {
  const gatedExtension = path.join(CACHE, 'gated-extension');
  const [echoWorker, crashingRuleWorker, gatedWorker, extension] = await Promise.all([
    cachedBundle('test/extension/fixtures/echoWorker.ts', path.join(CACHE, 'echo-worker.js')),
    cachedBundle('test/extension/fixtures/crashingRuleWorker.ts', path.join(CACHE, 'crashing-rule-worker.js')),
    cachedBundle('test/extension/fixtures/gatedWorker.ts', path.join(gatedExtension, 'dist', 'worker.js')),
    cachedBundle('src/extension.ts', path.join(CACHE, 'extension.js')),
  ]);
  return {
    worker: path.join(ROOT, 'dist', 'worker.js'),
    profileWorker: path.join(ROOT, 'dist', 'profileWorker.js'),
    echoWorker: echoWorker.file,
    crashingRuleWorker: crashingRuleWorker.file,
    gatedWorker: gatedWorker.file,
    gatedExtension,
    extension,
  };
}

/** The options esbuild.mjs bundles with, as far as the tests depend on them. */
const BUNDLE_OPTIONS: esbuild.BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'] };

/**
 * `entry` bundled into `outfile`, reused from an earlier run while every file esbuild read for it
 * (listed in `<outfile>.inputs.json`) is still there and not newer than the bundle.
 */
async function cachedBundle(entry: string, outfile: string): Promise<{ file: string; inputs: string[] }> {
  const inputsFile = `${outfile}.inputs.json`;
  const key = JSON.stringify(BUNDLE_OPTIONS);
  const cached = readJson(inputsFile) as { key: string; inputs: string[] } | undefined;
  const unchanged = (input: string): boolean => {
    const modified = mtimeOf(path.join(ROOT, input));
    return modified !== -Infinity && modified <= mtimeOf(outfile);
  };
  if (cached?.key === key && cached.inputs.every(unchanged)) return { file: outfile, inputs: cached.inputs };

  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // Written aside and renamed: a second run in the same checkout never reads half a bundle.
  writeAtomically(outfile, result.outputFiles[0].contents);
  writeAtomically(inputsFile, JSON.stringify({ key, inputs }));
  return { file: outfile, inputs };
}

function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Modification time in ms; a missing file is infinitely old (so anything made from it is stale). */
function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/** The newest modification time of a file, or of any file under a folder. */
function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return -Infinity;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, mtimeOf(path.join(entry.parentPath, entry.name)));
  }
  return newest;
}
