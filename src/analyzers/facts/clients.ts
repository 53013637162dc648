/**
 * Known database, cache and HTTP clients: is this call a query, a write or a remote request, to
 * which library, and what is its batched form?
 *
 * Evidence, cheapest first:
 *   1. the method names of the call chain (a Set lookup filters out almost every call);
 *   2. where the chain's root comes from — an import (`import { PrismaClient } from '@prisma/client'`),
 *      a declaration made from one (`const pool = new Pool()`, `const db = knex(config)`), a typed
 *      parameter or class member (`private repo: Repository<User>`, `@InjectRepository(User)`), a
 *      transaction callback's parameter (`$transaction(async (tx) => …)`), or a telling name
 *      (`this.prisma`, `ctx.prisma`, `redis`);
 *   3. shapes only a database call has (`x.user.findUnique(…)`, `User.findByPk(…)`, a `.query()`
 *      whose first argument is SQL text);
 *   4. last, and only when the file imports a database library and the receiver's declaration says
 *      nothing: the type checker.
 * A user's own `find` on an array has none of these and is not a query.
 *
 * A chain is answered once, at its outermost call — `knex('users').where(…).first()` at `first()`,
 * `User.find(…).populate(…).lean()` at `lean()` — so a visitor of every CallExpression sees one
 * client call per query. `.then/.catch/.finally` are not part of the chain: use
 * `awaitedClientCall` to look through them.
 */
import { ts } from '../ts';
import { calleeName, constantString, isFunctionLike, skipParens } from './ast';
import { lookup } from './dataflow';
import type { FileFacts } from './fileFacts';
import type { ImportOrigin } from './imports';

const SK = ts.SyntaxKind;

export type ClientKind = 'query' | 'write' | 'http';

export interface ClientCall {
  /** 'prisma' | 'typeorm' | 'sequelize' | 'mongoose' | 'knex' | 'pg' | 'mysql2' | 'redis' | 'fetch' | 'axios' | 'got' | 'ky' … */
  library: string;
  /** A read query, a write, or an HTTP request. */
  kind: ClientKind;
  /** How the call is written, for messages: `prisma.customer.findUnique`. */
  operation: string;
  /** The batched alternative to name in messages, e.g. `findMany({ where: { id: { in: ids } } })`. */
  batched?: string;
  /** The called method as written: `findUnique`, `query`, `get`, `fetch`. */
  method?: string;
  /** The model, table, collection or entity when the call names it: `customer`, `users`, `User`. */
  model?: string;
  /** The key the call looks up by, when it is written: `id`, `email`. */
  key?: string;
  /** HTTP requests: the method when it can be told (`GET` when the call defaults to it). */
  httpMethod?: string;
  /** The text of the client handle the call goes through: `prisma`, `tx`, `this.userRepository`, `client`. */
  handle?: string;
  /** Set when the call runs on a transaction: the handle's name (`tx`, `trx`, `queryRunner`, the `{ transaction: t }` option). */
  transaction?: string;
  /** True when the call already is the batched form (createMany, `in` lists, `In(ids)`, `$in`, `whereIn`, `mget`, `= ANY($1)`). */
  alreadyBatched?: boolean;
  /** True when the handle is one connection (pg `Client`/`PoolClient`, a mysql2 connection): its queries queue one after another. */
  singleConnection?: boolean;
  /** Raw SQL: the statement's first keyword, upper-case (`SELECT`, `INSERT`, `BEGIN`); undefined when the text is not known. */
  statement?: string;
  /** True for raw SQL (the statement text decides what it does). */
  raw?: boolean;
}

/** A call, or a tagged template that runs a query (`prisma.$queryRaw\`…\``, postgres.js `sql\`…\``). */
export type ClientCallNode = ts.CallExpression | ts.TaggedTemplateExpression;

// ---------------------------------------------------------------------------------------------
// Method vocabularies

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

const PRISMA_READ = set('findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy', 'findRaw', 'aggregateRaw');
const PRISMA_WRITE = set('create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany');
/** Names only a Prisma model delegate has: with the `x.model.method(…)` shape they are evidence on their own. */
const PRISMA_DISTINCTIVE = set(
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'createMany', 'createManyAndReturn', 'updateMany',
  'updateManyAndReturn', 'deleteMany', 'upsert', 'aggregate', 'groupBy',
);
const PRISMA_RAW_READ = set('$queryRaw', '$queryRawUnsafe', '$queryRawTyped');
const PRISMA_RAW_WRITE = set('$executeRaw', '$executeRawUnsafe', '$runCommandRaw');

const TYPEORM_READ = set(
  'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findByIds', 'count', 'countBy',
  'exist', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum', 'preload',
);
const TYPEORM_WRITE = set('save', 'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment', 'decrement', 'clear', 'updateAll', 'deleteAll');
/** TypeORM-only names (repository and ActiveRecord entity statics). */
const TYPEORM_DISTINCTIVE = set('findOneBy', 'findBy', 'findOneByOrFail', 'findAndCountBy', 'countBy', 'existsBy');
const TYPEORM_QB_TERMINAL = set('getOne', 'getOneOrFail', 'getMany', 'getRawOne', 'getRawMany', 'getRawAndEntities', 'getCount', 'getManyAndCount', 'getExists', 'execute', 'stream');
const TYPEORM_QB_WRITE = set('insert', 'update', 'delete', 'softDelete', 'restore', 'relation');

const SEQUELIZE_READ = set('findByPk', 'findOne', 'findAll', 'findAndCountAll', 'count', 'max', 'min', 'sum', 'aggregate');
const SEQUELIZE_WRITE = set('create', 'bulkCreate', 'update', 'destroy', 'upsert', 'findOrCreate', 'findCreateFind', 'increment', 'decrement', 'restore', 'truncate');
const SEQUELIZE_DISTINCTIVE = set('findByPk', 'findAll', 'findAndCountAll', 'bulkCreate', 'findOrCreate', 'findCreateFind');

const MONGOOSE_READ = set('find', 'findOne', 'findById', 'countDocuments', 'estimatedDocumentCount', 'exists', 'distinct', 'aggregate', 'populate');
const MONGOOSE_WRITE = set(
  'create', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndUpdate', 'findByIdAndUpdate',
  'findOneAndDelete', 'findByIdAndDelete', 'findOneAndRemove', 'findByIdAndRemove', 'findOneAndReplace', 'bulkWrite', 'bulkSave',
);
const MONGOOSE_DISTINCTIVE = set(
  'findById', 'findByIdAndUpdate', 'findByIdAndDelete', 'findByIdAndRemove', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace',
  'countDocuments', 'estimatedDocumentCount', 'insertMany',
);

const MONGODB_READ = set('find', 'findOne', 'countDocuments', 'estimatedDocumentCount', 'distinct', 'aggregate');
const MONGODB_WRITE = set('insertOne', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'bulkWrite');

/** Query-builder steps of knex (and Objection, which builds on it). */
const KNEX_BUILDER = set(
  'select', 'first', 'where', 'andWhere', 'orWhere', 'whereNot', 'whereIn', 'whereNotIn', 'orWhereIn', 'whereNull', 'whereNotNull', 'whereBetween',
  'whereRaw', 'whereExists', 'whereLike', 'whereILike', 'whereJsonPath', 'join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'fullOuterJoin',
  'crossJoin', 'joinRaw', 'orderBy', 'orderByRaw', 'groupBy', 'having', 'limit', 'offset', 'pluck', 'count', 'countDistinct', 'sum', 'min', 'max',
  'avg', 'distinct', 'distinctOn', 'returning', 'insert', 'update', 'del', 'delete', 'upsert', 'increment', 'decrement', 'truncate', 'onConflict',
  'merge', 'ignore', 'from', 'into', 'table', 'columns', 'column', 'forUpdate', 'forShare', 'noWait', 'skipLocked', 'modify', 'clearSelect',
  'clearWhere', 'union', 'unionAll', 'with', 'withRecursive', 'as', 'timeout', 'transacting', 'options', 'jsonExtract', 'hintComment',
  // Objection
  'findById', 'findByIds', 'findOne', 'patch', 'patchAndFetchById', 'updateAndFetchById', 'deleteById', 'insertGraph', 'upsertGraph',
  'insertAndFetch', 'patchAndFetch', 'relate', 'unrelate', 'withGraphFetched', 'withGraphJoined', 'throwIfNotFound', 'resultSize', 'page', 'range',
);
const KNEX_WRITE = set(
  'insert', 'update', 'del', 'delete', 'upsert', 'increment', 'decrement', 'truncate', 'merge', 'patch', 'patchAndFetchById', 'updateAndFetchById',
  'deleteById', 'insertGraph', 'upsertGraph', 'insertAndFetch', 'patchAndFetch', 'relate', 'unrelate',
);
/** Methods called on the knex instance itself that start a query. */
const KNEX_ROOT = set('select', 'from', 'table', 'insert', 'update', 'del', 'delete', 'where', 'first', 'count', 'pluck', 'into', 'with', 'queryBuilder', 'distinct', 'sum', 'max', 'min', 'avg', 'union', 'upsert');

const REDIS_READ = set(
  'get', 'mget', 'getbuffer', 'getex', 'getrange', 'strlen', 'hget', 'hgetall', 'hmget', 'hkeys', 'hvals', 'hlen', 'hexists', 'exists', 'ttl', 'pttl',
  'type', 'smembers', 'sismember', 'smismember', 'scard', 'srandmember', 'lrange', 'llen', 'lindex', 'zrange', 'zrangebyscore', 'zrevrange',
  'zrevrangebyscore', 'zscore', 'zmscore', 'zrank', 'zrevrank', 'zcard', 'zcount', 'xrange', 'xrevrange', 'xlen', 'pfcount', 'geopos', 'geodist',
  'georadius', 'geosearch', 'bitcount', 'getbit', 'dbsize', 'json.get',
);
const REDIS_WRITE = set(
  'set', 'setex', 'psetex', 'setnx', 'mset', 'msetnx', 'hset', 'hmset', 'hsetnx', 'hdel', 'hincrby', 'hincrbyfloat', 'del', 'unlink', 'incr', 'incrby',
  'incrbyfloat', 'decr', 'decrby', 'expire', 'pexpire', 'expireat', 'pexpireat', 'persist', 'sadd', 'srem', 'spop', 'smove', 'lpush', 'rpush',
  'lpushx', 'rpushx', 'lpop', 'rpop', 'lrem', 'ltrim', 'lset', 'linsert', 'zadd', 'zrem', 'zincrby', 'zremrangebyscore', 'zremrangebyrank',
  'getset', 'getdel', 'append', 'setrange', 'publish', 'xadd', 'xdel', 'xtrim', 'pfadd', 'geoadd', 'rename', 'setbit', 'json.set',
);
/** The batched Redis form of a per-key command. */
const REDIS_BATCHED: Record<string, string> = {
  get: 'mget(keys)',
  set: 'mset(…) or one pipeline()',
  sismember: 'smismember(key, members)',
  hget: 'hmget(key, fields), or one pipeline() for many keys',
  del: 'del(...keys)',
  unlink: 'unlink(...keys)',
  exists: 'exists(...keys)',
};

const HTTP_VERBS = set('get', 'delete', 'del', 'head', 'options', 'post', 'put', 'patch', 'request', 'postForm', 'putForm', 'patchForm');

/** Raw statement methods: a first argument that is SQL text makes them queries whatever the receiver (pg-promise included). */
const RAW_SQL_METHODS = set('query', 'execute', 'raw', 'unsafe', 'none', 'one', 'oneOrNone', 'many', 'manyOrNone', 'any', 'result', 'multi', 'run', 'all');

/** Calls that only convert a query's result and do not start another round trip. */
const PROMISE_METHODS = set('then', 'catch', 'finally');

/** Batched forms: calls with these names already send one statement for many rows. */
const BATCH_METHODS = set(
  'createMany', 'createManyAndReturn', 'bulkCreate', 'insertMany', 'bulkWrite', 'bulkSave', 'mget', 'mset', 'msetnx', 'hmget', 'smismember', 'zmscore',
  'findByIds', 'whereIn', 'orWhereIn', 'pipeline', 'multi', 'exec', 'batch', 'batchGet', 'batchWrite',
);

/** Well-known globals and builtins that are never models. */
const NOT_MODELS = set(
  'Math', 'Object', 'Array', 'JSON', 'Promise', 'Number', 'String', 'Boolean', 'Date', 'Reflect', 'Symbol', 'BigInt', 'Intl', 'Atomics', 'Buffer',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'RegExp', 'Error', 'URL', 'URLSearchParams', 'Proxy', 'Function', 'ArrayBuffer', 'DataView', 'Blob', 'Response',
  'Request', 'Headers', 'FormData', 'AbortController', 'TextEncoder', 'TextDecoder', 'Temporal', 'Iterator', 'EventEmitter', 'Stream', 'Readable',
);

/** Method names that can start a client operation (continuations like `json`, `lean`, `sort` cannot): the cheap first filter. */
const ANCHOR_NAMES: ReadonlySet<string> = new Set([
  ...PRISMA_READ, ...PRISMA_WRITE, ...PRISMA_RAW_READ, ...PRISMA_RAW_WRITE, ...TYPEORM_READ, ...TYPEORM_WRITE, 'createQueryBuilder', 'query',
  ...SEQUELIZE_READ, ...SEQUELIZE_WRITE, ...MONGOOSE_READ, ...MONGOOSE_WRITE, ...MONGODB_WRITE, ...KNEX_ROOT, 'raw', ...HTTP_VERBS,
  ...RAW_SQL_METHODS, 'send', 'fetch', 'from', 'rpc', 'selectDistinct', 'selectDistinctOn', '$count', 'axiosRef', ...REDIS_READ, ...REDIS_WRITE,
]);

