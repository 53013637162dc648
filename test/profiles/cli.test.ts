/**
 * `perflens profile` end to end: the text table, the JSON contract, --baseline across an edit that
 * shifts lines, --max-regression, --root, and --run -- COMMAND. The profiles are real recordings
 * given known weights (helpers.ts: withKnownWeights), so rankings and gates are the same on a busy
 * machine as on a quiet one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildProgram,
  lineOf,
  movedTo,
  oneLineError,
  perflens,
  programSources,
  readCpuProfile,
  recordNode,
  selfMsByName,
  tempDir,
  withKnownWeights,
} from './helpers';

let root: string;
let recorded: string;
let profileFile: string;

beforeAll(() => {
  root = tempDir();
  const script = buildProgram(root, programSources());
  recorded = recordNode(script, ['--cpu-prof', '--cpu-prof-interval', '250'], '.cpuprofile', root);
  profileFile = path.join(root, 'run.cpuprofile');
  fs.writeFileSync(profileFile, JSON.stringify(withKnownWeights(readCpuProfile(recorded), { heavyWork: 240, lightWork: 80 })));
});

describe('text output', () => {
  it('is a table of the top functions: self, share, total, share, function, location', async () => {
    const result = await perflens(['profile', 'run.cpuprofile', '--top', '3'], root);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^cpuprofile · [\d,.]+ ms · [\d,]+ samples · top 3 of \d+ functions by self$/);
    expect(lines[2]).toMatch(/^\s+self ms\s+share\s+total ms\s+share\s+function\s+location$/);
    const rows = lines.slice(3, 6);
    expect(rows[0]).toMatch(/^\s+[\d,.]+\s+\d+\.\d%\s+[\d,.]+\s+\d+\.\d%\s+heavyWork\s+src\/work\.ts:1-8$/);
    expect(rows[1]).toMatch(/\s+lightWork\s+src\/work\.ts:10-17$/);
    expect(lines[6]).toBe('');
    // Columns line up: every row has the function name at the same offset as the header.
    const at = lines[2].indexOf('function');
    for (const row of rows) expect(row.slice(at)).toMatch(/^\S/);
    expect(result.stdout).toContain('hot lines');
    expect(result.stdout).toMatch(/src\/work\.ts:5\n/);
  });

  it('shows 20 rows by default', async () => {
    fs.writeFileSync(path.join(root, 'many.folded'), Array.from({ length: 30 }, (_, index) => `main;fn${index} ${index + 1}`).join('\n'));
    const result = await perflens(['profile', 'many.folded'], root);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('folded · 465 samples · top 20 of 31 functions by self');
    expect(lines[3]).toMatch(/^\s+30\s+6\.5%\s+30\s+6\.5%\s+fn29$/);
    expect(lines.slice(3, 23).every((line) => /fn\d+$/.test(line))).toBe(true);
    expect(lines[23]).toBe('');
  });
});

describe('JSON output', () => {
  it('follows the contract: format, unit, total, samples, functions, lines — 1-based, relative paths', async () => {
    const result = await perflens(['profile', 'run.cpuprofile', '--format', 'json'], root);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['format', 'unit', 'total', 'samples', 'functions', 'lines', 'notes']);
    expect(report).toMatchObject({ format: 'cpuprofile', unit: 'ms' });
    const raw = readCpuProfile(profileFile);
    expect(report.samples).toBe(raw.samples.length);
    const heavy = report.functions[0];
    expect(Object.keys(heavy)).toEqual(['name', 'file', 'line', 'column', 'self', 'total', 'share', 'range']);
    expect(heavy).toMatchObject({ name: 'heavyWork', file: 'src/work.ts', line: 1 });
    expect(heavy.column).toBeGreaterThanOrEqual(1);
    expect(heavy.self).toBeCloseTo(selfMsByName(raw).get('heavyWork') as number, 2);
    expect(heavy.share).toBeCloseTo(heavy.self / report.total, 5);
    expect(heavy.total).toBeGreaterThanOrEqual(heavy.self);
    const selves = report.functions.map((fn: { self: number }) => fn.self);
    expect(selves).toEqual([...selves].sort((a, b) => b - a));
    expect(report.lines[0]).toMatchObject({ file: 'src/work.ts', line: 5 });
    expect(report.functions.every((fn: { file: string | null }) => fn.file === null || !fn.file.includes('\\'))).toBe(true);
  });

  it('shows files relative to --root, absolute outside it — and reads nothing outside it', async () => {
    // dist/ holds the bundle and its map, src/ the sources: with --root dist the map is read, the source it points at is not.
    const distOnly = JSON.parse((await perflens(['profile', 'run.cpuprofile', '--format', 'json', '--root', 'dist'], root)).stdout);
    expect(distOnly.functions[0]).toMatchObject({
      name: 'heavyWork',
      file: path.join(root, 'src', 'work.ts').split(path.sep).join('/'),
      range: null,
    });
    expect(distOnly.notes.filter((note: string) => note.includes('reading outside the root is refused'))).toHaveLength(1);
    // With --root src the bundle itself is outside: its sourceMappingURL is never read, so positions stay generated.
    const srcOnly = JSON.parse((await perflens(['profile', 'run.cpuprofile', '--format', 'json', '--root', 'src'], root)).stdout);
    expect(srcOnly.functions[0].file).toBe(path.join(root, 'dist', 'app.js').split(path.sep).join('/'));
    expect(srcOnly.notes.some((note: string) => note.includes('reading outside the root is refused'))).toBe(true);
    expect(oneLineError(await perflens(['profile', 'run.cpuprofile', '--root', 'nope'], root))).toBe(
      'perflens: --root nope is not a folder',
    );
  });
});

describe('--baseline and --max-regression', () => {
  let baseline: string;
  let slower: string;
  let slowerRoot: string;
  const shifted = programSources(5);

  beforeAll(() => {
    // One checkout, two runs: before (the run above, as if made in this checkout: the same sources
    // give the same bundle), then after an edit that adds five lines above heavyWork and makes it
    // twice as slow.
    slowerRoot = tempDir();
    baseline = path.join(slowerRoot, 'before.cpuprofile');
    fs.writeFileSync(
      baseline,
      JSON.stringify(withKnownWeights(movedTo(readCpuProfile(recorded), root, slowerRoot), { heavyWork: 240, lightWork: 80 })),
    );
    const after = recordNode(buildProgram(slowerRoot, shifted), ['--cpu-prof', '--cpu-prof-interval', '250'], '.cpuprofile', slowerRoot);
    slower = path.join(slowerRoot, 'after.cpuprofile');
    fs.writeFileSync(slower, JSON.stringify(withKnownWeights(readCpuProfile(after), { heavyWork: 480, lightWork: 80 })));
  });

  it('pairs functions by name and file across shifted lines: before, after, delta', async () => {
    const result = await perflens(['profile', slower, '--baseline', baseline, '--format', 'json'], slowerRoot);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const heavy = report.functions.filter((fn: { name: string }) => fn.name === 'heavyWork');
    expect(heavy).toHaveLength(1);
    expect(heavy[0].line).toBe(lineOf(shifted['src/work.ts'], 'export function heavyWork'));
    const before = selfMsByName(readCpuProfile(baseline)).get('heavyWork') as number;
    const after = selfMsByName(readCpuProfile(slower)).get('heavyWork') as number;
    expect(heavy[0].before).toBeCloseTo(before, 2);
    expect(heavy[0].after).toBeCloseTo(after, 2);
    expect(heavy[0].delta).toBeCloseTo(after - before, 2);
    expect(report.functions[0].name).toBe('heavyWork');
    expect(report.baseline).toMatchObject({ format: 'cpuprofile' });
    expect(report.baseline.delta).toBeCloseTo(report.total - report.baseline.total, 2);
  });

  it('exits 1 when a function grew past the limit beyond noise, with one line naming it', async () => {
    // heavyWork doubled (240 → 480 ms in 0.25 ms samples): past 20% and far past the sampling
    // noise, by construction — a recording's own times would make the gate depend on the machine.
    const before = selfMsByName(readCpuProfile(baseline)).get('heavyWork') as number;
    expect(selfMsByName(readCpuProfile(slower)).get('heavyWork')).toBe(2 * before);

    const result = await perflens(['profile', slower, '--baseline', baseline, '--max-regression', '20'], slowerRoot);
    expect(result.code).toBe(1);
    expect(oneLineError(result)).toMatch(/^perflens: \d+ regressions? over 20%: /);
    expect(result.stdout).toMatch(/^\s+before ms\s+after ms\s+change\s+%\s+function\s+location$/m);
    const regressions = result.stdout.slice(result.stdout.indexOf('regressions over 20% (beyond sampling noise):'));
    expect(regressions).toMatch(/^ {2}heavyWork \(src\/work\.ts\): [\d,.]+ ms → [\d,.]+ ms \(\+\d+\.\d%\)$/m);
    expect(regressions).not.toMatch(/lightWork/);
    // The same profile against itself is no regression.
    expect((await perflens(['profile', baseline, '--baseline', baseline, '--max-regression', '20'], slowerRoot)).code).toBe(0);
  });

  it('counts growth only past the limit and past the sampling noise (folded counts: 3·√(n₁ + n₂))', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'before.folded'), 'main;work 1000\nmain;other 500\n');
    fs.writeFileSync(path.join(dir, 'noisy.folded'), 'main;work 1100\nmain;other 500\n');
    fs.writeFileSync(path.join(dir, 'slower.folded'), 'main;work 1300\nmain;other 500\nmain;fresh 5\n');
    // +10% is over a 5% limit, but 100 samples are within 3·√2100 ≈ 137 of noise.
    expect((await perflens(['profile', 'noisy.folded', '--baseline', 'before.folded', '--max-regression', '5'], dir)).code).toBe(0);
    // +30% (300 samples) is past both; the new function with 5 samples is within its noise (3·√5).
    const slower = await perflens(
      ['profile', 'slower.folded', '--baseline', 'before.folded', '--max-regression', '10', '--format', 'json'],
      dir,
    );
    expect(slower.code).toBe(1);
    expect(oneLineError(slower)).toBe('perflens: 2 regressions over 10%: (total) +20.3%');
    expect(JSON.parse(slower.stdout).regressions).toEqual([
      { name: '(total)', file: null, before: 1500, after: 1805, growth: 0.2033 },
      { name: 'work', file: null, before: 1000, after: 1300, growth: 0.3 },
    ]);
    expect((await perflens(['profile', 'slower.folded', '--baseline', 'before.folded', '--max-regression', '50'], dir)).code).toBe(0);
  });

  it('exits 0 comparing a profile with itself, and says so', async () => {
    const same = await perflens(['profile', 'run.cpuprofile', '--baseline', 'run.cpuprofile', '--max-regression', '0'], root);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('no regression over 0% beyond sampling noise');
  });
});

describe('--run -- COMMAND', () => {
  it('records a CPU profile of a node command and reports it; the command output goes to stderr', async () => {
    const result = await perflens(['profile', '--format', 'json', '--run', '--', process.execPath, 'dist/app.js'], root);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.format).toBe('cpuprofile');
    // The command's hot function, at its source. (Where it ranks in a fresh recording is up to the
    // machine's scheduling; ranking is checked above, on known weights.)
    expect(report.functions).toContainEqual(expect.objectContaining({ name: 'heavyWork', file: 'src/work.ts', line: 1 }));
  });

  it('exits 2 when the command fails or records nothing', async () => {
    fs.writeFileSync(path.join(root, 'fail.js'), 'process.exitCode = 3;\n');
    // --keep 0: nothing kept, so that stderr is the one line of the failure.
    const failed = await perflens(['profile', '--keep', '0', '--run', '--', process.execPath, 'fail.js'], root);
    expect(failed.code).toBe(2);
    expect(oneLineError(failed)).toBe(`perflens: ${process.execPath} exited with status 3 (its profile is above)`);
    const nothing = await perflens(['profile', '--run', '--', 'true'], root);
    expect(oneLineError(nothing)).toBe('perflens: true ran no Node.js process: only Node.js processes are recorded (through NODE_OPTIONS)');
    const missing = await perflens(['profile', '--run', '--', 'no-such-command-xyz'], root);
    expect(oneLineError(missing)).toBe('perflens: cannot run no-such-command-xyz: command not found');
  });

  it('keeps the recording in .perflens/profiles/ and its summary in .perflens/history.jsonl, and says where', async () => {
    const workspace = tempDir();
    fs.writeFileSync(
      path.join(workspace, 'spin.js'),
      'function spin() { let x = 0; for (let i = 0; i < 3e7; i++) x += i % 7; return x; }\nspin();\n',
    );
    fs.mkdirSync(path.join(workspace, '.git'));
    const run = () => perflens(['profile', '--format', 'json', '--keep', '2', '--run', '--', process.execPath, 'spin.js'], workspace);
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    // stdout stays the report alone.
    const report = JSON.parse(first.stdout);
    const profiles = path.join(workspace, '.perflens', 'profiles');
    const [kept] = fs.readdirSync(profiles);
    expect(kept).toMatch(/^\d{8}-\d{6}-node-spin\.js\.cpuprofile$/);
    expect(first.stderr).toContain(`perflens: profile kept: ${path.join('.perflens', 'profiles', kept)}\n`);
    // The first time, in a git work tree whose .gitignore does not have it: say so, once.
    expect(first.stderr).toContain("perflens: .perflens/ holds recordings of this machine's runs: add it to .gitignore");
    // The kept file is the profile reported.
    const again = JSON.parse((await perflens(['profile', '--format', 'json', path.join(profiles, kept)], workspace)).stdout);
    expect(again.total).toBe(report.total);
    const [line] = fs
      .readFileSync(path.join(workspace, '.perflens', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const entry = JSON.parse(line);
    expect(entry).toMatchObject({
      command: [process.execPath, 'spin.js'],
      profile: `.perflens/profiles/${kept}`,
      format: 'cpuprofile',
      unit: 'ms',
      total: report.total,
      samples: report.samples,
    });
    expect(entry.top[0]).toEqual(expect.objectContaining({ name: report.functions[0].name, self: report.functions[0].self }));
    expect(Number.isNaN(Date.parse(entry.time))).toBe(false);

    // Two more runs with --keep 2: the oldest goes; the hint is not repeated; each run has its line.
    const second = await run();
    expect(second.stderr).not.toContain('.gitignore');
    const third = await run();
    expect(third.stderr).toMatch(/profile kept: .*; 1 older one removed\n/);
    expect(fs.readdirSync(profiles)).toHaveLength(2);
    expect(fs.readdirSync(profiles)).not.toContain(kept);
    expect(
      fs
        .readFileSync(path.join(workspace, '.perflens', 'history.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(3);
  });

  it("says so when the profile cannot be kept, and still reports it with the command's status", async () => {
    const workspace = tempDir();
    fs.writeFileSync(path.join(workspace, 'quick.js'), 'let x = 0; for (let i = 0; i < 1e6; i++) x += i;\n');
    // A file where the folder would go: neither the profile nor the history line can be written.
    fs.writeFileSync(path.join(workspace, '.perflens'), 'not a folder');
    const result = await perflens(['profile', '--format', 'json', '--run', '--', process.execPath, 'quick.js'], workspace);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).format).toBe('cpuprofile');
    expect(result.stderr).toMatch(/^perflens: could not keep the profile in \.perflens\/profiles: E[A-Z]+ \(/m);
    expect(result.stderr).toMatch(/^perflens: could not add the run to \.perflens\/history\.jsonl: E[A-Z]+ \(/m);
    expect(fs.readFileSync(path.join(workspace, '.perflens'), 'utf8')).toBe('not a folder');
  });

  it('--keep 0 keeps no profile but still adds the run to the history; --keep goes with --run only', async () => {
    const workspace = tempDir();
    fs.writeFileSync(path.join(workspace, 'quick.js'), 'let x = 0; for (let i = 0; i < 1e6; i++) x += i;\n');
    const result = await perflens(['profile', '--keep', '0', '--run', '--', process.execPath, 'quick.js'], workspace);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.existsSync(path.join(workspace, '.perflens', 'profiles'))).toBe(false);
    const entry = JSON.parse(fs.readFileSync(path.join(workspace, '.perflens', 'history.jsonl'), 'utf8'));
    expect(entry.profile).toBeUndefined();
    expect(oneLineError(await perflens(['profile', '--keep', '3', 'run.cpuprofile'], root))).toBe(
      'perflens: --keep says how many recordings to keep: it goes with --run -- COMMAND',
    );
    expect(oneLineError(await perflens(['profile', '--keep', '-1', '--run', '--', 'true'], root))).toBe(
      'perflens: --keep needs a whole number ≥ 0 (got "-1")',
    );
  });
});
