/**
 * The built `dist/cli.js`, spawned as users run it: the shebang, the inlined version, real exit
 * codes and streams. The global setup (test/globalSetup.ts) rebuilds dist/ when it is older than src/.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { HUNG_MS } from '../helpers/hung';
import { BLOCKING_READ, CLEAN, FIXED_READ, read, workspace } from './helpers';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');

function perflens(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, PERFLENS_DEBUG: _debug, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...inherited, ...env }, timeout: HUNG_MS });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dist/cli.js', () => {
  it('is an executable script for node', () => {
    expect(fs.readFileSync(CLI, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
  });

  it('prints the version it was built with, from any folder', () => {
    const root = workspace({});
    expect(perflens(['--version'], root)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 0 on a clean folder', () => {
    const root = workspace({ 'a.ts': CLEAN });
    expect(perflens(['scan', '--rule', 'sync-io-in-async'], root)).toEqual({
      code: 0,
      stdout: '✔ No performance problems found in 1 file.\n',
      stderr: '',
    });
  });

  it('exits 1 with findings, as json', () => {
    const root = workspace({ 'src/load.ts': BLOCKING_READ });
    const result = perflens(['scan', 'src', '--rule', 'sync-io-in-async', '--format', 'json', '--min-severity', 'info'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as { version: string; findings: Array<{ file: string; rule: string }> };
    expect(json.version).toBe(version);
    expect(json.findings.map((f) => [f.file, f.rule])).toEqual([['src/load.ts', 'sync-io-in-async']]);
  });

  it('colours nothing when piped', () => {
    const root = workspace({ 'src/load.ts': BLOCKING_READ });
    const result = perflens(['scan', '--rule', 'sync-io-in-async', '--min-severity', 'info'], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('src/load.ts\n  4:16  info  ');
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('exits 2 with one line on stderr for a bad flag, a bad path and a bad config', () => {
    const root = workspace({ 'a.ts': CLEAN, 'bad.json': '{ "rules": [] }' });
    for (const args of [
      ['scan', '--frmat', 'json'],
      ['scan', 'nowhere'],
      ['scan', '--config', 'bad.json'],
    ]) {
      const result = perflens(args, root);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^perflens: [^\n]+\n$/);
    }
  });

  it('fixes files in place', () => {
    const root = workspace({ 'src/load.ts': BLOCKING_READ });
    expect(perflens(['fix', '--rule', 'sync-io-in-async'], root).code).toBe(0);
    expect(read(root, 'src/load.ts')).toBe(FIXED_READ);
  });
});
