/**
 * Every library PerfLens knows, in one list, and the questions the engine asks of all of them.
 *
 * A library is one module in this folder exporting one `Library` descriptor (library.ts documents
 * each field): what it is imported as, how its instances are made, which calls read, write, open a
 * transaction, take a lock, which relations load lazily, and what its batched form is. The facts
 * and rules never switch on a library's name; they ask the functions below, which ask the
 * descriptors in this list's order — where two libraries could answer the same question (an
 * `@InjectModel` both Sequelize and Mongoose claim, a variable named `prismaRedis`), the first
 * answer wins.
 *
 * Adding a library: write `<name>.ts` with its descriptor, add it to `libraries` below, and test
 * it (test/analyzers/facts/clients.test.ts, and the rules it feeds). docs/DESIGN.md, "Adding a
 * client library", walks through an example.
 */
import type { FileFacts } from '../fileFacts';
import type { ClientCall, Val } from '../clients/model';
import { asyncLock } from './async-lock';
import { asyncMutex } from './async-mutex';
import { axios } from './axios';
import { drizzle } from './drizzle';
import { dynamodb } from './dynamodb';
import { fetch } from './fetch';
import { got } from './got';
import { knex } from './knex';
import { ky } from './ky';
import { kysely } from './kysely';
import type { ClientHints, Library, TransactionHandle, TypedClient, UnmanagedTransaction } from './library';
import { mailgun } from './mailgun';
import { mikroOrm } from './mikro-orm';
import { models } from './models';
import { mongodb } from './mongodb';
import { mongoose } from './mongoose';
import { mysql2 } from './mysql2';
import { neon } from './neon';
import { nestHttp } from './nest-http';
import { nodeFetch } from './node-fetch';
import { nodemailer } from './nodemailer';
import { objection } from './objection';
import { ofetch } from './ofetch';
import { pg } from './pg';
import { pgPromise } from './pg-promise';
import { pLimit } from './p-limit';
import { postgres } from './postgres';
import { postmark } from './postmark';
import { pQueue } from './p-queue';
import { prisma } from './prisma';
import { rawSql } from './raw-sql';
import { redis } from './redis';
import { redlock } from './redlock';
import { resend } from './resend';
import { sendgrid } from './sendgrid';
import { sequelize } from './sequelize';
import { sqlite } from './sqlite';
import { supabase } from './supabase';
import { superagent } from './superagent';
import { typeorm } from './typeorm';
import { undici } from './undici';
import { vercelPostgres } from './vercel-postgres';
import { webLocks } from './web-locks';

export const libraries: readonly Library[] = [
  // Databases and caches. Prisma and Redis first: a name that mentions both is Prisma's.
  prisma,
  redis,
  knex,
  supabase,
  drizzle,
  objection,
  sequelize, // before Mongoose: `@InjectModel` from @nestjs/sequelize
  mongoose,
  mongodb,
  models, // a model from a models folder: Sequelize or Mongoose
  mikroOrm, // before TypeORM: `@InjectRepository` from @mikro-orm/nestjs
  typeorm,
  pg,
  mysql2,
  pgPromise,
  sqlite,
  postgres,
  vercelPostgres,
  neon,
  rawSql, // SQL text through anything: after every library that knows its own `query`
  dynamodb,
  kysely,
  // HTTP clients
  fetch,
  nodeFetch,
  axios,
  got,
  ky,
  ofetch,
  undici,
  superagent,
  nestHttp,
  // E-mail
  nodemailer,
  sendgrid,
  resend,
  postmark,
  mailgun,
  // Locks and limiters
  asyncMutex,
  asyncLock,
  redlock,
  pLimit,
  pQueue,
  webLocks,
];

const byId = new Map(libraries.map((entry) => [entry.id, entry]));

/** The library a value, an operation or a finding names (`Val.lib`, `ClientCall.library`). */
export function library(id: string): Library | undefined {
  return byId.get(id);
}

function servesModule(entry: Library, module: string): boolean {
  const modules = entry.modules;
  return modules !== undefined && (typeof modules === 'function' ? modules(module) : modules.includes(module));
}

