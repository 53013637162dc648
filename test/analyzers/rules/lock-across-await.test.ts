import { ts } from '../../../src/analyzers/ts';
import { describe, expect, it } from 'vitest';
import { FileFacts } from '../../../src/analyzers/facts/fileFacts';
import { lockInstance } from '../../../src/analyzers/rules/concurrency/lock-across-await/locks';
import { criticalSectionOf } from '../../../src/analyzers/rules/concurrency/lock-across-await/sections';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'lock-across-await';
const tester = ruleTester(rule);

function messages(code: string, filename?: string): string[] {
  return findings(code, { rule, filename }).map(shownText);
}

function factsFor(code: string, fileName = '/virtual/a.ts'): FileFacts {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return new FileFacts(fileName, code, sourceFile);
}

function callsIn(facts: FileFacts, name: string): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && facts.textOf(node.expression).endsWith(name)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(facts.sourceFile);
  return calls;
}

/** The last expression spelled `text` in the file: the use, not the declaration. */
function lastExpression(facts: FileFacts, text: string): ts.Expression {
  let last: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isExpression(node) && facts.textOf(node) === text) last = node;
    ts.forEachChild(node, visit);
  };
  visit(facts.sourceFile);
  if (!last) throw new Error(`no ${text} in the example`);
  return last;
}

describe('lock-across-await/locks: lockInstance', () => {
  it.each([
    ['module-level new Mutex()', `import { Mutex } from 'async-mutex';\nconst m = new Mutex();\nm.runExclusive;`, 'm', 'Mutex', 1],
    [
      'require + withTimeout',
      `const { Mutex, withTimeout } = require('async-mutex');\nconst m = withTimeout(new Mutex(), 500);\nm.runExclusive;`,
      'm',
      'Mutex',
      1,
    ],
    ['namespace import', `import * as am from 'async-mutex';\nconst m = new am.Semaphore(3);\nm.runExclusive;`, 'm', 'Semaphore', 3],
    ['a local', `import { Mutex } from 'async-mutex';\nfunction f() { const m = new Mutex(); m.runExclusive; }`, 'm', 'Mutex', 1],
    [
      'a typed parameter',
      `import type { MutexInterface } from 'async-mutex';\nfunction f(m: MutexInterface) { m.runExclusive; }`,
      'm',
      'Mutex',
      1,
    ],
    [
      'a class field',
      `import { Mutex } from 'async-mutex';\nclass A { private lock = new Mutex(); f() { this.lock.runExclusive; } }`,
      'this.lock',
      'Mutex',
      1,
    ],
    [
      'a constructor parameter property',
      `import AsyncLock from 'async-lock';\nclass A { constructor(private readonly locks: AsyncLock) {} f() { this.locks.acquire; } }`,
      'this.locks',
      'AsyncLock',
      1,
    ],
    [
      'a constructor assignment',
      `import Redlock from 'redlock';\nclass A { constructor(c) { this.redlock = new Redlock([c]); } f() { this.redlock.acquire; } }`,
      'this.redlock',
      'Redlock',
      1,
    ],
    ['p-limit(1)', `import pLimit from 'p-limit';\nconst limit = pLimit(1);\nlimit;`, 'limit', 'pLimit', 1],
    ['p-queue concurrency 1', `import PQueue from 'p-queue';\nconst q = new PQueue({ concurrency: 1 });\nq.add;`, 'q', 'PQueue', 1],
    [
      'p-queue default concurrency',
      `import PQueue from 'p-queue';\nconst q = new PQueue();\nq.add;`,
      'q',
      'PQueue',
      Number.POSITIVE_INFINITY,
    ],
    ['navigator.locks', `navigator.locks.request;`, 'navigator.locks', 'LockManager', 1],
  ])('%s', (_name, code, expression, kind, permits) => {
    const facts = factsFor(code);
    const lock = lockInstance(lastExpression(facts, expression), facts);
    expect(lock?.kind).toBe(kind);
    expect(lock?.permits).toBe(permits);
  });

  it.each([
    ['a Map', `const m = new Map();\nm.set;`, 'm'],
    ['an unrelated Mutex class', `class Mutex {}\nconst m = new Mutex();\nm.acquire;`, 'm'],
    ['a generic pool', `import { createPool } from 'generic-pool';\nconst pool = createPool({});\npool.acquire;`, 'pool'],
    ['a shadowed navigator', `function f(navigator) { navigator.locks.request; }`, 'navigator.locks'],
  ])('not a lock: %s', (_name, code, expression) => {
    const facts = factsFor(code);
    expect(lockInstance(lastExpression(facts, expression), facts)).toBeUndefined();
  });
});

