/**
 * MikroORM (v5, v6): `const orm = await MikroORM.init(config)` from `@mikro-orm/core` or a driver
 * package; its entity manager (`orm.em`, `em.fork()`, a typed or Nest-injected `EntityManager`,
 * `RequestContext.getEntityManager()`) and repositories (`em.getRepository(User)`, a typed or
 * injected `EntityRepository<User>`, `this` in `class UserRepository extends EntityRepository<User>`).
 *
 * The entity manager names the entity first (`em.findOne(User, { id })`), a repository does not
 * (`users.findOne({ id })`). Reads: `find`, `findOne`, `findOneOrFail`, `findAll`, `findAndCount`,
 * `findByCursor`, `count`, `refresh`, `populate`. Writes that reach the database: `flush`,
 * `persistAndFlush`, `removeAndFlush`, `insert`/`nativeInsert`, `nativeUpdate`, `nativeDelete`, `upsert`,
 * and the batched `insertMany`/`upsertMany`. Not writes: `persist`, `remove`, `assign`, `create`,
 * `getReference` only change the unit of work — a loop of `em.persist(x)` and one `flush()` after it
 * is MikroORM's own batched form. Query builders (`em.createQueryBuilder(User)`, `em.qb(User)`) run
 * at `getResult()`, `getResultList()`, `getSingleResult()`, `getResultAndCount()`, `getCount()` or
 * `execute()`; raw SQL goes through `em.execute(sql)`, `em.getConnection().execute(sql)` or
 * `em.getKnex()` (knex). Transactions: `em.transactional(async (em) => …)` and
 * `em.begin()` … `em.commit()` / `em.rollback()`.
 *
 * The batched form of a lookup by key is `find(User, { id: { $in: ids } })`; `findOne` gives `null`
 * for a missing row. A `findOne` by primary key may be answered from the identity map, but only for
 * an entity already loaded: a loop over distinct keys still sends one query per key.
 */
import { ts } from '../../ts';
import { skipParens } from '../ast';
import {
  argumentsOf,
  entityName,
  firstKey,
  NOT_MODELS,
  o,
  set,
  v,
  type ClientCallNode,
  type Op,
  type Step,
  type StepResult,
  type Val,
} from '../clients/model';
import { rawOp, sqlKey, sqlOfCall } from '../clients/sql';
import type { Library } from './library';
import { asIs, byField, oneKey } from './lookup';

const LIB = 'mikro-orm';
const isMikroOrm = (module: string): boolean => module.startsWith('@mikro-orm/');
/** The packages raw SQL may go through (not `@mikro-orm/mongodb`). */
const SQL_MODULES = [
  '@mikro-orm/core',
  '@mikro-orm/knex',
  '@mikro-orm/postgresql',
  '@mikro-orm/mysql',
  '@mikro-orm/mariadb',
  '@mikro-orm/sqlite',
  '@mikro-orm/better-sqlite',
  '@mikro-orm/libsql',
  '@mikro-orm/mssql',
  '@mikro-orm/nestjs',
];

const READ = set(
  'find',
  'findOne',
  'findOneOrFail',
  'findAll',
  'findAndCount',
  'findByCursor',
  'count',
  'refresh',
  'refreshOrFail',
  'populate',
);
const WRITE = set(
  'flush',
  'persistAndFlush',
  'removeAndFlush',
  'insert',
  'nativeInsert',
  'nativeUpdate',
  'nativeDelete',
  'upsert',
  'insertMany',
  'upsertMany',
);
/** Calls that change the unit of work only (and return the entity manager): no round trip. */
const UNIT_OF_WORK = set('persist', 'remove');
/** The calls that run a query builder; the others build it. */
const BUILDER_RUNS = set('getResult', 'getResultList', 'getSingleResult', 'getResultAndCount', 'getCount', 'execute');
const BUILDER_WRITES = set('insert', 'update', 'delete', 'truncate');
/** Calls whose first argument after the entity is a filter (`where`), or a primary key for the `findOne`s. */
const FILTERED = set('find', 'findOne', 'findOneOrFail', 'findAndCount', 'findByCursor', 'count', 'nativeUpdate', 'nativeDelete');
const BY_PRIMARY_KEY = set('findOne', 'findOneOrFail', 'nativeUpdate', 'nativeDelete');
/** A receiver named like an entity manager: `em`, `this.em`, `DI.em`, `forkedEm`, `entityManager`. */
const MANAGER_NAME = /^(em|[a-z]\w*Em|(\w*E|e)ntityManager)$/;

