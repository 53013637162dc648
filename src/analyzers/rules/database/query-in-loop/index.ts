import { ts } from '../../../ts';
import { defineRule, type FixSpec } from '../../../rule';
import { calleeName, indentationAt, isInside, referencedNames, skipParens } from '../../../facts/ast';
import { clientCall, SQL_CONTROL, type ClientCall, type ClientCallNode } from '../../../facts/clients';
import { uniqueName } from '../../../facts/dataflow';
import type { FileFacts } from '../../../facts/fileFacts';
import { batchedLookupForms, isBatchedInOneTick } from '../../../facts/libraries/registry';
import { perItemCall, perItemHelperCall, type PerItemCall } from '../../../facts/perItem';
import { compact, plural, singular } from '../../../facts/phrases';
import type { IoSummary } from '../../../facts/summaries';
import { helperDdl } from '../../../facts/batching';
import { batchedLookup } from './batched-lookup';
import { lazyRelation, relationCall, type RelationLoad } from './relations';

export default defineRule({
  meta: {
    id: 'query-in-loop',
    category: 'database',
    description:
      'A database or cache query or write that runs once per item of a loop or iteration callback (N+1), inline or ' +
      'behind a project function.',
    why:
      "Each query is a network round trip plus the database's own work: at 1–5 ms a trip, 500 orders cost 0.5–2.5 s " +
      'where one batched query costs a few milliseconds, and every trip holds a pooled connection that other requests ' +
      'wait for. `Promise.all(ids.map(…))` only overlaps the trips — it still sends N queries and can take N connections ' +
      'at once. Inside a transaction every trip also keeps the transaction open — its connection and the locks it took — ' +
      'so the loop holds them for N round trips. The cost grows with the data, so it hides in development and shows up in ' +
      'production.',
    howToFix:
      'Fetch or write all items with one batched call — `findMany({ where: { id: { in: ids } } })` (Prisma), `findBy({ ' +
      'id: In(ids) })` (TypeORM), `findAll({ where: { id: ids } })` (Sequelize), `find({ _id: { $in: ids } })` ' +
      '(Mongoose), `inArray(users.id, ids)` (Drizzle), `find(User, { id: { $in: ids } })` (MikroORM), `whereIn` (knex), `WHERE id = ANY($1)` (SQL), `mget`/pipelines (Redis), ' +
      '`createMany`/`bulkCreate`/`insertMany`/`insert([...])` for writes — then look results up in a Map by key. The ' +
      'suggested fix writes this for a lookup of one row by one key awaited as the first statement of a `for…of` ' +
      '(Prisma `findUnique`, TypeORM `findOneBy`/`findOne`, Mongoose `findById`/`findOne`, Sequelize `findOne`, Drizzle `findFirst`, MikroORM `findOne`); it ' +
      'reads the rows once, before the loop, so review it where the loop writes them. A bulk write succeeds or fails ' +
      'as a whole and may skip per-row hooks, so check that before switching. When rows cannot be batched (nested ' +
      'creates, per-row hooks that must run), run them with bounded concurrency (p-limit) instead — but not inside a ' +
      'transaction, whose one connection runs its queries one at a time: there batch what can be batched (the ' +
      'transaction is all-or-nothing either way) and keep everything else out of it. The query may also ' +
      'hide behind a project function (followed across files), a recursive walk, or an ORM relation loaded per row.',
    notReported: [
      'Pagination that carries a cursor or offset from the previous page',
      'Retry and polling loops',
      'Loops that stop after the first result',
      'Loops over chunks (`chunk(ids, 100)`) or a literal tuple',
      'Throttled loops (`await sleep(…)`)',
      'Writes inside a transaction that need what an earlier pass did (a parent id, a running total), whose failures ' +
        'are caught or checked one by one (`if (count === 0) throw …` after a guarded update), or that run in-process ' +
        '(better-sqlite3)',
      'Project functions that open their own transaction per item',
      'MikroORM `persist()` or `remove()` per item with one `flush()` after the loop: the unit of work writes them together',
      "Already-batched calls — an `in` list (`In(ids)`, `$in`, `whereIn`, `inArray`) made before the loop, Prisma's " +
        '`$transaction([...])` batch of mapped operations, and Prisma `findUnique` calls started in one tick, which ' +
        'Prisma batches itself',
      'DataLoader `load` (see loader-in-loop)',
      'Calls handed to a limiter (`limit(() => …)`) or behind a semaphore (`await sema.acquire()`)',
      'Project functions whose query only runs on a cache miss',
      'Set-based SQL per period (`DELETE … USING … WHERE at >= $1`, `INSERT … SELECT`)',
    ],
    impact: 'high',
    effort: 'medium',
    evidence: {
      basis: 'items',
      why: 'its cost is one round trip per item: it matters when the items come from data that grows (a query without a limit over a table, request input, the views or events of one record), and not for a literal, `take: 10` or one record’s few children (`where: { teamId }`); a schema statement per object (`ALTER TABLE … DETACH PARTITION`, `DROP TABLE`) has no batched form: info',
    },
    fix: 'suggestion',
    // The libraries come from their descriptors: adding one adds it here.
    fixForm: `one batched read into a \`Map\` (${batchedLookupForms.join(', ')})`,
    scope: { skip: ['tests', 'migrations'] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid examples 1, 2, 9 and 13 are not reported",
        'strip-types':
          'not yet: part of what it recognises comes from type annotations, and the `.js` twin has none (invalid example 2, whose client is a `Repository<Product>` injected by type is not reported)',
      },
    },
    messages: {
      perItem: {
        message: '{{operation}} runs once per {{item}} (N+1).',
        note: 'Instead, {{advice}}.',
      },
      perItemConcurrent: {
        message: '{{operation}} runs once per {{item}} — concurrently, but still N round trips (N+1).',
        note: 'Instead, {{advice}}.',
      },
      perItemList: {
        message:
          '{{operation}} runs once per {{item}} with a list made from that {{item}} ({{list}}): an IN list per {{item}} is ' +
          'still one query per {{item}} (N+1).',
        note: 'Instead, {{advice}}.',
      },
      perItemInTransaction: {
        message:
          '{{operation}} runs once per {{item}} inside {{transaction}} (N+1): the transaction stays open, holding its ' +
          'connection and locks, across N round trips.',
        note: 'Instead, {{advice}}.',
      },
      invariant: {
        message: '{{operation}} runs once per {{item}} with the same arguments each time.',
        note: 'Run it once before the loop and reuse the result.',
      },
      perItemSync: {
        message: '{{operation}} runs once per {{item}}{{prepare}}.',
        note: 'Instead, {{advice}}.',
      },
      helper: {
        message: '{{call}} runs once per {{item}} and queries the database each time ({{operation}}) — N+1.',
        note: 'Instead, {{advice}}.',
      },
      helperConcurrent: {
        message:
          '{{call}} runs once per {{item}} and queries the database each time ({{operation}}) — concurrently, but still N ' +
          'round trips (N+1).',
        note: 'Instead, {{advice}}.',
      },
      helperInTransaction: {
        message:
          '{{call}} runs once per {{item}} inside {{transaction}} and queries the database each time ({{operation}}) — N+1: ' +
          'the transaction stays open, holding its connection and locks, across N round trips.',
        note: 'Instead, {{advice}}.',
      },
      recursive: {
        message:
          '{{call}} calls {{fn}} again for each {{item}}, and every call runs {{operation}}: one query per node of the ' + 'tree (N+1).',
        note:
          'Load a whole level at once (one query by the list of parent ids), or the whole tree with one recursive query ' +
          '(WITH RECURSIVE).',
      },
      relation: {
        message: '{{operation}} loads the {{relation}} relation once per {{item}} (N+1).',
        note: 'Load it for all of them at once — {{batched}}.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function invoiceLines(orders: Order[]) {
  const lines = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    lines.push({ order: order.id, name: customer?.name });
  }
  return lines;
}`,
          errors: [{ messageId: 'perItem', line: 8, column: 28 }],
        },
        {
          code: `const { User } = require('../models');

async function loadAuthors(posts) {
  return Promise.all(posts.map(async (post) => User.findByPk(post.authorId)));
}`,
          filename: 'src/services/posts.js',
          errors: [{ messageId: 'perItemConcurrent', line: 4, column: 48 }],
        },
        {
          code: `import { Repository } from 'typeorm';
import { InjectRepository } from '@nestjs/typeorm';

export class StockService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

  async reserve(items: CartItem[]) {
    for (const item of items) {
      await this.products.decrement({ id: item.productId }, 'stock', item.quantity);
    }
  }
}`,
          errors: [{ messageId: 'perItem', line: 9, column: 13 }],
        },
        {
          code: `import knex from 'knex';

const db = knex({ client: 'pg' });

export async function importRows(rows: Row[]) {
  for (const row of rows) {
    await db('events').insert({ kind: row.kind, at: row.at });
  }
}`,
          errors: [{ messageId: 'perItem', line: 7, column: 11 }],
        },
        {
          code: `import { Pool } from 'pg';

const pool = new Pool();

export async function prices(skus: string[]) {
  const result: Record<string, number> = {};
  for (const sku of skus) {
    const { rows } = await pool.query('SELECT price FROM products WHERE sku = $1', [sku]);
    result[sku] = rows[0]?.price;
  }
  return result;
}`,
          errors: [{ messageId: 'perItem', line: 8, column: 28 }],
        },
        {
          code: `import Redis from 'ioredis';

const redis = new Redis();

export async function sessions(ids: string[]) {
  const found = [];
  for (const id of ids) found.push(await redis.get(\`session:\${id}\`));
  return found;
}`,
          errors: [{ messageId: 'perItem', line: 7, column: 42 }],
        },
        {
          code: `import mongoose from 'mongoose';

const Category = mongoose.model('Category', new mongoose.Schema({ parent: String }));

// Walking a tree one node at a time: one query per node.
export async function descendants(rootId: string) {
  const queue = [rootId];
  const all: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const children = await Category.find({ parent: id });
    for (const child of children) {
      all.push(child.id);
      queue.push(child.id);
    }
  }
  return all;
}`,
          errors: [{ messageId: 'perItem', line: 11, column: 28 }],
        },
        {
          code: `import { prisma } from './db';

// Reads inside a transaction still cost one round trip each, with the transaction open all along.
export async function totals(orderIds: string[]) {
  return prisma.$transaction(async (tx) => {
    let sum = 0;
    for (const id of orderIds) {
      const order = await tx.order.findUnique({ where: { id } });
      sum += order?.total ?? 0;
    }
    return sum;
  });
}`,
          errors: [{ messageId: 'perItemInTransaction', line: 8, column: 27 }],
        },
        {
          code: `import { prisma } from './db';

// One update per item while the transaction holds its connection and the rows' locks.
export async function ship(items: Item[]) {
  await prisma.$transaction(async (tx) => {
    for (const item of items) {
      await tx.order.update({ where: { id: item.id }, data: { status: 'shipped' } });
    }
  });
}`,
          errors: [{ messageId: 'perItemInTransaction', line: 7, column: 13 }],
        },
        {
          code: `const { sequelize, Order } = require('../models');

async function cancel(orders) {
  return sequelize.transaction(async (t) => {
    for (const order of orders) {
      await Order.update({ status: 'cancelled' }, { where: { id: order.id }, transaction: t });
    }
  });
}`,
          filename: 'src/orders.js',
          errors: [{ messageId: 'perItemInTransaction', line: 6, column: 13 }],
        },
        {
          code: `import { prisma } from './db';

export async function render(rows: Row[]) {
  const out = [];
  for (const row of rows) {
    const settings = await prisma.settings.findFirst({ where: { active: true } });
    out.push(format(row, settings));
  }
  return out;
}`,
          errors: [{ messageId: 'invariant', line: 6, column: 28 }],
        },
        {
          code: `import { prisma } from './db';

async function loadComments(postId: string) {
  return prisma.comment.findMany({ where: { postId } });
}

// The query hides behind a helper: still one round trip per post.
export async function withComments(posts: Post[]) {
  for (const post of posts) post.comments = await loadComments(post.id);
  return posts;
}`,
          errors: [{ messageId: 'helper', line: 9, column: 51 }],
        },
        {
          code: `import { prisma } from './db';

// A recursive walk: one query per node of the tree.
export async function subtree(id: string): Promise<string[]> {
  const children = await prisma.folder.findMany({ where: { parentId: id } });
  const ids = [id];
  for (const child of children) ids.push(...(await subtree(child.id)));
  return ids;
}`,
          errors: [{ messageId: 'recursive', line: 7, column: 52 }],
        },
        {
          code: `const { Post } = require('../models');

async function feed() {
  const posts = await Post.findAll({ limit: 50 });
  return Promise.all(posts.map(async (post) => ({ post, author: await post.getAuthor() })));
}`,
          filename: 'src/feed.js',
          errors: [{ messageId: 'relation', line: 5, column: 71 }],
        },
        {
          code: `import { prisma } from './db';

// An IN list made from each order is still one query per order.
export async function withProducts(orders: Order[]) {
  for (const order of orders) {
    const ids = order.lines.map((line) => line.productId);
    order.products = await prisma.product.findMany({ where: { id: { in: ids } } });
  }
  return orders;
}`,
          errors: [{ messageId: 'perItemList', line: 7, column: 28 }],
        },
        {
          code: `import { prisma } from './db';

// A negated list excludes keys: the read still runs once per user.
export async function visiblePosts(users: User[], hidden: string[]) {
  for (const user of users) {
    user.posts = await prisma.post.findMany({ where: { authorId: user.id, id: { not: { in: hidden } } } });
  }
}`,
          errors: [{ messageId: 'perItem', line: 6, column: 24 }],
        },
        {
          code: `import Database from 'better-sqlite3';

const db = new Database('app.db');
const insert = db.prepare('INSERT INTO events (kind, at) VALUES (?, ?)');

// One implicit transaction (and fsync) per row.
export function record(events: Event[]) {
  for (const event of events) insert.run(event.kind, event.at);
}`,
          errors: [{ messageId: 'perItemSync', line: 8, column: 31 }],
        },
        {
          code: `import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
import { users } from './schema';

const db = drizzle(process.env.DATABASE_URL!);

export async function bylines(posts: Post[]) {
  const lines = [];
  for (const post of posts) {
    const author = await db.query.users.findFirst({ where: eq(users.id, post.authorId) });
    lines.push(\`\${post.title} by \${author?.name ?? 'unknown'}\`);
  }
  return lines;
}`,
          errors: [{ messageId: 'perItem', line: 10, column: 26 }],
        },
        {
          code: `import { MikroORM } from '@mikro-orm/postgresql';
import { User } from './entities';

const orm = await MikroORM.init();

export async function bylines(posts: Post[]) {
  const em = orm.em.fork();
  const lines = [];
  for (const post of posts) {
    const author = await em.findOne(User, { id: post.authorId });
    lines.push(\`\${post.title} by \${author?.name ?? 'unknown'}\`);
  }
  return lines;
}`,
          errors: [{ messageId: 'perItem', line: 10, column: 26 }],
        },
        {
          code: `import { prisma } from './db';

export async function enrich(orders: Order[]) {
  for (const order of orders) {
    const [customer, product] = await Promise.all([
      prisma.customer.findUnique({ where: { id: order.customerId } }),
      prisma.product.findUnique({ where: { id: order.productId } }),
    ]);
    order.label = \`\${customer?.name}: \${product?.title}\`;
  }
}`,
          errors: [
            { messageId: 'perItem', line: 6, column: 7 },
            { messageId: 'perItem', line: 7, column: 7 },
          ],
        },
      ],
      valid: [
        `import { prisma } from './db';

// Pagination: each page starts where the previous one ended.
export async function exportAll() {
  let cursor: string | undefined;
  do {
    const page = await prisma.user.findMany({ take: 500, ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}) });
    await write(page);
    cursor = page.at(-1)?.id;
  } while (cursor);
}`,
        `import knex from 'knex';

const db = knex({ client: 'pg' });

export async function scan() {
  let offset = 0;
  while (true) {
    const rows = await db('logs').select('*').offset(offset).limit(1000);
    if (rows.length === 0) break;
    await ship(rows);
    offset += rows.length;
  }
}`,
        `import { prisma } from './db';

// Retry with back-off: the same query, not one per item.
export async function loadWithRetry(id: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await prisma.job.findUniqueOrThrow({ where: { id } });
    } catch (error) {
      await sleep(2 ** attempt * 100);
    }
  }
}`,
        `import { prisma } from './db';

// Stops at the first match: a search, not a walk over every item.
export async function firstFreeSlug(candidates: string[]) {
  for (const slug of candidates) {
    const taken = await prisma.page.findUnique({ where: { slug } });
    if (!taken) return slug;
  }
  return undefined;
}`,
        `import { prisma } from './db';

// Each folder needs the id of the one made before it: the passes depend on each other.
export async function createPath(names: string[]) {
  await prisma.$transaction(async (tx) => {
    let parentId: string | null = null;
    for (const name of names) {
      const folder = await tx.folder.create({ data: { name, parentId } });
      parentId = folder.id;
    }
  });
}`,
        `import { drizzle } from 'drizzle-orm/node-postgres';
import { ledger } from './schema';

const db = drizzle(process.env.DATABASE_URL!);

// A running balance: each row carries the total the passes before it left.
export async function post(entries: Entry[], opening: number) {
  await db.transaction(async (tx) => {
    let balance = opening;
    for (const entry of entries) {
      balance += entry.amount;
      await tx.insert(ledger).values({ entryId: entry.id, balance });
    }
  });
}`,
        `import { EntityManager } from '@mikro-orm/postgresql';
import { User } from './entities';

// MikroORM's unit of work: persist() only marks each new user; the one flush() writes them together.
export async function importUsers(em: EntityManager, rows: NewUser[]) {
  for (const row of rows) em.persist(em.create(User, row));
  await em.flush();
}`,
        `import { prisma } from './db';
import { chunk } from 'lodash';

// Batching already happened: one query per 100 ids.
export async function loadMany(ids: string[]) {
  const users = [];
  for (const part of chunk(ids, 100)) {
    users.push(...(await prisma.user.findMany({ where: { id: { in: part } } })));
  }
  return users;
}`,
        `import { prisma } from './db';

// One IN list for all orders, made before the loop: one query.
export async function withProducts(orders: Order[]) {
  const ids = orders.flatMap((order) => order.lines.map((line) => line.productId));
  const products = new Map((await prisma.product.findMany({ where: { id: { in: ids } } })).map((p) => [p.id, p]));
  for (const order of orders) order.products = order.lines.map((line) => products.get(line.productId));
  return orders;
}`,
        `import DataLoader from 'dataloader';

// DataLoader batches the loads of one tick into one query: that is the fix, not the problem.
export async function authors(posts: Post[], loader: DataLoader<string, User>) {
  return Promise.all(posts.map((post) => loader.load(post.authorId)));
}`,
        `import { prisma } from './db';

// Prisma batches the findUnique calls started in the same tick into one query.
export function authors(posts: Post[]) {
  return Promise.all(posts.map((post) => prisma.user.findUnique({ where: { id: post.authorId } })));
}`,
        `import { prisma } from './db';

const cache = new Map<string, User | null>();

async function user(id: string) {
  if (cache.has(id)) return cache.get(id);
  const row = await prisma.user.findFirst({ where: { id } });
  cache.set(id, row);
  return row;
}

// The helper queries only on a cache miss.
export async function names(ids: string[]) {
  const out = [];
  for (const id of ids) out.push((await user(id))?.name);
  return out;
}`,
        `// A user's own find on an array is not a query.
export function labels(orders: Order[], customers: Customer[]) {
  return orders.map((order) => customers.find((c) => c.id === order.customerId)?.name);
}`,
        `import pLimit from 'p-limit';
import { prisma } from './db';

// Handed to a limiter: bounded concurrency was chosen deliberately.
const limit = pLimit(5);
export async function refresh(ids: string[]) {
  await Promise.all(ids.map((id) => limit(() => prisma.feed.update({ where: { id }, data: { stale: true } }))));
}`,
        `import Redis from 'ioredis';

const redis = new Redis();

// Polling until a job finishes.
export async function waitFor(jobId: string) {
  while ((await redis.get(\`job:\${jobId}\`)) !== 'done') {
    await sleep(500);
  }
}`,
        {
          code: `import { prisma } from '../src/db';

beforeEach(async () => {
  for (const name of ['ada', 'grace', 'alan']) await prisma.user.create({ data: { name } });
});`,
          filename: 'test/users.test.ts',
        },
        `import { prisma } from './db';

// Throttled on purpose: one write a second against a rate-limited upstream.
export async function replay(events: Event[]) {
  for (const event of events) {
    await prisma.outbox.create({ data: event });
    await sleep(1000);
  }
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const visit = (call: ClientCallNode): void => {
      const client = clientCall(call, file);
      if (!client) {
        if (ts.isCallExpression(call)) visitOther(call);
        return;
      }
      if (client.kind === 'http') return;
      if (client.statement && SQL_CONTROL.test(client.statement)) return;
      const perItem = perItemCall(call, client, file);
      if (!perItem) return;
      if (perItem.invariant && client.kind === 'query') {
        context.report({
          node: call,
          messageId: 'invariant',
          data: { operation: client.operation, item: perItem.item },
          evidence: { iteration: perItem.iteration },
        });
        return;
      }
      // A client that batches the calls started in one tick itself (Prisma's findUnique) sends one query.
      if (perItem.concurrent && isBatchedInOneTick(client) && startsInOneTick(call, perItem)) return;
      if (client.synchronous) {
        context.report({
          node: call,
          messageId: 'perItemSync',
          data: { operation: client.operation, item: perItem.item, advice: advice(client), prepare: preparesPerItem(call, perItem) },
          evidence: { iteration: perItem.iteration, call },
        });
        return;
      }
      const fix = prefetchFix(call, client, perItem, file);
      const { transaction, list } = perItem;
      context.report({
        node: call,
        messageId: transaction ? 'perItemInTransaction' : list ? 'perItemList' : perItem.concurrent ? 'perItemConcurrent' : 'perItem',
        data: {
          operation: client.operation,
          item: perItem.item,
          advice: list ? listAdvice(perItem.item) : advice(client, transaction),
          ...(transaction ? { transaction } : {}),
          ...(list ? { list: compact(file.textOf(list), 40) } : {}),
        },
        fixes: fix ? [fix] : [],
        evidence: { iteration: perItem.iteration, call },
      });
    };
    /** A relation loaded per row, or a project function that queries, called per item. */
    const visitOther = (call: ts.CallExpression): void => {
      const relation = relationCall(call, file);
      if (relation) {
        reportRelation(relation);
        return;
      }
      const helper = perItemHelperCall(call, file);
      if (!helper || helper.summary.kind === 'http') return;
      const { summary, perItem, callee } = helper;
      const operation = summary.first.operation;
      const where = summary.via.length > 0 ? `, through ${summary.via.join(' → ')}` : '';
      const callText = `${compact(file.textOf(call.expression), 40)}(…)`;
      if (helper.recursive) {
        context.report({
          node: call,
          messageId: 'recursive',
          data: { call: callText, fn: callee.name, item: perItem.item, operation: `${operation}${where}` },
          evidence: { iteration: perItem.iteration, call },
        });
        return;
      }
      if (perItem.invariant && summary.kind === 'query') {
        context.report({
          node: call,
          messageId: 'invariant',
          data: { operation: callText, item: perItem.item },
          evidence: { iteration: perItem.iteration },
        });
        return;
      }
      const { transaction } = perItem;
      context.report({
        node: call,
        messageId: transaction ? 'helperInTransaction' : perItem.concurrent ? 'helperConcurrent' : 'helper',
        data: {
          call: callText,
          item: perItem.item,
          operation: `${operation}${where}`,
          advice: helperAdvice(summary, callee.name, transaction),
          ...(transaction ? { transaction } : {}),
        },
        evidence: { iteration: perItem.iteration, call, notBatchable: helperDdl(summary.first, callee.name) },
      });
    };
    const reportRelation = (relation: RelationLoad): void => {
      const perItem = perItemCall(relation.node, { kind: 'query' }, file);
      if (!perItem) return;
      context.report({
        node: relation.node,
        messageId: 'relation',
        data: { operation: relation.operation, relation: relation.relation, item: perItem.item, batched: relation.batched },
        evidence: { iteration: perItem.iteration, call: relation.node },
      });
    };
    return {
      CallExpression: visit,
      TaggedTemplateExpression: visit,
      AwaitExpression(awaited) {
        const relation = lazyRelation(awaited, file);
        if (relation) reportRelation(relation);
      },
    };
  },
});

/** True when nothing is awaited in the iteration before the call starts: every item's call starts in the same tick. */
function startsInOneTick(call: ts.Node, perItem: PerItemCall): boolean {
  const region = perItem.iteration.node;
  // A loop starts its next pass after the whole body ran: any await in it splits the calls over ticks.
  const limit = perItem.iteration.kind === 'callback' ? call.pos : region.end;
  let awaited = false;
  const visit = (node: ts.Node): void => {
    if (awaited || node.pos >= limit) return;
    if (
      node !== region &&
      (ts.isFunctionDeclaration(node) || ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && !isInside(call, node)))
    )
      return;
    // The await of the call itself (`const pm = await prisma.x.findUnique(…)`) suspends only after the call started:
    // the calls of all items still start in one tick (issue 12's round 9: invoicerr's lookups, which Prisma batches).
    const ownAwait = ts.isAwaitExpression(node) && isInside(call, node);
    if (!ownAwait && (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier))) {
      awaited = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(region);
  return !awaited;
}

/** `' and prepares its statement on every pass'` when `db.prepare(…)` is inside the loop too. */
function preparesPerItem(call: ClientCallNode, perItem: PerItemCall): string {
  let current: ts.Expression = ts.isCallExpression(call) ? call.expression : call.tag;
  while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current)) {
    if (ts.isCallExpression(current) && /^(prepare|query)$/.test(calleeName(current) ?? '') && isInside(current, perItem.iteration.node))
      return ' and compiles its statement again on every pass (prepare it once, outside the loop)';
    current = current.expression;
  }
  return '';
}

/**
 * Where rows cannot be batched: bounded concurrency outside a transaction; inside one (whose
 * connection runs one query at a time, so concurrency gains nothing) a transaction kept short.
 */
function unbatchable(transaction: string | undefined): string {
  return transaction
    ? 'keep only these writes inside the transaction and do any other work before it opens'
    : 'cap concurrency with p-limit';
}

/** What to do instead of calling a querying function per item. */
function helperAdvice(summary: IoSummary, fn: string, transaction: string | undefined): string {
  const first = summary.first;
  if (summary.kind === 'write') {
    const how = first.batched && first.kind === 'write' ? `one ${first.batched}` : 'one multi-row statement (or a set-based update)';
    return `give ${fn} a batch form that writes them all with ${how}, or where rows cannot be batched, ${unbatchable(transaction)}`;
  }
  const how = first.batched ? `one ${first.batched}` : 'one query (an IN list or a join)';
  return `give ${fn} a batch form that takes all the keys and runs ${how}, then look results up in a Map (or put a DataLoader behind it)`;
}

/** `customers` for `customer`, `users` for `User`, `users` for the table `users`. */
function pluralModel(model: string): string {
  const lower = model.charAt(0).toLowerCase() + model.slice(1);
  return singular(lower) ? lower : plural(lower);
}

/** What to do instead of a batched call whose list is made per item: one list for all items, one call. */
function listAdvice(item: string): string {
  return `collect the keys of every ${item} into one list, run this query once with it before the loop, and look each ${item}'s rows up in a Map by key`;
}

/** What to do instead, with the library's batched form. */
function advice(client: ClientCall, transaction?: string): string {
  const batched = client.batched;
  if (client.kind === 'write') {
    const how = batched ? `one ${batched}` : 'one multi-row statement';
    // Inside a transaction the writes already succeed or fail together: batching changes no outcome.
    const whole = transaction ? 'the transaction is all-or-nothing either way' : 'a batch succeeds or fails as a whole';
    return `write them all with ${how} — ${whole}; where rows cannot be batched (per-row hooks, nested creates), ${unbatchable(transaction)}${transaction ? '' : ' instead'}`;
  }
  const what = client.model ? `all ${pluralModel(client.model)}` : 'them all';
  return batched ? `fetch ${what} with one ${batched}` : `fetch ${what} with one query (an IN list or a join)`;
}

/**
 * Suggestion for the commonest shape — a lookup of one row by one key that the library knows how
 * to batch (its descriptor's `batching.lookup`: Prisma `findUnique`, TypeORM `findOneBy`/`findOne`,
 * Mongoose `findById`/`findOne`, Sequelize `findOne`…) awaited as the first statement of a
 * `for…of` over a plain collection: fetch every row with the library's batched read before the
 * loop and look each up in a Map. A preview, not a safe fix: the rows are read once up front (a
 * loop that writes them would see the old values), a key several rows share may find a different
 * one of them, and a missing key gives what the per-item call gave (`null`, or `undefined`).
 */
function prefetchFix(call: ClientCallNode, client: ClientCall, perItem: PerItemCall, file: FileFacts): FixSpec | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const loop = perItem.iteration.node;
  if (!ts.isForOfStatement(loop) || loop.awaitModifier || perItem.concurrent) return undefined;
  const declarations = loop.initializer;
  if (
    !ts.isVariableDeclarationList(declarations) ||
    declarations.declarations.length !== 1 ||
    !ts.isIdentifier(declarations.declarations[0].name)
  )
    return undefined;
  const itemName = declarations.declarations[0].name.text;
  const collection = skipParens(loop.expression);
  if (!isPlainReference(collection)) return undefined;
  // The query is awaited as the initializer of the loop body's first statement.
  const awaited = call.parent;
  if (!awaited || !ts.isAwaitExpression(awaited)) return undefined;
  const declaration = awaited.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== awaited) return undefined;
  const statement = declaration.parent?.parent;
  const body = loop.statement;
  if (!statement || !ts.isBlock(body) || body.statements[0] !== statement) return undefined;
  // One row by one key, and nothing else.
  const lookup = batchedLookup(call, client, file);
  if (!lookup) return undefined;
  const { key, keyExpression } = lookup;
  // The key may depend on the item only (names from outside the loop are fine, names made inside it are not).
  const madeInside = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) madeInside.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(body);
  const used = referencedNames(keyExpression);
  if (!used.has(itemName) || [...used].some((name) => madeInside.has(name))) return undefined;
  const receiver = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(receiver)) return undefined;
  // What the batched read reuses besides the key (the receiver, Drizzle's table) must be the same on every pass.
  const reusedNames = [receiver.expression, ...(lookup.reused ?? [])].flatMap((node) => [...referencedNames(node)]);
  if (reusedNames.some((name) => madeInside.has(name) || name === itemName)) return undefined;

  const text = file.text;
  const isJs = /\.(c|m)?jsx?$/.test(file.fileName);
  const model = client.model ?? /^(.+?)Repo(sitory)?$/i.exec(lastName(receiver.expression))?.[1];
  const models = model ? pluralModel(model) : 'rows';
  const keyWord = key.replace(/^_+/, '');
  const mapName = uniqueName(file.sourceFile, `${models}By${keyWord.charAt(0).toUpperCase()}${keyWord.slice(1)}`);
  // The row parameter lives in its own arrow scope: it only must not hide a name the fetch itself uses.
  const fetchNames = new Set([...reusedNames, ...referencedNames(collection), itemName]);
  const preferred = singular(models) ?? 'row';
  const rowName = fetchNames.has(preferred) ? uniqueName(file.sourceFile, preferred) : preferred;
  const delegate = file.textOf(receiver.expression);
  const keyText = file.textOf(keyExpression);
  const keyIsItem = ts.isIdentifier(skipParens(keyExpression)) && (skipParens(keyExpression) as ts.Identifier).text === itemName;
  const keysText = keyIsItem ? file.textOf(collection) : `${file.textOf(collection)}.map((${itemName}) => ${keyText})`;
  const entry = `[${lookup.rowKey(rowName)}, ${rowName}]${isJs ? '' : ' as const'}`;
  const indent = indentationAt(text, file.start(loop));
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const fetch = `(await ${lookup.fetchAll(delegate, keysText)}).map((${rowName}) => ${entry})`;
  const oneLine = `const ${mapName} = new Map(${fetch});`;
  const declarationText =
    indent.length + oneLine.length <= 110 ? oneLine : `const ${mapName} = new Map(${newline}${indent}  ${fetch},${newline}${indent});`;
  return {
    title: `Fetch all ${models} with one ${lookup.batchedMethod} before the loop and look them up in a Map (preview: reads them once, up front)`,
    kind: 'suggestion',
    edits: [
      ...lookup.edits,
      { start: file.start(loop), end: file.start(loop), newText: `${declarationText}${newline}${indent}` },
      {
        start: file.start(awaited),
        end: awaited.end,
        newText: `${mapName}.get(${lookup.lookupKey(keyText)})${lookup.missing === 'null' ? ' ?? null' : ''}`,
      },
    ],
  };
}

/** `userRepository` for `this.userRepository`, `db.userRepository`, `userRepository`. */
function lastName(expression: ts.Expression): string {
  const inner = skipParens(expression);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  return '';
}

/** `orders`, `this.orders`, `cart.items`: re-reading it before the loop has no side effect. */
function isPlainReference(expression: ts.Expression): boolean {
  const inner = skipParens(expression);
  if (ts.isIdentifier(inner) || inner.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(inner)) return isPlainReference(inner.expression);
  return false;
}
