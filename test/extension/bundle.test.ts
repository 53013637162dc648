/**
 * Activation must not load the engine on the extension host's main thread: the extension
 * bundle holds no ts-morph or TypeScript compiler, and stays small. Checked on src/extension.ts
 * bundled on its own by the global setup (with the list of files esbuild read for it) and on
 * dist/extension.js when a build left one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundles, ROOT } from './helpers/bundle';

const MAX_EXTENSION_BYTES = 150 * 1024;
/** Text that only the compiler or ts-morph would bring along. */
const ENGINE_MARKERS = ['createSourceFile', 'ts-morph', 'forEachChild', 'SyntaxKind'];

let fresh: { code: string; inputs: string[] };

beforeAll(() => {
  const { file, inputs } = bundles().extension;
  fresh = { code: fs.readFileSync(file, 'utf8'), inputs };
});

describe('the extension bundle', () => {
  it('takes nothing from node_modules and nothing from the engine but types', () => {
    expect(fresh.inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    // Type imports vanish; a value import from the engine would drag its dependencies along.
    expect(fresh.inputs.filter((input) => input.includes('src/analyzers/'))).toEqual([]);
    expect(fresh.inputs.some((input) => input.includes('src/worker/server.ts'))).toBe(false);
  });

  it('is small and free of compiler code', () => {
    expect(fresh.code.length).toBeLessThan(MAX_EXTENSION_BYTES);
    for (const marker of ENGINE_MARKERS) expect(fresh.code, marker).not.toContain(marker);
    expect(fresh.code).toContain('require("vscode")');
  });

  it.runIf(fs.existsSync(path.join(ROOT, 'dist/extension.js')))('holds for dist/extension.js as built', () => {
    const built = fs.readFileSync(path.join(ROOT, 'dist/extension.js'), 'utf8');
    expect(built.length).toBeLessThan(MAX_EXTENSION_BYTES);
    for (const marker of ENGINE_MARKERS) expect(built, marker).not.toContain(marker);
  });
});