const orm: Val = { lib: LIB, role: 'client' };
const manager = (tx?: string): Val => (tx ? { lib: LIB, role: 'manager', tx } : { lib: LIB, role: 'manager' });
const repository = (model: string | undefined, tx?: string): Val => ({ lib: LIB, role: 'repository', model, tx });

/** `User`, `entities.User`, `User.name`, `'User'`: an entity named as the entity manager's first argument. */
function isEntity(node: ts.Expression | undefined): boolean {
  const inner = node && skipParens(node);
  if (!inner) return false;
  if (ts.isIdentifier(inner)) return /^[A-Z]/.test(inner.text) && !NOT_MODELS.has(inner.text);
  if (ts.isPropertyAccessExpression(inner))
    return inner.name.text === 'name'
      ? ts.isIdentifier(inner.expression) && /^[A-Z]/.test(inner.expression.text)
      : /^[A-Z]/.test(inner.name.text);
  return ts.isStringLiteral(inner) && /^[A-Z]\w*$/.test(inner.text);
}

/** A value that reads like a primary key: a literal, or a name ending in `id` (`id`, `userId`, `post.authorId`). */
function isKeyValue(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNumericLiteral(node)) return true;
  const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
  return name !== undefined && /id$/i.test(name);
}

/** A call on an entity manager or a repository (`model`: the repository's entity; an entity manager names its own). */
function crud(val: Val, name: string, node: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(node);
  const model = val.role === 'manager' ? (args?.[0] && isEntity(args[0]) ? entityName(args[0]) : undefined) : val.model;
  if (READ.has(name)) return o({ lib: LIB, kind: 'query', method: name, anchor, model, tx: val.tx });
  if (WRITE.has(name)) return o({ lib: LIB, kind: 'write', method: name, anchor, model, tx: val.tx });
  if (UNIT_OF_WORK.has(name)) {
    // Before v5, `em.persist(entity, true)` flushed; without it the call only marks the entity and returns the manager.
    const flushes = args?.[1]?.kind === ts.SyntaxKind.TrueKeyword;
    return flushes ? o({ lib: LIB, kind: 'write', method: name, anchor, model, tx: val.tx }) : v(val);
  }
  if (name === 'createQueryBuilder' || name === 'qb') return v({ lib: LIB, role: 'command', model: model ?? val.model, tx: val.tx });
  return undefined;
}

function call(val: Val, name: string, node: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(node);
  switch (val.role) {
    case 'class':
      // MikroORM.init(config), MikroORM.initSync(config); RequestContext.getEntityManager().
      if (val.name === 'MikroORM' && (name === 'init' || name === 'initSync')) return v(orm);
      if (val.name === 'RequestContext' && name === 'getEntityManager') return v(manager());
      return undefined;
    case 'manager':
      if (name === 'fork') return v(manager());
      if (name === 'getRepository') return v(repository(args?.[0] ? entityName(args[0]) : undefined, val.tx));
      if (name === 'execute') return rawOp(LIB, name, anchor, sqlOfCall(node), val);
      if (name === 'getConnection') return v({ lib: LIB, role: 'db', tx: val.tx });
      if (name === 'getKnex') return v({ lib: 'knex', role: 'client' });
      return crud(val, name, node, anchor);
    case 'repository':
      if (name === 'getEntityManager') return v(manager(val.tx));
      return crud(val, name, node, anchor);
    case 'db':
      // The driver's connection: em.getConnection().execute('SELECT …').
      return name === 'execute' ? rawOp(LIB, name, anchor, sqlOfCall(node), val) : undefined;
    case 'command': {
      // A query builder: each step returns it; it reaches the database only when it runs.
      if (BUILDER_RUNS.has(name))
        return o({
          lib: LIB,
          kind: val.name === 'write' ? 'write' : 'query',
          method: name,
          anchor,
          model: val.model,
          builder: true,
          tx: val.tx,
        });
      return v(BUILDER_WRITES.has(name) ? { ...val, name: 'write' } : val);
    }
    default:
      return undefined;
  }
}

