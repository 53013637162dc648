/**
 * ESLint's `no-await-in-loop` and eslint-plugin-n's `no-sync` test cases, side by side with what
 * PerfLens says about the same code. ESLint forbids a syntax (an `await` in a loop, a `*Sync`
 * call); PerfLens reports a cost (a round trip per item, a blocking call where others wait), so it
 * says nothing about the literal cases — `await bar` on an unknown value is no round trip — and
 * reports their realistic counterparts only where the loop walks a collection or the call blocks a
 * server. The reasons for each are in the issue 5 note.
 */
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../src/analyzers/engine';
import { allRules } from '../../../src/analyzers/registry';
import { virtualPath } from '../../helpers/analyze';

const OURS = allRules.filter((rule) => ['database', 'sync-io', 'concurrency'].includes(rule.meta.category));

interface Report {
  rule: string;
  messageId: string;
  line: number;
  column: number;
}

/** What PerfLens reports on `code`: rule, message and where, as a rule tester names it. */
function reports(code: string, filename = 'src/example.ts'): Report[] {
  const analyzer = new Analyzer({ rules: OURS, syntaxErrors: 'skip' });
  const result = analyzer.analyzeText(virtualPath(filename), code);
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.findings.map((f) => ({ rule: f.rule, messageId: f.messageId, line: f.range.start.line, column: f.range.start.column }));
}

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

describe('ESLint no-await-in-loop invalid cases, as ESLint writes them: nothing to report', () => {
  it.each([
    'async function foo() { while (baz) { await bar; } }',
    'async function foo() { while (await foo()) {  } }',
    'async function foo() { while (baz) { for await (x of xs); } }',
    'async function foo() { for (var bar of baz) { await bar; } }',
    'async function foo() { for (var bar of baz) await bar; }',
    'async function foo() { for (var bar in baz) { await bar; } }',
    'async function foo() { for (var i; i < n; i++) { await bar; } }',
    'async function foo() { for (var i; await foo(i); i++) {  } }',
    'async function foo() { for (var i; i < n; i = await bar) {  } }',
    'async function foo() { do { await bar; } while (baz); }',
    'async function foo() { do { } while (await bar); }',
    'async function foo() { while (true) { if (bar) { foo(await bar); } } }',
    'async function foo() { while (xyz || 5 > await x) {  } }',
    'async function foo() { for await (var x of xs) { while (1) await f(x) } }',
  ])('%s', (code) => {
    expect(reports(code)).toEqual([]);
  });
});

describe('ESLint no-await-in-loop invalid cases with a real round trip in place of `bar`', () => {
  it.each([
    // Repetition that is not a walk over a collection: polling, pagination, retry — deliberately quiet.
    [
      'while (cond) — polling or pagination',
      `${PRISMA}async function f(id) { let done = false; while (!done) { done = (await prisma.job.findUnique({ where: { id } }))?.done; } }`,
      [],
    ],
    [
      'while (await …) — polling',
      `${PRISMA}async function f(id) { while (await prisma.lock.count({ where: { id } })) { await sleep(100); } }`,
      [],
    ],
    [
      'for (…; await …; …) — a condition that waits',
      `${PRISMA}async function f() { for (let page = 0; (await prisma.log.count({ where: { page } })) > 0; page++) {} }`,
      [],
    ],
    [
      'for (…; …; i = await …) — a cursor carried from the last result',
      `${PRISMA}async function f() { for (let cursor = ''; cursor; cursor = (await prisma.log.findMany({ cursor: { id: cursor }, take: 100 })).at(-1)?.id) {} }`,
      [],
    ],
    [
      'do … while (hasMore) — pagination',
      `${PRISMA}async function f() { let skip = 0; let rows; do { rows = await prisma.log.findMany({ skip, take: 100 }); skip += 100; } while (rows.length); }`,
      [],
    ],
    [
      'while (true) — retry until it succeeds',
      `${PRISMA}async function f(id) { while (true) { try { return await prisma.job.update({ where: { id }, data: {} }); } catch { await sleep(50); } } }`,
      [],
    ],
    // Walks over a collection: a round trip per item.
    [
      'for…of',
      `${PRISMA}async function f(ids) { for (const id of ids) { await prisma.user.findUnique({ where: { id } }); } }`,
      [{ rule: 'query-in-loop', messageId: 'perItem', line: 3, column: 55 }],
    ],
    [
      'for…in',
      `${PRISMA}async function f(byId) { for (const id in byId) await prisma.user.update({ where: { id }, data: byId[id] }); }`,
      [{ rule: 'query-in-loop', messageId: 'perItem', line: 3, column: 55 }],
    ],
    [
      'an index loop over an array',
      `async function f(urls) { for (let i = 0; i < urls.length; i++) { await fetch(urls[i]); } }`,
      [{ rule: 'request-in-loop', messageId: 'sequential', line: 1, column: 72 }],
    ],
    [
      'do … while over a worklist',
      `${PRISMA}async function f(root) { const queue = [root]; do { const id = queue.shift(); queue.push(...(await prisma.node.findMany({ where: { parentId: id } })).map((n) => n.id)); } while (queue.length); }`,
      [{ rule: 'query-in-loop', messageId: 'perItem', line: 3, column: 100 }],
    ],
    // Awaiting promises that already run is not a round trip per item.
    [
      'for…of awaiting promises started before the loop',
      `${PRISMA}async function f(ids) { const pending = ids.map((id) => prisma.user.findUnique({ where: { id } })); for (const p of pending) await p; }`,
      [],
    ],
  ])('%s', (_name, code, expected) => {
    expect(reports(code)).toEqual(expected);
  });

  it('where ESLint stays quiet (an async callback) PerfLens still counts the round trips', () => {
    expect(
      reports(
        `${PRISMA}async function f(ids) { await Promise.all(ids.map(async (id) => { await prisma.user.findFirst({ where: { id } }); })); }`,
      ),
    ).toEqual([{ rule: 'query-in-loop', messageId: 'perItemConcurrent', line: 3, column: 73 }]);
  });
});

