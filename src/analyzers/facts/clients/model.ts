/**
 * The shared vocabulary of the client recognisers: what a recognised call is (`ClientCall`), the
 * chain a call is read as (`Step`), what a name or expression holds on the way (`Val`), and the
 * operation a chain ends in (`Op`). The library descriptors (facts/libraries) speak these types.
 */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import type { FileFacts } from '../fileFacts';

export const SK = ts.SyntaxKind;

export type ClientKind = 'query' | 'write' | 'http';

export interface ClientCall {
  /** The library's id in facts/libraries: 'prisma', 'typeorm', 'pg', 'redis', 'fetch', 'axios' … */
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
  /** With `alreadyBatched`: the lists of keys the call sends, where written (`order.itemIds` of `{ id: { in: order.itemIds } }`). */
  batchedLists?: readonly ts.Expression[];
  /** True when the handle is one connection (pg `Client`/`PoolClient`, a mysql2 connection): its queries queue one after another. */
  singleConnection?: boolean;
  /** Raw SQL: the statement's first keyword, upper-case (`SELECT`, `INSERT`, `BEGIN`); undefined when the text is not known. */
  statement?: string;
  /** True for raw SQL (the statement text decides what it does). */
  raw?: boolean;
  /** True when the call blocks until the database answers (better-sqlite3): it is per item whether awaited or not. */
  synchronous?: boolean;
}

/** A call, or a tagged template that runs a query (`prisma.$queryRaw\`…\``, postgres.js `sql\`…\``). */
export type ClientCallNode = ts.CallExpression | ts.TaggedTemplateExpression;

export const set = (...names: string[]): ReadonlySet<string> => new Set(names);

/** Calls that only convert a query's result and do not start another round trip. */
export const PROMISE_METHODS = set('then', 'catch', 'finally');

/** Well-known globals and builtins that are never models. */
export const NOT_MODELS = set(
  'Math',
  'Object',
  'Array',
  'JSON',
  'Promise',
  'Number',
  'String',
  'Boolean',
  'Date',
  'Reflect',
  'Symbol',
  'BigInt',
  'Intl',
  'Atomics',
  'Buffer',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'RegExp',
  'Error',
  'URL',
  'URLSearchParams',
  'Proxy',
  'Function',
  'ArrayBuffer',
  'DataView',
  'Blob',
  'Response',
  'Request',
  'Headers',
  'FormData',
  'AbortController',
  'TextEncoder',
  'TextDecoder',
  'Temporal',
  'Iterator',
  'EventEmitter',
  'Stream',
  'Readable',
);

// ---------------------------------------------------------------------------------------------
// Chains

export interface Step {
  /** Identifier or property name; `this`; '' for another expression at the root. */
  name: string;
  node: ts.Expression;
  /** The call (or tag) applied to this step, if any: `find` in `repo.find(…)`. */
  call?: ClientCallNode;
}

/** `a.b(x).c()` → [a, b(x), c()] (root first). Undefined for shapes a client chain never has. */
export function buildChain(outer: ClientCallNode): Step[] | undefined {
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
export function continuesChain(call: ClientCallNode): boolean {
  const parent = call.parent;
  if (!parent || !ts.isPropertyAccessExpression(parent) || parent.expression !== call || PROMISE_METHODS.has(parent.name.text))
    return false;
  const grand = parent.parent;
  return (
    !!grand &&
    ((ts.isCallExpression(grand) && grand.expression === parent) || (ts.isTaggedTemplateExpression(grand) && grand.tag === parent))
  );
}

// ---------------------------------------------------------------------------------------------
// Values and operations

export type Role =
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
  | 'statement' // a prepared statement (better-sqlite3)
  | 'global';

export interface Val {
  /** The id of the library whose descriptor interprets the value. */
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
  /** Prepared statements: the SQL they run. */
  sql?: string;
}

export interface Op {
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
  synchronous?: boolean;
}

export type StepResult = { val: Val } | { op: Op } | undefined;

export const v = (val: Val): StepResult => ({ val });
export const o = (op: Op): StepResult => ({ op });

export interface Ctx {
  facts: FileFacts;
  depth: number;
  /** The value a name holds where it is written (values.ts provides it; descriptors call back through it). */
  nameValue: (name: string, at: ts.Node, ctx: Ctx) => Val | undefined;
}

export const deeper = (ctx: Ctx): Ctx => ({ ...ctx, depth: ctx.depth + 1 });

// ---------------------------------------------------------------------------------------------
// Small syntax helpers

export function isLowerFirst(name: string): boolean {
  return /^[a-z_$]/.test(name);
}

/** `User` for `User`, `User.name`, `'User'`. */
export function entityName(node: ts.Expression): string | undefined {
  const inner = skipParens(node);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.expression) && inner.name.text === 'name') return inner.expression.text;
  return constantString(inner);
}

export function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

export function objectProperty(object: ts.Expression | undefined, name: string): ts.Expression | undefined {
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
export function firstKey(object: ts.Expression | undefined): string | undefined {
  if (!object) return undefined;
  const inner = skipParens(object);
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) {
      const name = propertyNameText(property.name);
      // `AND: [...]`, `OR`, `NOT`, `$and`: a combination of filters, not the key rows are looked up by.
      if (name !== undefined && !name.startsWith('$') && !/^(AND|OR|NOT)$/.test(name)) return name;
    }
  }
  return undefined;
}

export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The call `fn` is passed to, if it is passed directly (through parentheses). */
export function callReceiving(fn: ts.Node): ts.CallExpression | undefined {
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  return call && ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression) ? call : undefined;
}

export function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? [];
}

/** `ids` for `id`/`_id`, else `<key>s`. */
export function pluralKey(key: string): string {
  if (key === 'id' || key === '_id') return 'ids';
  return key.endsWith('s') ? `${key}List` : `${key}s`;
}

/** The arguments of a step's call (none for tagged templates). */
export function argumentsOf(call: ClientCallNode | undefined): ts.NodeArray<ts.Expression> | undefined {
  return call && ts.isCallExpression(call) ? call.arguments : undefined;
}
