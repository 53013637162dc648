/**
 * Issue 10: one odd file never ends or silently distorts a scan. Code nested deeper than a
 * recursive walk (or the TypeScript parser) can follow, sloppy-mode JavaScript, a long literal on
 * one line and a real minified bundle — each is analysed, or listed in `errors` or `skipped` with
 * its reason, and every other file's findings stay what they would be without it.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analyzers/engine';
import type { FileError, Finding, SkippedFile } from '../../src/analyzers/finding';
import { ProjectHost } from '../../src/analyzers/project';
import { allRules } from '../../src/analyzers/registry';
import { defineRule } from '../../src/analyzers/rule';
import type { TypeFacts } from '../../src/analyzers/facts/types';
import { WorkerServer } from '../../src/worker/server';
import type { Response } from '../../src/worker/protocol';
import { BLOCKING_EXEC, BLOCKING_READ, CLEAN, read, run, workspace } from '../cli/helpers';
import { virtualPath } from '../helpers/analyze';

// ------------------------------------------------------------------------------------ the files
// Each deep file keeps its lines short: one long line would make it "minified" and skipped.

/** `export const x = a + a + …` with `terms` terms: one left-deep chain of binary expressions (tsc accepts it). */
function chain(terms: number): string {
  return `const a = 1;\nexport const x =\n${Array.from({ length: terms }, () => '  a').join(' +\n')};\n`;
}

/** Deep enough that the TypeScript parser's recursive descent overflows the stack, wherever the test runs. */
const PARSER_DEPTH = 5_000;

const DEEP_PARENS = `export const y =\n${'(\n'.repeat(PARSER_DEPTH)}1${'\n)'.repeat(PARSER_DEPTH)};\n`;
const DEEP_ARROWS = `export const f =\n${'() =>\n'.repeat(PARSER_DEPTH)}1;\n`;
const DEEP_IFS = `export function g(a: number) {\n${'if (a) {\n'.repeat(PARSER_DEPTH)}a++;\n${'}\n'.repeat(PARSER_DEPTH)}}\n`;
const PARSER_GAVE_UP = 'too deeply nested to analyse (stack overflow in the TypeScript parser)';

/** A query per item: query-in-loop reports it. */
const N_PLUS_ONE = `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function owners() {
  const orders = await prisma.order.findMany();
  const result = [];
  for (const order of orders) {
    result.push(await prisma.user.findUnique({ where: { id: order.ownerId } }));
  }
  return result;
}
`;

const NORMAL_FILES = { 'src/load.ts': BLOCKING_READ, 'src/exec.ts': BLOCKING_EXEC, 'src/orders.ts': N_PLUS_ONE, 'src/clean.ts': CLEAN };
const DEEP_FILES = {
  'deep/chain.ts': chain(3_000),
  'deep/parens.ts': DEEP_PARENS,
  'deep/arrows.ts': DEEP_ARROWS,
  'deep/ifs.ts': DEEP_IFS,
};

interface ScanJson {
  files: number;
  findings: Array<{ rule: string; file: string; message: string; range: unknown }>;
  errors: FileError[];
  skipped: SkippedFile[];
}

function scanJson(argv: string[], cwd: string): { code: number; json: ScanJson } {
  // Infos too: what is found matters here, not its severity (the N+1 has no request path around it).
  const result = run(['scan', '--format', 'json', '--min-severity', 'info', ...argv], { cwd });
  expect(result.stderr).toBe('');
  return { code: result.code, json: JSON.parse(result.stdout) as ScanJson };
}

// ----------------------------------------------------------------------------------- the walk

