/**
 * `perflens scan --profile`: a finding about CPU work that the code alone cannot size (an untyped `includes` in a
 * loop of a plain JavaScript script) is an info; a real CPU profile whose samples put that line hot makes it a warning
 * with the measured share. The profile is recorded here (`node --cpu-prof`), and the expected share is read from its
 * raw JSON (the line's ticks over all samples), none of src/profiles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { perflens, readCpuProfile, recordNode, tempDir } from '../profiles/helpers';

// `unique` runs and spends the run on line 4; `neverCalled` has the same pattern and never runs.
const SCRIPT = `function unique(words) {
  const kept = [];
  for (const word of words) {
    if (!kept.includes(word)) kept.push(word);
  }
  return kept;
}

function neverCalled(words) {
  const kept = [];
  for (const word of words) {
    if (!kept.includes(word)) kept.push(word);
  }
  return kept;
}

const words = [];
for (let i = 0; i < 30000; i++) words.push('w' + (i % 15000));
if (unique(words).length === -1) console.log(neverCalled(words));
`;

interface JsonFinding {
  rule: string;
  severity: string;
  range: { start: { line: number } };
  evidence: { reasons: string[]; measured?: { share: number; ms: number } };
}

let root: string;
let expectedShare: number;

beforeAll(() => {
  root = tempDir('perflens-scan-measured-');
  fs.writeFileSync(path.join(root, 'words.js'), SCRIPT);
  const recorded = recordNode(path.join(root, 'words.js'), ['--cpu-prof'], '.cpuprofile', root);
  fs.copyFileSync(recorded, path.join(root, 'run.cpuprofile'));
  // The share of line 4 by the raw samples: its position ticks in `unique`'s nodes over every sample.
  const raw = readCpuProfile(path.join(root, 'run.cpuprofile')) as ReturnType<typeof readCpuProfile> & {
    nodes: Array<{ callFrame: { functionName: string }; positionTicks?: Array<{ line: number; ticks: number }> }>;
  };
  let ticks = 0;
  for (const node of raw.nodes)
    if (node.callFrame.functionName === 'unique') ticks += node.positionTicks?.find((tick) => tick.line === 4)?.ticks ?? 0;
  expectedShare = ticks / raw.samples.length;
});

async function lookups(args: string[]): Promise<{ code: number; findings: JsonFinding[] }> {
  const result = await perflens(['scan', 'words.js', '--rule', 'lookup-in-loop', '--format', 'json', ...args], root);
  expect(result.stderr).toBe('');
  const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
  return { code: result.code, findings: findings.sort((a, b) => a.range.start.line - b.range.start.line) };
}

describe('scan --profile: severity from a measurement', () => {
  it('without a profile, the untyped includes in a loop is an info: nothing says how many words there are', async () => {
    const { code, findings } = await lookups(['--min-severity', 'info']);
    expect(code).toBe(1);
    expect(findings.map((finding) => [finding.range.start.line, finding.severity])).toEqual([
      [4, 'info'],
      [12, 'info'],
    ]);
    expect(findings[0].evidence.measured).toBeUndefined();
    // The default --min-severity (warning) shows nothing and passes.
    expect((await lookups([])).code).toBe(0);
  });

  it('with a profile that shows the line hot, it is a warning giving the measured share', async () => {
    expect(expectedShare).toBeGreaterThan(0.5);
    const { code, findings } = await lookups(['--profile', 'run.cpuprofile']);
    expect(code).toBe(1);
    // Only the hot one reaches the default --min-severity; the one never called stays an info.
    expect(findings).toHaveLength(1);
    const [hot] = findings;
    expect(hot.range.start.line).toBe(4);
    expect(hot.severity).toBe('warning');
    expect(Math.abs(hot.evidence.measured!.share - expectedShare)).toBeLessThan(0.05);
    expect(hot.evidence.reasons[0]).toMatch(/^measured: \d+\.\d% of this run's time on this line \(/);
  });

  it('the function the run never sampled says so, and stays at the lowest level', async () => {
    const { findings } = await lookups(['--profile', 'run.cpuprofile', '--min-severity', 'info']);
    const cold = findings.find((finding) => finding.range.start.line === 12)!;
    expect(cold.severity).toBe('info');
    expect(cold.evidence.measured).toEqual({ share: 0, ms: 0 });
    expect(cold.evidence.reasons[0]).toBe('measured: the profiled run executed this file but never this function');
  });

  it('--hot-share sets what counts as hot; out of range or without --profile it is a usage error', async () => {
    const { findings } = await lookups(['--profile', 'run.cpuprofile', '--hot-share', '100', '--min-severity', 'info']);
    expect(findings.find((finding) => finding.range.start.line === 4)!.severity).toBe('info');
    expect(findings[0].evidence.reasons[0]).toMatch(/under the hot share of 100\.0%$/);
    for (const [args, message] of [
      [['--hot-share', '5'], '--hot-share needs --profile'],
      [['--profile', 'run.cpuprofile', '--hot-share', '150'], 'is not a percentage from 0 to 100'],
      [['--profile', 'run.cpuprofile', '--hot-share', 'lots'], 'is not a percentage from 0 to 100'],
    ] as const) {
      const result = await perflens(['scan', 'words.js', ...args], root);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('text: the ranking header says how many findings the measurement moved', async () => {
    const result = await perflens(['scan', 'words.js', '--profile', 'run.cpuprofile'], root);
    expect(result.stdout).toContain('Measured: 1 finding rose to its configured severity (hot lines).');
    expect(result.stdout).toMatch(/warning {2}`kept` is searched with `includes`.*\(measured: \d+\.\d% of this run's time on this line/);
  });
});
