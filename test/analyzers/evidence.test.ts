/**
 * Severity from evidence: the same per-item query moves between warning, info and not reported as
 * the code says more about the data's size, where it runs and whether it can be batched — both ways.
 */
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../helpers/ruleTester';
import { allRules } from '../../src/analyzers/registry';
import { SYNC_STALL_MEASURED } from '../../src/analyzers/rule';
import { library } from '../../src/analyzers/facts/libraries/registry';

const queries = ruleTester('query-in-loop');
// A file of a jobs/ folder runs as a background job: a path that matters, where a whole table's rows grow (tests of
// scale facts put their code there; without a request handler or job around it, growing data is only info).
const JOB_FILE = 'src/jobs/task.ts';
const PRISMA = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
`;

describe('scale', () => {
  it('rows of a read without a limit grow: warning, and the reason names the read', async () => {
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: `${PRISMA}
export async function owners() {
  const orders = await prisma.order.findMany();
  for (const order of orders) {
    await prisma.user.findUnique({ where: { id: order.ownerId } });
  }
}`,
      errors: [{ messageId: 'perItem', line: 7, column: 11, severity: 'warning' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'job', batchable: true });
    expect(finding.evidence.reasons[0]).toBe('`orders` comes from prisma.order.findMany() with no limit');
  });

  it('the same read with take: 10 is bounded: not reported', () => {
    queries.valid(`${PRISMA}
export async function owners() {
  const orders = await prisma.order.findMany({ take: 10 });
  for (const order of orders) {
    await prisma.user.findUnique({ where: { id: order.ownerId } });
  }
}`);
  });

  it('a large limit still grows: take: 500 is a warning', async () => {
    await queries.invalid({
      filename: JOB_FILE,
      code: `${PRISMA}
const PAGE = 500;
export async function owners() {
  const orders = await prisma.order.findMany({ take: PAGE });
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
}`,
      errors: [{ messageId: 'perItem', line: 7, column: 37, severity: 'warning' }],
    });
  });

  const LOOP = 'for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });';
  const REDIS = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;

  it.each([
    [
      'a take spread in when a condition holds',
      `const orders = await prisma.order.findMany({ where: { paid: true }, ...(paged && { take: 10 }) });`,
    ],
    ['a take spread from a conditional', `const orders = await prisma.order.findMany({ ...(paged ? { take: PAGE } : {}) });`],
    ['LIMIT ${PAGE} in raw SQL', 'const orders = await prisma.$queryRaw<Order[]>`SELECT * FROM "Order" LIMIT ${PAGE}`;'],
    ['a redis index range', `const ids = await redis.zrange('recent', 0, 9);\n  const orders = ids.map((ownerId) => ({ ownerId }));`],
    [
      'a redis index range of a constant',
      `const ids = await redis.lrange('recent', 0, PAGE - 1);\n  const orders = ids.map((ownerId) => ({ ownerId }));`,
    ],
  ])('a small constant limit the facts used to miss is bounded: %s', (_name, read) => {
    queries.valid(`${PRISMA}${REDIS}const PAGE = 10;
export async function owners(paged: boolean) {
  ${read}
  ${LOOP}
}`);
  });

  it.each([
    ['a take spread in from a parameter', `const orders = await prisma.order.findMany({ ...(limit && { take: limit }) });`],
    ['LIMIT ${limit} in raw SQL', 'const orders = await prisma.$queryRaw<Order[]>`SELECT * FROM "Order" LIMIT ${limit}`;'],
    [
      'a redis index range to a parameter',
      `const ids = await redis.zrange('recent', 0, limit - 1);\n  const orders = ids.map((ownerId) => ({ ownerId }));`,
    ],
  ])('a limit of a parameter is a limit of unknown size, not "no limit": info (%s)', async (_name, read) => {
    const code = `${PRISMA}${REDIS}export async function owners(limit: number) {
  ${read}
  ${LOOP}
}`;
    const line = code.split('\n').findIndex((text) => text.includes('for (const order')) + 1;
    const [finding] = await queries.invalid({ code, errors: [{ messageId: 'perItem', line, column: 37, severity: 'info' }] });
    expect(finding.evidence.scale).toBe('unknown');
  });

  it('a redis range to the end (stop -1) reads the whole list under one key: as many as the program put there, info', async () => {
    const code = `${PRISMA}${REDIS}export async function owners() {
  const ids = await redis.zrange('recent', 0, -1);
  for (const ownerId of ids) await prisma.user.findUnique({ where: { id: ownerId } });
}`;
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code,
      errors: [{ messageId: 'perItem', line: 7, column: 36, severity: 'info' }],
    });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toBe(
      "`ids` holds the rows of one key (redis.zrange() filtered by its key 'recent'): how many one key has, nothing here says",
    );
  });

  it('a read by a list of ids returns one row per id: as many as the ids — a growing list grows, a literal is bounded', async () => {
    const code = (ids: string): string => `${PRISMA}
export async function owners() {
  const ids = ${ids};
  const users = await prisma.user.findMany({ where: { id: { in: ids } } });
  for (const user of users) await prisma.account.findFirst({ where: { userId: user.id } });
}`;
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: code('(await prisma.order.findMany()).map((order) => order.ownerId)'),
      errors: [{ messageId: 'perItem', line: 7, column: 35, severity: 'warning' }],
    });
    expect(finding.evidence.reasons[0]).toBe(
      '`users` comes from prisma.user.findMany(), one row per key of a list that comes from prisma.order.findMany() with no limit',
    );
    queries.valid(code("['a', 'b', 'c']"));
  });

  it('a literal list is bounded: not reported, also through a variable', () => {
    queries.valid(`${PRISMA}
export async function seedRoles() {
  const roles = ['admin', 'editor', 'viewer'];
  for (const name of roles) await prisma.role.findUnique({ where: { name } });
}`);
  });

  it('a parameter whose callers in the file pass a query result grows: warning', async () => {
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: `${PRISMA}
async function notify(orders: Order[]) {
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
}
export async function run() {
  const pending = await prisma.order.findMany();
  await notify(pending);
}`,
      errors: [{ messageId: 'perItem', line: 5, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence.reasons[0]).toBe(
      '`orders` is a parameter; a caller of notify() passes one that comes from prisma.order.findMany() with no limit',
    );
  });

  it('a parameter nobody in the file passes is unknown: info, and the reason says only the name speaks', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function notify(orders: Order[]) {
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
}`,
      errors: [{ messageId: 'perItem', line: 5, column: 37, severity: 'info' }],
    });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toBe('`orders`: only its name suggests many records');
  });

  it("a request's items grow only as a client sends them: info; the rows of a table on the same request: warning", async () => {
    const [items] = await queries.invalid({
      code: `${PRISMA}
import express from 'express';
const app = express();
app.post('/orders', async (req, res) => {
  for (const line of req.body.lines) await prisma.product.findUnique({ where: { id: line.productId } });
  res.json({ ok: true });
});`,
      errors: [{ messageId: 'perItem', line: 7, column: 44, severity: 'info' }],
    });
    expect(items.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(items.evidence.reasons).toEqual([
      '`req.body.lines` is request input (req.body.lines)',
      "a request's items are as many as a client sends, and nothing here says clients send many",
      'runs in the POST /orders handler',
    ]);
    // The same loop over rows a query reads without a limit: they grow with the table, whatever the client sends.
    const [rows] = await queries.invalid({
      code: `${PRISMA}
import express from 'express';
const app = express();
app.post('/orders', async (req, res) => {
  const lines = await prisma.orderLine.findMany();
  for (const line of lines) await prisma.product.findUnique({ where: { id: line.productId } });
  res.json({ ok: true });
});`,
      errors: [{ messageId: 'perItem', line: 8, column: 35, severity: 'warning' }],
    });
    expect(rows.evidence.reasons).toEqual([
      '`lines` comes from prisma.orderLine.findMany() with no limit',
      'runs in the POST /orders handler',
    ]);
  });

  it("rows read by the keys a request sends are as many as the keys: info; a parameter's caller passing them counts too", async () => {
    const [keyed] = await queries.invalid({
      code: `${PRISMA}
import express from 'express';
const app = express();
app.post('/orders/archive', async (req, res) => {
  const orders = await prisma.order.findMany({ where: { id: { in: req.body.ids } } });
  for (const order of orders) await prisma.note.create({ data: { orderId: order.id, text: 'archived' } });
  res.json({ ok: true });
});`,
      errors: [{ messageId: 'perItem', line: 8, column: 37, severity: 'info' }],
    });
    expect(keyed.evidence.scale).toBe('grows');
    expect(keyed.evidence.reasons).toContain("a request's items are as many as a client sends, and nothing here says clients send many");
  });
});

describe('reference data is not a growing table', () => {
  // One query per row of a whole table, in a route: the table's name says whether it grows.
  const perRow = (model: string): string => `${PRISMA}
export async function GET(request: Request) {
  const rows = await prisma.${model}.findMany();
  for (const row of rows) await prisma.usage.findFirst({ where: { key: row.id } });
  return Response.json({ ok: true });
}`;

  it('a whole table of regions (or plans, webhooks, currencies) is info, the name evidence in the reason; orders grow: warning', async () => {
    for (const model of ['region', 'subscriptionPlan', 'webhook', 'currencies']) {
      const [finding] = await queries.invalid({
        code: perRow(model),
        filename: 'app/api/usage/route.ts',
        errors: [{ messageId: 'perItem', line: 6, column: 33, severity: 'info' }],
      });
      expect(finding.evidence.scale).toBe('unknown');
      expect(finding.evidence.reasons[0]).toMatch(/says reference data the application is configured with \(name evidence\)/);
    }
    const [orders] = await queries.invalid({
      code: perRow('order'),
      filename: 'app/api/usage/route.ts',
      errors: [{ messageId: 'perItem', line: 6, column: 33, severity: 'warning' }],
    });
    expect(orders.evidence.reasons[0]).toBe('`rows` comes from prisma.order.findMany() with no limit');
  });
});

