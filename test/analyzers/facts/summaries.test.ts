import { describe, expect, it } from 'vitest';
import { ts } from '../../../src/analyzers/ts';
import { Analyzer } from '../../../src/analyzers/engine';
import { FileFacts } from '../../../src/analyzers/facts/fileFacts';
import { calleeOf } from '../../../src/analyzers/facts/modules';
import { callIo } from '../../../src/analyzers/facts/summaries';
import { ProjectHost } from '../../../src/analyzers/project';
import { virtualPath } from '../../helpers/analyze';

const DB = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

/** Facts of `entry` in a project of overlays, and the calls of `entry` named `name`. */
function setUp(
  files: Record<string, string>,
  entry: string,
  host = new ProjectHost(),
): { facts: FileFacts; calls: (name: string) => ts.CallExpression[] } {
  for (const [name, text] of Object.entries(files)) host.setOverlay(virtualPath(name), text);
  const file = virtualPath(entry);
  const sourceFile = ts.createSourceFile(file, files[entry], ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const facts = new FileFacts(file, files[entry], sourceFile, undefined, host);
  const calls = (name: string): ts.CallExpression[] => {
    const found: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && facts.textOf(node.expression).endsWith(name)) found.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return found;
  };
  return { facts, calls };
}

describe('facts/modules: the function a call runs', () => {
  it.each([
    ['a function declared in the same file', { 'a.ts': `function load(id) { return 1; }\nload(1);` }, 'a.ts', 'load', 'load'],
    [
      'a named import',
      { 'a.ts': `import { load } from './b';\nload(1);`, 'b.ts': `export async function load(id: string) { return id; }` },
      'a.ts',
      'load',
      'load',
    ],
    [
      'a .js specifier for a .ts source',
      { 'a.ts': `import { load } from './b.js';\nload(1);`, 'b.ts': `export const load = async (id: string) => id;` },
      'a.ts',
      'load',
      'load',
    ],
    [
      'an index file and a default export',
      { 'a.ts': `import load from './lib';\nload(1);`, 'lib/index.ts': `export default async function (id: string) { return id; }` },
      'a.ts',
      'load',
      'default',
    ],
    [
      'a re-export',
      {
        'a.ts': `import { load } from './lib';\nload(1);`,
        'lib/index.ts': `export { load } from './impl';`,
        'lib/impl.ts': `export function load() {}`,
      },
      'a.ts',
      'load',
      'load',
    ],
    [
      'a namespace import',
      { 'a.ts': `import * as users from './users';\nusers.find(1);`, 'users.ts': `export function find(id: number) {}` },
      'a.ts',
      'find',
      'find',
    ],
    [
      'CommonJS module.exports',
      { 'a.js': `const users = require('./users');\nusers.find(1);`, 'users.js': `async function find(id) {}\nmodule.exports = { find };` },
      'a.js',
      'find',
      'find',
    ],
    [
      'CommonJS destructured require',
      { 'a.js': `const { find } = require('./users');\nfind(1);`, 'users.js': `exports.find = async (id) => id;` },
      'a.js',
      'find',
      'find',
    ],
    ['a method of this class', { 'a.ts': `class A { async load() {} async run() { await this.load(); } }` }, 'a.ts', 'load', 'A.load'],
    [
      'a service injected by its type',
      {
        'a.ts': `import { Users } from './users';\nclass A { constructor(private readonly users: Users) {} run() { return this.users.find(1); } }`,
        'users.ts': `export class Users { async find(id: number) {} }`,
      },
      'a.ts',
      'find',
      'Users.find',
    ],
    [
      'an exported instance',
      {
        'a.ts': `import { users } from './users';\nusers.find(1);`,
        'users.ts': `class Users { async find(id: number) {} }\nexport const users = new Users();`,
      },
      'a.ts',
      'find',
      'Users.find',
    ],
    [
      'an inherited method',
      {
        'a.ts': `import { Users } from './users';\nconst users = new Users();\nusers.find(1);`,
        'users.ts': `import { Base } from './base';\nexport class Users extends Base {}`,
        'base.ts': `export class Base { async find(id: number) {} }`,
      },
      'a.ts',
      'find',
      'Base.find',
    ],
  ])('%s', (_name, files, entry, call, expected) => {
    const { facts, calls } = setUp(files as Record<string, string>, entry);
    expect(calleeOf(calls(call)[0], facts)?.name).toBe(expected);
  });

  it.each([
    ['a package import', { 'a.ts': `import { load } from 'some-package';\nload(1);` }, 'a.ts', 'load'],
    ['a parameter', { 'a.ts': `function f(load) { load(1); }` }, 'a.ts', 'load'],
    [
      'an interface-typed field',
      {
        'a.ts': `interface Repo { find(id: number): Promise<void> }\nclass A { constructor(private repo: Repo) {} run() { return this.repo.find(1); } }`,
      },
      'a.ts',
      'find',
    ],
    ['a missing file', { 'a.ts': `import { load } from './missing';\nload(1);` }, 'a.ts', 'load'],
  ])('does not resolve %s', (_name, files, entry, call) => {
    const { facts, calls } = setUp(files as Record<string, string>, entry);
    expect(calleeOf(calls(call)[0], facts)).toBeUndefined();
  });
});

