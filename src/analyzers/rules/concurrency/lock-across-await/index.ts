import { referencedNames } from '../../../facts/ast';
import type { FileFacts } from '../../../facts/fileFacts';
import { defineRule, type RuleContext } from '../../../rule';
import { analyzeSection, remoteCallOfWait, sectionWaits } from './guarded';
import { lockKnowledge } from './locks';
import { criticalSectionOf, type CriticalSection } from './sections';

export default defineRule({
  meta: {
    id: 'lock-across-await',
    category: 'concurrency',
    description:
      'A lock or transaction held across an await of unrelated network or database I/O, or acquired without a release ' +
      '(rollback) in `finally`/`catch`.',
    why:
      'While one caller holds a mutex, every other caller queues behind it. Holding it for a memory update costs microseconds; ' +
      'holding it across an HTTP call, an e-mail send or a query that has nothing to do with the guarded state costs a network ' +
      'round trip (20–500 ms) for every queued caller, so a lock meant to protect a counter caps the whole service at a few ' +
      'requests a second. A database transaction is the same lock in the database: an e-mail or upload awaited inside ' +
      '`prisma.$transaction` keeps the connection and the row locks it took for the length of the call. And an `acquire()` ' +
      'whose release is skipped by a throw is never released: every later caller waits forever.',
    howToFix:
      'Do the I/O before taking the lock (or after releasing it) and keep only the shared-state update inside; send ' +
      'mail and call other services after the transaction commits. Release in `finally` (`try { … } finally { ' +
      'release(); }`) or use the callback form (`mutex.runExclusive`, `redlock.using`), which releases on a throw.',
    notReported: [
      'Awaited I/O that is what the lock guards: a refresh whose result becomes the shared state',
      "A query or write on the lock's key",
      'A file written under a file lock',
      'A lock that only serialises its own I/O',
    ],
    impact: 'high',
    effort: 'medium',
    evidence: {
      basis: 'claim',
      why: "every other caller waits for the lock: the rule's claim does not depend on the size of data",
    },
    fix: 'none',
    rewrites: {
      except: {
        'await-then':
          'not yet: a lock or transaction whose section is written `await mutex.acquire().then(async (release) => { … })` (the rest of the block as the callback) is not recognised; only the awaited form is (invalid examples 0, 4, 6, 7, 9)',
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 11 is not reported",
      },
    },
    messages: {
      ioUnderLock: {
        message: '{{call}} holds {{lock}} across a network round trip: {{waiters}} waits for it.',
        note: 'Do the I/O before taking the lock (or after releasing it), and keep only the shared-state update inside.',
      },
      releaseNotInFinally: {
        message: '{{lock}} is acquired here but {{release}} is not in a finally block: {{consequence}}',
        note: 'Release it in try { … } finally { {{release}}; }{{alternative}}.',
      },
      transactionNotClosed: {
        message:
          '{{transaction}} opens a transaction that only {{commit}} closes: if a statement before it throws, the ' +
          'transaction stays open — its connection never goes back to the pool and its row locks stay held until the ' +
          'server times it out.',
        note:
          'Roll back in catch (try { …; await {{commit}}; } catch (error) { await {{rollback}}; throw error; }) or use the ' +
          'callback form, which does it for you.',
      },
      ioInTransaction: {
        message:
          '{{call}} runs inside {{transaction}}: the transaction keeps its connection and every row lock it took across a ' +
          'network round trip, so other writers to those rows wait.',
        note: 'Make the call before the transaction starts or after it commits.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { Mutex } from 'async-mutex';

const inventoryMutex = new Mutex();
const inventory = new Map<string, number>();

export async function reserve(sku: string, quantity: number) {
  const release = await inventoryMutex.acquire();
  try {
    const stock = inventory.get(sku) ?? 0;
    if (stock < quantity) throw new Error('out of stock');
    inventory.set(sku, stock - quantity);
    await fetch('https://analytics.example.com/events', {
      method: 'POST',
      body: JSON.stringify({ type: 'reserved', sku, quantity }),
    });
  } finally {
    release();
  }
}`,
          errors: [{ messageId: 'ioUnderLock', line: 12, column: 5 }],
        },
        {
          code: `import { Mutex } from 'async-mutex';
import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });

export class Seats {
  private readonly mutex = new Mutex();
  private taken = new Set<string>();

  book(seat: string, email: string) {
    return this.mutex.runExclusive(async () => {
      if (this.taken.has(seat)) return false;
      this.taken.add(seat);
      await transporter.sendMail({ to: email, subject: \`Seat \${seat} is yours\` });
      return true;
    });
  }
}`,
          errors: [{ messageId: 'ioUnderLock', line: 14, column: 7 }],
        },
        {
          code: `import { PrismaClient } from '@prisma/client';
import { Mutex } from 'async-mutex';

const prisma = new PrismaClient();

export class SessionStore {
  private readonly mutex = new Mutex();
  private readonly sessions = new Map<string, string>();

  async login(sessionId: string, userId: string) {
    await this.mutex.runExclusive(async () => {
      this.sessions.set(sessionId, userId);
      await prisma.auditLog.create({ data: { action: 'login', userId } });
    });
  }
}`,
          errors: [{ messageId: 'ioUnderLock', line: 13, column: 7 }],
        },
        {
          code: `import AsyncLock from 'async-lock';
import nodemailer from 'nodemailer';

const lock = new AsyncLock();
const mailer = nodemailer.createTransport(process.env.SMTP_URL);
const wallets = new Map<string, { balance: number; email: string }>();

export async function pay(userId: string, amount: number) {
  await lock.acquire(\`wallet:\${userId}\`, async () => {
    const wallet = wallets.get(userId)!;
    wallet.balance -= amount;
    await mailer.sendMail({ to: wallet.email, subject: 'Payment sent' });
  });
}`,
          errors: [{ messageId: 'ioUnderLock', line: 12, column: 5 }],
        },
        {
          code: `import Redlock from 'redlock';

const redlock = new Redlock([redis]);
const processing = new Set<string>();

export async function fulfil(orderId: string) {
  const lock = await redlock.acquire([\`order:\${orderId}\`], 10_000);
  try {
    processing.add(orderId);
    await fetch(process.env.SLACK_WEBHOOK!, { method: 'POST', body: JSON.stringify({ text: 'Order shipped' }) });
    processing.delete(orderId);
  } finally {
    await lock.release();
  }
}`,
          errors: [{ messageId: 'ioUnderLock', line: 10, column: 5 }],
        },
        {
          code: `import pLimit from 'p-limit';

// Concurrency 1: used as a lock around the shared list.
const exclusive = pLimit(1);
const recent: string[] = [];

export function remember(url: string) {
  return exclusive(async () => {
    recent.push(url);
    if (recent.length > 100) recent.shift();
    await fetch('https://audit.example.com/log', { method: 'POST', body: url });
  });
}`,
          errors: [{ messageId: 'ioUnderLock', line: 11, column: 5 }],
        },
        {
          code: `import { Mutex } from 'async-mutex';

const mutex = new Mutex();
let config: Record<string, string> = {};

export async function reload(load: () => Record<string, string>) {
  const release = await mutex.acquire();
  config = load(); // a throw here leaves the mutex locked forever
  release();
}`,
          errors: [{ messageId: 'releaseNotInFinally', line: 7, column: 25 }],
        },
        {
          code: `import Redlock from 'redlock';

const redlock = new Redlock([redis]);

export async function rebuildIndex(rebuild: () => Promise<void>) {
  const lock = await redlock.acquire(['search-index'], 60_000);
  await rebuild();
  await lock.release();
}`,
          errors: [{ messageId: 'releaseNotInFinally', line: 6, column: 22 }],
        },
        {
          code: `import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });

export async function register(prisma, email: string) {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email } });
    await transporter.sendMail({ to: email, subject: 'Welcome!' });
    return user;
  });
}`,
          errors: [{ messageId: 'ioInTransaction', line: 8, column: 5 }],
        },
        {
          code: `import axios from 'axios';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function markPaid(orderId: string) {
  await prisma.$transaction(async (tx) => {
    const order = await tx.order.update({ where: { id: orderId }, data: { status: 'paid' } });
    await axios.post('https://erp.example.com/orders', order);
  });
}`,
          errors: [{ messageId: 'ioInTransaction', line: 9, column: 5 }],
        },
        {
          code: `export async function createOrder(sequelize, Order, Line, cart) {
  const t = await sequelize.transaction();
  const order = await Order.create({ userId: cart.userId }, { transaction: t });
  await Line.bulkCreate(cart.lines.map((l) => ({ ...l, orderId: order.id })), { transaction: t });
  await t.commit();
  return order;
}`,
          errors: [{ messageId: 'transactionNotClosed', line: 2, column: 19 }],
        },
        {
          code: `import axios from 'axios';

export async function settle(dataSource, invoiceId: string) {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  await queryRunner.startTransaction();
  try {
    await queryRunner.manager.update('invoice', { id: invoiceId }, { status: 'settled' });
    await axios.post('https://ledger.example.com/settlements', { invoiceId });
    await queryRunner.commitTransaction();
  } catch (error) {
    await queryRunner.rollbackTransaction();
    throw error;
  } finally {
    await queryRunner.release();
  }
}`,
          errors: [{ messageId: 'ioInTransaction', line: 9, column: 5 }],
        },
        {
          code: `export async function importProduct(sequelize, Product, row) {
  await sequelize.transaction(async (t) => {
    const product = await Product.create({ name: row.name }, { transaction: t });
    const image = await fetch(row.imageUrl);
    await product.update({ image: Buffer.from(await image.arrayBuffer()) }, { transaction: t });
  });
}`,
          errors: [{ messageId: 'ioInTransaction', line: 4, column: 19 }],
        },
      ],
      valid: [
        `// A browser IndexedDB transaction (idb): the browser commits it when its requests are done and aborts it when one
// fails — no connection, no pool, nothing left open to roll back.
import type { IDBPDatabase } from 'idb';
export async function savePending(localDb: IDBPDatabase, items: Array<{ id: string }>) {
  const tx = localDb.transaction('pendingItems', 'readwrite');
  for (const item of items) await tx.store.put(item);
  tx.commit();
  await tx.done;
}`,
        `import { Mutex } from 'async-mutex';

const mutex = new Mutex();
let counter = 0;
const queue: string[] = [];

// The critical section only touches memory.
export async function enqueue(job: string) {
  await mutex.runExclusive(async () => {
    counter++;
    queue.push(job);
  });
}`,
        `import { Mutex } from 'async-mutex';

const refreshMutex = new Mutex();
let token: { value: string; expiresAt: number } | undefined;

// Single flight: the network call produces the state the lock guards, so concurrent callers must wait for it.
export function accessToken() {
  return refreshMutex.runExclusive(async () => {
    if (token && token.expiresAt > Date.now()) return token.value;
    const response = await fetch('https://auth.example.com/token', { method: 'POST' });
    token = await response.json();
    return token!.value;
  });
}`,
        `import { Mutex } from 'async-mutex';

const mutex = new Mutex();
let rates: Record<string, number> = {};

// The I/O happens before the lock; only the update is inside.
export async function refreshRates() {
  const response = await fetch('https://rates.example.com/latest');
  const next = await response.json();
  await mutex.runExclusive(() => {
    rates = next;
  });
}`,
        `import AsyncLock from 'async-lock';
import { promises as fs } from 'node:fs';

const lock = new AsyncLock();

// A file lock around the file it guards: the awaited work is the resource itself.
export async function appendLine(file: string, line: string) {
  await lock.acquire(file, async () => {
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text + line + '\\n');
  });
}`,
        `import { Semaphore } from 'async-mutex';

// Five at a time is a concurrency limit, not a lock: the I/O is what it limits.
const downloads = new Semaphore(5);
const done: string[] = [];

export function download(url: string) {
  return downloads.runExclusive(async () => {
    const response = await fetch(url);
    done.push(url);
    return response.arrayBuffer();
  });
}`,
        `import { Mutex } from 'async-mutex';

const mutex = new Mutex();

// Nothing shared is written: the lock deliberately serialises calls to an API that allows one at a time.
export function submit(payload: unknown) {
  return mutex.runExclusive(() => fetch('https://legacy.example.com/submit', { method: 'POST', body: JSON.stringify(payload) }));
}`,
        `import { Mutex } from 'async-mutex';

const mutex = new Mutex();
const seen = new Set<string>();

export async function once(id: string, run: () => Promise<void>) {
  const release = await mutex.acquire();
  try {
    if (seen.has(id)) return;
    seen.add(id);
    await run();
  } finally {
    release();
  }
}`,
        `import { Mutex } from 'async-mutex';

const mutex = new Mutex();
let pending: string[] = [];

// The request publishes the guarded state itself: it must stay in order with the writes.
export async function flush() {
  await mutex.runExclusive(async () => {
    if (pending.length === 0) return;
    await fetch('https://ingest.example.com/batch', { method: 'POST', body: JSON.stringify(pending) });
    pending = [];
  });
}`,
        `import { PrismaClient } from '@prisma/client';
import AsyncLock from 'async-lock';

const prisma = new PrismaClient();
const lock = new AsyncLock();

// A read-modify-write of the row the key names: the queries are what the lock guards.
export async function addPoints(userId: string, points: number) {
  await lock.acquire(\`points:\${userId}\`, async () => {
    const account = await prisma.loyalty.findUnique({ where: { userId } });
    await prisma.loyalty.update({ where: { userId }, data: { points: (account?.points ?? 0) + points } });
  });
}`,
        `export async function transfer(prisma, from: string, to: string, amount: number) {
  // Ordered writes through the transaction handle belong inside it.
  const receipt = await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: amount } } });
    return tx.account.update({ where: { id: to }, data: { balance: { increment: amount } } });
  });
  await fetch('https://hooks.example.com/transfer', { method: 'POST', body: JSON.stringify(receipt) });
}`,
        `import { Mutex } from 'async-mutex';

// A wrapper that takes the lock in one method and releases it in another.
export class Gate {
  private readonly mutex = new Mutex();
  async enter() {
    await this.mutex.acquire();
  }
  leave() {
    this.mutex.release();
  }
}`,
        `export async function createOrder(sequelize, Order, cart) {
  // Rolled back on any error: the connection goes back to the pool either way.
  const t = await sequelize.transaction();
  try {
    const order = await Order.create({ userId: cart.userId }, { transaction: t });
    await t.commit();
    return order;
  } catch (error) {
    await t.rollback();
    throw error;
  }
}`,
        `import { Pool } from 'pg';

const pool = new Pool();

export async function move(from: string, to: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE items SET box = $1 WHERE box = $2', [to, from]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}`,
        `export async function begin(knex) {
  // Handed to the caller, who commits or rolls back.
  const trx = await knex.transaction();
  return trx;
}`,
        `// Not a lock: a connection pool's acquire, and a user's own lock-like object.
export async function query(pool, sql: string) {
  const connection = await pool.acquire();
  const rows = await connection.query(sql);
  pool.release(connection);
  await fetch('https://metrics.example.com', { method: 'POST', body: String(rows.length) });
  return rows;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const section = criticalSectionOf(call, file);
        if (!section) return;
        if (section.kind === 'transaction') {
          checkTransactionClosed(section, context);
          checkTransaction(section, context, file);
          return;
        }
        checkRelease(section, context);
        checkIo(section, context, file);
      },
    };
  },
});

function checkRelease(section: CriticalSection, context: RuleContext): void {
  const release = section.release;
  if (!release || (release.kind !== 'unprotected' && release.kind !== 'missing')) return;
  const lock = section.lock!;
  const knowledge = lockKnowledge(lock);
  const waiters = knowledge.expires ? 'every later caller waits until its TTL runs out.' : 'every later caller waits forever.';
  const consequence =
    release.kind === 'unprotected'
      ? `if anything before it throws, the lock is never released and ${waiters}`
      : `it is never released here, so ${waiters}`;
  const alternative = knowledge.saferForm?.(lock.text) ?? '';
  context.report({
    node: section.call,
    messageId: 'releaseNotInFinally',
    data: { lock: lock.text, release: release.text, consequence, alternative },
  });
}

function checkIo(section: CriticalSection, context: RuleContext, file: FileFacts): void {
  if (!section.exclusive) return;
  const analysis = analyzeSection(section, file);
  if (!analysis.guards) return;
  const first = analysis.waits.find((wait) => !wait.related);
  if (!first) return;
  context.report({
    node: first.wait,
    messageId: 'ioUnderLock',
    data: {
      call: first.remote.operation,
      lock: section.display,
      waiters: section.keyNames.size > 0 ? 'every other caller for the same key' : 'every other caller',
    },
  });
}

/** An unmanaged transaction whose rollback a throw skips: its connection stays checked out, holding its locks. */
function checkTransactionClosed(section: CriticalSection, context: RuleContext): void {
  const opened = section.opened;
  if (!opened || section.release?.kind !== 'unprotected') return;
  context.report({
    node: section.call,
    messageId: 'transactionNotClosed',
    data: { transaction: opened.display, commit: opened.commit, rollback: opened.rollback },
  });
}

/** A network call awaited inside a transaction callback, not given the transaction handle. */
function checkTransaction(section: CriticalSection, context: RuleContext, file: FileFacts): void {
  for (const wait of sectionWaits(section)) {
    const remote = remoteCallOfWait(wait, file);
    if (!remote || remote.kind !== 'http') continue;
    const usesHandle = remote.call.arguments.some((argument) =>
      [...referencedNames(argument)].some((name) => section.handleNames.has(name)),
    );
    if (usesHandle) continue;
    context.report({ node: wait, messageId: 'ioInTransaction', data: { call: remote.operation, transaction: section.display } });
    return;
  }
}
