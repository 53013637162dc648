import { describe, expect, it } from 'vitest';
import { Project } from 'ts-morph';
import { ts } from '../../../src/analyzers/ts';
import { applyFixes } from '../../../src/analyzers/fixes';
import { syntaxErrors } from '../../../src/analyzers/project';
import { findings, projectFindings, shownText } from '../../helpers/analyze';
import { run } from '../../helpers/behaviour';
import { ruleTester, type ExpectedError } from '../../helpers/ruleTester';

const rule = 'sequential-awaits';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

describe('sequential-awaits reports independent reads in series', () => {
  it('names the calls and the semantic change', async () => {
    const code = `${PRISMA}async function f(id: string) {
  const user = await prisma.user.findUnique({ where: { id } });
  const orders = await prisma.order.findMany({ where: { userId: id } });
  return { user, orders };
}`;
    await tester.invalid({ code, errors: [{ messageId: 'sequential', line: 4, column: 3 }] });
    expect(messages(code)).toEqual([
      '2 independent queries are awaited one after another (prisma.user.findUnique, prisma.order.findMany): each waits for the previous round trip. Start them together with Promise.all — this changes error and ordering semantics: the first rejection wins, and all of them run even if one fails.',
    ]);
  });

  it.each([
    [
      'GET requests',
      `async function f() { const a = await fetch('/a'); const b = await fetch('/b'); return [a, b]; }`,
      '2 independent requests',
      [{ messageId: 'sequential', line: 1, column: 22 }],
    ],
    [
      'queries and requests',
      `${PRISMA}async function f(id: string) { const user = await prisma.user.findUnique({ where: { id } }); const weather = await fetch('/weather'); return { user, weather }; }`,
      'queries and requests',
      [{ messageId: 'sequential', line: 3, column: 32 }],
    ],
    [
      'three in a row, repeated operations counted',
      `async function f() { const a = await fetch('/a'); const b = await fetch('/b'); const c = await fetch('/c'); return [a, b, c]; }`,
      '(fetch ×3)',
      [{ messageId: 'sequential', line: 1, column: 22 }],
    ],
    [
      'let declarations',
      `${PRISMA}async function f() { let a = await prisma.a.count(); let b = await prisma.b.count(); a++; return a + b; }`,
      '2 independent queries',
      [{ messageId: 'sequential', line: 3, column: 22 }],
    ],
    [
      'assignments',
      `${PRISMA}async function f() { let a, b; a = await prisma.a.count(); b = await prisma.b.count(); return a + b; }`,
      '2 independent queries',
      [{ messageId: 'sequential', line: 3, column: 32 }],
    ],
    [
      'Redis reads',
      `import Redis from 'ioredis';\nconst redis = new Redis();\nasync function f() { const a = await redis.get('a'); const b = await redis.hgetall('b'); return { a, b }; }`,
      'redis.get, redis.hgetall',
      [{ messageId: 'sequential', line: 3, column: 22 }],
    ],
    [
      'pool reads (a pool runs them on separate connections)',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nasync function f() { const a = await pool.query('SELECT 1 FROM a'); const b = await pool.query('SELECT 1 FROM b'); return [a, b]; }`,
      'pool.query ×2',
      [{ messageId: 'sequential', line: 3, column: 22 }],
    ],
    [
      'axios GETs in a handler',
      `import axios from 'axios';\napp.get('/x', async (req, res) => { const { data: a } = await axios.get('/a'); const { data: b } = await axios.get('/b'); res.json({ a, b }); });`,
      '2 independent requests',
      [{ messageId: 'sequential', line: 2, column: 37 }],
    ],
    [
      'a pagination loop with two independent reads per page',
      `${PRISMA}async function f() { let cursor; do { const page = await prisma.a.findMany({ cursor }); const total = await prisma.a.count(); cursor = page.at(-1)?.id; use(total); } while (cursor); }`,
      '2 independent queries',
      [{ messageId: 'sequential', line: 3, column: 39 }],
    ],
    [
      'a run that starts after a dependent pair',
      `${PRISMA}async function f(id: string) { const user = await prisma.user.findUniqueOrThrow({ where: { id } }); const team = await prisma.team.findUnique({ where: { id: user.teamId } }); const stats = await prisma.stat.findMany(); return { team, stats }; }`,
      'prisma.team.findUnique, prisma.stat.findMany',
      [{ messageId: 'sequential', line: 3, column: 101 }],
    ],
  ])('%s', async (_name, code, expected, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toContain(expected);
  });
});

describe('sequential-awaits stays quiet', () => {
  it.each([
    [
      'a later call uses an earlier result',
      `${PRISMA}async function f(id: string) { const user = await prisma.user.findUniqueOrThrow({ where: { id } }); const posts = await prisma.post.findMany({ where: { authorId: user.id } }); return posts; }`,
    ],
    [
      'the use is inside a callback argument',
      `${PRISMA}async function f() { const ids = await prisma.a.findMany(); const rows = await prisma.b.findMany({ where: { id: { in: ids.map((x) => x.id) } } }); return rows; }`,
    ],
    ['writes', `${PRISMA}async function f() { await prisma.a.create({ data: {} }); await prisma.b.create({ data: {} }); }`],
    [
      'a write then a read',
      `${PRISMA}async function f() { const a = await prisma.a.update({ where: { id: '1' }, data: {} }); const b = await prisma.b.findMany(); return [a, b]; }`,
    ],
    [
      'POST requests',
      `async function f() { const a = await fetch('/a', { method: 'POST' }); const b = await fetch('/b', { method: 'POST' }); return [a, b]; }`,
    ],
    [
      'a request whose method is not known',
      `async function f(init: RequestInit) { const a = await fetch('/a', init); const b = await fetch('/b', init); return [a, b]; }`,
    ],
    [
      'raw SQL that is not a SELECT',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nasync function f(sql: string) { const a = await pool.query(sql); const b = await pool.query(sql); return [a, b]; }`,
    ],
    [
      'a Prisma transaction client',
      `${PRISMA}async function f() { await prisma.$transaction(async (tx) => { const a = await tx.a.count(); const b = await tx.b.count(); return a + b; }); }`,
    ],
    [
      'a knex transaction',
      `import knex from 'knex';\nconst db = knex({});\nasync function f() { await db.transaction(async (trx) => { const a = await trx('a').first(); const b = await trx('b').first(); return [a, b]; }); }`,
    ],
    [
      'a Sequelize transaction option',
      `const { A, B } = require('./models');\nasync function f(t) { const a = await A.findAll({ transaction: t }); const b = await B.findAll({ transaction: t }); return [a, b]; }`,
    ],
    [
      'after queryRunner.startTransaction()',
      `import { DataSource } from 'typeorm';\nconst ds = new DataSource({});\nasync function f() { const queryRunner = ds.createQueryRunner(); await queryRunner.startTransaction(); const a = await queryRunner.manager.find(A); const b = await queryRunner.manager.find(B); return [a, b]; }`,
    ],
    [
      'one pg client (queries queue on it)',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nasync function f() { const client = await pool.connect(); const a = await client.query('SELECT 1 FROM a'); const b = await client.query('SELECT 1 FROM b'); return [a, b]; }`,
    ],
    [
      'a connection called conn',
      `async function f(conn: any) { const a = await conn.query('SELECT * FROM a'); const b = await conn.query('SELECT * FROM b'); return [a, b]; }`,
    ],
    [
      'a statement in between',
      `${PRISMA}async function f() { const a = await prisma.a.count(); log(a); const b = await prisma.b.count(); return b; }`,
    ],
    [
      'already Promise.all',
      `${PRISMA}async function f() { const [a, b] = await Promise.all([prisma.a.count(), prisma.b.count()]); return a + b; }`,
    ],
    ['calls that are not known clients', `async function f() { const a = await loadA(); const b = await loadB(); return [a, b]; }`],
    [
      'a nested await in the arguments',
      `${PRISMA}async function f() { const a = await prisma.a.count(); const b = await prisma.b.findMany({ take: await limit() }); return [a, b]; }`,
    ],
    [
      'awaits per loop item (query-in-loop reports them)',
      `${PRISMA}async function f(orders: Order[]) { for (const o of orders) { const c = await prisma.c.findUnique({ where: { id: o.c } }); const p = await prisma.p.findUnique({ where: { id: o.p } }); use(c, p); } }`,
    ],
    ['a single await', `${PRISMA}async function f() { const a = await prisma.a.count(); return a; }`],
  ])('%s', (_name, code) => {
    expect(messages(code, code.includes('require(') ? 'src/a.js' : undefined)).toEqual([]);
  });

  it('in tests', () => {
    expect(
      messages(
        `${PRISMA}async function f() { const a = await prisma.a.count(); const b = await prisma.b.count(); return a + b; }`,
        'src/x.spec.ts',
      ),
    ).toEqual([]);
  });
});

describe('sequential-awaits suggestion: Promise.all', () => {
  async function suggested(code: string, errors: ExpectedError[]): Promise<string> {
    const found = await tester.invalid({ code, errors });
    expect(found[0].fixes).toHaveLength(1);
    expect(found[0].fixes[0].safe).toBe(false);
    const after = applyFixes(code, found[0].fixes).text;
    expect(syntaxErrors(ts.createSourceFile('after.ts', after, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS))).toEqual([]);
    return after;
  }

  it('keeps the names, destructuring included, on one line when it fits', async () => {
    expect(
      await suggested(
        `import axios from 'axios';\nasync function f() {\n  const { data: a } = await axios.get('/a');\n  const b = await axios.get('/b');\n  return [a, b];\n}\n`,
        [{ messageId: 'sequential', line: 3, column: 3 }],
      ),
    ).toBe(
      `import axios from 'axios';\nasync function f() {\n  const [{ data: a }, b] = await Promise.all([axios.get('/a'), axios.get('/b')]);\n  return [a, b];\n}\n`,
    );
  });

  it('keeps `let` and the annotations as a tuple type', async () => {
    const after = await suggested(
      `${PRISMA}async function f() {\n  let a: number = await prisma.a.count();\n  let b: number = await prisma.b.count();\n  a += b;\n  return a;\n}\n`,
      [{ messageId: 'sequential', line: 4, column: 3 }],
    );
    expect(after).toContain('let [a, b]: [number, number] = await Promise.all([prisma.a.count(), prisma.b.count()]);');
  });

  it('gives every name the type it had (checked by the type checker)', async () => {
    const header = `interface User { id: string; name: string }
interface Order { id: string; total: number }
interface PrismaClient {
  user: { findUnique(args: { where: { id: string } }): Promise<User | null> };
  order: { findMany(args: { where: { userId: string } }): Promise<Order[]> };
  log: { count(): Promise<number> };
}
declare const prisma: PrismaClient;
`;
    const before = `${header}export async function load(id: string) {
  const user = await prisma.user.findUnique({ where: { id } });
  const orders = await prisma.order.findMany({ where: { userId: id } });
  const logs = await prisma.log.count();
  return { user, orders, logs };
}
`;
    const after = await suggested(before, [{ messageId: 'sequential', line: 10, column: 3 }]);
    const typesOf = (code: string): Record<string, string> => {
      const project = new Project({
        useInMemoryFileSystem: true,
        compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'] },
      });
      const file = project.createSourceFile('/a.ts', code);
      expect(file.getPreEmitDiagnostics().map((d) => d.getMessageText())).toEqual([]);
      const fn = file.getFunctionOrThrow('load');
      // The declared names, plain (`const user`) or inside a binding pattern (`const [user, …]`).
      const declared = fn.getDescendantsOfKind(ts.SyntaxKind.Identifier).filter((id) => {
        const parent = id.getParent();
        return (
          (parent.isKind(ts.SyntaxKind.VariableDeclaration) || parent.isKind(ts.SyntaxKind.BindingElement)) && parent.getNameNode() === id
        );
      });
      return Object.fromEntries(
        ['user', 'orders', 'logs'].map((name) => [
          name,
          declared
            .find((id) => id.getText() === name)!
            .getType()
            .getText(),
        ]),
      );
    };
    expect(typesOf(after)).toEqual(typesOf(before));
    expect(typesOf(after)).toEqual({ user: 'User | null', orders: 'Order[]', logs: 'number' });
  });

  it('runs to the same values (when nothing fails)', async () => {
    const before = `const prisma = { a: { count: async () => 2 }, b: { count: async () => 3 } };
export async function f() {
  const a = await prisma.a.count();
  const b = await prisma.b.count();
  return a * 10 + b;
}
`;
    const after = await suggested(before, [{ messageId: 'sequential', line: 3, column: 3 }]);
    expect(await run(after, 'f', [])).toEqual(await run(before, 'f', []));
  });

  it.each([
    [
      'a comment between the statements (it would be lost)',
      `${PRISMA}async function f() {\n  const a = await prisma.a.count();\n  // then b\n  const b = await prisma.b.count();\n  return a + b;\n}`,
      [{ messageId: 'sequential', line: 4, column: 3 }],
    ],
    [
      'mixed const and let',
      `${PRISMA}async function f() {\n  const a = await prisma.a.count();\n  let b = await prisma.b.count();\n  return a + b;\n}`,
      [{ messageId: 'sequential', line: 4, column: 3 }],
    ],
    [
      'var',
      `${PRISMA}async function f() {\n  var a = await prisma.a.count();\n  var b = await prisma.b.count();\n  return a + b;\n}`,
      [{ messageId: 'sequential', line: 4, column: 3 }],
    ],
    [
      'only some annotated',
      `${PRISMA}async function f() {\n  const a: number = await prisma.a.count();\n  const b = await prisma.b.count();\n  return a + b;\n}`,
      [{ messageId: 'sequential', line: 4, column: 3 }],
    ],
    [
      'assignments (a line starting with [ is an ASI hazard)',
      `${PRISMA}async function f() {\n  let a, b;\n  a = await prisma.a.count();\n  b = await prisma.b.count();\n  return a + b;\n}`,
      [{ messageId: 'sequential', line: 5, column: 3 }],
    ],
  ])('reports but offers no rewrite with %s', async (_name, code, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.fixes).toEqual([]);
  });
});