describe('facts/summaries: the I/O a function does per call', () => {
  it('follows calls across files and says through which functions', () => {
    const { facts, calls } = setUp(
      {
        'db.ts': DB,
        'repo.ts': `import { prisma } from './db';\nexport async function row(id: string) { return prisma.user.findUnique({ where: { id } }); }`,
        'service.ts': `import { row } from './repo';\nexport async function user(id: string) { const u = await row(id); return { ...u }; }`,
        'a.ts': `import { user } from './service';\nuser('1');`,
      },
      'a.ts',
    );
    const io = callIo(calls('user')[0], facts)!;
    expect(io.summary).toMatchObject({ kind: 'query', via: ['row'], readOnly: true });
    expect(io.summary.first.operation).toBe('prisma.user.findUnique');
  });

  it.each([
    [
      'a write makes it a write',
      `import { prisma } from './db';\nexport async function f(id: string) { await prisma.user.findUnique({ where: { id } }); await prisma.audit.create({ data: { id } }); }`,
      { kind: 'write', readOnly: false },
    ],
    [
      'an HTTP GET is read-only',
      `export async function f(id: string) { return (await fetch('/u/' + id)).json(); }`,
      { kind: 'http', readOnly: true },
    ],
    [
      'writing module state is not read-only',
      `const seen = new Set();\nexport async function f(id: string) { seen.add(id); return fetch('/u/' + id); }`,
      { kind: 'http', readOnly: false },
    ],
  ])('%s', (_name, code, expected) => {
    const { facts, calls } = setUp({ 'db.ts': DB, 'f.ts': code, 'a.ts': `import { f } from './f';\nf('1');` }, 'a.ts');
    expect(callIo(calls('f')[0], facts)?.summary).toMatchObject(expected);
  });

  it.each([
    [
      'lazy initialisation',
      `import { prisma } from './db';\nlet settings;\nexport async function f() { settings ??= await prisma.setting.findFirst(); return settings; }`,
    ],
    [
      'a cache checked first',
      `import { prisma } from './db';\nconst cache = new Map();\nexport async function f(id: string) { if (cache.has(id)) return cache.get(id); const row = await prisma.user.findUnique({ where: { id } }); cache.set(id, row); return row; }`,
    ],
    ['a DataLoader', `export async function f(id: string, ctx) { return ctx.loaders.user.load(id); }`],
    [
      'a callback scheduled for later',
      `import { prisma } from './db';\nexport function f(id: string) { setTimeout(() => prisma.audit.create({ data: { id } }), 1000); }`,
    ],
    [
      'transaction control only',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() { await pool.query('BEGIN'); }`,
    ],
  ])('no per-call I/O: %s', (_name, code) => {
    const { facts, calls } = setUp({ 'db.ts': DB, 'f.ts': code, 'a.ts': `import { f } from './f';\nf('1');` }, 'a.ts');
    expect(callIo(calls('f')[0], facts)).toBeUndefined();
  });

  it('ends recursion and cycles between files', () => {
    const { facts, calls } = setUp(
      {
        'db.ts': DB,
        'a.ts': `import { b } from './b';\nimport { prisma } from './db';\nexport async function a(n: number): Promise<void> { if (n) await b(n - 1); await prisma.x.count(); }\na(3);`,
        'b.ts': `import { a } from './a';\nexport async function b(n: number) { return a(n); }`,
      },
      'a.ts',
    );
    const last = calls('a');
    expect(callIo(last[last.length - 1], facts)?.summary.kind).toBe('query');
  });

  it('recomputes a summary when a file it looked into changes, and only then', () => {
    const host = new ProjectHost();
    const files = {
      'db.ts': DB,
      'repo.ts': `export async function row(id: string) { return { id }; }`,
      'a.ts': `import { row } from './repo';\nrow('1');`,
    };
    const first = setUp(files, 'a.ts', host);
    const call = first.calls('row')[0];
    expect(callIo(call, first.facts)).toBeUndefined();
    expect(host.moduleFile(virtualPath('repo.ts'))).toBe(host.moduleFile(virtualPath('repo.ts')));
    host.setOverlay(
      virtualPath('repo.ts'),
      `import { prisma } from './db';\nexport async function row(id: string) { return prisma.user.findUnique({ where: { id } }); }`,
    );
    const second = setUp({ 'a.ts': files['a.ts'] }, 'a.ts', host);
    expect(callIo(second.calls('row')[0], second.facts)?.summary.kind).toBe('query');
  });
});

describe('the project host parses a file once for a scan that reads it twice', () => {
  it('re-uses the tree cross-file facts parsed when the engine analyses the same text', () => {
    const analyzer = new Analyzer();
    const host = analyzer.host;
    host.setOverlay(virtualPath('x.ts'), 'export const x = 1;');
    const tree = host.moduleFile(virtualPath('x.ts'))!.sourceFile;
    host.clearOverlay(virtualPath('x.ts'));
    expect(host.parse(virtualPath('x.ts'), 'export const x = 2;')).not.toBe(tree);
  });
});

describe('facts/summaries: what a call really runs', () => {
  it('I/O guarded by an argument the call leaves out does not run', () => {
    const { facts, calls } = setUp(
      {
        'db.ts': DB,
        'f.ts': `import { prisma } from './db';\nexport async function toJSON(doc: Doc, options?: { signedUrls?: number }) { if (options?.signedUrls) return prisma.attachment.findMany(); return doc.content; }`,
        'a.ts': `import { toJSON } from './f';\ntoJSON(a);\ntoJSON(a, { signedUrls: 60 });`,
      },
      'a.ts',
    );
    const [bare, withOptions] = calls('toJSON');
    expect(callIo(bare, facts)).toBeUndefined();
    expect(callIo(withOptions, facts)?.summary.kind).toBe('query');
  });

  it('writing a property of an argument is not read-only', () => {
    const { facts, calls } = setUp(
      {
        'db.ts': DB,
        'f.ts': `import { prisma } from './db';\nexport async function setDate(id: string, data: { start?: Date }) { const site = await prisma.site.findUnique({ where: { id } }); data.start = site?.resetAt; return data; }`,
        'a.ts': `import { setDate } from './f';\nsetDate('1', {});`,
      },
      'a.ts',
    );
    expect(callIo(calls('setDate')[0], facts)?.summary.readOnly).toBe(false);
  });

  it("`this.query(sql)` in a class that defines `query` is the class's own method, followed like any other", () => {
    const { facts, calls } = setUp(
      {
        'a.ts': `export class Runner {\n  async query(sql: string) { return sql.length; }\n  async schema() { return this.query('SELECT current_schema() FROM x'); }\n  run() { return this.schema(); }\n}`,
      },
      'a.ts',
    );
    expect(callIo(calls('this.schema')[0], facts)).toBeUndefined();
  });
});
