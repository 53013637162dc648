/**
 * Source maps of each kind (inline data: URL, sourceMappingURL file, neighbouring .map) and the
 * path forms bundlers and platforms use, normalised to paths relative to the root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/profiles/load';
import { displayPath, localPath } from '../../src/profiles/paths';
import { resolveFrames } from '../../src/profiles/resolve';
import { lineOf, programSources, tempDir } from './helpers';

/** A one-sample .cpuprofile whose frame is `name` where the bundle defines it. */
function profileAt(bundle: string, name: string): Buffer {
  const text = fs.readFileSync(bundle, 'utf8');
  const index = text.indexOf(`function ${name}(`);
  const before = text.slice(0, index).split('\n');
  const frame = {
    functionName: name,
    scriptId: '1',
    url: `file://${bundle}`,
    lineNumber: before.length - 1,
    columnNumber: before[before.length - 1].length,
  };
  return Buffer.from(
    JSON.stringify({
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
        { id: 2, callFrame: frame, positionTicks: [{ line: before.length + 3, ticks: 1 }] },
      ],
      startTime: 0,
      endTime: 1000,
      samples: [2],
      timeDeltas: [0],
    }),
  );
}

function bundle(root: string, sourcemap: 'inline' | 'linked' | 'external'): string {
  const sources = programSources();
  for (const [name, text] of Object.entries(sources)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const outfile = path.join(root, 'dist', 'app.js');
  buildSync({ entryPoints: [path.join(root, 'src', 'main.ts')], bundle: true, platform: 'node', sourcemap, outfile, logLevel: 'silent' });
  return outfile;
}

describe('source maps', () => {
  it.each(['inline', 'linked', 'external'] as const)('maps a bundled frame back to src/work.ts with a %s map', (kind) => {
    const root = tempDir();
    const outfile = bundle(root, kind);
    // 'external' writes app.js.map without a comment: found as the neighbouring .map.
    expect(fs.readFileSync(outfile, 'utf8').includes('sourceMappingURL')).toBe(kind !== 'external');
    const profile = parseProfile(profileAt(outfile, 'lightWork'));
    const resolution = resolveFrames(profile, { root });
    const fn = resolution.functions.find((candidate) => candidate.name === 'lightWork');
    expect(fn).toMatchObject({
      file: 'src/work.ts',
      line: lineOf(programSources()['src/work.ts'], 'export function lightWork'),
      mapped: true,
    });
    expect(resolution.problems).toEqual([]);
  });
});

describe('paths', () => {
  const root = '/home/dev/app';
  it.each([
    ['file:///home/dev/app/src/a.ts', 'src/a.ts'],
    ['file:///home/dev/app/src/with%20space.ts', 'src/with space.ts'],
    ['/home/dev/app/lib/b.js', 'lib/b.js'],
    ['webpack://my-app/./src/c.ts', 'src/c.ts'],
    ['webpack:///src/d.tsx', 'src/d.tsx'],
    ['/@fs/home/dev/app/src/e.vue', 'src/e.vue'],
    ['src/relative.py', 'src/relative.py'],
    ['/usr/lib/node_modules/x/index.js', '/usr/lib/node_modules/x/index.js'],
  ])('%s → %s', (url, shown) => {
    expect(displayPath(localPath(url, root) as string, root)).toBe(shown);
  });

  it('normalises Windows paths and file URLs, drive letters in any case', () => {
    const windowsRoot = 'C:\\work\\app';
    expect(displayPath(localPath('file:///C:/work/app/src/a.ts', windowsRoot) as string, windowsRoot)).toBe('src/a.ts');
    expect(displayPath(localPath('c:\\work\\app\\src\\b.ts', windowsRoot) as string, windowsRoot)).toBe('src/b.ts');
    expect(displayPath(localPath('D:\\other\\c.ts', windowsRoot) as string, windowsRoot)).toBe('D:/other/c.ts');
  });

  it('leaves what is not a file alone', () => {
    for (const url of ['', 'node:internal/modules/cjs/loader', 'https://example.com/app.js', 'webpack://app/webpack/bootstrap'])
      expect(localPath(url, root)).toBeUndefined();
  });
});