const moduleCache = new Map<string, Library | null>();

/** The client library whose package `module` is (undefined for locks, mail senders and every other module). */
export function clientOfModule(module: string): Library | undefined {
  let found = moduleCache.get(module);
  if (found === undefined) {
    found = libraries.find((entry) => entry.client && servesModule(entry, module)) ?? null;
    if (moduleCache.size < 10_000) moduleCache.set(module, found);
  }
  return found ?? undefined;
}

/** The lock library whose package `module` is. */
export function lockOfModule(module: string): Library | undefined {
  return libraries.find((entry) => entry.lock && servesModule(entry, module));
}

/** The e-mail library whose package `module` is. */
export function mailOfModule(module: string): Library | undefined {
  return libraries.find((entry) => entry.mail && servesModule(entry, module));
}

// ---------------------------------------------------------------------------------------------
// Clients

const withClient = libraries.filter((entry) => entry.client).map((entry) => ({ id: entry.id, client: entry.client! }));

const anchorNames = new Set<string>(withClient.flatMap(({ client }) => [...(client.anchors ?? [])]));
const anchorTests = withClient.flatMap(({ client }) => (client.isAnchor ? [client.isAnchor] : []));

/** Can a method of this name start a client operation? The cheap filter every call passes first. */
export function isAnchorName(name: string): boolean {
  return anchorNames.has(name) || anchorTests.some((test) => test(name));
}

/** Names that may be a client when called directly: `fetch(url)`, `knex('users')`, `db('users')`, `sql\`…\``. */
export const calledRoots: ReadonlySet<string> = new Set(withClient.flatMap(({ client }) => client.calledRoots ?? []));

const globals = new Map<string, Val>(withClient.flatMap(({ client }) => Object.entries(client.globals ?? {})));

/** What an undeclared name holds: `fetch`, `$fetch`, `window`. */
export function globalValue(name: string): Val | undefined {
  return globals.get(name);
}

export const hinted: ReadonlyArray<{ id: string; hints: ClientHints }> = withClient.flatMap(({ id, client }) =>
  client.hints ? [{ id, hints: client.hints }] : [],
);

/** A name that says what it holds: `prisma`, `this.prismaService`, `ctx.prisma`, `redisClient`, `knex`. */
export function valueNamed(name: string): Val | undefined {
  for (const { id, hints } of hinted) if (hints.name?.test(name)) return { lib: id, role: 'client' };
  return undefined;
}

/** May a member with this telling name be called as the client (`app.locals.knex('users')`)? */
export function isCallableHint(val: Val): boolean {
  return !!library(val.lib)?.client?.hints?.callable;
}

type Decorator = (model: string | undefined, module: string | undefined) => Val | undefined;
const decoratorHandlers = new Map<string, Decorator[]>();
for (const { client } of withClient) {
  for (const [name, handler] of Object.entries(client.decorators ?? {})) {
    const list = decoratorHandlers.get(name) ?? [];
    list.push(handler);
    decoratorHandlers.set(name, list);
  }
}

/**
 * What a Nest injection decorator gives: undefined when no library knows the decorator (the next
 * decorator may tell), null when libraries know it but none claims this use of it.
 */
export function decoratedValue(name: string, model: string | undefined, module: string | undefined): Val | null | undefined {
  const handlers = decoratorHandlers.get(name);
  if (!handlers) return undefined;
  for (const handler of handlers) {
    const value = handler(model, module);
    if (value) return value;
  }
  return null;
}

export const typedClients: ReadonlyArray<{ id: string; typed: TypedClient }> = withClient.flatMap(({ id, client }) =>
  client.byType ? [{ id, typed: client.byType }] : [],
);

const rawSqlDrivers = withClient.flatMap(({ id, client }) => (client.rawSql ? [{ id, ...client.rawSql }] : []));

/** Which library raw SQL text goes through, from the file's imports: a driver first, then an ORM, else `sql`. */
export function sqlLibraryOf(facts: FileFacts): string {
  const imported = (modules: readonly string[]): boolean => modules.some((module) => facts.imports.imports(module));
  return (
    rawSqlDrivers.find((entry) => entry.driver && imported(entry.modules))?.id ??
    rawSqlDrivers.find((entry) => !entry.driver && imported(entry.modules))?.id ??
    'sql'
  );
}