describe('one parent’s rows are not a table', () => {
  // A data room's links, read in a route: one query per link.
  const links = (read: string, header = PRISMA): string => `${header}
export async function linkOwners(dataroomId: string, team: { id: string }, user: { id: string }) {
  const links = ${read};
  for (const link of links) await prisma.user.findUnique({ where: { id: link.ownerId } });
}`;
  // The same function, called by a Next.js route handler of the file (name the file app/api/…/route.ts): a request path.
  const onRequest = (code: string): string => `${code}
export async function GET(request: Request) {
  await linkOwners('d1', { id: 't1' }, { id: 'u1' });
  return Response.json({ ok: true });
}`;
  const lineOfLoop = (code: string): number => code.split('\n').findIndex((text) => text.includes('for (const link')) + 1;

  it('a read filtered by one data room’s key is as big as one data room’s links: info, and the reason says whose rows they are', async () => {
    const code = links('await prisma.link.findMany({ where: { dataroomId } })');
    const [finding] = await queries.invalid({ code, errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'info' }] });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toBe(
      '`links` holds the link rows of one dataroom (prisma.link.findMany() filtered by dataroomId): how many one dataroom has, nothing here says',
    );
  });

  it.each([
    ['the key written out', 'await prisma.link.findMany({ where: { dataroomId: dataroomId } })'],
    ['a relation filter by id', 'await prisma.link.findMany({ where: { team: { id: team.id } } })'],
    ['a key of the signed-in user, with a status', "await prisma.link.findMany({ where: { userId: user.id, status: 'ACTIVE' } })"],
    ['inside AND', 'await prisma.link.findMany({ where: { AND: [{ teamId: team.id }, { archived: false }] } })'],
    ['an equals operator', 'await prisma.link.findMany({ where: { dataroomId: { equals: dataroomId } } })'],
    ['a snake_case key through knex', "await knex('links').where('dataroom_id', dataroomId)"],
    ['a knex filter object', "await knex('links').where({ team_id: team.id }).orderBy('name')"],
    ['a Drizzle eq on the key', 'await db.select().from(links).where(eq(links.dataroomId, dataroomId))'],
    ['a Drizzle and(eq(…), …)', 'await db.select().from(links).where(and(eq(links.teamId, team.id), isNull(links.deletedAt)))'],
    ['a Mongo reference by id', "await mongo.db().collection('links').find({ owner: user.id }).toArray()"],
    // Round 8: a uid is a key as an id is (sealos' `where: { userUid: mergeUserUid }` read as the whole table).
    ['a key named as a uid', 'await prisma.link.findMany({ where: { teamUid: team.id } })'],
    ['a snake_case uuid key', "await knex('links').where('team_uuid', team.id)"],
    ['a reference named by a uid value', 'await prisma.link.findMany({ where: { owner: user.ownerUid } })'],
  ])('the same holds through rewrites: %s', async (_name, read) => {
    const header = `${PRISMA}import knexFactory from 'knex';
import { drizzle } from 'drizzle-orm/node-postgres';
import { and, eq, isNull } from 'drizzle-orm';
import { MongoClient } from 'mongodb';
import { links as linksTable } from './schema';
const knex = knexFactory({});
const db = drizzle(process.env.DATABASE_URL!);
const mongo = new MongoClient('mongodb://localhost');
`;
    const code = links(read.replace(/\blinks\./g, 'linksTable.').replace('from(links)', 'from(linksTable)'), header);
    const [finding] = await queries.invalid({
      code,
      errors: [{ messageId: 'perItem', line: lineOfLoop(code), column: 35, severity: 'info' }],
    });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toMatch(/^`links` holds the (\w+ )?rows of one (dataroom|team|user|owner) \(/);
  });

  it('the filter or the whole options object extracted into a variable is still one data room’s links: info', async () => {
    for (const read of [
      'const where = { dataroomId };\n  const links = await prisma.link.findMany({ where });',
      'const args = { where: { dataroomId }, orderBy: { name: "asc" as const } };\n  const links = await prisma.link.findMany(args);',
    ]) {
      const code = `${PRISMA}
export async function linkOwners(dataroomId: string) {
  ${read}
  for (const link of links) await prisma.user.findUnique({ where: { id: link.ownerId } });
}`;
      const [finding] = await queries.invalid({ code, errors: [{ messageId: 'perItem', line: 7, column: 35, severity: 'info' }] });
      expect(finding.evidence.reasons[0]).toMatch(/^`links` holds the link rows of one dataroom \(/);
    }
  });

  it.each([
    ['a status reads a slice of every team’s links', "await prisma.link.findMany({ where: { status: 'PENDING' } })"],
    ['a key under OR is not one parent', 'await prisma.link.findMany({ where: { OR: [{ teamId: team.id }, { public: true }] } })'],
    ['a range of dates', 'await prisma.link.findMany({ where: { createdAt: { gte: new Date(0) } } })'],
  ])(
    'a read across parents grows with the table on a request path: warning; where no request path is known: info (%s)',
    async (_name, read) => {
      const [finding] = await queries.invalid({
        code: onRequest(links(read)),
        filename: 'app/api/links/route.ts',
        errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'warning' }],
      });
      expect(finding.evidence.reasons[0]).toBe('`links` comes from prisma.link.findMany() with no limit');
      const [alone] = await queries.invalid({
        code: links(read),
        errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'info' }],
      });
      expect(alone.evidence.scale).toBe('unknown');
      expect(alone.evidence.reasons).toContain('a filtered read grows with its table only on a request path, and none was found');
    },
  );

  it.each([
    ['a $queryRaw template', 'await prisma.$queryRaw`SELECT * FROM "Link" WHERE "dataroomId" = ${dataroomId}`', 'dataroomId', 'dataroom'],
    [
      'a qualified column, with a status beside it',
      'await prisma.$queryRaw`SELECT l.* FROM "Link" l WHERE l."teamId" = ${team.id} AND l.archived = false ORDER BY l.name`',
      'l.teamId',
      'team',
    ],
    [
      'a string with $1 and one parameter',
      "await prisma.$queryRawUnsafe('SELECT * FROM links WHERE user_id = $1', user.id)",
      'user_id',
      'user',
    ],
    [
      'a Prisma.sql fragment',
      'await prisma.$queryRaw(Prisma.sql`SELECT * FROM "Link" WHERE "dataroomId" = ${dataroomId}`)',
      'dataroomId',
      'dataroom',
    ],
  ])('raw SQL filtered by one parent’s key is one record’s rows too: info (%s)', async (_name, read, field, parent) => {
    const code = links(read, `${PRISMA}import { Prisma } from '@prisma/client';\n`);
    const [finding] = await queries.invalid({ code, errors: [{ messageId: 'perItem', line: 7, column: 35, severity: 'info' }] });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toMatch(
      new RegExp(
        `^\`links\` holds the \\w+ rows of one ${parent} \\(prisma\\.\\$queryRaw(Unsafe)?\\(\\) filtered by ${field.replace('.', '\\.')}\\)`,
      ),
    );
  });

  it('postgres.js: a sql tag by one team’s key is one team’s rows (info); without WHERE it grows (warning)', async () => {
    const header = `${PRISMA}import postgres from 'postgres';\nconst sql = postgres();\n`;
    const [one] = await queries.invalid({
      filename: JOB_FILE,
      code: links('await sql`SELECT * FROM links WHERE team_id = ${team.id} ORDER BY name`', header),
      errors: [{ messageId: 'perItem', line: 8, column: 35, severity: 'info' }],
    });
    expect(one.evidence.reasons[0]).toMatch(/^`links` holds the links rows of one team \(sql\(\) filtered by team_id\)/);
    await queries.invalid({
      filename: JOB_FILE,
      code: links('await sql`SELECT * FROM links ORDER BY name`', header),
      errors: [{ messageId: 'perItem', line: 8, column: 35, severity: 'warning' }],
    });
  });

  it.each([
    ['a template key', 'Object.keys(await redis.hgetall(`user:${user.id}:links`))'],
    ['a key built by a function of the id', 'await redis.smembers(linksKey(team.id))'],
  ])('a Redis key built from one id names that record’s entries, as where: { userId } names its rows: info (%s)', async (_name, read) => {
    const header = `${PRISMA}import Redis from 'ioredis';\nconst redis = new Redis();\ndeclare function linksKey(id: string): string;\n`;
    const code = links(read, header);
    const [finding] = await queries.invalid({
      code,
      errors: [{ messageId: 'perItem', line: lineOfLoop(code), column: 35, severity: 'info' }],
    });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toMatch(/holds the rows of one (user|team|dataroom) \(redis\.\w+\(\) filtered by its key /);
  });

  it('the same with the key in a const first: info', async () => {
    const code = `${PRISMA}import Redis from 'ioredis';
const redis = new Redis();
export async function linkOwners(dataroomId: string) {
  const key = \`dataroom:\${dataroomId}:links\`;
  const links = await redis.lrange(key, 0, -1);
  for (const link of links) await prisma.user.findUnique({ where: { id: link } });
}`;
    const [finding] = await queries.invalid({ code, errors: [{ messageId: 'perItem', line: 8, column: 35, severity: 'info' }] });
    expect(finding.evidence.reasons[0]).toMatch(/^`links` holds the rows of one dataroom \(redis\.lrange\(\) filtered by its key /);
  });

  it('a TypeORM QueryBuilder condition written as SQL text, by one user’s key, is that user’s rows (info); by a status it reads across users (warning on a request path)', async () => {
    const code = (condition: string): string => `import { DataSource } from 'typeorm';
import express from 'express';
const dataSource = new DataSource({ type: 'postgres' });
export async function memberships(userId: string, status: string) {
  const rows = await dataSource.manager
    .createQueryBuilder(OrganizationUser, 'ou')
    .where(${condition})
    .getMany();
  for (const row of rows) await dataSource.manager.findOneBy(Organization, { id: row.organizationId });
}
express().get('/m', async (req, res) => {
  await memberships(req.params.id, 'pending');
  res.end();
});`;
    const [mine] = await queries.invalid({
      code: code("'ou.userId = :userId', { userId }"),
      errors: [{ messageId: 'perItem', line: 9, column: 33, severity: 'info' }],
    });
    expect(mine.evidence.reasons[0]).toMatch(/^`rows` holds the OrganizationUser rows of one user \(.* filtered by ou\.userId\)/);
    const [across] = await queries.invalid({
      code: code("'ou.status = :status', { status }"),
      errors: [{ messageId: 'perItem', line: 9, column: 33, severity: 'warning' }],
    });
    expect(across.evidence).toMatchObject({ scale: 'grows', context: 'request' });
  });

  it('a Redis key with no id in it still names one set, whose members are as many as the program put there: info', async () => {
    // Issue 12's round 5: sweeps over the members of `presence:nodes` — the few processes of one server.
    const header = `${PRISMA}import Redis from 'ioredis';\nconst redis = new Redis();\nconst ALL = 'links:all';\n`;
    for (const key of ["'links:all'", 'ALL', 'this.key']) {
      const code = links(`await redis.smembers(${key})`, header);
      const [finding] = await queries.invalid({
        filename: JOB_FILE,
        code,
        errors: [{ messageId: 'perItem', line: lineOfLoop(code), column: 35, severity: 'info' }],
      });
      expect(finding.evidence.scale).toBe('unknown');
      expect(finding.evidence.reasons[0]).toMatch(/^`links` holds the rows of one key \(redis\.smembers\(\) filtered by its key /);
    }
  });

  it('a null check keeps most of the table (every root, every row not deleted): the whole table, a warning in a job', async () => {
    for (const where of ['{ parentId: null }', '{ deletedAt: null }', '{ archivedAt: { equals: null } }']) {
      const [finding] = await queries.invalid({
        filename: JOB_FILE,
        code: links(`await prisma.link.findMany({ where: ${where} })`),
        errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'warning' }],
      });
      expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'job' });
    }
  });

  it.each([
    ['no WHERE', 'await prisma.$queryRaw`SELECT * FROM "Link"`'],
    ['only a status', 'await prisma.$queryRaw`SELECT * FROM "Link" WHERE status = ${status}`'],
    ['only a range of dates', 'await prisma.$queryRaw`SELECT * FROM "Link" WHERE "createdAt" > ${since}`'],
    ['a key under OR', 'await prisma.$queryRaw`SELECT * FROM "Link" WHERE "teamId" = ${team.id} OR public = true`'],
    [
      'a key compared to a column, not a value',
      'await prisma.$queryRaw`SELECT * FROM "Link" l JOIN "Team" t ON t.id = l."teamId" WHERE t.plan = ${plan}`',
    ],
  ])('raw SQL across parents still grows on a request path: warning (%s)', async (_name, read) => {
    const code = onRequest(links(read, `${PRISMA}import { Prisma } from '@prisma/client';\n`));
    const [finding] = await queries.invalid({
      code,
      filename: 'app/api/links/route.ts',
      errors: [{ messageId: 'perItem', line: 7, column: 35, severity: 'warning' }],
    });
    expect(finding.evidence.reasons[0]).toMatch(/^`links` comes from prisma\.\$queryRaw\(\) with no limit$/);
  });

  it('a raw read of the events one record keeps gaining grows per parent, as name evidence: warning', async () => {
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: links('await prisma.$queryRaw`SELECT * FROM "PageView" v WHERE v."dataroomId" = ${dataroomId}`'),
      errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'warning' }],
    });
    expect(finding.evidence.reasons[0]).toMatch(
      /the name `PageView` says a record of events, which each one keeps gaining \(name evidence\)$/,
    );
  });

  // A data room's views: one export row per view, each with a query.
  const views = `${PRISMA}
export async function exportViews(dataroomId: string) {
  const views = await prisma.view.findMany({ where: { dataroomId } });
  for (const view of views) await prisma.viewer.findUnique({ where: { id: view.viewerId } });
}`;
  // A Prisma schema stamping rows at creation and never editing them: true of most models, so not evidence.
  const appendOnly = `model ModelFile {
  id        Int      @id @default(autoincrement())
  versionId Int
  createdAt DateTime @default(now())
}
`;

  it('a schema model with createdAt @default(now()) and no @updatedAt is not evidence that one parent’s rows grow: info', async () => {
    // A model version's few files: stamped at creation, never edited, and still a handful per version.
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function exportFiles(versionId: number) {
  const files = await prisma.modelFile.findMany({ where: { versionId } });
  for (const file of files) await prisma.user.findUnique({ where: { id: file.id } });
}`,
      filename: 'lib/export.ts',
      files: { 'prisma/schema.prisma': appendOnly },
      errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'info' }],
    });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toMatch(/^`files` holds the modelFile rows of one version \(/);
  });

  it('a model named like a record of events stays a warning whatever the schema says of it', async () => {
    const [finding] = await queries.invalid({
      code: views,
      filename: 'lib/jobs/export.ts',
      files: { 'prisma/schema.prisma': 'model View {\n  id String @id\n  dataroomId String\n  updatedAt DateTime @updatedAt\n}\n' },
      errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'warning' }],
    });
    expect(finding.evidence.scale).toBe('grows');
  });

  it('a model named like a record of events grows per parent, as name evidence: warning', async () => {
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: views,
      errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'warning' }],
    });
    expect(finding.evidence.reasons[0]).toMatch(
      /and the name `view` says a record of events, which each one keeps gaining \(name evidence\)$/,
    );
    // Folders are a tree one data room holds; `notifications` are as often an organisation's configured channels.
    for (const model of ['folder', 'notification']) {
      const [other] = await queries.invalid({
        filename: JOB_FILE,
        code: views.replace('prisma.view.findMany', `prisma.${model}.findMany`),
        errors: [{ messageId: 'perItem', line: 6, column: 35, severity: 'info' }],
      });
      expect(other.evidence.scale).toBe('unknown');
    }
  });
});

describe('context', () => {
  const GROWING = `export async function owners() {
  const orders = await prisma.order.findMany();
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
}`;

  it('a whole table where no request handler or job is found is info, with the reason (a change: it was a warning); in a job file, a warning', async () => {
    const [alone] = await queries.invalid({
      code: `${PRISMA}\n${GROWING}`,
      filename: 'src/lib/owners.ts',
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'info' }],
    });
    expect(alone.evidence).toMatchObject({ scale: 'grows', context: 'unknown' });
    expect(alone.evidence.reasons.at(-1)).toBe('no request handler or job found around it in this file');
    await queries.invalid({
      code: `${PRISMA}\n${GROWING}`,
      filename: JOB_FILE,
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'warning' }],
    });
  });

  it('in a script the same loop is not reported (it runs once per run)', () => {
    queries.valid({ code: `${PRISMA}\n${GROWING}`, filename: 'scripts/backfill.ts' });
  });

  const ROOT_MANIFEST = JSON.stringify({ private: true, workspaces: ['packages/*', 'apps/*'] });
  const manifest = (fields: Record<string, unknown>): string => JSON.stringify({ name: 'admin-cli', version: '1.0.0', ...fields });
  const onePackage = (fields: Record<string, unknown>) => ({
    code: `${PRISMA}\n${GROWING}`,
    filename: 'packages/admin-cli/src/backfill.ts',
    files: { 'package.json': ROOT_MANIFEST, 'packages/admin-cli/package.json': manifest(fields) },
  });

  it.each([
    ['it declares a bin', { bin: { 'admin-cli': 'dist/cli.js' } }],
    ['it depends on an argument parser', { dependencies: { yargs: '^17.7.2', '@prisma/client': '^5.0.0' } }],
  ])('in a command-line package (%s) the loop runs once per invocation: not reported', (_name, fields) => {
    queries.valid(onePackage(fields));
  });

  it('the same package is an application when it depends on a web framework, or says nothing of a CLI: reported (info: no path found)', async () => {
    for (const fields of [{ bin: 'dist/server.js', dependencies: { express: '^4.0.0' } }, { dependencies: { zod: '^3.0.0' } }]) {
      const [finding] = await queries.invalid({
        ...onePackage(fields),
        errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'info' }],
      });
      expect(finding.evidence.context).toBe('unknown');
    }
  });

  it('a standalone command-line tool (its manifest is the project’s own) is the product: its loops are still reported', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}\n${GROWING}`,
      filename: 'src/backfill.ts',
      files: { 'package.json': manifest({ bin: { 'admin-cli': 'dist/cli.js' } }) },
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('unknown');
  });

  it('a command-line package’s function that a route of the project calls runs on that request: warning', async () => {
    const [finding] = await queries.invalid({
      ...onePackage({ bin: { 'admin-cli': 'dist/cli.js' } }),
      code: `${PRISMA}\nexport ${GROWING}`,
      files: {
        'packages/admin-cli/package.json': manifest({ bin: { 'admin-cli': 'dist/cli.js' } }),
        'apps/web/routes/owners.ts': `import express from 'express';
import { owners } from '../../../packages/admin-cli/src/backfill';
export const router = express.Router();
router.get('/owners', async (req, res) => res.json(await owners()));`,
      },
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('request');
  });

  it('in a package of scripts, found by its folder or its name, or under bench/: not reported', () => {
    queries.valid({
      code: `${PRISMA}\n${GROWING}`,
      filename: 'packages/scripts/src/backfill.ts',
      files: { 'packages/scripts/package.json': JSON.stringify({ name: 'scripts' }) },
    });
    queries.valid({
      code: `${PRISMA}\n${GROWING}`,
      filename: 'packages/ops/src/backfill.ts',
      files: { 'packages/ops/package.json': JSON.stringify({ name: '@acme/scripts' }) },
    });
    queries.valid({ code: `${PRISMA}\n${GROWING}`, filename: 'src/engine/bench/owners.ts' });
  });

  it.each([
    ['app/routes/admin.api.v1.orgs.$orgId.reindex.ts', 'action'],
    ['app/routes/admin+/orders.tsx', 'loader'],
    ['app/routes/_app.admin.orders.tsx', 'loader'],
  ])('a Remix flat route under admin is admin-only: info (%s)', async (filename, name) => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function ${name}() {
  const orders = await prisma.order.findMany();
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
  return null;
}`,
      filename,
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('admin');
  });

  it('a Remix route named like a migration is still a route: the function it calls takes its admin context (info)', async () => {
    const callee = {
      code: `${PRISMA}
export async function moveQueues() {
  const orders = await prisma.order.findMany();
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
}`,
      filename: 'packages/engine/src/queues.ts',
    };
    const route = (file: string) => ({
      [file]: `import { moveQueues } from '../../packages/engine/src/queues';
export async function action({ request }) {
  await moveQueues();
  return null;
}`,
    });
    const [finding] = await queries.invalid({
      ...callee,
      files: route('app/routes/admin.api.v1.migrate-legacy-queues.ts'),
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('admin');
    // A real migration calling it says nothing of where it runs: the context stays unknown.
    const [migrated] = await queries.invalid({
      ...callee,
      files: route('app/migrations/20240101-migrate-legacy-queues.ts'),
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'info' }],
    });
    expect(migrated.evidence.context).toBe('unknown');
  });

  it('a Remix route whose segments only contain the word is a request: warning (app/routes/administrators.orders.tsx)', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function loader() {
  const orders = await prisma.order.findMany();
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
  return null;
}`,
      filename: 'app/routes/administrators.orders.tsx',
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('request');
  });

  it('at module top level it runs once, at start-up: not reported', () => {
    queries.valid(`${PRISMA}
const orders = await prisma.order.findMany();
for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });`);
  });

  it('behind an admin-only route: info, with the route in the reason', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
import express from 'express';
const router = express.Router();
router.get('/admin/orders', async (req, res) => {
  const orders = await prisma.order.findMany();
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
  res.end();
});`,
      errors: [{ messageId: 'perItem', line: 8, column: 37, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('admin');
  });

  it.each([
    ['app/api/cron/sync-orders/route.ts', 'export async function GET() {'],
    ['src/app/api/cron/sync-orders/route.ts', 'export async function POST(request: Request) {'],
    ['pages/api/cron/sync-orders.ts', 'export default async function handler(req: NextApiRequest, res: NextApiResponse) {'],
  ])('a Next.js route under api/cron/ is a scheduled job, not a request (%s)', async (filename, signature) => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
${signature}
  const orders = await prisma.order.findMany();
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
  return Response.json({ ok: true });
}`,
      filename,
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('job');
    expect(finding.evidence.reasons.at(-1)).toMatch(/^runs once per scheduled run \(a cron route, /);
  });

  it('in a queue worker it is a job: warning', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
import { Worker } from 'bullmq';
new Worker('invoices', async (job) => {
  const orders = await prisma.order.findMany();
  for (const order of orders) await prisma.invoice.create({ data: { orderId: order.id } });
});`,
      errors: [{ messageId: 'perItem', line: 7, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('job');
  });
});

describe('a job reads what its filter selects; only a whole table is evidence where no request path is known', () => {
  // A queue worker: the same per-item insert over different reads.
  const worker = (read: string, header = PRISMA): string => `${header}
import { Worker } from 'bullmq';
new Worker('invoices', async () => {
  const orders = ${read};
  for (const order of orders) await prisma.invoice.create({ data: { orderId: order.id } });
});`;
  const loopLine = (code: string): number => code.split('\n').findIndex((text) => text.includes('for (const order')) + 1;
  const JOB_REASON = 'a job reads what its filter selects on each run (what became due since the last), not the whole table';

  it.each([
    ['a status (a queue of pending rows)', "await prisma.order.findMany({ where: { status: 'PENDING' } })"],
    ['a time window (due since the last run)', 'await prisma.order.findMany({ where: { dueAt: { lte: new Date() } } })'],
    ['a filter built elsewhere', 'await prisma.order.findMany({ where: dueOrders(new Date()) })'],
    ['the filter in a const', 'await prisma.order.findMany({ where: PENDING })'],
    ['raw SQL with a WHERE', 'await prisma.$queryRaw`SELECT * FROM "Order" WHERE "dueAt" <= now()`'],
  ])('in a job, rows a filter selects are what became due, not the table: info (%s)', async (_name, read) => {
    const header = `${PRISMA}import Redis from 'ioredis';
const redis = new Redis();
declare function dueOrders(now: Date): object;
const PENDING = { status: 'PENDING' };
`;
    const code = worker(read, header);
    const [finding] = await queries.invalid({
      code,
      errors: [{ messageId: 'perItem', line: loopLine(code), column: 37, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'unknown', context: 'job' });
    expect(finding.evidence.reasons).toContain(JOB_REASON);
  });

  it.each([
    ['a whole table', 'await prisma.order.findMany()'],
    ['a whole table but rows soft-deleted', 'await prisma.order.findMany({ where: { deletedAt: null } })'],
    ['an empty filter', 'await prisma.order.findMany({ where: {} })'],
    ['raw SQL without WHERE', 'await prisma.$queryRaw`SELECT * FROM "Order" ORDER BY id`'],
  ])('in a job, a whole table grows with the table: warning (%s)', async (_name, read) => {
    const header = `${PRISMA}import Redis from 'ioredis';\nconst redis = new Redis();\n`;
    const code = worker(read, header);
    const [finding] = await queries.invalid({
      code,
      errors: [{ messageId: 'perItem', line: loopLine(code), column: 37, severity: 'warning' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'job' });
  });

  it('the filtered rows handed through a function and a parameter are still what the filter selects: info in the job, warning from a route', async () => {
    const code = (caller: string): string => `${PRISMA}
function pendingOrders() {
  return prisma.order.findMany({ where: { status: 'PENDING' } });
}
async function invoice(orders: { id: string }[]) {
  for (const order of orders) await prisma.invoice.create({ data: { orderId: order.id } });
}
${caller}`;
    const [inJob] = await queries.invalid({
      code: code(`import { Worker } from 'bullmq';
new Worker('invoices', async () => invoice(await pendingOrders()));`),
      errors: [{ messageId: 'perItem', line: 8, column: 37, severity: 'info' }],
    });
    expect(inJob.evidence.reasons).toContain(JOB_REASON);
    const [onRequest] = await queries.invalid({
      code: code(`export async function POST(request: Request) {
  await invoice(await pendingOrders());
  return Response.json({ ok: true });
}`),
      filename: 'app/api/invoices/route.ts',
      errors: [{ messageId: 'perItem', line: 8, column: 37, severity: 'warning' }],
    });
    expect(onRequest.evidence).toMatchObject({ scale: 'grows', context: 'request' });
  });

  it('a list built from a whole table and a filtered read grows as the whole table: warning in the job', async () => {
    const code = worker("[...(await prisma.order.findMany({ where: { status: 'PENDING' } })), ...(await prisma.order.findMany())]");
    await queries.invalid({ code, errors: [{ messageId: 'perItem', line: loopLine(code), column: 37, severity: 'warning' }] });
  });

  it('sequential-awaits in a job: info, filtered or not — the latency it saves is no one’s (issue 12, rounds 1–7)', async () => {
    const sequential = ruleTester('sequential-awaits');
    const job = (reads: string): string => `${PRISMA}
import { Worker } from 'bullmq';
new Worker('stats', async () => {
${reads}
  return { pending, failed };
});`;
    const [filtered] = await sequential.invalid({
      code: job(`  const pending = await prisma.order.count({ where: { status: 'PENDING' } });
  const failed = await prisma.order.count({ where: { status: 'FAILED' } });`),
      errors: [{ messageId: 'sequential', line: 6, column: 3, severity: 'info' }],
    });
    expect(filtered.evidence.reasons).toContain(JOB_REASON);
    // Two counts over whole tables grow (on a request path, a warning): in a job, still info, and says why.
    const [whole] = await sequential.invalid({
      code: job(`  const pending = await prisma.order.count();
  const failed = await prisma.invoice.count();`),
      errors: [{ messageId: 'sequential', line: 6, column: 3, severity: 'info' }],
    });
    expect(whole.evidence).toMatchObject({ scale: 'grows', context: 'job' });
    expect(whole.evidence.reasons).toContain(
      "a job's run is waited on by no one: overlapping its reads saves time nobody waits for, and no database work",
    );
    const [served] = await sequential.invalid({
      code: `${PRISMA}
router.get('/stats', async (req, res) => {
  const pending = await prisma.order.count();
  const failed = await prisma.invoice.count();
  res.json({ pending, failed });
});`,
      errors: [{ messageId: 'sequential', line: 5, column: 3, severity: 'warning' }],
    });
    expect(served.evidence.context).toBe('request');
  });
});

describe('query-in-resolver: how many parents a field resolver runs for, the query decides', () => {
  it('a field resolver’s query is info, with the reason: a list query may ask for many parents, a single-object one for one', async () => {
    const resolvers = ruleTester('query-in-resolver');
    const [finding] = await resolvers.invalid({
      code: `import { ApolloServer } from '@apollo/server';
import { prisma } from './db';
const resolvers = {
  Query: { posts: () => prisma.post.findMany() },
  Post: { comments: (post) => prisma.comment.findMany({ where: { postId: post.id } }) },
};
export const server = new ApolloServer({ typeDefs, resolvers });`,
      errors: [{ messageId: 'perParent', line: 5, column: 31, severity: 'info' }],
    });
    expect(finding.evidence.scale).toBe('unknown');
    expect(finding.evidence.reasons[0]).toBe(
      'the resolver runs once per parent the query returns: how many a query asks for, nothing here says',
    );
  });
});

describe('rare paths: deleting one record, admin-only code', () => {
  // The same per-item query over a growing read in every case: only where it runs changes.
  const LOOP = `  const members = await prisma.member.findMany();
  for (const member of members) await prisma.user.findUnique({ where: { id: member.userId } });`;

  it('a Next.js DELETE route handler is rare: info; the same loop in its GET handler is a warning', async () => {
    const code = (method: string): string => `${PRISMA}
export async function ${method}(request: Request) {
${LOOP}
  return Response.json({ ok: true });
}`;
    const [deleted] = await queries.invalid({
      code: code('DELETE'),
      filename: 'app/api/teams/[id]/route.ts',
      errors: [{ messageId: 'perItem', line: 6, column: 39, severity: 'info' }],
    });
    expect(deleted.evidence.context).toBe('rare');
    expect(deleted.evidence.reasons.at(-1)).toMatch(/: once per deleted record, a rare path$/);
    await queries.invalid({
      code: code('GET'),
      filename: 'app/api/teams/[id]/route.ts',
      errors: [{ messageId: 'perItem', line: 6, column: 39, severity: 'warning' }],
    });
  });

  it('a pages/api handler: the branch on req.method === "DELETE" is rare, the GET branch is not', async () => {
    const [deleted, listed] = await queries.invalid({
      code: `${PRISMA}
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === 'DELETE') {
  ${LOOP}
    return res.status(204).end();
  }
  if (req.method === 'GET') {
  ${LOOP}
    return res.json({ ok: true });
  }
}`,
      filename: 'pages/api/teams/[id].ts',
      errors: [
        { messageId: 'perItem', line: 7, column: 39, severity: 'info' },
        { messageId: 'perItem', line: 12, column: 39, severity: 'warning' },
      ],
    });
    expect(deleted.evidence.context).toBe('rare');
    expect(listed.evidence.context).toBe('request');
  });

  it('Express router.delete and Nest @Delete() are rare', async () => {
    const [express] = await queries.invalid({
      code: `${PRISMA}