/** Functions called directly that may be clients whatever their origin: `fetch(url)`, `knex('users')`, `db('users')`, `trx('users')`. */
const ROOT_CALL_NAMES = set('fetch', '$fetch', 'ofetch', 'knex', 'db', 'trx', 'database', 'sql');

// ---------------------------------------------------------------------------------------------
// Chains

interface Step {
  /** Identifier or property name; `this`; '' for another expression at the root. */
  name: string;
  node: ts.Expression;
  /** The call (or tag) applied to this step, if any: `find` in `repo.find(…)`. */
  call?: ClientCallNode;
}

/** `a.b(x).c()` → [a, b(x), c()] (root first). Undefined for shapes a client chain never has. */
function buildChain(outer: ClientCallNode): Step[] | undefined {
  const steps: Step[] = [];
  let expr: ts.Expression = outer;
  let pending: ClientCallNode | undefined;
  for (let guard = 0; guard < 40; guard++) {
    expr = skipParens(expr);
    if (ts.isCallExpression(expr) || ts.isTaggedTemplateExpression(expr)) {
      if (pending) return undefined; // f()()
      pending = expr;
      expr = ts.isCallExpression(expr) ? expr.expression : expr.tag;
      continue;
    }
    if (ts.isPropertyAccessExpression(expr)) {
      steps.push({ name: expr.name.text, node: expr, call: pending });
      pending = undefined;
      expr = expr.expression;
      continue;
    }
    if (ts.isElementAccessExpression(expr)) {
      const key = constantString(expr.argumentExpression);
      if (key === undefined) return undefined;
      steps.push({ name: key, node: expr, call: pending });
      pending = undefined;
      expr = expr.expression;
      continue;
    }
    if (ts.isIdentifier(expr)) steps.push({ name: expr.text, node: expr, call: pending });
    else if (expr.kind === SK.ThisKeyword) steps.push({ name: 'this', node: expr, call: pending });
    else steps.push({ name: '', node: expr, call: pending });
    return steps.reverse();
  }
  return undefined;
}

/** True when `call` is an inner link of a longer chain (`knex('t')` in `knex('t').where(…)`), not its end. */
function continuesChain(call: ClientCallNode): boolean {
  const parent = call.parent;
  if (!parent || !ts.isPropertyAccessExpression(parent) || parent.expression !== call || PROMISE_METHODS.has(parent.name.text)) return false;
  const grand = parent.parent;
  return !!grand && ((ts.isCallExpression(grand) && grand.expression === parent) || (ts.isTaggedTemplateExpression(grand) && grand.tag === parent));
}

/**
 * The cheap first filter, before any resolution: some method of the chain could start an
 * operation, or the chain's root is called and may be a client function. Walks the callee chain
 * without allocating.
 */
function passesNameFilter(call: ClientCallNode, facts: FileFacts): boolean {
  let expression: ts.Expression = ts.isCallExpression(call) ? call.expression : call.tag;
  let calledRoot = true;
  for (let guard = 0; guard < 40; guard++) {
    expression = skipParens(expression);
    if (ts.isPropertyAccessExpression(expression)) {
      const name = expression.name.text;
      if (ANCHOR_NAMES.has(name) || isCamelRedisCommand(name)) return !isBuiltinRoot(expression);
      expression = expression.expression;
      calledRoot = false;
      continue;
    }
    if (ts.isElementAccessExpression(expression)) {
      expression = expression.expression;
      calledRoot = false;
      continue;
    }
    if (ts.isCallExpression(expression)) {
      expression = expression.expression;
      calledRoot = true;
      continue;
    }
    if (ts.isTaggedTemplateExpression(expression)) {
      expression = expression.tag;
      calledRoot = true;
      continue;
    }
    break;
  }
  if (!calledRoot && !ts.isTaggedTemplateExpression(call)) return false;
  // A called root: fetch(…), knex('t'), an imported client function (`nodeFetch(u)`, `request(u)`), a module-level instance.
  if (ts.isIdentifier(expression)) {
    if (ROOT_CALL_NAMES.has(expression.text)) return true;
    const origin = facts.imports.get(expression.text);
    if (!origin) return false;
    return origin.instanceOf !== undefined || libOfModule(origin.module) !== undefined || (isUserModule(origin.module) && isLowerFirst(expression.text));
  }
  // this.knex('users'), this.db('users')
  return ts.isPropertyAccessExpression(expression) && expression.expression.kind === SK.ThisKeyword;
}

const lowerCased = new Map<string, boolean>();

/** node-redis v4 spells commands in camelCase (`hGetAll`, `sIsMember`); answered once per distinct name, without allocating after that. */
function isCamelRedisCommand(name: string): boolean {
  let known = lowerCased.get(name);
  if (known === undefined) {
    const lower = name.toLowerCase();
    known = lower !== name && (REDIS_READ.has(lower) || REDIS_WRITE.has(lower));
    if (lowerCased.size < 50_000) lowerCased.set(name, known);
  }
  return known;
}

/** `Math.max(…)`, `Object.values(…)`, `JSON.parse`, `require(…)…`: never a client. */
function isBuiltinRoot(access: ts.PropertyAccessExpression): boolean {
  let root: ts.Expression = access.expression;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root) || ts.isElementAccessExpression(root) || ts.isParenthesizedExpression(root)) {
    root = ts.isParenthesizedExpression(root) ? root.expression : root.expression;
  }
  return ts.isIdentifier(root) && (NOT_MODELS.has(root.text) || root.text === 'require' || root.text === 'console' || root.text === 'process' || root.text === 'document');
}

// ---------------------------------------------------------------------------------------------
// Values: what a name, member or expression holds, as far as clients go

type Role =
  | 'client' // a connected client / instance (Prisma, Redis, knex, HTTP instance, drizzle db, supabase, sql tag…)
  | 'class' // a class to construct
  | 'fn' // a function to call (factory, fetch, axios, getRepository)
  | 'module' // a module namespace
  | 'model' // a model / delegate / repository-like target of CRUD methods
  | 'repository'
  | 'manager'
  | 'datasource'
  | 'queryRunner'
  | 'db'
  | 'collection'
  | 'transaction' // a transaction object that is not itself a client (Sequelize `t`)
  | 'command'
  | 'global';

interface Val {
  lib: string;
  role: Role;
  /** For modules: the module specifier; for fn/class: the exported name. */
  module?: string;
  name?: string;
  model?: string;
  /** The transaction handle's name when the value is (bound to) a transaction. */
  tx?: string;
  /** One connection: queries queue. */
  single?: boolean;
}

interface Op {
  lib: string;
  kind: ClientKind;
  method: string;
  /** Index of the step whose call is the operation. */
  anchor: number;
  model?: string;
  /** The whole chain is the operation (query builders): render every step. */
  builder?: boolean;
  httpMethod?: string;
  raw?: boolean;
  statement?: string;
  sql?: string;
  tx?: string;
  single?: boolean;
}

type StepResult = { val: Val } | { op: Op } | undefined;

const v = (val: Val): StepResult => ({ val });
const o = (op: Op): StepResult => ({ op });

/** Which client library a module specifier is. User modules are judged by their path. */
function libOfModule(module: string): string | undefined {
  if (module === '@prisma/client' || module.startsWith('@prisma/client/') || /(^|\/)\.prisma\/client/.test(module)) return 'prisma';
  switch (module) {
    case 'typeorm':
    case '@nestjs/typeorm':
      return 'typeorm';
    case 'sequelize':
    case 'sequelize-typescript':
    case '@nestjs/sequelize':
      return 'sequelize';
    case 'mongoose':
    case '@nestjs/mongoose':
      return 'mongoose';
    case 'mongodb':
      return 'mongodb';
    case 'knex':
      return 'knex';
    case 'objection':
      return 'objection';
    case 'pg':
    case 'pg-pool':
      return 'pg';
    case 'mysql':
    case 'mysql2':
    case 'mysql2/promise':
      return 'mysql2';
    case 'ioredis':
    case 'redis':
    case '@redis/client':
    case '@upstash/redis':
    case '@nestjs-modules/ioredis':
    case '@liaoliaots/nestjs-redis':
      return 'redis';
    case 'axios':
      return 'axios';
    case 'got':
      return 'got';
    case 'ky':
    case 'ky-universal':
      return 'ky';
    case 'undici':
      return 'undici';
    case 'node-fetch':
    case 'cross-fetch':
    case 'isomorphic-fetch':
    case 'isomorphic-unfetch':
    case 'make-fetch-happen':
    case 'unfetch':
      return 'node-fetch';
    case 'ofetch':
      return 'ofetch';
    case 'superagent':
      return 'superagent';
    case '@nestjs/axios':
      return 'nest-http';
    case '@supabase/supabase-js':
      return 'supabase';
    case 'postgres':
      return 'postgres';
    case '@vercel/postgres':
      return 'vercel-postgres';
    case '@neondatabase/serverless':
      return 'neon';
    case '@aws-sdk/client-dynamodb':
    case '@aws-sdk/lib-dynamodb':
      return 'dynamodb';
    default:
      if (module === 'drizzle-orm' || module.startsWith('drizzle-orm/')) return 'drizzle';
      return undefined;
  }
}

