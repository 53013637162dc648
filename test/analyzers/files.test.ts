import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles, InputError, readSourceFile } from '../../src/analyzers/files';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-files-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function write(relative: string, content: string | Buffer = 'export {};\n'): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const relative = (files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();

describe('discoverFiles', () => {
  write('repo/.git/HEAD', 'ref: x');
  write('repo/.gitignore', 'build/\n*.generated.ts\n');
  write('repo/src/a.ts');
  write('repo/src/b.tsx');
  write('repo/src/c.d.ts');
  write('repo/src/d.json', '{}');
  write('repo/src/e.generated.ts');
  write('repo/src/nested/.gitignore', 'local.js\n');
  write('repo/src/nested/local.js');
  write('repo/src/nested/kept.mjs');
  write('repo/build/out.js');
  write('repo/node_modules/pkg/index.js');

  it('walks folders honouring .gitignore files (nested ones too) and skipping node_modules', () => {
    const found = discoverFiles([path.join(root, 'repo')]);
    expect(relative(found.files)).toEqual(['repo/src/a.ts', 'repo/src/b.tsx', 'repo/src/nested/kept.mjs']);
  });

  it('honours the repository .gitignore when a sub-folder is scanned', () => {
    const found = discoverFiles([path.join(root, 'repo/src')]);
    expect(relative(found.files)).not.toContain('repo/src/e.generated.ts');
  });

  it('applies the config ignore globs relative to the config folder', () => {
    const found = discoverFiles([path.join(root, 'repo')], { ignore: ['src/nested/**'], ignoreRoot: path.join(root, 'repo') });
    expect(relative(found.files)).toEqual(['repo/src/a.ts', 'repo/src/b.tsx']);
  });

  it('takes explicit files, and says why a non-source file is skipped', () => {
    const found = discoverFiles([path.join(root, 'repo/src/a.ts'), path.join(root, 'repo/src/d.json')]);
    expect(relative(found.files)).toEqual(['repo/src/a.ts']);
    expect(found.skipped[0].reason).toMatch(/not a JavaScript or TypeScript file/);
  });

  it('throws InputError for a path that does not exist', () => {
    expect(() => discoverFiles([path.join(root, 'nope')])).toThrow(InputError);
  });
});

describe('readSourceFile', () => {
  it('reads text and strips a BOM', () => {
    expect(readSourceFile(write('r/bom.ts', '\uFEFFconst a = 1;'))).toEqual({ text: 'const a = 1;' });
  });

  it('skips binary files and files over 1 MB without reading them whole', () => {
    expect(readSourceFile(write('r/bin.js', Buffer.from([0x7f, 0x45, 0x00, 0x01])))).toEqual({
      skipped: 'binary file (contains NUL bytes)',
    });
    const big = readSourceFile(write('r/big.js', 'x'.repeat(5 * 1024 * 1024)));
    expect(big).toEqual({ skipped: 'larger than 1024 KB (5.0 MB); probably generated' });
  });

  it('reports an unreadable file as an error', () => {
    expect(readSourceFile(path.join(root, 'r/missing.ts'))).toEqual({ error: 'cannot read file: ENOENT' });
  });
});