import express from 'express';
const router = express.Router();
router.delete('/teams/:id', async (req, res) => {
${LOOP}
  res.end();
});`,
      errors: [{ messageId: 'perItem', line: 8, column: 39, severity: 'info' }],
    });
    expect(express.evidence.context).toBe('rare');
    const [nest] = await queries.invalid({
      code: `${PRISMA}
import { Controller, Delete, Param } from '@nestjs/common';
@Controller('teams')
export class TeamsController {
  @Delete(':id')
  async remove(@Param('id') id: string) {
    const members = await prisma.member.findMany();
    for (const member of members) await prisma.user.findUnique({ where: { id: member.userId } });
  }
}`,
      errors: [{ messageId: 'perItem', line: 10, column: 41, severity: 'info' }],
    });
    expect(nest.evidence.context).toBe('rare');
  });

  it('a tRPC procedure that deletes one record is rare; one that sweeps expired records is not', async () => {
    const code = (name: string): string => `${PRISMA}
export const teamRouter = router({
  ${name}: protectedProcedure.input(schema).mutation(async ({ input }) => {
  ${LOOP}
    await prisma.team.delete({ where: { id: input.id } });
  }),
});`;
    const [deleted] = await queries.invalid({
      code: code('deleteTeam'),
      errors: [{ messageId: 'perItem', line: 7, column: 39, severity: 'info' }],
    });
    expect(deleted.evidence.context).toBe('rare');
    expect(deleted.evidence.reasons.at(-1)).toBe(
      'runs in deleteTeam(), which deletes one record and what belongs to it: once per deleted record, a rare path',
    );
    const [swept] = await queries.invalid({
      code: code('deleteExpiredTeams'),
      errors: [{ messageId: 'perItem', line: 7, column: 39, severity: 'warning' }],
    });
    // A tRPC procedure is a request handler: sweeping expired records runs on that request path.
    expect(swept.evidence.context).toBe('request');
  });

  it('a function named delete… that deletes nothing is not rare (the name alone does not decide)', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function deleteReport() {
${LOOP}
}`,
      errors: [{ messageId: 'perItem', line: 6, column: 39, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('unknown');
  });

  it('a helper called from a DELETE handler in its file takes the rare context', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
async function detach(teamId: string) {
${LOOP}
}
export async function DELETE(request: Request) {
  await detach(new URL(request.url).searchParams.get('id')!);
  return new Response(null, { status: 204 });
}`,
      filename: 'app/api/teams/route.ts',
      errors: [{ messageId: 'perItem', line: 6, column: 39, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('rare');
  });

  it('an admin action client or an admin guard at the top makes admin-only: info; a check that lets admins out early does not', async () => {
    const [client] = await queries.invalid({
      code: `${PRISMA}
export const syncAllAction = adminActionClient.schema(schema).action(async () => {
${LOOP}
});`,
      errors: [{ messageId: 'perItem', line: 6, column: 39, severity: 'info' }],
    });
    expect(client.evidence.context).toBe('admin');
    const guarded = (check: string): string => `${PRISMA}
export async function syncAll(session: Session) {
  ${check}
${LOOP}
}`;
    const [guard] = await queries.invalid({
      code: guarded(`if (!session.user.isAdmin) throw new Error('forbidden');`),
      errors: [{ messageId: 'perItem', line: 7, column: 39, severity: 'info' }],
    });
    expect(guard.evidence).toMatchObject({ context: 'admin' });
    expect(guard.evidence.reasons.at(-1)).toBe('runs in syncAll() after the check `!session.user.isAdmin`, admin-only');
    await queries.invalid({
      code: guarded(`await requireAdmin(session);`),
      errors: [{ messageId: 'perItem', line: 7, column: 39, severity: 'info' }],
    });
    const [open] = await queries.invalid({
      code: guarded(`if (session.user.isAdmin) return;`),
      errors: [{ messageId: 'perItem', line: 7, column: 39, severity: 'info' }],
    });
    expect(open.evidence.context).toBe('unknown');
  });

  it.each([
    ['an id from an environment variable', `if (session.user.id !== Number(process.env.NEXT_PUBLIC_ADMIN)) return res.status(401).end();`],
    [
      'a list of emails from an environment variable',
      `if (!process.env.ADMIN_EMAILS?.split(',').includes(session.user.email)) throw new Error('no');`,
    ],
    [
      'the id held in a const first',
      `const owner = Number(process.env.NEXT_PUBLIC_ADMIN || 1);\n  if (session.user.id !== owner) return res.status(403).end();`,
    ],
    [
      'the list held in a const first',
      `const allowed = process.env.ADMIN_EMAILS.split(',');\n  if (!allowed.includes(session.user.email)) throw new Error('no');`,
    ],
  ])('a guard on the admin an environment variable names makes the handler admin-only: info (%s)', async (_name, guard) => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export default async function handler(req, res) {
  const session = await getSession(req);
  ${guard}
  const members = await prisma.member.findMany();
  for (const member of members) await prisma.user.findUnique({ where: { id: member.userId } });
  res.end();
}`,
      filename: 'pages/api/stats.js',
      errors: [{ messageId: 'perItem', line: 7 + guard.split('\n').length, column: 39, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('admin');
    expect(finding.evidence.reasons.at(-1)).toMatch(/^runs in the Next\.js request handler handler after the check `.*`, admin-only$/);
  });

  it.each([
    ['lets the admin out early', `if (session.user.id === Number(process.env.NEXT_PUBLIC_ADMIN)) return res.json({ admin: true });`],
    [
      'compares with a value that is not the admin',
      `if (session.user.id !== Number(process.env.NEXT_PUBLIC_OWNER)) return res.status(401).end();`,
    ],
    [
      'negates a flag held in a const (it may be the opposite of an admin check)',
      `const regular = session.user.role !== 'admin';\n  if (!regular) return res.status(403).end();`,
    ],
  ])('a check that %s is not an admin guard: warning', async (_name, check) => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export default async function handler(req, res) {
  const session = await getSession(req);
  ${check}
  const members = await prisma.member.findMany();
  for (const member of members) await prisma.user.findUnique({ where: { id: member.userId } });
  res.end();
}`,
      filename: 'pages/api/stats.js',
      errors: [{ messageId: 'perItem', line: 7 + check.split('\n').length, column: 39, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('request');
  });

  it('a helper only such a handler calls takes its admin context, across files', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function memberOwners() {
  const members = await prisma.member.findMany();
  for (const member of members) await prisma.user.findUnique({ where: { id: member.userId } });
}`,
      filename: 'lib/stats.ts',
      files: {
        'pages/api/stats.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import { memberOwners } from '../../lib/stats';
export default async function stats(req: NextApiRequest, res: NextApiResponse) {
  const user = await currentUser(req);
  if (user.id !== Number(process.env.NEXT_PUBLIC_ADMIN || 1)) return res.status(403).json({ error: 'forbidden' });
  res.json(await memberOwners());
}`,
      },
      errors: [{ messageId: 'perItem', line: 6, column: 39, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('admin');
  });
});

describe('handed on by name: a handler or a job registered in another file', () => {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const HANDLER = `${PRISMA}
export const getTagsHandler = async ({ ctx }) => {
  const tags = await prisma.tag.findMany();
  for (const tag of tags) await prisma.user.findUnique({ where: { id: tag.ownerId } });
};`;
  const controller = { code: HANDLER, filename: 'src/server/controllers/tag.controller.ts' };
  const LINE = { messageId: 'perItem', line: 6, column: 33 };

  it('a tRPC procedure handed the handler by name runs it per request: warning, named after the procedure', async () => {
    const [finding] = await queries.invalid({
      ...controller,
      files: {
        'src/server/routers/tag.router.ts': `import { getTagsHandler } from '../controllers/tag.controller';
export const tagRouter = router({
  getTags: publicProcedure.input(getTagsSchema).query(getTagsHandler),
});`,
      },
      errors: [{ ...LINE, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('request');
    expect(finding.evidence.reasons.at(-1)).toMatch(
      /^runs in the tRPC query getTags, registered in (.*\/)?src\/server\/routers\/tag\.router\.ts:3$/,
    );
  });

  it('the procedure held in a const first, or handed by an admin client, still decides', async () => {
    const [held] = await queries.invalid({
      ...controller,
      files: {
        'src/server/routers/tag.router.ts': `import { getTagsHandler } from '../controllers/tag.controller';
const getTags = publicProcedure.input(getTagsSchema).query(getTagsHandler);
export const tagRouter = router({ getTags });`,
      },
      errors: [{ ...LINE, severity: 'warning' }],
    });
    expect(held.evidence.context).toBe('request');
    const [admin] = await queries.invalid({
      ...controller,
      files: {
        'src/server/routers/tag.router.ts': `import { getTagsHandler } from '../controllers/tag.controller';
export const tagRouter = router({ getTags: adminProcedure.query(getTagsHandler) });`,
      },
      errors: [{ ...LINE, severity: 'info' }],
    });
    expect(admin.evidence.context).toBe('admin');
  });

  it('the same name handed to a call that registers nothing says nothing: the context stays unknown', async () => {
    const [finding] = await queries.invalid({
      ...controller,
      files: {
        'src/server/routers/tag.router.ts': `import { getTagsHandler } from '../controllers/tag.controller';
export const cachedTags = memoize(getTagsHandler);`,
      },
      errors: [{ ...LINE, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('unknown');
  });

  const LIST_TAGS = `${PRISMA}
export async function listTags(req, res) {
  const tags = await prisma.tag.findMany();
  for (const tag of tags) await prisma.user.findUnique({ where: { id: tag.ownerId } });
  res.json(tags);
}`;

  it.each([
    ['an Express route', `router.get('/tags', authenticate, listTags);`, 'request', 'the handler listTags (GET /tags)'],
    [
      'an Express route behind an admin middleware',
      `router.get('/tags', requireAdmin, listTags);`,
      'admin',
      'the handler listTags (GET /tags), an admin-only route',
    ],
    [
      'an Express DELETE route',
      `router.delete('/tags/:id', listTags);`,
      'rare',
      'the handler listTags (DELETE /tags/:id): once per deleted record, a rare path',
    ],
    [
      'a Fastify route option',
      `fastify.route({ method: 'GET', url: '/tags', handler: listTags });`,
      'request',
      'the Fastify handler listTags (GET /tags)',
    ],
  ])('a function handed by name to %s takes its context (plain .js)', async (_name, registration, context, described) => {
    const [finding] = await queries.invalid({
      code: LIST_TAGS,
      filename: 'src/controllers/tags.js',
      files: { 'src/routes/tags.js': `const { listTags } = require('../controllers/tags');\n${registration}` },
      errors: [{ messageId: 'perItem', line: 6, column: 33, severity: context === 'request' ? 'warning' : 'info' }],
    });
    expect(finding.evidence.context).toBe(context);
    expect(finding.evidence.reasons.at(-1)).toMatch(
      new RegExp(`^runs in ${escape(described)}, registered in (.*/)?src/routes/tags\\.js:2$`),
    );
  });

  it('a ts-rest router handed the handler as a shorthand property, and a cron schedule handed a function, decide too', async () => {
    const [rest] = await queries.invalid({
      ...controller,
      files: {
        'src/server/routers/tag.router.ts': `import { initServer } from '@ts-rest/express';
import { getTagsHandler } from '../controllers/tag.controller';
const s = initServer();
export const tagRouter = s.router(contract, { getTagsHandler });`,
      },
      errors: [{ ...LINE, severity: 'warning' }],
    });
    expect(rest.evidence.context).toBe('request');
    const [scheduled] = await queries.invalid({
      ...controller,
      files: {
        'src/server/schedule.ts': `import cron from 'node-cron';
import { getTagsHandler } from './controllers/tag.controller';
cron.schedule('0 * * * *', getTagsHandler);`,
      },
      errors: [{ ...LINE, severity: 'warning' }],
    });
    expect(scheduled.evidence.context).toBe('job');
  });

  it('a function handed to an array’s every() is a predicate, not a scheduled job: the context stays unknown', async () => {
    const [finding] = await queries.invalid({
      ...controller,
      files: {
        'src/server/checks.ts': `import { getTagsHandler } from './controllers/tag.controller';
export const allTagged = (contexts) => contexts.every(getTagsHandler);`,
      },
      errors: [{ ...LINE, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('unknown');
  });

  // A job's function that a debug route also runs by hand: its own registration decides, not the route that calls it.
  const CRON = `${PRISMA}
export async function runCron(job) {
  if (job.data.type === 'sweep') return sweepOrders();
}
async function sweepOrders() {
  const orders = await prisma.order.findMany({ where: { status: 'due' } });
  for (const order of orders) await prisma.invoice.create({ data: { orderId: order.id } });
}`;
  const DEBUG_ROUTE = `import { runCron } from './jobs/cron';
export function debugRoutes(app) {
  app.get('/debug/cron/:type', async (req, res) => res.json(await runCron({ data: { type: req.params.type } })));
}`;

  it('a job handed to new Worker(…) by name keeps the job context though a debug route also calls it', async () => {
    const [finding] = await queries.invalid({
      code: CRON,
      filename: 'src/jobs/cron.ts',
      files: {
        'src/boot-workers.ts': `import { Worker } from 'bullmq';
import { runCron } from './jobs/cron';
export const cronWorker = new Worker('cron', runCron, { connection });`,
        'src/boot-debug.ts': DEBUG_ROUTE,
      },
      // A job's read of the due orders is what became due since its last run: info (on the debug route below, a warning).
      errors: [{ messageId: 'perItem', line: 9, column: 37, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('job');
    expect(finding.evidence.reasons.at(-1)).toMatch(
      /^runs once per job or tick \(runCron\(\) is handed to new Worker\(…\)\), registered in (.*\/)?src\/boot-workers\.ts:3, which calls sweepOrders\(\)$/,
    );
  });

  it('without a job registration, a request that calls the function in a jobs/ folder decides: request', async () => {
    const [finding] = await queries.invalid({
      code: CRON,
      filename: 'src/jobs/cron.ts',
      files: { 'src/boot-debug.ts': DEBUG_ROUTE },
      errors: [{ messageId: 'perItem', line: 9, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('request');
  });

  // Issue 12's round 7: a factory of job functions whose backfill method only a command-line task calls. The job
  // route calls the factory and one method of what it returns; the backfill is not on that path.
  const FACTORY = `${PRISMA}
export function SnapshotsController() {
  return {
    async syncSnapshots() {
      return prisma.snapshot.count();
    },
    async fillMissing(chain: string) {
      const pools = await prisma.pool.findMany({ where: { chain } });
      for (const pool of pools) await prisma.snapshot.create({ data: { poolId: pool.id } });
    },
  };
}`;

  it("a factory's callers are not its methods' callers: a method no caller is found for keeps an unknown context", async () => {
    const route = `import { SnapshotsController } from './snapshots';
export function jobRoutes(app) {
  app.post('/', async (req, res) => res.json(await SnapshotsController().syncSnapshots()));
}`;
    const [finding] = await queries.invalid({
      code: FACTORY,
      filename: 'src/snapshots.ts',
      files: { 'src/routes.ts': route },
      errors: [{ messageId: 'perItem', line: 11, column: 39, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('unknown');
    // A callback written inside the function still runs where the function runs: its callers decide.
    const [callback] = await queries.invalid({
      code: `${PRISMA}
export async function sweep(chain: string) {
  const pools = await prisma.pool.findMany();
  await Promise.all(pools.map(async (pool) => prisma.snapshot.create({ data: { poolId: pool.id } })));
}`,
      filename: 'src/sweep.ts',
      files: {
        'src/routes.ts': `import { sweep } from './sweep';\nexport const routes = (app) => app.post('/', async (req, res) => res.json(await sweep(req.body.chain)));`,
      },
      errors: [{ messageId: 'perItemConcurrent', line: 6, column: 47, severity: 'warning' }],
    });
    expect(callback.evidence.context).toBe('request');
  });
});

describe('start-up: what a function does, not only its name', () => {
  const blocking = ruleTester('sync-io-in-async');
  const SETUP = (calls: string): string => `import fs from 'node:fs';
export async function setUpDocs(app: INestApplication) {
  const document = await buildDocument();
  fs.writeFileSync('openapi.json', JSON.stringify(document));
${calls}
}`;

  it.each([
    ['a Nest app set-up (useGlobalPipes, enableCors)', '  app.useGlobalPipes(new ValidationPipe());\n  app.enableCors();'],
    ['an app that listens', '  await app.listen(3000);'],
    ['creating the app', '  const server = await NestFactory.create(AppModule);'],
  ])('a function that sets up the application runs once per process: not reported (%s)', (_name, calls) => {
    blocking.valid(SETUP(calls));
  });

  it('the same write without set-up calls is reported; a queue that listens is not an app', async () => {
    const fixed = (code: string): string => code.replace('fs.writeFileSync', 'await fs.promises.writeFile');
    for (const code of [SETUP(''), SETUP('  await queue.listen();')])
      await blocking.invalid({ code, errors: [{ messageId: 'blocking', line: 4, column: 3 }], output: fixed(code) });
  });
});

describe('a leak needs code that runs again and again', () => {
  const timers = ruleTester('uncleared-interval');
  const poller = (startedBy: string): string => `import express from 'express';
class Poller {
  latest: unknown;
  constructor(private readonly url: string) {
    setInterval(async () => {
      this.latest = await (await fetch(this.url)).json();
    }, 5000);
  }
}
${startedBy}`;

  it('a timer per instance, where a request makes the instances: warning', async () => {
    const [finding] = await timers.invalid({
      code: poller(`const app = express();
app.post('/watch', (req, res) => res.json({ poller: new Poller(req.body.url) }));`),
      errors: [{ messageId: 'instance', line: 5, column: 5, severity: 'warning' }],
    });
    expect(finding.evidence.context).toBe('request');
  });

  it('the same class where nothing says who makes instances: info; made by a function that sets up the app: not reported', async () => {
    const [unknown] = await timers.invalid({
      code: poller(`export function pollerFor(url: string) {
  return new Poller(url);
}`),
      errors: [{ messageId: 'instance', line: 5, column: 5, severity: 'info' }],
    });
    expect(unknown.evidence.context).toBe('unknown');
    timers.valid(
      poller(`export async function main() {
  const app = express();
  const poller = new Poller(process.env.FEED_URL ?? '');
  app.get('/latest', (req, res) => res.json(poller.latest));
  await app.listen(3000);
}`),
    );
  });
});

describe('a claim of two weights: what a query outside its transaction does', () => {
  const outside = ruleTester('query-outside-transaction');
  const transfer = (statement: string): string => `${PRISMA}
export async function transfer(from: string, to: string, amount: number) {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: amount } } });
    ${statement}
  });
}`;

  it('a write through the pool is lost on rollback: warning; a read only misses the transaction’s writes: info', async () => {
    const [write] = await outside.invalid({
      code: transfer('await prisma.account.update({ where: { id: to }, data: { balance: { increment: amount } } });'),
      errors: [{ messageId: 'write', line: 7, column: 11, severity: 'warning' }],
    });
    expect(write.evidence.reasons).toEqual(['a write outside its transaction is a correctness problem whatever the size of the data']);
    const [read] = await outside.invalid({
      code: transfer('const plan = await prisma.plan.findUnique({ where: { id: to } });'),
      errors: [{ messageId: 'read', line: 7, column: 24, severity: 'info' }],
    });
    expect(read.evidence.reasons).toEqual([
      "a read outside the transaction loses no write: it misses the transaction's own, if it reads what they touched",
    ]);
  });
});

describe('repeated-await: a second round trip is a fixed cost unless what it reads grows', () => {
  const repeated = ruleTester('repeated-await');
  const handler = (read: string): string => `${PRISMA}