describe('lock-across-await/sections: critical sections and releases', () => {
  function section(code: string, callName: string) {
    const facts = factsFor(code);
    const [call] = callsIn(facts, callName);
    return { facts, section: criticalSectionOf(call, facts) };
  }

  it.each([
    ['try/finally', `const release = await mutex.acquire();\ntry { work(); } finally { release(); }`, 'finally'],
    ['mutex.release() in finally', `await mutex.acquire();\ntry { work(); } finally { mutex.release(); }`, 'finally'],
    [
      'release at the end of try and in catch',
      `const release = await mutex.acquire();\ntry { work(); release(); } catch (e) { release(); throw e; }`,
      'finally',
    ],
    ['assigned inside try', `let release;\ntry { release = await mutex.acquire(); work(); } finally { release?.(); }`, 'finally'],
    ['semaphore [value, release]', `const [, release] = await mutex.acquire();\ntry { work(); } finally { release(); }`, 'finally'],
    ['using', `using release = await mutex.acquire();\nwork();`, 'using'],
    ['released after work', `const release = await mutex.acquire();\nwork();\nrelease();`, 'unprotected'],
    [
      'released at the end of try only',
      `const release = await mutex.acquire();\ntry { work(); release(); } catch (e) { log(e); }`,
      'unprotected',
    ],
    ['never released', `const release = await mutex.acquire();\nwork();`, 'missing'],
    ['handed on', `const release = await mutex.acquire();\nsetTimeout(release, 100);`, 'elsewhere'],
    ['returned to the caller', `const release = await mutex.acquire();\nreturn release;`, 'elsewhere'],
  ])('%s → %s', (_name, body, kind) => {
    const { section: found } = section(
      `import { Mutex } from 'async-mutex';\nconst mutex = new Mutex();\nasync function f() {\n${body}\n}`,
      'acquire',
    );
    expect(found?.release?.kind).toBe(kind);
  });

  it('the statements between acquire and release are the section', () => {
    const { facts, section: found } = section(
      `import { Mutex } from 'async-mutex';\nconst mutex = new Mutex();\nasync function f() {\n  before();\n  const release = await mutex.acquire();\n  first();\n  try { second(); } finally { release(); }\n  after();\n}`,
      'acquire',
    );
    expect(found!.statements.map((s) => facts.textOf(s))).toEqual(['first();', 'second();']);
  });

  it('callback forms: the callback is the section, the key is what a keyed lock guards', () => {
    const { section: found } = section(
      `import AsyncLock from 'async-lock';\nconst lock = new AsyncLock();\nlock.acquire(\`user:\${user.id}\`, async () => { work(); });`,
      'acquire',
    );
    expect(found?.callback).toBeDefined();
    expect([...found!.keyNames]).toEqual(['user']);
  });

  it('a shared Web Lock is not exclusive', () => {
    expect(section(`navigator.locks.request('cache', { mode: 'shared' }, async () => {});`, 'request').section?.exclusive).toBe(false);
    expect(section(`navigator.locks.request('cache', async () => {});`, 'request').section?.exclusive).toBe(true);
  });

  it.each([
    ['prisma.$transaction', `prisma.$transaction(async (tx) => {});`, '$transaction', ['tx']],
    ['knex.transaction', `knex.transaction(async (trx) => {});`, 'transaction', ['trx']],
    ['TypeORM with an isolation level', `dataSource.transaction('SERIALIZABLE', async (manager) => {});`, 'transaction', ['manager']],
    ['MikroORM transactional', `em.transactional(async (em) => {});`, 'transactional', ['em']],
    ['Kysely', `db.transaction().execute(async (trx) => {});`, 'execute', ['trx']],
    ['Mongoose withTransaction', `session.withTransaction(async () => {});`, 'withTransaction', ['session']],
    ['Sequelize with CLS (no handle parameter)', `sequelize.transaction(async () => {});`, 'transaction', []],
    ['better-sqlite3', `db.transaction(() => {});`, 'transaction', []],
  ])('transaction: %s', (_name, code, callName, handles) => {
    const found = section(code, callName).section;
    expect(found?.kind).toBe('transaction');
    expect([...found!.handleNames]).toEqual(handles);
  });

  it.each([
    ['IndexedDB', `db.transaction(['store'], 'readwrite');`],
    ['a callback without the handle on a receiver that is not a database', `editor.transaction(() => {});`],
  ])('not a transaction: %s', (_name, code) => {
    expect(section(code, 'transaction').section).toBeUndefined();
  });
});

