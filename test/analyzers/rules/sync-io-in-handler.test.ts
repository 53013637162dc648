import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../../src/analyzers/engine';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings, ruleNamed, shownText } from '../../helpers/analyze';
import { expectSameBehaviour, run } from '../../helpers/behaviour';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'sync-io-in-handler';
const tester = ruleTester(rule);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-sync-io-handler-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sync-io-in-handler safe fix keeps behaviour', () => {
  it('an async (req, res) handler: readFileSync / statSync → fs.promises, same responses and errors', async () => {
    const before = `
import fs from 'node:fs';
import path from 'node:path';

export async function getReport(req, res) {
  try {
    const text = fs.readFileSync(path.join(req.params.dir, req.params.name), 'utf8');
    const size = fs.statSync(path.join(req.params.dir, req.params.name)).size;
    res.status(200).json({ text, size });
  } catch (error) {
    res.status(404).json({ code: error.code });
  }
}

export async function run(dir: string, name: string) {
  const res = {
    status(code: number) { log.push(['status', code]); return res; },
    json(body: unknown) { log.push(['json', body]); },
  };
  await getReport({ params: { dir, name } }, res);
  return 'done';
}`;
    fs.writeFileSync(path.join(dir, 'a.txt'), 'hello');
    fs.writeFileSync(path.join(dir, 'big.txt'), 'x'.repeat(200_000));
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'blocking', line: 7, column: 18 },
        { messageId: 'blocking', line: 8, column: 18 },
      ],
      output: before
        .replace(
          'fs.readFileSync(path.join(req.params.dir, req.params.name), ',
          'await fs.promises.readFile(path.join(req.params.dir, req.params.name), ',
        )
        .replace(
          'fs.statSync(path.join(req.params.dir, req.params.name)).size',
          '(await fs.promises.stat(path.join(req.params.dir, req.params.name))).size',
        ),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [dir, 'a.txt'],
          [dir, 'big.txt'],
          [dir, 'missing.txt'],
          [dir, ''],
        ],
      },
    });
  });

  it('Koa-style middleware registered with app.use: mkdirSync / writeFileSync / readdirSync', async () => {
    const before = `
import * as fs from 'fs';
import path from 'path';

const middleware: Array<(ctx: any, next: () => Promise<void>) => Promise<void>> = [];
const app = { use(fn: (ctx: any, next: () => Promise<void>) => Promise<void>) { middleware.push(fn); } };

app.use(async (ctx, next) => {
  fs.mkdirSync(path.join(ctx.dir, 'uploads'), { recursive: true });
  fs.writeFileSync(path.join(ctx.dir, 'uploads', ctx.name), ctx.body);
  ctx.files = fs.readdirSync(path.resolve(ctx.dir)).sort();
  await next();
});

export async function run(dir: string, name: string, body: string) {
  const ctx: any = { dir, name, body };
  for (const fn of middleware) await fn(ctx, async () => { log.push(['next', ctx.files.length]); });
  return ctx.files;
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'blocking', line: 9, column: 3 },
        { messageId: 'blocking', line: 10, column: 3 },
        { messageId: 'blocking', line: 11, column: 15 },
      ],
      output: before
        .replace('fs.mkdirSync(', 'await fs.promises.mkdir(')
        .replace('fs.writeFileSync(', 'await fs.promises.writeFile(')
        .replace('fs.readdirSync(path.resolve(ctx.dir)).sort()', '(await fs.promises.readdir(path.resolve(ctx.dir))).sort()'),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [path.join(dir, 'koa'), 'one.txt', 'a'],
          [path.join(dir, 'koa'), 'two.txt', ''],
          [path.join(dir, 'koa'), 'ü.txt', 'z'.repeat(50_000)],
        ],
      },
    });
  });
});

describe('sync-io-in-handler: a synchronous Express 5 route handler becomes async (safe)', () => {
  const ROUTES = `import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';

export const reportsRouter = Router();

reportsRouter.get('/exports/:name', (req, res) => {
  const name = path.basename(req.params.name);
  if (!name.endsWith('.csv')) return res.status(400).json({ error: 'only CSV exports can be downloaded' });
  try {
    const csv = readFileSync(
      path.join(req.params.dir, name),
      'utf8',
    );
    res.type('text/csv').send(csv);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    res.status(404).json({ error: 'no such export' });
  }
});

export function run(dir: string, name: string) {
  const res = {
    status(code: number) { log.push(['status', code]); return res; },
    json(body: unknown) { log.push(['json', body]); return res; },
    type(type: string) { log.push(['type', type]); return res; },
    send(body: unknown) { log.push(['send', String(body)]); return res; },
  };
  return reportsRouter.dispatch({ params: { dir, name } }, res);
}`;

  /**
   * What Express 5's router does with a handler (router 2.x, Layer#handleRequest): an error thrown
   * synchronously goes to next(err); a returned promise that rejects goes to next(err), or to
   * next(new Error('Rejected promise')) for a falsy reason; any other return value is ignored.
   * `dispatch` settles when the handler has finished (the router itself does not wait), so the test can compare what it did.
   */
  const express5 = {
    Router() {
      const handlers: Array<(req: unknown, res: unknown, next: (error?: unknown) => void) => unknown> = [];
      return {
        get(_path: string, handler: (typeof handlers)[number]) {
          handlers.push(handler);
        },
        dispatch(req: unknown, res: unknown) {
          return new Promise<string>((resolve) => {
            const next = (error?: unknown) => resolve(`next(${error ? ((error as { code?: string }).code ?? String(error)) : ''})`);
            try {
              const returned = handlers[0](req, res, next) as { then?: unknown } | undefined;
              if (returned && typeof returned.then === 'function')
                (returned as Promise<unknown>).then(
                  () => resolve('finished'),
                  (error: unknown) => next(error || new Error('Rejected promise')),
                );
              else resolve('finished');
            } catch (error) {
              next(error);
            }
          });
        },
      };
    },
  };

  function projectWith(express: string | undefined): string {
    const project = fs.mkdtempSync(path.join(dir, 'express-'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'shop', dependencies: express ? { express } : {} }));
    fs.mkdirSync(path.join(project, 'src'));
    fs.writeFileSync(path.join(project, 'src', 'reports.ts'), ROUTES);
    return path.join(project, 'src', 'reports.ts');
  }

  it('readFileSync → async handler and await readFile: the same responses, and errors reach next(err) as before', async () => {
    const file = projectWith('^5.1.0');
    const found = new Analyzer({ rules: [ruleNamed(rule)] }).analyzeFile(file).findings;
    expect(found.map((f) => [f.messageId, f.range.start.line, f.range.start.column])).toEqual([['blockingSyncHandler', 11, 17]]);
    const [fix] = found[0].fixes;
    expect(fix.safe).toBe(true);
    expect(fix.title).toBe('Make the handler async and use await readFile(…)');
    const after = applyFixes(ROUTES, [fix]).text;
    expect(after).toBe(
      ROUTES.replace("import { readFileSync } from 'node:fs';", "import { readFile } from 'node:fs/promises';")
        .replace("reportsRouter.get('/exports/:name', (req, res) => {", "reportsRouter.get('/exports/:name', async (req, res) => {")
        .replace('const csv = readFileSync(', 'const csv = await readFile('),
    );
    const exports = path.join(dir, 'exports');
    fs.mkdirSync(path.join(exports, 'folder.csv'), { recursive: true });
    fs.writeFileSync(path.join(exports, 'sales.csv'), 'day,orders\n2024-01-01,3\n');
    await expectSameBehaviour(
      ROUTES,
      after,
      'run',
      [
        [exports, 'sales.csv'],
        [exports, 'missing.csv'],
        [exports, 'notes.txt'],
        // EISDIR: rethrown, so it goes to next(err) from the synchronous handler and from the async one alike.
        [exports, 'folder.csv'],
      ],
      { express: express5 },
    );
    expect(await run(ROUTES, 'run', [exports, 'folder.csv'], { express: express5 })).toMatchObject({ value: 'next(EISDIR)' });
    expect(await run(ROUTES, 'run', [exports, 'sales.csv'], { express: express5 })).toMatchObject({ value: 'finished' });
  });

  it.each([
    ['Express 4', '^4.21.0'],
    ['a range that allows Express 4', '^4.0.0 || ^5.0.0'],
    ['no declared version', undefined],
  ])('%s: no fix (a rejected promise never reaches the error handler)', (_name, express) => {
    const found = new Analyzer({ rules: [ruleNamed(rule)] }).analyzeFile(projectWith(express)).findings;
    expect(found.map((f) => [f.messageId, f.fixes.length])).toEqual([['blockingSyncHandler', 0]]);
  });
});

describe('sync-io-in-handler without a safe fix', () => {
  it('a synchronous Express handler gets the "make it async" message and no fix', async () => {
    const code = `import fs from 'fs';\napp.get('/a', (req, res) => { res.send(fs.readFileSync('a.txt')); });`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'blockingSyncHandler', line: 2, column: 40 }] });
    expect(shownText(finding)).toContain('Make the handler async');
    expect(shownText(finding)).toContain('next(err)');
    expect(finding.fixes).toEqual([]);
  });

  it('a synchronous Nest handler: no Express note', async () => {
    const code = `import fs from 'fs';\n@Controller() class A { @Get() f() { return fs.readFileSync('a.txt'); } }`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'blockingSyncHandler', line: 2, column: 45 }] });
    expect(shownText(finding)).toContain('Make the handler async');
    expect(shownText(finding)).not.toContain('Express');
  });

  it.each([
    [
      'a file descriptor',
      `import fs from 'fs';\napp.get('/a', async (req, res) => { const fd = req.fd; res.send(fs.readFileSync(fd)); });`,
      [{ messageId: 'blocking', line: 2, column: 65 }],
    ],
    [
      'a named import whose twin name is taken',
      `import { readFileSync } from 'fs';\nconst readFile = 1;\napp.get('/a', async (req, res) => { res.send(readFileSync('a.txt')); });`,
      [{ messageId: 'blocking', line: 3, column: 46 }],
    ],
    [
      'fs-extra (its promises twin depends on the version)',
      `import fse from 'fs-extra';\napp.get('/a', async (req, res) => { res.send(fse.readFileSync('a.txt')); });`,
      [{ messageId: 'blocking', line: 2, column: 46 }],
    ],
    [
      'a timer callback inside an async handler',
      `import fs from 'fs';\napp.get('/a', async (req, res) => { setImmediate(() => fs.writeFileSync('a.log', 'x')); res.end(); });`,
      [{ messageId: 'blocking', line: 2, column: 56 }],
    ],
    [
      'execSync',
      `import cp from 'child_process';\napp.get('/a', async (req, res) => { res.send(cp.execSync('ls')); });`,
      [{ messageId: 'blocking', line: 2, column: 46 }],
    ],
  ])('%s is reported without a safe fix', async (_name, code, errors) => {
    // Without an `output`, the tester asserts that no fix is safe.
    await tester.invalid({ code, errors });
  });
});

describe('sync-io-in-handler reports', () => {
  it.each([
    [
      'a Next.js pages/api default export',
      'pages/api/report.ts',
      `import fs from 'fs';\nexport default function handler(req, res) { res.json(JSON.parse(fs.readFileSync('data.json', 'utf8'))); }`,
      [{ messageId: 'blockingSyncHandler', line: 2, column: 65 }],
    ],
    [
      'a named handler registered elsewhere',
      'src/routes.ts',
      `import fs from 'fs';\nfunction download(q, s) { s.send(fs.readFileSync('f')); }\nrouter.get('/download', download);`,
      [{ messageId: 'blockingSyncHandler', line: 2, column: 34 }],
    ],
    [
      'a controller file: exports.x = (req, res) => …',
      'src/controllers/users.js',
      `const fs = require('fs');\nexports.avatar = (req, res) => res.send(fs.readFileSync('a.png'));`,
      [{ messageId: 'blockingSyncHandler', line: 2, column: 41 }],
    ],
    [
      'a lazily filled per-key cache still reads per new key',
      'src/a.ts',
      `import fs from 'fs';\nconst cache = new Map();\napp.get('/p/:n', (req, res) => { if (!cache.has(req.params.n)) cache.set(req.params.n, fs.readFileSync(req.params.n)); res.send(cache.get(req.params.n)); });`,
      [{ messageId: 'blockingSyncHandler', line: 3, column: 88 }],
    ],
  ])('%s', async (_name, filename, code, errors) => {
    await tester.invalid({ code, filename, errors });
  });

  it('getServerSideProps', async () => {
    await tester.invalid({
      filename: 'pages/posts/[id].tsx',
      code: `import fs from 'fs';\nexport async function getServerSideProps() { return { props: { md: fs.readFileSync('p.md', 'utf8') } }; }`,
      errors: [{ messageId: 'blocking', line: 2, column: 68 }],
      output: `import fs from 'fs';\nexport async function getServerSideProps() { return { props: { md: await fs.promises.readFile('p.md', 'utf8') } }; }`,
    });
  });
});

describe('sync-io-in-handler stays quiet', () => {
  it.each([
    [
      'a worker thread',
      'src/resize.ts',
      `import { parentPort } from 'worker_threads';\nimport fs from 'fs';\nparentPort.on('message', (req, res) => fs.readFileSync(req));`,
    ],
    [
      'a *.worker.ts file',
      'src/thumbs.worker.ts',
      `import fs from 'fs';\nexport function handle(req, res) { return fs.readFileSync(req.path); }`,
    ],
    [
      'a shebang CLI',
      'src/serve.ts',
      `#!/usr/bin/env node\nimport fs from 'fs';\napp.get('/', (req, res) => res.send(fs.readFileSync('index.html')));`,
    ],
    [
      'a bin/ script',
      'bin/dev-server.js',
      `const fs = require('fs');\napp.get('/', (req, res) => res.send(fs.readFileSync('index.html')));`,
    ],
    [
      'a config file',
      'vite.config.ts',
      `import fs from 'fs';\nexport default { server: { proxy: {} }, configureServer(s) { s.middlewares.use((req, res, next) => res.end(fs.readFileSync('x'))); } };`,
    ],
    [
      'lazy init with if (!x)',
      'src/a.ts',
      `import fs from 'fs';\nlet html;\napp.get('/', (req, res) => { if (!html) { html = fs.readFileSync('index.html', 'utf8'); } res.send(html); });`,
    ],
    [
      'lazy init on this',
      'src/a.ts',
      `import fs from 'fs';\nclass C { @Get() page() { if (this.html === undefined) this.html = fs.readFileSync('i.html', 'utf8'); return this.html; } }`,
    ],
    [
      'start-up inside a setup function',
      'src/a.ts',
      `import fs from 'fs';\nexport function start(app) { const key = fs.readFileSync('key.pem'); app.listen(443, () => fs.writeFileSync('pid', '1')); return key; }`,
    ],
  ])('%s', (_name, filename, code) => {
    expect(findings(code, { rule, filename })).toEqual([]);
  });
});

