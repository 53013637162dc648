import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/analyzers/fixes';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';
import { ProjectHost, syntaxErrors } from '../../../src/analyzers/project';

const rule = 'read-per-request';
const tester = ruleTester(rule);

const express = `import express from 'express';\nconst app = express();\n`;

describe('read-per-request reports', () => {
  it.each([
    [
      'fs.readFileSync of a literal',
      `import fs from 'fs';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync('index.html', 'utf8')));`,
      [{ messageId: 'readSync', line: 4, column: 37 }],
    ],
    [
      'a named readFileSync import and path.join(__dirname, …)',
      `import { readFileSync } from 'node:fs';\nimport path from 'node:path';\n${express}app.get('/', (req, res) => res.send(readFileSync(path.join(__dirname, 'views', 'index.html'))));`,
      [{ messageId: 'readSync', line: 5, column: 37 }],
    ],
    [
      'a named join import',
      `import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\n${express}app.get('/', (req, res) => res.send(readFileSync(join(__dirname, 'a.txt'))));`,
      [{ messageId: 'readSync', line: 5, column: 37 }],
    ],
    [
      'await fs.promises.readFile',
      `import * as fs from 'fs';\n${express}app.get('/', async (req, res) => res.send(await fs.promises.readFile('a.json', 'utf8')));`,
      [{ messageId: 'read', line: 4, column: 49 }],
    ],
    [
      'fs/promises default import',
      `import fsp from 'node:fs/promises';\n${express}app.post('/x', async (req, res) => { res.json(JSON.parse(await fsp.readFile('/etc/app/x.json', 'utf8'))); });`,
      [{ messageId: 'read', line: 4, column: 64 }],
    ],
    [
      'fs/promises named import',
      `import { readFile } from 'fs/promises';\n${express}app.get('/', async (req, res) => res.send(await readFile('a.txt')));`,
      [{ messageId: 'read', line: 4, column: 49 }],
    ],
    [
      'promises imported from fs',
      `import { promises as fsp } from 'fs';\n${express}app.get('/', async (req, res) => res.send(await fsp.readFile('a.txt')));`,
      [{ messageId: 'read', line: 4, column: 49 }],
    ],
    [
      'the callback form',
      `import fs from 'fs';\n${express}app.get('/', (req, res) => fs.readFile('a.txt', 'utf8', (err, text) => res.send(text)));`,
      [{ messageId: 'read', line: 4, column: 28 }],
    ],
    [
      'fs-extra readJson (promise form)',
      `import fse from 'fs-extra';\n${express}app.get('/', async (req, res) => res.json(await fse.readJson('data.json')));`,
      [{ messageId: 'read', line: 4, column: 49 }],
    ],
    [
      "require('fs') in http.createServer",
      `const fs = require('fs');\nconst http = require('http');\nhttp.createServer((req, res) => { res.end(fs.readFileSync('./banner.txt')); }).listen(80);`,
      [{ messageId: 'readSync', line: 3, column: 43 }],
    ],
    [
      'a module-level constant path',
      `import fs from 'fs';\nimport path from 'path';\nconst VIEWS = path.resolve(__dirname, '..', 'views');\nconst INDEX = path.join(VIEWS, 'index.html');\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(INDEX, 'utf8')));`,
      [{ messageId: 'readSync', line: 7, column: 37 }],
    ],
    [
      'a template of constants',
      `import fs from 'fs';\nconst DIR = '/srv';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(\`\${DIR}/x.html\`)));`,
      [{ messageId: 'readSync', line: 5, column: 37 }],
    ],
    [
      'process.env and process.cwd()',
      `import fs from 'fs';\nimport path from 'path';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(path.join(process.cwd(), process.env.PAGE ?? 'index.html'))));`.replace(
        " ?? 'index.html'",
        '',
      ),
      [{ messageId: 'readSync', line: 5, column: 37 }],
    ],
    [
      'a directory from an imported configuration object',
      `import { readFile } from 'fs/promises';\nimport path from 'path';\nimport { config } from './config';\n${express}app.get('/r', async (req, res) => res.send(await readFile(path.join(config.templateDir, 'receipt.html'), 'utf8')));`,
      [{ messageId: 'read', line: 6, column: 50 }],
    ],
    [
      'a nested callback inside a handler',
      `import fs from 'fs';\n${express}app.get('/', (req, res) => { [1, 2].forEach(() => fs.readFileSync('a.txt')); res.end(); });`,
      [{ messageId: 'readSync', line: 4, column: 51 }],
    ],
    [
      'a Next.js route handler',
      `import { readFile } from 'fs/promises';\nexport async function GET() { return new Response(await readFile('public/data.json')); }`,
      [{ messageId: 'read', line: 2, column: 57 }],
    ],
    [
      'a Nest controller method',
      `import { Controller, Get } from '@nestjs/common';\nimport * as fs from 'fs';\n@Controller('x')\nexport class X { @Get() list() { return fs.readFileSync('list.json', 'utf8'); } }`,
      [{ messageId: 'readSync', line: 4, column: 41 }],
    ],
  ])('%s', async (_name, code, errors) => {
    const filename = code.includes('export async function GET')
      ? 'app/api/data/route.ts'
      : code.includes('require(')
        ? 'server.js'
        : undefined;
    await tester.invalid({ code, filename, errors });
  });

  it('names the file and the call', async () => {
    const [finding] = await tester.invalid({
      code: `import fs from 'fs';\nimport path from 'path';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(path.join(__dirname, 'views', 'index.html'), 'utf8')));`,
      errors: [{ messageId: 'readSync', line: 5, column: 37 }],
    });
    expect(finding.message).toContain('`fs.readFileSync`');
    expect(finding.message).toContain('`views/index.html`');
    expect(finding.message).toMatch(/every request/);
    expect(finding.message).toMatch(/blocking/);
  });
});

