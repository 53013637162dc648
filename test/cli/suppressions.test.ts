/**
 * Bulk suppressions (perflens-suppressions.json), as ESLint's: record today's findings, report only
 * what goes beyond them, prune what was fixed; counts per file and rule; a bad file stops the scan
 * with one line and nothing written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/analyzers/rule';
import { rulesById } from '../helpers/rules';
import { validSarif } from '../helpers/sarif';
import { BLOCKING_READ, expectOneLineError, read, run, workspace } from './helpers';
import { marked, shrink } from './fakeRules';

const syncIo = rulesById.get('sync-io-in-async') as Rule;
const rules = [marked, shrink, syncIo];
const FILE = 'perflens-suppressions.json';

/** `marked;` `count` times, one a line: the finding of line n is at n:1. */
function markedLines(count: number): string {
  return 'marked;\n'.repeat(count);
}

function scan(argv: string[], cwd: string) {
  return run(['scan', ...argv], { cwd, rules });
}

function json(argv: string[], cwd: string) {
  const result = scan(['--format', 'json', ...argv], cwd);
  return { ...result, json: JSON.parse(result.stdout) as Record<string, unknown> };
}

function recorded(root: string, name = FILE): unknown {
  return JSON.parse(read(root, name));
}

describe('perflens scan --suppress-all', () => {
  it('records today findings; a later scan reports exactly the one new problem and exits 1', () => {
    const root = workspace({ 'src/a.ts': markedLines(2), 'src/load.ts': BLOCKING_READ, 'src/clean.ts': 'export const x = 1;\n' });
    const adopt = scan(['--suppress-all'], root);
    expect(adopt.code).toBe(0);
    expect(adopt.stderr).toBe(`perflens: recorded 3 findings in 2 files in ${FILE}\n`);
    expect(adopt.stdout).toBe(`✔ No performance problems found in 3 files.\n3 findings suppressed by ${FILE}.\n`);
    expect(read(root, FILE)).toBe(
      '{\n' +
        '  "src/a.ts": {\n    "marked": {\n      "count": 2\n    }\n  },\n' +
        '  "src/load.ts": {\n    "sync-io-in-async": {\n      "count": 1\n    }\n  }\n' +
        '}\n',
    );

    expect(scan([], root)).toMatchObject({ code: 0, stderr: '' });

    fs.writeFileSync(path.join(root, 'src/new.ts'), 'export function f() {\n  return marked;\n}\n');
    const later = json([], root);
    expect(later.code).toBe(1);
    expect(later.stderr).toBe('');
    expect(later.json.suppressed).toBe(3);
    expect(later.json.unusedSuppressions).toEqual([]);
    const findings = later.json.findings as Array<Record<string, unknown>>;
    expect(findings.map((finding) => [finding.rule, finding.messageId, finding.file, finding.range])).toEqual([
      ['marked', 'found', 'src/new.ts', { start: { line: 2, column: 10 }, end: { line: 2, column: 16 } }],
    ]);
  });
});

