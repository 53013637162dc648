/**
 * The precision study's sampler (scripts/precision-sample.mjs): the same scans and seed draw the same
 * sample, and `--cap` keeps any one application from filling the sample.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(__dirname, '../../scripts/precision-sample.mjs');

interface Key {
  key: Record<string, { severity: string; app: string }>;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** Two apps: `big` with 30 warnings and 10 infos, `small` with 5 warnings and 10 infos, in two categories. */
function studyFolder(): { out: string; roots: string[] } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-sample-'));
  made.push(base);
  const out = path.join(base, 'out');
  const roots: string[] = [];
  for (const [app, warnings, infos] of [
    ['big', 30, 10],
    ['small', 5, 10],
  ] as const) {
    const root = path.join(base, app);
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'a.ts'), 'x;\n'.repeat(60));
    const findings = [];
    for (let i = 0; i < warnings + infos; i++) {
      findings.push({
        rule: i % 2 ? 'query-in-loop' : 'nested-scan',
        category: i % 2 ? 'database' : 'complexity',
        severity: i < warnings ? 'warning' : 'info',
        message: `finding ${i}`,
        file: 'a.ts',
        range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 2 } },
      });
    }
    fs.mkdirSync(path.join(out, 'scans'), { recursive: true });
    fs.writeFileSync(path.join(out, 'scans', `${app}.json`), JSON.stringify({ findings }));
    roots.push(root);
  }
  return { out, roots };
}

function draw(out: string, roots: string[], extra: string[] = []): Key {
  const run = spawnSync(
    process.execPath,
    [SCRIPT, 'draw', '--out', out, '--reuse', '--warnings', '12', '--infos', '6', ...extra, ...roots],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(fs.readFileSync(path.join(out, 'key.json'), 'utf8')) as Key;
}

function perApp(key: Key, severity: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of Object.values(key.key))
    if (entry.severity === severity) {
      counts[entry.app] = (counts[entry.app] ?? 0) + 1;
    }
  return counts;
}

describe('precision-sample draw', () => {
  it('draws the same sample from the same scans and seed', () => {
    const { out, roots } = studyFolder();
    const first = draw(out, roots);
    const sheet = fs.readFileSync(path.join(out, 'sheet.md'), 'utf8');
    const second = draw(out, roots);
    expect(second).toEqual(first);
    expect(fs.readFileSync(path.join(out, 'sheet.md'), 'utf8')).toBe(sheet);
    expect(Object.keys(first.key)).toHaveLength(18);
  });

  it('without a cap the big app fills most warnings; with --cap none gives more than the cap', () => {
    const { out, roots } = studyFolder();
    const free = perApp(draw(out, roots), 'warning');
    expect(free.big).toBeGreaterThan(7);
    const capped = draw(out, roots, ['--cap', '7']);
    expect(perApp(capped, 'warning')).toEqual({ big: 7, small: 5 });
    const infos = perApp(capped, 'info');
    expect((infos.big ?? 0) + (infos.small ?? 0)).toBe(6);
  });

  it('refuses a cap that is not a whole number above 0', () => {
    const { out, roots } = studyFolder();
    const run = spawnSync(process.execPath, [SCRIPT, 'draw', '--out', out, '--cap', '0', ...roots], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--cap needs a whole number above 0/);
  });
});
