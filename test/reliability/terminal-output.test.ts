/**
 * Issue 10, terminal escapes: names in the input — file names on disk, function names and URLs in
 * a profile, messages that quote code — reached text output raw, so that they set the window
 * title, cleared the screen and forged rows. Every text output now shows them as visible escapes
 * (`\x1b`, `\n`, `\u202e`); PerfLens's own colours and layout still work. JSON and SARIF keep the
 * names exactly: JSON.stringify escapes C0 itself, and their readers are programs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineRule, type Rule } from '../../src/analyzers/rule';
import { ts } from '../../src/analyzers/ts';
import { runCliAsync } from '../../src/cli/main';
import { workspace } from '../cli/helpers';

/** An OSC that sets the window title, a C1 CSI that clears the screen, a right-to-left override. */
const TITLE = '\u001b]0;pwned\u0007';
const CLEAR_C1 = '\u009b2J';
const RLO = '\u202e';
const ESC = '\u001b';

const BIDI_CONTROLS = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/** Whether a terminal obeys the character instead of showing it (all but the line feed PerfLens lays out with). */
function obeyed(code: number): boolean {
  const c0 = code < 0x20 && code !== 0x0a;
  const delOrC1 = code >= 0x7f && code <= 0x9f;
  return c0 || delOrC1 || BIDI_CONTROLS.has(code) || code === 0x2028 || code === 0x2029;
}

/** The SGR sequences of PerfLens's own palette (color.ts), the only escapes colour may add. */
const OWN_COLOUR = new RegExp(`${ESC}\\[(?:1|2|4|22|24|31|32|33|34|39)m`, 'g');

