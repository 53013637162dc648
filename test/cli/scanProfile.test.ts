/**
 * `perflens scan --profile FILE`: findings ranked by the time a real CPU profile spent in the
 * function around them. The profile is recorded here (a small TypeScript program bundled by
 * esbuild with a source map, run under `node --cpu-prof`), and the expected times are read from
 * its raw JSON with plain arithmetic, none of src/profiles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validSarif } from '../helpers/sarif';
import {
  buildProgram,
  oneLineError,
  perflens,
  readCpuProfile,
  recordNode,
  sampleDurations,
  sampleStacks,
  tempDir,
} from '../profiles/helpers';

// Two functions with the same N+1-shaped lookup; the program only ever runs the first.
const WORK = `export interface Order { id: number; customerId: number }
export interface Customer { id: number; name: string }

export function matchOrders(orders: Order[], customers: Customer[]): number {
  let matched = 0;
  for (const order of orders) {
    const customer = customers.find((candidate) => candidate.id === order.customerId);
    if (customer) matched += customer.name.length;
  }
  return matched;
}

export function matchEach(orders: Order[], customers: Customer[]): number {
  let matched = 0;
  orders.forEach(function eachOrder(order) {
    if (customers.find((candidate) => candidate.id === order.customerId)) matched++;
  });
  // Work of the outer function's own, so that its time and the callback's differ.
  for (let i = 0; i < 3_000_000; i++) matched += i % 7 === 8 ? 1 : 0;
  return matched;
}

export function matchRefunds(orders: Order[], customers: Customer[]): number {
  let matched = 0;
  for (const order of orders) {
    if (customers.find((candidate) => candidate.id === order.customerId)) matched++;
  }
  return matched;
}
`;
const MAIN = `import { matchEach, matchOrders, type Customer, type Order } from './work';

const customers: Customer[] = Array.from({ length: 4000 }, (_, id) => ({ id, name: 'customer ' + id }));
const orders: Order[] = Array.from({ length: 3000 }, (_, id) => ({ id, customerId: (id * 7919) % 4000 }));
let sum = 0;
for (let round = 0; round < 8; round++) sum += matchOrders(orders, customers);
for (let round = 0; round < 4; round++) sum += matchEach(orders, customers);
if (sum === -1) console.log(sum);
`;

let root: string;
let raw: ReturnType<typeof readCpuProfile>;

beforeAll(() => {
  root = tempDir('perflens-scan-profile-');
  const script = buildProgram(root, { 'src/work.ts': WORK, 'src/main.ts': MAIN });
  fs.copyFileSync(recordNode(script, ['--cpu-prof', '--cpu-prof-interval', '250'], '.cpuprofile', root), path.join(root, 'run.cpuprofile'));
  raw = readCpuProfile(path.join(root, 'run.cpuprofile'));
});

/** Self and total ms of a function by name, and the whole profile's ms, from the raw samples. */
function measured(name: string): { selfMs: number; totalMs: number; profileMs: number } {
  const stacks = sampleStacks(raw);
  const durations = sampleDurations(raw);
  let selfMs = 0;
  let totalMs = 0;
  stacks.forEach((stack, index) => {
    if (stack[stack.length - 1] === name) selfMs += durations[index];
    if (stack.includes(name)) totalMs += durations[index];
  });
  return { selfMs, totalMs, profileMs: durations.reduce((a, b) => a + b, 0) };
}

