/**
 * Builds worker entry points the way esbuild.mjs does, into a temporary folder, so the tests
 * run the code as it is now (not whatever dist/ last held) in a real worker thread.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const ROOT = path.resolve(__dirname, '../../..');

export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `perflens-${prefix}-`)));
}

/** Bundles `entry` (relative to the repository) into `outfile`; returns the metafile. */
export async function bundle(entry: string, outfile: string): Promise<esbuild.Metafile> {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'silent',
    metafile: true,
  });
  return result.metafile;
}

/** dist/worker.js, freshly built into `<dir>/dist/worker.js` (where the extension looks for it). */
export async function buildWorker(dir: string): Promise<string> {
  const outfile = path.join(dir, 'dist', 'worker.js');
  await bundle('src/worker.ts', outfile);
  return outfile;
}

/** Writes `files` (relative path → content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