describe('a deep file ends nothing', () => {
  it('the one-line repro `export const x = a+a+…` (3,000 terms) gives JSON: a 6 KB line of code is skipped as minified', () => {
    const root = workspace({
      'x.ts': `const a = 1;\nexport const x = ${Array.from({ length: 3_000 }, () => 'a').join('+')};\n`,
      ...NORMAL_FILES,
    });
    const { code, json } = scanJson(['x.ts', 'src'], root);
    expect(code).toBe(1);
    expect(json.skipped).toEqual([{ file: 'x.ts', reason: 'minified or bundled code (a line of 6 KB): analyse its sources instead' }]);
    expect(json.errors).toEqual([]);
    expect(json.files).toBe(4);
  });

  it.each([3_000, 30_000])('a %i-term chain on short lines is analysed: no error, and the rules see the code after it', (terms) => {
    // The engine's walk keeps its own stack (a recursive one overflowed at 3,000 terms in the CLI,
    // depending on how deep the stack already was, and always at 30,000); the chain sits at module
    // level, where no rule follows it with a recursive walk of its own.
    const text = `${chain(terms)}\n${BLOCKING_READ}`;
    const analysis = new Analyzer({ syntaxErrors: 'skip' }).analyzeText(virtualPath('chain.ts'), text);
    expect(analysis.errors).toEqual([]);
    expect(analysis.skipped).toBeUndefined();
    expect(analysis.findings.map((finding) => finding.rule)).toEqual(['sync-io-in-async']);
    expect(analysis.findings[0].range.start.line).toBe(terms + 2 + 1 + 4);
  });

  it.each([
    ['parentheses', DEEP_PARENS],
    ['arrow functions', DEEP_ARROWS],
    ['if blocks', DEEP_IFS],
  ])('%s nested 5,000 deep: the parser gives up, the file is an error, analyzeText does not throw', (_, text) => {
    const analysis = new Analyzer({ syntaxErrors: 'analyze' }).analyzeText(virtualPath('deep.ts'), text);
    expect(analysis).toEqual({
      file: virtualPath('deep.ts'),
      findings: [],
      errors: [{ file: virtualPath('deep.ts'), message: PARSER_GAVE_UP }],
    });
  });

  it('the CLI lists each parser-deep file in errors, analyses the chain, and exits by the other files', () => {
    const root = workspace({ ...DEEP_FILES, ...NORMAL_FILES });
    const { code, json } = scanJson([], root);
    expect(code).toBe(1);
    expect(json.files).toBe(8);
    expect(json.errors).toEqual([
      { file: 'deep/arrows.ts', message: PARSER_GAVE_UP },
      { file: 'deep/ifs.ts', message: PARSER_GAVE_UP },
      { file: 'deep/parens.ts', message: PARSER_GAVE_UP },
    ]);
    expect(json.skipped).toEqual([]);
    expect(json.findings.map((finding) => `${finding.file} ${finding.rule}`)).toEqual([
      'src/exec.ts sync-io-in-async',
      'src/load.ts sync-io-in-async',
      'src/orders.ts query-in-loop',
    ]);
  });

  it('the other files find the same whether the deep files come first or last', () => {
    const root = workspace({ ...DEEP_FILES, ...NORMAL_FILES });
    const deep = Object.keys(DEEP_FILES);
    const normal = Object.keys(NORMAL_FILES);
    const first = scanJson([...deep, ...normal], root).json;
    const last = scanJson([...normal, ...deep], root).json;
    const alone = scanJson(normal, root).json;
    const ofNormalFiles = (json: ScanJson): unknown[] => json.findings.filter((finding) => finding.file.startsWith('src/'));
    expect(ofNormalFiles(alone)).toHaveLength(3);
    expect(ofNormalFiles(first)).toEqual(ofNormalFiles(alone));
    expect(ofNormalFiles(last)).toEqual(ofNormalFiles(alone));
    const sortedErrors = (json: ScanJson): FileError[] => [...json.errors].sort((a, b) => a.file.localeCompare(b.file));
    expect(sortedErrors(first)).toEqual(sortedErrors(last));
  });

  it('--fix: a file the parser gives up on is an error and stays byte for byte; the other files are fixed', () => {
    const root = workspace({ 'deep/parens.ts': DEEP_PARENS, 'src/load.ts': BLOCKING_READ });
    const { json } = scanJson(['--fix'], root);
    expect(json.errors).toEqual([{ file: 'deep/parens.ts', message: PARSER_GAVE_UP }]);
    expect(read(root, 'deep/parens.ts')).toBe(DEEP_PARENS);
    expect(read(root, 'src/load.ts')).not.toBe(BLOCKING_READ);
  });

  it('a helper too deep to summarise is unknown to its callers, not a crash of their analysis', () => {
    // The query hides behind a function whose body holds a 3,000-term chain: summarising it
    // overflows the stack. orders.ts is analysed without errors, in either order.
    const users = `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function findUser(id: string) {
  const key =
${Array.from({ length: 3_000 }, () => '    id').join(' +\n')};
  return prisma.user.findUnique({ where: { id: key } });
}
`;
    const orders = `import { findUser } from './users';

export async function owners(ids: string[]) {
  const result = [];
  for (const id of ids) result.push(await findUser(id));
  return result;
}
`;
    const root = workspace({ 'src/users.ts': users, 'src/orders.ts': orders, 'src/parens.ts': DEEP_PARENS, 'src/load.ts': BLOCKING_READ });
    for (const order of [
      ['src/orders.ts', 'src/users.ts'],
      ['src/users.ts', 'src/orders.ts'],
    ]) {
      const { json } = scanJson([...order, 'src/parens.ts', 'src/load.ts'], root);
      expect(json.errors).toEqual([{ file: 'src/parens.ts', message: PARSER_GAVE_UP }]);
      expect(json.findings.map((finding) => `${finding.file} ${finding.rule}`)).toEqual(['src/load.ts sync-io-in-async']);
    }
  });
});