function isUserModule(module: string): boolean {
  return /^(\.|@\/|~\/|#|src\/|app\/|lib\/|server\/)/.test(module);
}

function isLowerFirst(name: string): boolean {
  return /^[a-z_$]/.test(name);
}

/** A name that says what it holds: `prisma`, `this.prismaService`, `ctx.prisma`, `redisClient`, `knex`. */
function hintValue(name: string): Val | undefined {
  if (/prisma/i.test(name)) return { lib: 'prisma', role: 'client' };
  if (/redis/i.test(name)) return { lib: 'redis', role: 'client' };
  if (name === 'knex') return { lib: 'knex', role: 'client' };
  if (/^supabase/i.test(name)) return { lib: 'supabase', role: 'client' };
  return undefined;
}

/** The value an import binding holds. */
function importValue(origin: ImportOrigin, localName: string): Val | undefined {
  const { module, imported } = origin;
  const lib = libOfModule(module);
  const whole = imported === '*' || imported === 'default';
  if (!lib) {
    if (!isUserModule(module) || !isLowerFirst(localName)) {
      if (isUserModule(module) && /^App?DataSource$|DataSource$/.test(localName) && /data-?source|typeorm|database|db/i.test(module)) return { lib: 'typeorm', role: 'datasource' };
      return undefined;
    }
    // import { prisma } from '@/lib/prisma'; import redis from '../redis'; import db from './knex'
    if (/prisma/i.test(module)) return { lib: 'prisma', role: 'client' };
    if (/redis/i.test(module)) return { lib: 'redis', role: 'client' };
    if (/knex/i.test(module)) return { lib: 'knex', role: 'client' };
    if (/supabase/i.test(module)) return { lib: 'supabase', role: 'client' };
    if (/drizzle/i.test(module)) return { lib: 'drizzle', role: 'client' };
    if (/data-?source/i.test(module) && /source/i.test(localName)) return { lib: 'typeorm', role: 'datasource' };
    return hintValue(localName);
  }
  const named = (name: string): boolean => imported === name;
  switch (lib) {
    case 'prisma':
      if (named('PrismaClient')) return { lib, role: 'class', name: 'PrismaClient' };
      if (named('Prisma') || !isLowerFirst(localName)) return undefined;
      return { lib, role: 'client' };
    case 'typeorm':
      if (named('DataSource') || named('Connection')) return { lib, role: 'class', name: 'DataSource' };
      if (['getRepository', 'getTreeRepository', 'getMongoRepository', 'getCustomRepository', 'getManager', 'getConnection', 'createConnection'].includes(imported)) {
        return { lib, role: 'fn', name: imported };
      }
      return whole ? { lib, role: 'module', module } : undefined;
    case 'sequelize':
      if (named('Sequelize')) return { lib, role: 'class', name: 'Sequelize' };
      if (named('Model')) return { lib, role: 'class', name: 'Model' };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'mongoose':
      if (named('model')) return { lib, role: 'fn', name: 'model' };
      if (named('Model')) return { lib, role: 'class', name: 'Model' };
      if (named('createConnection')) return { lib, role: 'fn', name: 'createConnection' };
      return whole || named('mongoose') ? { lib, role: 'module', module } : undefined;
    case 'mongodb':
      if (named('MongoClient')) return { lib, role: 'class', name: 'MongoClient' };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'knex':
      return whole || named('knex') ? { lib, role: 'fn', name: 'knex' } : undefined;
    case 'objection':
      return named('Model') ? { lib, role: 'class', name: 'Model' } : undefined;
    case 'pg':
      if (named('Pool')) return { lib, role: 'class', name: 'Pool' };
      if (named('Client')) return { lib, role: 'class', name: 'Client' };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'mysql2':
      if (['createPool', 'createConnection', 'createPoolCluster'].includes(imported)) return { lib, role: 'fn', name: imported };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'redis':
      if (named('createClient') || named('createCluster')) return { lib, role: 'fn', name: imported };
      if (named('Redis') || named('Cluster') || whole) return { lib, role: 'class', name: 'Redis' };
      return undefined;
    case 'axios':
      return whole || named('axios') ? { lib, role: 'fn', name: 'axios' } : undefined;
    case 'got':
      return whole || named('got') ? { lib, role: 'fn', name: 'got' } : undefined;
    case 'ky':
      return whole || named('ky') ? { lib, role: 'fn', name: 'ky' } : undefined;
    case 'undici':
      if (named('request') || named('fetch')) return { lib, role: 'fn', name: imported };
      if (named('Client') || named('Pool') || named('Agent')) return { lib, role: 'class', name: imported };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'node-fetch':
      return whole || named('fetch') ? { lib, role: 'fn', name: 'fetch' } : undefined;
    case 'ofetch':
      return named('ofetch') || named('$fetch') || whole ? { lib, role: 'fn', name: 'ofetch' } : undefined;
    case 'superagent':
      return whole ? { lib, role: 'fn', name: 'superagent' } : undefined;
    case 'drizzle':
      return named('drizzle') ? { lib, role: 'fn', name: 'drizzle' } : undefined;
    case 'supabase':
      return named('createClient') ? { lib, role: 'fn', name: 'createClient' } : undefined;
    case 'postgres':
      return whole ? { lib, role: 'fn', name: 'postgres' } : undefined;
    case 'vercel-postgres':
      if (named('sql')) return { lib: 'postgres', role: 'client' };
      if (named('db') || named('createPool') || named('createClient')) return named('db') ? { lib: 'pg', role: 'client' } : { lib: 'pg', role: 'fn', name: imported };
      return undefined;
    case 'neon':
      return named('neon') ? { lib: 'postgres', role: 'fn', name: 'postgres' } : undefined;
    case 'dynamodb':
      if (imported.endsWith('Command')) return { lib, role: 'command', name: imported };
      if (named('DynamoDBClient') || named('DynamoDBDocumentClient') || named('DynamoDB')) return { lib, role: 'class', name: imported };
      return undefined;
    default:
      return undefined;
  }
}

/** `new X(…)` */
function construct(base: Val | undefined): Val | undefined {
  if (!base) return undefined;
  if (base.role === 'module') {
    // const Sequelize = require('sequelize'); new Sequelize(…)   /   new Redis() from a default import
    if (base.lib === 'sequelize') return { lib: base.lib, role: 'client' };
    return undefined;
  }
  if (base.role !== 'class') return undefined;
  switch (base.lib) {
    case 'prisma':
      return { lib: 'prisma', role: 'client' };
    case 'typeorm':
      return { lib: 'typeorm', role: 'datasource' };
    case 'sequelize':
      return base.name === 'Sequelize' ? { lib: 'sequelize', role: 'client' } : undefined;
    case 'mongodb':
      return { lib: 'mongodb', role: 'client' };
    case 'pg':
      return base.name === 'Client' ? { lib: 'pg', role: 'client', single: true } : { lib: 'pg', role: 'client' };
    case 'redis':
      return { lib: 'redis', role: 'client' };
    case 'undici':
      return { lib: 'undici', role: 'client' };
    case 'dynamodb':
      return { lib: 'dynamodb', role: 'client' };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolution of names, members and expressions

interface Ctx {
  facts: FileFacts;
  depth: number;
}

const deeper = (ctx: Ctx): Ctx => ({ facts: ctx.facts, depth: ctx.depth + 1 });

function nameValue(name: string, at: ts.Node, ctx: Ctx): Val | undefined {
  if (ctx.depth > 5) return undefined;
  const declaration = lookup(name, at);
  if (!declaration) {
    if (name === 'fetch') return { lib: 'fetch', role: 'fn', name: 'fetch' };
    if (name === '$fetch') return { lib: 'ofetch', role: 'fn', name: 'ofetch' };
    if (name === 'window' || name === 'globalThis' || name === 'self') return { lib: 'global', role: 'global' };
    return undefined;
  }
  const { facts } = ctx;
  switch (declaration.kind) {
    case 'import': {
      const origin = facts.imports.get(name);
      return origin ? importValue(origin, name) : undefined;
    }
    case 'parameter':
      return parameterValue(declaration.node as ts.ParameterDeclaration, name, ctx);
    case 'const':
    case 'let':
    case 'var':
    case 'using': {
      if (ts.isSourceFile(declaration.scope)) {
        // const pg = require('pg'); const { Pool } = require('pg')
        const origin = facts.imports.get(name);
        if (origin && !origin.instanceOf) {
          const value = importValue(origin, name);
          if (value) return value;
        }
      }
      if (declaration.type) {
        const typed = typeNodeValue(declaration.type, ctx);
        if (typed) return typed;
      }
      if (declaration.initializer) {
        const value = exprValue(declaration.initializer, deeper(ctx));
        if (value) return value;
      }
      return hintValue(name);
    }
    case 'class':
      return classValue(declaration.node as ts.ClassDeclaration, deeper(ctx));
    default:
      return undefined;
  }
}

function parameterValue(parameter: ts.ParameterDeclaration, name: string, ctx: Ctx): Val | undefined {
  if (parameter.type) {
    const typed = typeNodeValue(parameter.type, ctx);
    if (typed) return typed;
  }
  const decorated = decoratorValue(parameter, ctx);
  if (decorated) return decorated;
  const fn = parameter.parent;
  if (fn && isFunctionLike(fn)) {
    const tx = transactionParameterValue(fn, parameter, name, ctx);
    if (tx) return tx;
  }
  if (parameter.initializer) {
    const value = exprValue(parameter.initializer, deeper(ctx));
    if (value) return value;
  }
  return hintValue(name);
}

const TRANSACTION_METHODS = set('transaction', 'transactional', 'withTransaction', 'runInTransaction', 'begin', 'tx', 'task');

/** The call `fn` is passed to, if it is passed directly (through parentheses). */
function callReceiving(fn: ts.Node): ts.CallExpression | undefined {
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  return call && ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression) ? call : undefined;
}

/** `prisma.$transaction(async (tx) => …)`, `knex.transaction(async (trx) => …)`, `dataSource.transaction(async (manager) => …)`. */
function transactionParameterValue(fn: ts.Node, parameter: ts.ParameterDeclaration, name: string, ctx: Ctx): Val | undefined {
  const call = callReceiving(fn);
  if (!call) return undefined;
  const method = calleeName(call);
  if (method === undefined) return undefined;
  const first = (fn as ts.FunctionLikeDeclaration).parameters[0];
  if (first !== parameter) return undefined;
  if (method === '$transaction') return { lib: 'prisma', role: 'client', tx: name };
  if (!TRANSACTION_METHODS.has(method)) return undefined;
  const receiver = ts.isPropertyAccessExpression(skipParens(call.expression)) ? (skipParens(call.expression) as ts.PropertyAccessExpression).expression : undefined;
  const owner = receiver ? exprValue(receiver, deeper(ctx)) : undefined;
  const lib = owner?.lib ?? guessTransactionLibrary(name, ctx.facts);
  switch (lib) {
    case 'knex':
      return { lib: 'knex', role: 'client', tx: name };
    case 'typeorm':
      return { lib: 'typeorm', role: 'manager', tx: name };
    case 'sequelize':
      return { lib: 'sequelize', role: 'transaction', tx: name };
    case 'drizzle':
      return { lib: 'drizzle', role: 'client', tx: name };
    case 'postgres':
      return { lib: 'postgres', role: 'client', tx: name };
    case 'mikro-orm':
      return undefined;
    default:
      return undefined;
  }
}

function guessTransactionLibrary(name: string, facts: FileFacts): string | undefined {
  if (name === 'trx') return 'knex';
  if (/^(manager|em|entityManager|transactionalEntityManager)$/.test(name)) return 'typeorm';
  if (facts.imports.importsAny((m) => m === 'drizzle-orm' || m.startsWith('drizzle-orm/'))) return 'drizzle';
  if (facts.imports.imports('knex')) return 'knex';
  if (facts.imports.imports('typeorm')) return 'typeorm';
  if (facts.imports.imports('sequelize') || facts.imports.imports('sequelize-typescript')) return 'sequelize';
  return undefined;
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? [];
}

/** Nest injection: `@InjectRepository(User) repo`, `@InjectModel(Cat.name) model`, `@InjectRedis() redis`. */
function decoratorValue(node: ts.Node, ctx: Ctx): Val | undefined {
  for (const decorator of decoratorsOf(node)) {
    const expression = decorator.expression;
    if (!ts.isCallExpression(expression)) continue;
    const name = calleeName(expression);
    const first = expression.arguments[0];
    const model = first ? entityName(first) : undefined;
    const module = name ? ctx.facts.imports.get(name)?.module : undefined;
    switch (name) {
      case 'InjectRepository':
        return { lib: 'typeorm', role: 'repository', model };
      case 'InjectEntityManager':
        return { lib: 'typeorm', role: 'manager' };
      case 'InjectDataSource':
        return { lib: 'typeorm', role: 'datasource' };
      case 'InjectModel':
        if (module === '@nestjs/sequelize') return { lib: 'sequelize', role: 'model', model };
        return { lib: 'mongoose', role: 'model', model };
      case 'InjectRedis':
        return { lib: 'redis', role: 'client' };
      case 'InjectKnex':
        return { lib: 'knex', role: 'client' };
      case 'InjectConnection':
        if (module === '@nestjs/typeorm') return { lib: 'typeorm', role: 'datasource' };
        if (module && /knex/.test(module)) return { lib: 'knex', role: 'client' };
        return undefined;
      default:
        break;
    }
  }
  return undefined;
}

/** `User` for `User`, `User.name`, `'User'`. */
function entityName(node: ts.Expression): string | undefined {
  const inner = skipParens(node);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.expression) && inner.name.text === 'name') return inner.expression.text;
  return constantString(inner);
}

/** Types that name a client: `PrismaClient`, `Repository<User>`, `Knex.Transaction`, `PoolClient`, `Redis`. */
function typeNodeValue(type: ts.TypeNode, ctx: Ctx): Val | undefined {
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) {
    for (const part of type.types) {
      const value = typeNodeValue(part, ctx);
      if (value) return value;
    }
    return undefined;
  }
  if (ts.isTypeQueryNode(type) && ts.isIdentifier(type.exprName)) return nameValue(type.exprName.text, type, deeper(ctx));
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const typeName = type.typeName;
  const left = ts.isQualifiedName(typeName) && ts.isIdentifier(typeName.left) ? typeName.left.text : undefined;
  const right = ts.isQualifiedName(typeName) ? typeName.right.text : typeName.text;
  const origin = ctx.facts.imports.get(left ?? right);
  const lib = origin ? libOfModule(origin.module) : undefined;
  const argument = type.typeArguments?.[0];
  const model = argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) ? argument.typeName.text : undefined;
  const imports = ctx.facts.imports;
  const typeormFile = lib === 'typeorm' || (!origin && (imports.imports('typeorm') || imports.imports('@nestjs/typeorm')));
  if (/^(Extended)?Prisma(Client|Service)$|PrismaService$/.test(right) || (lib === 'prisma' && right === 'PrismaClient')) return { lib: 'prisma', role: 'client' };
  if (lib === 'prisma' && right === 'TransactionClient') return { lib: 'prisma', role: 'client', tx: 'tx' };
  if (typeormFile) {
    if (right === 'Repository' || right === 'TreeRepository' || right === 'MongoRepository') return { lib: 'typeorm', role: 'repository', model };
    if (right === 'EntityManager' || right === 'MongoEntityManager') return { lib: 'typeorm', role: 'manager' };
    if (right === 'DataSource' || right === 'Connection') return { lib: 'typeorm', role: 'datasource' };
    if (right === 'QueryRunner') return { lib: 'typeorm', role: 'queryRunner', single: true };
  }
  switch (lib) {
    case 'knex':
      if (right === 'Knex' || (left === 'Knex' && right !== 'Transaction')) return { lib, role: 'client' };
      if (right === 'Transaction') return { lib, role: 'client', tx: 'trx' };
      return undefined;
    case 'pg':
      if (right === 'Pool') return { lib, role: 'client' };
      if (right === 'PoolClient' || right === 'Client') return { lib, role: 'client', single: true };
      return undefined;
    case 'mysql2':
      if (right === 'Pool' || right === 'PoolCluster') return { lib, role: 'client' };
      if (right === 'PoolConnection' || right === 'Connection') return { lib, role: 'client', single: true };
      return undefined;
    case 'redis':
      return /^(Redis|Cluster|RedisClientType|RedisClusterType|RedisClient)$/.test(right) ? { lib, role: 'client' } : undefined;
    case 'mongoose':
      return right === 'Model' ? { lib, role: 'model', model } : undefined;
    case 'mongodb':
      if (right === 'MongoClient') return { lib, role: 'client' };
      if (right === 'Db') return { lib, role: 'db' };
      if (right === 'Collection') return { lib, role: 'collection', model };
      return undefined;
    case 'sequelize':
      if (right === 'Sequelize') return { lib, role: 'client' };
      if (right === 'ModelStatic' || right === 'ModelCtor') return { lib, role: 'model', model };
      return undefined;
    case 'axios':
      return right === 'AxiosInstance' || right === 'AxiosStatic' ? { lib, role: 'fn', name: 'axios' } : undefined;
    case 'got':
      return right === 'Got' ? { lib, role: 'fn', name: 'got' } : undefined;
    case 'ky':
      return right === 'KyInstance' ? { lib, role: 'fn', name: 'ky' } : undefined;
    case 'nest-http':
      return right === 'HttpService' ? { lib, role: 'client' } : undefined;
    case 'drizzle':
      return /Database$/.test(right) ? { lib, role: 'client' } : undefined;
    case 'supabase':
      return right === 'SupabaseClient' ? { lib, role: 'client' } : undefined;
    case 'dynamodb':
      return /^DynamoDB(Document)?Client$/.test(right) ? { lib, role: 'client' } : undefined;
    default:
      return undefined;
  }
}

