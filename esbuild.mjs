// Bundles the extension (thin, no ts-morph), the analysis worker, the profile worker, the CLI and
// the profile view's page (a browser bundle).
// `vscode` is provided by the editor at run time; everything else is bundled so the
// .vsix needs no node_modules.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  // web-tree-sitter's ESM build locates itself through import.meta.url, which a CommonJS bundle
  // does not have; its CommonJS build uses __dirname and is told where the .wasm is.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
};

const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/worker.ts'], outfile: 'dist/worker.js' },
  { entryPoints: ['src/profileWorker.ts'], outfile: 'dist/profileWorker.js' },
  // The binary: profile, help and version from a light bundle; scan and fix load the engine's bundle beside it.
  { entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-scan.js' },
  // `npm run bench` times the engine in-process, bundled exactly as the worker bundles it.
  { entryPoints: ['bench/engine.ts'], outfile: 'bench/.cache/engine.js' },
];

// The profile view's page runs in a webview: a browser script, no Node, no `vscode`.
const page = {
  entryPoints: ['media/profileView/main.ts'],
  outfile: 'dist/webview.js',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
};

// src/profiles/enclosing.ts loads web-tree-sitter's runtime and grammars at run time from
// dist/tree-sitter/ (next to the bundles): copy them there.
const require = createRequire(import.meta.url);
const treeSitter = 'dist/tree-sitter';
const GRAMMARS = ['javascript', 'typescript', 'tsx', 'python', 'go', 'rust', 'java', 'ruby', 'php'];
fs.mkdirSync(treeSitter, { recursive: true });
fs.copyFileSync(
  path.join(path.dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'),
  path.join(treeSitter, 'web-tree-sitter.wasm'),
);
const grammarDir = path.dirname(require.resolve('@vscode/tree-sitter-wasm'));
for (const grammar of GRAMMARS)
  fs.copyFileSync(path.join(grammarDir, `tree-sitter-${grammar}.wasm`), path.join(treeSitter, `tree-sitter-${grammar}.wasm`));

if (watch) {
  for (const entry of entries) {
    const ctx = await esbuild.context({ ...common, ...entry });
    await ctx.watch();
  }
  await (await esbuild.context(page)).watch();
} else {
  await Promise.all([...entries.map((entry) => esbuild.build({ ...common, ...entry })), esbuild.build(page)]);
}
