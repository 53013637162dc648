/**
 * `npm run demo`, run as users run it (after the build npm test does first): both halves print,
 * and the profile half really maps the bundled load back to the example's .ts lines — the
 * findings `scan --profile` ranks are the scan's own, with the time measured in their functions.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('scans the example, profiles its load and names the findings the profile measured', () => {
    if (!fs.existsSync(path.join(REPO, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does it before vitest)');
    const run = spawnSync(process.execPath, [path.join(REPO, 'scripts/demo.mjs')], { cwd: REPO, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    expect(run.status, run.stderr).toBe(0);
    // The load's own line (perflens profile --run sends a command's output to stderr), then where the profile was kept.
    const kept = /^shop-load: done \(checksum \d+\)\nperflens: profile kept: (\.perflens\/profiles\/\d{8}-\d{6}(?:-\d+)?-node-scratch-demo-shop-load\.js\.cpuprofile)\n$/.exec(
      run.stderr,
    );
    expect(kept, run.stderr).not.toBeNull();
    expect(fs.existsSync(path.join(REPO, kept![1]))).toBe(true);
    // The README's profile and scan --profile examples have a profile to run on, and the demo names it.
    expect(run.stdout).toContain(`  npx perflens profile ${kept![1]}\n  npx perflens scan --profile ${kept![1]} examples/shop-api\n`);
    const [scan, profile] = run.stdout.split('PerfLens demo — profiling');
    expect(scan).toMatch(/Summary: 11 finding\(s\) in \d+ files .*; \d+ with evidence of growing cost on a path that matters, the others info/);
    // Every finding row carries its evidence, dimmed, in parentheses before the rule id.
    const findingRows = scan!.split('\n').filter((line) => /^\s+\d+:\d+\s+(warning|info)\s/.test(line));
    expect(findingRows).toHaveLength(11);
    for (const row of findingRows) expect(row).toMatch(/\(.+\)\s+[a-z-]+$/);
    expect(profile).toBeDefined();

    // The example's hot functions are shown at their original .ts files (source maps applied).
    // (esbuild's own wrapper and helpers have no original source and keep the bundle's location.)
    const table = profile!.slice(0, profile!.indexOf('hot lines'));
    expect(table).toMatch(/quoteCart\s+examples\/shop-api\/src\/services\/pricingService\.ts:39-66/);
    expect(table).toMatch(/salesCsv\s+examples\/shop-api\/src\/services\/reportService\.ts:22-29/);
    expect(table).not.toMatch(/(quoteCart|salesCsv)\s+\S*shop-load\.js/);

    // scan --profile: the CPU-bound findings carry measured time, hottest first; the I/O ones
    // (which the load does not run) are left out of this list.
    const measured = profile!.slice(profile!.indexOf('Findings ranked by the profile'));
    expect(measured).toMatch(/^Findings ranked by the profile — perflens scan --profile \(4 of 11 ran under this load/);
    const rows = [...measured.matchAll(/^\s+([\d.]+) ms\s+[\d.]+%\s+(info → warning|warning|info)\s+(\S+)\s+(\S+)$/gm)].map(
      ([, ms, level, rule, where]) => ({ ms: Number(ms), level, rule, where }),
    );
    expect(rows.map(({ rule, where }) => `${rule} ${where}`).sort()).toEqual([
      'invariant-in-loop examples/shop-api/src/services/catalogService.ts:29',
      'invariant-in-loop examples/shop-api/src/services/reportService.ts:25',
      'lookup-in-loop examples/shop-api/src/services/pricingService.ts:43',
      'spread-accumulator examples/shop-api/src/services/pricingService.ts:70',
    ]);
    for (const row of rows) expect(row.ms).toBeGreaterThan(0);
    // The two infos whose size the code could not tell are where the load spends a tenth and a quarter of its time:
    // measured, they rise to warnings (src/fusion/measured.ts).
    const levelOf = (where: string): string | undefined => rows.find((row) => row.where.endsWith(where))?.level;
    expect(levelOf('pricingService.ts:43')).toBe('info → warning');
    expect(levelOf('reportService.ts:25')).toBe('info → warning');
    expect(rows.map((row) => row.ms)).toEqual([...rows.map((row) => row.ms)].sort((a, b) => b - a));
  });
});