describe('scan --profile', () => {
  it('gives each finding the time of its function, hottest first; code the profile never ran has none', async () => {
    const result = await perflens(
      ['scan', 'src', '--rule', 'lookup-in-loop', '--min-severity', 'info', '--format', 'json', '--profile', 'run.cpuprofile'],
      root,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings as Array<{
      file: string;
      range: { start: { line: number } };
      hotness: { selfMs: number; totalMs: number; share: number } | null;
    }>;
    expect(findings.map((finding) => `${finding.file}:${finding.range.start.line}`).sort()).toEqual([
      'src/work.ts:16',
      'src/work.ts:26',
      'src/work.ts:7',
    ]);
    expect(findings[findings.length - 1].range.start.line).toBe(26);

    const hot = findings.find((finding) => finding.range.start.line === 7)!;
    const cold = findings.find((finding) => finding.range.start.line === 26)!;
    const expected = measured('matchOrders');
    expect(expected.totalMs).toBeGreaterThan(20);
    expect(hot.hotness).not.toBeNull();
    expect(hot.hotness!.selfMs).toBeCloseTo(expected.selfMs, 1);
    expect(hot.hotness!.totalMs).toBeCloseTo(expected.totalMs, 1);
    expect(hot.hotness!.share).toBeCloseTo(expected.totalMs / expected.profileMs, 3);
    expect(cold.hotness).toBeNull();
  });

  it('a finding inside a callback takes the callback\u2019s time, not its caller\u2019s', async () => {
    const result = await perflens(
      ['scan', 'src', '--rule', 'lookup-in-loop', '--min-severity', 'info', '--format', 'json', '--profile', 'run.cpuprofile'],
      root,
    );
    const findings = JSON.parse(result.stdout).findings as Array<{
      range: { start: { line: number } };
      hotness: { totalMs: number } | null;
    }>;
    const inCallback = findings.find((finding) => finding.range.start.line === 16)!;
    const callback = measured('eachOrder');
    const caller = measured('matchEach');
    expect(caller.totalMs - callback.totalMs).toBeGreaterThan(1);
    expect(inCallback.hotness!.totalMs).toBeCloseTo(callback.totalMs, 1);
  });

  it('ranks across files by time, whatever the scan order', async () => {
    // A second file scanned first (by name) whose finding the profile never reached.
    fs.writeFileSync(path.join(root, 'src', 'aaa.ts'), WORK.replace(/match(Orders|Refunds)/g, 'early$1'));
    try {
      const result = await perflens(
        ['scan', 'src', '--rule', 'lookup-in-loop', '--min-severity', 'info', '--format', 'json', '--profile', 'run.cpuprofile'],
        root,
      );
      const findings = JSON.parse(result.stdout).findings as Array<{ file: string; hotness: unknown }>;
      expect(findings).toHaveLength(6);
      expect(findings.slice(0, 2).every((finding) => finding.file === 'src/work.ts' && finding.hotness !== null)).toBe(true);
      expect(findings.slice(2).every((finding) => finding.hotness === null)).toBe(true);
      // Without --profile, the same findings in scan order, all without hotness.
      const plain = JSON.parse(
        (await perflens(['scan', 'src', '--rule', 'lookup-in-loop', '--min-severity', 'info', '--format', 'json'], root)).stdout,
      ).findings as Array<{ file: string; hotness: unknown }>;
      expect(plain[0].file).toBe('src/aaa.ts');
      expect(plain.every((finding) => finding.hotness === null)).toBe(true);
    } finally {
      fs.rmSync(path.join(root, 'src', 'aaa.ts'));
    }
  });

  it('text: says what the order means and shows the time on each ranked row', async () => {
    const result = await perflens(
      ['scan', 'src', '--rule', 'lookup-in-loop', '--min-severity', 'info', '--profile', 'run.cpuprofile'],
      root,
    );
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Ranked by run\.cpuprofile \([\d,]+\.\d ms profiled\): 2 of 3 findings in code it ran, hottest first\.$/);
    const rows = lines.filter((line) => line.includes('lookup-in-loop'));
    // The hottest may have risen to a warning: its lines took the hot share of the run (test/cli/scanMeasured.test.ts).
    expect(rows[0]).toMatch(/^\s+(7|16):\d+\s+(info|warning)\s+.*lookup-in-loop {2}[\d,]+\.\d ms · \d+\.\d%$/);
    expect(rows[2]).toMatch(/^\s+26:\d+\s+info\s+.*lookup-in-loop$/);
  });

  it('text: says so when the profile ran none of the code with findings', async () => {
    const dir = tempDir('perflens-scan-profile-other-');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'work.ts'), WORK);
    fs.copyFileSync(path.join(root, 'run.cpuprofile'), path.join(dir, 'other.cpuprofile'));
    const result = await perflens(
      ['scan', 'src', '--rule', 'lookup-in-loop', '--min-severity', 'info', '--profile', 'other.cpuprofile'],
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Ranked by other\.cpuprofile .*: 0 of 3 findings in code it ran/);
    expect(result.stdout).toContain(
      'The profile ran none of the code with findings: was it recorded from these sources (with source maps for built code)?',
    );
  });

  it('sarif: a valid log whose results carry rank (the share, 0–100) and the hotness', async () => {
    const result = await perflens(
      ['scan', 'src', '--rule', 'lookup-in-loop', '--min-severity', 'info', '--format', 'sarif', '--profile', 'run.cpuprofile'],
      root,
    );
    const log = validSarif(result.stdout);
    const results = log.runs[0].results ?? [];
    expect(results).toHaveLength(3);
    const [hot, , cold] = results;
    const hotness = hot.properties?.hotness as { share: number };
    expect(hot.rank).toBeCloseTo(hotness.share * 100, 1);
    expect(cold.rank).toBeUndefined();
  });

  it.each([
    ['a heap profile', 'heap', /^perflens: --profile heap\.heapprofile measures memory \(bytes\): ranking findings needs a CPU profile/],
    ['a truncated profile', 'truncated', /^perflens: --profile truncated\.cpuprofile: /],
    ['a missing file', 'missing', /^perflens: --profile missing\.cpuprofile: /],
  ])('refuses %s with one line (exit 2), before scanning', async (_name, kind, message) => {
    const dir = tempDir('perflens-scan-profile-bad-');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'work.ts'), WORK);
    if (kind === 'heap') {
      const script = buildProgram(dir, { 'src/work.ts': WORK, 'src/main.ts': MAIN });
      fs.copyFileSync(recordNode(script, ['--heap-prof'], '.heapprofile', dir), path.join(dir, 'heap.heapprofile'));
    }
    if (kind === 'truncated')
      fs.writeFileSync(path.join(dir, 'truncated.cpuprofile'), fs.readFileSync(path.join(root, 'run.cpuprofile'), 'utf8').slice(0, 5000));
    const file = { heap: 'heap.heapprofile', truncated: 'truncated.cpuprofile', missing: 'missing.cpuprofile' }[kind as 'heap'];
    const result = await perflens(['scan', 'src', '--profile', file], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(oneLineError(result)).toMatch(message);
  });

  it.each([
    [
      ['scan', 'src', '--fix', '--profile', 'run.cpuprofile'],
      'perflens: --profile cannot be combined with --fix: rank with perflens scan --profile, then fix',
    ],
    [
      ['fix', 'src', '--profile', 'run.cpuprofile'],
      'perflens: --profile cannot be combined with perflens fix: rank with perflens scan --profile, then fix',
    ],
  ])('%j is refused: a fix would move lines under the profile', async (argv, line) => {
    const result = await perflens(argv, root);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe(line);
  });
});
