import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../../src/analyzers/engine';
import { findings, ruleNamed } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'sync-io-in-async';
const tester = ruleTester(rule);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-sync-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sync-io-in-async safe fix keeps behaviour', () => {
  it('readFileSync / statSync / mkdirSync / writeFileSync / readdirSync → fs.promises', async () => {
    fs.writeFileSync(path.join(dir, 'fixture.txt'), 'fixture text');
    // Each path is used once: a sequence on one path is only a suggestion (test/reliability/safe-fixes.test.ts).
    const before = `
import fs from 'node:fs';
import path from 'node:path';
export async function run(dir: string, name: string, body: string) {
  fs.mkdirSync(path.join(dir, 'out', name + '.d'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'out', name), body);
  const text = fs.readFileSync(path.join(dir, 'fixture.txt'), 'utf8');
  const size = fs.statSync(path.join(dir, 'out')).size > 0;
  const names = fs.readdirSync(dir).sort();
  log.push(text.length);
  return { text, size, names };
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'blocking', line: 5, column: 3 },
        { messageId: 'blocking', line: 6, column: 3 },
        { messageId: 'blocking', line: 7, column: 16 },
        { messageId: 'blocking', line: 8, column: 16 },
        { messageId: 'blocking', line: 9, column: 17 },
      ],
      output: before
        .replace('fs.mkdirSync(', 'await fs.promises.mkdir(')
        .replace('fs.writeFileSync(', 'await fs.promises.writeFile(')
        .replace('fs.readFileSync(', 'await fs.promises.readFile(')
        .replace("fs.statSync(path.join(dir, 'out')).size", "(await fs.promises.stat(path.join(dir, 'out'))).size")
        .replace('fs.readdirSync(dir).sort()', '(await fs.promises.readdir(dir)).sort()'),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [dir, 'a.txt', 'hello'],
          [dir, 'b.txt', ''],
          [dir, 'ü.txt', 'x'.repeat(100_000)],
        ],
      },
    });
  });

  it('a write and a read of the same path stay a suggestion that says why', async () => {
    const code = `import fs from 'node:fs';\nexport async function f(p: string, body: string) { fs.writeFileSync(p, body); return fs.readFileSync(p, 'utf8'); }`;
    const found = await tester.invalid({
      code,
      errors: [
        { messageId: 'blocking', line: 2, column: 52 },
        { messageId: 'blocking', line: 2, column: 86 },
      ],
    });
    const fixes = found.flatMap((f) => f.fixes);
    expect(fixes).toHaveLength(2);
    for (const fix of fixes) {
      expect(fix.safe).toBe(false);
      expect(fix.title).toContain('fs.writeFileSync and fs.readFileSync use the same path');
    }
  });

  it('as an argument, in a conditional and inside a template: same values', async () => {
    fs.writeFileSync(path.join(dir, 'arg.txt'), 'argument');
    const before = `
import fs from 'node:fs';
import path from 'node:path';
export async function run(dir: string, flag: boolean) {
  const out: string[] = [];
  out.push(fs.readFileSync(path.join(dir, 'arg.txt'), 'utf8'));
  const second = flag ? fs.readFileSync(path.join(dir, 'arg.txt'), 'utf8') : 'none';
  return \`\${out.join()}|\${second}|\${fs.readdirSync(dir).includes('arg.txt')}\`;
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'blocking', line: 6, column: 12 },
        { messageId: 'blocking', line: 7, column: 25 },
        { messageId: 'blocking', line: 8, column: 37 },
      ],
      output: before
        .replace(
          "out.push(fs.readFileSync(path.join(dir, 'arg.txt'), 'utf8'));",
          "out.push(await fs.promises.readFile(path.join(dir, 'arg.txt'), 'utf8'));",
        )
        .replace(
          "flag ? fs.readFileSync(path.join(dir, 'arg.txt'), 'utf8') :",
          "flag ? await fs.promises.readFile(path.join(dir, 'arg.txt'), 'utf8') :",
        )
        .replace("${fs.readdirSync(dir).includes('arg.txt')}", "${(await fs.promises.readdir(dir)).includes('arg.txt')}"),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [dir, true],
          [dir, false],
          [path.join(dir, 'missing-dir'), true],
        ],
      },
    });
  });

  it('keeps the error a missing file throws', async () => {
    const before = `
import * as fs from 'fs';
export async function run(file: string) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    return 'failed: ' + (error as NodeJS.ErrnoException).code;
  }
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'blocking', line: 5, column: 12 }],
      output: before.replace("return fs.readFileSync(file, 'utf8');", "return await fs.promises.readFile(file, 'utf8');"),
      sameBehaviour: { entry: 'run', inputs: [[path.join(dir, 'missing.txt')], [dir]] },
    });
  });
});