/** Text a terminal shows as it is: no C0 byte but line feeds, no C1, no bidi control (beyond our colours, when on). */
function expectShownAsIs(text: string, colour: boolean): void {
  const ours = colour ? text.replace(OWN_COLOUR, '') : text;
  const found = [...ours].map((char) => char.codePointAt(0)!).filter(obeyed);
  expect(found.map((code) => `U+${code.toString(16).padStart(4, '0')}`)).toEqual([]);
  expect([...Buffer.from(ours, 'utf8')].filter((byte) => byte < 0x20 && byte !== 0x0a)).toEqual([]);
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function perflens(
  argv: string[],
  cwd: string,
  options: { colour?: boolean; env?: Record<string, string>; rules?: readonly Rule[] } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const env = { ...(options.colour ? { FORCE_COLOR: '1' } : {}), ...options.env };
  const io = {
    stdout: (text: string) => (stdout += text),
    stderr: (text: string) => (stderr += text),
    cwd,
    isTTY: options.colour ?? false,
    env,
  };
  const code = await runCliAsync(argv, io, options.rules ? { rules: options.rules } : {});
  return { code, stdout, stderr };
}

/** Reports every `const x = '…'` with the string's value in its message: a finding that quotes code. */
const quotesStrings = defineRule({
  meta: {
    id: 'quotes-strings',
    category: 'caching',
    description: 'Test rule quoting string values.',
    why: 'Because the test says so.',
    howToFix: 'Nothing to fix.',
    impact: 'low',
    effort: 'low',
    fix: 'none',
    messages: { found: { message: '{{text}} is quoted' } },
    examples: { invalid: [], valid: [] },
  },
  check(context) {
    return {
      VariableDeclaration(declaration) {
        const value = declaration.initializer;
        if (value && ts.isStringLiteral(value)) context.report({ node: declaration, messageId: 'found', data: { text: value.text } });
      },
    };
  },
});

/** Throws on `boom` with a message that would clear the screen and start a forged row. */
const crashesLoudly = defineRule({
  meta: {
    ...quotesStrings.meta,
    id: 'crashes-loudly',
    description: 'Test rule that crashes.',
    fix: 'none',
    messages: { found: { message: 'never' } },
  },
  check() {
    return {
      Identifier(identifier) {
        if (identifier.text === 'boom') throw new Error(`kaboom${CLEAR_C1}\n  src/forged.ts  forged row`);
      },
    };
  },
});

const rules = [quotesStrings, crashesLoudly];

/** Files whose names and contents carry escapes; `String.raw` keeps the sources' own `\u` escapes for the parser to decode. */
function hostileWorkspace(): string {
  return workspace({
    'src/a\nb.ts': String.raw`export const title = "\u001b]0;pwned\u0007";` + '\n',
    'src/\u001b[2Jclear.ts':
      String.raw`export const c1 = "\u009b2J";` + '\n' + String.raw`export const bidi = "\u202eevil\u202c";` + '\nboom;\n',
    'src/\u202eevil.ts': 'const x = {;\n',
    'src/\u009bbin.js': Buffer.from([0x61, 0x00, 0x62]),
    'src/plain-and-longer.js': Buffer.from([0x61, 0x00, 0x62]),
  });
}

const HOSTILE_TEXT = [
  'src/\\x1b[2Jclear.ts',
  '  1:14  warning  \\x9b2J is quoted  quotes-strings',
  '  2:14  warning  \\u202eevil\\u202c is quoted  quotes-strings',
  '',
  'src/a\\nb.ts',
  '  1:14  warning  \\x1b]0;pwned\\x07 is quoted  quotes-strings',
  '',
  '✖ 3 problems (0 errors, 3 warnings, 0 infos)',
  '',
  'Could not fully analyse 2 files:',
  '  src/\\x1b[2Jclear.ts  rule crashes-loudly failed: kaboom\\x9b2J\\n  src/forged.ts  forged row',
  '  src/\\u202eevil.ts    syntax error at 1:12: Property assignment expected.',
  '',
  'Skipped 2 files:',
  '  src/plain-and-longer.js  binary file (contains NUL bytes)',
  '  src/\\x9bbin.js           binary file (contains NUL bytes)',
  '',
].join('\n');

describe('perflens scan, text', () => {
  it('shows escapes in file headers, messages, errors and skipped files visibly, one row per finding (colour off)', async () => {
    const result = await perflens(['scan'], hostileWorkspace(), { rules });
    expect(result.code).toBe(1);
    expectShownAsIs(result.stdout, false);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toBe(HOSTILE_TEXT);
  });

  it('keeps its own colours and escapes the data inside them (colour on): stripped of them, the same text', async () => {
    const result = await perflens(['scan'], hostileWorkspace(), { rules, colour: true });
    expectShownAsIs(result.stdout, true);
    expect(result.stdout).toContain('\u001b[4msrc/\\x1b[2Jclear.ts\u001b[24m');
    expect(result.stdout.replace(OWN_COLOUR, '')).toBe(HOSTILE_TEXT);
  });

  it('ranks by a profile whose file name and notes carry escapes: header and notes shown visibly', async () => {
    const root = hostileWorkspace();
    const profileName = `prof${TITLE}.cpuprofile`;
    // A frame in a generated file whose sourceMappingURL names a map that is not there: a note naming both.
    fs.writeFileSync(path.join(root, `gen${RLO}.js`), `work();\n//# sourceMappingURL=gone${CLEAR_C1}.map\n`);
    fs.writeFileSync(
      path.join(root, profileName),
      JSON.stringify(cpuProfile([{ name: 'work', url: `file://${path.join(root, `gen${RLO}.js`)}`, samples: 3 }])),
    );
    for (const colour of [false, true]) {
      const result = await perflens(['scan', '--profile', profileName], root, { rules, colour });
      expect(result.stderr).toBe('');
      expectShownAsIs(result.stdout, colour);
      const text = result.stdout.replace(OWN_COLOUR, '');
      expect(text).toMatch(/^Ranked by prof\\x1b\]0;pwned\\x07\.cpuprofile \(/);
      expect(text).toContain('Profile notes:\n');
      expect(text.slice(text.indexOf('Profile notes:'))).toContain('gen\\u202e.js');
    }
  });

  it('keeps JSON and SARIF as they are: no raw C0 (JSON escapes it) and the messages exactly as given', async () => {
    const root = hostileWorkspace();
    const json = await perflens(['scan', '--format', 'json'], root, { rules, colour: true });
    const sarif = await perflens(['scan', '--format', 'sarif'], root, { rules, colour: true });
    for (const result of [json, sarif])
      expect([...Buffer.from(result.stdout, 'utf8')].filter((byte) => byte < 0x20 && byte !== 0x0a)).toEqual([]);
    const findings = (JSON.parse(json.stdout) as { findings: Array<{ file: string; message: string }> }).findings;
    expect(findings).toContainEqual(expect.objectContaining({ file: 'src/a\nb.ts', message: `${TITLE} is quoted` }));
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ message: { text: string } }> }> }).runs[0].results;
    expect(results.map((result) => result.message.text)).toContain(`${TITLE} is quoted`);
  });
});