const MUTEX = `import { Mutex } from 'async-mutex';\nconst mutex = new Mutex();\nlet state = { n: 0 };\n`;

describe('lock-across-await: network I/O under a lock', () => {
  it.each([
    [
      'a returned promise (the lock waits for it)',
      `${MUTEX}export function f() { return mutex.runExclusive(() => { state.n++; return fetch('/x'); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 75 }],
    ],
    [
      'a result returned to the caller, not stored in what the lock guards',
      `${MUTEX}export function f() { return mutex.runExclusive(async () => { state.n++; const r = await fetch('/x'); return r.json(); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 84 }],
    ],
    [
      'an expression body returning the request',
      `import { Mutex } from 'async-mutex';\nconst mutex = new Mutex();\nconst list: string[] = [];\nexport const f = (u: string) => mutex.runExclusive(async () => list.push(await (await fetch(u)).text()) && fetch('/audit'));`,
      [{ messageId: 'ioUnderLock', line: 4, column: 64 }],
    ],
    [
      'a request whose result is only used inside',
      `${MUTEX}export async function f() { await mutex.runExclusive(async () => { state.n++; const r = await fetch('/x'); console.log(r.status); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 89 }],
    ],
    [
      'Promise.all over requests',
      `${MUTEX}export async function f(urls: string[]) { await mutex.runExclusive(async () => { state.n++; await Promise.all(urls.map((u) => fetch(u, { method: 'POST' }))); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 93 }],
    ],
    [
      'fetch(…).then(…)',
      `${MUTEX}export async function f() { await mutex.runExclusive(async () => { state.n = 1; await fetch('/ping').then((r) => r.ok); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 81 }],
    ],
    [
      'a Web Lock',
      `const seen = new Set();\nexport async function f(id) { await navigator.locks.request('outbox', async () => { seen.add(id); await fetch('/notify', { method: 'POST' }); }); }`,
      [{ messageId: 'ioUnderLock', line: 2, column: 99 }],
    ],
    [
      'a p-queue of one',
      `import PQueue from 'p-queue';\nconst queue = new PQueue({ concurrency: 1 });\nconst done = [];\nexport function f(x) { return queue.add(async () => { done.push(x); await fetch('/log'); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 69 }],
    ],
    [
      'a Semaphore(1)',
      `import { Semaphore } from 'async-mutex';\nconst one = new Semaphore(1);\nlet last;\nexport async function f(x) { await one.runExclusive(async () => { last = x; await fetch('/log'); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 77 }],
    ],
    [
      'a mutex from another file, by its use',
      `import { mutex } from './locks';\nlet count = 0;\nexport async function f() { await mutex.runExclusive(async () => { count++; await fetch('/log'); }); }`,
      [{ messageId: 'ioUnderLock', line: 3, column: 77 }],
    ],
    [
      'redlock.using',
      `import Redlock from 'redlock';\nconst redlock = new Redlock([r]);\nconst jobs = new Map();\nexport async function f(id) { await redlock.using([\`job:\${id}\`], 5000, async (signal) => { jobs.set(id, 'running'); await fetch('https://hooks.example.com/started'); }); }`,
      [{ messageId: 'ioUnderLock', line: 4, column: 117 }],
    ],
  ])('%s', async (_name, code, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toMatch(/holds .* across a network round trip/);
  });

  it('reports only the first unrelated wait of a section', async () => {
    const code = `${MUTEX}export async function f() { await mutex.runExclusive(async () => { state.n++; await fetch('/a'); await fetch('/b'); }); }`;
    await tester.invalid({ code, errors: [{ messageId: 'ioUnderLock', line: 4, column: 79 }] });
  });

  it('names the waiters of a keyed lock', async () => {
    const code = `import AsyncLock from 'async-lock';\nconst lock = new AsyncLock();\nconst carts = new Map();\nexport async function f(cartId, item) { await lock.acquire(cartId, async () => { carts.get(cartId).push(item); await fetch('https://hooks.example.com/cart', { method: 'POST', body: JSON.stringify({ cartId }) }); }); }`;
    const [found] = await tester.invalid({ code, errors: [{ messageId: 'ioUnderLock', line: 4, column: 112 }] });
    expect(found.message).toContain('every other caller for the same key waits');
  });

  it('a Prisma write unrelated to the in-memory state it guards', async () => {
    const code = `import { PrismaClient } from '@prisma/client';
import { Mutex } from 'async-mutex';
const prisma = new PrismaClient();
export class Sessions {
  private readonly mutex = new Mutex();
  private sessions = new Map<string, string>();
  async login(id: string, userId: string) {
    await this.mutex.runExclusive(async () => {
      this.sessions.set(id, userId);
      await prisma.auditLog.create({ data: { action: 'login', userId } });
    });
  }
}`;
    const [found] = await tester.invalid({ code, errors: [{ messageId: 'ioUnderLock', line: 10, column: 7 }] });
    expect(found.message).toContain('prisma.auditLog.create holds this.mutex across a network round trip');
  });

  it('an axios call inside a transaction', async () => {
    const code = `import axios from 'axios';
export async function f(prisma, order) {
  await prisma.$transaction(async (tx) => {
    await tx.order.update({ where: { id: order.id }, data: { status: 'paid' } });
    await axios.post('https://erp.example.com/orders', order);
  });
}`;
    const [found] = await tester.invalid({ code, errors: [{ messageId: 'ioInTransaction', line: 5, column: 5 }] });
    expect(found.message).toContain('runs inside prisma.$transaction');
  });
});

describe('lock-across-await stays quiet', () => {
  it.each([
    [
      'only its own I/O, one result returned',
      `${MUTEX}export function f() { return mutex.runExclusive(async () => { await fetch('/login'); return fetch('/data'); }); }`,
    ],
    [
      'a wait on an in-memory queue',
      `${MUTEX}export async function f(jobs) { await mutex.runExclusive(async () => { const job = await jobs.take(); state.n = job.id; }); }`,
    ],
    [
      'a request started but not awaited under the lock',
      `${MUTEX}export async function f() { await mutex.runExclusive(async () => { state.n++; setTimeout(() => fetch('/later'), 0); }); }`,
    ],
    [
      'a result stored into shared state',
      `${MUTEX}export async function f() { await mutex.runExclusive(async () => { const r = await fetch('/n'); const n = (await r.json()).n; state.n = n; }); }`,
    ],
    [
      'a result stored with a mutating call',
      `import { Mutex } from 'async-mutex';\nconst mutex = new Mutex();\nconst cache = new Map();\nexport async function f(k) { await mutex.runExclusive(async () => { if (cache.has(k)) return; cache.set(k, await fetch('/v/' + k)); }); }`,
    ],
    [
      'a request to the URL of the keyed resource',
      `import AsyncLock from 'async-lock';\nconst lock = new AsyncLock();\nconst seen = new Set();\nexport async function f(id) { await lock.acquire(id, async () => { seen.add(id); await fetch(\`https://api.example.com/accounts/\${id}\`, { method: 'PATCH' }); }); }`,
    ],
    [
      'a semaphore of unknown size',
      `import { Semaphore } from 'async-mutex';\nconst sem = new Semaphore(MAX);\nconst done = [];\nexport async function f(u) { await sem.runExclusive(async () => { done.push(u); await fetch(u); }); }`,
    ],
    [
      'p-limit above one',
      `import pLimit from 'p-limit';\nconst limit = pLimit(4);\nconst done = [];\nexport function f(u) { return limit(async () => { done.push(u); await fetch(u); }); }`,
    ],
    [
      'a shared Web Lock',
      `const seen = new Set();\nexport async function f(id) { await navigator.locks.request('cache', { mode: 'shared' }, async () => { seen.add(id); await fetch('/x'); }); }`,
    ],
    [
      'a section of local state only',
      `${MUTEX}export async function f() { await mutex.runExclusive(async () => { const local = { n: 1 }; local.n++; await fetch('/x'); }); }`,
    ],
    [
      'a user-defined fetch',
      `${MUTEX}async function fetch(u: string) { return u; }\nexport async function f() { await mutex.runExclusive(async () => { state.n++; await fetch('/x'); }); }`,
    ],
    [
      'odd code: runExclusive without a callback',
      `${MUTEX}export async function f(fn) { await mutex.runExclusive(fn); mutex.acquire().then((r) => r()); }`,
    ],
  ])('%s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it('a read-modify-write of the keyed row', () => {
    const code = `import { PrismaClient } from '@prisma/client';
import AsyncLock from 'async-lock';
const prisma = new PrismaClient();
const lock = new AsyncLock();
export async function increment(id: string) {
  await lock.acquire(\`counter:\${id}\`, async () => {
    const row = await prisma.counter.findUnique({ where: { id } });
    await prisma.counter.update({ where: { id }, data: { value: row!.value + 1 } });
  });
}`;
    expect(messages(code)).toEqual([]);
  });
});

describe('lock-across-await: release not in finally', () => {
  it.each([
    [
      'a semaphore released after an await',
      `import { Semaphore } from 'async-mutex';\nconst sem = new Semaphore(2);\nexport async function f(work) { const [, release] = await sem.acquire(); await work(); release(); }`,
      [{ messageId: 'releaseNotInFinally', line: 3, column: 59 }],
    ],
    [
      'a release that is never called',
      `import { Mutex } from 'async-mutex';\nconst m = new Mutex();\nexport async function f() { const release = await m.acquire(); doWork(); }`,
      [{ messageId: 'releaseNotInFinally', line: 3, column: 51 }],
    ],
    [
      'a Redlock v4 lock()/unlock()',
      `import Redlock from 'redlock';\nconst redlock = new Redlock([r]);\nexport async function f() { const lock = await redlock.lock('res', 1000); await work(); await lock.unlock(); }`,
      [{ messageId: 'releaseNotInFinally', line: 3, column: 48 }],
    ],
    [
      'a class field mutex',
      `import { Mutex } from 'async-mutex';\nexport class A { private m = new Mutex(); async f() { await this.m.acquire(); this.work(); this.m.release(); } work() {} }`,
      [{ messageId: 'releaseNotInFinally', line: 2, column: 61 }],
    ],
  ])('%s', async (_name, code, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toContain('is not in a finally block');
  });

  it.each([
    [
      'nothing between acquire and release can throw',
      `import { Mutex } from 'async-mutex';\nconst m = new Mutex();\nlet n = 0;\nexport async function f() { const release = await m.acquire(); n++; release(); }`,
    ],
    [
      'using',
      `import { Mutex } from 'async-mutex';\nconst m = new Mutex();\nexport async function f() { using release = await m.acquire(); work(); }`,
    ],
    [
      'a release handed to a queue',
      `import { Mutex } from 'async-mutex';\nconst m = new Mutex();\nconst waiting = [];\nexport async function f() { const release = await m.acquire(); waiting.push(release); }`,
    ],
  ])('quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });
});

describe('lock-across-await: transactions', () => {
  it.each([
    [
      'knex',
      `export async function f(knex, row) { await knex.transaction(async (trx) => { await trx('items').insert(row); await fetch(row.callbackUrl, { method: 'POST' }); }); }`,
      [{ messageId: 'ioInTransaction', line: 1, column: 110 }],
    ],
    [
      'Kysely',
      `export async function f(db) { await db.transaction().execute(async (trx) => { await fetch('https://cdn.example.com/purge', { method: 'POST' }); }); }`,
      [{ messageId: 'ioInTransaction', line: 1, column: 79 }],
    ],
    [
      'Mongoose withTransaction',
      `import nodemailer from 'nodemailer';\nconst mailer = nodemailer.createTransport({});\nexport async function f(session, User) { await session.withTransaction(async () => { await User.create([{}], { session }); await mailer.sendMail({ to: 'a@b.c' }); }); }`,
      [{ messageId: 'ioInTransaction', line: 3, column: 124 }],
    ],
    [
      'a returned request',
      `export function f(prisma, url) { return prisma.$transaction(async (tx) => { await tx.log.create({ data: {} }); return fetch(url); }); }`,
      [{ messageId: 'ioInTransaction', line: 1, column: 119 }],
    ],
  ])('%s', async (_name, code, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toContain('runs inside');
  });

  it.each([
    [
      'only writes through the handle',
      `export async function f(prisma) { await prisma.$transaction(async (tx) => { await tx.a.create({ data: {} }); await tx.b.update({ where: { id: 1 }, data: {} }); }); }`,
    ],
    [
      'the request after the commit',
      `export async function f(prisma) { const user = await prisma.$transaction(async (tx) => tx.user.create({ data: {} })); await fetch('/welcome', { method: 'POST', body: JSON.stringify(user) }); }`,
    ],
    [
      'a request in a callback the transaction does not wait for',
      `export async function f(prisma, queue) { await prisma.$transaction(async (tx) => { await tx.a.create({ data: {} }); queue.on('done', () => fetch('/x')); }); }`,
    ],
  ])('quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });
});

describe('lock-across-await: unmanaged transactions', () => {
  const messagesOf = (code: string): string[] => findings(code, { rule: 'lock-across-await' }).map(shownText);

  it('a Sequelize transaction committed without a rollback on error', async () => {
    const code = `export async function f(sequelize, A) { const t = await sequelize.transaction(); await A.create({}, { transaction: t }); await t.commit(); }`;
    await tester.invalid({ code, errors: [{ messageId: 'transactionNotClosed', line: 1, column: 57 }] });
    expect(messagesOf(code)).toEqual([
      'sequelize.transaction() opens a transaction that only t.commit() closes: if a statement before it throws, the transaction stays open — its connection never goes back to the pool and its row locks stay held until the server times it out. Roll back in catch (try { …; await t.commit(); } catch (error) { await t.rollback(); throw error; }) or use the callback form, which does it for you.',
    ]);
  });

  it.each([
    [
      'knex',
      `export async function f(knex) { const trx = await knex.transaction(); await trx('a').insert({}); await trx.commit(); }`,
      [{ messageId: 'transactionNotClosed', line: 1, column: 51 }],
    ],
    [
      'pg BEGIN … COMMIT',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() { const client = await pool.connect(); await client.query('BEGIN'); await client.query('INSERT INTO a VALUES (1)'); await client.query('COMMIT'); client.release(); }`,
      [{ messageId: 'transactionNotClosed', line: 3, column: 72 }],
    ],
    [
      'a Mongo session',
      `export async function f(session, Order) { session.startTransaction(); await Order.create([{}], { session }); await session.commitTransaction(); }`,
      [{ messageId: 'transactionNotClosed', line: 1, column: 43 }],
    ],
    [
      'a TypeORM query runner by any name, in a file that imports typeorm',
      `import { DataSource } from 'typeorm';\nexport async function f(ds: DataSource) { const t = ds.createQueryRunner(); await t.startTransaction(); await t.manager.save({}); await t.commitTransaction(); }`,
      [{ messageId: 'transactionNotClosed', line: 2, column: 83 }],
    ],
    [
      'a receiver named as a query runner, typeorm imported elsewhere',
      `export async function f(queryRunner) { await queryRunner.startTransaction(); await queryRunner.manager.save({}); await queryRunner.commitTransaction(); }`,
      [{ messageId: 'transactionNotClosed', line: 1, column: 46 }],
    ],
    [
      'a call before the try that rolls back',
      `export async function f(db, input, A) { const trx = await db.transaction(); const creates = normalise(input.create); try { await A.insert(creates, trx); await trx.commit(); } catch (e) { await trx.rollback(); throw e; } }`,
      [{ messageId: 'transactionNotClosed', line: 1, column: 59 }],
    ],
    [
      'work before the try that rolls back',
      `export async function f(sequelize, A) { const t = await sequelize.transaction(); await A.create({}, { transaction: t }); try { await A.create({}, { transaction: t }); await t.commit(); } catch (e) { await t.rollback(); throw e; } }`,
      [{ messageId: 'transactionNotClosed', line: 1, column: 57 }],
    ],
  ])('reports %s', async (_name, code, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toContain('opens a transaction');
  });

  it('an HTTP call between BEGIN and COMMIT', async () => {
    const [found] = await tester.invalid({
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(id: string) { const client = await pool.connect(); try { await client.query('BEGIN'); await client.query('UPDATE a SET x = 1 WHERE id = $1', [id]); await fetch('https://hooks.example.com/' + id); await client.query('COMMIT'); } catch (e) { await client.query('ROLLBACK'); throw e; } finally { client.release(); } }`,
      errors: [{ messageId: 'ioInTransaction', line: 3, column: 173 }],
    });
    expect(found.message).toContain("fetch runs inside client.query('BEGIN')");
  });

  it.each([
    [
      'rollback in catch',
      `export async function f(sequelize, A) { const t = await sequelize.transaction(); try { await A.create({}, { transaction: t }); await t.commit(); } catch (e) { await t.rollback(); throw e; } }`,
    ],
    [
      // Issue 12's round 7: a date and the input's lists read before the try cannot fail the way a rollback is for.
      'only a date and property reads before the try that rolls back',
      `export async function f(db, input, A) { const trx = await db.transaction(); const now = new Date(); const creates = input.create ?? []; try { await A.insert(creates, now, trx); await trx.commit(); } catch (e) { if (!trx.isCompleted()) await trx.rollback(); throw e; } }`,
    ],
    [
      'let t; try { t = … } catch { rollback }',
      `export async function f(sequelize, A) { let t; try { t = await sequelize.transaction(); await A.create({}, { transaction: t }); await t.commit(); } catch (e) { await t?.rollback(); throw e; } }`,
    ],
    [
      'TypeORM query runner released in finally',
      `export async function f(ds) { const qr = ds.createQueryRunner(); await qr.startTransaction(); try { await qr.manager.save({}); await qr.commitTransaction(); } catch (e) { await qr.rollbackTransaction(); } finally { await qr.release(); } }`,
    ],
    ['a transaction returned to the caller', `export async function begin(knex) { const trx = await knex.transaction(); return trx; }`],
    [
      'a Sentry tracing span (a bound startTransaction, no database library imported)',
      `export async function f(Sentry) { const transaction = Sentry.startTransaction({ name: 'x' }); await fetch('/api'); transaction.finish(); }`,
    ],
    [
      'an editor’s undo history (startTransaction on a receiver that is no query runner, typeorm not imported)',
      `export async function f(editor) { editor.history.startTransaction(); await editor.save(); editor.history.commitTransaction(); }`,
    ],
    ['the managed form', `export async function f(knex) { await knex.transaction(async (trx) => { await trx('a').insert({}); }); }`],
    [
      'a BEGIN statement that is not a transaction opener (SELECT)',
      `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() { await pool.query('SELECT 1'); }`,
    ],
  ])('stays quiet: %s', (_name, code) => {
    expect(messagesOf(code).filter((m) => m.includes('opens a transaction'))).toEqual([]);
  });
});