/** `class User extends Model`, `class UserRepository extends Repository<User>`, `class PrismaService extends PrismaClient`. */
function classValue(declaration: ts.ClassLikeDeclaration, ctx: Ctx): Val | undefined {
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0];
  if (!heritage) return undefined;
  const base = exprValue(heritage.expression, deeper(ctx));
  const name = declaration.name?.text;
  if (base?.role === 'class') {
    if (base.lib === 'sequelize' && base.name === 'Model') return { lib: 'sequelize', role: 'model', model: name };
    if (base.lib === 'mongoose' && base.name === 'Model') return { lib: 'mongoose', role: 'model', model: name };
    if (base.lib === 'objection') return { lib: 'objection', role: 'model', model: name };
  }
  const baseName = ts.isIdentifier(heritage.expression) ? heritage.expression.text : undefined;
  const origin = baseName ? ctx.facts.imports.get(baseName) : undefined;
  if (origin && libOfModule(origin.module) === 'typeorm' && baseName === 'BaseEntity') return { lib: 'typeorm', role: 'model', model: name, name: 'entity' };
  if (origin && libOfModule(origin.module) === 'sequelize' && baseName === 'Model') return { lib: 'sequelize', role: 'model', model: name };
  return undefined;
}

/** What `this` is inside a class: a repository (`extends Repository<User>`) or a Prisma client (`extends PrismaClient`). */
function selfValue(declaration: ts.ClassLikeDeclaration, ctx: Ctx): Val | undefined {
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0];
  if (!heritage || !ts.isIdentifier(heritage.expression)) return undefined;
  const origin = ctx.facts.imports.get(heritage.expression.text);
  const lib = origin ? libOfModule(origin.module) : undefined;
  const model = heritage.typeArguments?.[0] && ts.isTypeReferenceNode(heritage.typeArguments[0]) && ts.isIdentifier(heritage.typeArguments[0].typeName)
    ? heritage.typeArguments[0].typeName.text
    : undefined;
  if (lib === 'typeorm' && /Repository$/.test(heritage.expression.text)) return { lib, role: 'repository', model };
  if (lib === 'prisma' && heritage.expression.text === 'PrismaClient') return { lib, role: 'client' };
  return undefined;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    // `this` inside a non-arrow function that is not a method is not the class instance.
    if ((ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) && !ts.isMethodDeclaration(current)) return undefined;
  }
  return undefined;
}

/** `this.x`: a property declaration, a constructor parameter property, or `this.x = …` in the constructor. */
function memberValue(declaration: ts.ClassLikeDeclaration, name: string, ctx: Ctx): Val | undefined {
  if (ctx.depth > 5) return undefined;
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name) {
      if (member.type) {
        const typed = typeNodeValue(member.type, ctx);
        if (typed) return typed;
      }
      const decorated = decoratorValue(member, ctx);
      if (decorated) return decorated;
      if (member.initializer) {
        const value = exprValue(member.initializer, deeper(ctx));
        if (value) return value;
      }
      return hintValue(name);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length) {
          return parameterValue(parameter, name, ctx);
        }
      }
      const assigned = member.body?.statements.find(
        (statement) =>
          ts.isExpressionStatement(statement) &&
          ts.isBinaryExpression(statement.expression) &&
          statement.expression.operatorToken.kind === SK.EqualsToken &&
          ts.isPropertyAccessExpression(statement.expression.left) &&
          statement.expression.left.expression.kind === SK.ThisKeyword &&
          statement.expression.left.name.text === name,
      );
      if (assigned) {
        const value = exprValue(((assigned as ts.ExpressionStatement).expression as ts.BinaryExpression).right, deeper(ctx));
        if (value) return value;
      }
    }
  }
  return hintValue(name);
}

function exprValue(expression: ts.Expression, ctx: Ctx): Val | undefined {
  if (ctx.depth > 6) return undefined;
  let e = skipParens(expression);
  if (ts.isAwaitExpression(e)) e = skipParens(e.expression);
  if (ts.isIdentifier(e)) return nameValue(e.text, e, ctx);
  if (ts.isPropertyAccessExpression(e)) {
    const object = skipParens(e.expression);
    if (object.kind === SK.ThisKeyword) {
      const cls = enclosingClass(object);
      return cls ? memberValue(cls, e.name.text, deeper(ctx)) : hintValue(e.name.text);
    }
    const base = exprValue(object, deeper(ctx));
    const result = base ? member(base, e.name.text) : undefined;
    return result ?? hintValue(e.name.text);
  }
  if (ts.isNewExpression(e)) return construct(exprValue(e.expression, deeper(ctx)));
  if (ts.isCallExpression(e)) {
    const callee = skipParens(e.expression);
    if (ts.isIdentifier(callee) && callee.text === 'require') {
      const specifier = constantString(e.arguments[0]);
      return specifier === undefined ? undefined : importValue({ module: specifier.replace(/^node:/, ''), imported: '*' }, '');
    }
    if (ts.isIdentifier(callee)) {
      const result = invoke(nameValue(callee.text, callee, deeper(ctx)), e, ctx);
      return result && 'val' in result ? result.val : undefined;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const object = skipParens(callee.expression);
      const base = object.kind === SK.ThisKeyword ? selfOf(object, ctx) : exprValue(object, deeper(ctx));
      if (!base) return undefined;
      const result = callMember(base, callee.name.text, e, ctx);
      return result && 'val' in result ? result.val : undefined;
    }
    return undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === SK.QuestionQuestionToken || op === SK.BarBarToken) return exprValue(e.left, deeper(ctx)) ?? exprValue(e.right, deeper(ctx));
    return undefined;
  }
  if (ts.isConditionalExpression(e)) return exprValue(e.whenTrue, deeper(ctx)) ?? exprValue(e.whenFalse, deeper(ctx));
  return undefined;
}

function selfOf(node: ts.Node, ctx: Ctx): Val | undefined {
  const cls = enclosingClass(node);
  return cls ? selfValue(cls, ctx) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Transitions: a member of a value, a call of a value, a method call on a value

function member(val: Val, name: string): Val | undefined {
  if (val.role === 'module' && val.module) {
    const imported = importValue({ module: val.module, imported: name }, name);
    if (imported) return imported;
  }
  if (val.role === 'global') return name === 'fetch' ? { lib: 'fetch', role: 'fn', name: 'fetch' } : undefined;
  switch (val.lib) {
    case 'prisma':
      if (val.role === 'client' && !name.startsWith('$')) return { ...val, role: 'model', model: name };
      return undefined;
    case 'typeorm':
      if (name === 'manager' && (val.role === 'datasource' || val.role === 'queryRunner' || val.role === 'repository')) {
        return { lib: 'typeorm', role: 'manager', tx: val.role === 'queryRunner' ? 'queryRunner' : val.tx, single: val.single };
      }
      return undefined;
    case 'sequelize':
      if (val.role === 'client' && name === 'models') return { lib: 'sequelize', role: 'db' };
      if (val.role === 'db') return { lib: 'sequelize', role: 'model', model: name };
      return undefined;
    case 'mongoose':
      if (val.role === 'module' && name === 'connection') return { lib: 'mongoose', role: 'client' };
      if ((val.role === 'client' || val.role === 'module') && name === 'models') return { lib: 'mongoose', role: 'db' };
      if (val.role === 'db') return { lib: 'mongoose', role: 'model', model: name };
      return undefined;
    case 'drizzle':
      if (val.role === 'client' && name === 'query') return { ...val, role: 'db' };
      if (val.role === 'db') return { ...val, role: 'model', model: name };
      return undefined;
    default:
      return undefined;
  }
}

/** Calling a value directly: `fetch(url)`, `knex('users')`, `getRepository(User)`, `sql\`…\``, `knex(config)`. */
function invoke(val: Val | undefined, call: ClientCallNode, _ctx: Ctx, anchor = 0): StepResult {
  if (!val) return undefined;
  if (ts.isTaggedTemplateExpression(call)) {
    if (val.lib === 'postgres' && val.role === 'client') return rawOp('postgres', 'sql', anchor, sqlOfTemplate(call.template), val);
    return undefined;
  }
  if (val.role === 'fn') {
    switch (val.name) {
      case 'fetch':
      case 'ofetch':
        return o({ lib: val.lib === 'fetch' ? 'fetch' : val.lib, kind: 'http', method: val.name, anchor, httpMethod: httpMethodOf(call.arguments[1], 'GET') });
      case 'axios':
        return o({ lib: 'axios', kind: 'http', method: 'axios', anchor, httpMethod: httpMethodOf(call.arguments.length > 1 ? call.arguments[1] : call.arguments[0], 'GET') });
      case 'got':
      case 'ky':
        return o({ lib: val.name, kind: 'http', method: val.name, anchor, httpMethod: httpMethodOf(call.arguments[1], 'GET') });
      case 'superagent': {
        const verb = constantString(call.arguments[0]);
        return o({ lib: 'superagent', kind: 'http', method: 'superagent', anchor, httpMethod: call.arguments.length > 1 && verb ? verb.toUpperCase() : 'GET' });
      }
      case 'request':
        return o({ lib: 'undici', kind: 'http', method: 'request', anchor, httpMethod: httpMethodOf(call.arguments[1], 'GET') });
      case 'knex':
        return v({ lib: 'knex', role: 'client' });
      case 'getRepository':
      case 'getTreeRepository':
      case 'getMongoRepository':
      case 'getCustomRepository':
        return v({ lib: 'typeorm', role: 'repository', model: call.arguments[0] ? entityName(call.arguments[0]) : undefined });
      case 'getManager':
        return v({ lib: 'typeorm', role: 'manager' });
      case 'getConnection':
      case 'createConnection':
        if (val.lib === 'mysql2') return v({ lib: 'mysql2', role: 'client', single: true });
        return v({ lib: val.lib, role: val.lib === 'mongoose' ? 'client' : 'datasource' });
      case 'model':
        return v({ lib: 'mongoose', role: 'model', model: call.arguments[0] ? entityName(call.arguments[0]) : undefined });
      case 'createPool':
      case 'createPoolCluster':
        return v({ lib: val.lib, role: 'client' });
      case 'createClient':
      case 'createCluster':
        return v({ lib: val.lib, role: 'client' });
      case 'drizzle':
        return v({ lib: 'drizzle', role: 'client' });
      case 'postgres':
        return v({ lib: 'postgres', role: 'client' });
      default:
        break;
    }
    return undefined;
  }
  if (val.role === 'client') {
    if (val.lib === 'knex') {
      // knex('users') / trx('users'): a query builder on a table.
      const table = call.arguments[0] ? constantString(call.arguments[0]) ?? entityName(call.arguments[0]) : undefined;
      return o({ lib: 'knex', kind: 'query', method: 'table', anchor, model: table, builder: true, tx: val.tx });
    }
    if (val.lib === 'postgres') return undefined; // sql(values) helpers
  }
  return undefined;
}

/** A method call on a value: `repo.findOneBy(…)`, `pool.query(…)`, `axios.get(…)`, `dataSource.getRepository(User)`. */
function callMember(val: Val, name: string, call: ClientCallNode, ctx: Ctx, anchor = 0): StepResult {
  if (val.role === 'module' || val.role === 'global') {
    const fn = member(val, name);
    if (fn) return invoke(fn, call, ctx, anchor);
    if (val.role === 'module') return moduleCall(val, name, call, anchor);
    return undefined;
  }
  const args = ts.isCallExpression(call) ? call.arguments : undefined;
  switch (val.lib) {
    case 'prisma': {
      if (val.role === 'client') {
        if (PRISMA_RAW_READ.has(name)) return rawOp('prisma', name, anchor, sqlOfCall(call, ctx), val, 'query');
        if (PRISMA_RAW_WRITE.has(name)) return rawOp('prisma', name, anchor, sqlOfCall(call, ctx), val, 'write');
        return undefined;
      }
      if (val.role === 'model') {
        if (PRISMA_READ.has(name)) return o({ lib: 'prisma', kind: 'query', method: name, anchor, model: val.model, tx: val.tx });
        if (PRISMA_WRITE.has(name)) return o({ lib: 'prisma', kind: 'write', method: name, anchor, model: val.model, tx: val.tx });
      }
      return undefined;
    }
    case 'typeorm':
      return typeormCall(val, name, call, anchor);
    case 'sequelize':
      if (val.role === 'client') {
        if (name === 'query') return rawOp('sequelize', name, anchor, sqlOfCall(call, ctx), val);
        if (name === 'model' || name === 'define') return v({ lib: 'sequelize', role: 'model', model: args?.[0] ? constantString(args[0]) : undefined });
        return undefined;
      }
      if (val.role === 'model') {
        if (SEQUELIZE_READ.has(name)) return o({ lib: 'sequelize', kind: 'query', method: name, anchor, model: val.model });
        if (SEQUELIZE_WRITE.has(name)) return o({ lib: 'sequelize', kind: 'write', method: name, anchor, model: val.model });
      }
      return undefined;
    case 'mongoose':
      if (val.role === 'client') {
        if (name === 'model') return v({ lib: 'mongoose', role: 'model', model: args?.[0] ? entityName(args[0]) : undefined });
        return undefined;
      }
      if (val.role === 'model') {
        if (MONGOOSE_READ.has(name)) return o({ lib: 'mongoose', kind: 'query', method: name, anchor, model: val.model });
        if (MONGOOSE_WRITE.has(name)) return o({ lib: 'mongoose', kind: 'write', method: name, anchor, model: val.model });
      }
      return undefined;
    case 'mongodb':
      if (val.role === 'client' && name === 'db') return v({ lib: 'mongodb', role: 'db' });
      if (val.role === 'class' && name === 'connect') return v({ lib: 'mongodb', role: 'client' });
      if (val.role === 'db' && name === 'collection') return v({ lib: 'mongodb', role: 'collection', model: args?.[0] ? constantString(args[0]) : undefined });
      if (val.role === 'collection') {
        if (MONGODB_READ.has(name)) return o({ lib: 'mongodb', kind: 'query', method: name, anchor, model: val.model });
        if (MONGODB_WRITE.has(name)) return o({ lib: 'mongodb', kind: 'write', method: name, anchor, model: val.model });
      }
      return undefined;
    case 'knex':
      if (val.role !== 'client') return undefined;
      if (name === 'raw') return rawOp('knex', name, anchor, sqlOfCall(call, ctx), val);
      if (KNEX_ROOT.has(name)) return o({ lib: 'knex', kind: 'query', method: name, anchor, builder: true, tx: val.tx });
      return undefined;
    case 'objection':
      if (val.role === 'model' && name === 'query') return o({ lib: 'objection', kind: 'query', method: 'query', anchor, model: val.model, builder: true });
      return undefined;
    case 'pg':
    case 'mysql2':
      if (val.role === 'fn' || val.role === 'class') return undefined;
      if (name === 'query' || name === 'execute') return rawOp(val.lib, name, anchor, sqlOfCall(call, ctx), val);
      if (name === 'connect' || name === 'getConnection') return v({ lib: val.lib, role: 'client', single: true });
      if (name === 'promise') return v(val);
      return undefined;
    case 'redis': {
      if (val.role === 'class' && name === 'fromEnv') return v({ lib: 'redis', role: 'client' });
      if (val.role !== 'client') return undefined;
      const command = name.toLowerCase();
      if (REDIS_READ.has(command)) return o({ lib: 'redis', kind: 'query', method: name, anchor });
      if (REDIS_WRITE.has(command)) return o({ lib: 'redis', kind: 'write', method: name, anchor });
      if (name === 'duplicate') return v(val);
      return undefined;
    }
    case 'axios':
    case 'got':
    case 'ky':
    case 'ofetch':
    case 'superagent':
      if (name === 'create' || name === 'extend') return v({ lib: val.lib, role: 'fn', name: val.name });
      if (name === 'raw' && val.lib === 'ofetch') return o({ lib: 'ofetch', kind: 'http', method: name, anchor, httpMethod: httpMethodOf(args?.[1], 'GET') });
      if (HTTP_VERBS.has(name)) return httpVerbOp(val.lib, name, call, anchor);
      return undefined;
    case 'nest-http':
      if (HTTP_VERBS.has(name) || name === 'axiosRef') return httpVerbOp('nest-http', name, call, anchor);
      return undefined;
    case 'undici':
      if (val.role === 'client' && (name === 'request' || name === 'fetch')) {
        const options = args?.[0];
        return o({ lib: 'undici', kind: 'http', method: name, anchor, httpMethod: httpMethodOf(options, undefined) });
      }
      return undefined;
    case 'drizzle':
      if (val.role === 'client') {
        if (name === 'select' || name === 'selectDistinct' || name === 'selectDistinctOn' || name === '$count') return o({ lib: 'drizzle', kind: 'query', method: name, anchor, builder: true, tx: val.tx });
        if (name === 'insert' || name === 'update' || name === 'delete') {
          return o({ lib: 'drizzle', kind: 'write', method: name, anchor, builder: true, model: args?.[0] ? entityName(args[0]) : undefined, tx: val.tx });
        }
        if (name === 'execute') return rawOp('drizzle', name, anchor, sqlOfCall(call, ctx), val);
      }
      if (val.role === 'model' && (name === 'findFirst' || name === 'findMany')) return o({ lib: 'drizzle', kind: 'query', method: name, anchor, model: val.model, tx: val.tx });
      return undefined;
    case 'supabase':
      if (val.role !== 'client') return undefined;
      if (name === 'from') return o({ lib: 'supabase', kind: 'query', method: 'from', anchor, model: args?.[0] ? constantString(args[0]) : undefined, builder: true });
      if (name === 'rpc') return o({ lib: 'supabase', kind: 'query', method: 'rpc', anchor });
      return undefined;
    case 'postgres':
      if (val.role === 'client' && name === 'unsafe') return rawOp('postgres', name, anchor, sqlOfCall(call, ctx), val);
      return undefined;
    case 'dynamodb':
      if (val.role === 'class' && name === 'from') return v({ lib: 'dynamodb', role: 'client' });
      if (val.role === 'client' && name === 'send') return dynamoOp(call, anchor, ctx);
      return undefined;
    default:
      return undefined;
  }
}

/** `mysql.createPool(…)`, `pg.Pool` is a member; `mongoose.model('User')`; `axios.get` through `import * as axios`. */
function moduleCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  if (!ts.isCallExpression(call)) return undefined;
  if (val.lib === 'mongoose' && name === 'model') return v({ lib: 'mongoose', role: 'model', model: call.arguments[0] ? entityName(call.arguments[0]) : undefined });
  if (val.lib === 'mysql2' && (name === 'createPool' || name === 'createPoolCluster')) return v({ lib: 'mysql2', role: 'client' });
  if (val.lib === 'mysql2' && name === 'createConnection') return v({ lib: 'mysql2', role: 'client', single: true });
  if (val.lib === 'redis' && (name === 'createClient' || name === 'createCluster')) return v({ lib: 'redis', role: 'client' });
  if (val.lib === 'typeorm' && ['getRepository', 'getTreeRepository', 'getMongoRepository', 'getCustomRepository'].includes(name)) {
    return v({ lib: 'typeorm', role: 'repository', model: call.arguments[0] ? entityName(call.arguments[0]) : undefined });
  }
  if (val.lib === 'typeorm' && name === 'getManager') return v({ lib: 'typeorm', role: 'manager' });
  void anchor;
  return undefined;
}

function typeormCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = ts.isCallExpression(call) ? call.arguments : undefined;
  if (name === 'getRepository' || name === 'getTreeRepository' || name === 'getMongoRepository' || name === 'withRepository' || name === 'getCustomRepository') {
    if (val.role === 'datasource' || val.role === 'manager' || val.role === 'queryRunner') {
      return v({ lib: 'typeorm', role: 'repository', model: args?.[0] ? entityName(args[0]) : undefined, tx: val.tx, single: val.single });
    }
    return undefined;
  }
  if (name === 'createQueryBuilder') {
    const model = val.role === 'repository' ? val.model : args?.[0] ? entityName(args[0]) : undefined;
    return o({ lib: 'typeorm', kind: 'query', method: 'createQueryBuilder', anchor, model, builder: true, tx: val.tx });
  }
  if (name === 'query' && (val.role === 'datasource' || val.role === 'manager' || val.role === 'queryRunner' || val.role === 'repository')) {
    return rawOp('typeorm', name, anchor, args?.[0] ? sqlText(args[0]) : undefined, val);
  }
  if (val.role === 'datasource' && name === 'createQueryRunner') return v({ lib: 'typeorm', role: 'queryRunner', tx: 'queryRunner', single: true });
  if (val.role === 'repository' || val.role === 'manager' || (val.role === 'model' && val.name === 'entity')) {
    const model = val.role === 'manager' ? (args?.[0] ? entityName(args[0]) : undefined) : val.model;
    if (TYPEORM_READ.has(name)) return o({ lib: 'typeorm', kind: 'query', method: name, anchor, model, tx: val.tx });
    if (TYPEORM_WRITE.has(name)) return o({ lib: 'typeorm', kind: 'write', method: name, anchor, model, tx: val.tx });
  }
  return undefined;
}

function httpVerbOp(lib: string, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = ts.isCallExpression(call) ? call.arguments : undefined;
  let httpMethod: string | undefined;
  if (name === 'request') httpMethod = httpMethodOf(args?.[args.length > 1 ? 1 : 0], lib === 'axios' ? 'GET' : undefined);
  else if (name === 'del') httpMethod = 'DELETE';
  else if (name === 'axiosRef') httpMethod = undefined;
  else httpMethod = name.replace(/Form$/, '').toUpperCase();
  return o({ lib, kind: 'http', method: name, anchor, httpMethod });
}

/** DynamoDB v3: `client.send(new GetItemCommand(…))` with the command imported from the SDK. */
function dynamoOp(call: ClientCallNode, anchor: number, ctx: Ctx): StepResult {
  if (!ts.isCallExpression(call)) return undefined;
  const first = call.arguments[0] ? skipParens(call.arguments[0]) : undefined;
  if (!first || !ts.isNewExpression(first) || !ts.isIdentifier(first.expression)) return undefined;
  const command = nameValue(first.expression.text, first.expression, deeper(ctx));
  if (!command || command.lib !== 'dynamodb' || command.role !== 'command' || !command.name) return undefined;
  const name = command.name.replace(/Command$/, '');
  const kind: ClientKind = /^(Get|GetItem|BatchGet|BatchGetItem|Query|Scan|TransactGet|TransactGetItems|Describe)/.test(name) ? 'query' : 'write';
  return o({ lib: 'dynamodb', kind, method: command.name, anchor });
}

function httpMethodOf(options: ts.Expression | undefined, fallback: string | undefined): string | undefined {
  if (!options) return fallback;
  const inner = skipParens(options);
  if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner)) return fallback; // a URL
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (ts.isSpreadAssignment(property)) return undefined;
    if (ts.isPropertyAssignment(property) && property.name && propertyNameText(property.name) === 'method') {
      const value = constantString(property.initializer);
      return value === undefined ? undefined : value.toUpperCase();
    }
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'method') return undefined;
  }
  return fallback;
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// SQL text

function sqlOfTemplate(template: ts.TemplateLiteral): string {
  if (ts.isNoSubstitutionTemplateLiteral(template)) return template.text;
  return template.head.text + template.templateSpans.map((span, i) => `$${i + 1}${span.literal.text}`).join('');
}

/** The SQL text a raw-query call runs, when it is written (or held by a constant). */
function sqlText(argument: ts.Expression, depth = 0): string | undefined {
  const inner = skipParens(argument);
  const text = constantString(inner);
  if (text !== undefined) return text;
  if (ts.isTemplateExpression(inner)) return sqlOfTemplate(inner);
  if (ts.isTaggedTemplateExpression(inner)) return sqlOfTemplate(inner.template);
  if (ts.isObjectLiteralExpression(inner)) {
    for (const property of inner.properties) {
      if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'text' || (ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'sql')) {
        return sqlText(property.initializer, depth + 1);
      }
    }
    return undefined;
  }
  if (ts.isIdentifier(inner) && depth < 3) {
    const declaration = lookup(inner.text, inner);
    if (declaration && declaration.kind === 'const' && declaration.initializer) return sqlText(declaration.initializer, depth + 1);
  }
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === SK.PlusToken) return sqlText(inner.left, depth + 1);
  return undefined;
}

function sqlOfCall(call: ClientCallNode, _ctx: Ctx): string | undefined {
  if (ts.isTaggedTemplateExpression(call)) return sqlOfTemplate(call.template);
  const first = call.arguments[0];
  return first ? sqlText(first) : undefined;
}

const SQL_READ = /^(SELECT|WITH|SHOW|EXPLAIN|VALUES|DESCRIBE|TABLE)$/;
const SQL_WRITE = /^(INSERT|UPDATE|DELETE|UPSERT|MERGE|REPLACE|TRUNCATE|CREATE|ALTER|DROP|CALL|COPY|GRANT|REVOKE)$/;
/** Transaction and session control: round trips, but never "the query per item". */
export const SQL_CONTROL = /^(BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET|LOCK|PREPARE|DEALLOCATE|LISTEN|UNLISTEN|NOTIFY)$/;