describe('sync-io-in-handler and sync-io-in-async never report the same call', () => {
  it('one finding for a blocking call in an async handler, from the handler rule', () => {
    const code = `import fs from 'fs';\napp.get('/a', async (req, res) => { res.send(fs.readFileSync('a.txt')); });\nexport async function job() { return fs.readFileSync('b.txt'); }`;
    const found = findings(code, { rules: [ruleNamed('sync-io-in-async'), ruleNamed(rule)] });
    expect(found.map((f) => [f.rule, f.messageId, f.range.start.line, f.range.start.column])).toEqual([
      [rule, 'blocking', 2, 46],
      ['sync-io-in-async', 'blocking', 3, 38],
    ]);
  });

  it('lazy initialisation in a handler is left to neither', () => {
    const code = `import fs from 'fs';\nlet t;\napp.get('/a', async (req, res) => { t ??= fs.readFileSync('a.txt'); res.send(t); });`;
    expect(findings(code, { rules: [ruleNamed('sync-io-in-async'), ruleNamed(rule)] })).toEqual([]);
  });
});

describe('sync-io-in-handler stays quiet in dev servers', () => {
  it('a Vite dev-server middleware', () => {
    expect(
      findings(
        `import fs from 'node:fs';\nimport type { ViteDevServer } from 'vite';\nexport function dev(router, server: ViteDevServer) {\n  router.use(async (req, res, next) => { const html = fs.readFileSync('index.html', 'utf8'); res.send(await server.transformIndexHtml(req.url, html)); });\n}`,
        { rule },
      ),
    ).toEqual([]);
  });
});
