import { describe, expect, it } from 'vitest';
import { ts } from '../../../src/analyzers/ts';
import { applyFixes } from '../../../src/analyzers/fixes';
import { rulesById } from '../../helpers/rules';
import { syntaxErrors } from '../../../src/analyzers/project';
import { findings, projectFindings, shownText } from '../../helpers/analyze';
import { expectSameBehaviour, run } from '../../helpers/behaviour';
import { ruleTester, type ExpectedError } from '../../helpers/ruleTester';

const rule = 'query-in-loop';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);

const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

/** `bylines(posts)` inputs for the ORMs' before/after runs: a repeated author, a missing one (9), one post, none. */
const POSTS_BY_AUTHOR = [
  [
    [
      { id: 'p1', authorId: 1 },
      { id: 'p2', authorId: 9 },
      { id: 'p3', authorId: 1 },
      { id: 'p4', authorId: 3 },
    ],
  ],
  [[{ id: 'p5', authorId: 2 }]],
  [[]],
];

describe('query-in-loop reports a query per item', () => {
  it('says what, why and what to do, as DESIGN shows it', async () => {
    const code = `${PRISMA}export async function f(orders: Order[]) {
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    use(customer);
  }
}`;
    await tester.invalid({ code, errors: [{ messageId: 'perItem', line: 5, column: 28 }] });
    expect(messages(code)).toEqual([
      'prisma.customer.findUnique runs once per order (N+1). Instead, fetch all customers with one findMany({ where: { id: { in: ids } } }).',
    ]);
  });

  it.each([
    [
      'an index for loop (the item is named from the collection)',
      `${PRISMA}async function f(orders: Order[]) { for (let i = 0; i < orders.length; i++) await prisma.order.update({ where: { id: orders[i].id }, data: {} }); }`,
      'once per order',
      [{ messageId: 'perItem', line: 3, column: 83 }],
    ],
    [
      'a while loop indexing the collection',
      `${PRISMA}async function f(ids: string[]) { let i = 0; while (i < ids.length) { await prisma.user.findUnique({ where: { id: ids[i] } }); i++; } }`,
      'once per id',
      [{ messageId: 'perItem', line: 3, column: 77 }],
    ],
    [
      'a forEach(async) callback',
      `${PRISMA}function f(users: User[]) { users.forEach(async (user) => { await prisma.audit.create({ data: { userId: user.id } }); }); }`,
      'concurrently',
      [{ messageId: 'perItemConcurrent', line: 3, column: 67 }],
    ],
    [
      'a map callback returning the promise',
      `${PRISMA}function f(ids: string[]) { return Promise.all(ids.map((id) => prisma.user.findFirst({ where: { id } }))); }`,
      'still N round trips',
      [{ messageId: 'perItemConcurrent', line: 3, column: 64 }],
    ],
    [
      'findUnique started after an await in each callback (other ticks: not batched by Prisma)',
      `${PRISMA}function f(ids: string[]) { return Promise.all(ids.map(async (id) => { await check(id); return prisma.user.findUnique({ where: { id } }); })); }`,
      'still N round trips',
      [{ messageId: 'perItemConcurrent', line: 3, column: 96 }],
    ],
    [
      'a flatMap callback',
      `${PRISMA}function f(groups: Group[]) { return Promise.all(groups.flatMap((group) => [prisma.member.count({ where: { groupId: group.id } })])); }`,
      'once per group',
      [{ messageId: 'perItemConcurrent', line: 3, column: 77 }],
    ],
    [
      'a reduce chain (sequential)',
      `${PRISMA}function f(ids: string[]) { return ids.reduce(async (previous, id) => { await previous; await prisma.job.delete({ where: { id } }); }, Promise.resolve()); }`,
      'runs once per id (N+1)',
      [{ messageId: 'perItem', line: 3, column: 95 }],
    ],
    [
      'promises pushed in a loop',
      `${PRISMA}async function f(ids: string[]) { const all = []; for (const id of ids) all.push(prisma.user.findFirst({ where: { id } })); return Promise.all(all); }`,
      'concurrently',
      [{ messageId: 'perItemConcurrent', line: 3, column: 82 }],
    ],
    [
      'a .then chain',
      `${PRISMA}async function f(ids: string[]) { for (const id of ids) await prisma.user.findUnique({ where: { id } }).then(print); }`,
      'once per id',
      [{ messageId: 'perItem', line: 3, column: 63 }],
    ],
    [
      '$queryRaw in a loop',
      `${PRISMA}async function f(ids: number[]) { for (const id of ids) await prisma.$queryRaw\`SELECT * FROM "User" WHERE id = \${id}\`; }`,
      'prisma.$queryRaw runs once per id',
      [{ messageId: 'perItem', line: 3, column: 63 }],
    ],
    [
      'Object.entries destructured',
      `${PRISMA}async function f(stock: Record<string, number>) { for (const [sku, quantity] of Object.entries(stock)) await prisma.product.update({ where: { sku }, data: { quantity } }); }`,
      'once per sku',
      [{ messageId: 'perItem', line: 3, column: 110 }],
    ],
    [
      'a retry loop inside a per-item loop (the items still count)',
      `${PRISMA}async function f(ids: string[]) { for (const id of ids) { for (let attempt = 0; attempt < 3; attempt++) { try { await prisma.user.findUnique({ where: { id } }); break; } catch {} } } }`,
      'once per id',
      [{ messageId: 'perItem', line: 3, column: 119 }],
    ],
    [
      'a literal tuple inside a per-item loop',
      `${PRISMA}async function f(users: User[]) { for (const user of users) for (const kind of ['a', 'b']) await prisma.flag.count({ where: { userId: user.id, kind } }); }`,
      'once per user',
      [{ messageId: 'perItem', line: 3, column: 98 }],
    ],
    [
      'a negated in list (Prisma not: { in }) excludes keys, it does not batch',
      `${PRISMA}async function f(users: User[]) { for (const user of users) await prisma.post.findMany({ where: { authorId: user.id, tagId: { not: { in: [1, 2] } } } }); }`,
      'once per user',
      [{ messageId: 'perItem', line: 3, column: 67 }],
    ],
    [
      'a negated in list (Prisma NOT: { id: { in } })',
      `${PRISMA}async function f(users: User[], hidden: string[]) { for (const user of users) await prisma.post.findMany({ where: { authorId: user.id, NOT: { id: { in: hidden } } } }); }`,
      'once per user',
      [{ messageId: 'perItem', line: 3, column: 85 }],
    ],
    [
      'SQL NOT IN (…) excludes keys, it does not batch',
      `async function f(users: User[], pool: Pool) { for (const user of users) await pool.query('SELECT * FROM post WHERE author = $1 AND tag NOT IN (1, 2)', [user.id]); }`,
      'once per user',
      [{ messageId: 'perItem', line: 1, column: 79 }],
    ],
    [
      'validation that returns an error, not the result',
      `${PRISMA}async function f(req: Req, res: Res) { for (const id of req.body.ids) { const item = await prisma.item.findUnique({ where: { id } }); if (!item) return res.status(404).end(); } }`,
      'once per id',
      [{ messageId: 'perItem', line: 3, column: 92 }],
    ],
    [
      'a throw on a missing row',
      `${PRISMA}async function f(ids: string[]) { for (const id of ids) { const item = await prisma.item.findUnique({ where: { id } }); if (!item) throw new Error(id); } }`,
      'once per id',
      [{ messageId: 'perItem', line: 3, column: 78 }],
    ],
    [
      'a query walking a tree with a worklist',
      `${PRISMA}async function f(root: string) { const stack = [root]; while (stack.length) { const id = stack.pop()!; const kids = await prisma.node.findMany({ where: { parentId: id } }); stack.push(...kids.map((k) => k.id)); } }`,
      'once per id',
      [{ messageId: 'perItem', line: 3, column: 123 }],
    ],
  ])('%s', async (_name, code, expected, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toContain(expected);
  });

  it.each([
    [
      'TypeORM',
      `import { Repository } from 'typeorm';\nasync function f(repo: Repository<User>, ids: number[]) { for (const id of ids) await repo.findOneBy({ id }); }`,
      'findBy({ id: In(ids) })',
      [{ messageId: 'perItem', line: 2, column: 87 }],
    ],
    [
      'Sequelize',
      `const { User } = require('./models');\nasync function f(ids) { for (const id of ids) await User.findByPk(id); }`,
      'findAll({ where: { id: ids } })',
      [{ messageId: 'perItem', line: 2, column: 53 }],
    ],
    [
      'Mongoose',
      `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nasync function f(ids: string[]) { for (const id of ids) await User.findById(id); }`,
      'find({ _id: { $in: ids } })',
      [{ messageId: 'perItem', line: 3, column: 63 }],
    ],
    [
      'MongoDB driver',
      `import { MongoClient } from 'mongodb';\nconst db = new MongoClient(u).db();\nasync function f(ids: string[]) { for (const id of ids) await db.collection('users').findOne({ email: id }); }`,
      'find({ email: { $in: emails } }).toArray()',
      [{ messageId: 'perItem', line: 3, column: 63 }],
    ],
    [
      'knex',
      `import knex from 'knex';\nconst db = knex({});\nasync function f(ids: number[]) { for (const id of ids) await db('users').where({ id }).first(); }`,
      "whereIn('id', ids)",
      [{ messageId: 'perItem', line: 3, column: 63 }],
    ],
    [
      'pg',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nasync function f(ids: number[]) { for (const id of ids) await pool.query('SELECT * FROM users WHERE id = $1', [id]); }`,
      'WHERE id = ANY($1)',
      [{ messageId: 'perItem', line: 3, column: 63 }],
    ],
    [
      'mysql2',
      `import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({});\nasync function f(ids: number[]) { for (const id of ids) await pool.execute('SELECT * FROM users WHERE id = ?', [id]); }`,
      'WHERE id IN (?)',
      [{ messageId: 'perItem', line: 3, column: 63 }],
    ],
    [
      'Redis',
      `import Redis from 'ioredis';\nconst redis = new Redis();\nasync function f(keys: string[]) { for (const key of keys) await redis.hgetall(key); }`,
      'pipeline()',
      [{ messageId: 'perItem', line: 3, column: 66 }],
    ],
    [
      'Drizzle',
      `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nconst db = drizzle(url);\nasync function f(ids: number[]) { for (const id of ids) await db.query.users.findFirst({ where: eq(users.id, id) }); }`,
      'findMany(…) with inArray(users.id, ids)',
      [{ messageId: 'perItem', line: 4, column: 63 }],
    ],
    [
      'MikroORM',
      `import { EntityManager } from '@mikro-orm/postgresql';\nasync function f(em: EntityManager, ids: number[]) { for (const id of ids) await em.findOne(User, { id }); }`,
      'find(…) with { id: { $in: ids } }',
      [{ messageId: 'perItem', line: 2, column: 82 }],
    ],
    [
      'Prisma createMany for writes',
      `${PRISMA}async function f(events: Ev[]) { for (const event of events) await prisma.event.create({ data: event }); }`,
      'createMany({ data: [...] })',
      [{ messageId: 'perItem', line: 3, column: 68 }],
    ],
    [
      'Sequelize bulkCreate for writes',
      `const { Tag } = require('./models');\nasync function f(names) { for (const name of names) await Tag.bulkCreate([{ name }]); await Promise.all(names.map((name) => Tag.findOrCreate({ where: { name } }))); }`,
      'bulkCreate([...], { ignoreDuplicates: true })',
      [{ messageId: 'perItemConcurrent', line: 2, column: 125 }],
    ],
  ])('names the batched form: %s', async (_name, code, batched, errors) => {
    const [found] = await tester.invalid({ code, filename: code.includes('require(') ? 'src/a.js' : undefined, errors });
    expect(shownText(found)).toContain(batched);
  });

  it('a loop-invariant read says to hoist it, not to batch it', async () => {
    const code = `${PRISMA}async function f(rows: Row[]) { for (const row of rows) { const config = await prisma.config.findFirst(); use(row, config); } }`;
    await tester.invalid({ code, errors: [{ messageId: 'invariant', line: 3, column: 80 }] });
    expect(messages(code)).toEqual([
      'prisma.config.findFirst runs once per row with the same arguments each time. Run it once before the loop and reuse the result.',
    ]);
  });

  it('a mapped batch that is only Promise.all-ed (not $transaction) still reports', async () => {
    await tester.invalid({
      code: `${PRISMA}async function f(rows: Row[]) { const ops = rows.map((row) => prisma.config.update({ where: { name: row.name }, data: {} })); await Promise.all(ops); }`,
      errors: [{ messageId: 'perItemConcurrent', line: 3, column: 63 }],
    });
  });

  it('names an unnamed item plainly', async () => {
    const [found] = await tester.invalid({
      code: `${PRISMA}function f(n: number) { return Promise.all(Array(Math.min(n, 100)).fill(0).map(() => prisma.note.create({ data: {} }))); }`,
      errors: [{ messageId: 'perItemConcurrent', line: 3, column: 86 }],
    });
    expect(found.message).toMatch(/^prisma\.note\.create runs once per item — /);
  });

  it('reports each query of a per-item Promise.all tuple, and nested loops once', async () => {
    await tester.invalid({
      code: `${PRISMA}async function f(orders: Order[]) { for (const o of orders) await Promise.all([prisma.a.findUnique({ where: { id: o.a } }), prisma.b.findUnique({ where: { id: o.b } })]); }`,
      errors: [
        { messageId: 'perItem', line: 3, column: 80 },
        { messageId: 'perItem', line: 3, column: 125 },
      ],
    });
    await tester.invalid({
      code: `${PRISMA}async function f(users: User[]) { for (const u of users) for (const p of u.posts) await prisma.comment.count({ where: { postId: p.id } }); }`,
      errors: [{ messageId: 'perItem', line: 3, column: 89 }],
    });
  });
});

describe('query-in-loop stays quiet', () => {
  it.each([
    [
      'findUnique awaited in its own async map callback: every call starts in the first tick, which Prisma batches (round 9)',
      `${PRISMA}function f(rows: Row[]) { return Promise.all(rows.map(async (row) => { if (row.pmId) { const pm = await prisma.paymentMethod.findUnique({ where: { id: row.pmId } }); return { ...row, pm }; } return row; })); }`,
    ],
    [
      'cursor pagination (do…while)',
      `${PRISMA}async function f() { let cursor; do { const page = await prisma.user.findMany({ take: 100, cursor }); cursor = page.at(-1)?.id; } while (cursor); }`,
    ],
    [
      'offset pagination (while true + break)',
      `${PRISMA}async function f() { let skip = 0; while (true) { const rows = await prisma.log.findMany({ skip, take: 500 }); if (!rows.length) break; skip += 500; } }`,
    ],
    [
      'page counter with no condition',
      `${PRISMA}async function f() { for (let page = 1; ; page++) { const rows = await prisma.log.findMany({ skip: page * 50, take: 50 }); if (rows.length < 50) break; } }`,
    ],
    [
      'a bounded page count',
      `${PRISMA}async function f(pages: number) { for (let page = 0; page < pages; page++) await prisma.log.findMany({ skip: page * 50, take: 50 }); }`,
    ],
    [
      'retry with attempts',
      `${PRISMA}async function f(id: string) { for (let attempt = 0; attempt < 5; attempt++) { try { return await prisma.job.findUniqueOrThrow({ where: { id } }); } catch {} } }`,
    ],
    [
      'retry with while(true) and try/catch',
      `${PRISMA}async function f(id: string) { while (true) { try { await prisma.job.update({ where: { id }, data: {} }); break; } catch { await sleep(100); } } }`,
    ],
    [
      'polling with sleep',
      `${PRISMA}async function f(id: string) { let job; while (!(job = await prisma.job.findUnique({ where: { id } }))?.done) await sleep(1000); }`,
    ],
    [
      'return right after the first await',
      `${PRISMA}async function f(ids: string[]) { for (const id of ids) { return await prisma.user.findUnique({ where: { id } }); } }`,
    ],
    [
      'if (found) return found',
      `${PRISMA}async function f(emails: string[]) { for (const email of emails) { const user = await prisma.user.findFirst({ where: { email } }); if (user) return user; } return null; }`,
    ],
    [
      'if (found) break',
      `${PRISMA}async function f(slugs: string[]) { let hit; for (const slug of slugs) { hit = await prisma.page.findUnique({ where: { slug } }); if (hit) break; } return hit; }`,
    ],
    [
      'unconditional break',
      `${PRISMA}async function f(ids: string[]) { for (const id of ids) { await prisma.user.delete({ where: { id } }); break; } }`,
    ],
    [
      'if (await exists) return',
      `${PRISMA}async function f(names: string[]) { for (const name of names) { if (await prisma.tag.count({ where: { name } })) return name; } }`,
    ],
    [
      'an in list made before the loop (the loop walks something else)',
      `${PRISMA}async function f(roles: string[], ids: string[]) { for (const role of roles) await prisma.user.findMany({ where: { role, id: { in: ids } } }); }`,
    ],
    [
      'createMany',
      `${PRISMA}async function f(users: User[]) { for (const user of users) await prisma.post.createMany({ data: user.posts }); }`,
    ],
    [
      'whereIn, $in, In(), mget, ANY($1) over a list made before the loop',
      `import knex from 'knex';\nimport Redis from 'ioredis';\nimport { In, Repository } from 'typeorm';\nconst db = knex({});\nconst redis = new Redis();
async function f(tables: string[], ids: string[], repo: Repository<User>, pool: Pool) { for (const table of tables) { await db(table).whereIn('id', ids); await repo.findBy({ kind: table, id: In(ids) }); await redis.mget(...ids); await pool.query('SELECT * FROM u WHERE kind = $2 AND id = ANY($1)', [ids, table]); } }`,
    ],
    [
      'loops over chunks',
      `${PRISMA}import { chunk } from 'lodash';\nasync function f(ids: string[]) { for (const part of chunk(ids, 100)) await prisma.user.findMany({ where: { id: { in: part } } }); for (const batch of batches) await prisma.user.deleteMany({ where: { batch: batch.id } }); }`,
    ],
    [
      'an index loop stepping by a batch size',
      `${PRISMA}async function f(ids: string[]) { for (let i = 0; i < ids.length; i += 100) await prisma.user.updateMany({ where: { id: ids[i] }, data: {} }); }`,
    ],
    [
      'DataLoader.load',
      `async function f(ids: string[], loader: DataLoader<string, User>) { for (const id of ids) await loader.load(id); }`,
    ],
    [
      'array find in a loop',
      `function f(orders: Order[], users: User[]) { for (const order of orders) users.find((u) => u.id === order.userId); }`,
    ],
    [
      'Prisma batches the findUnique calls of one tick (map)',
      `${PRISMA}function f(ids: string[]) { return Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } }))); }`,
    ],
    [
      'Prisma batches the findUnique calls of one tick (pushed in a loop without awaits)',
      `${PRISMA}async function f(ids: string[]) { const all = []; for (const id of ids) all.push(prisma.user.findUnique({ where: { id } })); return Promise.all(all); }`,
    ],
    [
      'a limiter',
      `${PRISMA}import pLimit from 'p-limit';\nconst limit = pLimit(4);\nasync function f(ids: string[]) { await Promise.all(ids.map((id) => limit(() => prisma.user.findUnique({ where: { id } })))); }`,
    ],
    [
      'a literal tuple',
      `${PRISMA}async function f() { for (const role of ['admin', 'editor']) await prisma.role.upsert({ where: { name: role }, create: { name: role }, update: {} }); }`,
    ],
    ['a query in the for…of head', `${PRISMA}async function f() { for (const user of await prisma.user.findMany()) use(user); }`],
    [
      'a query in a callback that is not an iteration',
      `${PRISMA}function f(ids: string[]) { for (const id of ids) setTimeout(() => prisma.user.delete({ where: { id } }), 10); }`,
    ],
    [
      'a query kept as a promise and not awaited in the loop',
      `${PRISMA}function f(ids: string[]) { let last; for (const id of ids) last = prisma.user.findUnique({ where: { id } }); return last; }`,
    ],
    ['HTTP requests (request-in-loop says those)', `async function f(ids: string[]) { for (const id of ids) await fetch('/u/' + id); }`],
    [
      'transaction control statements',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nasync function f(names: string[]) { const c = await pool.connect(); for (const name of names) { await c.query('SAVEPOINT s'); } }`,
    ],
    [
      'Prisma batch $transaction of mapped writes',
      `${PRISMA}async function f(rows: Row[]) { await prisma.$transaction(rows.map((row) => prisma.config.update({ where: { name: row.name }, data: { value: row.value } }))); }`,
    ],
    [
      'Prisma batch $transaction through a variable',
      `${PRISMA}async function f(rows: Row[]) { const ops = rows.map((row) => prisma.config.update({ where: { name: row.name }, data: {} })); await prisma.$transaction(ops); }`,
    ],
    [
      'Prisma batch $transaction of pushed operations',
      `${PRISMA}async function f(rows: Row[]) { const ops = []; for (const row of rows) ops.push(prisma.config.delete({ where: { name: row.name } })); await prisma.$transaction(ops); }`,
    ],
    [
      'a semaphore acquired in the callback',
      `${PRISMA}async function f(items: Item[], sema: Semaphore) { await Promise.all(items.map(async (item) => { await sema.acquire(); try { await prisma.file.findUnique({ where: { id: item.id } }); } finally { sema.release(); } })); }`,
    ],
    [
      'throttled loop',
      `${PRISMA}async function f(users: User[]) { for (const user of users) { await prisma.mail.create({ data: { to: user.email } }); await new Promise((r) => setTimeout(r, 200)); } }`,
    ],
  ])('%s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it.each([
    ['test/orders.test.ts'],
    ['src/orders.spec.ts'],
    ['prisma/seed.ts'],
    ['db/seeds/users.ts'],
    ['src/migrations/1700000000-backfill.ts'],
    ['server/scripts/20220722000000-backfill-subscriptions.ts'],
  ])('in %s', (filename) => {
    expect(
      messages(
        `${PRISMA}async function f(users: User[]) { for (const user of users) await prisma.user.create({ data: user }); }`,
        filename,
      ),
    ).toEqual([]);
  });

  it('does not throw on broken code', () => {
    expect(() =>
      findings(`${PRISMA}async function f(ids) { for (const id of ids) await prisma.user.findUnique({ where: { id } `, {
        rule,
        syntaxErrors: 'analyze',
      }),
    ).not.toThrow();
  });
});

