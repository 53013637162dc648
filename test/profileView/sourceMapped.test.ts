/**
 * The view's function identity is the source-mapped one: two bundles that both contain
 * src/util.ts's `work` are two frames in the profile and one function — one table row, one
 * left-heavy node — whose file is the original source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { leftHeavyLayout, callOrderLayout } from '../../src/profileView/flame';
import { functionTable } from '../../src/profileView/table';
import { profileViewData } from '../../src/profileView/data';
import { parseProfile } from '../../src/profiles/load';
import { resolveFrames } from '../../src/profiles/resolve';
import { tempTree } from '../helpers/tempTree';
import { boxes, cpuProfile, viewTree } from './helpers';

const { root, write } = tempTree('perflens-view-maps-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const UTIL = [
  '// helpers both entry points share',
  '',
  'export function work(n: number): number {',
  '  let sum = 0;',
  '  for (let i = 0; i < n; i++) sum += i;',
  '  return sum;',
  '}',
  '',
].join('\n');

/** A bundle of an entry that calls `work`, and the generated 0-based position of `function work` in it. */
function bundleCalling(name: string): { url: string; line: number; column: number } {
  write(`src/${name}.ts`, `import { work } from './util';\nexport const result = work(${name.length});\n`);
  const outfile = path.join(root, 'dist', `${name}.js`);
  buildSync({
    entryPoints: [path.join(root, 'src', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    sourcemap: 'linked',
    outfile,
    logLevel: 'silent',
  });
  const lines = fs.readFileSync(outfile, 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes('function work('));
  return { url: `file://${outfile}`, line, column: lines[line].indexOf('function work(') };
}

it('merges frames of two bundles that map to the same original function', () => {
  write('src/util.ts', UTIL);
  const inA = bundleCalling('alpha');
  const inB = bundleCalling('beta');
  const profile = cpuProfile({
    name: '(root)',
    children: [
      { name: 'alpha', url: inA.url, ms: 1, children: [{ name: 'work', url: inA.url, ms: 3 }] },
      { name: 'beta', url: inB.url, ms: 1, children: [{ name: 'work', url: inB.url, ms: 5 }] },
    ],
  }) as { nodes: Array<{ callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }> };
  // Place each frame where its bundle holds the function, as V8 reports it.
  for (const node of profile.nodes) {
    const at = node.callFrame.url === inA.url ? inA : inB;
    if (node.callFrame.functionName === 'work') Object.assign(node.callFrame, { lineNumber: at.line, columnNumber: at.column });
  }
  const parsed = parseProfile(Buffer.from(JSON.stringify(profile)));
  const data = profileViewData(parsed, resolveFrames(parsed, { root }));

  const works = data.functions.filter((fn) => fn.name === 'work');
  expect(works).toEqual([
    { name: 'work', file: 'src/util.ts', path: expect.stringMatching(/\/src\/util\.ts$/), line: 3, column: expect.any(Number) },
  ]);
  const tree = viewTree(data);
  const table = functionTable(tree);
  const row = Array.from(table.fn).indexOf(data.functions.indexOf(works[0]));
  expect([table.self[row], table.total[row]]).toEqual([8, 8]);
  // Under two different callers it stays two nodes, in either layout; only siblings merge.
  expect(boxes(callOrderLayout(tree), data)).toEqual(['alpha 0+4@0', 'work 0+3@1', 'beta 4+6@0', 'work 4+5@1']);
  expect(boxes(leftHeavyLayout(tree), data)).toEqual(['beta 0+6@0', 'work 0+5@1', 'alpha 6+4@0', 'work 6+3@1']);
});