describe('read-per-request stays quiet', () => {
  it.each([
    [
      'a read at module level',
      `import fs from 'fs';\nconst html = fs.readFileSync('index.html', 'utf8');\n${express}app.get('/', (req, res) => res.send(html));`,
    ],
    [
      'a path from the request',
      `import fs from 'fs';\nimport path from 'path';\n${express}app.get('/f/:name', (req, res) => res.send(fs.readFileSync(path.join(__dirname, 'files', path.basename(req.params.name)))));`,
    ],
    [
      'a path from a variable computed per request',
      `import fs from 'fs';\n${express}app.get('/', (req, res) => { const file = req.query.lang === 'de' ? 'de.html' : 'en.html'; res.send(fs.readFileSync(file)); });`,
    ],
    [
      'a path from a module-level let',
      `import fs from 'fs';\nlet current = 'a.html';\nexport function use(p: string) { current = p; }\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(current)));`,
    ],
    [
      'a module-level object whose property this file changes',
      `import fs from 'fs';\nconst state = { page: 'a.html' };\nexport function use(p: string) { state.page = p; }\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(state.page)));`,
    ],
    ['a read outside any handler', `import fs from 'fs';\nexport function load() { return fs.readFileSync('a.txt', 'utf8'); }`],
    [
      'a user function named readFileSync',
      `${express}function readFileSync(p: string) { return p; }\napp.get('/', (req, res) => res.send(readFileSync('a')));`,
    ],
    [
      'a method on another object',
      `import cache from './cache';\n${express}app.get('/', async (req, res) => res.send(await cache.readFile('a.txt')));`,
    ],
    [
      'path.join through something that is not the path module',
      `import fs from 'fs';\nimport url from './url';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(url.join('a', 'b'))));`,
    ],
    ['writes', `import fs from 'fs';\n${express}app.post('/', (req, res) => { fs.writeFileSync('log.txt', 'x'); res.end(); });`],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });

  it.each([
    ['a test file', 'test/server.test.ts'],
    ['a script', 'scripts/serve.ts'],
  ])('in %s', (_name, filename) => {
    const code = `import fs from 'fs';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync('fixture.json')));`;
    expect(findings(code, { rule, filename })).toEqual([]);
  });

  it('does not throw on broken syntax', () => {
    expect(() =>
      findings(`import fs from 'fs';\napp.get('/', (req, res) => fs.readFileSync(`, { rule, syntaxErrors: 'analyze' }),
    ).not.toThrow();
    expect(() =>
      findings(`import fs from 'fs';\napp.get('/', (req, res) => fs.readFile())`, { rule, syntaxErrors: 'analyze' }),
    ).not.toThrow();
  });
});