/** The key a MikroORM call looks rows up by: the filter's first field, or the primary key (`id`) for `findOne(User, id)`. */
function lookupKey(op: Op, steps: readonly Step[], args: readonly ts.Expression[] | undefined): string | undefined {
  if (op.raw) return sqlKey(op.sql);
  if (op.builder) {
    const where = steps.slice(0, op.anchor).find((step) => step.name === 'where' || step.name === 'andWhere');
    return firstKey(argumentsOf(where?.call)?.[0]);
  }
  if (!FILTERED.has(op.method)) return undefined;
  const filter = args && (isEntity(args[0]) ? args[1] : args[0]);
  if (!filter) return undefined;
  const inner = skipParens(filter);
  if (ts.isObjectLiteralExpression(inner)) return firstKey(inner);
  // The primary key's name is declared on the entity, which the file may not show: `id` is MikroORM's convention.
  return BY_PRIMARY_KEY.has(op.method) && isKeyValue(inner) ? 'id' : undefined;
}

export const mikroOrm: Library = {
  id: LIB,
  limits: { options: ['limit'], steps: ['limit'], oneRow: ['findOne', 'findOneOrFail', 'count'], filters: { objectArguments: true } },
  modules: isMikroOrm,
  client: {
    anchors: [...READ, ...WRITE, ...BUILDER_RUNS, ...UNIT_OF_WORK],
    imported: ({ name, module, whole }) => {
      if (name === 'MikroORM' || name === 'RequestContext') return { lib: LIB, role: 'class', name };
      return whole ? { lib: LIB, role: 'module', module } : undefined;
    },
    construct: (made) => (made.role === 'class' && made.name === 'MikroORM' ? orm : undefined),
    member: (val, name) => (val.role === 'client' && name === 'em' ? manager() : undefined),
    call,
    typeReference: ({ right, model, fromLibrary }) => {
      if (!fromLibrary) return undefined;
      if (right === 'MikroORM') return orm;
      if (/^(Sql|Mongo)?EntityManager$/.test(right)) return manager();
      if (/^(Sql|Mongo)?EntityRepository$/.test(right)) return repository(model);
      return undefined;
    },
    // Listed before TypeORM, whose `@InjectRepository` and `@InjectEntityManager` come from @nestjs/typeorm.
    decorators: {
      InjectRepository: (model, module) => (module === '@mikro-orm/nestjs' ? repository(model) : undefined),
      InjectEntityManager: (_model, module) => (module === '@mikro-orm/nestjs' ? manager() : undefined),
      InjectMikroORM: (_model, module) => (module === '@mikro-orm/nestjs' ? orm : undefined),
    },
    // class UserRepository extends EntityRepository<User>: `this.find(…)`.
    self: ({ name, model, fromLibrary }) =>
      fromLibrary && name !== undefined && /EntityRepository$/.test(name) ? repository(model) : undefined,
    // `DI.em.findOne(User, …)`, `ctx.em.find(User, …)`, `this.em.flush()` in a file that imports MikroORM, whatever `em` is.
    byShape: ({ method, anchor, steps, args, plainPrefix, ctx }) => {
      if (!plainPrefix || anchor < 1 || !MANAGER_NAME.test(steps[anchor - 1].name)) return undefined;
      if (!(READ.has(method) || WRITE.has(method)) || !ctx.facts.imports.importsAny(isMikroOrm)) return undefined;
      if (method !== 'flush' && !isEntity(args?.[0])) return undefined;
      const kind = READ.has(method) ? 'query' : 'write';
      return { lib: LIB, kind, method, anchor, model: args?.[0] && isEntity(args[0]) ? entityName(args[0]) : undefined };
    },
    lookupKey,
    rawSql: { modules: SQL_MODULES, driver: false },
  },
  batching: {
    methods: ['insertMany', 'upsertMany'],
    text: /\$in\b/,
    describe: (op, k, ks) => {
      const read = op.kind === 'query';
      const where = `{ ${k}: { $in: ${ks} } }`;
      if (op.raw) return read ? `query with WHERE ${k} IN (…)` : 'multi-row statement';
      if (op.builder)
        return op.method === 'getCount' ? `query builder with .where(${where}).groupBy('${k}')` : `query builder with .where(${where})`;
      if (op.method === 'populate') return 'populate() on the whole array of entities';
      if (op.method === 'count') return `query builder with .where(${where}).groupBy('${k}')`;
      if (op.method === 'refresh' || op.method === 'refreshOrFail') return `find(…) with ${where} and { refresh: true }`;
      if (read) return `find(…) with ${where}`;
      if (op.method === 'flush') return 'flush() after the loop (change or persist() each entity in it)';
      if (op.method === 'persistAndFlush' || op.method === 'persist') return 'flush() after the loop (persist() each entity in it)';
      if (op.method === 'removeAndFlush' || op.method === 'remove') return 'flush() after the loop (remove() each entity in it)';
      if (op.method === 'insert' || op.method === 'nativeInsert') return 'insertMany([...rows])';
      if (op.method === 'upsert') return 'upsertMany([...rows])';
      if (op.method === 'nativeUpdate') return `nativeUpdate(…) with ${where} when the data is the same`;
      if (op.method === 'nativeDelete') return `nativeDelete(…) with ${where}`;
      return undefined;
    },
    /**
     * `em.findOne(User, { key: x })` or `users.findOne({ key: x })`, and no options → `find(…, { key: { $in: keys } })`;
     * a missing row stays `null`. Not `findOneOrFail` (the batched read would not throw) nor a lookup by primary key
     * (its name is on the entity).
     */
    lookupForm: 'MikroORM `find` + `$in`',
    lookupArguments: 2,
    lookup: (node, client, file) => {
      if (client.method !== 'findOne') return undefined;
      const args = node.arguments;
      const entity = args.length === 2 ? args[0] : undefined;
      // Two arguments are the entity and the filter; a repository's `findOne(where, options)` is not rewritten.
      if (entity && !isEntity(entity)) return undefined;
      const match = oneKey(args[args.length - 1]);
      if (!match) return undefined;
      const { key } = match;
      const target = entity ? `${file.textOf(entity)}, ` : '';
      // MongoDB's `_id` is an ObjectId: rows and keys meet as strings.
      const objectId = key === '_id';
      return {
        ...match,
        reused: entity ? [entity] : [],
        batchedMethod: 'find',
        fetchAll: (receiver, keys) => `${receiver}.find(${target}{ ${key}: { $in: ${keys} } })`,
        rowKey: (row) => (objectId ? `String(${row}._id)` : byField(row, key)),
        lookupKey: objectId ? (text) => `String(${text})` : asIs,
        missing: 'null',
        edits: [],
      };
    },
  },
  transactions: {
    callbacks: ['transactional'],
    // `transactional` is MikroORM's alone: its callback's parameter is an entity manager whatever the receiver.
    handle: { methods: ['transactional'], distinctive: true, value: (name) => manager(name) },
    unmanaged: [
      { method: 'begin', bound: false, commit: 'commit', rollback: 'rollback', receiver: /(^|\.)(em|[a-z]\w*Em|(\w*E|e)ntityManager)$/ },
    ],
    ends: { commit: ['commit'], rollback: ['rollback'] },
  },
};