describe('sync-io-in-async safe fix reaches the twin through what the file imports', () => {
  it("named imports: one `import { … } from 'node:fs/promises'` gathers the twins, and the sync import goes once unused", async () => {
    const before = `
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
export async function run(dir: string, name: string, body: string) {
  mkdirSync(path.join(dir, 'named'), { recursive: true });
  writeFileSync(path.join(dir, 'named', name), body);
  log.push('written');
  return readFileSync(path.join(dir, 'fixture.txt'), 'utf8').toUpperCase();
}`;
    fs.writeFileSync(path.join(dir, 'fixture.txt'), 'fixture text');
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'blocking', line: 5, column: 3 },
        { messageId: 'blocking', line: 6, column: 3 },
        { messageId: 'blocking', line: 8, column: 10 },
      ],
      output: before
        .replace(
          "import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';",
          "import { mkdir, writeFile, readFile } from 'node:fs/promises';",
        )
        .replace('mkdirSync(path', 'await mkdir(path')
        .replace('writeFileSync(path', 'await writeFile(path')
        .replace(
          "readFileSync(path.join(dir, 'fixture.txt'), 'utf8').toUpperCase()",
          "(await readFile(path.join(dir, 'fixture.txt'), 'utf8')).toUpperCase()",
        ),
      sameBehaviour: {
        entry: 'run',
        inputs: [
          [dir, 'n.txt', 'hello'],
          [dir, 'm.txt', ''],
        ],
      },
    });
  });

  it("CommonJS destructuring: `const { stat } = require('fs/promises')` takes the place of the unused sync one", async () => {
    const before = `
const { statSync } = require('fs');
const path = require('path');
exports.run = async function run(file) {
  try {
    return statSync(path.resolve(file)).isDirectory();
  } catch (error) {
    return 'failed: ' + error.code;
  }
};`;
    await tester.invalid({
      code: before,
      filename: 'src/size.js',
      errors: [{ messageId: 'blocking', line: 6, column: 12 }],
      output: before
        .replace("const { statSync } = require('fs');", "const { stat } = require('fs/promises');")
        .replace('statSync(path.resolve(file)).isDirectory()', '(await stat(path.resolve(file))).isDirectory()'),
      sameBehaviour: { entry: 'run', inputs: [[dir], [path.join(dir, 'missing')]] },
    });
  });

  it('an existing fs/promises import or a `promises` binding is used, not added again', async () => {
    await tester.invalid({
      code: `import { readFileSync } from 'fs';\nimport { readFile as read } from 'fs/promises';\nexport async function f(p: string) { return readFileSync(p, 'utf8'); }`,
      errors: [{ messageId: 'blocking', line: 3, column: 45 }],
      // The sync import was used by this call only: it goes.
      output: `import { readFile as read } from 'fs/promises';\nexport async function f(p: string) { return await read(p, 'utf8'); }`,
    });
    await tester.invalid({
      code: `import { readFileSync, promises as fsp } from 'fs';\nexport async function f(p: string) { return readFileSync(p, 'utf8'); }`,
      errors: [{ messageId: 'blocking', line: 2, column: 45 }],
      output: `import { promises as fsp } from 'fs';\nexport async function f(p: string) { return await fsp.readFile(p, 'utf8'); }`,
    });
  });

  it("keeps a multi-line call's arguments as written, trailing comma and all", async () => {
    fs.writeFileSync(path.join(dir, 'wrapped.txt'), 'wrapped');
    const before = `
import { readFileSync } from 'node:fs';
import path from 'node:path';
export async function run(dir: string) {
  const text = readFileSync(
    path.join(dir, 'wrapped.txt'),
    'utf-8',
  );
  return readFileSync(
    path.join(dir, 'wrapped.txt'),
    'utf-8',
  ).toUpperCase() + text;
}`;
    await tester.invalid({
      code: before,
      errors: [
        { messageId: 'blocking', line: 5, column: 16 },
        { messageId: 'blocking', line: 9, column: 10 },
      ],
      // Two calls of one import: one fix per pass claims it, and the last one removes it.
      output: `
import { readFile } from 'node:fs/promises';
import path from 'node:path';
export async function run(dir: string) {
  const text = await readFile(
    path.join(dir, 'wrapped.txt'),
    'utf-8',
  );
  return (await readFile(
    path.join(dir, 'wrapped.txt'),
    'utf-8',
  )).toUpperCase() + text;
}`,
      sameBehaviour: { entry: 'run', inputs: [[dir], [path.join(dir, 'missing')]] },
    });
  });

  it('an import still used elsewhere stays; a default import beside the named one keeps the statement', async () => {
    await tester.invalid({
      code: `import { readFileSync } from 'fs';\nexport async function f(p: string) { return readFileSync(p, 'utf8'); }\nexport function g(p: string) { return readFileSync(p, 'utf8'); }`,
      errors: [{ messageId: 'blocking', line: 2, column: 45 }],
      output: `import { readFileSync } from 'fs';\nimport { readFile } from 'fs/promises';\nexport async function f(p: string) { return await readFile(p, 'utf8'); }\nexport function g(p: string) { return readFileSync(p, 'utf8'); }`,
    });
    await tester.invalid({
      code: `import fs, { readFileSync } from 'fs';\nexport async function f(p: string) { return readFileSync(p, 'utf8') + fs.sep; }`,
      errors: [{ messageId: 'blocking', line: 2, column: 45 }],
      output: `import fs from 'fs';\nexport async function f(p: string) { return await fs.promises.readFile(p, 'utf8') + fs.sep; }`,
    });
  });
});

