// The profile engine (bench/lib/profile-engine.ts: importers, aggregation, the view model) bundled once
// for the profile suites' child processes, so each measures the shipped code without the CLI around it.
import * as path from 'node:path';
import { build } from 'esbuild';

/** Bundles the engine into `cacheDir` and returns the bundle's path. */
export async function buildProfileEngine(root, cacheDir) {
  const engine = path.join(cacheDir, 'profile-engine.js');
  await build({
    entryPoints: [path.join(root, 'bench', 'lib', 'profile-engine.ts')],
    outfile: engine,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
  });
  return engine;
}
