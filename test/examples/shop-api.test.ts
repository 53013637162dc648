/**
 * The demo's promise, checked: examples/shop-api holds a few genuine problems of each category,
 * each reported exactly where its README says, and look-alikes that are fine, which stay quiet.
 * A rule change that breaks the demo fails here. A rule not registered yet has its expectations
 * skipped (visibly), so the file tightens by itself as rules land. A genuine problem a rule still
 * misses is marked `gap` (with why): the example is not bent to suit the rule; the test asserts the
 * miss instead, so that closing the gap fails it and the mark is removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from '../../src/analyzers/ts';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyzers/engine';
import { discoverFiles } from '../../src/analyzers/files';
import type { Finding } from '../../src/analyzers/finding';
import { knownRuleIds } from '../helpers/rules';

const EXAMPLE = path.resolve(__dirname, '../../examples/shop-api');

interface Expected {
  rule: string;
  /** Relative to the example, with `/`. */
  file: string;
  line: number;
  problem: string;
  /** Why the rule does not report this yet — for the rule's author. The README marks it too. */
  gap?: string;
}

/** Keep in step with the table in examples/shop-api/README.md (a test below compares them). */
const EXPECTED: Expected[] = [
  { rule: 'lookup-in-loop', file: 'src/services/pricingService.ts', line: 43, problem: 'products.find per cart line' },
  { rule: 'spread-accumulator', file: 'src/services/pricingService.ts', line: 70, problem: 'reduce spreading its accumulator' },
  { rule: 'query-in-loop', file: 'src/services/orderService.ts', line: 33, problem: 'customer.findUnique per order' },
  { rule: 'request-in-loop', file: 'src/services/inventoryService.ts', line: 35, problem: 'fetch per SKU' },
  { rule: 'sync-io-in-async', file: 'src/services/invoiceService.ts', line: 41, problem: 'writeFileSync in async archiveInvoice' },
  { rule: 'sync-io-in-handler', file: 'src/routes/reports.ts', line: 21, problem: 'readFileSync in the exports handler' },
  { rule: 'lock-across-await', file: 'src/services/inventoryService.ts', line: 52, problem: 'availability mutex held across the warehouse fetch' },
  { rule: 'sequential-awaits', file: 'src/services/orderService.ts', line: 49, problem: 'independent overview queries in series' },
  { rule: 'invariant-in-loop', file: 'src/services/catalogService.ts', line: 29, problem: 'new RegExp of the query per product' },
  { rule: 'invariant-in-loop', file: 'src/services/reportService.ts', line: 25, problem: 'new Intl.NumberFormat per CSV row' },
  { rule: 'read-per-request', file: 'src/routes/orders.ts', line: 47, problem: 'receipt template read per request' },
];

/**
 * The findings whose fix is safe (applied by `perflens scan --fix`): at least half of them. The
 * others' fixes would change behaviour (batching queries or requests, caching a file that may
 * change, running awaits together, moving I/O out of a lock). Keep in step with the README.
 */
const SAFE_FIXES = [
  'lookup-in-loop src/services/pricingService.ts:43',
  'spread-accumulator src/services/pricingService.ts:70',
  'sync-io-in-async src/services/invoiceService.ts:41',
  'sync-io-in-handler src/routes/reports.ts:21',
  'invariant-in-loop src/services/catalogService.ts:29',
  'invariant-in-loop src/services/reportService.ts:25',
];

interface LookAlike {
  file: string;
  /** Unique text in the file; the statement that holds it (a whole function, a loop, a line) must stay quiet. */
  anchor: string;
  why: string;
}

const LOOK_ALIKES: LookAlike[] = [
  { file: 'src/lib/http.ts', anchor: 'for (let attempt = 1;', why: 'a retry loop: a request per attempt, a four-constant includes' },
  { file: 'src/services/pricingService.ts', anchor: 'BULKY_CATEGORIES.includes(', why: 'includes on a three-constant array' },
  { file: 'src/services/catalogService.ts', anchor: 'export function parsePriceList', why: 'a regular-expression literal in a loop' },
  { file: 'src/lib/config.ts', anchor: 'const fromFile = JSON.parse(readFileSync(', why: 'readFileSync at module top level' },
  { file: 'src/lib/money.ts', anchor: 'const shopCurrency = new Intl.NumberFormat(', why: 'one formatter per process' },
  { file: 'src/services/invoiceService.ts', anchor: 'mkdirSync(config.invoiceDir', why: 'mkdirSync at start-up' },
  { file: 'src/services/invoiceService.ts', anchor: 'function loadInvoiceTemplate', why: 'the template read once, its promise kept' },
  { file: 'scripts/seed.ts', anchor: 'async function main()', why: 'readFileSync in the seed script' },
  { file: 'src/services/inventoryService.ts', anchor: 'export async function availableUnits', why: 'a mutex guarding a Map read' },
  { file: 'src/services/inventoryService.ts', anchor: 'await availabilityLock.runExclusive(', why: 'a mutex guarding memory only' },
  { file: 'src/services/orderService.ts', anchor: 'export async function checkout', why: 'dependent awaits; per-line writes inside $transaction' },
  { file: 'src/services/orderService.ts', anchor: 'export async function* ordersSince', why: 'cursor pagination' },
  { file: 'src/routes/orders.ts', anchor: "ordersRouter.get('/export.ndjson'", why: 'streaming pages' },
  { file: 'src/routes/orders.ts', anchor: "ordersRouter.post('/:orderId/invoice'", why: 'awaits that depend on each other' },
  { file: 'src/server.ts', anchor: "app.get('/healthz'", why: 'one query per health check' },
];