export async function GET(request: Request) {
  const first = await ${read};
  const again = await ${read};
  return Response.json({ first, again });
}`;

  it('the same row read twice on a request: info; the same unbounded list read twice: warning', async () => {
    const [row] = await repeated.invalid({
      code: handler("prisma.course.findUnique({ where: { id: 'c1' } })"),
      filename: 'app/api/course/route.ts',
      errors: [{ messageId: 'repeated', line: 6, column: 17, severity: 'info' }],
    });
    expect(row.evidence.context).toBe('request');
    await repeated.invalid({
      code: handler('prisma.course.findMany()'),
      filename: 'app/api/course/route.ts',
      errors: [{ messageId: 'repeated', line: 6, column: 17, severity: 'warning' }],
    });
  });
});

describe('a server that listens only on localhost serves one machine', () => {
  const server = (listen: string): string => `${PRISMA}
import express from 'express';
const app = express();
app.get('/orders', async (req, res) => {
  const lines = await prisma.orderLine.findMany({ where: { status: 'OPEN' } });
  for (const line of lines) await prisma.product.findUnique({ where: { id: line.productId } });
  res.json({ ok: true });
});
${listen}`;

  it.each([["app.listen(3001, 'localhost')"], ["app.listen({ port: 3001, host: '127.0.0.1' })"]])(
    '%s: info, and the reason says why',
    async (listen) => {
      const [finding] = await queries.invalid({
        code: server(listen),
        errors: [{ messageId: 'perItem', line: 8, column: 35, severity: 'info' }],
      });
      expect(finding.evidence.context).toBe('request');
      expect(finding.evidence.reasons).toContain(
        "runs in the GET /orders handler of a server that listens only on localhost (one machine's client)",
      );
    },
  );

  it.each([['app.listen(3001)'], ["app.listen(3001, '0.0.0.0')"], ["app.listen(3001, 'localhost');\napp.listen(8080)"]])(
    '%s serves whoever connects: warning',
    async (listen) => {
      await queries.invalid({ code: server(listen), errors: [{ messageId: 'perItem', line: 8, column: 35, severity: 'warning' }] });
    },
  );
});

describe('batchable', () => {
  // Detaching each old partition of a growing list: one statement per partition whatever is done.
  const partitions = (body: string): string => `${PRISMA}