describe('perflens profile, text', () => {
  const hostile = [
    { name: TITLE, url: 'file:///app/src/\u001b[2Jwork.js', samples: 40 },
    { name: `evil${CLEAR_C1}`, url: '', samples: 20 },
    // A plain path: a file:// URL would lose its line break to the URL parser before any output.
    { name: 'two\nlines', url: '/app/src/a\nb.js', samples: 10 },
    { name: `${RLO}txt.exe`, url: `file:///app/\u2066gen\u2069.js`, samples: 5 },
  ];

  it('shows names and files visibly, one row per function, the columns aligned on the escaped width', async () => {
    const root = workspace({ 'now.cpuprofile': JSON.stringify(cpuProfile(hostile)) });
    const result = await perflens(['profile', 'now.cpuprofile'], root);
    expect(result.code).toBe(0);
    expectShownAsIs(result.stdout, false);
    expect(functionColumns(result.stdout)).toEqual([
      'function          location',
      '\\x1b]0;pwned\\x07  /app/src/\\x1b[2Jwork.js:1',
      'evil\\x9b2J',
      'two\\nlines        /app/src/a\\nb.js:1',
      '\\u202etxt.exe     /app/\\u2066gen\\u2069.js:1',
    ]);
  });

  it('shows baseline rows, the regression lines and the regression message on stderr visibly', async () => {
    // The same total before and after: only the hostile function grew (×10), evil… shrank.
    const before = hostile.map((frame) => ({
      ...frame,
      samples: frame.name === TITLE ? 4 : frame.name === `evil${CLEAR_C1}` ? 56 : frame.samples,
    }));
    const root = workspace({
      'now.cpuprofile': JSON.stringify(cpuProfile(hostile)),
      'before.cpuprofile': JSON.stringify(cpuProfile(before)),
    });
    const result = await perflens(['profile', 'now.cpuprofile', '--baseline', 'before.cpuprofile', '--max-regression', '10'], root);
    expect(result.code).toBe(1);
    expectShownAsIs(result.stdout, false);
    expect(functionColumns(result.stdout)).toEqual([
      'function          location',
      '\\x1b]0;pwned\\x07  /app/src/\\x1b[2Jwork.js:1',
      'evil\\x9b2J',
      'two\\nlines        /app/src/a\\nb.js:1',
      '\\u202etxt.exe     /app/\\u2066gen\\u2069.js:1',
    ]);
    expect(result.stdout).toContain(
      '\nregressions over 10% (beyond sampling noise):\n  \\x1b]0;pwned\\x07 (/app/src/\\x1b[2Jwork.js): 4.0 ms → 40.0 ms (+900.0%)\n',
    );
    expectShownAsIs(result.stderr, false);
    expect(result.stderr).toBe('perflens: 1 regression over 10%: \\x1b]0;pwned\\x07 (/app/src/\\x1b[2Jwork.js) +900.0%\n');
  });

  it('keeps JSON as it is: no raw C0 and the names exactly as given', async () => {
    const root = workspace({ 'now.cpuprofile': JSON.stringify(cpuProfile(hostile)) });
    const result = await perflens(['profile', 'now.cpuprofile', '--format', 'json'], root);
    expect([...Buffer.from(result.stdout, 'utf8')].filter((byte) => byte < 0x20 && byte !== 0x0a)).toEqual([]);
    expect(result.stdout).toContain(JSON.stringify(TITLE));
    expect(result.stdout).toContain(JSON.stringify('two\nlines'));
  });

  it('escapes notes: a source map problem naming a hostile file', async () => {
    const root = workspace({ [`gen${RLO}.js`]: `work();\n//# sourceMappingURL=gone${CLEAR_C1}.map\n` });
    fs.writeFileSync(
      path.join(root, 'p.cpuprofile'),
      JSON.stringify(cpuProfile([{ name: 'work', url: `file://${path.join(root, `gen${RLO}.js`)}`, samples: 3 }])),
    );
    const result = await perflens(['profile', 'p.cpuprofile'], root);
    expect(result.code).toBe(0);
    expectShownAsIs(result.stdout, false);
    expect(result.stdout).toMatch(/^note: .*gen\\u202e\.js/m);
  });
});

