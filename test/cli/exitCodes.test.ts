/** Every way `perflens` ends: 0 clean, 1 findings, 2 with exactly one `perflens: …` line on stderr. */
import { describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { rulesById } from '../helpers/rules';
import type { Rule } from '../../src/analyzers/rule';
import { BLOCKING_READ, CLEAN, expectOneLineError, run, workspace } from './helpers';
import { shrink } from './fakeRules';

const syncIo = rulesById.get('sync-io-in-async') as Rule;
const rules = [syncIo, shrink];

describe('exit status 0 and 1', () => {
  it('is 0 for a clean scan and says how many files were looked at', () => {
    const root = workspace({ 'src/a.ts': CLEAN, 'src/b.ts': CLEAN });
    const result = run(['scan'], { cwd: root, rules });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('✔ No performance problems found in 2 files.\n');
  });

  it('is 1 when there are findings', () => {
    const root = workspace({ 'src/a.ts': BLOCKING_READ });
    // The blocking reads are infos until a profile measures them: shown with --min-severity info.
    const result = run(['scan', 'src', '--min-severity', 'info'], { cwd: root, rules });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('sync-io-in-async');
  });

  it('is 1 only for a finding shown: infos are hidden by default, and count with --min-severity info', () => {
    const root = workspace({ 'a.ts': 'export const xx = 1;\n', '.perflensrc.json': '{ "rules": { "shrink": "info" } }' });
    const hidden = run(['scan'], { cwd: root, rules });
    expect(hidden.code).toBe(0);
    expect(hidden.stdout).toContain(
      '1 info hidden (the size of their data or where they run is unknown): show them with --min-severity info.',
    );
    expect(run(['scan', '--min-severity', 'info'], { cwd: root, rules }).code).toBe(1);
    expect(run(['scan', '--min-severity', 'error'], { cwd: root, rules: rules }).code).toBe(0);
    const json = JSON.parse(run(['scan', '--format', 'json'], { cwd: root, rules }).stdout) as { findings: unknown[]; hidden: unknown };
    expect(json).toMatchObject({ findings: [], hidden: { info: 1 } });
  });

  it('refuses an unknown --min-severity with the choices, and names the one an ESLint user meant', () => {
    const result = run(['scan', '--min-severity', 'warn'], { cwd: process.cwd(), rules });
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(
      'perflens: unknown severity "warn" (did you mean "warning"?) for --min-severity: expected error, warning, info',
    );
    const unrelated = run(['scan', '--min-severity', 'loud'], { cwd: process.cwd(), rules });
    expect(expectOneLineError(unrelated)).toBe('perflens: unknown severity "loud" for --min-severity: expected error, warning, info');
  });

  it('runs the shipped rules when none are injected', () => {
    const root = workspace({ 'a.ts': CLEAN });
    expect(run(['scan', 'a.ts'], { cwd: root })).toMatchObject({ code: 0, stderr: '' });
  });

  it('prints the version from package.json', () => {
    expect(run(['--version'], { cwd: process.cwd() })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([[['--help']], [['-h']], [['help']]])('prints the general help for %j', (argv) => {
    const result = run(argv, { cwd: process.cwd() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: perflens <command>/);
  });

  it.each([[['scan', '--help']], [['scan', 'src', '-h', '--format', 'json']], [['help', 'scan']]])(
    'prints the scan help for %j',
    (argv) => {
      const result = run(argv, { cwd: process.cwd() });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: perflens scan/);
      expect(result.stdout).toContain('--format text|json|sarif');
    },
  );

  it('prints the fix help', () => {
    expect(run(['fix', '--help'], { cwd: process.cwd() }).stdout).toMatch(/^Usage: perflens fix/);
  });
});

describe('exit status 2', () => {
  const cases: Array<[string[], string]> = [
    [[], 'perflens: missing command: expected scan, fix, profile, or help (see perflens --help)'],
    [['lint'], 'perflens: unknown command "lint": expected scan, fix, profile, or help (see perflens --help)'],
    [['scna'], 'perflens: unknown command "scna" (did you mean "scan"?): expected scan, fix, profile, or help (see perflens --help)'],
    [['--format', 'json'], 'perflens: unknown option --format before the command (see perflens --help)'],
    [['help', 'lint'], 'perflens: no help for "lint": expected scan, fix, or profile (perflens help COMMAND)'],
    [['scan', '--bogus'], 'perflens: unknown option --bogus (see perflens scan --help)'],
    [['scan', '--fromat', 'json'], 'perflens: unknown option --fromat (did you mean "--format"?) (see perflens scan --help)'],
    [['fix', '-x'], 'perflens: unknown option -x (see perflens fix --help)'],
    [['scan', '--format'], 'perflens: --format needs a value (see perflens scan --help)'],
    [['scan', '--format', '--fix'], 'perflens: --format needs a value (see perflens scan --help)'],
    [['scan', '--format='], 'perflens: --format needs a value (see perflens scan --help)'],
    [['scan', '--format', 'xml'], 'perflens: unknown format "xml": expected text, json, sarif'],
    [['scan', '--format', 'jsno'], 'perflens: unknown format "jsno" (did you mean "json"?): expected text, json, sarif'],
    [['scan', '--format', 'json', '--format', 'sarif'], 'perflens: --format given twice with different values (json, sarif)'],
    [['scan', '--fix=yes'], 'perflens: --fix takes no value (got "yes")'],
    [['scan', '--rule', 'sync-io-in-asnyc'], 'perflens: unknown rule "sync-io-in-asnyc" (did you mean "sync-io-in-async"?)'],
    [['scan', '--rule', 'shrink,no-such-thing'], 'perflens: unknown rule "no-such-thing" (docs/rules/README.md lists them)'],
    [['scan', '--rule', 'shrink,,sync-io-in-async'], 'perflens: --rule has an empty entry (use --rule a,b or repeat --rule)'],
    [
      ['scan', '--category', 'dtabase'],
      'perflens: unknown category "dtabase" (did you mean "database"?): expected one of complexity, database, sync-io, concurrency, caching, memory',
    ],
    // No rule was ever in `network`: the category is gone, so asking for it is a mistake, not "no problems found".
    [
      ['scan', '--category', 'network'],
      'perflens: unknown category "network": expected one of complexity, database, sync-io, concurrency, caching, memory',
    ],
    [
      ['scan', '--rule', 'sync-io-in-async', '--category', 'database'],
      'perflens: rule "sync-io-in-async" is in category sync-io, which --category database leaves out',
    ],
    [['scan', 'missing.ts'], 'perflens: no such file or folder: missing.ts'],
    [['scan', 'src', 'nope/'], 'perflens: no such file or folder: nope/'],
    [['scan', '--config', 'nope.json'], 'perflens: no such config file: nope.json'],
    [
      ['scan', '--fix', '--profile', 'run.cpuprofile'],
      'perflens: --profile cannot be combined with --fix: rank with perflens scan --profile, then fix',
    ],
  ];

  it.each(cases)('%j → %s', (argv, line) => {
    const root = workspace({ 'src/a.ts': BLOCKING_READ });
    const result = run(argv, { cwd: root, rules });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(expectOneLineError(result)).toBe(line);
  });

  it.each([
    [['scan', 'empty'], 'empty'],
    [['scan', 'dist'], 'dist'],
    [['scan', 'docs', 'empty'], 'docs, empty'],
  ])('%j finds nothing to scan (empty, ignored or no sources): exit 2', (argv, named) => {
    const root = workspace({
      'src/a.ts': BLOCKING_READ,
      '.gitignore': 'dist/\n',
      'dist/bundle.js': 'xx;\n',
      'empty/.keep': '',
      'docs/README.md': '# docs\n',
    });
    const result = run(argv, { cwd: root, rules });
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(
      `perflens: no JavaScript or TypeScript files to scan in ${named} (files ignored by .gitignore or the config are left out)`,
    );
  });

  /** A rule whose meta cannot be read fails outside the engine's per-rule isolation. */
  const exploding: Rule = {
    get meta(): Rule['meta'] {
      throw new Error('meta exploded\nwith a second line');
    },
    check: () => ({}),
  };

  it('turns an unexpected internal error into one line without a stack (its line break shown as \\n)', () => {
    const root = workspace({ 'a.ts': CLEAN });
    const result = run(['scan'], { cwd: root, rules: [exploding] });
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(
      'perflens: internal error: meta exploded\\nwith a second line (set PERFLENS_DEBUG=1 for the stack trace)',
    );
  });

  it('adds the stack only with PERFLENS_DEBUG=1', () => {
    const root = workspace({ 'a.ts': CLEAN });
    const result = run(['scan'], { cwd: root, rules: [exploding], env: { PERFLENS_DEBUG: '1' } });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('perflens: internal error: meta exploded\\nwith a second line');
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});