describe("sequential-awaits: shared state and the project's own read helpers", () => {
  it.each([
    [
      'a later call reads a field the earlier await wrote',
      `${PRISMA}export class Page {\n  user: any;\n  async load(id: string) {\n    this.user = await prisma.user.findUnique({ where: { id } });\n    const team = await prisma.team.findUnique({ where: { id: this.user.teamId } });\n    return team;\n  }\n}`,
    ],
    [
      'results stored in module state',
      `${PRISMA}let users: unknown;\nlet posts: unknown;\nexport async function refresh() {\n  users = await prisma.user.findMany();\n  posts = await prisma.post.findMany();\n}`,
    ],
    [
      'results stored in this fields',
      `${PRISMA}export class Store {\n  users: unknown; posts: unknown;\n  async refresh() {\n    this.users = await prisma.user.findMany();\n    this.posts = await prisma.post.findMany();\n  }\n}`,
    ],
  ])('stays quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it('reports two independent reads through a project wrapper', async () => {
    const found = await tester.invalid({
      files: { 'src/http.ts': `export async function fetchJson(url: string) { const r = await fetch(url); return r.json(); }` },
      filename: 'src/page.ts',
      code: `import { fetchJson } from './http';\nexport async function page(slug: string) {\n  const article = await fetchJson(\`/api/articles/\${slug}\`);\n  const comments = await fetchJson(\`/api/articles/\${slug}/comments\`);\n  return { article, comments };\n}`,
      errors: [{ messageId: 'sequential', line: 3, column: 3 }],
    });
    expect(found.map(shownText)).toEqual([
      '2 independent requests are awaited one after another (fetchJson(…) ×2): each waits for the previous round trip. Start them together with Promise.all — this changes error and ordering semantics: the first rejection wins, and all of them run even if one fails.',
    ]);
  });

  it.each([
    [
      'a wrapper that writes module state',
      `let last = '';\nexport async function fetchJson(url: string) { last = url; const r = await fetch(url); return r.json(); }`,
    ],
    [
      'a wrapper that POSTs',
      `export async function fetchJson(url: string) { const r = await fetch(url, { method: 'POST' }); return r.json(); }`,
    ],
  ])('stays quiet for %s', (_name, helper) => {
    const found = projectFindings(
      {
        'src/http.ts': helper,
        'src/page.ts': `import { fetchJson } from './http';\nexport async function page(slug: string) {\n  const article = await fetchJson(\`/api/articles/\${slug}\`);\n  const comments = await fetchJson(\`/api/articles/\${slug}/comments\`);\n  return { article, comments };\n}`,
      },
      'src/page.ts',
      rule,
    );
    expect(found).toEqual([]);
  });
});
