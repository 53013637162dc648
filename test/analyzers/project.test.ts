import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from '../../src/analyzers/ts';
import { afterAll, describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/tempTree';
import { ProjectHost, isAnalyzable } from '../../src/analyzers/project';

const { root, write } = tempTree('perflens-project-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The first variable declaration named `name` in the host's parse of `text`. */
function declaration(host: ProjectHost, file: string, text: string, name: string): ts.VariableDeclaration {
  let found: ts.VariableDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) found = node;
    ts.forEachChild(node, visit);
  };
  visit(host.parse(file, text));
  if (!found) throw new Error(`no ${name}`);
  return found;
}

describe('ProjectHost', () => {
  it('finds the nearest tsconfig.json or jsconfig.json', () => {
    const tsconfig = write('app/tsconfig.json', '{ "compilerOptions": { "strict": true } }');
    const jsconfig = write('web/jsconfig.json', '{}');
    const host = new ProjectHost();
    expect(host.findConfig(path.join(root, 'app/src/deep/a.ts'))).toBe(tsconfig);
    expect(host.findConfig(path.join(root, 'web/a.js'))).toBe(jsconfig);
    // Packages under node_modules never belong to the project above them.
    expect(host.findConfig(path.join(root, 'app/node_modules/pkg/index.js'))).toBeUndefined();
  });

  it('gives types for loose files (no config) and when imports do not resolve', () => {
    const file = path.join(root, 'loose/a.ts');
    const text = `import { thing } from 'not-installed';\nconst ids = [1, 2, 3];\nconst names = thing.names;\nconst label = 'x';\n`;
    const host = new ProjectHost();
    const types = host.typeFacts(file, text)!;
    expect(types).toBeDefined();
    expect(types.isArray(declaration(host, file, text, 'ids').name)).toBe(true);
    expect(types.arrayElementKind(declaration(host, file, text, 'ids').name)).toBe('number');
    expect(types.isArray(declaration(host, file, text, 'label').name)).toBe(false);
    // The unresolved import is `any`: unknown, not a guess.
    expect(types.isArray(declaration(host, file, text, 'names').name)).toBeUndefined();
  });

  it('uses the project config and sees other project files', () => {
    write('typed/tsconfig.json', '{ "compilerOptions": { "strict": true, "module": "nodenext" } }');
    write('typed/src/data.ts', 'export const users: string[] = [];\n');
    const file = path.join(root, 'typed/src/main.ts');
    const text = `import { users } from './data.js';\nconst copy = users;\n`;
    const host = new ProjectHost();
    const types = host.typeFacts(file, text)!;
    expect(types.arrayElementKind(declaration(host, file, text, 'copy').name)).toBe('string');
  });

  it('answers for unsaved text (overlays), not for the file on disk', () => {
    const file = write('overlay/a.ts', 'const value = "on disk";\n');
    const host = new ProjectHost();
    const unsaved = 'const value = [1, 2];\n';
    host.setOverlay(file, unsaved);
    expect(host.overlay(file)).toBe(unsaved);
    expect(host.typeFacts(file, unsaved)!.isArray(declaration(host, file, unsaved, 'value').name)).toBe(true);
    host.clearOverlay(file);
    expect(host.overlay(file)).toBeUndefined();
  });

  it('gives an open file a new version on every edit, even one that keeps its length', () => {
    const file = write('versions/a.ts', 'export const a = 1;\n');
    const host = new ProjectHost();
    host.setOverlay(file, 'export const a = 1;\n');
    const first = host.fileVersion(file);
    host.setOverlay(file, 'export const a = 2;\n');
    const second = host.fileVersion(file);
    host.setOverlay(file, 'export const a = 2;\n');
    expect(second).not.toBe(first);
    expect(host.fileVersion(file)).toBe(second);
    expect(host.moduleFile(file)?.text).toBe('export const a = 2;\n');
  });

  it('falls back to default options when a tsconfig cannot be read, and says so once', () => {
    write('bad/tsconfig.json', '{ "extends": "@tsconfig/not-installed/tsconfig.json", ');
    const notes: string[] = [];
    const host = new ProjectHost({ onNote: (m) => notes.push(m) });
    const file = path.join(root, 'bad/a.ts');
    const text = 'const xs = [1];\n';
    expect(host.typeFacts(file, text)?.isArray(declaration(host, file, text, 'xs').name)).toBe(true);
    host.typeFacts(path.join(root, 'bad/b.ts'), text);
    expect(notes.length).toBeLessThanOrEqual(1);
  });

  it('analyses exactly the JS/TS source extensions', () => {
    for (const name of ['a.ts', 'a.tsx', 'a.mts', 'a.cts', 'a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'A.TS'])
      expect(isAnalyzable(name), name).toBe(true);
    for (const name of ['a.d.ts', 'a.d.mts', 'a.json', 'a.vue', 'a.css', 'Makefile']) expect(isAnalyzable(name), name).toBe(false);
  });

  it('reads the nearest package.json (nearestManifest): the package’s own, an editor’s unsaved text first, null when it is no JSON', () => {
    write('tools/package.json', '{ "workspaces": ["packages/*"] }');
    const manifest = write('tools/packages/cli/package.json', '{ "name": "cli", "bin": "dist/cli.js" }');
    const source = write('tools/packages/cli/src/commands/sync.ts', 'export {};');
    const host = new ProjectHost();
    expect(host.nearestManifest(source)).toEqual({ fileName: manifest, manifest: { name: 'cli', bin: 'dist/cli.js' } });
    host.setOverlay(manifest, '{ "name": "cli" }');
    expect(host.nearestManifest(source)?.manifest).toEqual({ name: 'cli' });
    host.setOverlay(manifest, '{ "name": ');
    expect(host.nearestManifest(source)).toEqual({ fileName: manifest, manifest: null });
    expect(host.nearestManifest(path.join(root, 'tools/src/a.ts'))?.fileName).toBe(path.join(root, 'tools/package.json'));
  });
});
