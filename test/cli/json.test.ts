/** `--format json` against DESIGN's contract, key for key. */
import { describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { rulesById } from '../helpers/rules';
import { SYNC_STALL_MEASURED, type Rule } from '../../src/analyzers/rule';
import { BLOCKING_EXEC, BLOCKING_READ, expectOneLineError, run, workspace } from './helpers';
import { crashes, shrink } from './fakeRules';

const syncIo = rulesById.get('sync-io-in-async') as Rule;
const rules = [syncIo, shrink, crashes];

function scanJson(argv: string[], cwd: string, options: { rules?: readonly Rule[] } = {}): { code: number; json: Record<string, unknown> } {
  // Infos shown: the blocking reads of the fixtures are infos until a profile measures them (SYNC_STALL_MEASURED).
  const result = run(['scan', '--format', 'json', '--min-severity', 'info', ...argv], { cwd, rules: options.rules ?? rules });
  expect(result.stderr).toBe('');
  return { code: result.code, json: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe('json format', () => {
  it('prints exactly the contract object', () => {
    const root = workspace({ 'src/orders/load.ts': BLOCKING_READ, 'src/exec.ts': BLOCKING_EXEC });
    const { code, json } = scanJson([], root);
    expect(code).toBe(1);
    expect(Object.keys(json)).toEqual(['tool', 'version', 'files', 'durationMs', 'findings', 'errors', 'skipped']);
    expect(json.tool).toBe('perflens');
    expect(json.version).toBe(version);
    expect(json.files).toBe(2);
    expect(Number.isInteger(json.durationMs) && (json.durationMs as number) >= 0).toBe(true);
    expect(json.errors).toEqual([]);
    expect(json.skipped).toEqual([]);

    const findings = json.findings as Array<Record<string, unknown>>;
    expect(findings).toHaveLength(2);
    for (const finding of findings) {
      expect(Object.keys(finding)).toEqual([
        'rule',
        'category',
        'severity',
        'message',
        'note',
        'messageId',
        'file',
        'range',
        'impact',
        'effort',
        'fixes',
        'hotness',
        'evidence',
      ]);
      expect(finding.hotness).toBeNull();
      // A blocking call per entry of a directory listing on a request path: the listing grows, and the evidence says so;
      // how long the stall is only a measurement says: an info.
      expect(finding.severity).toBe('info');
      expect(finding.evidence).toEqual({
        scale: 'grows',
        context: 'request',
        reasons: [
          expect.stringMatching(/ is a directory listing \(readdir\)$/),
          expect.stringMatching(/^runs in the GET \/(commits|templates) handler, which calls (currentCommits|loadTemplates)\(\)$/),
          SYNC_STALL_MEASURED,
        ],
      });
    }
    // Discovery order is by path: src/exec.ts before src/orders/load.ts.
    const [exec, read] = findings;
    expect(read).toMatchObject({
      rule: 'sync-io-in-async',
      messageId: 'blocking',
      category: 'sync-io',
      severity: 'info',
      file: 'src/orders/load.ts',
      range: { start: { line: 4, column: 16 }, end: { line: 4, column: 65 } },
      impact: syncIo.meta.impact,
      effort: syncIo.meta.effort,
    });
    expect(read.message).toMatch(/^fs\.readFileSync blocks the event loop/);
    expect(read.note).toMatch(/^Use await fs\.promises\.readFile/);
    expect(read.fixes).toEqual([{ title: expect.any(String), safe: true }]);
    expect(exec).toMatchObject({ file: 'src/exec.ts', fixes: [] });
  });

  it('gives 1-based lines and columns: a finding at the very start is 1:1', () => {
    const root = workspace({ 'a.ts': 'xx;\n' });
    const { json } = scanJson([], root);
    expect((json.findings as Array<{ range: unknown }>)[0].range).toEqual({ start: { line: 1, column: 1 }, end: { line: 1, column: 3 } });
  });

  it('names files relative to the working directory with /, wherever the paths point', () => {
    const root = workspace({ 'pkg/src/a.ts': 'xx;\n' });
    const fromSrc = scanJson(['.'], `${root}/pkg/src`).json;
    expect((fromSrc.findings as Array<{ file: string }>)[0].file).toBe('a.ts');
    const fromRoot = scanJson([`${root}/pkg`], root).json;
    expect((fromRoot.findings as Array<{ file: string }>)[0].file).toBe('pkg/src/a.ts');
    const fromElsewhere = scanJson(['../src'], `${root}/pkg/src`).json;
    expect((fromElsewhere.findings as Array<{ file: string }>)[0].file).toBe('a.ts');
    const outside = scanJson(['../../pkg/src/a.ts'], `${root}/pkg/src`).json;
    expect((outside.findings as Array<{ file: string }>)[0].file).toBe('a.ts');
  });

  it('lists unreadable files in errors (a rule crash names the rule) and skipped files with a reason', () => {
    const root = workspace({ 'a.ts': 'const x = {;\n', 'b.ts': 'export function boom() {}\n', 'c.js': Buffer.from([0x00]) });
    const { code, json } = scanJson([], root);
    expect(code).toBe(0);
    expect(json.files).toBe(2);
    expect(json.errors).toEqual([
      { file: 'a.ts', message: 'syntax error at 1:12: Property assignment expected.' },
      { file: 'b.ts', message: 'rule crashes failed: kaboom', rule: 'crashes' },
    ]);
    expect(json.skipped).toEqual([{ file: 'c.js', reason: 'binary file (contains NUL bytes)' }]);
  });
});

describe('selecting rules', () => {
  const files = { 'a.ts': `${BLOCKING_READ}export const xx = 1;\n` };
  const rulesOf = (json: Record<string, unknown>): string[] => (json.findings as Array<{ rule: string }>).map((f) => f.rule);

  it('runs every rule by default', () => {
    expect(rulesOf(scanJson([], workspace(files)).json)).toEqual(['sync-io-in-async', 'shrink']);
  });

  it('--rule runs only the named rules, repeated or comma-separated', () => {
    const root = workspace(files);
    expect(rulesOf(scanJson(['--rule', 'shrink'], root).json)).toEqual(['shrink']);
    expect(rulesOf(scanJson(['--rule', 'shrink,sync-io-in-async'], root).json)).toEqual(['sync-io-in-async', 'shrink']);
    expect(rulesOf(scanJson(['--rule', 'shrink', '--rule=sync-io-in-async'], root).json)).toEqual(['sync-io-in-async', 'shrink']);
  });

  it('--category runs only rules of those categories', () => {
    const root = workspace(files);
    expect(rulesOf(scanJson(['--category', 'sync-io'], root).json)).toEqual(['sync-io-in-async']);
    expect(rulesOf(scanJson(['--category', 'caching'], root).json)).toEqual(['shrink']);
    expect(rulesOf(scanJson(['--category', 'database'], root).json)).toEqual([]);
    expect(rulesOf(scanJson(['--category', 'database,caching'], root).json)).toEqual(['shrink']);
  });

  it('--rule runs a rule even when the config turned it off', () => {
    const root = workspace({ ...files, '.perflensrc.json': '{ "rules": { "shrink": "off" } }' });
    expect(rulesOf(scanJson([], root).json)).toEqual(['sync-io-in-async']);
    expect(rulesOf(scanJson(['--rule', 'shrink'], root).json)).toEqual(['shrink']);
  });
});

describe('config', () => {
  it('uses the nearest .perflensrc.json above the working directory', () => {
    const root = workspace({ 'src/a.ts': 'xx;\n', '.perflensrc.json': '{ "rules": { "shrink": "error" } }' });
    const { json } = scanJson(['.'], `${root}/src`);
    expect((json.findings as Array<{ severity: string }>)[0].severity).toBe('error');
  });

  it('uses the config of the scanned folder, wherever it is run from', () => {
    const root = workspace({ 'app/a.ts': 'xx;\n', 'app/.perflensrc.json': '{ "rules": { "shrink": "error" } }', 'elsewhere/.keep': '' });
    const { json } = scanJson(['../app'], `${root}/elsewhere`);
    expect((json.findings as Array<{ severity: string }>)[0].severity).toBe('error');
  });

  it('lets each scanned folder follow its own config', () => {
    const root = workspace({
      'api/a.ts': 'xx;\n',
      'api/.perflensrc.json': '{ "rules": { "shrink": "error" } }',
      'web/b.ts': 'xx;\n',
      'web/.perflensrc.json': '{ "rules": { "shrink": "off" }, "ignore": [] }',
    });
    const { json } = scanJson(['api', 'web'], root);
    expect((json.findings as Array<{ file: string; severity: string }>).map((f) => `${f.file} ${f.severity}`)).toEqual(['api/a.ts error']);
  });

  it('uses --config instead, relative to the working directory', () => {
    const root = workspace({
      'a.ts': 'xx;\n',
      '.perflensrc.json': '{ "rules": { "shrink": "error" } }',
      'configs/quiet.json': '{ "rules": { "shrink": "info" } }',
    });
    const { json } = scanJson(['--config', 'configs/quiet.json', '--min-severity', 'info'], root);
    expect((json.findings as Array<{ severity: string }>)[0].severity).toBe('info');
  });

  it('skips what the config ignores', () => {
    const root = workspace({ 'src/a.ts': 'xx;\n', 'generated/b.ts': 'xx;\n', '.perflensrc.json': '{ "ignore": ["generated/**"] }' });
    const { json } = scanJson([], root);
    expect((json.findings as Array<{ file: string }>).map((f) => f.file)).toEqual(['src/a.ts']);
  });

  it.each([
    ['invalid JSON', '{ "rules": }', 'invalid JSON \\(.+\\)'],
    ['an unknown key', '{ "rulez": {} }', 'unknown key "rulez" \\(expected "rules", "ignore" or "budgets"\\)'],
    ['an unknown rule', '{ "rules": { "shrnk": "off" } }', 'unknown rule "shrnk" \\(did you mean "shrink"\\?\\)'],
    ['a bad severity', '{ "rules": { "shrink": "fatal" } }', 'rule "shrink" must be one of off, info, warning, error \\(got "fatal"\\)'],
  ])('refuses a config with %s, named or found: exit 2, one line', (_what, text, reason) => {
    // Line breaks inside the file must not break the one-line message (JSON.parse quotes its input).
    const multiline = text.replace('{ ', '{\n  ');
    const named = workspace({ 'a.ts': 'xx;\n', 'quiet.json': multiline });
    const found = workspace({ 'a.ts': 'xx;\n', '.perflensrc.json': multiline });
    for (const [argv, cwd, file] of [
      [['scan', '--config', 'quiet.json'], named, 'quiet\\.json'],
      [['scan'], found, '\\.perflensrc\\.json'],
    ] as const) {
      const result = run([...argv], { cwd, rules });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(expectOneLineError(result)).toMatch(new RegExp(`^perflens: \\S+/${file}: ${reason}$`));
    }
  });
});

describe('which files are scanned', () => {
  it('honours .gitignore, nested ones included, and never walks node_modules', () => {
    const root = workspace({
      '.gitignore': 'dist/\n*.gen.ts\n',
      'src/a.ts': 'xx;\n',
      'src/a.gen.ts': 'xx;\n',
      'dist/bundle.js': 'xx;\n',
      'lib/.gitignore': 'legacy.js\n',
      'lib/legacy.js': 'xx;\n',
      'lib/kept.js': 'xx;\n',
      'node_modules/dep/index.js': 'xx;\n',
    });
    const { json } = scanJson([], root);
    expect((json.findings as Array<{ file: string }>).map((f) => f.file)).toEqual(['lib/kept.js', 'src/a.ts']);
  });

  it('scans to the end of a folder holding a broken file, a binary file and a 5 MB generated file', () => {
    const root = workspace({
      'src/a.ts': BLOCKING_READ,
      'src/broken.ts': 'export function (\n',
      'src/logo.js': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]),
      'src/vendor.bundle.js': 'var a = 1;\n'.repeat(500_000),
      'src/z.ts': BLOCKING_EXEC,
    });
    const { code, json } = scanJson(['src', '--rule', 'sync-io-in-async'], root);
    expect(code).toBe(1);
    expect((json.findings as Array<{ file: string }>).map((f) => f.file)).toEqual(['src/a.ts', 'src/z.ts']);
    expect(json.files).toBe(3);
    expect(json.errors).toEqual([{ file: 'src/broken.ts', message: expect.stringMatching(/^syntax error at 1:17: /) }]);
    expect(json.skipped).toEqual([
      { file: 'src/logo.js', reason: 'binary file (contains NUL bytes)' },
      { file: 'src/vendor.bundle.js', reason: expect.stringMatching(/^larger than 1024 KB \(5\.2 MB\); probably generated$/) },
    ]);
  });

  it('notes a named file that is not JavaScript or TypeScript instead of dropping it', () => {
    const root = workspace({ 'README.md': '# hi\n' });
    const { code, json } = scanJson(['README.md'], root);
    expect(code).toBe(0);
    expect(json.skipped).toEqual([{ file: 'README.md', reason: 'not a JavaScript or TypeScript file' }]);
  });
});
