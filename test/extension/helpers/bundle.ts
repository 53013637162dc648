/**
 * The bundles the extension tests run, built once per run by the global setup (test/globalSetup.ts):
 * dist/worker.js as it ships, and the worker-thread fixtures. Plus throw-away folders for them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inject } from 'vitest';
import type { TestBundles } from '../../globalSetup';

export const ROOT = path.resolve(__dirname, '../../..');

export function bundles(): TestBundles {
  return inject('bundles');
}

export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `perflens-${prefix}-`)));
}

/** Writes `files` (relative path → content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
