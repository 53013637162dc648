/** V8 .cpuprofile: a real recording of a bundled program, checked against the raw JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeHotspots } from '../../src/profiles/hotspots';
import { loadProfileFile, parseProfile } from '../../src/profiles/load';
import { resolveFrames } from '../../src/profiles/resolve';
import {
  buildProgram,
  lineOf,
  movedTo,
  perflens,
  programSources,
  readCpuProfile,
  recordNode,
  selfMsByName,
  tempDir,
  type CpuProfileJson,
} from './helpers';

let root: string;
let profileFile: string;
let raw: CpuProfileJson;
const sources = programSources();

beforeAll(() => {
  root = tempDir();
  const script = buildProgram(root, sources);
  profileFile = recordNode(script, ['--enable-source-maps', '--cpu-prof', '--cpu-prof-interval', '200'], '.cpuprofile', root);
  raw = readCpuProfile(profileFile);
});

describe('V8 .cpuprofile', () => {
  it('gives each function the self time the samples say, and the profile its total', () => {
    const profile = loadProfileFile(profileFile);
    const resolution = resolveFrames(profile, { root });
    const hotspots = computeHotspots(profile, resolution);
    const expected = selfMsByName(raw);
    for (const name of ['heavyWork', 'lightWork']) {
      const found = hotspots.functions.filter((hotspot) => resolution.functions[hotspot.id].name === name);
      expect(found).toHaveLength(1);
      expect(found[0].self).toBeCloseTo(expected.get(name) as number, 6);
    }
    expect(hotspots.total).toBeCloseTo(
      [...expected.values()].reduce((a, b) => a + b, 0),
      6,
    );
    expect(hotspots.samples).toBe(raw.samples.length);
    // Both functions ran under the profiler: the comparisons above are not between zeros. (How the
    // time splits between them is the machine's scheduling; rankings are tested on known weights.)
    expect(expected.get('heavyWork')).toBeGreaterThan(0);
    expect(expected.get('lightWork')).toBeGreaterThan(0);
  });

  it('shows the hot functions of the bundle at their original .ts file and line', async () => {
    const result = await perflens(['profile', profileFile, '--format', 'json'], root);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const heavy = report.functions.find((fn: { name: string }) => fn.name === 'heavyWork');
    expect(heavy).toMatchObject({ file: 'src/work.ts', line: lineOf(sources['src/work.ts'], 'export function heavyWork') });
    const light = report.functions.find((fn: { name: string }) => fn.name === 'lightWork');
    expect(light).toMatchObject({ file: 'src/work.ts', line: lineOf(sources['src/work.ts'], 'export function lightWork') });
    expect(light.range.end.line).toBe(lineOf(sources['src/work.ts'], 'return y;') + 1);
    const main = report.functions.find((fn: { name: string }) => fn.name === 'main');
    expect(main).toMatchObject({ file: 'src/main.ts', line: lineOf(sources['src/main.ts'], 'function main') });
    // Hot lines from positionTicks land on the loops' lines in the original source.
    const heavyLines = report.lines.filter(
      (line: { file: string; line: number }) =>
        line.file === 'src/work.ts' && line.line < lineOf(sources['src/work.ts'], 'export function lightWork'),
    );
    expect(heavyLines.length).toBeGreaterThan(0);
    const lineSelf = heavyLines.reduce((sum: number, line: { self: number }) => sum + line.self, 0);
    expect(lineSelf).toBeCloseTo(heavy.self, 0);
  });

  it('counts a recursive function once in its total', () => {
    // a → b → a → b, with 1 ms samples: 2 in the inner b, 1 in the inner a, 1 in the outer a.
    const frame = (id: number, name: string) => ({
      id,
      callFrame: { functionName: name, scriptId: '1', url: 'file:///x.js', lineNumber: id, columnNumber: 0 },
    });
    const nodes = [
      { ...frame(1, '(root)'), children: [2] },
      { ...frame(2, 'a'), children: [3] },
      { ...frame(3, 'b'), children: [4] },
      { ...frame(4, 'a'), children: [5] },
      { ...frame(5, 'b') },
    ];
    nodes[3].callFrame.lineNumber = 2;
    nodes[4].callFrame.lineNumber = 3;
    const json = { nodes, startTime: 0, endTime: 4000, samples: [5, 5, 4, 2], timeDeltas: [0, 1000, 1000, 1000] };
    const profile = parseProfile(Buffer.from(JSON.stringify(json)));
    const resolution = resolveFrames(profile, { root: '/' });
    const hotspots = computeHotspots(profile, resolution);
    const byName = new Map(hotspots.functions.map((hotspot) => [resolution.functions[hotspot.id].name, hotspot]));
    expect(byName.get('a')).toMatchObject({ self: 2, total: 4 });
    expect(byName.get('b')).toMatchObject({ self: 2, total: 3 });
  });

  it('does not error on an empty profile (a root and no samples)', () => {
    const json = {
      nodes: [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 } }],
      startTime: 0,
      endTime: 0,
      samples: [],
      timeDeltas: [],
    };
    const profile = parseProfile(Buffer.from(JSON.stringify(json)));
    const hotspots = computeHotspots(profile, resolveFrames(profile, { root: '/' }));
    expect(hotspots).toMatchObject({ total: 0, samples: 0, functions: [], lines: [] });
  });

  it('reads names with escapes and non-ASCII characters', () => {
    const json = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
        { id: 2, callFrame: { functionName: 'größe "quoted" \\ \u2028', url: 'file:///tmp/ü.js', lineNumber: 0, columnNumber: 0 } },
      ],
      startTime: 0,
      endTime: 2000,
      samples: [2, 2],
      timeDeltas: [0, 1000],
    };
    const profile = parseProfile(Buffer.from(JSON.stringify(json, null, 2)));
    expect(profile.frames.map((frame) => frame.name)).toContain('größe "quoted" \\ \u2028');
    expect(profile.frames.map((frame) => frame.url)).toContain('file:///tmp/ü.js');
    expect(profile.total).toBe(2);
  });

  it('keeps the generated location and says so once when the source map is broken', async () => {
    // The recorded program copied elsewhere, with the recording pointing at the copy.
    const copy = tempDir();
    fs.cpSync(root, copy, { recursive: true });
    const file = path.join(copy, 'run.cpuprofile');
    fs.writeFileSync(file, JSON.stringify(movedTo(raw, root, copy)));
    fs.writeFileSync(path.join(copy, 'dist', 'app.js.map'), '{ this is not json');
    const result = await perflens(['profile', file, '--format', 'json'], copy);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.functions.find((fn: { name: string }) => fn.name === 'heavyWork').file).toBe('dist/app.js');
    const problems = report.notes.filter((note: string) => note.includes('source map'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${path.join(copy, 'dist', 'app.js')}`.split(path.sep).join('/'));
  });
});