// ------------------------------------------------------------------------- failures in errors

/** A rule that recurses without end on every file: a stack overflow, as a deep file gives a recursive rule. */
const overflows = defineRule({
  meta: {
    id: 'overflows',
    category: 'caching',
    description: 'Test rule that overflows the stack.',
    why: 'Because the test says so.',
    howToFix: 'Nothing.',
    impact: 'low',
    effort: 'low',
    fix: 'none',
    messages: { found: { message: 'found' } },
    examples: { invalid: [], valid: [] },
  },
  check() {
    const down = (depth: number): number => down(depth + 1) + 1;
    return { onEnd: () => void down(0) };
  },
});

/** A rule that asks for types and reports every function declaration. */
const asksTypes = defineRule({
  meta: { ...overflows.meta, id: 'asks-types', description: 'Test rule that asks the type checker.' },
  check(context) {
    return {
      FunctionDeclaration(node) {
        context.file.types();
        context.report({ node, messageId: 'found' });
      },
    };
  },
});

describe('every failure of a file lands in its errors', () => {
  it('a rule that overflows the stack: named, said in words, the other rules still report', () => {
    const analyzer = new Analyzer({ rules: [overflows, ...allRules.filter((rule) => rule.meta.id === 'sync-io-in-async')] });
    const analysis = analyzer.analyzeText(virtualPath('load.ts'), BLOCKING_READ);
    expect(analysis.errors).toEqual([
      { file: virtualPath('load.ts'), rule: 'overflows', message: 'too deeply nested to analyse (stack overflow in rule overflows)' },
    ]);
    expect(analysis.findings.map((finding) => finding.rule)).toEqual(['sync-io-in-async']);
  });

  it('a type checker that fails: an error for the file, and the rules go on without types', () => {
    class FailingTypes extends ProjectHost {
      override typeFacts(): TypeFacts | undefined {
        throw new RangeError('Maximum call stack size exceeded');
      }
    }
    const analysis = new Analyzer({ rules: [asksTypes], host: new FailingTypes() }).analyzeText(virtualPath('load.ts'), BLOCKING_READ);
    expect(analysis.errors).toEqual([
      {
        file: virtualPath('load.ts'),
        message: 'too deeply nested to analyse (stack overflow in the type checker); analysed without types',
      },
    ]);
    expect(analysis.findings.map((finding: Finding) => finding.rule)).toEqual(['asks-types']);
  });
});

// ------------------------------------------------------------------------------- sloppy octal

/** Sloppy-mode JavaScript (ECMAScript Annex B): an octal escape, legacy octal and leading-zero literals, `\8`. */
const SLOPPY = `var fs = require('fs');
var RESET = '\\033[0m';
var MODE = 0644;
var NINE = 09;
var EIGHT = '\\8';
async function load(name) {
  return fs.readFileSync(name, 'utf8') + RESET + MODE + NINE + EIGHT;
}
module.exports = { load: load };
`;