describe('counts per file and rule', () => {
  function adopted(count: number): string {
    const root = workspace({ 'a.ts': markedLines(count), 'b.ts': markedLines(1) });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    return root;
  }

  it('suppresses as many findings as recorded, wherever they moved in the file', () => {
    const root = adopted(2);
    fs.writeFileSync(path.join(root, 'a.ts'), `// moved down\n\n${markedLines(2)}`);
    expect(scan([], root)).toMatchObject({ code: 0, stderr: '' });
  });

  it('reports every finding of a file and rule when more are found than recorded: a count cannot tell which is new', () => {
    const root = adopted(2);
    fs.writeFileSync(path.join(root, 'a.ts'), markedLines(3));
    const { code, json: report } = json([], root);
    expect(code).toBe(1);
    const findings = report.findings as Array<{ file: string; range: { start: unknown } }>;
    expect(findings.map((finding) => [finding.file, finding.range.start])).toEqual([
      ['a.ts', { line: 1, column: 1 }],
      ['a.ts', { line: 2, column: 1 }],
      ['a.ts', { line: 3, column: 1 }],
    ]);
    // The other file's record still holds.
    expect(report.suppressed).toBe(1);
  });

  it('counts each rule apart: a new rule in a recorded file is reported', () => {
    const root = adopted(1);
    fs.writeFileSync(path.join(root, 'a.ts'), `${markedLines(1)}${BLOCKING_READ}`);
    // The blocking read is an info until a profile measures it: shown with --min-severity info.
    const { code, json: report } = json(['--min-severity', 'info'], root);
    expect(code).toBe(1);
    expect((report.findings as Array<{ rule: string }>).map((finding) => finding.rule)).toEqual(['sync-io-in-async']);
    expect(report.suppressed).toBe(2);
  });

  it('ends with status 2 when recorded findings no longer occur, as ESLint does, unless passed on', () => {
    const root = adopted(2);
    fs.writeFileSync(path.join(root, 'a.ts'), markedLines(1));
    const stale = scan([], root);
    expect(stale.code).toBe(2);
    expect(expectOneLineError(stale)).toBe(
      `perflens: ${FILE} records 1 finding that no longer occurs (a.ts marked ×1): ` +
        'remove them with --prune-suppressions, or ignore them with --pass-on-unpruned-suppressions',
    );
    expect(stale.stdout).toContain(`2 findings suppressed by ${FILE}; 1 recorded no longer occurs.`);
    expect(scan(['--pass-on-unpruned-suppressions'], root)).toMatchObject({ code: 0, stderr: '' });

    const { json: report } = json(['--pass-on-unpruned-suppressions'], root);
    expect(report.unusedSuppressions).toEqual([{ file: 'a.ts', rule: 'marked', count: 1 }]);
  });

  it('judges only what the scan looked at: other paths, and rules that did not run, are neither stale nor reported', () => {
    const root = adopted(2);
    fs.writeFileSync(path.join(root, 'a.ts'), 'export const x = 1;\n');
    expect(scan(['b.ts'], root)).toMatchObject({ code: 0, stderr: '' });
    expect(scan(['--rule', 'sync-io-in-async'], root)).toMatchObject({ code: 0, stderr: '' });
  });

  it('never judges a file it could not fully analyse, and --suppress-all keeps its counts', () => {
    const root = adopted(2);
    fs.writeFileSync(path.join(root, 'a.ts'), 'const x = {;\n');
    const broken = json([], root);
    expect(broken.code).toBe(0);
    expect(broken.json.unusedSuppressions).toEqual([]);
    expect(scan(['--suppress-all'], root).code).toBe(0);
    expect(recorded(root)).toEqual({ 'a.ts': { marked: { count: 2 } }, 'b.ts': { marked: { count: 1 } } });
  });

  it('counts an entry of a file that no longer exists, or of a rule no rule has, as stale', () => {
    const root = adopted(1);
    fs.rmSync(path.join(root, 'b.ts'));
    fs.writeFileSync(
      path.join(root, FILE),
      JSON.stringify({ 'a.ts': { marked: { count: 1 }, 'retired-rule': { count: 2 } }, 'b.ts': { marked: { count: 1 } } }),
    );
    const { code, json: report } = json([], root);
    expect(code).toBe(2);
    expect(report.unusedSuppressions).toEqual([
      { file: 'a.ts', rule: 'retired-rule', count: 2, reason: 'unknown rule' },
      { file: 'b.ts', rule: 'marked', count: 1, reason: 'file missing' },
    ]);
  });
});