// ---------------------------------------------------------------------------------------------
// Batching

/** Calls with these names already send one statement for many rows or keys. */
export const batchMethods: ReadonlySet<string> = new Set(libraries.flatMap((entry) => entry.batching?.methods ?? []));

/** Call text that shows a call is already batched: `{ in: ids }`, `$in`, `In(ids)`, `ANY($1)`, `whereIn`. */
export const batchedText = new RegExp(
  libraries.flatMap((entry) => (entry.batching?.text ? [`(?:${entry.batching.text.source})`] : [])).join('|'),
);

/** Where batched calls write their list of keys: properties (`in`, `$in`, `Op.in`) and calls with the list's argument index (`In` → 0). */
export const batchedListProperties: ReadonlySet<string> = new Set(libraries.flatMap((entry) => entry.batching?.lists?.properties ?? []));
export const batchedListCalls: ReadonlyMap<string, number> = new Map(
  libraries.flatMap((entry) => (entry.batching?.lists?.calls ?? []).map(({ name, argument }) => [name, argument] as const)),
);

/** True when a library's call text says nothing about batching (Redis keys are text). */
export function ignoresBatchedText(lib: string): boolean {
  return !!library(lib)?.batching?.ignoresText;
}

/** True when the client batches this call itself with the others started in the same tick (Prisma's `findUnique`). */
export function isBatchedInOneTick(client: ClientCall): boolean {
  return !!client.method && !!library(client.library)?.batching?.batchedInOneTick?.includes(client.method);
}

/** Methods whose argument is a list of operations run as one batch: Prisma's `$transaction([...])`. */
export const batchTransactionMethods: ReadonlySet<string> = new Set(libraries.flatMap((entry) => entry.batching?.batchTransactions ?? []));

/** Options (`{ transaction: t }`, `{ session }`) and builder steps (`.transacting(trx)`) that pass a transaction to a call. */
export const transactionOptions: ReadonlySet<string> = new Set(
  libraries.flatMap((entry) => entry.batching?.transactionArguments?.options ?? []),
);
export const transactionSteps: ReadonlySet<string> = new Set(
  libraries.flatMap((entry) => entry.batching?.transactionArguments?.steps ?? []),
);

// ---------------------------------------------------------------------------------------------
// Transactions

const transactional = libraries.filter((entry) => entry.transactions).map((entry) => ({ id: entry.id, tx: entry.transactions! }));

/** Methods whose callback runs inside a transaction. */
export const transactionCallbackMethods: ReadonlySet<string> = new Set(transactional.flatMap(({ tx }) => tx.callbacks ?? []));
/** Of those, the ones that mean a transaction on any receiver, with or without a handle parameter. */
export const anyReceiverTransactionMethods: ReadonlySet<string> = new Set(transactional.flatMap(({ tx }) => tx.anyReceiver ?? []));
/** Of those, the ones whose receiver's root is a handle too (a MongoDB session). */
export const receiverIsHandleMethods: ReadonlySet<string> = new Set(transactional.flatMap(({ tx }) => tx.receiverIsHandle ?? []));
/** Callback transactions opened on another call's result: Kysely's `transaction().execute(…)`. */
export const chainedTransactions: ReadonlyArray<{ method: string; after: string }> = transactional.flatMap(({ tx }) =>
  tx.chained ? [tx.chained] : [],
);

const handles = transactional.flatMap(({ id, tx }) => (tx.handle ? [{ id, handle: tx.handle }] : []));

/** Methods whose callback's first parameter is a transaction handle. */
export const transactionHandleMethods: ReadonlySet<string> = new Set(handles.flatMap(({ handle }) => handle.methods));

/** The library whose `method` alone means its transaction (`$transaction`: Prisma), whatever the receiver. */
export function distinctiveTransaction(method: string): TransactionHandle | undefined {
  return handles.find(({ handle }) => handle.distinctive && handle.methods.includes(method))?.handle;
}