function sqlVerb(sql: string | undefined): string | undefined {
  if (sql === undefined) return undefined;
  const match = /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*\(?\s*([A-Za-z]+)/.exec(sql);
  return match ? match[1].toUpperCase() : undefined;
}

/** SQL text that is unmistakably a statement (evidence on its own, whatever the receiver). */
function looksLikeSql(sql: string | undefined): boolean {
  if (sql === undefined) return false;
  return /^\s*(SELECT\s[\s\S]*\bFROM\b|SELECT\s+(1|NOW\(\)|COUNT\()|INSERT\s+INTO\s|UPDATE\s+[\w."`[\]]+\s+SET\s|DELETE\s+FROM\s|WITH\s+(RECURSIVE\s+)?\w+\s+AS\s*\(|REPLACE\s+INTO\s|MERGE\s+INTO\s)/i.test(sql);
}

function rawOp(lib: string, method: string, anchor: number, sql: string | undefined, val: Val, kindHint?: ClientKind): StepResult {
  const statement = sqlVerb(sql);
  let kind: ClientKind = kindHint ?? 'query';
  if (statement && SQL_WRITE.test(statement)) kind = 'write';
  else if (statement && SQL_CONTROL.test(statement)) kind = 'write';
  else if (statement === 'WITH' && sql && /\)\s*(INSERT|UPDATE|DELETE)\b/i.test(sql)) kind = 'write';
  else if (statement && SQL_READ.test(statement)) kind = 'query';
  return o({ lib, kind, method, anchor, raw: true, statement, sql, tx: val.tx, single: val.single });
}

// ---------------------------------------------------------------------------------------------
// Recognition

function walk(steps: Step[], start: Val, from: number, ctx: Ctx): Op | undefined {
  let val = start;
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    const result = step.call ? callMember(val, step.name, step.call, ctx, i) : (() => {
      const next = member(val, step.name);
      return next ? v(next) : undefined;
    })();
    if (!result) return undefined;
    if ('op' in result) {
      // An operation runs on the handle it was reached through: its transaction, its connection.
      result.op.tx ??= val.tx;
      result.op.single ??= val.single;
      return finish(result.op, steps);
    }
    val = result.val;
  }
  return undefined;
}

/** Builders: the rest of the chain decides the kind (and whether it runs at all). */
function finish(op: Op, steps: Step[]): Op | undefined {
  if (!op.builder) return op;
  const rest = steps.slice(op.anchor + 1).map((step) => step.name);
  switch (op.lib) {
    case 'knex':
    case 'objection':
      if (rest.some((name) => KNEX_WRITE.has(name)) || KNEX_WRITE.has(op.method)) op.kind = 'write';
      if (op.lib === 'knex' && op.method !== 'table' && rest.length > 0 && !rest.every((name) => KNEX_BUILDER.has(name))) return undefined;
      if (op.lib === 'knex' && op.method === 'table' && rest.some((name) => !KNEX_BUILDER.has(name))) return undefined;
      return op;
    case 'typeorm':
      if (!rest.some((name) => TYPEORM_QB_TERMINAL.has(name))) return undefined; // built, not run here
      if (rest.some((name) => TYPEORM_QB_WRITE.has(name))) op.kind = 'write';
      return op;
    case 'supabase':
      if (rest.some((name) => name === 'insert' || name === 'update' || name === 'upsert' || name === 'delete')) op.kind = 'write';
      return op;
    default:
      return op;
  }
}

/** The root's value and the index of the first step still to interpret. */
function rootValue(steps: Step[], ctx: Ctx): { val: Val; next: number } | StepResult | undefined {
  const first = steps[0];
  if (first.name === 'this') {
    if (steps.length < 2) return undefined;
    const cls = enclosingClass(first.node);
    if (!cls) return undefined;
    if (steps[1].call) {
      const self = selfValue(cls, ctx);
      return self ? { val: self, next: 1 } : undefined;
    }
    const value = memberValue(cls, steps[1].name, ctx);
    if (!value) return undefined;
    if (steps[1].call) return undefined;
    return { val: value, next: 2 };
  }
  const value = ts.isIdentifier(first.node) ? nameValue(first.name, first.node, ctx) : exprValue(first.node, ctx);
  if (!value) return undefined;
  if (first.call) return invoke(value, first.call, ctx, 0);
  return { val: value, next: 1 };
}

function recogniseByEvidence(steps: Step[], ctx: Ctx): Op | undefined {
  const root = rootValue(steps, ctx);
  if (root) {
    if ('op' in root) return finish(root.op, steps);
    const start = 'val' in root && 'next' in root ? root : { val: (root as { val: Val }).val, next: 1 };
    const op = walk(steps, start.val, start.next, ctx);
    if (op) return op;
  }
  // ctx.prisma.user.findMany(), fastify.redis.get(k), app.locals.knex('users'): a telling member name.
  for (let i = 1; i < steps.length - 1; i++) {
    const step = steps[i];
    const hinted = hintValue(step.name);
    if (!hinted) continue;
    if (step.call) {
      if (hinted.lib !== 'knex') continue;
      const result = invoke(hinted, step.call, ctx, i);
      if (result && 'op' in result) return finish(result.op, steps);
      continue;
    }
    const op = walk(steps, hinted, i + 1, ctx);
    if (op) return op;
  }
  return undefined;
}

/** Is `step` (a capitalised receiver) plausibly a model class: imported, a class that extends one, or a member like `db.User`? */
function isModelReceiver(steps: Step[], index: number, ctx: Ctx): boolean {
  const step = steps[index];
  if (!step || step.call || !/^[A-Z]/.test(step.name) || NOT_MODELS.has(step.name)) return false;
  if (index > 0) return true; // db.User, models.User, this.User
  if (!ts.isIdentifier(step.node)) return false;
  const declaration = lookup(step.name, step.node);
  if (!declaration) return false;
  if (declaration.kind === 'import') return !!ctx.facts.imports.get(step.name); // `@server/models`, `../models`, `~/entities`…
  if (declaration.kind === 'class') return !!(declaration.node as ts.ClassDeclaration).heritageClauses;
  if (declaration.kind === 'const' || declaration.kind === 'let' || declaration.kind === 'var') {
    // const { Order } = require('../models')
    if (ts.isSourceFile(declaration.scope) && ctx.facts.imports.get(step.name)) return true;
    let init = declaration.initializer;
    if (!init && ts.isBindingElement(declaration.node)) {
      let holder: ts.Node = declaration.node;
      while (holder && !ts.isVariableDeclaration(holder)) holder = holder.parent;
      init = holder ? (holder as ts.VariableDeclaration).initializer : undefined;
    }
    const inner = init ? skipParens(init) : undefined;
    return !!inner && (ts.isCallExpression(inner) || ts.isAwaitExpression(inner)); // const User = sequelize.define(…) / mongoose.model(…) / require('./models/user')
  }
  return false;
}

function importsAnyOf(facts: FileFacts, modules: readonly string[]): boolean {
  return facts.imports.importsAny((module) => modules.includes(module));
}

/** Shapes only a database or HTTP client has, when the root's origin says nothing. */
function recogniseByShape(steps: Step[], ctx: Ctx): Op | undefined {
  const { facts } = ctx;
  const last = steps.length - 1;
  // Find the first call in the chain after the root: the method whose name decides.
  let anchor = -1;
  for (let i = 1; i <= last; i++) {
    if (steps[i].call) {
      anchor = i;
      break;
    }
  }
  const root = steps[0];
  // knex-like: db('users').where(…).first() / this.knex('users')…
  const tableCallIndex = root.call ? 0 : root.name === 'this' && steps[1]?.call ? 1 : -1;
  if (tableCallIndex >= 0) {
    const tableStep = steps[tableCallIndex];
    const call = tableStep.call!;
    const table = ts.isCallExpression(call) && call.arguments[0] ? constantString(call.arguments[0]) : undefined;
    const knexName = /^(knex|db|trx|database|k|qb|pg)$/.test(tableStep.name);
    const rest = steps.slice(tableCallIndex + 1).map((s) => s.name);
    if (table !== undefined && rest.length > 0 && rest.every((name) => KNEX_BUILDER.has(name)) && (knexName || facts.imports.imports('knex'))) {
      return finish({ lib: 'knex', kind: 'query', method: 'table', anchor: tableCallIndex, model: table, builder: true }, steps);
    }
  }
  if (anchor < 0) return undefined;
  const method = steps[anchor].name;
  const call = steps[anchor].call!;
  const args = ts.isCallExpression(call) ? call.arguments : undefined;
  const plainPrefix = steps.slice(0, anchor).every((step) => !step.call);

  // Prisma: x.user.findUnique(…) — the delegate shape with a Prisma-only method, and $queryRaw anywhere.
  if (PRISMA_RAW_READ.has(method) || PRISMA_RAW_WRITE.has(method)) {
    const result = rawOp('prisma', method, anchor, sqlOfCall(call, ctx), { lib: 'prisma', role: 'client' }, PRISMA_RAW_READ.has(method) ? 'query' : 'write');
    return result && 'op' in result ? result.op : undefined;
  }
  if (plainPrefix && anchor >= 2 && PRISMA_DISTINCTIVE.has(method) && isLowerFirst(steps[anchor - 1].name)) {
    if (steps[anchor - 2].name === 'query' && importsAnyOf(facts, ['drizzle-orm']) || (steps[anchor - 2].name === 'query' && facts.imports.importsAny((m) => m.startsWith('drizzle-orm')))) {
      return { lib: 'drizzle', kind: 'query', method, anchor, model: steps[anchor - 1].name };
    }
    if (steps[anchor - 2].name !== 'query' || !(method === 'findFirst' || method === 'findMany')) {
      return { lib: 'prisma', kind: PRISMA_READ.has(method) ? 'query' : 'write', method, anchor, model: steps[anchor - 1].name };
    }
  }
  // Objection: Person.query().findById(id)
  if (method === 'query' && isModelReceiver(steps, anchor - 1, ctx) && plainPrefix && steps.length > anchor + 1 && steps.slice(anchor + 1).every((s) => KNEX_BUILDER.has(s.name))) {
    return finish({ lib: 'objection', kind: 'query', method: 'query', anchor, model: steps[anchor - 1].name, builder: true }, steps);
  }
  if (plainPrefix && anchor >= 1) {
    const receiver = steps[anchor - 1];
    const modelish = isModelReceiver(steps, anchor - 1, ctx);
    // Sequelize model statics
    if (modelish && (SEQUELIZE_DISTINCTIVE.has(method) || ((SEQUELIZE_READ.has(method) || SEQUELIZE_WRITE.has(method)) && importsAnyOf(facts, ['sequelize', 'sequelize-typescript', '@nestjs/sequelize'])))) {
      return { lib: 'sequelize', kind: SEQUELIZE_READ.has(method) ? 'query' : 'write', method, anchor, model: receiver.name };
    }
    // Mongoose model statics
    if (modelish && (MONGOOSE_DISTINCTIVE.has(method) || ((MONGOOSE_READ.has(method) || MONGOOSE_WRITE.has(method)) && importsAnyOf(facts, ['mongoose', '@nestjs/mongoose'])))) {
      return { lib: 'mongoose', kind: MONGOOSE_READ.has(method) ? 'query' : 'write', method, anchor, model: receiver.name };
    }
    // A model imported from a models/entities folder: `import { Notification } from '@server/models'` → Notification.create(…).
    if (modelish && (SEQUELIZE_READ.has(method) || SEQUELIZE_WRITE.has(method) || MONGOOSE_READ.has(method) || MONGOOSE_WRITE.has(method)) && fromModelsFolder(steps, ctx)) {
      const lib = guessModelLibrary(method, args?.[0]);
      const kind: ClientKind = SEQUELIZE_READ.has(method) || MONGOOSE_READ.has(method) ? 'query' : 'write';
      return { lib, kind, method, anchor, model: receiver.name };
    }
    // TypeORM: ActiveRecord statics and repositories by name
    if (TYPEORM_DISTINCTIVE.has(method) && (modelish || /Repo(sitory)?$/i.test(receiver.name))) {
      return { lib: 'typeorm', kind: 'query', method, anchor, model: modelish ? receiver.name : undefined };
    }
    if (
      (TYPEORM_READ.has(method) || TYPEORM_WRITE.has(method)) &&
      /Repo(sitory)?$/.test(receiver.name) &&
      importsAnyOf(facts, ['typeorm', '@nestjs/typeorm'])
    ) {
      return { lib: 'typeorm', kind: TYPEORM_READ.has(method) ? 'query' : 'write', method, anchor, model: repositoryModel(receiver.name) };
    }
  }
  // Raw SQL: x.query('SELECT … FROM …'), this.query(sql), db.one('SELECT …') — the text is the evidence.
  if (RAW_SQL_METHODS.has(method) && args?.[0]) {
    const sql = sqlText(args[0]);
    if (looksLikeSql(sql)) {
      const result = rawOp(sqlLibrary(facts), method, anchor, sql, { lib: 'sql', role: 'client' });
      return result && 'op' in result ? result.op : undefined;
    }
  }
  // DynamoDB: anything.send(new GetItemCommand(…))
  if (method === 'send') {
    const result = dynamoOp(call, anchor, ctx);
    if (result && 'op' in result) return result.op;
  }
  return undefined;
}

const MODELS_PATH = /(^|[/@~])(models?|entities|entity|schemas?|db\/models)(\/|$)/i;

/** The receiver is imported from a models or entities folder (or a file in one). */
function fromModelsFolder(steps: Step[], ctx: Ctx): boolean {
  const root = steps[0];
  if (!ts.isIdentifier(root.node)) return false;
  const origin = ctx.facts.imports.get(root.name);
  return !!origin && (MODELS_PATH.test(origin.module) || /\.model$|\.entity$/.test(origin.module));
}

/** Sequelize or Mongoose, when only the call tells: `{ where }` is Sequelize's shape; names only one of them has decide. */
function guessModelLibrary(method: string, first: ts.Expression | undefined): string {
  const sequelize = SEQUELIZE_READ.has(method) || SEQUELIZE_WRITE.has(method);
  const mongoose = MONGOOSE_READ.has(method) || MONGOOSE_WRITE.has(method);
  if (sequelize && !mongoose) return 'sequelize';
  if (mongoose && !sequelize) return 'mongoose';
  if (objectProperty(first, 'where')) return 'sequelize';
  return 'orm';
}

function sqlLibrary(facts: FileFacts): string {
  if (facts.imports.imports('pg') || facts.imports.imports('pg-pool')) return 'pg';
  if (importsAnyOf(facts, ['mysql', 'mysql2', 'mysql2/promise'])) return 'mysql2';
  if (facts.imports.imports('pg-promise')) return 'pg-promise';
  if (facts.imports.imports('typeorm')) return 'typeorm';
  return 'sql';
}

function repositoryModel(name: string): string | undefined {
  const match = /^(.+?)Repo(sitory)?$/i.exec(name);
  return match ? match[1] : undefined;
}

/** Libraries whose types decide the last fallback, and the declared type names that make a client. */
const TYPED_LIBRARIES: ReadonlyArray<{ lib: string; modules: readonly string[]; path: RegExp; methods: ReadonlySet<string>; types: RegExp; role: Role }> = [
  { lib: 'typeorm', modules: ['typeorm', '@nestjs/typeorm'], path: /\/node_modules\/typeorm\//, methods: new Set([...TYPEORM_READ, ...TYPEORM_WRITE]), types: /^(Repository|TreeRepository|MongoRepository)$/, role: 'repository' },
  { lib: 'typeorm', modules: ['typeorm', '@nestjs/typeorm'], path: /\/node_modules\/typeorm\//, methods: new Set([...TYPEORM_READ, ...TYPEORM_WRITE]), types: /^(EntityManager|MongoEntityManager)$/, role: 'manager' },
  { lib: 'mongoose', modules: ['mongoose', '@nestjs/mongoose'], path: /\/node_modules\/mongoose\//, methods: new Set([...MONGOOSE_READ, ...MONGOOSE_WRITE]), types: /^Model$/, role: 'model' },
  { lib: 'sequelize', modules: ['sequelize', 'sequelize-typescript'], path: /\/node_modules\/sequelize(-typescript)?\//, methods: new Set([...SEQUELIZE_READ, ...SEQUELIZE_WRITE]), types: /^(ModelStatic|ModelCtor|Model)$/, role: 'model' },
  { lib: 'redis', modules: ['ioredis', 'redis', '@redis/client'], path: /\/node_modules\/(ioredis|@redis\/client|redis)\//, methods: new Set([...REDIS_READ, ...REDIS_WRITE]), types: /^(Redis|Cluster|RedisClientType|RedisClient.*)$/, role: 'client' },
  { lib: 'pg', modules: ['pg'], path: /\/node_modules\/@types\/pg\/|\/node_modules\/pg\//, methods: new Set(['query']), types: /^(Pool|PoolClient|Client)$/, role: 'client' },
];

/**
 * Last resort: the receiver's declared type, from the type checker (built lazily, once per
 * project). Only for files that import the library and methods it has, and only when the
 * receiver is a name or `this.x` whose declaration told nothing.
 */
function recogniseByType(steps: Step[], ctx: Ctx): Op | undefined {
  const { facts } = ctx;
  const candidates = TYPED_LIBRARIES.filter((entry) => importsAnyOf(facts, entry.modules));
  if (candidates.length === 0) return undefined;
  let anchor = -1;
  for (let i = 1; i < steps.length; i++) {
    if (steps[i].call) {
      anchor = i;
      break;
    }
  }
  if (anchor < 1) return undefined;
  const method = steps[anchor].name;
  const fitting = candidates.filter((entry) => entry.methods.has(method) || entry.methods.has(method.toLowerCase()));
  if (fitting.length === 0) return undefined;
  const receiver = steps[anchor - 1].node;
  const types = facts.types();
  if (!types) return undefined;
  const type = types.typeOf(receiver);
  if (!type) return undefined;
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return undefined;
  const file = declaration.getSourceFile().fileName.replace(/\\/g, '/');
  const name = symbol.getName();
  for (const entry of fitting) {
    if (!entry.path.test(file) || !entry.types.test(name)) continue;
    let argument: ts.Type | undefined = type.aliasTypeArguments?.[0];
    if (!argument && type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
      argument = types.checker.getTypeArguments(type as ts.TypeReference)[0];
    }
    const model = argument?.getSymbol()?.getName();
    const val: Val = { lib: entry.lib, role: entry.role, model, single: entry.lib === 'pg' && name !== 'Pool' };
    const op = walk(steps, val, anchor, ctx);
    if (op) return op;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Describing a recognised call

function argumentSummary(call: ClientCallNode, facts: FileFacts): string {
  if (ts.isTaggedTemplateExpression(call)) return '`…`';
  if (call.arguments.length === 0) return '()';
  if (call.arguments.length === 1) {
    const text = facts.textOf(call.arguments[0]);
    if (text.length <= 24 && !/[\n\r]/.test(text) && (ts.isStringLiteralLike(call.arguments[0]) || ts.isIdentifier(call.arguments[0]) || ts.isPropertyAccessExpression(call.arguments[0]))) {
      return `(${text})`;
    }
  }
  return '(…)';
}

function render(steps: Step[], upto: number, callsToo: boolean, facts: FileFacts): string {
  const parts: string[] = [];
  for (let i = 0; i <= upto && i < steps.length; i++) {
    const step = steps[i];
    let piece = i === 0 ? step.name || shorten(facts.textOf(step.node), 20) : `.${step.name}`;
    if (step.call && (i < upto || callsToo)) piece += argumentSummary(step.call, facts);
    parts.push(piece);
  }
  let text = parts.join('');
  if (text.length > 72 && parts.length > 3) text = `${parts.slice(0, 2).join('')}….${parts[parts.length - 1].replace(/^\./, '')}`;
  return text;
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function objectProperty(object: ts.Expression | undefined, name: string): ts.Expression | undefined {
  if (!object) return undefined;
  const inner = skipParens(object);
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/** The first plain key of an object literal: `id` in `{ id: x }` / `{ id }`. */
function firstKey(object: ts.Expression | undefined): string | undefined {
  if (!object) return undefined;
  const inner = skipParens(object);
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) {
      const name = propertyNameText(property.name);
      if (name !== undefined && !name.startsWith('$')) return name;
    }
  }
  return undefined;
}

/** The key a per-item lookup is made by. */
function lookupKey(op: Op, steps: Step[]): string | undefined {
  const call = steps[op.anchor].call;
  const args = call && ts.isCallExpression(call) ? call.arguments : undefined;
  switch (op.lib) {
    case 'prisma':
    case 'drizzle':
      return firstKey(objectProperty(args?.[0], 'where'));
    case 'typeorm': {
      const target = steps[op.anchor] && /^(find|findOne|findOneOrFail|count|exist|exists|findAndCount)$/.test(op.method) ? objectProperty(args?.[op.model && isManagerCall(steps, op) ? 1 : 0], 'where') : undefined;
      return firstKey(target) ?? firstKey(args?.[isManagerCall(steps, op) ? 1 : 0]);
    }
    case 'sequelize':
    case 'orm':
      if (op.method === 'findByPk') return 'id';
      return firstKey(objectProperty(args?.[0], 'where')) ?? firstKey(args?.[0]);
    case 'mongoose':
    case 'mongodb':
      if (/ById/.test(op.method)) return '_id';
      return firstKey(args?.[0]);
    case 'knex':
    case 'objection': {
      for (let i = op.anchor + 1; i < steps.length; i++) {
        const step = steps[i];
        if (step.name === 'findById') return 'id';
        if (step.name !== 'where' && step.name !== 'andWhere') continue;
        const whereArgs = step.call && ts.isCallExpression(step.call) ? step.call.arguments : undefined;
        const key = whereArgs?.[0] ? constantString(whereArgs[0]) ?? firstKey(whereArgs[0]) : undefined;
        if (key !== undefined) return key.replace(/^.*\./, '');
      }
      return undefined;
    }
    default:
      if (op.raw && op.sql) {
        const match = /\bWHERE\s+(?:[\w"`]+\.)?["`]?(\w+)["`]?\s*=\s*(\$\d+|\?|:\w+|@\w+)/i.exec(op.sql);
        return match ? match[1] : undefined;
      }
      return undefined;
  }
}

function isManagerCall(steps: Step[], op: Op): boolean {
  // manager.findOne(User, { where }) — the entity comes first.
  const call = steps[op.anchor].call;
  const first = call && ts.isCallExpression(call) ? call.arguments[0] : undefined;
  return !!first && ts.isIdentifier(skipParens(first)) && /^[A-Z]/.test((skipParens(first) as ts.Identifier).text);
}

/** `ids` for `id`/`_id`, else `<key>s`. */
export function pluralKey(key: string): string {
  if (key === 'id' || key === '_id') return 'ids';
  return key.endsWith('s') ? `${key}List` : `${key}s`;
}

function batchedFor(op: Op, key: string | undefined): string | undefined {
  // Raw SQL whose key cannot be read from a `WHERE key = $1`: say the shape, not a made-up column.
  if (op.raw && key === undefined) return op.kind === 'query' ? 'query for all of them (an IN list, = ANY($1), or a join)' : op.statement === 'INSERT' ? 'multi-row INSERT' : 'set-based statement';
  const k = key ?? 'id';
  const ks = pluralKey(k);
  const read = op.kind === 'query';
  switch (op.lib) {
    case 'prisma':
      if (op.raw) return read ? `query with WHERE ${k} = ANY(${'$'}{${ks}}) (or IN (${'$'}{Prisma.join(${ks})}))` : 'multi-row statement';
      if (op.method === 'count') return `groupBy({ by: ['${k}'], where: { ${k}: { in: ${ks} } }, _count: true })`;
      if (op.method === 'aggregate') return `groupBy({ by: ['${k}'], where: { ${k}: { in: ${ks} } }, … })`;
      if (read) return `findMany({ where: { ${k}: { in: ${ks} } } })`;
      if (op.method === 'create') return 'createMany({ data: [...] })';
      if (op.method === 'update' || op.method === 'updateMany') return `updateMany({ where: { ${k}: { in: ${ks} } }, data }) when the data is the same, or one $transaction([...]) batch`;
      if (op.method === 'delete' || op.method === 'deleteMany') return `deleteMany({ where: { ${k}: { in: ${ks} } } })`;
      if (op.method === 'upsert') return '$transaction([...upserts]) batch, or createMany({ data, skipDuplicates: true }) for inserts';
      return undefined;
    case 'typeorm':
      if (op.raw) return read ? `query with WHERE ${k} IN (…)` : 'multi-row statement';
      if (op.method === 'createQueryBuilder') return read ? `query builder with .where('${k} IN (:...${ks})', { ${ks} })` : `query builder with .whereInIds(${ks})`;
      if (op.method === 'count' || op.method === 'countBy') return `query builder with GROUP BY ${k}`;
      if (read) return `findBy({ ${k}: In(${ks}) })`;
      if (op.method === 'save') return 'save([...entities])';
      if (op.method === 'insert') return 'insert([...rows])';
      if (op.method === 'upsert') return 'upsert([...rows], [conflict columns])';
      if (op.method === 'update') return `update({ ${k}: In(${ks}) }, values) when the values are the same`;
      if (op.method === 'delete' || op.method === 'softDelete') return `${op.method}({ ${k}: In(${ks}) })`;
      if (op.method === 'remove' || op.method === 'softRemove') return `${op.method}([...entities])`;
      return undefined;
    case 'sequelize':
      if (op.raw) return read ? `query with WHERE ${k} IN (:${ks})` : 'multi-row statement';
      if (op.method === 'count') return `count({ where: { ${k}: ${ks} }, group: ['${k}'] })`;
      if (read) return `findAll({ where: { ${k}: ${ks} } })`;
      if (op.method === 'create') return 'bulkCreate([...])';
      if (op.method === 'update') return `update(values, { where: { ${k}: ${ks} } }) when the values are the same`;
      if (op.method === 'destroy') return `destroy({ where: { ${k}: ${ks} } })`;
      if (op.method === 'upsert') return 'bulkCreate([...], { updateOnDuplicate: [...] })';
      if (op.method === 'findOrCreate') return 'bulkCreate([...], { ignoreDuplicates: true })';
      return undefined;
    case 'orm':
      // Sequelize or Mongoose, and the call alone cannot tell which.
      if (read) return `bulk query by an id list — findAll({ where: { ${k}: ${ks} } }) (Sequelize) or find({ ${k}: { $in: ${ks} } }) (Mongoose)`;
      if (op.method === 'create') return 'bulkCreate([...]) (Sequelize) or insertMany([...]) (Mongoose)';
      return `bulk update by an id list (Sequelize: where: { ${k}: ${ks} }; Mongoose: { ${k}: { $in: ${ks} } })`;
    case 'mongoose':
    case 'mongodb': {
      const field = k;
      if (op.method === 'populate') return 'populate() on the whole array of documents';
      if (op.method === 'countDocuments') return `aggregate([{ $match: { ${field}: { $in: ${ks} } } }, { $group: { _id: '$${field}', count: { $sum: 1 } } }])`;
      if (read) return `find({ ${field}: { $in: ${ks} } })${op.lib === 'mongodb' ? '.toArray()' : ''}`;
      if (op.method === 'create' || op.method === 'insertOne') return 'insertMany([...])';
      if (/^(deleteOne|findByIdAndDelete|findOneAndDelete|findByIdAndRemove|findOneAndRemove)$/.test(op.method)) return `deleteMany({ ${field}: { $in: ${ks} } })`;
      return 'bulkWrite([...]) (or updateMany with $in when the update is the same)';
    }
    case 'knex':
    case 'objection':
      if (op.raw) return read ? `query with WHERE ${k} = ANY(?)` : 'multi-row statement';
      if (read) return op.lib === 'objection' && k === 'id' ? `findByIds(${ks})` : `whereIn('${k}', ${ks})`;
      if (op.method === 'insert' || op.method === 'table' || op.method === 'insertGraph') return 'insert([...rows])';
      return `whereIn('${k}', ${ks}) with one update/del`;
    case 'pg':
    case 'postgres':
    case 'vercel-postgres':
    case 'pg-promise':
    case 'drizzle':
      if (op.lib === 'drizzle' && !op.raw) return read ? `${op.method === 'findFirst' ? 'findMany' : op.method}(…) with inArray(${op.model ?? 'table'}.${k}, ${ks})` : op.method === 'insert' ? 'insert(table).values([...rows])' : `… where(inArray(table.${k}, ${ks}))`;
      return read ? `query with WHERE ${k} = ANY($1) (an array parameter)` : op.statement === 'INSERT' ? 'multi-row INSERT … VALUES (…), (…) (or INSERT … SELECT * FROM unnest($1, $2))' : `statement with WHERE ${k} = ANY($1)`;
    case 'mysql2':
    case 'sql':
      return read ? `query with WHERE ${k} IN (?) (an array parameter)` : op.statement === 'INSERT' ? 'multi-row INSERT … VALUES ?' : `statement with WHERE ${k} IN (?)`;
    case 'redis':
      return REDIS_BATCHED[op.method.toLowerCase()] ?? 'pipeline() (ioredis) / multi() (node-redis) round trip';
    case 'supabase':
      return read ? `.in('${k}', ${ks})` : 'insert([...rows]) / upsert([...rows])';
    case 'dynamodb':
      if (/^Get(Item)?Command$/.test(op.method)) return op.method.startsWith('GetItem') ? 'BatchGetItemCommand (100 keys a call)' : 'BatchGetCommand (100 keys a call)';
      if (/^(Put|Delete)(Item)?Command$/.test(op.method)) return op.method.endsWith('ItemCommand') ? 'BatchWriteItemCommand (25 items a call)' : 'BatchWriteCommand (25 items a call)';
      return undefined;
    default:
      if (op.kind === 'http') return 'a batch endpoint if the API has one, or bounded concurrency (p-limit)';
      return undefined;
  }
}

const BATCH_TEXT = /\bIn\s*\(|\$in\b|(^|[^\w$.])(in|hasSome|hasEvery)\s*:|\bwhereIn\b|\[Op\.in\]|\bOp\.in\b|\bANY\s*\(|\bIN\s*\(|\bunnest\s*\(|\binArray\s*\(|\.in\s*\(/;

function isAlreadyBatched(op: Op, steps: Step[], call: ClientCallNode, facts: FileFacts): boolean {
  if (op.kind === 'http') return false;
  if (BATCH_METHODS.has(op.method) || steps.slice(op.anchor).some((step) => BATCH_METHODS.has(step.name))) return true;
  if (op.lib === 'redis') return false;
  const text = facts.text.slice(facts.start(call), call.end);
  if (BATCH_TEXT.test(text)) return true;
  // save([...]), insert([...]), insert(rows.map(…)): many rows in one statement.
  const anchorCall = steps[op.anchor].call;
  if (op.kind === 'write' && anchorCall && ts.isCallExpression(anchorCall)) {
    const first = anchorCall.arguments[0] ? skipParens(anchorCall.arguments[0]) : undefined;
    if (first && ts.isArrayLiteralExpression(first)) return true;
    if (first && ts.isCallExpression(first) && (calleeName(first) === 'map' || calleeName(first) === 'flatMap')) return true;
  }
  if (op.builder && op.kind === 'write') {
    for (let i = op.anchor + 1; i < steps.length; i++) {
      const stepCall = steps[i].call;
      if ((steps[i].name === 'insert' || steps[i].name === 'values') && stepCall && ts.isCallExpression(stepCall)) {
        const first = stepCall.arguments[0] ? skipParens(stepCall.arguments[0]) : undefined;
        if (first && (ts.isArrayLiteralExpression(first) || (ts.isCallExpression(first) && calleeName(first) === 'map'))) return true;
      }
    }
  }
  return false;
}

/** `{ transaction: t }` (Sequelize), `{ session }` (Mongoose), `.transacting(trx)` (knex), `.session(s)`. */
function transactionFromArguments(steps: Step[], op: Op, facts: FileFacts): string | undefined {
  for (let i = op.anchor; i < steps.length; i++) {
    const step = steps[i];
    const call = step.call;
    if (!call || !ts.isCallExpression(call)) continue;
    if ((step.name === 'transacting' || step.name === 'session' || step.name === 'useTransaction') && call.arguments[0]) return shorten(facts.textOf(call.arguments[0]), 24);
    if (i !== op.anchor) continue;
    for (const argument of call.arguments) {
      const transaction = objectProperty(argument, 'transaction') ?? objectProperty(argument, 'session');
      if (transaction && !(ts.isIdentifier(transaction) && transaction.text === 'undefined') && transaction.kind !== SK.NullKeyword) return shorten(facts.textOf(transaction), 24);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The fact

const cache = new WeakMap<FileFacts, Map<ts.Node, ClientCall | null>>();

/**
 * If `call` goes to a known database/cache/HTTP client, describes it. Answers at the outermost
 * call of a builder chain only (see the file comment); undefined for everything else.
 */
export function clientCall(call: ClientCallNode, facts: FileFacts): ClientCall | undefined {
  // Most calls fail the name filter: answer them without touching (or growing) the cache.
  if (!passesNameFilter(call, facts)) return undefined;
  let perFile = cache.get(facts);
  if (!perFile) {
    perFile = new Map();
    cache.set(facts, perFile);
  }
  const cached = perFile.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const result = describe(call, facts);
  perFile.set(call, result ?? null);
  return result;
}

function describe(call: ClientCallNode, facts: FileFacts): ClientCall | undefined {
  if (continuesChain(call)) return undefined;
  // `.then(…)`, `.catch(…)`, `.finally(…)` convert a result; the operation is the call they are made on.
  if (ts.isCallExpression(call)) {
    const callee = skipParens(call.expression);
    if (ts.isPropertyAccessExpression(callee) && (PROMISE_METHODS.has(callee.name.text) || callee.name.text === 'toPromise')) return undefined;
  }
  const steps = buildChain(call);
  if (!steps || steps.length === 0) return undefined;
  const ctx: Ctx = { facts, depth: 0 };
  const op = recogniseByEvidence(steps, ctx) ?? recogniseByShape(steps, ctx) ?? recogniseByType(steps, ctx);
  if (!op) return undefined;
  const key = op.kind === 'http' ? undefined : lookupKey(op, steps);
  // The client handle: the chain's root (`prisma`, `tx`, `client`, `db` of `db('users')`), or `this.x`.
  const handleEnd = steps[0].name === 'this' && steps.length > 1 && !steps[1].call ? 1 : 0;
  const result: ClientCall = {
    library: op.lib,
    kind: op.kind,
    operation: op.builder ? render(steps, steps.length - 1, true, facts) : render(steps, op.anchor, false, facts),
    method: op.method,
  };
  const batched = batchedFor(op, key);
  if (batched) result.batched = batched;
  if (op.model) result.model = op.model;
  if (key) result.key = key;
  if (op.httpMethod) result.httpMethod = op.httpMethod;
  if (handleEnd < op.anchor || (handleEnd === 0 && steps[0].call)) result.handle = render(steps, handleEnd, false, facts);
  const transaction = op.tx ?? transactionFromArguments(steps, op, facts);
  if (transaction) result.transaction = transaction;
  if (isAlreadyBatched(op, steps, call, facts)) result.alreadyBatched = true;
  if (op.single) result.singleConnection = true;
  if (op.raw) result.raw = true;
  if (op.statement) result.statement = op.statement;
  return result;
}

/**
 * The client call an awaited (or returned) expression runs, looking through what only converts
 * its result: parentheses, `.then/.catch/.finally`, `firstValueFrom(…)`/`lastValueFrom(…)` (Nest's
 * HttpService), `.toPromise()`. `await fetch(url).then((r) => r.json())` → the `fetch` call.
 */
export function awaitedClientCall(expression: ts.Expression, facts: FileFacts): { call: ClientCallNode; client: ClientCall } | undefined {
  let current = skipParens(expression);
  for (let guard = 0; guard < 10; guard++) {
    if (ts.isCallExpression(current) || ts.isTaggedTemplateExpression(current)) {
      const client = clientCall(current, facts);
      if (client) return { call: current, client };
      if (ts.isTaggedTemplateExpression(current)) return undefined;
      const callee = skipParens(current.expression);
      const name = calleeName(current);
      if (ts.isPropertyAccessExpression(callee) && name && (PROMISE_METHODS.has(name) || name === 'toPromise')) {
        current = skipParens(callee.expression);
        continue;
      }
      if (ts.isIdentifier(callee) && (name === 'firstValueFrom' || name === 'lastValueFrom') && current.arguments[0]) {
        current = skipParens(current.arguments[0]);
        continue;
      }
    }
    return undefined;
  }
  return undefined;
}

/**
 * The outermost expression that still stands for `call`'s round trip: `call` itself, or what
 * wraps it without starting another one (`.then(…)`, `firstValueFrom(…)`, parentheses). Its
 * parent says how the result is consumed (awaited, returned, pushed…).
 */
export function clientCallExtent(call: ClientCallNode): ts.Expression {
  let current: ts.Expression = call;
  for (let guard = 0; guard < 10; guard++) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent) break;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) {
      current = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current && (PROMISE_METHODS.has(parent.name.text) || parent.name.text === 'toPromise')) {
      const grand = parent.parent;
      if (grand && ts.isCallExpression(grand) && grand.expression === parent) {
        current = grand;
        continue;
      }
    }
    if (ts.isCallExpression(parent) && parent.arguments[0] === current && ts.isIdentifier(parent.expression) && (parent.expression.text === 'firstValueFrom' || parent.expression.text === 'lastValueFrom')) {
      current = parent;
      continue;
    }
    break;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Transactions

export interface TransactionContext {
  /** The handle the transaction runs on: `tx`, `trx`, `queryRunner`, `manager`, `t`, `client` (BEGIN/COMMIT). */
  handle: string;
  /** The callback or function the transaction spans. */
  node: ts.Node;
}

const TRANSACTION_CALLBACK_METHODS = set('$transaction', 'transaction', 'transactional', 'withTransaction', 'runInTransaction');

/**
 * The transaction `node` runs in, if one is visible in its function or around it: a callback
 * passed to `$transaction`/`transaction`/`withTransaction` (Prisma, knex, TypeORM, Sequelize,
 * drizzle, Mongoose sessions), a method decorated `@Transactional()`/`@Transaction()`, or a
 * function that opened one before `node` — `queryRunner.startTransaction()`, `knex.transaction()`
 * / `sequelize.transaction()` without a callback, `client.query('BEGIN')`.
 */
export function transactionAround(node: ts.Node, facts: FileFacts): TransactionContext | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const fn = current;
    const call = callReceiving(fn);
    const method = call ? calleeName(call) : undefined;
    if (method && TRANSACTION_CALLBACK_METHODS.has(method)) {
      const first = fn.parameters[0];
      const handle = first && ts.isIdentifier(first.name) ? first.name.text : method;
      return { handle, node: fn };
    }
    if (ts.isMethodDeclaration(fn) && decoratorsOf(fn).some((d) => /^(Transactional|Transaction|UseTransaction)$/.test(decoratorNameOf(d) ?? ''))) {
      return { handle: 'transaction', node: fn };
    }
    const opened = openedTransactionBefore(fn, node, facts);
    if (opened) return { handle: opened, node: fn };
  }
  return undefined;
}

function decoratorNameOf(decorator: ts.Decorator): string | undefined {
  const expression = decorator.expression;
  if (ts.isCallExpression(expression)) return calleeName(expression);
  if (ts.isIdentifier(expression)) return expression.text;
  return undefined;
}

/** `await queryRunner.startTransaction()`, `const trx = await knex.transaction()`, `await client.query('BEGIN')` earlier in `fn`. */
function openedTransactionBefore(fn: ts.Node, node: ts.Node, facts: FileFacts): string | undefined {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body || !ts.isBlock(body)) return undefined;
  const position = node.pos;
  let found: string | undefined;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= position) return;
    if (isFunctionLike(current)) return;
    if (ts.isCallExpression(current) && current.end <= position) {
      const name = calleeName(current);
      const callee = skipParens(current.expression);
      const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
      if (name === 'startTransaction' && receiver) found = shorten(facts.textOf(receiver), 24);
      else if ((name === 'transaction' || name === 'startSession' || name === 'startTransaction') && current.arguments.length === 0 && receiver) {
        const parent = current.parent && ts.isAwaitExpression(current.parent) ? current.parent.parent : current.parent;
        if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) found = parent.name.text;
      } else if ((name === 'query' || name === 'execute' || name === 'raw') && current.arguments[0]) {
        const verb = sqlVerb(sqlText(current.arguments[0]));
        if ((verb === 'BEGIN' || verb === 'START') && receiver) found = shorten(facts.textOf(receiver), 24);
      }
      if (found) return;
    }
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}