describe('perflens scan --prune-suppressions', () => {
  it('lowers counts to what is found after a fix; fixed files and deleted files drop out', () => {
    const root = workspace({ 'a.ts': markedLines(3), 'b.ts': markedLines(1), 'c.ts': markedLines(1) });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    fs.writeFileSync(path.join(root, 'a.ts'), markedLines(1));
    fs.writeFileSync(path.join(root, 'b.ts'), 'export const fixed = true;\n');
    fs.rmSync(path.join(root, 'c.ts'));

    const pruned = scan(['--prune-suppressions'], root);
    expect(pruned).toMatchObject({ code: 0, stderr: `perflens: pruned 4 recorded findings that no longer occur from ${FILE} (1 left)\n` });
    expect(recorded(root)).toEqual({ 'a.ts': { marked: { count: 1 } } });
    expect(scan([], root)).toMatchObject({ code: 0, stderr: '' });

    // Nothing left to prune: the file is not rewritten.
    const before = fs.statSync(path.join(root, FILE));
    expect(scan(['--prune-suppressions'], root)).toMatchObject({
      code: 0,
      stderr: `perflens: nothing to prune in ${FILE} (1 recorded finding)\n`,
    });
    expect(fs.statSync(path.join(root, FILE)).ino).toBe(before.ino);
  });

  it('never raises a count: findings beyond the record stay reported', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    fs.writeFileSync(path.join(root, 'a.ts'), markedLines(2));
    expect(scan(['--prune-suppressions'], root).code).toBe(1);
    expect(recorded(root)).toEqual({ 'a.ts': { marked: { count: 1 } } });
  });

  it('follows ESLint with --fix: suppressed findings are fixed too, and perflens fix --prune-suppressions drops them from the record', () => {
    const root = workspace({ 'a.ts': 'export const xx = 1;\n', 'b.ts': markedLines(1) });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    expect(recorded(root)).toEqual({ 'a.ts': { shrink: { count: 1 } }, 'b.ts': { marked: { count: 1 } } });
    const fixed = run(['fix', '--prune-suppressions'], { cwd: root, rules });
    expect(fixed.code).toBe(0);
    expect(read(root, 'a.ts')).toBe('export const x = 1;\n');
    expect(recorded(root)).toEqual({ 'b.ts': { marked: { count: 1 } } });
  });

  it('needs a file to prune', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    const result = scan(['--prune-suppressions'], root);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(`perflens: no suppressions file ${FILE} to prune: record one with --suppress-all`);
    expect(fs.existsSync(path.join(root, FILE))).toBe(false);
  });
});

describe('recording', () => {
  it('writes sorted keys and the same bytes for the same findings, and leaves an unchanged file alone', () => {
    const root = workspace({ 'z.ts': markedLines(1), 'a/b.ts': `${BLOCKING_READ}${markedLines(1)}` });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    const first = read(root, FILE);
    expect(Object.keys(JSON.parse(first) as object)).toEqual(['a/b.ts', 'z.ts']);
    expect(Object.keys((JSON.parse(first) as Record<string, object>)['a/b.ts'])).toEqual(['marked', 'sync-io-in-async']);
    const before = fs.statSync(path.join(root, FILE));
    const again = scan(['--suppress-all'], root);
    expect(again.stderr).toBe(`perflens: ${FILE} already records these findings (unchanged: 3 findings in 2 files)\n`);
    expect(read(root, FILE)).toBe(first);
    expect(fs.statSync(path.join(root, FILE)).ino).toBe(before.ino);
  });

  it('replaces the file atomically and leaves no temporary copy', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    const before = fs.statSync(path.join(root, FILE));
    fs.writeFileSync(path.join(root, 'a.ts'), markedLines(2));
    expect(scan(['--suppress-all'], root).code).toBe(0);
    expect(fs.statSync(path.join(root, FILE)).ino).not.toBe(before.ino);
    expect(recorded(root)).toEqual({ 'a.ts': { marked: { count: 2 } } });
    expect(fs.readdirSync(root).filter((name) => name.includes('.perflens-'))).toEqual([]);
  });

  it('keeps the entries of files the scan did not look at', () => {
    const root = workspace({ 'a.ts': markedLines(1), 'b.ts': markedLines(2) });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    fs.writeFileSync(path.join(root, 'a.ts'), markedLines(3));
    expect(scan(['--suppress-all', 'a.ts'], root).code).toBe(0);
    expect(recorded(root)).toEqual({ 'a.ts': { marked: { count: 3 } }, 'b.ts': { marked: { count: 2 } } });
  });

  it('--suppress-rule records only the rules named and keeps the others as they were', () => {
    const root = workspace({ 'a.ts': `${BLOCKING_READ}${markedLines(2)}` });
    fs.writeFileSync(path.join(root, FILE), JSON.stringify({ 'a.ts': { marked: { count: 1 } } }));
    const result = json(['--suppress-rule', 'sync-io-in-async'], root);
    expect(result.stderr).toBe(`perflens: recorded 1 finding in ${FILE}, which now holds 2 findings in 1 file\n`);
    expect(recorded(root)).toEqual({ 'a.ts': { marked: { count: 1 }, 'sync-io-in-async': { count: 1 } } });
    // marked: 2 found, 1 recorded → both reported.
    expect(result.code).toBe(1);
    expect((result.json.findings as Array<{ rule: string }>).map((finding) => finding.rule)).toEqual(['marked', 'marked']);
  });

  it.each([
    [
      ['--suppress-all', '--suppress-rule', 'marked'],
      '--suppress-all and --suppress-rule cannot be combined: --suppress-all records every rule',
    ],
    [
      ['--suppress-all', '--prune-suppressions'],
      '--prune-suppressions cannot be combined with --suppress-all: record or prune, one at a time',
    ],
    [
      ['--suppress-rule', 'marked', '--prune-suppressions'],
      '--prune-suppressions cannot be combined with --suppress-rule: record or prune, one at a time',
    ],
    [['--suppress-rule', 'markd'], 'unknown rule "markd" (did you mean "marked"?)'],
    [['--rule', 'marked', '--suppress-rule', 'shrink'], '--suppress-rule shrink names a rule that --rule marked does not run'],
    [['--suppressions-location'], '--suppressions-location needs a value (see perflens scan --help)'],
  ])('refuses %j', (argv, message) => {
    const root = workspace({ 'a.ts': markedLines(1) });
    const result = scan(argv, root);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(`perflens: ${message}`);
    expect(fs.existsSync(path.join(root, FILE))).toBe(false);
  });
});

