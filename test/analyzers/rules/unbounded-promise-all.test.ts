import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'unbounded-promise-all';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);

describe('unbounded-promise-all', () => {
  it('names what is started per item and the limit to add', async () => {
    const code = `import fs from 'node:fs';\nexport function f(files: string[]) { return Promise.all(files.map((file) => fs.promises.readFile(file))); }`;
    await tester.invalid({ code, errors: [{ messageId: 'unbounded', line: 2, column: 45 }] });
    expect(messages(code)).toEqual([
      'Promise.all starts a file (fs.promises.readFile) for every item of `files` at once, with no limit: a long list exhausts file descriptors (EMFILE) or processes and memory. Cap concurrency with p-limit or p-map ({ concurrency: 16 }).',
    ]);
  });

  it.each([
    [
      'fs-extra',
      `import fse from 'fs-extra';\nexport function f(files: string[]) { return Promise.all(files.map((f) => fse.readJson(f))); }`,
      [{ messageId: 'unbounded', line: 2, column: 45 }],
    ],
    [
      'a promisified fs function',
      `import { promisify } from 'node:util';\nimport fs from 'node:fs';\nconst readFileAsync = promisify(fs.readFile);\nexport function f(files: string[]) { return Promise.all(files.map((f) => readFileAsync(f))); }`,
      [{ messageId: 'unbounded', line: 4, column: 45 }],
    ],
    [
      'execa',
      `import { execa } from 'execa';\nexport function f(dirs: string[]) { return Promise.all(dirs.map((cwd) => execa('git', ['pull'], { cwd }))); }`,
      [{ messageId: 'unbounded', line: 2, column: 44 }],
    ],
    [
      'a filtered list',
      `import { readFile } from 'node:fs/promises';\nexport function f(files: string[]) { return Promise.all(files.filter((f) => f.endsWith('.json')).map((f) => readFile(f))); }`,
      [{ messageId: 'unbounded', line: 2, column: 45 }],
    ],
  ])('reports %s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it.each([
    [
      'a slice with a constant end',
      `import { readFile } from 'node:fs/promises';\nexport function f(files: string[]) { return Promise.all(files.slice(0, 8).map((f) => readFile(f))); }`,
    ],
    [
      'a queue',
      `import PQueue from 'p-queue';\nimport { readFile } from 'node:fs/promises';\nconst queue = new PQueue({ concurrency: 8 });\nexport function f(files: string[]) { return Promise.all(files.map((f) => queue.add(() => readFile(f)))); }`,
    ],
    [
      'database queries (query-in-loop reports those)',
      `import { prisma } from './db';\nexport function f(ids: string[]) { return Promise.all(ids.map((id) => prisma.user.findFirst({ where: { id } }))); }`,
    ],
    [
      'a user function named readFile',
      `async function readFile(p: string) { return p; }\nexport function f(files: string[]) { return Promise.all(files.map((f) => readFile(f))); }`,
    ],
    [
      'Promise.race',
      `import { readFile } from 'node:fs/promises';\nexport function f(files: string[]) { return Promise.race(files.map((f) => readFile(f))); }`,
    ],
  ])('stays quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it('stays quiet in build scripts', () => {
    expect(
      messages(
        `import { readFile } from 'node:fs/promises';\nexport function f(files: string[]) { return Promise.all(files.map((f) => readFile(f))); }`,
        'scripts/build.ts',
      ),
    ).toEqual([]);
  });
});
