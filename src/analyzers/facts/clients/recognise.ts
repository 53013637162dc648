/**
 * Recognition: reading a call chain as a client operation. Evidence first (where the chain's root
 * comes from), then shapes only a client call has, then — last, lazily — the type checker.
 */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import { lookup } from '../dataflow';
import type { FileFacts } from '../fileFacts';
import { HTTP_VERBS } from './http';
import { finishKnex, KNEX_BUILDER, KNEX_ROOT } from './knex';
import {
  isLowerFirst,
  NOT_MODELS,
  objectProperty,
  SK,
  type ClientCallNode,
  type ClientKind,
  type Ctx,
  type Op,
  type Role,
  type Step,
  type StepResult,
  type Val,
  v,
} from './model';
import { MONGODB_WRITE, MONGOOSE_DISTINCTIVE, MONGOOSE_MODULES, MONGOOSE_READ, MONGOOSE_WRITE } from './mongo';
import { dynamoOp } from './others';
import { PRISMA_DISTINCTIVE, PRISMA_RAW_READ, PRISMA_RAW_WRITE, PRISMA_READ, PRISMA_WRITE } from './prisma';
import { isCamelRedisCommand, REDIS_READ, REDIS_WRITE } from './redis';
import { SEQUELIZE_DISTINCTIVE, SEQUELIZE_MODULES, SEQUELIZE_READ, SEQUELIZE_WRITE } from './sequelize';
import { looksLikeSql, RAW_SQL_METHODS, rawOp, sqlLibrary, sqlOfCall, sqlText } from './sql';
import { repositoryModel, TYPEORM_DISTINCTIVE, TYPEORM_QB_TERMINAL, TYPEORM_QB_WRITE, TYPEORM_READ, TYPEORM_WRITE } from './typeorm';
import {
  callMember,
  enclosingClass,
  exprValue,
  hintValue,
  invoke,
  isUserModule,
  libOfModule,
  member,
  memberValue,
  nameValue,
  selfValue,
} from './values';

/** Method names that can start a client operation (continuations like `json`, `lean`, `sort` cannot): the cheap first filter. */
const ANCHOR_NAMES: ReadonlySet<string> = new Set([
  ...PRISMA_READ,
  ...PRISMA_WRITE,
  ...PRISMA_RAW_READ,
  ...PRISMA_RAW_WRITE,
  ...TYPEORM_READ,
  ...TYPEORM_WRITE,
  'createQueryBuilder',
  'query',
  ...SEQUELIZE_READ,
  ...SEQUELIZE_WRITE,
  ...MONGOOSE_READ,
  ...MONGOOSE_WRITE,
  ...MONGODB_WRITE,
  ...KNEX_ROOT,
  'raw',
  ...HTTP_VERBS,
  ...RAW_SQL_METHODS,
  'send',
  'fetch',
  'from',
  'rpc',
  'selectDistinct',
  'selectDistinctOn',
  '$count',
  'axiosRef',
  ...REDIS_READ,
  ...REDIS_WRITE,
  'iterate',
  'exec',
]);

/** `x.mongoQueryRunner.updateMany(…)`: a name that is a client or runner itself, not a Prisma model delegate. */
const NOT_A_DELEGATE = /(Runner|Manager|Repository|Repo|Service|Client|Connection|Collection|Model|Db|Database|Driver|Adapter|Store|Api)$/;

/** Functions called directly that may be clients whatever their origin: `fetch(url)`, `knex('users')`, `db('users')`, `trx('users')`. */
const ROOT_CALL_NAMES: ReadonlySet<string> = new Set(['fetch', '$fetch', 'ofetch', 'knex', 'db', 'trx', 'database', 'sql']);

/** A fresh resolution context for `facts`. */
export function contextFor(facts: FileFacts): Ctx {
  return { facts, depth: 0, nameValue };
}

/**
 * The cheap first filter, before any resolution: some method of the chain could start an
 * operation, or the chain's root is called and may be a client function. Walks the callee chain
 * without allocating.
 */
export function passesNameFilter(call: ClientCallNode, facts: FileFacts): boolean {
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
    return (
      origin.instanceOf !== undefined ||
      libOfModule(origin.module) !== undefined ||
      (isUserModule(origin.module) && isLowerFirst(expression.text))
    );
  }
  // this.knex('users'), this.db('users')
  return ts.isPropertyAccessExpression(expression) && expression.expression.kind === SK.ThisKeyword;
}