const key = (rule: string, file: string, line: number): string => `${rule} ${file}:${line}`;

function relative(file: string): string {
  return path.relative(EXAMPLE, file).split(path.sep).join('/');
}

/** Scans the example as `perflens scan examples/shop-api` does. */
function scanExample(): { files: number; findings: Finding[]; errors: string[] } {
  const discovery = discoverFiles([EXAMPLE]);
  const result = analyze(discovery.files, { syntaxErrors: 'skip' });
  return {
    files: result.files,
    findings: result.findings,
    errors: [...discovery.errors, ...result.errors].map((error) => `${relative(error.file)}: ${error.message}`),
  };
}

/** 1-based first and last line of the innermost statement (in a block or at top level) holding `anchor`. */
function statementLines(file: string, anchor: string): { first: number; last: number } {
  const text = fs.readFileSync(path.join(EXAMPLE, file), 'utf8');
  const at = text.indexOf(anchor);
  if (at < 0 || text.indexOf(anchor, at + 1) >= 0) throw new Error(`${file}: the anchor "${anchor}" must occur exactly once`);
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let statement: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) > at || node.end <= at) return;
    const parent = node.parent;
    if (parent && (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent))) statement = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  if (!statement) throw new Error(`${file}: no statement holds "${anchor}"`);
  const line = (offset: number): number => sourceFile.getLineAndCharacterOfPosition(offset).line + 1;
  return { first: line(statement.getStart(sourceFile)), last: line(statement.end) };
}

describe('examples/shop-api', () => {
  const scan = scanExample();
  const found = new Map(scan.findings.map((finding) => [key(finding.rule, relative(finding.file), finding.range.start.line), finding]));

  it('scans every source file without errors', () => {
    expect(scan.errors).toEqual([]);
    expect(scan.files).toBe(17);
  });

  describe.each(EXPECTED.map((expected) => [key(expected.rule, expected.file, expected.line), expected] as const))('%s', (_key, expected) => {
    const test = !knownRuleIds.has(expected.rule) ? it.skip : expected.gap ? it.fails : it;
    test(expected.gap ? `misses ${expected.problem} (known gap: ${expected.gap})` : `reports ${expected.problem}`, () => {
      const finding = found.get(key(expected.rule, expected.file, expected.line));
      const sameRule = scan.findings.filter((f) => f.rule === expected.rule).map((f) => `${relative(f.file)}:${f.range.start.line}`);
      expect(finding, `${expected.rule} reported at: ${sameRule.join(', ') || 'nowhere'}`).toBeDefined();
    });
  });

  it('reports nothing beyond the expected findings', () => {
    const expected = new Set(EXPECTED.map((e) => key(e.rule, e.file, e.line)));
    const unexpected = [...found.entries()].filter(([k]) => !expected.has(k)).map(([k, f]) => `${k} — ${f.message}`);
    expect(unexpected).toEqual([]);
  });

  it.each(LOOK_ALIKES.map((lookAlike) => [`${lookAlike.file}: ${lookAlike.why}`, lookAlike] as const))('stays quiet on %s', (_name, lookAlike) => {
    const { first, last } = statementLines(lookAlike.file, lookAlike.anchor);
    const inside = scan.findings
      .filter((f) => relative(f.file) === lookAlike.file && f.range.start.line >= first && f.range.start.line <= last)
      .map((f) => `${f.rule} at ${f.range.start.line}: ${f.message}`);
    expect(inside).toEqual([]);
  });

  it('offers a safe fix for exactly the findings listed, at least half of them, and the README says which', () => {
    const safe = scan.findings.filter((f) => f.fixes.some((fix) => fix.safe)).map((f) => key(f.rule, relative(f.file), f.range.start.line));
    expect(safe.sort()).toEqual([...SAFE_FIXES].sort());
    expect(SAFE_FIXES.length * 2).toBeGreaterThanOrEqual(EXPECTED.length);
    const readme = fs.readFileSync(path.join(EXAMPLE, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What `perflens scan --fix` changes'));
    const listed = [...section.matchAll(/^- `([a-z-]+)` at `([^`:]+):(\d+)`/gm)].map(([, rule, file, line]) => key(rule, file, Number(line)));
    expect(listed.sort()).toEqual([...SAFE_FIXES].sort());
  });

  it('matches the table in the README', () => {
    const readme = fs.readFileSync(path.join(EXAMPLE, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| `([^`:]+):(\d+)` \|(.*)$/gm)];
    const listed = rows.map(([, rule, file, line]) => key(rule, file, Number(line)));
    expect(listed.sort()).toEqual(EXPECTED.map((e) => key(e.rule, e.file, e.line)).sort());
    const markedAsGaps = rows.filter((row) => row[4].includes('not reported yet')).map(([, rule, file, line]) => key(rule, file, Number(line)));
    expect(markedAsGaps.sort()).toEqual(EXPECTED.filter((e) => e.gap).map((e) => key(e.rule, e.file, e.line)).sort());
  });
});