describe('one line on stderr', () => {
  it.each([
    ['scan', ['scan', `nowhere${TITLE}\n.ts`], 'perflens: no such file or folder: nowhere\\x1b]0;pwned\\x07\\n.ts\n'],
    ['profile', ['profile', `missing${CLEAR_C1}${RLO}.cpuprofile`], /^perflens: no such file: .*missing\\x9b2J\\u202e\.cpuprofile\n$/],
    ['a usage error', ['scan', '--format', `x${TITLE}`], 'perflens: unknown format "x\\x1b]0;pwned\\x07": expected text, json, sarif\n'],
  ])('%s: a path or value with escapes is shown visibly, on one line', async (_what, argv, expected) => {
    const result = await perflens(argv, workspace({ 'a.ts': 'export const a = 1;\n' }));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectShownAsIs(result.stderr, false);
    if (typeof expected === 'string') expect(result.stderr).toBe(expected);
    else expect(result.stderr).toMatch(expected);
  });

  it('with PERFLENS_DEBUG keeps the line breaks of the log (message and stack) but escapes every other control', async () => {
    const result = await perflens(['scan'], hostileWorkspace(), { rules, env: { PERFLENS_DEBUG: '1' } });
    expect(result.code).toBe(1);
    expectShownAsIs(result.stderr, false);
    // The log spans lines (message, then stack), so a line break in a message stays one.
    expect(result.stderr).toContain('perflens: rule crashes-loudly failed: kaboom\\x9b2J\n');
    expect(result.stderr).toContain('/src/\\x1b[2Jclear.ts)\n');
  });
});

describe('messages that say what really happened', () => {
  it.each([
    [['profile', 'x.cpuprofile', '--top', '-1'], 'perflens: --top needs a whole number of rows ≥ 1 (got "-1")'],
    [['profile', 'x.cpuprofile', '--top', '-0.5'], 'perflens: --top needs a whole number of rows ≥ 1 (got "-0.5")'],
    [['profile', 'x.cpuprofile', '--top=-1'], 'perflens: --top needs a whole number of rows ≥ 1 (got "-1")'],
    [
      ['profile', 'x.cpuprofile', '--baseline', 'b.cpuprofile', '--max-regression', '-5'],
      'perflens: --max-regression needs a percentage ≥ 0, e.g. 10 (got "-5")',
    ],
    [
      ['profile', 'x.cpuprofile', '--baseline', 'b.cpuprofile', '--max-regression', '-5%'],
      'perflens: --max-regression needs a percentage ≥ 0, e.g. 10 (got "-5%")',
    ],
    // A word that is an option still is one: it is not taken as the number.
    [['profile', 'x.cpuprofile', '--top', '--format', 'json'], 'perflens: --top needs a value (see perflens profile --help)'],
    [[], 'perflens: missing command: expected scan, fix, profile, or help (see perflens --help)'],
    [['lint'], 'perflens: unknown command "lint": expected scan, fix, profile, or help (see perflens --help)'],
    [
      ['profil'],
      'perflens: unknown command "profil" (did you mean "profile"?): expected scan, fix, profile, or help (see perflens --help)',
    ],
    [['help', 'lint'], 'perflens: no help for "lint": expected scan, fix, or profile (perflens help COMMAND)'],
  ])('%j → %s', async (argv, expected) => {
    const result = await perflens(argv, workspace({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${expected}\n`);
  });
});

/** The function and location columns of the profile table: the header, then one row per function. */
function functionColumns(text: string): string[] {
  const lines = text.split('\n');
  const header = lines.findIndex((line) => line.includes('  function  '));
  const column = lines[header].indexOf('function');
  const rows = lines.slice(header, lines.indexOf('', header));
  return rows.map((row) => row.slice(column));
}

interface Frame {
  name: string;
  url: string;
  samples: number;
}

/** A V8 .cpuprofile: each frame a child of the root, sampled `samples` times, 1 ms apart. */
function cpuProfile(frames: readonly Frame[]): object {
  const nodes = [
    {
      id: 1,
      callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
      hitCount: 0,
      children: frames.map((_, index) => index + 2),
    },
    ...frames.map((frame, index) => ({
      id: index + 2,
      callFrame: { functionName: frame.name, scriptId: String(index + 1), url: frame.url, lineNumber: 0, columnNumber: 0 },
      hitCount: frame.samples,
      children: [],
    })),
  ];
  const samples = frames.flatMap((frame, index) => Array.from({ length: frame.samples }, () => index + 2));
  return { nodes, startTime: 0, endTime: samples.length * 1000, samples, timeDeltas: samples.map(() => 1000) };
}