describe('sync-io-in-async offers no safe fix where the promise form differs', () => {
  it.each([
    [
      'a file descriptor argument',
      `import fs from 'fs';\nexport async function f(fd: number) { return fs.readFileSync(fd); }`,
      [{ messageId: 'blocking', line: 2, column: 46 }],
    ],
    [
      'statSync with throwIfNoEntry',
      `import fs from 'fs';\nexport async function f(p: string) { return fs.statSync(p, { throwIfNoEntry: false }); }`,
      [{ messageId: 'blocking', line: 2, column: 45 }],
    ],
    [
      'a nested non-async callback',
      `import fs from 'fs';\nexport async function f(ps: string[]) { return ps.map((p) => fs.readFileSync(p, 'utf8')); }`,
      [{ messageId: 'blocking', line: 2, column: 62 }],
    ],
    [
      'a named import whose twin name is taken',
      `import { readFileSync } from 'fs';\nimport { readFile } from './files';\nexport async function f(p: string) { return readFileSync(p, 'utf8'); }`,
      [{ messageId: 'blocking', line: 3, column: 45 }],
    ],
    [
      'a default parameter value (await is not allowed there)',
      `import fs from 'fs';\nexport async function f(p: string, text = fs.readFileSync('default.txt', 'utf8')) { return text + p; }`,
      [{ messageId: 'blocking', line: 2, column: 43 }],
    ],
    [
      'graceful-fs',
      `import gfs from 'graceful-fs';\nexport async function f(p: string) { return gfs.readFileSync(p, 'utf8'); }`,
      [{ messageId: 'blocking', line: 2, column: 45 }],
    ],
  ])('%s', async (_name, code, errors) => {
    // Without an `output`, the tester asserts that no fix is safe.
    await tester.invalid({ code, errors });
  });

  it('existsSync (no promise twin): not even reported outside a request handler', () => {
    tester.valid(`import fs from 'fs';\nexport async function f(p: string) { return fs.existsSync(p); }`);
  });

  it('still reports the call in a synchronous callback (it runs inside the async function)', async () => {
    const code = `import fs from 'fs';\nexport async function f(ps: string[]) { return ps.map((p) => fs.readFileSync(p, 'utf8')); }`;
    await tester.invalid({ code, errors: [{ messageId: 'blocking', line: 2, column: 62 }] });
  });
});