describe('read-per-request fixes are previews', () => {
  const parses = (text: string, file = '/virtual/x.ts') => syntaxErrors(new ProjectHost().parse(file, text)).length === 0;

  it('a sync read becomes a module-level const read at start-up', async () => {
    const code = `import fs from 'fs';\nimport path from 'path';\n${express}app.get('/', (req, res) => {\n  res.send(fs.readFileSync(path.join(__dirname, 'index.html'), 'utf8'));\n});\n`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'readSync', line: 6, column: 12 }] });
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
    const after = applyFixes(code, finding.fixes).text;
    expect(after).toContain("const indexHtml = fs.readFileSync(path.join(__dirname, 'index.html'), 'utf8');\n\napp.get('/'");
    expect(after).toContain('res.send(indexHtml);');
    expect(parses(after)).toBe(true);
  });

  it('a promise read becomes a cached promise, typed in TypeScript', async () => {
    const code = `import fsp from 'fs/promises';\n${express}app.get('/', async (req, res) => {\n  res.send(await fsp.readFile('data.json', 'utf8'));\n});\n`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'read', line: 5, column: 18 }] });
    const after = applyFixes(code, finding.fixes).text;
    expect(after).toContain('let dataJsonPromise: Promise<string> | undefined;');
    expect(after).toContain("await (dataJsonPromise ??= fsp.readFile('data.json', 'utf8'))");
    expect(parses(after)).toBe(true);
  });

  it('goes after a module-level constant the path needs when that is declared later', async () => {
    const code = `import fs from 'fs';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync(FILE)));\nconst FILE = '/srv/a.txt';\n`;
    const [finding] = await tester.invalid({ code, errors: [{ messageId: 'readSync', line: 4, column: 37 }] });
    const after = applyFixes(code, finding.fixes).text;
    expect(after.indexOf('const aTxt')).toBeGreaterThan(after.indexOf("const FILE = '/srv/a.txt';"));
    expect(parses(after)).toBe(true);
  });

  it('offers nothing for the callback form, or for options that vary', async () => {
    const callback = `import fs from 'fs';\n${express}app.get('/', (req, res) => fs.readFile('a.txt', (e, t) => res.send(t)));`;
    const [callbackRead] = await tester.invalid({ code: callback, errors: [{ messageId: 'read', line: 4, column: 28 }] });
    expect(callbackRead.fixes).toEqual([]);
    const varying = `import fs from 'fs';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync('a.txt', { encoding: req.query.enc as BufferEncoding })));`;
    const [varyingRead] = await tester.invalid({ code: varying, errors: [{ messageId: 'readSync', line: 4, column: 37 }] });
    expect(varyingRead.fixes).toEqual([]);
  });

  it('never offers a safe fix (the file may change on disk)', async () => {
    // Without an `output`, the tester asserts that no fix is safe.
    await tester.invalid({
      code: `import fs from 'fs';\n${express}app.get('/', (req, res) => res.send(fs.readFileSync('a.txt')));`,
      errors: [{ messageId: 'readSync', line: 4, column: 37 }],
    });
  });
});