/** `Math.max(…)`, `Object.values(…)`, `JSON.parse`, `require(…)…`: never a client. */
function isBuiltinRoot(access: ts.PropertyAccessExpression): boolean {
  let root: ts.Expression = access.expression;
  while (
    ts.isPropertyAccessExpression(root) ||
    ts.isCallExpression(root) ||
    ts.isElementAccessExpression(root) ||
    ts.isParenthesizedExpression(root)
  ) {
    root = ts.isParenthesizedExpression(root) ? root.expression : root.expression;
  }
  return (
    ts.isIdentifier(root) &&
    (NOT_MODELS.has(root.text) || root.text === 'require' || root.text === 'console' || root.text === 'process' || root.text === 'document')
  );
}

function walk(steps: Step[], start: Val, from: number, ctx: Ctx): Op | undefined {
  let val = start;
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    const result = step.call
      ? callMember(val, step.name, step.call, ctx, i)
      : (() => {
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
      return finishKnex(op, rest);
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

export function recogniseByEvidence(steps: Step[], ctx: Ctx): Op | undefined {
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
export function recogniseByShape(steps: Step[], ctx: Ctx): Op | undefined {
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
    if (
      table !== undefined &&
      rest.length > 0 &&
      rest.every((name) => KNEX_BUILDER.has(name)) &&
      (knexName || facts.imports.imports('knex'))
    ) {
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
    const result = rawOp(
      'prisma',
      method,
      anchor,
      sqlOfCall(call),
      { lib: 'prisma', role: 'client' },
      PRISMA_RAW_READ.has(method) ? 'query' : 'write',
    );
    return result && 'op' in result ? result.op : undefined;
  }
  if (
    plainPrefix &&
    anchor >= 2 &&
    PRISMA_DISTINCTIVE.has(method) &&
    isLowerFirst(steps[anchor - 1].name) &&
    !NOT_A_DELEGATE.test(steps[anchor - 1].name)
  ) {
    if (
      (steps[anchor - 2].name === 'query' && importsAnyOf(facts, ['drizzle-orm'])) ||
      (steps[anchor - 2].name === 'query' && facts.imports.importsAny((m) => m.startsWith('drizzle-orm')))
    ) {
      return { lib: 'drizzle', kind: 'query', method, anchor, model: steps[anchor - 1].name };
    }
    if (steps[anchor - 2].name !== 'query' || !(method === 'findFirst' || method === 'findMany')) {
      return { lib: 'prisma', kind: PRISMA_READ.has(method) ? 'query' : 'write', method, anchor, model: steps[anchor - 1].name };
    }
  }
  // Objection: Person.query().findById(id)
  if (
    method === 'query' &&
    isModelReceiver(steps, anchor - 1, ctx) &&
    plainPrefix &&
    steps.length > anchor + 1 &&
    steps.slice(anchor + 1).every((s) => KNEX_BUILDER.has(s.name))
  ) {
    return finish({ lib: 'objection', kind: 'query', method: 'query', anchor, model: steps[anchor - 1].name, builder: true }, steps);
  }
  if (plainPrefix && anchor >= 1) {
    const receiver = steps[anchor - 1];
    const modelish = isModelReceiver(steps, anchor - 1, ctx);
    // Sequelize model statics
    if (
      modelish &&
      (SEQUELIZE_DISTINCTIVE.has(method) ||
        ((SEQUELIZE_READ.has(method) || SEQUELIZE_WRITE.has(method)) && importsAnyOf(facts, SEQUELIZE_MODULES)))
    ) {
      return { lib: 'sequelize', kind: SEQUELIZE_READ.has(method) ? 'query' : 'write', method, anchor, model: receiver.name };
    }
    // Mongoose model statics
    if (
      modelish &&
      (MONGOOSE_DISTINCTIVE.has(method) ||
        ((MONGOOSE_READ.has(method) || MONGOOSE_WRITE.has(method)) && importsAnyOf(facts, MONGOOSE_MODULES)))
    ) {
      return { lib: 'mongoose', kind: MONGOOSE_READ.has(method) ? 'query' : 'write', method, anchor, model: receiver.name };
    }
    // A model imported from a models/entities folder: `import { Notification } from '@server/models'` → Notification.create(…).
    if (
      modelish &&
      (SEQUELIZE_READ.has(method) || SEQUELIZE_WRITE.has(method) || MONGOOSE_READ.has(method) || MONGOOSE_WRITE.has(method)) &&
      fromModelsFolder(steps, ctx)
    ) {
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
  // Not `this.query(…)` in a class that defines `query` itself: that is the project's (or the driver's own) method,
  // which facts/summaries follows to see what it really does.
  if (RAW_SQL_METHODS.has(method) && args?.[0] && !(anchor === 1 && root.name === 'this' && declaresOwnMember(root.node, method, ctx))) {
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

/**
 * True when `this.<name>` is the class's own method: declared by the class, or inherited from a class
 * of the project (`extends BaseQueryRunner` imported from a relative path or declared in the file).
 * A class that extends a client library's class (`extends Pool`) inherits the client's method instead.
 */
function declaresOwnMember(self: ts.Node, name: string, ctx: Ctx): boolean {
  const cls = enclosingClass(self);
  if (!cls) return false;
  if (
    cls.members.some(
      (member) =>
        member.name !== undefined && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) && member.name.text === name,
    )
  )
    return true;
  const base = cls.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0]?.expression;
  // `extends BaseQueryRunner`, or CommonJS output's `extends BaseQueryRunner_1.BaseQueryRunner`.
  const root =
    base &&
    (ts.isIdentifier(base) ? base : ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression) ? base.expression : undefined);
  if (!root) return false;
  const origin = ctx.facts.imports.get(root.text);
  if (origin) return isUserModule(origin.module) && libOfModule(origin.module) === undefined;
  const declaration = lookup(root.text, root);
  return declaration?.kind === 'class';
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

/** Libraries whose types decide the last fallback, and the declared type names that make a client. */
const TYPED_LIBRARIES: ReadonlyArray<{
  lib: string;
  modules: readonly string[];
  path: RegExp;
  methods: ReadonlySet<string>;
  types: RegExp;
  role: Role;
}> = [
  {
    lib: 'typeorm',
    modules: ['typeorm', '@nestjs/typeorm'],
    path: /\/node_modules\/typeorm\//,
    methods: new Set([...TYPEORM_READ, ...TYPEORM_WRITE]),
    types: /^(Repository|TreeRepository|MongoRepository)$/,
    role: 'repository',
  },
  {
    lib: 'typeorm',
    modules: ['typeorm', '@nestjs/typeorm'],
    path: /\/node_modules\/typeorm\//,
    methods: new Set([...TYPEORM_READ, ...TYPEORM_WRITE]),
    types: /^(EntityManager|MongoEntityManager)$/,
    role: 'manager',
  },
  {
    lib: 'mongoose',
    modules: ['mongoose', '@nestjs/mongoose'],
    path: /\/node_modules\/mongoose\//,
    methods: new Set([...MONGOOSE_READ, ...MONGOOSE_WRITE]),
    types: /^Model$/,
    role: 'model',
  },
  {
    lib: 'sequelize',
    modules: ['sequelize', 'sequelize-typescript'],
    path: /\/node_modules\/sequelize(-typescript)?\//,
    methods: new Set([...SEQUELIZE_READ, ...SEQUELIZE_WRITE]),
    types: /^(ModelStatic|ModelCtor|Model)$/,
    role: 'model',
  },
  {
    lib: 'redis',
    modules: ['ioredis', 'redis', '@redis/client'],
    path: /\/node_modules\/(ioredis|@redis\/client|redis)\//,
    methods: new Set([...REDIS_READ, ...REDIS_WRITE]),
    types: /^(Redis|Cluster|RedisClientType|RedisClient.*)$/,
    role: 'client',
  },
  {
    lib: 'pg',
    modules: ['pg'],
    path: /\/node_modules\/@types\/pg\/|\/node_modules\/pg\//,
    methods: new Set(['query']),
    types: /^(Pool|PoolClient|Client)$/,
    role: 'client',
  },
];

/**
 * Last resort: the receiver's declared type, from the type checker (built lazily, once per
 * project). Only for files that import the library and methods it has, and only when the
 * receiver is a name or `this.x` whose declaration told nothing.
 */
export function recogniseByType(steps: Step[], ctx: Ctx): Op | undefined {
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
