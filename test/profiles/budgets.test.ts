/**
 * Budgets in .perflensrc.json, checked by `perflens profile` (issue 15): each kind breached (exit 1)
 * and kept (exit 0) on a profile whose figures are known to the millisecond, a malformed budget and
 * one this profile cannot answer (exit 2), and recorded runs, several, with margins noise cannot cross.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneLineError, perflens, tempDir } from './helpers';

let root: string;

// One sample a millisecond: hotLoop 6, (idle) 2, legacyParse 3, (garbage collector) 1, main 1, (idle) 3, hotLoop 4.
// Total 20 ms; hotLoop 50 %; src/legacy/** 15 %; GC 5 %; the longest stretch without (idle) 6 ms.
const SEQUENCE = [3, 3, 3, 3, 3, 3, 5, 5, 4, 4, 4, 6, 2, 5, 5, 5, 3, 3, 3, 3];

beforeAll(() => {
  root = tempDir();
  fs.mkdirSync(path.join(root, 'src', 'legacy'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'app.js'), 'function main() {}\nfunction hotLoop() {}\n');
  fs.writeFileSync(path.join(root, 'src', 'legacy', 'parse.js'), 'function legacyParse() {}\n');
  const frame = (functionName: string, file?: string, lineNumber = 0) => ({
    functionName,
    scriptId: file ? '1' : '0',
    url: file ? `file://${path.join(root, file)}` : '',
    lineNumber: file ? lineNumber : -1,
    columnNumber: file ? 0 : -1,
  });
  const nodes = [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('main', 'src/app.js'), children: [3, 4] },
    { id: 3, callFrame: frame('hotLoop', 'src/app.js', 1), children: [] },
    { id: 4, callFrame: frame('legacyParse', 'src/legacy/parse.js'), children: [] },
    { id: 5, callFrame: frame('(idle)'), children: [] },
    { id: 6, callFrame: frame('(garbage collector)'), children: [] },
  ];
  const profile = {
    nodes,
    startTime: 0,
    endTime: SEQUENCE.length * 1000,
    samples: SEQUENCE,
    timeDeltas: SEQUENCE.map((_, at) => (at === 0 ? 0 : 1000)),
  };
  fs.writeFileSync(path.join(root, 'run.cpuprofile'), JSON.stringify(profile));
  fs.writeFileSync(path.join(root, 'run.folded'), 'main;hotLoop 3\nmain 1\n');
});

async function withBudgets(budgets: unknown, ...args: string[]) {
  fs.writeFileSync(path.join(root, '.perflensrc.json'), JSON.stringify({ budgets }));
  return perflens(['profile', ...args], root);
}

describe('each kind of budget', () => {
  it.each([
    ['totalMs', { totalMs: 19 }, { totalMs: 20 }, 'totalMs 20 ms > 19 ms'],
    ['busiestStretchMs', { busiestStretchMs: 5 }, { busiestStretchMs: 6 }, 'busiestStretchMs 6 ms > 5 ms'],
    ['gcPercent', { gcPercent: 4.9 }, { gcPercent: 5 }, 'gcPercent 5% > 4.9%'],
    [
      'functionSelfPercent',
      { functionSelfPercent: { hotLoop: 49 } },
      { functionSelfPercent: { hotLoop: 50 } },
      'functionSelfPercent of hotLoop 50% > 49%',
    ],
    [
      'fileSelfPercent',
      { fileSelfPercent: { 'src/legacy/**': 14 } },
      { fileSelfPercent: { 'src/legacy/**': 15 } },
      'fileSelfPercent of src/legacy/** 15% > 14%',
    ],
  ])('%s: exceeded exits 1 and says which; at its limit exits 0', async (_kind, breached, kept, said) => {
    const over = await withBudgets(breached, 'run.cpuprofile');
    expect(over.code, over.stderr).toBe(1);
    expect(oneLineError(over)).toBe(`perflens: 1 budget exceeded: ${said}`);
    expect(over.stdout).toContain(`EXCEEDED  ${said}`);
    const within = await withBudgets(kept, 'run.cpuprofile');
    expect(within.code, within.stderr).toBe(0);
    expect(within.stderr).toBe('');
    expect(within.stdout).toMatch(/budgets \(\.perflensrc\.json\):\n {2}ok {8}\S/);
  });

  it('are in the JSON report, each with its measure, and several exceeded are named together', async () => {
    const result = await withBudgets(
      { totalMs: 10, gcPercent: 50, functionSelfPercent: { hotLoop: 10, nowhere: 1 } },
      'run.cpuprofile',
      '--format',
      'json',
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).budgets).toEqual([
      { budget: 'totalMs', limit: 10, actual: 20, unit: 'ms', exceeded: true },
      { budget: 'gcPercent', limit: 50, actual: 5, unit: '%', exceeded: false },
      { budget: 'functionSelfPercent', subject: 'hotLoop', limit: 10, actual: 50, unit: '%', exceeded: true },
      // A function the run never entered takes no share.
      { budget: 'functionSelfPercent', subject: 'nowhere', limit: 1, actual: 0, unit: '%', exceeded: false },
    ]);
    expect(oneLineError(result)).toBe('perflens: 2 budgets exceeded: totalMs 20 ms > 10 ms; functionSelfPercent of hotLoop 50% > 10%');
  });

  it('applies none until one is set', async () => {
    fs.writeFileSync(path.join(root, '.perflensrc.json'), JSON.stringify({ rules: {} }));
    const result = await perflens(['profile', 'run.cpuprofile', '--format', 'json'], root);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).budgets).toBeUndefined();
  });
});

describe('a budget that cannot be used', () => {
  it.each([
    [{ totlMs: 5 }, 'unknown budget "totlMs" (expected totalMs, busiestStretchMs, gcPercent, functionSelfPercent, fileSelfPercent)'],
    [{ totalMs: -1 }, 'budget "totalMs" must be a number of milliseconds ≥ 0 (got -1)'],
    [{ gcPercent: '5%' }, 'budget "gcPercent" must be a percentage from 0 to 100 (got "5%")'],
    [{ functionSelfPercent: { hotLoop: 120 } }, 'budget "functionSelfPercent" of "hotLoop" must be a percentage from 0 to 100 (got 120)'],
    [{ fileSelfPercent: {} }, 'budget "fileSelfPercent" must be an object of glob → percent'],
    [[5], '"budgets" must be an object with any of totalMs, busiestStretchMs, gcPercent, functionSelfPercent, fileSelfPercent'],
  ])('%j is a configuration error (exit 2)', async (budgets, reason) => {
    const result = await withBudgets(budgets, 'run.cpuprofile');
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe(`perflens: ${path.join(root, '.perflensrc.json')}: ${reason}`);
  });

  it('a time on a profile without time, a stretch on one without an order in time: exit 2, with why', async () => {
    const time = await withBudgets({ totalMs: 5 }, 'run.folded');
    expect(oneLineError(time)).toBe('perflens: .perflensrc.json: budget "totalMs" is a time, and this folded profile is in samples');
    // Saved with hit counts only: times, but no order in time.
    const counted = {
      ...JSON.parse(fs.readFileSync(path.join(root, 'run.cpuprofile'), 'utf8')),
      samples: undefined,
      timeDeltas: undefined,
    };
    for (const node of counted.nodes) node.hitCount = SEQUENCE.filter((id) => id === node.id).length;
    fs.writeFileSync(path.join(root, 'counted.cpuprofile'), JSON.stringify(counted));
    const order = await withBudgets({ busiestStretchMs: 5 }, 'counted.cpuprofile');
    expect(oneLineError(order)).toBe(
      'perflens: .perflensrc.json: budget "busiestStretchMs" needs samples in time order, and this cpuprofile profile has none',
    );
    // Shares need no time: a folded profile answers them.
    const shares = await withBudgets({ functionSelfPercent: { hotLoop: 100 } }, 'run.folded');
    expect(shares.code, shares.stderr).toBe(0);
  });
});

describe('on recorded runs', () => {
  it('a hot function over a low limit breaches in every run, a generous limit in none', async () => {
    const workspace = tempDir();
    fs.writeFileSync(
      path.join(workspace, 'spin.js'),
      'function spin() { let x = 0; for (let i = 0; i < 5e7; i++) x += i % 7; return x; }\nspin();\n',
    );
    for (let run = 0; run < 3; run++) {
      fs.writeFileSync(path.join(workspace, '.perflensrc.json'), JSON.stringify({ budgets: { functionSelfPercent: { spin: 5 } } }));
      const over = await perflens(['profile', '--keep', '0', '--run', '--', process.execPath, 'spin.js'], workspace);
      expect(over.code, over.stderr).toBe(1);
      expect(over.stderr).toMatch(/^perflens: 1 budget exceeded: functionSelfPercent of spin \d+(\.\d)?% > 5%$/m);
      fs.writeFileSync(
        path.join(workspace, '.perflensrc.json'),
        JSON.stringify({ budgets: { totalMs: 600000, functionSelfPercent: { spin: 100 } } }),
      );
      const within = await perflens(['profile', '--keep', '0', '--run', '--', process.execPath, 'spin.js'], workspace);
      expect(within.code, within.stderr).toBe(0);
    }
  });
});
