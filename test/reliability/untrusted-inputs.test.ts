/**
 * Issue 10, untrusted inputs: device files, FIFOs and symbolic-link tricks are refused without
 * being read; a profile cannot make PerfLens read outside its root nor echo what it read; bad
 * `timeDeltas` give a note, not garbage.
 *
 * Every case that hung or grew memory without bound before the fix (a FIFO, /dev/zero) runs the
 * built CLI (dist/cli.js) in a child process: the spawn's timeout is only a safety net so that a
 * regression fails instead of hanging the suite — the assertions are on the reason printed.
 * `npm test` builds first; run `npm run build` before running this file alone.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analyzers/engine';
import { readBoundedStream } from '../../src/io/boundedStream';
import { readRegularFile } from '../../src/io/regularFile';
import { ReadScope } from '../../src/profiles/readScope';
import { perflens as inProcess } from '../profiles/helpers';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
/** A safety net against a hang, never the thing asserted. */
const HANG_GUARD_MS = 120_000;

let base: string;
const made: string[] = [];

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does it before vitest)');
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-untrusted-')));
});

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(base, { recursive: true, force: true });
});

/** A fresh folder under the test's base, marked as a repository root so no .gitignore above leaks in. */
function folder(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(base, 'case-'));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

function mkfifo(file: string): void {
  const made = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mkfifo ${file} failed: ${made.stderr}`);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function perflens(args: string[], cwd: string, stdin?: { input: Buffer } | { fd: number }): Run {
  const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, PERFLENS_DEBUG: _debug, ...env } = process.env;
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: HANG_GUARD_MS,
    input: stdin && 'input' in stdin ? stdin.input : undefined,
    stdio: stdin && 'fd' in stdin ? [stdin.fd, 'pipe', 'pipe'] : 'pipe',
  });
  if (result.signal)
    throw new Error(`perflens ${args.join(' ')} was stopped by ${result.signal} (it hung or ran out of memory): ${result.stderr}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Functions of a synthetic profile: name → where V8 would say it is (0-based line and column). */
type FrameSpec = Record<string, { url?: string; line?: number; column?: number }>;

/** A .cpuprofile whose sample `i` runs `stack[i]` (one function under the root) at absolute time `times[i]` µs. */
function cpuprofile(frames: FrameSpec, stacks: string[], times: number[], startTime: number, endTime: number): string {
  const names = Object.keys(frames);
  const nodes = [
    {
      id: 1,
      callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
      children: names.map((_, index) => index + 2),
    },
    ...names.map((name, index) => ({
      id: index + 2,
      callFrame: {
        functionName: name,
        scriptId: '1',
        url: frames[name].url ?? '',
        lineNumber: frames[name].line ?? -1,
        columnNumber: frames[name].column ?? -1,
      },
    })),
  ];
  const samples = stacks.map((name) => names.indexOf(name) + 2);
  const timeDeltas = times.map((time, index) => time - (index === 0 ? startTime : times[index - 1]));
  return JSON.stringify({ nodes, startTime, endTime, samples, timeDeltas });
}

interface ProfileJson {
  total: number;
  functions: Array<{ name: string; file: string | null; self: number; total: number; range: unknown }>;
  notes: string[];
}

function selfByName(report: ProfileJson): Record<string, number> {
  return Object.fromEntries(report.functions.map((fn) => [fn.name, fn.self]));
}

describe('the bounded reader: regular files only, never past the limit', () => {
  // FIFOs and endless devices are exercised through the CLI in child processes below; here only
  // what cannot hang this process even if the reader regressed.
  it('reads up to the limit, refuses one byte more, and can read a tail instead', () => {
    const root = folder({ 'four.txt': 'abcd' });
    const file = path.join(root, 'four.txt');
    expect(readRegularFile(file, { maxBytes: 4 })).toEqual({ bytes: Buffer.from('abcd'), size: 4 });
    expect(readRegularFile(file, { maxBytes: 3 })).toEqual({ refused: { kind: 'too-large', reason: 'larger than 3 bytes', size: 4 } });
    expect(readRegularFile(file, { maxBytes: 3, whenLarger: 'tail' })).toEqual({ bytes: Buffer.from('bcd'), size: 4 });
  });

  it('says what a path is instead of reading it: a folder, a device, missing, a loop', () => {
    const root = folder();
    fs.symlinkSync('loop-b', path.join(root, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(root, 'loop-b'));
    fs.symlinkSync('/dev/null', path.join(root, 'null.txt'));
    const reason = (file: string): string | undefined => {
      const read = readRegularFile(file, { maxBytes: 1024 });
      return 'refused' in read ? read.refused.reason : undefined;
    };
    expect(reason(root)).toBe('a folder');
    expect(reason(path.join(root, 'null.txt'))).toBe('a character device');
    expect(reason(path.join(root, 'missing.txt'))).toBe('missing');
    expect(reason(path.join(root, 'loop-a'))).toBe('a symbolic link loop');
  });

  it("the engine the editor's worker runs reads through it: a link to /dev/null is skipped as a device, not analysed as empty", () => {
    const root = folder();
    fs.symlinkSync('/dev/null', path.join(root, 'null.ts'));
    const analysis = new Analyzer({ rules: [] }).analyzeFile(path.join(root, 'null.ts'));
    expect(analysis.skipped).toEqual({ file: path.join(root, 'null.ts'), reason: 'a character device, not a regular file' });
  });

  it('a read scope follows symbolic links before deciding: a link inside the root to a file outside is outside', () => {
    const parent = folder({ 'outside/secret.txt': 'secret', 'root/own.txt': 'own' });
    fs.symlinkSync('../outside/secret.txt', path.join(parent, 'root', 'link.txt'));
    const scope = new ReadScope([path.join(parent, 'root')]);
    expect(scope.read(path.join(parent, 'root', 'own.txt'), { maxBytes: 100 })).toEqual({ bytes: Buffer.from('own'), size: 3 });
    expect(scope.read(path.join(parent, 'root', 'link.txt'), { maxBytes: 100 })).toEqual({ outsideRoots: true });
    expect(scope.read(path.join(parent, 'root', '..', 'outside', 'secret.txt'), { maxBytes: 100 })).toEqual({ outsideRoots: true });
    expect(scope.note()).toMatch(/^2 files the profile names \(.*link\.txt, …\) lie outside .*root: reading outside the root is refused/);
  });
});

describe('scan: a named path that is no regular file is refused with what it is, never opened', () => {
  it('a FIFO (it would block the read forever)', () => {
    const root = folder();
    mkfifo(path.join(root, 'pipe.ts'));
    const result = perflens(['scan', 'pipe.ts'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('perflens: pipe.ts is a FIFO: only files and folders are scanned\n');
  });

  it('a symbolic link to /dev/zero (its size is 0, its content endless), and /dev/null named or linked', () => {
    const root = folder();
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.ts'));
    fs.symlinkSync('/dev/null', path.join(root, 'null.ts'));
    expect(perflens(['scan', 'zero.ts'], root)).toMatchObject({
      code: 2,
      stderr: 'perflens: zero.ts is a character device: only files and folders are scanned\n',
    });
    expect(perflens(['scan', 'null.ts'], root)).toMatchObject({
      code: 2,
      stderr: 'perflens: null.ts is a character device: only files and folders are scanned\n',
    });
    expect(perflens(['scan', '/dev/null'], root)).toMatchObject({
      code: 2,
      stderr: 'perflens: /dev/null is a character device: only files and folders are scanned\n',
    });
  });

  it('a symbolic link loop is called one, not "no such file"', () => {
    const root = folder();
    fs.symlinkSync('b.ts', path.join(root, 'a.ts'));
    fs.symlinkSync('a.ts', path.join(root, 'b.ts'));
    expect(perflens(['scan', 'a.ts'], root)).toMatchObject({ code: 2, stderr: 'perflens: a.ts is a symbolic link loop\n' });
  });

  it('a folder walk picks up no FIFO or device, and a FIFO .gitignore or package.json does not stop it', () => {
    const root = folder({
      // unbounded-promise-all asks the nearest package.json whether this is a command-line tool.
      'src/open.ts': `import * as fs from 'node:fs';\nexport async function openAll(dir: string) {\n  const paths = await fs.promises.readdir(dir);\n  return Promise.all(paths.map((file) => fs.promises.open(file)));\n}\n`,
    });
    mkfifo(path.join(root, 'src', 'pipe.ts'));
    mkfifo(path.join(root, 'src', '.gitignore'));
    mkfifo(path.join(root, 'package.json'));
    fs.symlinkSync('/dev/zero', path.join(root, 'src', 'zero.ts'));
    const result = perflens(['scan', 'src', '--format', 'json', '--min-severity', 'info'], root);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ files: 1, errors: [], skipped: [] });
    expect(report.findings.map((finding: { rule: string; file: string }) => `${finding.rule} ${finding.file}`)).toEqual([
      'unbounded-promise-all src/open.ts',
    ]);
  });

  it('a .perflensrc.json that is a FIFO is a config error naming what it is', () => {
    const root = folder({ 'a.ts': 'export const a = 1;\n' });
    mkfifo(path.join(root, '.perflensrc.json'));
    const result = perflens(['scan', 'a.ts'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`perflens: cannot read config ${path.join(root, '.perflensrc.json')}: it is a FIFO\n`);
  });

  it('a perflens-suppressions.json that is a FIFO stops the scan naming what it is, and --suppress-all does not replace it', () => {
    const root = folder({ 'a.ts': 'export const a = 1;\n' });
    const fifo = path.join(root, 'perflens-suppressions.json');
    mkfifo(fifo);
    for (const args of [['scan'], ['scan', '--suppress-all'], ['scan', '--prune-suppressions']]) {
      const result = perflens(args, root);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        'perflens: perflens-suppressions.json is a FIFO, not a suppressions file: nothing was scanned or written\n',
      );
      expect(fs.statSync(fifo).isFIFO()).toBe(true);
    }
  });
});

describe('profile: a FIFO or a device is not read as a profile', () => {
  it('a FIFO, /dev/zero, and a symbolic link to it', () => {
    const root = folder();
    mkfifo(path.join(root, 'pipe.cpuprofile'));
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.cpuprofile'));
    const fifo = perflens(['profile', 'pipe.cpuprofile'], root);
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toBe(
      `perflens: ${path.join(root, 'pipe.cpuprofile')} is a FIFO, not a regular file: only files are read as profiles (pipe one in with "perflens profile -")\n`,
    );
    expect(perflens(['profile', '/dev/zero'], root).stderr).toMatch(/^perflens: \/dev\/zero is a character device, not a regular file/);
    expect(perflens(['profile', 'zero.cpuprofile'], root).stderr).toMatch(/zero\.cpuprofile is a character device, not a regular file/);
    expect(perflens(['scan', '.', '--profile', 'pipe.cpuprofile'], root).stderr).toMatch(
      /^perflens: --profile pipe\.cpuprofile: .*pipe\.cpuprofile is a FIFO, not a regular file/,
    );
  });

  it('a profile piped on standard input still works, as "-" and as /dev/stdin, and gives what the file gives', () => {
    const root = folder();
    const text = cpuprofile({ work: { url: 'work.js', line: 0, column: 0 } }, ['work', 'work'], [1000, 2000], 0, 3000);
    fs.writeFileSync(path.join(root, 'run.cpuprofile'), text);
    const fromFile = perflens(['profile', 'run.cpuprofile', '--format', 'json'], root);
    const piped = perflens(['profile', '-', '--format', 'json'], root, { input: Buffer.from(text) });
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual(JSON.parse(fromFile.stdout));
    const devStdin = perflens(['profile', '/dev/stdin', '--format', 'json'], root, { input: Buffer.from(text) });
    expect(JSON.parse(devStdin.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  it('standard input that is a device is refused by what it is', () => {
    const root = folder();
    const zero = fs.openSync('/dev/zero', 'r');
    try {
      const result = perflens(['profile', '-'], root, { fd: zero });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'perflens: standard input is a character device: pipe a profile in (cat run.cpuprofile | perflens profile -)\n',
      );
    } finally {
      fs.closeSync(zero);
    }
  });

  it('a stream is read only up to the limit, then refused and no longer read', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced++;
        this.push(Buffer.alloc(1024, 0x20));
      },
    });
    const result = await readBoundedStream(endless, 4096);
    expect(result).toEqual({ refused: { kind: 'too-large', reason: 'larger than 4 KB' } });
    expect(produced).toBeLessThan(10);
  });
});

describe('profile: every read a profile asks for stays inside the root, and nothing read is echoed', () => {
  const MARKER = 'SECRET-MARKER-7c1f';

  /** root/ (the project) beside outside/ (not to be read), with a generated app.js in root. */
  function project(mappingUrl: string | undefined): { parent: string; root: string; outside: string } {
    const parent = folder();
    const root = path.join(parent, 'root');
    const outside = path.join(parent, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.map'), `${MARKER} root:x:0:0:root:/root:/bin/bash\n`);
    fs.writeFileSync(path.join(outside, 'secret.js'), `function hidden() {\n  return '${MARKER}';\n}\n`);
    fs.writeFileSync(
      path.join(root, 'app.js'),
      `function work() {\n  return 1;\n}\nwork();\n${mappingUrl === undefined ? '' : `//# sourceMappingURL=${mappingUrl}\n`}`,
    );
    return { parent, root, outside };
  }

  function profileOf(root: string, url: string): void {
    fs.writeFileSync(
      path.join(root, 'run.cpuprofile'),
      cpuprofile({ work: { url, line: 0, column: 9 } }, ['work', 'work'], [1000, 2000], 0, 3000),
    );
  }

  it('a sourceMappingURL that climbs out of the root (../../etc/passwd style) is not followed', async () => {
    const { parent, root } = project('../outside/secret.map');
    profileOf(root, `file://${root}/app.js`);
    const result = await inProcess(['profile', 'run.cpuprofile', '--format', 'json'], root);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    const report: ProfileJson = JSON.parse(result.stdout);
    expect(report.functions[0]).toMatchObject({ name: 'work', file: 'app.js' });
    expect(report.notes).toEqual([
      `1 file the profile names (${path.join(parent, 'outside', 'secret.map')}) lies outside ${root}: reading outside the root is refused, so their functions have no source map or range`,
    ]);

    // With the outside folder inside the root the map is read — and its parse error is described, not quoted.
    const wider = await inProcess(['profile', 'root/run.cpuprofile', '--format', 'json'], parent);
    expect(wider.stdout + wider.stderr).not.toContain(MARKER);
    expect(JSON.parse(wider.stdout).notes).toEqual([
      `source map of ${root}/app.js is broken (not valid JSON): showing generated positions`,
    ]);
  });

  it.skipIf(!fs.existsSync('/etc/passwd'))('the literal ../../../../etc/passwd of the report is not read', async () => {
    const { root } = project('../../../../../../../../../../etc/passwd');
    profileOf(root, `file://${root}/app.js`);
    const result = await inProcess(['profile', 'run.cpuprofile', '--format', 'json', '--root', '.'], root);
    expect(result.stdout + result.stderr).not.toMatch(/root:x?:?0/);
    expect(JSON.parse(result.stdout).notes).toEqual([
      expect.stringMatching(/^1 file the profile names \(\/etc\/passwd\) lies outside .*: reading outside the root is refused/),
    ]);
  });

  it('a frame in a file outside the root is listed (absolute path, range null) but its source is not read', async () => {
    const { parent, root, outside } = project(undefined);
    profileOf(root, `file://${outside}/secret.js`);
    const result = await inProcess(['profile', 'run.cpuprofile', '--format', 'json'], root);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    const report: ProfileJson = JSON.parse(result.stdout);
    expect(report.functions[0]).toMatchObject({ name: 'work', file: `${outside}/secret.js`, range: null });
    expect(report.notes).toEqual([
      expect.stringContaining(`(${outside}/secret.js) lies outside ${root}: reading outside the root is refused`),
    ]);
    // The same frame with the file inside the root gets its range: only the root decided.
    const inside = JSON.parse((await inProcess(['profile', 'root/run.cpuprofile', '--format', 'json'], parent)).stdout) as ProfileJson;
    expect(inside.functions[0].range).toEqual({ start: { line: 1, column: 1 }, end: { line: 3, column: 2 } });
    expect(inside.notes).toEqual([]);
  });

  it('a frame URL or a sourceMappingURL pointing at /dev/zero is refused — outside the root, and as a device inside it', () => {
    const { root } = project('zero.map');
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.map'));
    fs.symlinkSync('/dev/zero', path.join(root, 'zero.js'));
    fs.writeFileSync(
      path.join(root, 'frames.cpuprofile'),
      cpuprofile(
        { fromDevice: { url: 'file:///dev/zero', line: 0, column: 0 }, fromLink: { url: 'zero.js', line: 0, column: 0 } },
        ['fromDevice', 'fromLink'],
        [1000, 2000],
        0,
        3000,
      ),
    );
    profileOf(root, `file://${root}/app.js`);

    const frames: ProfileJson = JSON.parse(perflens(['profile', 'frames.cpuprofile', '--format', 'json'], root).stdout);
    expect(frames.functions.map((fn) => [fn.name, fn.file, fn.range]).sort()).toEqual([
      ['fromDevice', '/dev/zero', null],
      ['fromLink', 'zero.js', null],
    ]);
    expect(frames.notes).toEqual([expect.stringMatching(/^2 files the profile names .* reading outside the root is refused/)]);
    const map: ProfileJson = JSON.parse(perflens(['profile', 'run.cpuprofile', '--format', 'json'], root).stdout);
    expect(map.notes).toEqual([expect.stringMatching(/^1 file the profile names \(.*zero\.map\) lies outside/)]);

    // With / as the root nothing is outside it: the reader itself refuses the device.
    const everywhere: ProfileJson = JSON.parse(perflens(['profile', 'run.cpuprofile', '--format', 'json', '--root', '/'], root).stdout);
    expect(everywhere.notes).toEqual([
      `source map of ${root}/app.js cannot be read (${root}/zero.map is a character device): showing generated positions`,
    ]);
    const devices: ProfileJson = JSON.parse(perflens(['profile', 'frames.cpuprofile', '--format', 'json', '--root', '/'], root).stdout);
    expect(devices.functions.map((fn) => fn.range)).toEqual([null, null]);
    expect(devices.notes).toEqual([]);
  });

  it("a neighbouring .map or a frame's own file that is a FIFO is refused, not waited on", () => {
    const { root } = project(undefined);
    mkfifo(path.join(root, 'app.js.map'));
    profileOf(root, `file://${root}/app.js`);
    const report: ProfileJson = JSON.parse(perflens(['profile', 'run.cpuprofile', '--format', 'json'], root).stdout);
    expect(report.notes).toEqual([
      `source map of ${root}/app.js cannot be read (${root}/app.js.map is a FIFO): showing generated positions`,
    ]);

    mkfifo(path.join(root, 'pipe.js'));
    profileOf(root, `file://${root}/pipe.js`);
    const fifoFrame: ProfileJson = JSON.parse(perflens(['profile', 'run.cpuprofile', '--format', 'json'], root).stdout);
    expect(fifoFrame.functions[0]).toMatchObject({ name: 'work', file: 'pipe.js', range: null });
    expect(fifoFrame.notes).toEqual([]);
  });
});

describe('timings: samples out of time order and negative deltas give a note, and totals within the span', () => {
  const frames: FrameSpec = { alpha: {}, beta: {}, gamma: {} };
  // Ten samples 1 ms apart from 1 ms; the profile runs from 0 to 12 ms.
  const stacks = ['alpha', 'beta', 'alpha', 'gamma', 'beta', 'beta', 'alpha', 'gamma', 'alpha', 'alpha'];
  const times = stacks.map((_, index) => 1000 * (index + 1));
  const ordered = cpuprofile(frames, stacks, times, 0, 12_000);

  async function report(text: string): Promise<ProfileJson> {
    const root = folder({ 'run.cpuprofile': text });
    const result = await inProcess(['profile', 'run.cpuprofile', '--format', 'json'], root);
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  }

  it('shuffled timestamps are put back in time order, as DevTools does: the ordered totals, and a note', async () => {
    const expected = await report(ordered);
    expect(expected.notes).toEqual([]);
    const permutation = [3, 0, 7, 1, 9, 2, 5, 4, 8, 6];
    const shuffled = await report(
      cpuprofile(
        frames,
        permutation.map((at) => stacks[at]),
        permutation.map((at) => times[at]),
        0,
        12_000,
      ),
    );
    expect(selfByName(shuffled)).toEqual(selfByName(expected));
    expect(shuffled.total).toBe(expected.total);
    expect(shuffled.notes).toEqual(['7 samples out of time order were reordered by timestamp']);
  });

  it('one delta of −1e9 µs no longer gives a function 1,000,000 ms: it counts as no time, the total stays the span', async () => {
    const expected = await report(ordered);
    const profile = JSON.parse(ordered);
    // The delta before sample 9 (the interval alpha at sample 8 ran): the last sample is alpha too, so it takes that interval back.
    profile.timeDeltas[9] = -1e9;
    const damaged = await report(JSON.stringify(profile));
    expect(damaged.notes).toEqual(["1 negative time delta reached before the profile's start: counted as no time"]);
    expect(damaged.total).toBe(expected.total);
    expect(selfByName(damaged)).toEqual(selfByName(expected));
    for (const fn of damaged.functions) expect(fn.total).toBeLessThanOrEqual(12);
  });

  it('the same in a Chrome trace: ProfileChunk events with shuffled timestamps', async () => {
    const chunk = (order: number[]): string => {
      const deltas = order.map((at, index) => times[at] - (index === 0 ? 0 : times[order[index - 1]]));
      const { nodes, samples } = JSON.parse(ordered) as { nodes: unknown[]; samples: number[] };
      return JSON.stringify({
        traceEvents: [
          { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'CrRendererMain' } },
          { name: 'Profile', ph: 'P', pid: 1, tid: 1, id: '0x1', ts: 0, args: { data: { startTime: 0 } } },
          {
            name: 'ProfileChunk',
            ph: 'P',
            pid: 1,
            tid: 1,
            id: '0x1',
            ts: 0,
            args: { data: { cpuProfile: { nodes, samples: order.map((at) => samples[at]) }, timeDeltas: deltas } },
          },
        ],
      });
    };
    const identity = stacks.map((_, index) => index);
    const expected = await report(chunk(identity));
    const shuffled = await report(chunk([3, 0, 7, 1, 9, 2, 5, 4, 8, 6]));
    expect(expected.notes).toEqual([]);
    expect(selfByName(shuffled)).toEqual(selfByName(expected));
    expect(shuffled.notes).toEqual(['7 samples out of time order were reordered by timestamp']);
  });
});