describe('legacy octal syntax', () => {
  it.each(['sloppy.js', 'sloppy.cjs'])('is valid in a sloppy-mode script (%s): analysed as usual', (name) => {
    const root = workspace({ [name]: SLOPPY });
    // One blocking read, nothing grows: an info, shown here (what is tested is that the file is analysed).
    const { json } = scanJson([name, '--min-severity', 'info'], root);
    expect(json.errors).toEqual([]);
    expect(json.findings.map((finding) => `${finding.file} ${finding.rule}`)).toEqual([`${name} sync-io-in-async`]);
  });

  it.each([
    ['a "use strict" script', 'strict.js', `'use strict';\nvar RESET = '\\033[0m';\n`, '2:14'],
    ['a function with "use strict"', 'function.js', `var a = '\\033';\nfunction f() {\n  'use strict';\n  return 010;\n}\n`, '4:10'],
    ['a class body', 'class.js', `class A {\n  m() {\n    return 010;\n  }\n}\n`, '3:12'],
    ['an ES module (.js with export)', 'module.js', `export var RESET = '\\033[0m';\n`, '1:21'],
    ['an .mjs file', 'module.mjs', `var RESET = '\\033[0m';\n`, '1:14'],
    ['a template literal', 'template.js', `var RESET = \`\\033[0m\`;\n`, '1:14'],
    ['TypeScript', 'octal.ts', `export const MODE = 0644;\n`, '1:21'],
  ])('stays a syntax error in strict code: %s', (_, name, text, at) => {
    const root = workspace({ [name]: text });
    const { json } = scanJson([name], root);
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].file).toBe(name);
    expect(json.errors[0].message).toMatch(new RegExp(`^syntax error at ${at}: (Octal|Decimals|Escape)`));
  });
});

// ------------------------------------------------------------------------- minified or not

const DATA_URI = `export const LOGO = 'data:image/png;base64,${'iVBORw0KGgo'.repeat(4_500)}';\n`;
const INLINE_SVG = `export const ICON = \`<svg xmlns="http://www.w3.org/2000/svg">${'<path d="M0 0h24v24H0z"/>'.repeat(400)}</svg>\`;\n`;
const LONG_COMMENT = `// ${'A licence text pasted on one line. '.repeat(150)}\n`;
const LONG_REGEX = `export const PUNCTUATION = /[${'\\u037E\\u0387'.repeat(300)}]/u;\n`;

/** 48 KB of minified code on one line, with an N+1 request in it. */
function minifiedBundle(): { text: string; line: number } {
  const unit = 'function a(b){return b.map(function(c){return c+1})}var d=a([1,2,3]);';
  const line = `${unit.repeat(Math.round((48 * 1024) / unit.length))}async function g(ids){for(const id of ids)await fetch('/u/'+id)}`;
  return { text: `${line}\n`, line: line.length };
}

describe('minified code', () => {
  it.each([
    ['a data URI in a string', DATA_URI],
    ['an inline SVG in a template', INLINE_SVG],
    ['a long comment', LONG_COMMENT],
    ['a generated regular expression', LONG_REGEX],
  ])('a long line of %s leaves an ordinary file ordinary: analysed, findings as usual', (_, longLine) => {
    const root = workspace({ 'src/load.ts': `${longLine}${BLOCKING_READ}` });
    const { json } = scanJson([], root);
    expect(json.skipped).toEqual([]);
    expect(json.files).toBe(1);
    expect(json.findings.map((finding) => `${finding.rule} ${(finding.range as { start: { line: number } }).start.line}`)).toEqual([
      'sync-io-in-async 5',
    ]);
  });

  it('a real minified file is skipped once by the engine, with the reason the user sees', () => {
    const bundle = minifiedBundle();
    expect(Math.round(bundle.line / 1024)).toBe(48);
    const root = workspace({ 'public/app.js': bundle.text, 'src/load.ts': BLOCKING_READ });
    const { code, json } = scanJson([], root);
    expect(code).toBe(1);
    expect(json.skipped).toEqual([
      { file: 'public/app.js', reason: 'minified or bundled code (a line of 48 KB): analyse its sources instead' },
    ]);
    expect(json.files).toBe(1);
    expect(json.findings.map((finding) => finding.file)).toEqual(['src/load.ts']);
    // The text report lists it too.
    const text = run(['scan'], { cwd: root });
    expect(text.stdout).toContain('minified or bundled code (a line of 48 KB): analyse its sources instead');
  });
});