describe('eslint-plugin-n no-sync cases', () => {
  it.each([
    'var foo = fs.fooSync();',
    'var foo = fs.fooSync.apply();',
    'var foo = fooSync();',
    'var foo = fooSync.apply();',
    'if (true) {fs.fooSync();}',
    'function someFunction() {fs.fooSync();}',
    'var a = function someFunction() {fs.fooSync();}',
    '() => {fs.fooSync();}',
    'declare function fooSync(): void;\nfooSync();',
    'const stylesheet = new CSSStyleSheet();\nstylesheet.replaceSync("body { font-size: 1.4em; } p { color: red; }");',
    'import { fooSync } from "aaa";\nfooSync();',
  ])('as n/no-sync writes them (an unknown fooSync, no fs import): %s', (code) => {
    expect(reports(code)).toEqual([]);
  });

  it.each([
    ['fs at module top level (start-up)', `import fs from 'fs';\nvar foo = fs.readFileSync('config.json');`, 'src/config.ts', []],
    ['inside if at the top level', `import fs from 'fs';\nif (process.env.X) { fs.readFileSync('x'); }`, 'src/config.ts', []],
    [
      'a plain synchronous function',
      `import fs from 'fs';\nexport function someFunction() { return fs.readFileSync('x'); }`,
      'src/util.ts',
      [],
    ],
    ['an arrow function', `import fs from 'fs';\nexport const read = () => { return fs.readFileSync('x'); };`, 'src/util.ts', []],
    [
      'an async function',
      `import fs from 'fs';\nexport async function someFunction(p: string) { return fs.readFileSync(p); }`,
      'src/util.ts',
      [{ rule: 'sync-io-in-async', messageId: 'blocking', line: 2, column: 56 }],
    ],
    [
      'a request handler',
      `import fs from 'fs';\napp.get('/x', (req, res) => { res.send(fs.readFileSync('x')); });`,
      'src/server.ts',
      [{ rule: 'sync-io-in-handler', messageId: 'blockingSyncHandler', line: 2, column: 40 }],
    ],
    [
      'a message listener',
      `import fs from 'fs';\nsocket.on('message', (m) => { fs.appendFileSync('log', m); });`,
      'src/ws.ts',
      [{ rule: 'sync-io-in-callback', messageId: 'blocking', line: 2, column: 31 }],
    ],
    ['a CLI script', `import fs from 'fs';\nexport async function main() { fs.writeFileSync('out', ''); }`, 'scripts/build.ts', []],
    ['a test', `import fs from 'fs';\nit('x', async () => { fs.readFileSync('fixture'); });`, 'src/x.test.ts', []],
  ])('%s', (_name, code, filename, expected) => {
    expect(reports(code, filename)).toEqual(expected);
  });
});