describe('query-in-loop inside a transaction', () => {
  // The transaction holds its connection and locks across every round trip of the loop: N trips with it open.
  it('says the transaction stays open across N round trips (the Prisma interactive form)', async () => {
    const code = `${PRISMA}export async function ship(items: Item[]) {
  await prisma.$transaction(async (tx) => {
    for (const item of items) {
      await tx.order.update({ where: { id: item.id }, data: { shipped: true } });
    }
  });
}`;
    const [found] = await tester.invalid({
      code,
      errors: [{ messageId: 'perItemInTransaction', line: 6, column: 13, data: { transaction: 'prisma.$transaction(…)' } }],
    });
    expect(shownText(found)).toBe(
      'tx.order.update runs once per item inside prisma.$transaction(…) (N+1): the transaction stays open, holding its connection and ' +
        'locks, across N round trips. Instead, write them all with one updateMany({ where: { id: { in: ids } }, data }) when the data ' +
        'is the same, or one $transaction([...]) batch — the transaction is all-or-nothing either way; where rows cannot be batched ' +
        '(per-row hooks, nested creates), keep only these writes inside the transaction and do any other work before it opens.',
    );
  });

  const SEQUELIZE = `import { Sequelize, Model } from 'sequelize';\nconst sequelize = new Sequelize('postgres://');\nclass Order extends Model {}\n`;
  const KNEX = `import knex from 'knex';\nconst db = knex({ client: 'pg' });\n`;
  const TYPEORM = `import { DataSource } from 'typeorm';\nconst dataSource = new DataSource({ type: 'postgres' });\n`;
  const DRIZZLE = `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nimport { orders } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);\n`;

  it.each([
    [
      'Prisma reads',
      `${PRISMA}async function f(ids: string[]) {
  await prisma.$transaction(async (tx) => {
    for (const id of ids) await tx.item.findUnique({ where: { id } });
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 5, column: 33 }],
    ],
    [
      'Prisma, a function expression as the callback and the arguments in a variable',
      `${PRISMA}async function f(items: Item[]) {
  await prisma.$transaction(async function (tx) {
    for (const item of items) {
      const change = { where: { id: item.id }, data: { qty: item.qty } };
      await tx.stock.update(change);
    }
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 7, column: 13 }],
    ],
    [
      'Prisma, concurrently: one transaction still runs its queries one at a time',
      `${PRISMA}async function f(items: Item[]) {
  await prisma.$transaction(async (tx) => {
    await Promise.all(items.map((item) => tx.order.update({ where: { id: item.id }, data: { shipped: true } })));
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 5, column: 43 }],
    ],
    [
      'Prisma, an index walk with a while loop (its counter is not state carried between passes)',
      `${PRISMA}async function f(ids: string[]) {
  await prisma.$transaction(async (tx) => {
    let i = 0;
    while (i < ids.length) {
      await tx.order.delete({ where: { id: ids[i] } });
      i++;
    }
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 7, column: 13 }],
    ],
    [
      'a write whose result is only collected, not checked',
      `${PRISMA}async function f(lines: Line[]) {
  await prisma.$transaction(async (tx) => {
    const counts = [];
    for (const line of lines) {
      const { count } = await tx.product.updateMany({ where: { id: line.productId }, data: { reserved: true } });
      counts.push(count);
    }
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 7, column: 31 }],
    ],
    [
      'a check of a field of the row it made is an assertion, not a guarded write',
      `${PRISMA}async function f(fields: Field[]) {
  await prisma.$transaction(async (tx) => {
    for (const field of fields) {
      const created = await tx.field.create({ data: { type: field.type, recipientId: field.recipientId } });
      if (created.recipientId === null) throw new Error('Not possible');
    }
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 6, column: 29 }],
    ],
    [
      'Sequelize, the managed form with { transaction: t }',
      `${SEQUELIZE}async function f(items: Item[]) {
  await sequelize.transaction(async (t) => {
    for (const item of items) await Order.update({ status: item.status }, { where: { id: item.id }, transaction: t });
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 6, column: 37 }],
    ],
    [
      'Sequelize, a transaction passed in',
      `import { Model } from 'sequelize';\nclass Tag extends Model {}\nasync function f(names: string[], t: unknown) {
  for (const name of names) await Tag.create({ name }, { transaction: t });
}`,
      [{ messageId: 'perItemInTransaction', line: 4, column: 35, data: { transaction: 'a transaction (t)' } }],
    ],
    [
      'knex',
      `${KNEX}async function f(rows: Row[]) {
  await db.transaction(async (trx) => {
    for (const row of rows) await trx('events').where({ id: row.id }).update({ seen: true });
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 5, column: 35 }],
    ],
    [
      'TypeORM, dataSource.transaction',
      `${TYPEORM}async function f(items: Item[]) {
  await dataSource.transaction(async (manager) => {
    for (const item of items) await manager.update(Order, { id: item.id }, { status: item.status });
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 5, column: 37 }],
    ],
    [
      'TypeORM, queryRunner.manager after startTransaction()',
      `${TYPEORM}async function f(users: User[]) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.startTransaction();
  for (const user of users) await queryRunner.manager.save(user);
  await queryRunner.commitTransaction();
}`,
      [{ messageId: 'perItemInTransaction', line: 6, column: 35, data: { transaction: 'a transaction (queryRunner.startTransaction())' } }],
    ],
    [
      'Drizzle',
      `${DRIZZLE}async function f(items: Item[]) {
  await db.transaction(async (tx) => {
    for (const item of items) await tx.update(orders).set({ status: item.status }).where(eq(orders.id, item.id));
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 7, column: 37 }],
    ],
    [
      'MikroORM, em.transactional',
      `import { EntityManager } from '@mikro-orm/core';\nasync function f(em: EntityManager, items: Item[]) {
  await em.transactional(async (em) => {
    for (const item of items) await em.findOne(Order, { id: item.id });
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 4, column: 37, data: { transaction: 'em.transactional(…)' } }],
    ],
    [
      'pg, between BEGIN and COMMIT',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nasync function f(rows: Row[]) {
  const client = await pool.connect();
  await client.query('BEGIN');
  for (const row of rows) await client.query('INSERT INTO t (a) VALUES ($1)', [row.a]);
  await client.query('COMMIT');
}`,
      [{ messageId: 'perItemInTransaction', line: 6, column: 33 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('plain JavaScript without types (Sequelize through require)', async () => {
    await tester.invalid({
      filename: 'src/orders.js',
      code: `const { sequelize, Order } = require('../models');

async function cancel(orders) {
  return sequelize.transaction(async (t) => {
    for (const order of orders) {
      await Order.update({ status: 'cancelled' }, { where: { id: order.id }, transaction: t });
    }
  });
}`,
      errors: [{ messageId: 'perItemInTransaction', line: 6, column: 13, data: { transaction: 'sequelize.transaction(…)' } }],
    });
  });

  it('a helper that writes through the transaction it is given', async () => {
    const [found] = await tester.invalid({
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
        'src/audit.ts': `import { Prisma } from '@prisma/client';\nexport async function audit(tx: Prisma.TransactionClient, id: string) {\n  await tx.audit.create({ data: { id } });\n}\n`,
      },
      filename: 'src/entry.ts',
      code: `import { prisma } from './db';
import { audit } from './audit';

export async function f(ids: string[]) {
  await prisma.$transaction(async (tx) => {
    for (const id of ids) await audit(tx, id);
  });
}`,
      errors: [{ messageId: 'helperInTransaction', line: 6, column: 33 }],
    });
    expect(shownText(found)).toContain('keep only these writes inside the transaction');
  });

  it('a helper whose writes pass the transaction the caller gives it (Sequelize, JavaScript)', async () => {
    await tester.invalid({
      files: {
        'src/models.js': `const { Model } = require('sequelize');\nclass Doc extends Model {}\nmodule.exports = { Doc };\n`,
        'src/copy.js': `import { Doc } from './models';\nexport async function copy(ctx, item) {\n  await Doc.create({ title: item.title }, { transaction: ctx.transaction });\n}\n`,
      },
      filename: 'src/entry.js',
      code: `import { copy } from './copy';\nexport async function copyAll(ctx, items) {\n  for (const item of items) await copy(ctx, item);\n}`,
      errors: [{ messageId: 'helperInTransaction', line: 3, column: 35, data: { transaction: 'a transaction (passed to copy)' } }],
    });
  });

  // Passes that need what an earlier pass did cannot become one batch: those stay quiet, as before.
  it.each([
    [
      'a tree inserted level by level: each folder needs its parent id',
      `${PRISMA}async function f(names: string[]) {
  await prisma.$transaction(async (tx) => {
    let parentId: string | null = null;
    for (const name of names) {
      const folder = await tx.folder.create({ data: { name, parentId } });
      parentId = folder.id;
    }
  });
}`,
    ],
    [
      'a tree copied through a map of new ids, read through a local',
      `${PRISMA}async function f(nodes: Node[]) {
  await prisma.$transaction(async (tx) => {
    const newIds = new Map<string, string>();
    for (const node of nodes) {
      const parent = node.parentId ? newIds.get(node.parentId) : undefined;
      const row = await tx.node.create({ data: { name: node.name, parentId: parent } });
      newIds.set(node.id, row.id);
    }
  });
}`,
    ],
    [
      'a running balance',
      `${KNEX}async function f(entries: Entry[], start: number) {
  await db.transaction(async (trx) => {
    let balance = start;
    for (const entry of entries) {
      balance += entry.amount;
      await trx('ledger').insert({ entry: entry.id, balance });
    }
  });
}`,
    ],
    [
      'per-item error handling',
      `${TYPEORM}async function f(items: Item[]) {
  const failed: string[] = [];
  await dataSource.transaction(async (manager) => {
    for (const item of items) {
      try {
        await manager.update(Order, { id: item.id }, { status: item.status });
      } catch {
        failed.push(item.id);
      }
    }
  });
  return failed;
}`,
    ],
    [
      'a guarded write per item whose own result aborts the transaction (stock taken only if there is enough)',
      `${PRISMA}async function f(lines: Line[]) {
  await prisma.$transaction(async (tx) => {
    for (const line of lines) {
      const { count } = await tx.product.updateMany({
        where: { id: line.productId, stock: { gte: line.quantity } },
        data: { stock: { decrement: line.quantity } },
      });
      if (count === 0) throw new OutOfStockError(line.productId);
    }
  });
}`,
    ],
    [
      'an optimistic version check per row',
      `${KNEX}async function f(docs: Doc[]) {
  await db.transaction(async (trx) => {
    for (const doc of docs) {
      const updated = await trx('docs').where({ id: doc.id, version: doc.version }).update({ body: doc.body, version: doc.version + 1 });
      if (updated === 0) {
        throw new ConflictError(doc.id);
      }
    }
  });
}`,
    ],
    [
      'a Drizzle path of folders, each inserted under the one before',
      `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { folders } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);
export async function createPath(names: string[]) {
  await db.transaction(async (tx) => {
    let parentId: number | null = null;
    for (const name of names) {
      const [folder] = await tx.insert(folders).values({ name, parentId }).returning();
      parentId = folder.id;
    }
  });
}`,
    ],
  ])('stays quiet: %s', (_name, code) => {
    tester.valid(code);
  });

  it('stays quiet on a project function that opens its own transaction per item (each item atomic on purpose)', () => {
    tester.valid({
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
        'src/settle.ts': `import { prisma } from './db';\nexport async function settle(id: string) {\n  await prisma.$transaction(async (tx) => {\n    await tx.order.update({ where: { id }, data: { settled: true } });\n    await tx.log.create({ data: { id } });\n  });\n}\n`,
      },
      filename: 'src/entry.ts',
      code: `import { settle } from './settle';\nexport async function f(ids: string[]) {\n  for (const id of ids) await settle(id);\n}`,
    });
  });
});

describe('query-in-loop: an IN list made per item is still one query per item', () => {
  it('says so, naming the list (Prisma)', async () => {
    const code = `${PRISMA}export async function withItems(orders: Order[]) {
  for (const order of orders) {
    order.items = await prisma.item.findMany({ where: { id: { in: order.itemIds } } });
  }
}`;
    const [found] = await tester.invalid({
      code,
      errors: [{ messageId: 'perItemList', line: 5, column: 25, data: { item: 'order', list: 'order.itemIds' } }],
    });
    expect(shownText(found)).toBe(
      'prisma.item.findMany runs once per order with a list made from that order (order.itemIds): an IN list per order is still ' +
        'one query per order (N+1). Instead, collect the keys of every order into one list, run this query once with it before ' +
        "the loop, and look each order's rows up in a Map by key.",
    );
  });

  const TYPEORM = `import { In, Repository } from 'typeorm';\n`;
  const KNEX = `import knex from 'knex';\nconst db = knex({ client: 'pg' });\n`;
  it.each([
    [
      'the ids in a variable made in the loop',
      `${PRISMA}async function f(orders: Order[]) {
  for (const order of orders) {
    const ids = order.lines.map((line) => line.productId);
    await prisma.product.findMany({ where: { id: { in: ids } } });
  }
}`,
      [{ messageId: 'perItemList', line: 6, column: 11 }],
    ],
    [
      'mapped inside the call, in a map callback (concurrently)',
      `${PRISMA}function f(orders: Order[]) {
  return Promise.all(orders.map((order) => prisma.product.findMany({ where: { id: { in: order.lines.map((l) => l.productId) } } })));
}`,
      [{ messageId: 'perItemList', line: 4, column: 44 }],
    ],
    [
      'a destructured item',
      `${PRISMA}async function f(orders: Order[]) {
  for (const { itemIds } of orders) await prisma.item.findMany({ where: { id: { in: itemIds } } });
}`,
      [{ messageId: 'perItemList', line: 4, column: 43 }],
    ],
    [
      'a loop over groups of ids (one query per group)',
      `${PRISMA}async function f(groups: string[][]) {
  for (const ids of groups) await prisma.user.findMany({ where: { id: { in: ids } } });
}`,
      [{ messageId: 'perItemList', line: 4, column: 35 }],
    ],
    [
      'TypeORM In(…)',
      `${TYPEORM}async function f(orders: Order[], items: Repository<Item>) {
  for (const order of orders) await items.findBy({ id: In(order.itemIds) });
}`,
      [{ messageId: 'perItemList', line: 3, column: 37 }],
    ],
    [
      'Sequelize [Op.in]',
      `import { Model, Op } from 'sequelize';\nclass Item extends Model {}\nasync function f(orders: Order[]) {
  for (const order of orders) await Item.findAll({ where: { id: { [Op.in]: order.itemIds } } });
}`,
      [{ messageId: 'perItemList', line: 4, column: 37 }],
    ],
    [
      'knex whereIn',
      `${KNEX}async function f(orders: Order[]) {
  for (const order of orders) await db('items').whereIn('id', order.itemIds);
}`,
      [{ messageId: 'perItemList', line: 4, column: 37 }],
    ],
    [
      'Drizzle inArray',
      `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { inArray } from 'drizzle-orm';\nimport { items } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);
async function f(orders: Order[]) {
  for (const order of orders) await db.select().from(items).where(inArray(items.id, order.itemIds));
}`,
      [{ messageId: 'perItemList', line: 6, column: 37 }],
    ],
    [
      'MongoDB $in',
      `import { MongoClient } from 'mongodb';\nconst client = new MongoClient(process.env.MONGO_URL!);\nconst itemsCollection = client.db().collection('items');
async function f(orders: Order[]) {
  for (const order of orders) await itemsCollection.find({ _id: { $in: order.itemIds } }).toArray();
}`,
      [{ messageId: 'perItemList', line: 5, column: 37 }],
    ],
    [
      'an updateMany per item inside a transaction: the transaction message says more',
      `${PRISMA}async function f(orders: Order[]) {
  await prisma.$transaction(async (tx) => {
    for (const order of orders) await tx.item.updateMany({ where: { id: { in: order.itemIds } }, data: { orderId: order.id } });
  });
}`,
      [{ messageId: 'perItemInTransaction', line: 5, column: 39 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('plain JavaScript: Mongoose $in with the ids mapped from the item', async () => {
    await tester.invalid({
      filename: 'src/orders.js',
      code: `const Item = require('../models/item');

async function withItems(orders) {
  for (const order of orders) {
    order.items = await Item.find({ _id: { $in: order.lines.map((line) => line.itemId) } });
  }
  return orders;
}`,
      errors: [{ messageId: 'perItemList', line: 5, column: 25 }],
    });
  });

  it('a helper given the item’s list queries once per item (helper)', async () => {
    await tester.invalid({
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
        'src/items.ts': `import { prisma } from './db';\nexport async function itemsByIds(ids: string[]) {\n  return prisma.item.findMany({ where: { id: { in: ids } } });\n}\n`,
      },
      filename: 'src/entry.ts',
      code: `import { itemsByIds } from './items';\nexport async function f(orders: Order[]) {\n  for (const order of orders) order.items = await itemsByIds(order.itemIds);\n}`,
      errors: [{ messageId: 'helper', line: 3, column: 51 }],
    });
  });

  it.each([
    [
      'one list for all items, made before the loop',
      `${PRISMA}async function f(orders: Order[]) {
  const ids = orders.flatMap((order) => order.itemIds);
  const items = await prisma.item.findMany({ where: { id: { in: ids } } });
  for (const order of orders) order.items = items.filter((item) => order.itemIds.includes(item.id));
}`,
    ],
    [
      'chunks made before the loop, through a variable',
      `${PRISMA}import { chunk } from 'lodash';\nasync function f(ids: string[]) {
  const parts = chunk(ids, 500);
  for (const part of parts) await prisma.user.findMany({ where: { id: { in: part } } });
}`,
    ],
    [
      'chunks taken off a queue with splice',
      `${KNEX}async function f(ids: string[]) {
  const pending = [...ids];
  while (pending.length > 0) {
    const part = pending.splice(0, 500);
    await db('users').whereIn('id', part).update({ seen: true });
  }
}`,
    ],
    [
      'chunks sliced by page number',
      `${TYPEORM}async function f(ids: string[], users: Repository<User>, pages: number) {
  for (let page = 0; page < pages; page++) await users.findBy({ id: In(ids.slice(page * 500, page * 500 + 500)) });
}`,
    ],
  ])('stays quiet: %s', (_name, code) => {
    tester.valid(code);
  });
});

describe('query-in-loop suggestion: prefetch with findMany + Map', () => {
  const before = `const rows = [{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }, { id: 3, name: 'Alan' }];
const prisma = {
  customer: {
    findUnique: async ({ where }: { where: { id: number } }) => rows.filter((r) => r.id === where.id)[0] ?? null,
    findMany: async ({ where }: { where: { id: { in: number[] } } }) => rows.filter((r) => where.id.in.includes(r.id)),
  },
};

export async function invoice(orders: { id: string; customerId: number }[]) {
  const lines: string[] = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    lines.push(\`\${order.id}: \${customer?.name ?? 'unknown'}\`);
  }
  return lines;
}
`;

  const beforeErrors: ExpectedError[] = [{ messageId: 'perItem', line: 12, column: 28 }];

  async function suggested(code: string, errors: ExpectedError[], filename?: string): Promise<string> {
    const found = await tester.invalid({ code, filename, errors });
    const fixes = found[0].fixes;
    expect(fixes).toHaveLength(1);
    expect(fixes[0].safe).toBe(false);
    return applyFixes(code, fixes).text;
  }

  it('produces code that parses and reads right', async () => {
    const after = await suggested(before, beforeErrors);
    const parsed = ts.createSourceFile('after.ts', after, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    expect(syntaxErrors(parsed)).toEqual([]);
    expect(after).toContain(`  const customersById = new Map(
    (await prisma.customer.findMany({ where: { id: { in: orders.map((order) => order.customerId) } } })).map((customer) => [customer.id, customer] as const),
  );
  for (const order of orders) {
    const customer = customersById.get(order.customerId) ?? null;`);
  });

  it('gives the same results as the loop it replaces (missing keys, duplicates, no orders)', async () => {
    const after = await suggested(before, beforeErrors);
    for (const orders of [
      [
        { id: 'a', customerId: 1 },
        { id: 'b', customerId: 3 },
      ],
      [{ id: 'c', customerId: 9 }],
      [],
      [
        { id: 'd', customerId: 2 },
        { id: 'e', customerId: 2 },
      ],
    ]) {
      expect(await run(after, 'invoice', [orders])).toEqual(await run(before, 'invoice', [orders]));
    }
  });

  it('uses the collection itself when the key is the item, and no `as const` in JavaScript', async () => {
    const after = await suggested(
      `const { prisma } = require('./db');\nasync function f(ids) {\n  for (const id of ids) {\n    const user = await prisma.user.findUnique({ where: { id } });\n    log(user);\n  }\n}\n`,
      [{ messageId: 'perItem', line: 4, column: 24 }],
      'src/a.js',
    );
    expect(after).toContain('(await prisma.user.findMany({ where: { id: { in: ids } } })).map((user) => [user.id, user]),');
    expect(after).not.toContain('as const');
    expect(after).toContain('const user = usersById.get(id) ?? null;');
  });

  it.each([
    [
      'the query is not the first statement',
      `${PRISMA}async function f(os: O[]) { for (const o of os) { if (!o.c) continue; const c = await prisma.c.findUnique({ where: { id: o.c } }); use(c); } }`,
      [{ messageId: 'perItem', line: 3, column: 87 }],
    ],
    [
      'the key depends on a value made in the loop',
      `${PRISMA}async function f(os: O[]) { for (const o of os) { const c = await prisma.c.findUnique({ where: { id: key } }); const key = o.c; use(c); } }`,
      [{ messageId: 'perItem', line: 3, column: 67 }],
    ],
    [
      'findFirst (not unique)',
      `${PRISMA}async function f(os: O[]) { for (const o of os) { const c = await prisma.c.findFirst({ where: { id: o.c } }); use(c); } }`,
      [{ messageId: 'perItem', line: 3, column: 67 }],
    ],
    [
      'select (the key might not be selected)',
      `${PRISMA}async function f(os: O[]) { for (const o of os) { const c = await prisma.c.findUnique({ where: { id: o.c }, select: { name: true } }); use(c); } }`,
      [{ messageId: 'perItem', line: 3, column: 67 }],
    ],
    [
      'a destructured item',
      `${PRISMA}async function f(os: O[]) { for (const { c: id } of os) { const c = await prisma.c.findUnique({ where: { id } }); use(c); } }`,
      [{ messageId: 'perItem', line: 3, column: 75 }],
    ],
    [
      'a computed collection',
      `${PRISMA}async function f(os: O[]) { for (const o of os.filter(Boolean)) { const c = await prisma.c.findUnique({ where: { id: o.c } }); use(c); } }`,
      [{ messageId: 'perItem', line: 3, column: 83 }],
    ],
  ])('no suggestion when %s', async (_name, code, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.fixes).toEqual([]);
  });
});

describe('query-in-loop suggestion: the batched read of TypeORM, Mongoose and Sequelize', () => {
  const TYPEORM = `import { Repository } from 'typeorm';\n`;
  const MONGOOSE = `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\n`;
  const SEQUELIZE = `import { Model } from 'sequelize';\nclass User extends Model {}\n`;
  /** A per-item loop whose first statement is `const author = await <call>;`. */
  const loop = (head: string, call: string, params = 'posts: Post[]'): string =>
    `${head}export async function authors(${params}) {\n  const names = [];\n  for (const post of posts) {\n    const author = await ${call};\n    names.push(author?.name);\n  }\n  return names;\n}\n`;

  /** Where the fixtures put their query: `    const author = await <query>;`, so at column 26 of that line. */
  const authorQuery = (code: string): ExpectedError[] => [
    { messageId: 'perItem', line: code.split('\n').findIndex((text) => text.startsWith('    const author = await ')) + 1, column: 26 },
  ];

  async function suggested(code: string, filename?: string, errors = authorQuery(code)): Promise<{ title: string; text: string }> {
    const found = await tester.invalid({ code, filename, errors });
    const fixes = found[0].fixes;
    expect(fixes).toHaveLength(1);
    expect(fixes[0].safe).toBe(false);
    const text = applyFixes(code, fixes).text;
    const parsed = ts.createSourceFile(
      filename ?? 'after.ts',
      text,
      ts.ScriptTarget.Latest,
      true,
      filename?.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS,
    );
    expect(syntaxErrors(parsed)).toEqual([]);
    return { title: fixes[0].title, text };
  }

  it.each([
    [
      'TypeORM findOneBy → findBy with In, imported next to Repository',
      loop(TYPEORM, 'repo.findOneBy({ id: post.authorId })', 'repo: Repository<User>, posts: Post[]'),
      'Fetch all users with one findBy before the loop and look them up in a Map (preview: reads them once, up front)',
      `import { Repository, In } from 'typeorm';
export async function authors(repo: Repository<User>, posts: Post[]) {
  const names = [];
  const usersById = new Map(
    (await repo.findBy({ id: In(posts.map((post) => post.authorId)) })).map((user) => [user.id, user] as const),
  );
  for (const post of posts) {
    const author = usersById.get(post.authorId) ?? null;
    names.push(author?.name);
  }
  return names;
}
`,
    ],
    [
      'TypeORM findOne({ where }) → findBy, reusing the In already imported',
      loop(
        `import { In, Repository } from 'typeorm';\n`,
        'repo.findOne({ where: { email: post.authorEmail } })',
        'repo: Repository<User>, posts: Post[]',
      ),
      'Fetch all users with one findBy before the loop and look them up in a Map (preview: reads them once, up front)',
      `import { In, Repository } from 'typeorm';
export async function authors(repo: Repository<User>, posts: Post[]) {
  const names = [];
  const usersByEmail = new Map(
    (await repo.findBy({ email: In(posts.map((post) => post.authorEmail)) })).map((user) => [user.email, user] as const),
  );
  for (const post of posts) {
    const author = usersByEmail.get(post.authorEmail) ?? null;
    names.push(author?.name);
  }
  return names;
}
`,
    ],
    [
      'Mongoose findById → find with $in, keyed by the id as a string',
      loop(MONGOOSE, 'User.findById(post.authorId)'),
      'Fetch all users with one find before the loop and look them up in a Map (preview: reads them once, up front)',
      `import mongoose from 'mongoose';
const User = mongoose.model('User', schema);
export async function authors(posts: Post[]) {
  const names = [];
  const usersById = new Map(
    (await User.find({ _id: { $in: posts.map((post) => post.authorId) } })).map((user) => [String(user._id), user] as const),
  );
  for (const post of posts) {
    const author = usersById.get(String(post.authorId)) ?? null;
    names.push(author?.name);
  }
  return names;
}
`,
    ],
    [
      'Mongoose findOne by one plain field → find with $in, keyed by the field as a string (Mongoose casts the value)',
      loop(MONGOOSE, 'User.findOne({ email: post.authorEmail })'),
      'Fetch all users with one find before the loop and look them up in a Map (preview: reads them once, up front)',
      `import mongoose from 'mongoose';
const User = mongoose.model('User', schema);
export async function authors(posts: Post[]) {
  const names = [];
  const usersByEmail = new Map(
    (await User.find({ email: { $in: posts.map((post) => post.authorEmail) } })).map((user) => [String(user.email), user] as const),
  );
  for (const post of posts) {
    const author = usersByEmail.get(String(post.authorEmail)) ?? null;
    names.push(author?.name);
  }
  return names;
}
`,
    ],
    [
      'Mongoose findOne({ _id }) → keyed by the id as a string',
      loop(MONGOOSE, 'User.findOne({ _id: post.authorId })'),
      'Fetch all users with one find before the loop and look them up in a Map (preview: reads them once, up front)',
      `import mongoose from 'mongoose';
const User = mongoose.model('User', schema);
export async function authors(posts: Post[]) {
  const names = [];
  const usersById = new Map(
    (await User.find({ _id: { $in: posts.map((post) => post.authorId) } })).map((user) => [String(user._id), user] as const),
  );
  for (const post of posts) {
    const author = usersById.get(String(post.authorId)) ?? null;
    names.push(author?.name);
  }
  return names;
}
`,
    ],
    [
      'Sequelize findOne({ where }) → findAll with an array (IN)',
      loop(SEQUELIZE, 'User.findOne({ where: { id: post.authorId } })'),
      'Fetch all users with one findAll before the loop and look them up in a Map (preview: reads them once, up front)',
      `import { Model } from 'sequelize';
class User extends Model {}
export async function authors(posts: Post[]) {
  const names = [];
  const usersById = new Map(
    (await User.findAll({ where: { id: posts.map((post) => post.authorId) } })).map((user) => [user.id, user] as const),
  );
  for (const post of posts) {
    const author = usersById.get(post.authorId) ?? null;
    names.push(author?.name);
  }
  return names;
}
`,
    ],
  ])('%s', async (_name, code, title, expected) => {
    const after = await suggested(code);
    expect(after.title).toBe(title);
    expect(after.text).toBe(expected);
  });

  describe("importing TypeORM's In", () => {
    const call = 'repo.findOneBy({ id: post.authorId })';
    const params = 'repo: Repository<User>, posts: Post[]';

    it('adds an import line when typeorm is only imported for types', async () => {
      const { text } = await suggested(loop(`import type { Repository } from 'typeorm';\nimport { log } from './log';\n`, call, params));
      expect(
        text.startsWith(
          `import type { Repository } from 'typeorm';\nimport { log } from './log';\nimport { In } from 'typeorm';\nexport async function`,
        ),
      ).toBe(true);
    });

    it('adds an import line to a file that imports nothing from typeorm', async () => {
      const { text } = await suggested(`import { db } from './db';\n${loop('', 'db.userRepository.findOneBy({ id: post.authorId })')}`);
      expect(text.startsWith(`import { db } from './db';\nimport { In } from 'typeorm';\n`)).toBe(true);
      expect(text).toContain(
        '(await db.userRepository.findBy({ id: In(posts.map((post) => post.authorId)) })).map((user) => [user.id, user] as const)',
      );
    });

    it('requires it in a CommonJS file, into the existing require', async () => {
      const { text } = await suggested(
        `const { Repository } = require('typeorm');\nasync function f(userRepository, ids) {\n  for (const id of ids) {\n    const user = await userRepository.findOneBy({ id });\n    log(user);\n  }\n}\n`,
        'src/a.js',
        [{ messageId: 'perItem', line: 4, column: 24 }],
      );
      expect(text).toBe(
        `const { Repository, In } = require('typeorm');\nasync function f(userRepository, ids) {\n  const usersById = new Map((await userRepository.findBy({ id: In(ids) })).map((user) => [user.id, user]));\n  for (const id of ids) {\n    const user = usersById.get(id) ?? null;\n    log(user);\n  }\n}\n`,
      );
    });

    it('adds a require line to a CommonJS file that does not require typeorm', async () => {
      const { text } = await suggested(
        `'use strict';\nconst { db } = require('./db');\nasync function f(ids) {\n  for (const id of ids) {\n    const user = await db.userRepository.findOneBy({ id });\n    log(user);\n  }\n}\nmodule.exports = { f };\n`,
        'src/a.js',
        [{ messageId: 'perItem', line: 5, column: 24 }],
      );
      expect(text.startsWith(`'use strict';\nconst { In } = require('typeorm');\n\nconst { db } = require('./db');\n`)).toBe(true);
      expect(text).toContain('(await db.userRepository.findBy({ id: In(ids) })).map((user) => [user.id, user])');
    });

    it('uses an alias or a namespace the file already has', async () => {
      expect((await suggested(loop(`import { In as Any, Repository } from 'typeorm';\n`, call, params))).text).toContain(
        'repo.findBy({ id: Any(posts.map((post) => post.authorId)) })',
      );
      expect(
        (await suggested(loop(`import * as typeorm from 'typeorm';\n`, call, 'repo: typeorm.Repository<User>, posts: Post[]'))).text,
      ).toContain('repo.findBy({ id: typeorm.In(posts.map((post) => post.authorId)) })');
    });

    it.each([
      ['a local function named In', `${TYPEORM}function In(x: unknown) { return x; }\n`],
      ['an In imported from elsewhere', `${TYPEORM}import { In } from './operators';\n`],
      ['a parameter named In', `${TYPEORM}export const g = (In: number) => In;\n`],
    ])('no suggestion when the file has %s', async (_name, head) => {
      const code = loop(head, call, params);
      const [found] = await tester.invalid({ code, errors: authorQuery(code) });
      expect(found.fixes).toEqual([]);
    });
  });

  it.each([
    [
      'TypeORM findOne with relations',
      loop(TYPEORM, 'repo.findOne({ where: { id: post.authorId }, relations: { team: true } })', 'repo: Repository<User>, posts: Post[]'),
    ],
    [
      'TypeORM findOne with select',
      loop(TYPEORM, 'repo.findOne({ where: { id: post.authorId }, select: { name: true } })', 'repo: Repository<User>, posts: Post[]'),
    ],
    [
      'TypeORM findOneBy with two fields',
      loop(TYPEORM, 'repo.findOneBy({ id: post.authorId, active: true })', 'repo: Repository<User>, posts: Post[]'),
    ],
    [
      'TypeORM findOne with two where fields',
      loop(TYPEORM, 'repo.findOne({ where: { id: post.authorId, active: true } })', 'repo: Repository<User>, posts: Post[]'),
    ],
    [
      'TypeORM findOne with a list of where alternatives',
      loop(TYPEORM, 'repo.findOne({ where: [{ id: post.authorId }] })', 'repo: Repository<User>, posts: Post[]'),
    ],
    [
      'TypeORM findOneBy with an operator',
      loop(
        `import { Equal, Repository } from 'typeorm';\n`,
        'repo.findOneBy({ id: Equal(post.authorId) })',
        'repo: Repository<User>, posts: Post[]',
      ),
    ],
    [
      'TypeORM EntityManager.findOneBy (the entity comes first)',
      loop(`import { DataSource } from 'typeorm';\nconst ds = new DataSource({});\n`, 'ds.manager.findOneBy(User, { id: post.authorId })'),
    ],
    [
      'TypeORM findOneOrFail (throws on a missing row)',
      loop(TYPEORM, 'repo.findOneOrFail({ where: { id: post.authorId } })', 'repo: Repository<User>, posts: Post[]'),
    ],
    ['Mongoose findById with a projection', loop(MONGOOSE, "User.findById(post.authorId, 'name')")],
    ['Mongoose findById(…).lean()', loop(MONGOOSE, 'User.findById(post.authorId).lean()')],
    ['Mongoose findOne with two fields', loop(MONGOOSE, 'User.findOne({ email: post.authorEmail, active: true })')],
    ['Mongoose findOne with a projection', loop(MONGOOSE, "User.findOne({ email: post.authorEmail }, 'name')")],
    ['Mongoose findOne with an operator', loop(MONGOOSE, 'User.findOne({ email: { $eq: post.authorEmail } })')],
    ['Sequelize findOne with include', loop(SEQUELIZE, 'User.findOne({ where: { id: post.authorId }, include: [Team] })')],
    ['Sequelize findOne with attributes', loop(SEQUELIZE, "User.findOne({ where: { id: post.authorId }, attributes: ['name'] })")],
    ['Sequelize findOne with two where fields', loop(SEQUELIZE, 'User.findOne({ where: { id: post.authorId, active: true } })')],
    ["Sequelize findByPk (the key's name is not in the code)", loop(SEQUELIZE, 'User.findByPk(post.authorId)')],
    [
      'a model whose library the call cannot tell (Sequelize or Mongoose)',
      loop(`import { User } from './models';\n`, 'User.findOne({ email: post.authorEmail })'),
    ],
    [
      'the MongoDB driver',
      loop(
        `import { MongoClient } from 'mongodb';\nconst db = new MongoClient(url).db();\n`,
        "db.collection('users').findOne({ email: post.authorEmail })",
      ),
    ],
  ])('no suggestion for %s', async (_name, code) => {
    const [found] = await tester.invalid({ code, errors: authorQuery(code) });
    expect(found.fixes).toEqual([]);
  });

  it.each([
    ['TypeORM findOneBy', TYPEORM, 'repo.findOneBy({ id: key })', 'repo: Repository<User>, posts: Post[]'],
    ['TypeORM findOne', TYPEORM, 'repo.findOne({ where: { id: key } })', 'repo: Repository<User>, posts: Post[]'],
    ['Mongoose findById', MONGOOSE, 'User.findById(key)', undefined],
    ['Mongoose findOne', MONGOOSE, 'User.findOne({ email: key })', undefined],
    ['Sequelize findOne', SEQUELIZE, 'User.findOne({ where: { id: key } })', undefined],
  ])('no suggestion for %s when the key uses a name declared inside the loop', async (_name, head, call, params) => {
    const code = `${head}export async function authors(${params ?? 'posts: Post[]'}) {\n  for (const post of posts) {\n    const author = await ${call};\n    const key = post.authorId;\n    use(author, key);\n  }\n}\n`;
    const [found] = await tester.invalid({ code, errors: authorQuery(code) });
    expect(found.fixes).toEqual([]);
  });

  // Small in-memory fakes of each library's client, written in the code the fix rewrites, so that the
  // code before and after the fix can run on the same inputs: a key no row has, and a key asked twice.
  const posts = [
    [
      [
        { id: 'p1', authorId: 1, authorEmail: 'ada@example.com' },
        { id: 'p2', authorId: 9, authorEmail: 'nobody@example.com' },
        { id: 'p3', authorId: 1, authorEmail: 'ada@example.com' },
        { id: 'p4', authorId: 3, authorEmail: 'alan@example.com' },
      ],
    ],
    [[{ id: 'p5', authorId: 2, authorEmail: 'grace@example.com' }]],
    [[]],
  ];

  const typeorm = (call: string): string => `import { Repository } from 'typeorm';

type User = { id: number; email: string; name: string };
const rows: User[] = [
  { id: 1, email: 'ada@example.com', name: 'Ada' },
  { id: 2, email: 'grace@example.com', name: 'Grace' },
  { id: 3, email: 'alan@example.com', name: 'Alan' },
];
// A fake repository over the rows: a field equals a value, or is In(…) a list (TypeORM's FindOperator of type 'in').
function matches(row: User, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([field, wanted]) => {
    const operator = wanted as { type?: string; value?: unknown[] } | null;
    return operator?.type === 'in' ? operator.value!.includes(row[field as keyof User]) : row[field as keyof User] === wanted;
  });
}
const userRepository = {
  findOneBy: async (where: Record<string, unknown>) => rows.filter((row) => matches(row, where))[0] ?? null,
  findOne: async (options: { where: Record<string, unknown> }) => rows.filter((row) => matches(row, options.where))[0] ?? null,
  findBy: async (where: Record<string, unknown>) => rows.filter((row) => matches(row, where)),
} as unknown as Repository<User>;

export async function bylines(posts: { id: string; authorId: number; authorEmail: string }[]) {
  const lines: string[] = [];
  for (const post of posts) {
    const author = await ${call};
    lines.push(\`\${post.id}: \${author === null ? 'no author' : author.name}\`);
  }
  return lines;
}
`;

  const mongoose = (call: string): string => `import type { Model } from 'mongoose';

// ObjectIds are objects: two ids of the same document are equal only by their string.
class ObjectId {
  constructor(readonly hex: string) {}
  toString() { return this.hex; }
}
type UserDoc = { _id: ObjectId; account: ObjectId; email: string; name: string };
const docs: UserDoc[] = [
  { _id: new ObjectId('1'), account: new ObjectId('1'), email: 'ada@example.com', name: 'Ada' },
  { _id: new ObjectId('2'), account: new ObjectId('2'), email: 'grace@example.com', name: 'Grace' },
  { _id: new ObjectId('3'), account: new ObjectId('3'), email: 'alan@example.com', name: 'Alan' },
];
// A fake model over the documents: Mongoose casts a query's ids, so they compare as strings; { $in: [...] } is a list.
const same = (a: unknown, b: unknown) => (a instanceof ObjectId || b instanceof ObjectId ? String(a) === String(b) : a === b);
function matches(doc: UserDoc, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([field, wanted]) => {
    const value = doc[field as keyof UserDoc];
    const list = wanted && typeof wanted === 'object' && '$in' in wanted ? (wanted as { $in: unknown[] }).$in : undefined;
    return list ? list.some((one) => same(value, one)) : same(value, wanted);
  });
}
function fakeModel(all: UserDoc[]) {
  return {
    findById: async (id: unknown) => all.filter((doc) => same(doc._id, id))[0] ?? null,
    findOne: async (filter: Record<string, unknown>) => all.filter((doc) => matches(doc, filter))[0] ?? null,
    find: async (filter: Record<string, unknown>) => all.filter((doc) => matches(doc, filter)),
  } as unknown as Model<UserDoc>;
}
const User = fakeModel(docs);

export async function bylines(input: { id: string; authorId: number; authorEmail: string }[]) {
  // The posts refer to their authors by ObjectId, each one a new object.
  const posts = input.map((post) => ({ ...post, authorId: new ObjectId(String(post.authorId)) }));
  const lines: string[] = [];
  for (const post of posts) {
    const author = await ${call};
    lines.push(\`\${post.id}: \${author === null ? 'no author' : \`\${author.name} <\${String(author._id)}>\`}\`);
  }
  return lines;
}
`;

  const sequelize = (call: string): string => `import type { Model, ModelStatic } from 'sequelize';

type UserRow = { id: number; email: string; name: string };
const rows: UserRow[] = [
  { id: 1, email: 'ada@example.com', name: 'Ada' },
  { id: 2, email: 'grace@example.com', name: 'Grace' },
  { id: 3, email: 'alan@example.com', name: 'Alan' },
];
// A fake model over the rows: a where field equals a value, or is in a list when the value is an array.
function matches(row: UserRow, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([field, wanted]) => {
    const value = row[field as keyof UserRow];
    return Array.isArray(wanted) ? wanted.includes(value) : value === wanted;
  });
}
function fakeModel(all: UserRow[]) {
  return {
    findOne: async (options: { where: Record<string, unknown> }) => all.filter((row) => matches(row, options.where))[0] ?? null,
    findAll: async (options: { where: Record<string, unknown> }) => all.filter((row) => matches(row, options.where)),
  } as unknown as ModelStatic<Model<UserRow>> & { findOne(o: unknown): Promise<UserRow | null> };
}
const User = fakeModel(rows);

export async function bylines(posts: { id: string; authorId: number; authorEmail: string }[]) {
  const lines: string[] = [];
  for (const post of posts) {
    const author = await ${call};
    lines.push(\`\${post.id}: \${author === null ? 'no author' : author.name}\`);
  }
  return lines;
}
`;

  it.each([
    ['TypeORM findOneBy', typeorm('userRepository.findOneBy({ id: post.authorId })'), 'findBy'],
    ['TypeORM findOne({ where })', typeorm('userRepository.findOne({ where: { email: post.authorEmail } })'), 'findBy'],
    ['Mongoose findById', mongoose('User.findById(post.authorId)'), 'find'],
    ['Mongoose findOne by a plain field', mongoose('User.findOne({ email: post.authorEmail })'), 'find'],
    ['Mongoose findOne({ _id })', mongoose('User.findOne({ _id: post.authorId })'), 'find'],
    ['Mongoose findOne by a reference (an ObjectId, not _id)', mongoose('User.findOne({ account: post.authorId })'), 'find'],
    ['Sequelize findOne({ where })', sequelize('User.findOne({ where: { id: post.authorId } })'), 'findAll'],
  ])('%s: behaves the same before and after the fix (a missing key, a duplicate key, no posts)', async (_name, before, batched) => {
    const { text: after } = await suggested(before);
    expect(after).toContain(`.${batched}(`);
    await expectSameBehaviour(before, after, 'bylines', posts);
  });
});

describe("query-in-loop suggestion: Drizzle's findFirst → findMany with inArray", () => {
  const HEAD = `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nimport { users } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);\n`;
  /** A per-item loop whose first statement is `const author = await <call>;`. */
  const loop = (head: string, call: string): string =>
    `${head}export async function authors(posts: Post[]) {\n  const names = [];\n  for (const post of posts) {\n    const author = await ${call};\n    names.push(author?.name);\n  }\n  return names;\n}\n`;

  // `loop(head, …)` puts the query on `    const author = await <call>;`, the 4th line after the head: column 26.

  async function suggested(code: string, errors: ExpectedError[]): Promise<{ title: string; text: string }> {
    const found = await tester.invalid({ code, errors });
    const fixes = found[0].fixes;
    expect(fixes).toHaveLength(1);
    expect(fixes[0].safe).toBe(false);
    const text = applyFixes(code, fixes).text;
    expect(syntaxErrors(ts.createSourceFile('after.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS))).toEqual([]);
    return { title: fixes[0].title, text };
  }

  it('reads every row with one findMany before the loop, imports inArray next to eq, and keeps undefined for a missing row', async () => {
    const after = await suggested(loop(HEAD, 'db.query.users.findFirst({ where: eq(users.id, post.authorId) })'), [
      { messageId: 'perItem', line: 8, column: 26 },
    ]);
    expect(after.title).toBe(
      'Fetch all users with one findMany before the loop and look them up in a Map (preview: reads them once, up front)',
    );
    expect(after.text).toBe(`import { drizzle } from 'drizzle-orm/node-postgres';
import { eq, inArray } from 'drizzle-orm';
import { users } from './schema';
const db = drizzle(process.env.DATABASE_URL!);
export async function authors(posts: Post[]) {
  const names = [];
  const usersById = new Map(
    (await db.query.users.findMany({ where: inArray(users.id, posts.map((post) => post.authorId)) })).map((user) => [user.id, user] as const),
  );
  for (const post of posts) {
    const author = usersById.get(post.authorId);
    names.push(author?.name);
  }
  return names;
}
`);
  });

  it("is offered on the rule's own Drizzle example", async () => {
    const example = rulesById.get(rule)!.meta.examples.invalid.find((e) => e.code.includes('drizzle-orm'))!;
    expect((await suggested(example.code, [{ messageId: 'perItem', line: 10, column: 26 }])).text).toContain(
      '(await db.query.users.findMany({ where: inArray(users.id, posts.map((post) => post.authorId)) }))',
    );
  });

  it('merges inArray into the import of eq (not a type-only one), or uses the one the file has', async () => {
    const merged = (
      await suggested(
        loop(
          `import type { InferSelectModel } from 'drizzle-orm';\nimport { eq } from 'drizzle-orm';\nimport { db, users } from './db';\n`,
          'db.query.users.findFirst({ where: eq(users.email, post.authorEmail) })',
        ),
        [{ messageId: 'perItem', line: 7, column: 26 }],
      )
    ).text;
    expect(merged.startsWith(`import type { InferSelectModel } from 'drizzle-orm';\nimport { eq, inArray } from 'drizzle-orm';\n`)).toBe(
      true,
    );
    expect(merged).toContain('db.query.users.findMany({ where: inArray(users.email, posts.map((post) => post.authorEmail)) })');
    expect(merged).toContain('const author = usersByEmail.get(post.authorEmail);');
    const aliased = (
      await suggested(
        loop(
          `import { eq, inArray as within } from 'drizzle-orm';\nimport { db, users } from './db';\n`,
          'db.query.users.findFirst({ where: eq(users.id, post.authorId) })',
        ),
        [{ messageId: 'perItem', line: 6, column: 26 }],
      )
    ).text;
    expect(aliased.startsWith(`import { eq, inArray as within } from 'drizzle-orm';\n`)).toBe(true);
    expect(aliased).toContain('db.query.users.findMany({ where: within(users.id, posts.map((post) => post.authorId)) })');
  });

  it.each([
    [
      'the where is a callback',
      loop(HEAD, 'db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, post.authorId) })'),
      [{ messageId: 'perItem', line: 8, column: 26 }],
    ],
    [
      'other options change what comes back',
      loop(HEAD, 'db.query.users.findFirst({ where: eq(users.id, post.authorId), with: { posts: true } })'),
      [{ messageId: 'perItem', line: 8, column: 26 }],
    ],
    [
      'two conditions',
      loop(
        `${HEAD}import { and } from 'drizzle-orm';\n`,
        'db.query.users.findFirst({ where: and(eq(users.id, post.authorId), eq(users.active, true)) })',
      ),
      [{ messageId: 'perItem', line: 9, column: 26 }],
    ],
    [
      "an eq that is not drizzle-orm's",
      loop(
        HEAD.replace("import { eq } from 'drizzle-orm';", "import { eq } from './operators';"),
        'db.query.users.findFirst({ where: eq(users.id, post.authorId) })',
      ),
      [{ messageId: 'perItem', line: 8, column: 26 }],
    ],
    [
      'the builder form (it gives a list per key)',
      loop(HEAD, 'db.select().from(users).where(eq(users.id, post.authorId))'),
      [{ messageId: 'perItem', line: 8, column: 26 }],
    ],
    [
      'a file with another inArray',
      loop(`${HEAD}const inArray = (x: unknown[]) => x;\n`, 'db.query.users.findFirst({ where: eq(users.id, post.authorId) })'),
      [{ messageId: 'perItem', line: 9, column: 26 }],
    ],
  ])('no suggestion when %s', async (_name, code, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.fixes).toEqual([]);
  });

  it.each([
    [
      'the table',
      'const table = pick(post); const author = await db.query.users.findFirst({ where: eq(table.id, post.authorId) }); use(author);',
      [{ messageId: 'perItem', line: 7, column: 52 }],
    ],
    [
      'the key',
      'const author = await db.query.users.findFirst({ where: eq(users.id, key) }); const key = post.authorId; use(author, key);',
      [{ messageId: 'perItem', line: 7, column: 26 }],
    ],
  ])('no suggestion when %s is made inside the loop', async (_name, body, errors) => {
    const code = `${HEAD}export async function f(posts: Post[]) {\n  for (const post of posts) {\n    ${body}\n  }\n}\n`;
    const [found] = await tester.invalid({ code, errors });
    expect(found.fixes).toEqual([]);
  });

  // drizzle-orm is not installed: a fake of the two operators, and a fake database answering them the way
  // Drizzle does — findFirst gives undefined for a missing row, findMany the rows whose column is in the list.
  const drizzleOrm = {
    eq: (column: { name: string }, value: unknown) => ({ op: 'eq', column: column.name, value }),
    inArray: (column: { name: string }, values: unknown[]) => ({ op: 'in', column: column.name, values }),
  };
  const before = `import { eq } from 'drizzle-orm';

type User = { id: number; name: string };
const users = { id: { name: 'id' }, name: { name: 'name' } };
const rows: User[] = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
  { id: 3, name: 'Alan' },
];
type Where = { op: 'eq'; column: keyof User; value: unknown } | { op: 'in'; column: keyof User; values: unknown[] };
const matches = (row: User, where: Where) => (where.op === 'eq' ? row[where.column] === where.value : where.values.includes(row[where.column]));
const db = {
  query: {
    users: {
      findFirst: async ({ where }: { where: Where }) => rows.filter((row) => matches(row, where))[0],
      findMany: async ({ where }: { where: Where }) => rows.filter((row) => matches(row, where)),
    },
  },
};

export async function bylines(posts: { id: string; authorId: number }[]) {
  const lines: string[] = [];
  for (const post of posts) {
    const author = await db.query.users.findFirst({ where: eq(users.id, post.authorId) });
    lines.push(\`\${post.id}: \${author === undefined ? 'no author' : author.name}\`);
  }
  return lines;
}
`;

  it('behaves the same before and after the fix (a missing key, a duplicate key, no posts)', async () => {
    const { text: after } = await suggested(before, [{ messageId: 'perItem', line: 24, column: 26 }]);
    expect(after).toContain("import { eq, inArray } from 'drizzle-orm';");
    expect(after).toContain('.findMany({ where: inArray(users.id, posts.map((post) => post.authorId)) })');
    await expectSameBehaviour(before, after, 'bylines', POSTS_BY_AUTHOR, { 'drizzle-orm': drizzleOrm });
  });
});

describe('query-in-loop: MikroORM', () => {
  const HEAD = `import { MikroORM } from '@mikro-orm/postgresql';\nimport { User } from './entities';\nconst orm = await MikroORM.init();\n`;
  const TYPED = `import { EntityManager, EntityRepository } from '@mikro-orm/postgresql';\nimport { User } from './entities';\n`;

  it('reports em.findOne per id, and says to read them all with find and $in', async () => {
    const code = `${HEAD}export async function names(ids: number[]) {
  const em = orm.em.fork();
  for (const id of ids) {
    const user = await em.findOne(User, { id });
    use(user);
  }
}`;
    await tester.invalid({ code, errors: [{ messageId: 'perItem', line: 7, column: 24 }] });
    expect(messages(code)).toEqual([
      'em.findOne runs once per id (N+1). Instead, fetch all users with one find(…) with { id: { $in: ids } }.',
    ]);
  });

  it('reports the same loop in plain JavaScript, its em from MikroORM.init and orm.em', async () => {
    await tester.invalid({
      code: `const { MikroORM } = require('@mikro-orm/core');
const { User } = require('./entities');

async function names(ids) {
  const orm = await MikroORM.init();
  const em = orm.em;
  const out = [];
  for (const id of ids) out.push((await em.findOne(User, { id }))?.name);
  return out;
}
module.exports = { names };`,
      filename: 'src/names.js',
      errors: [{ messageId: 'perItem', line: 8, column: 41 }],
    });
  });

  it('reports an arrow over Promise.all(ids.map(…)): concurrent, still N round trips', async () => {
    const [found] = await tester.invalid({
      code: `${TYPED}export const users = (em: EntityManager, ids: number[]) => Promise.all(ids.map((id) => em.findOne(User, { id })));`,
      errors: [{ messageId: 'perItemConcurrent', line: 3, column: 88 }],
    });
    expect(found.message).toBe('em.findOne runs once per id — concurrently, but still N round trips (N+1).');
  });

  it.each([
    [
      'a repository read by another key',
      `${TYPED}async function f(users: EntityRepository<User>, emails: string[]) { for (const email of emails) await users.findOne({ email }); }`,
      'find(…) with { email: { $in: emails } }',
      [{ messageId: 'perItem', line: 3, column: 103 }],
    ],
    [
      'a flush per item',
      `${TYPED}async function f(em: EntityManager, users: User[]) { for (const user of users) { user.seen = true; await em.flush(); } }`,
      'flush() after the loop (change or persist() each entity in it)',
      [{ messageId: 'perItem', line: 3, column: 106 }],
    ],
    [
      'persistAndFlush per item',
      `${TYPED}async function f(em: EntityManager, rows: NewUser[]) { for (const row of rows) await em.persistAndFlush(em.create(User, row)); }`,
      'flush() after the loop (persist() each entity in it)',
      [{ messageId: 'perItem', line: 3, column: 86 }],
    ],
    [
      'a native update per item',
      `${TYPED}async function f(em: EntityManager, ids: number[]) { for (const id of ids) await em.nativeUpdate(User, { id }, { seen: true }); }`,
      'nativeUpdate(…) with { id: { $in: ids } } when the data is the same',
      [{ messageId: 'perItem', line: 3, column: 82 }],
    ],
    [
      'a query builder per item',
      `${TYPED}async function f(em: EntityManager, teams: number[]) { for (const team of teams) await em.createQueryBuilder(User).where({ team }).getResultList(); }`,
      'query builder with .where({ team: { $in: teams } })',
      [{ messageId: 'perItem', line: 3, column: 88 }],
    ],
  ])('reports %s', async (_name, code, batched, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(shownText(found)).toContain(batched);
  });

  it('stays quiet on the unit of work: persist() or remove() per item, one flush() after the loop', () => {
    // persist() only marks each entity; the one flush() after the loop writes them together.
    tester.valid(
      `${TYPED}export async function importUsers(em: EntityManager, rows: NewUser[]) {\n  for (const row of rows) em.persist(em.create(User, row));\n  await em.flush();\n}`,
    );
    tester.valid(
      `${TYPED}export async function retire(em: EntityManager, users: User[]) {\n  for (const user of users) em.remove(user);\n  await em.flush();\n}`,
    );
  });

  it('reports independent writes per item inside a transaction: it stays open across every round trip', async () => {
    await tester.invalid({
      code: `${TYPED}export async function reorder(em: EntityManager, ids: number[]) {\n  await em.transactional(async (tx) => {\n    for (const [position, id] of ids.entries()) await tx.nativeUpdate(User, { id }, { position });\n  });\n}`,
      errors: [{ messageId: 'perItemInTransaction', line: 5, column: 55 }],
    });
    await tester.invalid({
      code: `${TYPED}export async function reorder(em: EntityManager, ids: number[]) {\n  await em.begin();\n  for (const [position, id] of ids.entries()) await em.nativeUpdate(User, { id }, { position });\n  await em.commit();\n}`,
      errors: [{ messageId: 'perItemInTransaction', line: 5, column: 53 }],
    });
  });

  it('reports a $in list built from the current item: still one query per group', async () => {
    await tester.invalid({
      code: `${TYPED}export async function teams(em: EntityManager, groups: number[][]) {\n  for (const ids of groups) await em.find(User, { id: { $in: ids } });\n}`,
      errors: [{ messageId: 'perItemList', line: 4, column: 35 }],
    });
  });
});

describe("query-in-loop suggestion: MikroORM's findOne → find with $in", () => {
  const HEAD = `import { EntityManager, EntityRepository } from '@mikro-orm/postgresql';\nimport { User } from './entities';\n`;
  /** A per-item loop whose first statement is `const author = await <call>;` (line 6 after HEAD, column 26). */
  const loop = (params: string, call: string, head = HEAD): string =>
    `${head}export async function authors(${params}, posts: Post[]) {\n  const names = [];\n  for (const post of posts) {\n    const author = await ${call};\n    names.push(author?.name);\n  }\n  return names;\n}\n`;
  const AUTHOR: ExpectedError[] = [{ messageId: 'perItem', line: 6, column: 26 }];

  async function suggested(code: string, errors: ExpectedError[] = AUTHOR): Promise<{ title: string; text: string }> {
    const found = await tester.invalid({ code, errors });
    const fixes = found[0].fixes;
    expect(fixes).toHaveLength(1);
    expect(fixes[0].safe).toBe(false);
    const text = applyFixes(code, fixes).text;
    expect(syntaxErrors(ts.createSourceFile('after.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS))).toEqual([]);
    return { title: fixes[0].title, text };
  }

  it('reads every row with one em.find(User, { id: { $in } }) before the loop; a missing row stays null', async () => {
    const after = await suggested(loop('em: EntityManager', 'em.findOne(User, { id: post.authorId })'));
    expect(after.title).toBe(
      'Fetch all users with one find before the loop and look them up in a Map (preview: reads them once, up front)',
    );
    expect(after.text).toBe(`${HEAD}export async function authors(em: EntityManager, posts: Post[]) {
  const names = [];
  const usersById = new Map(
    (await em.find(User, { id: { $in: posts.map((post) => post.authorId) } })).map((user) => [user.id, user] as const),
  );
  for (const post of posts) {
    const author = usersById.get(post.authorId) ?? null;
    names.push(author?.name);
  }
  return names;
}
`);
  });

  it('on a repository, without the entity argument', async () => {
    const { text } = await suggested(loop('users: EntityRepository<User>', 'users.findOne({ email: post.authorEmail })'));
    expect(text).toContain(
      '(await users.find({ email: { $in: posts.map((post) => post.authorEmail) } })).map((user) => [user.email, user] as const)',
    );
    expect(text).toContain('const author = usersByEmail.get(post.authorEmail) ?? null;');
  });

  it("keys MongoDB's ObjectId _id as a string", async () => {
    const { text } = await suggested(
      loop('em: EntityManager', 'em.findOne(User, { _id: post.authorId })', HEAD.replace('postgresql', 'mongodb')),
    );
    expect(text).toContain(
      '(await em.find(User, { _id: { $in: posts.map((post) => post.authorId) } })).map((user) => [String(user._id), user] as const)',
    );
    expect(text).toContain('const author = usersById.get(String(post.authorId)) ?? null;');
  });

  it("is offered on the rule's own MikroORM example", async () => {
    const example = rulesById.get(rule)!.meta.examples.invalid.find((e) => e.code.includes('@mikro-orm/'))!;
    expect((await suggested(example.code, [{ messageId: 'perItem', line: 10, column: 26 }])).text).toContain(
      '(await em.find(User, { id: { $in: posts.map((post) => post.authorId) } }))',
    );
  });

  it.each([
    ['findOneOrFail (the batched read would not throw on a missing row)', 'em.findOneOrFail(User, { id: post.authorId })'],
    ['an options argument (it changes what comes back)', "em.findOne(User, { id: post.authorId }, { populate: ['books'] })"],
    ["a repository's options argument", "em.getRepository(User).findOne({ id: post.authorId }, { populate: ['books'] })"],
    ['a lookup by primary key (its name is on the entity)', 'em.findOne(User, post.authorId)'],
    ['two conditions', 'em.findOne(User, { id: post.authorId, active: true })'],
    ['an operator for the value', 'em.findOne(User, { id: { $eq: post.authorId } })'],
  ])('no suggestion for %s', async (_name, call) => {
    const [found] = await tester.invalid({ code: loop('em: EntityManager', call), errors: AUTHOR });
    expect(found.fixes).toEqual([]);
  });

  it('no suggestion when the entity is picked inside the loop', async () => {
    const code = `${HEAD}export async function f(em: EntityManager, posts: Post[]) {\n  for (const post of posts) {\n    const Entity = pick(post); const author = await em.findOne(Entity, { id: post.authorId }); use(author);\n  }\n}\n`;
    const [found] = await tester.invalid({ code, errors: [{ messageId: 'perItem', line: 5, column: 53 }] });
    expect(found.fixes).toEqual([]);
  });

  // @mikro-orm/core is not installed: a fake MikroORM whose entity manager answers the way MikroORM's does —
  // findOne gives null for a missing row, find the rows whose key is in the $in list.
  const rows: Record<string, { id: number; name: string }[]> = {
    User: [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Grace' },
      { id: 3, name: 'Alan' },
    ],
  };
  type Where = Record<string, unknown>;
  const matches = (row: Record<string, unknown>, where: Where): boolean =>
    Object.entries(where).every(([key, value]) =>
      value !== null && typeof value === 'object' && '$in' in value ? (value.$in as unknown[]).includes(row[key]) : row[key] === value,
    );
  const em = {
    fork: () => em,
    findOne: async (entity: { name: string }, where: Where) => rows[entity.name].find((row) => matches(row, where)) ?? null,
    find: async (entity: { name: string }, where: Where) => rows[entity.name].filter((row) => matches(row, where)),
  };
  const mikroOrm = { MikroORM: { initSync: () => ({ em }) } };
  const before = `import { MikroORM } from '@mikro-orm/core';

class User {
  id!: number;
  name!: string;
}
const orm = MikroORM.initSync({ entities: [User] });

export async function bylines(posts: { id: string; authorId: number }[]) {
  const em = orm.em.fork();
  const lines: string[] = [];
  for (const post of posts) {
    const author = await em.findOne(User, { id: post.authorId });
    lines.push(\`\${post.id}: \${author === null ? 'no author' : author.name}\`);
  }
  return lines;
}
`;

  it('behaves the same before and after the fix (a missing key, a duplicate key, no posts)', async () => {
    const { text: after } = await suggested(before, [{ messageId: 'perItem', line: 13, column: 26 }]);
    expect(after).toContain('(await em.find(User, { id: { $in: posts.map((post) => post.authorId) } }))');
    expect(after).toContain('const author = usersById.get(post.authorId) ?? null;');
    await expectSameBehaviour(before, after, 'bylines', POSTS_BY_AUTHOR, { '@mikro-orm/core': mikroOrm });
    // The proof is not vacuous: a missing author and a repeated one come out as the per-item reads gave them.
    const posts = [
      { id: 'p1', authorId: 1 },
      { id: 'p2', authorId: 9 },
      { id: 'p3', authorId: 1 },
    ];
    expect(await run(after, 'bylines', [posts], { '@mikro-orm/core': mikroOrm })).toEqual({
      value: ['p1: Ada', 'p2: no author', 'p3: Ada'],
      log: [],
    });
  });
});

describe("query-in-loop sees through the project's own functions", () => {
  const DB = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

  it('a helper in another file, called per item', async () => {
    const found = await tester.invalid({
      files: {
        'src/db.ts': DB,
        'src/users.ts': `import { prisma } from './db';\nexport async function getUser(id: string) { return prisma.user.findUnique({ where: { id } }); }`,
      },
      filename: 'src/posts.ts',
      code: `import { getUser } from './users';\nexport async function authors(posts: Post[]) { const out = []; for (const post of posts) out.push(await getUser(post.authorId)); return out; }`,
      errors: [{ messageId: 'helper', line: 2, column: 105 }],
    });
    expect(found.map(shownText)).toEqual([
      'getUser(…) runs once per post and queries the database each time (prisma.user.findUnique) — N+1. Instead, give getUser a batch form that takes all the keys and runs one findMany({ where: { id: { in: ids } } }), then look results up in a Map (or put a DataLoader behind it).',
    ]);
  });

  it('a Nest service method behind an injected field, two calls deep, mapped concurrently', async () => {
    const found = await tester.invalid({
      files: {
        'src/users.repository.ts': `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\n@Injectable()\nexport class UsersRepository {\n  constructor(@InjectRepository(User) private readonly repo: Repository<User>) {}\n  byId(id: number) { return this.repo.findOneBy({ id }); }\n}`,
        'src/users.service.ts': `import { UsersRepository } from './users.repository';\nexport class UsersService {\n  constructor(private readonly users: UsersRepository) {}\n  async find(id: number) { const user = await this.users.byId(id); return user ?? null; }\n}`,
      },
      filename: 'src/posts.service.ts',
      code: `import { UsersService } from './users.service';\nexport class PostsService {\n  constructor(private readonly usersService: UsersService) {}\n  authors(posts: Post[]) { return Promise.all(posts.map((post) => this.usersService.find(post.authorId))); }\n}`,
      errors: [{ messageId: 'helperConcurrent', line: 4, column: 67 }],
    });
    expect(shownText(found[0])).toContain(
      'this.usersService.find(…) runs once per post and queries the database each time (this.repo.findOneBy, through UsersRepository.byId) — concurrently',
    );
  });

  it('a recursive walk that queries per node', async () => {
    const found = await tester.invalid({
      files: { 'src/db.ts': DB },
      filename: 'src/tree.ts',
      code: `import { prisma } from './db';\nexport async function subtree(id: string): Promise<string[]> {\n  const children = await prisma.node.findMany({ where: { parentId: id } });\n  const ids = [id];\n  for (const child of children) ids.push(...(await subtree(child.id)));\n  return ids;\n}`,
      errors: [{ messageId: 'recursive', line: 5, column: 52 }],
    });
    expect(found.map(shownText)).toEqual([
      'subtree(…) calls subtree again for each child, and every call runs prisma.node.findMany: one query per node of the tree (N+1). Load a whole level at once (one query by the list of parent ids), or the whole tree with one recursive query (WITH RECURSIVE).',
    ]);
  });

  it.each([
    [
      'a helper that only reads a cache',
      { 'src/cache.ts': `const memo = new Map<string, User>();\nexport async function cachedUser(id: string) { return memo.get(id); }` },
      `import { cachedUser } from './cache';\nexport async function f(ids: string[]) { for (const id of ids) await cachedUser(id); }`,
    ],
    [
      'a helper behind a cache check',
      {
        'src/db.ts': DB,
        'src/cache.ts': `import { prisma } from './db';\nconst cache = new Map();\nexport async function user(id: string) { if (cache.has(id)) return cache.get(id); const u = await prisma.user.findUnique({ where: { id } }); cache.set(id, u); return u; }`,
      },
      `import { user } from './cache';\nexport async function f(ids: string[]) { for (const id of ids) await user(id); }`,
    ],
    [
      'a helper from a package',
      {},
      `import { getUser } from 'user-sdk';\nexport async function f(ids: string[]) { for (const id of ids) await getUser(id); }`,
    ],
    [
      'a helper called with a chunk',
      {
        'src/db.ts': DB,
        'src/users.ts': `import { prisma } from './db';\nexport async function users(ids: string[]) { return prisma.user.findMany({ where: { id: { in: ids } } }); }`,
      },
      `import { users } from './users';\nexport async function f(ids: string[]) { for (const part of chunk(ids, 100)) await users(part); }`,
    ],
    [
      'a recursive walk that stops at the first match',
      { 'src/db.ts': DB },
      `import { prisma } from './db';\nexport async function find(id: string, name: string): Promise<string | undefined> { const kids = await prisma.node.findMany({ where: { parentId: id } }); for (const kid of kids) { const hit = await find(kid.id, name); if (hit) return hit; } return undefined; }`,
    ],
  ])('stays quiet: %s', (_name, extra, code) => {
    expect(projectFindings({ ...extra, 'src/entry.ts': code }, 'src/entry.ts', rule)).toEqual([]);
  });
});

describe('query-in-loop: relations loaded one row at a time', () => {
  it.each([
    [
      'a Sequelize association getter on rows of findAll',
      `const { Post } = require('../models');\nasync function f() { const posts = await Post.findAll(); for (const post of posts) { post.author = await post.getAuthor(); } return posts; }`,
      'post.getAuthor() loads the Author relation once per post (N+1). Load it for all of them at once — include: [Author] in the query that loaded them',
      [{ messageId: 'relation', line: 2, column: 106 }],
    ],
    [
      'a TypeORM lazy relation on rows of find',
      `import { Repository } from 'typeorm';\nasync function f(orders: Repository<Order>) { const rows = await orders.find(); const names = []; for (const order of rows) names.push((await order.customer).name); return names; }`,
      'order.customer loads the customer relation once per order (N+1). Load it for all of them at once — relations: { customer: true }',
      [{ messageId: 'relation', line: 2, column: 143 }],
    ],
    [
      'Mongoose populate on one document at a time',
      `import mongoose from 'mongoose';\nconst Post = mongoose.model('Post', schema);\nasync function f() { const posts = await Post.find(); await Promise.all(posts.map((post) => post.populate('author'))); }`,
      "post.populate('author') loads the 'author' relation once per post (N+1)",
      [{ messageId: 'relation', line: 3, column: 93 }],
    ],
  ])('%s', async (_name, code, expected, errors) => {
    const [found] = await tester.invalid({ code, filename: code.includes('require(') ? 'src/a.js' : undefined, errors });
    expect(shownText(found)).toContain(expected);
  });

  it.each([
    ['a getter on plain objects', `async function f(items: Item[]) { for (const item of items) await item.getLabel(); }`],
    [
      'Model.populate(docs) (the batch form)',
      `import mongoose from 'mongoose';\nconst Post = mongoose.model('Post', schema);\nasync function f() { const posts = await Post.find(); await Post.populate(posts, 'author'); }`,
    ],
    [
      'an awaited property of rows that did not come from TypeORM',
      `import { Repository } from 'typeorm';\nasync function f(jobs: Job[]) { for (const job of jobs) await job.done; }`,
    ],
  ])('stays quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });
});

describe('query-in-loop: better-sqlite3 (synchronous)', () => {
  const SQLITE = `import Database from 'better-sqlite3';\nconst db = new Database('app.db');\n`;

  it('a statement prepared and run per item', async () => {
    const code = `${SQLITE}export function names(ids: number[]) { return ids.map((id) => db.prepare('SELECT name FROM users WHERE id = ?').get(id)); }`;
    await tester.invalid({ code, errors: [{ messageId: 'perItemSync', line: 3, column: 63 }] });
    expect(messages(code)).toEqual([
      'db.prepare(…).get runs once per id and compiles its statement again on every pass (prepare it once, outside the loop). Instead, fetch them all with one statement with WHERE id IN (SELECT value FROM json_each(?)), prepared once and run with JSON.stringify(ids).',
    ]);
  });

  it('inserts one at a time outside a transaction', async () => {
    const [found] = await tester.invalid({
      code: `${SQLITE}const insert = db.prepare('INSERT INTO events (kind) VALUES (?)');\nexport function save(events: Ev[]) { for (const event of events) insert.run(event.kind); }`,
      errors: [{ messageId: 'perItemSync', line: 4, column: 66 }],
    });
    expect(shownText(found)).toContain('db.transaction(…) around the loop');
  });

  it('stays quiet inside db.transaction', () => {
    expect(
      messages(
        `${SQLITE}const insert = db.prepare('INSERT INTO events (kind) VALUES (?)');\nexport const save = db.transaction((events: Ev[]) => { for (const event of events) insert.run(event.kind); });`,
      ),
    ).toEqual([]);
  });
});

describe('query-in-loop: ordered work stays quiet', () => {
  const DB = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

  it('a migration runner by name', () => {
    expect(
      messages(
        `${PRISMA}export async function run(migrations: M[]) { for (const m of migrations) { await m.run(); await prisma.appMigration.update({ where: { name: m.name }, data: { done: true } }); } }`,
        'apps/worker/migrationWorker.ts',
      ),
    ).toEqual([]);
  });

  it('a recursion over an array the caller passed in is a helper per item, not a tree walk', async () => {
    const found = await tester.invalid({
      files: { 'src/db.ts': DB },
      filename: 'src/entry.ts',
      code: `import { prisma } from './db';\nexport async function remove(ids: string | string[]): Promise<void> { if (Array.isArray(ids)) { await Promise.all(ids.map((id) => remove(id))); return; } await prisma.item.delete({ where: { id: ids } }); }`,
      errors: [{ messageId: 'helperConcurrent', line: 2, column: 131 }],
    });
    expect(shownText(found[0])).toMatch(/^remove\(…\) runs once per id and queries the database each time/);
  });
});

describe('query-in-loop: set-based SQL per period is already batched', () => {
  it.each([
    [
      'a DELETE selecting rows by a join and a range',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function rollup(weeks: Date[]) { for (const week of weeks) await pool.query('DELETE FROM insights i USING docs d WHERE d.id = i.doc_id AND i.period_start >= $1', [week]); }`,
      [],
    ],
    [
      'INSERT … SELECT',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function copy(days: Date[]) { for (const day of days) await pool.query('INSERT INTO daily SELECT * FROM raw WHERE at::date = $1', [day]); }`,
      [],
    ],
    [
      'an UPDATE by key is still per row',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function touch(ids: number[]) { for (const id of ids) await pool.query('UPDATE t SET seen = true WHERE kind = 1 AND id = $1', [id]); }`,
      [{ messageId: 'perItem', line: 3, column: 74 }],
    ],
  ])('%s', async (_name, code, errors) => {
    if (errors.length === 0) tester.valid(code);
    else await tester.invalid({ code, errors });
  });
});

// The index forms of a loop over a list and a `?? []` in its header are the same loop (facts/indexWalks.ts,
// `iteratedList` in facts/loops.ts): same verdicts as the `for…of`.
describe('query-in-loop sees the loop however it is written', () => {
  const ids = (code: string): string[] => findings(code, { rule }).map((f) => f.messageId);

  it('a `while` that takes each item with `list[i++]` is a query per item', () => {
    expect(
      messages(
        `${PRISMA}export async function f(orders: Order[]) { let i = 0; while (i < orders.length) { const order = orders[i++]; await prisma.customer.findUnique({ where: { id: order.customerId } }); } }`,
      ),
    ).toEqual([
      'prisma.customer.findUnique runs once per order (N+1). Instead, fetch all customers with one findMany({ where: { id: { in: ids } } }).',
    ]);
  });

  it('an index `for` that stops at its first match is a search, as its `for…of` is', () => {
    const code = (loop: string) =>
      `${PRISMA}export async function f(candidates: string[]) { ${loop} const taken = await prisma.page.findUnique({ where: { slug } }); if (!taken) return slug; } }`;
    expect(ids(code('for (const slug of candidates) {'))).toEqual([]);
    expect(ids(code('for (let i = 0; i < candidates.length; i++) { const slug = candidates[i];'))).toEqual([]);
    expect(ids(code('let i = 0; while (i < candidates.length) { const slug = candidates[i++];'))).toEqual([]);
  });

  it('`?? []` keeps what the list is: a short tuple stays bounded, chunks stay batches', () => {
    expect(
      ids(
        `${PRISMA}export async function f(primary: string, fallback: string) { const sources = [primary, fallback]; for (const id of sources ?? []) await prisma.mirror.findUnique({ where: { id } }); }`,
      ),
    ).toEqual([]);
    expect(
      ids(
        `${PRISMA}import { chunk } from 'lodash';\nexport async function f(ids: string[]) { for (const part of chunk(ids, 100) ?? []) await prisma.user.findMany({ where: { id: { in: part } } }); }`,
      ),
    ).toEqual([]);
  });

  it('`?? []` in the header of a recursive walk is still one query per node', () => {
    expect(
      ids(
        `${PRISMA}export async function subtree(id: string): Promise<string[]> { const children = await prisma.folder.findMany({ where: { parentId: id } }); const out = [id]; for (const child of children ?? []) out.push(...(await subtree(child.id))); return out; }`,
      ),
    ).toEqual(['recursive']);
  });
});