import { Pool } from 'pg';
const pool = new Pool();
export async function dropOldPartitions() {
  const partitions: Array<{ name: string; id: string }> = await prisma.$queryRaw\`SELECT name, id FROM partitions\`;
  for (const p of partitions) {
    ${body}
  }
}`;

  it.each([
    ['a template literal', 'await prisma.$executeRawUnsafe(`ALTER TABLE "events" DETACH PARTITION "${p.name}"`);', 'ALTER TABLE', 9],
    ['through a const', 'const sql = `DROP TABLE IF EXISTS "${p.name}"`;\n    await prisma.$executeRawUnsafe(sql);', 'DROP TABLE', 10],
    ['a string, after a comment', "await pool.query('/* nightly */ VACUUM ANALYZE ' + p.name);", 'VACUUM', 9],
    ['a tagged template, lower case', 'await prisma.$executeRaw`truncate table ${p.name}`;', 'TRUNCATE', 9],
  ])('DDL per object has no set-based form: not batchable, info (%s)', async (_name, body, verb, line) => {
    const code = partitions(body);
    const [finding] = await queries.invalid({ code, errors: [{ messageId: 'perItem', line, column: 11, severity: 'info' }] });
    expect(finding.evidence).toMatchObject({ scale: 'grows', batchable: false });
    expect(finding.evidence.reasons).toContain(`DDL runs per object: no set-based form (${verb})`);
  });

  it('a project function whose database work is a DROP TABLE, called per partition: not batchable, info; a DELETE there is a warning', async () => {
    const code = (statement: string): string => `${PRISMA}
async function dropPartition(name: string) {
  await prisma.$executeRawUnsafe(\`${statement}\`);
}
export async function dropOldPartitions() {
  const partitions: Array<{ name: string }> = await prisma.$queryRaw\`SELECT name FROM partitions\`;
  for (const p of partitions) await dropPartition(p.name);
}`;
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: code('DROP TABLE IF EXISTS "${name}"'),
      errors: [{ messageId: 'helper', line: 9, column: 37, severity: 'info' }],
    });
    expect(finding.evidence.reasons).toContain('DDL runs per object: no set-based form (dropPartition() runs DROP)');
    await queries.invalid({
      filename: JOB_FILE,
      code: code('DELETE FROM partitions WHERE name = ${name}'),
      errors: [{ messageId: 'helper', line: 9, column: 37, severity: 'warning' }],
    });
  });

  it('a DELETE per partition row is batchable: still a warning', async () => {
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: partitions('await prisma.$executeRaw`DELETE FROM partitions WHERE id = ${p.id}`;'),
      errors: [{ messageId: 'perItem', line: 9, column: 11, severity: 'warning' }],
    });
    expect(finding.evidence.batchable).toBe(true);
  });

  it('an iteration that needs the previous one’s result is info, with the reason', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function copyTree() {
  const nodes = await prisma.node.findMany();
  let parentId: string | null = null;
  for (const node of nodes) {
    const created = await prisma.node.create({ data: { name: node.name, parentId } });
    parentId = created.id;
  }
}`,
      errors: [{ messageId: 'perItem', line: 8, column: 27, severity: 'info' }],
    });
    expect(finding.evidence.batchable).toBe(false);
    expect(finding.evidence.reasons).toContain(
      "each iteration needs the previous one's result (`parentId` is set in the loop and read by the next call)",
    );
  });

  it('per-item error handling is info; without the try/catch the same loop is a warning', async () => {
    const code = (body: string): string => `${PRISMA}
export async function charge() {
  const orders = await prisma.order.findMany();
  for (const order of orders) {
${body}
  }
}`;
    const [caught] = await queries.invalid({
      filename: JOB_FILE,
      code: code(`    try {
      await prisma.payment.create({ data: { orderId: order.id } });
    } catch (error) {
      console.error(error);
    }`),
      errors: [{ messageId: 'perItem', line: 8, column: 13, severity: 'info' }],
    });
    expect(caught.evidence.reasons).toContain('each item has its own error handling (a try/catch around the call in the loop)');
    await queries.invalid({
      filename: JOB_FILE,
      code: code(`    await prisma.payment.create({ data: { orderId: order.id } });`),
      errors: [{ messageId: 'perItem', line: 7, column: 11, severity: 'warning' }],
    });
  });

  const CHARGE = (body: string): string => `${PRISMA}
export async function charge() {
  const orders = await prisma.order.findMany();
  for (const order of orders) {
${body}
  }
}`;

  it('a call in the catch of the pass runs only for a failed item: not batchable, info', async () => {
    const [, marked] = await queries.invalid({
      code: CHARGE(`    try {
      await prisma.payment.create({ data: { orderId: order.id } });
    } catch (error) {
      await prisma.order.update({ where: { id: order.id }, data: { failed: true } });
    }`),
      errors: [
        { messageId: 'perItem', line: 8, column: 13, severity: 'info' },
        { messageId: 'perItem', line: 10, column: 13, severity: 'info' },
      ],
    });
    expect(marked.evidence.batchable).toBe(false);
    expect(marked.evidence.reasons).toContain('runs only when this item failed (the catch of its try)');
  });

  it('a call in a .catch() callback made in the pass is not per item at all: only the call it guards is reported', async () => {
    await queries.invalid({
      filename: JOB_FILE,
      code: CHARGE(`    await prisma.payment
      .create({ data: { orderId: order.id } })
      .catch(async () => {
        await prisma.order.update({ where: { id: order.id }, data: { failed: true } });
      });`),
      errors: [{ messageId: 'perItem', line: 7, column: 11, severity: 'warning' }],
    });
  });

  it('a catch that rethrows fails the loop as a batch would: batchable, warning (a change: it was info)', async () => {
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: CHARGE(`    try {
      await prisma.payment.create({ data: { orderId: order.id } });
    } catch (error) {
      console.error(order.id);
      throw error;
    }`),
      errors: [{ messageId: 'perItem', line: 8, column: 13, severity: 'warning' }],
    });
    expect(finding.evidence.batchable).toBe(true);
  });

  it('state carried in a Map set in the loop is the previous pass’s result: not batchable (a change: it was batchable)', async () => {
    const [finding] = await queries.invalid({
      code: `${PRISMA}
export async function copyTree() {
  const nodes = await prisma.node.findMany();
  const created = new Map<string, string>();
  for (const node of nodes) {
    const parentId = created.get(node.parentId);
    const row = await prisma.node.create({ data: { name: node.name, parentId } });
    created.set(node.id, row.id);
  }
}`,
      errors: [{ messageId: 'perItem', line: 9, column: 23, severity: 'info' }],
    });
    expect(finding.evidence.reasons).toContain(
      "each iteration needs the previous one's result (`created` is set in the loop and read by the next call)",
    );
  });
});

describe('code run once', () => {
  const blocking = ruleTester('sync-io-in-async');
  const outside = ruleTester('query-outside-transaction');
  const TEMPLATES = `import fs from 'node:fs';
export async function seedTemplates() {
  const files = fs.readdirSync('./templates');
  return files.map((file) => fs.readFileSync(\`./templates/\${file}\`, 'utf8'));
}`;

  it('blocking others is not reported in a seed; in a job a read per listed file grows, the one listing does not: both info until measured', async () => {
    blocking.valid({ code: TEMPLATES, filename: 'packages/prisma/seed-database.ts' });
    const [, perFile] = await blocking.invalid({
      code: TEMPLATES,
      filename: 'packages/lib/jobs/templates.ts',
      errors: [
        { messageId: 'blocking', line: 3, column: 17, severity: 'info' },
        { messageId: 'blocking', line: 4, column: 30, severity: 'info' },
      ],
      output: TEMPLATES.replace('fs.readdirSync', 'await fs.promises.readdir'),
    });
    // The evidence is still gathered and shown; only a measurement makes a stall a warning (SYNC_STALL_MEASURED).
    expect(perFile.evidence).toMatchObject({ scale: 'grows', context: 'job' });
    expect(perFile.evidence.reasons).toContain(SYNC_STALL_MEASURED);
  });

  it('a claim that holds everywhere (a write that bypasses its transaction) is still reported in a script, as an info', async () => {
    const [finding] = await outside.invalid({
      code: `${PRISMA}
export async function transfer(from: string, to: string, amount: number) {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: amount } } });
    await prisma.account.update({ where: { id: to }, data: { balance: { increment: amount } } });
  });
}`,
      filename: 'scripts/fix-balances.ts',
      errors: [{ messageId: 'write', line: 7, column: 11, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('script');
  });

  it('only names that certainly run once per process make start-up: onModuleInit is, a class’s init() is not', async () => {
    const code = (name: string): string => `${PRISMA}
export class Catalogue {
  async ${name}() {
    const products = await prisma.product.findMany();
    for (const product of products) await prisma.price.findFirst({ where: { productId: product.id } });
  }
}`;
    queries.valid(code('onModuleInit'));
    const [finding] = await queries.invalid({
      code: code('init'),
      errors: [{ messageId: 'perItem', line: 7, column: 43, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('unknown');
  });
});

describe('sync-io-in-async: one blocking call is a fixed cost; it matters when it grows', () => {
  const blocking = ruleTester('sync-io-in-async');
  const route = (handler: string): string => `import fs from 'node:fs';
import express from 'express';
export const router = express.Router();
${handler}`;

  it('one small file written per request is info: nothing grows (a change: it was a warning)', async () => {
    const code = route(`async function saveCertificate(id: string, pem: string) {
  fs.writeFileSync(\`certs/\${id}.pem\`, pem);
}
router.post('/certificates', async (req, res) => {
  await saveCertificate(req.body.id, req.body.pem);
  res.end();
});`);
    const [finding] = await blocking.invalid({
      code,
      errors: [{ messageId: 'blocking', line: 5, column: 3, severity: 'info' }],
      output: code.replace('fs.writeFileSync', 'await fs.promises.writeFile'),
    });
    expect(finding.evidence).toMatchObject({ scale: 'unknown', context: 'request' });
    expect(finding.evidence.reasons[0]).toBe('nothing here shows that the data it touches grows: one run costs a fixed amount');
  });

  it('a directory tree walked recursively on a request path grows (info until measured); with no request or job around it, info', async () => {
    const walk = `async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await listTree(\`\${dir}/\${entry.name}\`)));
    else out.push(entry.name);
  }
  return out;
}`;
    const fixed = (code: string): string => code.replace('fs.readdirSync(', 'await fs.promises.readdir(');
    const served = route(`${walk}
router.get('/files', async (req, res) => res.json(await listTree('data')));`);
    const [walked] = await blocking.invalid({
      code: served,
      errors: [{ messageId: 'blocking', line: 6, column: 23, severity: 'info' }],
      output: fixed(served),
    });
    expect(walked.evidence.reasons[0]).toBe(
      'readdirSync lists a directory in listTree(), which calls itself for each subdirectory: the whole tree',
    );
    expect(walked.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(walked.evidence.reasons).toContain(SYNC_STALL_MEASURED);
    await blocking.invalid({
      code: route(walk),
      errors: [{ messageId: 'blocking', line: 6, column: 23, severity: 'info' }],
      output: fixed(route(walk)),
    });
  });

  it('{ recursive: true } lists a whole tree: it grows, in a queue worker (info until measured)', async () => {
    const [finding] = await blocking.invalid({
      code: `import fs from 'node:fs';
import { Worker } from 'bullmq';
new Worker('index', async (job) => {
  const files = fs.readdirSync(job.data.root, { recursive: true });
  return files.length;
});`,
      errors: [{ messageId: 'blocking', line: 4, column: 17, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'job' });
  });
});

describe('sync-io-in-handler and read-per-request: a fixed file per request is a fixed cost; it matters when it grows', () => {
  const handlerIo = ruleTester('sync-io-in-handler');
  const perRequest = ruleTester('read-per-request');
  const app = (body: string, imports = ''): string => `import fs from 'node:fs';
import express from 'express';
${imports}const app = express();
${body}`;

  it('one small fixed file read per request is info (a change: it was a warning), with the reason', async () => {
    const code = app(`app.get('/og', async (req, res) => {
  const font = fs.readFileSync('assets/inter.ttf');
  res.send(render(font, req.query.title));
});`);
    const [blocking] = await handlerIo.invalid({
      code,
      errors: [{ messageId: 'blocking', line: 5, column: 16, severity: 'info' }],
      output: code.replace('fs.readFileSync', 'await fs.promises.readFile'),
    });
    expect(blocking.evidence).toMatchObject({ scale: 'unknown', context: 'request' });
    expect(blocking.evidence.reasons[0]).toBe('nothing here shows that the data it touches grows: one run costs a fixed amount');
    const [read] = await perRequest.invalid({ code, errors: [{ messageId: 'readSync', line: 5, column: 16, severity: 'info' }] });
    expect(read.evidence.reasons[0]).toBe('nothing here shows that the data it touches grows: one run costs a fixed amount');
  });

  it('an unlink or a stat of an uploaded temp file costs the same for any size: info', async () => {
    await handlerIo.invalid({
      code: app(`app.post('/avatar', upload.single('image'), async (req, res) => {
  await store(req.file.path);
  fs.unlinkSync(req.file.path);
  res.sendStatus(204);
});`),
      errors: [{ messageId: 'blocking', line: 6, column: 3, severity: 'info' }],
    });
  });

  it('an uploaded file read whole is as big as the request makes it: it grows, info until measured (also through a destructured name, in plain JavaScript)', async () => {
    const [finding] = await handlerIo.invalid({
      code: app(`app.post('/import', upload.single('csv'), (req, res) => {
  const rows = parse(fs.readFileSync(req.file.path, 'utf8'));
  res.json({ rows: rows.length });
});`),
      errors: [{ messageId: 'blockingSyncHandler', line: 5, column: 22, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(finding.evidence.reasons[0]).toBe('readFileSync handles the upload req.file.path whole: as big as the request makes it');
    await handlerIo.invalid({
      code: `const fs = require('fs');
router.post('/import', upload.single('csv'), async (req, res) => {
  const { path } = req.file;
  const text = fs.readFileSync(path, 'utf8');
  res.json({ size: text.length });
});`,
      filename: 'routes/import.js',
      errors: [{ messageId: 'blocking', line: 4, column: 16, severity: 'info' }],
    });
  });

  it('the raw request body decompressed whole grows; a request field is small: both info until measured', async () => {
    const code = (argument: string): string =>
      app(
        `app.post('/ingest', express.raw(), (req, res) => {
  res.send(zlib.gunzipSync(${argument}));
});`,
        "import zlib from 'node:zlib';\n",
      );
    const [whole] = await handlerIo.invalid({
      code: code('req.body'),
      errors: [{ messageId: 'blockingSyncHandler', line: 6, column: 12, severity: 'info' }],
    });
    expect(whole.evidence.scale).toBe('grows');
    await handlerIo.invalid({
      code: code('req.body.note'),
      errors: [{ messageId: 'blockingSyncHandler', line: 6, column: 12, severity: 'info' }],
    });
  });

  it('a constant file read once per item of growing rows grows (info until measured)', async () => {
    const [finding] = await perRequest.invalid({
      code: app(
        `app.get('/orders', async (req, res) => {
  let html = '';
  for (const order of await prisma.order.findMany()) html += fs.readFileSync('views/row.html', 'utf8').replace('{{id}}', order.id);
  res.send(html);
});`,
        "import { prisma } from './db';\n",
      ),
      errors: [{ messageId: 'readSync', line: 7, column: 62, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(finding.evidence.reasons).toContain(SYNC_STALL_MEASURED);
  });
});

describe('sequential-awaits: the saving is a round trip; it matters when an overlapped read grows', () => {
  const sequential = ruleTester('sequential-awaits');
  const handler = (reads: string): string => `${PRISMA}
import express from 'express';
export const router = express.Router();
router.get('/teams/:id/viewers', async (req, res) => {
${reads}
  res.json({ viewers, total });
});`;

  it('a list read without a limit and a COUNT over the table on a request path: warning, with both reads in the reasons', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.findMany({ where: { status: 'active' } });
  const total = await prisma.viewer.count({ where: { status: 'active' } });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'warning' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(finding.evidence.reasons[0]).toBe(
      '2 of the overlapped reads grow with the data, so Promise.all saves a growing cost: `viewers` comes from ' +
        'prisma.viewer.findMany() with no limit; prisma.viewer.count() counts or aggregates rows: its cost grows with them',
    );
  });

  it('three counts over one table say their reason once', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.count({ where: { status: 'active' } });
  const total = await prisma.viewer.count();
  const paused = await prisma.viewer.count({ where: { status: 'paused' } });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'warning' }],
    });
    expect(finding.evidence.reasons[0]).toBe(
      '3 of the overlapped reads grow with the data, so Promise.all saves a growing cost: ' +
        'prisma.viewer.count() counts or aggregates rows: its cost grows with them (×3)',
    );
  });

  it('a page of rows (take: 10) beside a COUNT over the table: only the count grows, Promise.all saves the page’s fixed round trip: info (a change: it was a warning)', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.findMany({ where: { status: 'active' }, take: 10 });
  const total = await prisma.viewer.count({ where: { status: 'active' } });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'unknown', context: 'request' });
    expect(finding.evidence.reasons[0]).toBe(
      "only one of the overlapped reads grows (prisma.viewer.count() counts or aggregates rows: its cost grows with them): Promise.all saves the others' time, a fixed round trip",
    );
  });

  it('a read capped by a limit above a page (take: 50) is a fixed cost however large the table: info (a change: 50 > 25 counted as growing)', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.findMany({ where: { status: 'active' }, take: 50 });
  const total = await prisma.invite.findMany({ orderBy: { createdAt: 'desc' }, take: 50 });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'bounded', context: 'request' });
    expect(finding.evidence.reasons[0]).toBe(
      'prisma.viewer.findMany() reads at most 50 rows (take: 50): a fixed cost however large the table',
    );
  });

  it("a COUNT of one record's children (filtered by one team's key) says nothing of growth: info", async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.findMany({ where: { teamId: req.params.id }, take: 10 });
  const total = await prisma.viewer.count({ where: { teamId: req.params.id } });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'unknown', context: 'request' });
    expect(finding.evidence.reasons[0]).toMatch(/^prisma\.viewer\.count\(\) counts the viewer rows of one team \(filtered by teamId\)/);
  });

  it('a COUNT of the events one record keeps gaining grows: with a second growing read, a warning', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.findMany({ where: { status: 'active' } });
  const total = await prisma.view.count({ where: { documentId: req.params.id } });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'warning' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(finding.evidence.reasons[0]).toMatch(/; prisma\.view\.count\(\) counts or aggregates the view rows of one document/);
  });

  it('two one-row lookups on the same request path save one fixed round trip: info (a change: it was a warning)', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.team.findUnique({ where: { id: req.params.id } });
  const total = await prisma.user.findUnique({ where: { id: req.params.id } });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'info' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'unknown', context: 'request' });
  });

  it('a COUNT saved in a DELETE handler is a rare path: info', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.findMany({ where: { teamId: req.params.id } });
  const total = await prisma.viewer.count({ where: { teamId: req.params.id } });`).replace('router.get(', 'router.delete('),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'info' }],
    });
    expect(finding.evidence.context).toBe('rare');
  });

  it('a list read without a limit beside a one-key lookup: Promise.all saves only the lookup: info (a change: it was a warning)', async () => {
    const [finding] = await sequential.invalid({
      code: handler(`  const viewers = await prisma.viewer.findMany();
  const total = await prisma.team.findUnique({ where: { id: req.params.id } });`),
      errors: [{ messageId: 'sequential', line: 7, column: 3, severity: 'info' }],
    });
    expect(finding.evidence.reasons[0]).toBe(
      "only one of the overlapped reads grows (`viewers` comes from prisma.viewer.findMany() with no limit): Promise.all saves the others' time, a fixed round trip",
    );
  });

  it('two list reads without a limit, written through variables and a plain-JavaScript destructuring: warning', async () => {
    await sequential.invalid({
      code: `const { PrismaClient } = require('@prisma/client');
const prisma = new PrismaClient();
module.exports.page = async function page(req, res) {
  const query = { where: { archived: false } };
  const viewers = await prisma.viewer.findMany(query);
  const [first] = await prisma.invite.findMany();
  res.json({ viewers, first });
};
app.get('/viewers', module.exports.page);`,
      filename: 'routes/viewers.js',
      errors: [{ messageId: 'sequential', line: 5, column: 3, severity: 'warning' }],
    });
  });
});

describe('callers, in the same file and across files', () => {
  const SERVICE = `${PRISMA}
export async function listOwners(orders: Array<{ ownerId: string }>) {
  for (const order of orders) {
    await prisma.user.findUnique({ where: { id: order.ownerId } });
  }
}`;
  const route = (argument: string): string => `import express from 'express';
import { PrismaClient } from '@prisma/client';
import { listOwners } from '../services/orders';
const prisma = new PrismaClient();
export const router = express.Router();
router.get('/owners', async (req, res) => {
  const orders = await prisma.order.findMany();
  res.json(await listOwners(${argument}));
});`;
  const owners = { messageId: 'perItem', line: 6, column: 11 } as const;

  it('a service called from a route in another file runs on that request, over the data the route passes: warning', async () => {
    const [finding] = await queries.invalid({
      code: SERVICE,
      filename: 'services/orders.ts',
      files: { 'routes/orders.ts': route('orders') },
      errors: [{ ...owners, severity: 'warning' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(finding.evidence.reasons[0]).toMatch(
      /^`orders` is a parameter; a caller of listOwners\(\) passes one that comes from prisma\.order\.findMany\(\) with no limit \(.*routes\/orders\.ts\)$/,
    );
    expect(finding.evidence.reasons[1]).toMatch(/^runs in the GET \/owners handler, which calls listOwners\(\) in .*routes\/orders\.ts:8$/);
  });

  it('the same service: not reported when the route passes five rows, info when no caller is known', async () => {
    queries.valid({ code: SERVICE, filename: 'services/orders.ts', files: { 'routes/orders.ts': route('orders.slice(0, 5)') } });
    const [alone] = await queries.invalid({ code: SERVICE, filename: 'services/orders.ts', errors: [{ ...owners, severity: 'info' }] });
    expect(alone.evidence).toMatchObject({ scale: 'unknown', context: 'unknown' });
  });

  it('a service called from a tRPC procedure in another file runs on that request; called from a client-side query it does not', async () => {
    const router = (resolver: string): string => `import { PrismaClient } from '@prisma/client';
import { listOwners } from '../services/orders';
const prisma = new PrismaClient();
export const ordersRouter = router({
  owners: ${resolver},
});`;
    const [onRequest] = await queries.invalid({
      code: SERVICE,
      filename: 'services/orders.ts',
      files: { 'routers/orders.ts': router('protectedProcedure.query(async () => listOwners(await prisma.order.findMany()))') },
      errors: [{ ...owners, severity: 'warning' }],
    });
    expect(onRequest.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(onRequest.evidence.reasons[1]).toMatch(/^runs in the tRPC query owners, which calls listOwners\(\) in .*routers\/orders\.ts:5$/);
    const [elsewhere] = await queries.invalid({
      code: SERVICE,
      filename: 'services/orders.ts',
      files: { 'routers/orders.ts': router('useQuery(async () => listOwners(await prisma.order.findMany()))') },
      errors: [{ ...owners, severity: 'info' }],
    });
    expect(elsewhere.evidence).toMatchObject({ scale: 'grows', context: 'unknown' });
  });

  it('a fixed list a test passes says nothing of the application’s data: info; the same list from application code: not reported', async () => {
    const test = `import { listOwners } from '../services/orders';
it('lists', async () => { await listOwners([{ ownerId: 'a' }]); });`;
    const [finding] = await queries.invalid({
      code: SERVICE,
      filename: 'services/orders.ts',
      files: { 'test/orders.test.ts': test },
      errors: [{ ...owners, severity: 'info' }],
    });
    expect(finding.evidence.scale).toBe('unknown');
    queries.valid({
      code: SERVICE,
      filename: 'services/orders.ts',
      files: { 'jobs/orders.ts': test.replace("it('lists', ", 'export const run = (') },
    });
  });

  it('a helper called by a handler of its own file runs on that request (also in plain JavaScript)', async () => {
    const code = `const express = require('express');
const { PrismaClient } = require('@prisma/client');
const prisma = new PrismaClient();
const router = express.Router();
async function owners(orders) {
  for (const order of orders) await prisma.user.findUnique({ where: { id: order.ownerId } });
}
router.post('/owners', async (req, res) => res.json(await owners(await prisma.order.findMany())));
module.exports = router;`;
    const [finding] = await queries.invalid({
      code,
      filename: 'routes/owners.js',
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence).toMatchObject({ scale: 'grows', context: 'request' });
    expect(finding.evidence.reasons).toContain('runs in the POST /owners handler, which calls owners()');
  });
});

describe('row limits come from the library of the read', () => {
  const SEQUELIZE = `import { Model } from 'sequelize';
class Order extends Model {}
class Customer extends Model {}
`;
  const perOrder = (read: string): string => `${SEQUELIZE}export async function owners() {
  const orders = await ${read};
  for (const order of orders) await Customer.findByPk(order.customerId);
}`;

  it('Sequelize caps rows with limit: not reported; take is not a Sequelize option, so the same read with take grows', async () => {
    queries.valid(perOrder('Order.findAll({ limit: 10 })'));
    const [finding] = await queries.invalid({
      filename: JOB_FILE,
      code: perOrder('Order.findAll({ take: 10 })'),
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'warning' }],
    });
    expect(finding.evidence.reasons[0]).toBe('`orders` comes from Order.findAll() with no limit');
  });

  it.each(['prisma', 'typeorm', 'sequelize', 'mongoose', 'mongodb', 'knex', 'drizzle', 'mikro-orm', 'kysely', 'objection', 'supabase'])(
    '%s declares how its reads are capped',
    (id) => {
      const limits = library(id)?.limits;
      expect((limits?.options?.length ?? 0) + (limits?.steps?.length ?? 0)).toBeGreaterThan(0);
      expect(limits?.oneRow?.length).toBeGreaterThan(0);
    },
  );

  it('Mongoose caps rows with the .limit() step; a findOne is one record, not a list', async () => {
    const code = (read: string): string => `import mongoose from 'mongoose';
const Order = mongoose.model('Order', schema);
const User = mongoose.model('User', schema);
export async function owners() {
  const orders = await ${read};
  for (const order of orders) await User.findById(order.ownerId);
}`;
    queries.valid(code('Order.find({ open: true }).limit(10)'));
    await queries.invalid({
      filename: JOB_FILE,
      code: code('Order.find()'),
      errors: [{ messageId: 'perItem', line: 6, column: 37, severity: 'warning' }],
    });
  });
});

describe('rules over a scanned list name the list', () => {
  it('sort-for-min-max names the list it sorts, and saves a constant factor: info over rows read without a limit too', async () => {
    const sorts = ruleTester('sort-for-min-max');
    const [grows] = await sorts.invalid({
      filename: JOB_FILE,
      code: `${PRISMA}
export async function cheapest() {
  const products = await prisma.product.findMany();
  return products.sort((a, b) => a.price - b.price)[0];
}`,
      errors: [{ messageId: 'pick', line: 6, column: 19, severity: 'info' }],
    });
    expect(grows.evidence.scale).toBe('grows');
    expect(grows.evidence.reasons[0]).toBe('`products` comes from prisma.product.findMany() with no limit');
    await sorts.invalid({
      filename: JOB_FILE,
      code: `export function cheapest(products: Array<{ price: number }>) {
  return products.sort((a, b) => a.price - b.price)[0];
}`,
      errors: [{ messageId: 'pick', line: 2, column: 19, severity: 'info' }],
    });
  });

  it('the lines of a file grow; the lines of a text nothing says the length of do not', async () => {
    const sorts = ruleTester('sort-for-min-max');
    const [file] = await sorts.invalid({
      filename: JOB_FILE,
      code: `import fs from 'node:fs';
export function longest(path: string) {
  return fs.readFileSync(path, 'utf8').split('\\n').sort((a, b) => b.length - a.length)[0];
}`,
      errors: [{ messageId: 'pick', line: 3, column: 52, severity: 'info' }],
    });
    expect(file.evidence.scale).toBe('grows');
    expect(file.evidence.reasons[0]).toMatch(/holds the lines of a text that is the content of a file \(readFileSync\)$/);
    const [text] = await sorts.invalid({
      filename: JOB_FILE,
      code: `export function longest(text: string) {
  return text.split('\\n').sort((a, b) => b.length - a.length)[0];
}`,
      errors: [{ messageId: 'pick', line: 2, column: 27, severity: 'info' }],
    });
    expect(text.evidence.scale).toBe('unknown');
  });

  it('nested-scan: the cost is the passes times the list searched in each — both must grow for a warning', async () => {
    const scans = ruleTester('nested-scan');
    const code = (customers: string, orders = 'await prisma.order.findMany()'): string => `${PRISMA}
export async function attach() {
  const orders: Array<{ customerId: string; customer?: unknown }> = ${orders};
  const customers = ${customers};
  for (const order of orders) {
    for (const customer of customers) {
      if (customer.id === order.customerId) {
        order.customer = customer;
        break;
      }
    }
  }
}`;
    const [finding] = await scans.invalid({
      filename: JOB_FILE,
      code: code('await prisma.customer.findMany()'),
      errors: [{ messageId: 'join', line: 9, column: 11, severity: 'warning' }],
    });
    expect(finding.evidence.reasons).toContain('`customers` comes from prisma.customer.findMany() with no limit');
    expect(finding.evidence.reasons).toContain('`orders` comes from prisma.order.findMany() with no limit');
    const [unsized] = await scans.invalid({
      filename: JOB_FILE,
      code: code('await loadCustomers()'),
      errors: [{ messageId: 'join', line: 9, column: 11, severity: 'info' }],
    });
    expect(unsized.evidence.scale).toBe('unknown');
    // The outer list of unknown size: a whole table searched once per pass of a loop that may run three times.
    const [fewPasses] = await scans.invalid({
      filename: JOB_FILE,
      code: code('await prisma.customer.findMany()', 'await loadOrders()'),
      errors: [{ messageId: 'join', line: 9, column: 11, severity: 'info' }],
    });
    expect(fewPasses.evidence.reasons).toEqual([
      '`orders`: only its name suggests many records',
      '`customers` comes from prisma.customer.findMany() with no limit',
      'the cost is O(n·m): it grows only when both lists do',
      "in a background job's file (jobs/)",
    ]);
    scans.valid(code('await prisma.customer.findMany()', "[{ customerId: 'a' }, { customerId: 'b' }]"));
  });

  it('lookup-in-loop: the list searched on each pass counts too — a page of ten is not reported, a whole table is a warning', async () => {
    const lookups = ruleTester('lookup-in-loop');
    const code = (customers: string): string => `${PRISMA}
export async function attach() {
  const orders = await prisma.order.findMany();
  const customers: Array<{ id: string }> = ${customers};
  return orders.map((order) => customers.find((customer) => customer.id === order.customerId));
}`;
    lookups.valid(code('await prisma.customer.findMany({ take: 10 })'));
    const [finding] = await lookups.invalid({
      filename: JOB_FILE,
      code: code('await prisma.customer.findMany()'),
      errors: [{ messageId: 'map', line: 7, column: 32, severity: 'warning' }],
    });
    expect(finding.evidence.reasons).toContain('`customers` comes from prisma.customer.findMany() with no limit');
  });
});

describe('every shipped rule', () => {
  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s says what decides its severity', (_id, rule) => {
    expect(rule.meta.evidence?.basis).toMatch(/^(items|calls|claim)$/);
    expect(rule.meta.evidence?.why.length).toBeGreaterThan(10);
  });
});