describe('sync-io-in-async sees who runs the function, however it is handed over', () => {
  // The contexts themselves are run before and after in test/reliability/safe-fixes.test.ts.
  it.each([
    [
      'an arrow that calls it before its own first await',
      `import fs from 'fs';\nasync function save(p: string) { fs.writeFileSync(p, '{}'); }\nprocess.on('exit', async () => { await save('state.json'); });`,
      [{ messageId: 'blocking', line: 2, column: 34 }],
    ],
    [
      'a listener that a request path also awaits',
      `import fs from 'fs';\nasync function save() { fs.writeFileSync('state.json', '{}'); }\nprocess.on('exit', save);\nexport async function update() { await save(); }`,
      [{ messageId: 'blocking', line: 2, column: 25 }],
    ],
  ])("no fix in an 'exit' or 'beforeExit' listener: %s", async (_name, code, errors) => {
    const [finding] = await tester.invalid({ code, errors });
    expect(finding.fixes).toEqual([]);
  });

  it.each([
    [
      'SIGINT',
      `process.on('SIGINT', async () => { fs.writeFileSync('state.json', '{}'); process.exit(130); });`,
      [{ messageId: 'blocking', line: 2, column: 36 }],
    ],
    ['a timer', `setTimeout(async () => { fs.writeFileSync('state.json', '{}'); }, 10);`, [{ messageId: 'blocking', line: 2, column: 26 }]],
    [
      'an async executor',
      `new Promise(async (resolve) => { fs.writeFileSync('state.json', '{}'); resolve(1); });`,
      [{ messageId: 'blocking', line: 2, column: 34 }],
    ],
    [
      'a .catch chain dropped',
      `async function save() { fs.writeFileSync('state.json', '{}'); }\nexport function go() { save().catch(console.error); }`,
      [{ messageId: 'blocking', line: 2, column: 25 }],
    ],
    [
      'an async function started in place',
      `export function go() { void (async () => { fs.writeFileSync('state.json', '{}'); })(); }`,
      [{ messageId: 'blocking', line: 2, column: 44 }],
    ],
  ])('a suggestion, not a safe fix: %s', async (_name, body, errors) => {
    const [finding] = await tester.invalid({ code: `import fs from 'fs';\n${body}`, errors });
    expect(finding.fixes).toHaveLength(1);
    expect(finding.fixes[0].safe).toBe(false);
  });

  it.each([
    [
      'awaited',
      `async function save() { fs.writeFileSync('state.json', '{}'); }\nexport async function go() { await save(); }`,
      [{ messageId: 'blocking', line: 2, column: 25 }],
    ],
    [
      'returned',
      `async function save() { fs.writeFileSync('state.json', '{}'); }\nexport function go() { return save(); }`,
      [{ messageId: 'blocking', line: 2, column: 25 }],
    ],
    [
      'awaited through Promise.all',
      `async function save(p: string) { fs.writeFileSync(p, '{}'); }\nexport async function go(ps: string[]) { await Promise.all(ps.map((p) => save(p))); }`,
      [{ messageId: 'blocking', line: 2, column: 34 }],
    ],
    [
      'a route handler',
      `app.post('/state', async (req, res) => { fs.writeFileSync('state.json', '{}'); res.end(); });`,
      [{ messageId: 'blocking', line: 2, column: 42 }],
    ],
    [
      'a dropped call after an await that always runs',
      `async function save() { await Promise.resolve(); fs.writeFileSync('state.json', '{}'); }\nexport function go() { save(); }`,
      [{ messageId: 'blocking', line: 2, column: 50 }],
    ],
  ])('still safe: %s', async (_name, body, errors) => {
    const code = `import fs from 'fs';\n${body}`;
    const [finding] = await (body.startsWith('app.') ? ruleTester('sync-io-in-handler') : tester).invalid({
      code,
      errors,
      output: code.replace('fs.writeFileSync(', 'await fs.promises.writeFile('),
    });
    expect(finding.fixes.map((fix) => fix.safe)).toEqual([true]);
  });
});