describe('where the file is', () => {
  it('holds paths relative to its own folder, so a clone elsewhere and a scan from a subfolder read it the same', () => {
    const root = workspace({ 'app/src/a.ts': markedLines(2), 'app/src/b.ts': markedLines(1) });
    const app = path.join(root, 'app');
    expect(run(['scan', '--suppress-all'], { cwd: app, rules }).code).toBe(0);
    expect(recorded(app)).toEqual({ 'src/a.ts': { marked: { count: 2 } }, 'src/b.ts': { marked: { count: 1 } } });

    const clone = path.join(root, 'elsewhere', 'clone');
    fs.cpSync(app, clone, { recursive: true });
    fs.writeFileSync(path.join(clone, 'src/c.ts'), markedLines(1));
    const there = run(['scan', '--format', 'json'], { cwd: clone, rules });
    expect(there.code).toBe(1);
    expect((JSON.parse(there.stdout) as { findings: Array<{ file: string }> }).findings.map((finding) => finding.file)).toEqual([
      'src/c.ts',
    ]);

    const fromSub = run(['scan', '--suppressions-location', `../${FILE}`, '.'], { cwd: path.join(clone, 'src'), rules });
    expect(fromSub.code).toBe(1);
    expect(fromSub.stdout).toContain('c.ts');
    expect(fromSub.stdout).not.toContain('a.ts');
    expect(fromSub.stdout).toContain(`3 findings suppressed by ../${FILE}.`);
  });

  it('--suppressions-location writes and reads the file named', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    expect(scan(['--suppress-all', '--suppressions-location', 'ci/baseline.json'], root).code).toBe(2);
    fs.mkdirSync(path.join(root, 'ci'));
    expect(scan(['--suppress-all', '--suppressions-location', 'ci/baseline.json'], root).code).toBe(0);
    expect(recorded(root, 'ci/baseline.json')).toEqual({ '../a.ts': { marked: { count: 1 } } });
    expect(scan(['--suppressions-location', 'ci/baseline.json'], root)).toMatchObject({ code: 0, stderr: '' });
    // Without the flag the default location is read, and there is none.
    expect(scan([], root).code).toBe(1);
  });

  it('a location named but missing is a mistake, as in ESLint', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    const result = scan(['--suppressions-location', 'baseline.json'], root);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe('perflens: no suppressions file baseline.json: record one with --suppress-all');
  });
});