/** The handle of a library's transaction callback. */
export function transactionHandle(lib: string): TransactionHandle | undefined {
  return library(lib)?.transactions?.handle;
}

/** When a transaction callback's receiver cannot be resolved: whose handle a parameter so named, in this file, is. */
export function guessTransactionLibrary(parameter: string, facts: FileFacts): string | undefined {
  return handles.find(({ handle }) => handle.parameter?.test(parameter))?.id ?? handles.find(({ handle }) => handle.imported?.(facts))?.id;
}

const unmanaged = transactional.flatMap(({ tx }) => (tx.unmanaged ?? []).map((entry) => ({ ...entry, imported: tx.handle?.imported })));

/** Methods that open a transaction other calls must close: `transaction()`, `startTransaction()`, `beginTransaction()`. */
export const unmanagedOpeners: ReadonlySet<string> = new Set(unmanaged.map((entry) => entry.method));

/**
 * How `method` opens a transaction on a receiver written `receiver`, its result bound to a name or not. A `generic`
 * opener (`startTransaction()`: TypeORM's, Objection's) needs its library imported by the file or a receiver named as
 * a query runner (`queryRunner`, `runner`, `qr`): a Sentry tracing span and an editor's undo history have one too
 * (`Sentry.startTransaction()`, `editorEngine.history.startTransaction()`; issue 12's sixth study), with no connection
 * behind them.
 */
export function unmanagedTransaction(method: string, bound: boolean, receiver: string, facts: FileFacts): UnmanagedTransaction | undefined {
  const candidates = unmanaged.filter((entry) => entry.method === method && entry.bound === bound);
  return (
    candidates.find((entry) => entry.receiver?.test(receiver)) ??
    candidates.find((entry) => !entry.receiver && (!entry.generic || RUNNER.test(receiver) || entry.imported?.(facts) === true))
  );
}

/** A receiver named as a query runner is: `queryRunner`, `this.runner`, `qr`. */
const RUNNER = /(^|\.)(\w*[rR]unner|qr)$/;

const ends = (kind: 'commit' | 'rollback' | 'release'): ReadonlySet<string> =>
  new Set(transactional.flatMap(({ tx }) => tx.ends?.[kind] ?? []));
const commits = ends('commit');
const rollbacks = ends('rollback');
const releases = ends('release');

/** How a call of `method` on a transaction's handle ends it, if it does. */
export function transactionEndOf(method: string): 'commit' | 'rollback' | 'release' | undefined {
  if (commits.has(method)) return 'commit';
  if (rollbacks.has(method)) return 'rollback';
  if (releases.has(method)) return 'release';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Relations, locks, mail

/** Libraries whose rows load relations lazily. */
export const relational: ReadonlyArray<Library & { relations: NonNullable<Library['relations']> }> = libraries.filter(
  (entry): entry is Library & { relations: NonNullable<Library['relations']> } => entry.relations !== undefined,
);

/** Lock and limiter libraries. */
export const lockLibraries: ReadonlyArray<Library & { lock: NonNullable<Library['lock']> }> = libraries.filter(
  (entry): entry is Library & { lock: NonNullable<Library['lock']> } => entry.lock !== undefined,
);

/** Methods that take a lock: `runExclusive`, `acquire`, `using`, `request`, `add`, `lock`. */
export const lockMethods: ReadonlySet<string> = new Set(
  lockLibraries.flatMap(({ lock }) => [...(lock.callback?.method ? [lock.callback.method] : []), ...(lock.acquire?.methods ?? [])]),
);

/** The batched reads query-in-loop's suggestion writes, one per library that has one, in the registry's order. */
export const batchedLookupForms: readonly string[] = libraries.flatMap(({ batching }) =>
  batching?.lookup && batching.lookupForm ? [batching.lookupForm] : [],
);

/** E-mail libraries. */
export const mailLibraries: ReadonlyArray<Library & { mail: NonNullable<Library['mail']> }> = libraries.filter(
  (entry): entry is Library & { mail: NonNullable<Library['mail']> } => entry.mail !== undefined,
);