describe('sync-io-in-async weighs the context', () => {
  it.each([
    [
      'an existence check (a stat of microseconds)',
      'src/a.ts',
      `import fs from 'fs';\nexport async function f(p: string) { if (fs.existsSync(p)) return 1; }`,
    ],
    [
      'a start-up function by name',
      'src/server.ts',
      `import fs from 'fs';\nexport async function bootstrap() { const cert = fs.readFileSync('cert.pem'); return cert; }`,
    ],
    [
      'a loader run at start-up',
      'src/loaders/admin.ts',
      `import fs from 'fs';\nexport default async function adminLoader() { return fs.readFileSync('index.html', 'utf8'); }`,
    ],
    [
      'a migration',
      'server/migrations/20230815063834-migrate.js',
      `const { execSync } = require('child_process');\nmodule.exports = { async up() { execSync('node x.js'); } };`,
    ],
    ['a build script', 'build.js', `const fs = require('fs');\nasync function build() { fs.writeFileSync('out.js', ''); }`],
    [
      'lazy initialisation on the first call',
      'src/html.ts',
      `import fs from 'fs';\nlet initialized = false;\nexport async function inline(html: string) { if (!initialized) { await init(fs.readFileSync('inline.wasm')); initialized = true; } return run(html); }`,
    ],
  ])('stays quiet: %s', (_name, filename, code) => {
    expect(findings(code, { rule, filename })).toEqual([]);
  });

  it('stays quiet in a command-line tool package, reports in a server package that ships a bin', () => {
    const tool = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-tool-'));
    const server = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-server-'));
    try {
      // A CLI by name is a tool even when it depends on a web framework (to serve `develop`).
      fs.writeFileSync(
        path.join(tool, 'package.json'),
        JSON.stringify({ name: '@acme/cli', bin: { acme: 'dist/index.js' }, dependencies: { express: '4' } }),
      );
      fs.writeFileSync(
        path.join(server, 'package.json'),
        JSON.stringify({ name: 'shop', bin: { shop: 'bin/shop.js' }, dependencies: { express: '4' } }),
      );
      const code = `import fs from 'fs';\nexport async function copyTemplate(p: string) { fs.writeFileSync(p, 'x'); }`;
      fs.mkdirSync(path.join(tool, 'src'));
      fs.mkdirSync(path.join(server, 'src'));
      fs.writeFileSync(path.join(tool, 'src', 'copy.ts'), code);
      fs.writeFileSync(path.join(server, 'src', 'copy.ts'), code);
      const analyzer = new Analyzer({ rules: [ruleNamed(rule)] });
      expect(analyzer.analyzeFile(path.join(tool, 'src', 'copy.ts')).findings).toEqual([]);
      const reported = analyzer.analyzeFile(path.join(server, 'src', 'copy.ts')).findings;
      expect(reported.map((f) => [f.messageId, f.range.start.line, f.range.start.column])).toEqual([['blocking', 2, 49]]);
    } finally {
      fs.rmSync(tool, { recursive: true, force: true });
      fs.rmSync(server, { recursive: true, force: true });
    }
  });
});

describe('sync-io-in-async and the listeners that run when the process ends', () => {
  it.each([
    [
      'an async arrow listening for exit',
      `import fs from 'node:fs';\nprocess.on('exit', async () => { fs.writeFileSync('state.json', '{}'); });`,
    ],
    [
      'a named function used only as a beforeExit listener',
      `import fs from 'node:fs';\nasync function flush() { fs.appendFileSync('log.txt', 'bye'); }\nprocess.once('beforeExit', flush);`,
    ],
    [
      'process imported from node:process',
      `import fs from 'node:fs';\nimport process from 'node:process';\nprocess.on('exit', async function () { fs.writeFileSync('state.json', '{}'); });`,
    ],
    [
      'a bound method',
      `import fs from 'fs';\nclass App { async stop() { fs.writeFileSync('state.json', '{}'); } start() { process.on('beforeExit', this.stop.bind(this)); } }`,
    ],
    [
      'an object method',
      `import fs from 'fs';\nconst hooks = { async onExit() { fs.writeFileSync('state.json', '{}'); } };\nprocess.on('exit', hooks.onExit);`,
    ],
  ])('stays quiet: %s (the loop has nothing left to run; blocking is how the write happens)', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });

  it.each([
    [
      'an exit listener of another emitter',
      `import fs from 'node:fs';\nexport function watch(child: NodeJS.EventEmitter) { child.on('exit', async () => { fs.writeFileSync('state.json', '{}'); }); }`,
      [{ messageId: 'blocking', line: 2, column: 84 }],
    ],
    [
      'a SIGTERM listener (the server still runs while it blocks)',
      `import fs from 'node:fs';\nprocess.on('SIGTERM', async () => { fs.writeFileSync('state.json', '{}'); });`,
      [{ messageId: 'blocking', line: 2, column: 37 }],
    ],
  ])('still reports: %s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('sync-io-in-async safe fix on a call that is already awaited', () => {
  it('`await fs.readFileSync(p)` becomes `await fs.promises.readFile(p)`, not a second await', async () => {
    fs.writeFileSync(path.join(dir, 'awaited.txt'), 'awaited text');
    const before = `
import fs from 'node:fs';
export async function run(file: string) {
  const text = await fs.readFileSync(file, 'utf8');
  log.push(text.length);
  return text.toUpperCase();
}`;
    await tester.invalid({
      code: before,
      errors: [{ messageId: 'blocking', line: 4, column: 22 }],
      output: before.replace("await fs.readFileSync(file, 'utf8')", "await fs.promises.readFile(file, 'utf8')"),
      sameBehaviour: { entry: 'run', inputs: [[path.join(dir, 'awaited.txt')], [path.join(dir, 'missing.txt')]] },
    });
  });
});