describe('a bad suppressions file', () => {
  const bad: Array<[string, string, string]> = [
    ['truncated', '{ "a.ts": { "marked": { "count"', 'the JSON ends early (truncated?)'],
    ['truncated to nothing', '', 'the JSON ends early (truncated?)'],
    ['not JSON', '{ "a.ts": oops }', 'not valid JSON'],
    ['a missing colon', '{ "a.ts" 1 }', 'not valid JSON at character 10'],
    ['an array', '[]', 'expected { "<file>": { "<rule>": { "count": <positive integer> } } }'],
    ['a count of 0', '{ "a.ts": { "marked": { "count": 0 } } }', '"a.ts" → "marked" must be { "count": <positive integer> }'],
    ['a count as text', '{ "a.ts": { "marked": { "count": "2" } } }', '"a.ts" → "marked" must be { "count": <positive integer> }'],
    ['a bare number', '{ "a.ts": { "marked": 2 } }', '"a.ts" → "marked" must be { "count": <positive integer> }'],
    [
      'an absolute path',
      '{ "/etc/a.ts": { "marked": { "count": 1 } } }',
      '"/etc/a.ts" is not a path relative to the file\'s folder with / separators',
    ],
    [
      'a backslash path',
      '{ "src\\\\a.ts": { "marked": { "count": 1 } } }',
      '"src\\a.ts" is not a path relative to the file\'s folder with / separators',
    ],
    [
      'a file twice',
      '{ "a.ts": { "marked": { "count": 1 } }, "./a.ts": { "marked": { "count": 1 } } }',
      '"./a.ts" names a file listed before',
    ],
  ];

  it.each(bad)('%s: exit 2 with one line, nothing scanned, fixed or overwritten', (_name, text, reason) => {
    const root = workspace({ 'a.ts': 'export const xx = 1;\n', [FILE]: text });
    for (const argv of [[], ['--suppress-all'], ['--prune-suppressions'], ['--fix']]) {
      const result = scan(argv, root);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(expectOneLineError(result)).toBe(`perflens: ${FILE}: ${reason}`);
      expect(read(root, FILE)).toBe(text);
      expect(read(root, 'a.ts')).toBe('export const xx = 1;\n');
    }
  });

  it('a folder at its place: exit 2, named as such', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    fs.mkdirSync(path.join(root, FILE));
    for (const argv of [[], ['--suppress-all']]) {
      const result = scan(argv, root);
      expect(result.code).toBe(2);
      expect(expectOneLineError(result)).toBe(`perflens: ${FILE} is a folder, not a suppressions file: nothing was scanned or written`);
      expect(fs.statSync(path.join(root, FILE)).isDirectory()).toBe(true);
    }
  });
});

describe('sarif', () => {
  it('marks suppressed results external and unchanged, reported ones new, and stale counts as notifications', () => {
    const root = workspace({ 'a.ts': markedLines(2), 'b.ts': markedLines(1) });
    expect(scan(['--suppress-all'], root).code).toBe(0);
    fs.writeFileSync(path.join(root, 'a.ts'), markedLines(1));
    fs.writeFileSync(path.join(root, 'c.ts'), markedLines(1));
    const result = scan(['--format', 'sarif', '--pass-on-unpruned-suppressions'], root);
    expect(result.code).toBe(1);
    const run0 = validSarif(result.stdout).runs[0];
    const states = (run0.results ?? []).map((entry: Sarif.Result) => [
      entry.locations?.[0].physicalLocation?.artifactLocation?.uri,
      entry.baselineState,
      entry.suppressions,
    ]);
    const external = {
      kind: 'external',
      status: 'accepted',
      justification: `recorded in ${FILE}`,
      location: { physicalLocation: { artifactLocation: { uri: FILE, uriBaseId: '%SRCROOT%' } } },
    };
    expect(states).toEqual([
      ['c.ts', 'new', []],
      ['a.ts', 'unchanged', [external]],
      ['b.ts', 'unchanged', [external]],
    ]);
    const notifications = run0.invocations?.[0].toolExecutionNotifications ?? [];
    expect(notifications.map((notification) => notification.message.text)).toEqual([
      `${FILE} records 1 marked finding here that no longer occurs: run perflens scan --prune-suppressions`,
    ]);
    expect(notifications[0].locations?.[0].physicalLocation?.artifactLocation).toEqual({ uri: 'a.ts', uriBaseId: '%SRCROOT%' });
  });

  it('says nothing of suppressions or baselines without a suppressions file', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    const result = validSarif(scan(['--format', 'sarif'], root).stdout);
    const [only] = result.runs[0].results ?? [];
    expect(only.suppressions).toBeUndefined();
    expect(only.baselineState).toBeUndefined();
  });
});

describe('json', () => {
  it('adds suppressed and unusedSuppressions only when a suppressions file applies', () => {
    const root = workspace({ 'a.ts': markedLines(1) });
    expect(Object.keys(json([], root).json)).toEqual(['tool', 'version', 'files', 'durationMs', 'findings', 'errors', 'skipped']);
    expect(scan(['--suppress-all'], root).code).toBe(0);
    const { json: report } = json([], root);
    expect(Object.keys(report)).toEqual([
      'tool',
      'version',
      'files',
      'durationMs',
      'findings',
      'errors',
      'skipped',
      'suppressed',
      'unusedSuppressions',
    ]);
    expect(report).toMatchObject({ findings: [], suppressed: 1, unusedSuppressions: [] });
  });
});