// ------------------------------------------------------------------------------ the editor

/** The worker's server in-process, as src/worker.ts connects it to a thread. */
class InProcessWorker {
  readonly received: Response[] = [];
  private readonly waiters: Array<{ test: (message: Response) => boolean; resolve: (message: Response) => void }> = [];
  readonly server = new WorkerServer({
    post: (message) => {
      this.received.push(message);
      const waiter = this.waiters.find((candidate) => candidate.test(message));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    },
  });

  constructor() {
    this.server.handle({ type: 'configure', folders: [], fallback: { rules: {}, exclude: [] } });
  }

  /** The first answer of `type` that passes `test`, already posted or still to come. */
  next<T extends Response['type']>(
    type: T,
    test: (message: Extract<Response, { type: T }>) => boolean = () => true,
  ): Promise<Extract<Response, { type: T }>> {
    const matches = (message: Response): boolean => message.type === type && test(message as Extract<Response, { type: T }>);
    const already = this.received.find(matches);
    if (already) return Promise.resolve(already as Extract<Response, { type: T }>);
    return new Promise((resolve) =>
      this.waiters.push({ test: matches, resolve: (message) => resolve(message as Extract<Response, { type: T }>) }),
    );
  }
}

describe('the editor worker answers for a deep file and goes on', () => {
  it('analyze: no findings for the deep version, the reason logged, and the next version analysed as usual', async () => {
    const worker = new InProcessWorker();
    const file = path.join(workspace({}), 'deep.ts');
    worker.server.handle({ type: 'analyze', path: file, version: 1, text: DEEP_PARENS });
    expect((await worker.next('findings', (m) => m.path === file && m.version === 1)).findings).toEqual([]);
    const log = await worker.next('log', (m) => m.message.includes(file));
    expect(log).toMatchObject({ level: 'warn', message: `${file}: ${PARSER_GAVE_UP}` });

    worker.server.handle({ type: 'analyze', path: file, version: 2, text: BLOCKING_READ });
    const answer = await worker.next('findings', (m) => m.path === file && m.version === 2);
    expect(answer.findings.map((finding) => finding.rule)).toEqual(['sync-io-in-async']);
  });

  it('fix-all on a deep file fails with the reason, and the worker still serves', async () => {
    const worker = new InProcessWorker();
    const file = path.join(workspace({}), 'deep.ts');
    worker.server.handle({ type: 'fixAll', id: 1, path: file, version: 1, text: DEEP_PARENS });
    expect(await worker.next('failed', (m) => m.id === 1)).toEqual({ type: 'failed', id: 1, message: PARSER_GAVE_UP });
    worker.server.handle({ type: 'fixAll', id: 2, path: file, version: 2, text: BLOCKING_READ });
    expect((await worker.next('fixAllResult', (m) => m.id === 2)).applied).toBe(1);
  });

  it('scan: the deep files in errors, the others analysed', async () => {
    const worker = new InProcessWorker();
    const root = workspace({ ...DEEP_FILES, ...NORMAL_FILES });
    worker.server.handle({ type: 'scan', id: 7, folders: [root] });
    const done = await worker.next('scanDone', (m) => m.id === 7);
    expect(done).toMatchObject({ done: 8, total: 8, cancelled: false, skipped: [] });
    expect(done.errors).toEqual(
      ['deep/arrows.ts', 'deep/ifs.ts', 'deep/parens.ts'].map((name) => ({ file: path.join(root, name), message: PARSER_GAVE_UP })),
    );
    const results = worker.received.flatMap((m) => (m.type === 'scanProgress' ? m.results : []));
    expect(results.filter((result) => result.findings.length > 0).map((result) => path.relative(root, result.path))).toEqual([
      'src/exec.ts',
      'src/load.ts',
      'src/orders.ts',
    ]);
  });
});
