/** The default output: ESLint-stylish rows, a summary, and the files that were not analysed. */
import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/format/color';
import { printable, printableLines } from '../../src/cli/format/terminal';
import { run, workspace } from './helpers';
import { crashes, shrink, suggestion } from './fakeRules';

const rules = [shrink, suggestion, crashes];
const ANSI = '\u001b[';

/** The text without its SGR escape sequences. */
function stripAnsi(text: string): string {
  return text
    .split(ANSI)
    .map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, '')))
    .join('');
}

function mixed(): string {
  return workspace({
    'src/a.ts': 'const xxx = 1;\nexport const suggestMe = xxx;\n',
    'src/nested/b.ts': 'export function boom() {}\nexport const xx = 2;\n',
    'src/broken.ts': 'const x = {;\n',
    'src/blob.js': Buffer.from([0x61, 0x00, 0x62]),
    '.perflensrc.json': JSON.stringify({ rules: { suggestion: 'error', shrink: 'warning', crashes: 'info' } }),
  });
}

describe('text format', () => {
  it('prints rows per file (location and severity aligned, the rule after its message), the summary, then errors and skipped files with reasons', () => {
    const result = run(['scan'], { cwd: mixed(), rules });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'src/a.ts',
        '  1:7   warning  xxx found by shrink  shrink',
        '  2:14  error    suggestMe found by suggestion Rename suggestMe.  suggestion',
        '  2:26  warning  xxx found by shrink  shrink',
        '',
        'src/nested/b.ts',
        '  2:14  warning  xx found by shrink  shrink',
        '',
        '✖ 4 problems (1 error, 3 warnings, 0 infos)',
        '  3 of them are fixable with the --fix option.',
        '',
        'Could not fully analyse 2 files:',
        '  src/broken.ts    syntax error at 1:12: Property assignment expected.',
        '  src/nested/b.ts  rule crashes failed: kaboom',
        '',
        'Skipped 1 file:',
        '  src/blob.js  binary file (contains NUL bytes)',
        '',
      ].join('\n'),
    );
  });

  it('has no escape codes when stdout is not a terminal', () => {
    expect(run(['scan'], { cwd: mixed(), rules }).stdout).not.toContain(ANSI);
  });

  it('colours on a terminal: severities, file headers and the summary', () => {
    const { stdout } = run(['scan'], { cwd: mixed(), rules, isTTY: true });
    expect(stdout).toContain('\u001b[4msrc/a.ts\u001b[24m');
    expect(stdout).toContain('\u001b[31merror  \u001b[39m');
    expect(stdout).toContain('\u001b[33mwarning\u001b[39m');
    // The note (what to do) follows the message, dimmed.
    expect(stdout).toContain('suggestMe found by suggestion \u001b[2mRename suggestMe.\u001b[22m');
    // Padding happens before colouring: stripped of escapes, the layout is the plain one.
    expect(stripAnsi(stdout)).toBe(run(['scan'], { cwd: mixed(), rules }).stdout);
  });

  it('honours NO_COLOR on a terminal, and FORCE_COLOR off one', () => {
    expect(run(['scan'], { cwd: mixed(), rules, isTTY: true, env: { NO_COLOR: '1' } }).stdout).not.toContain(ANSI);
    expect(run(['scan'], { cwd: mixed(), rules, isTTY: false, env: { FORCE_COLOR: '1' } }).stdout).toContain(ANSI);
  });

  it('never colours json or sarif', () => {
    for (const format of ['json', 'sarif']) {
      expect(run(['scan', '--format', format], { cwd: mixed(), rules, isTTY: true, env: { FORCE_COLOR: '1' } }).stdout).not.toContain(ANSI);
    }
  });

  it('says so briefly when nothing is found, still listing what was skipped', () => {
    const root = workspace({ 'a.ts': 'export const x = 1;\n', 'b.js': Buffer.from([0]) });
    expect(run(['scan'], { cwd: root, rules }).stdout).toBe(
      ['✔ No performance problems found in 1 file.', '', 'Skipped 1 file:', '  b.js  binary file (contains NUL bytes)', ''].join('\n'),
    );
  });

  it('counts one problem and one fixable in the singular', () => {
    const root = workspace({ 'a.ts': 'export const xx = 1;\n' });
    const { stdout } = run(['scan'], { cwd: root, rules });
    expect(stdout).toContain('✖ 1 problem (0 errors, 1 warning, 0 infos)\n  1 of them is fixable with the --fix option.\n');
  });

  it('does not claim suggestion fixes are fixable with --fix', () => {
    const root = workspace({ 'a.ts': 'export const suggestMe = 1;\n' });
    expect(run(['scan'], { cwd: root, rules }).stdout).not.toContain('--fix');
  });
});

describe('useColor', () => {
  it.each([
    [{ isTTY: true, env: {} }, true],
    [{ isTTY: false, env: {} }, false],
    [{ isTTY: true, env: { NO_COLOR: '1' } }, false],
    [{ isTTY: true, env: { NO_COLOR: '' } }, true],
    [{ isTTY: false, env: { FORCE_COLOR: '1' } }, true],
    [{ isTTY: false, env: { FORCE_COLOR: '' } }, true],
    [{ isTTY: true, env: { FORCE_COLOR: '0' } }, false],
    [{ isTTY: true, env: { FORCE_COLOR: 'false' } }, false],
    [{ isTTY: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }, true],
    [{ isTTY: true, env: { TERM: 'dumb' } }, false],
  ])('%j → %s', (environment, expected) => {
    expect(useColor(environment)).toBe(expected);
  });
});

describe('printable', () => {
  it.each([
    ['\u001b]0;title\u0007', '\\x1b]0;title\\x07'],
    ['a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['\u0000\u007f', '\\x00\\x7f'],
    ['\u009b2J\u0085', '\\x9b2J\\x85'],
    ['\u202eabc\u202c \u2066x\u2069 \u200e\u200f\u061c', '\\u202eabc\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c'],
    ['line\u2028para\u2029', 'line\\u2028para\\u2029'],
  ])('writes %j as %j', (text, shown) => {
    expect(printable(text)).toBe(shown);
    // Its output has nothing left to escape.
    expect(printable(shown)).toBe(shown);
  });

  it('leaves printable text alone: accents, CJK, emoji with joiners, backslashes', () => {
    const text = 'café 名前 👩‍💻 C:\\src\\a.ts';
    expect(printable(text)).toBe(text);
  });

  it('keeps line breaks with printableLines, escaping the rest of each line', () => {
    expect(printableLines('Error: \u001b[2J\n    at f (\u202ea.ts:1:1)')).toBe('Error: \\x1b[2J\n    at f (\\u202ea.ts:1:1)');
  });
});
