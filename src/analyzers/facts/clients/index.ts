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
 * A user's own `find` on an array has none of these and is not a query. What each library is
 * imported as, which of its calls read or write and what their batched form is lives in that
 * library's descriptor (facts/libraries); this module walks the chain and asks.
 *
 * A chain is answered once, at its outermost call — `knex('users').where(…).first()` at `first()`,
 * `User.find(…).populate(…).lean()` at `lean()` — so a visitor of every CallExpression sees one
 * client call per query. `.then/.catch/.finally` are not part of the chain: use
 * `awaitedClientCall` to look through them.
 */
import { ts } from '../../ts';
import { calleeName, isFunctionLike, skipParens } from '../ast';
import type { FileFacts } from '../fileFacts';
import {
  batchedListCalls,
  batchedListProperties,
  batchedText,
  batchMethods,
  ignoresBatchedText,
  library,
  transactionOptions,
  transactionSteps,
} from '../libraries/registry';
import {
  argumentsOf,
  buildChain,
  continuesChain,
  objectProperty,
  pluralKey,
  PROMISE_METHODS,
  shorten,
  SK,
  type ClientCall,
  type ClientCallNode,
  type Op,
  type Step,
} from './model';
import { contextFor, passesNameFilter, recogniseByEvidence, recogniseByShape, recogniseByType } from './recognise';
import { keylessSqlBatched, sqlKey } from './sql';

export type { ClientCall, ClientCallNode, ClientKind } from './model';
export { SQL_CONTROL, sqlOfCall, sqlWrites } from './sql';
export { transactionAround } from '../transactions';

// ---------------------------------------------------------------------------------------------
// Describing a recognised call

function argumentSummary(call: ClientCallNode, facts: FileFacts): string {
  if (ts.isTaggedTemplateExpression(call)) return '`…`';
  if (call.arguments.length === 0) return '()';
  if (call.arguments.length === 1) {
    const text = facts.textOf(call.arguments[0]);
    if (
      text.length <= 24 &&
      !/[\n\r]/.test(text) &&
      (ts.isStringLiteralLike(call.arguments[0]) || ts.isIdentifier(call.arguments[0]) || ts.isPropertyAccessExpression(call.arguments[0]))
    ) {
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

/** The key a per-item lookup is made by. */
function lookupKey(op: Op, steps: Step[]): string | undefined {
  const hook = library(op.lib)?.client?.lookupKey;
  if (hook) return hook(op, steps, argumentsOf(steps[op.anchor].call));
  return op.raw ? sqlKey(op.sql) : undefined;
}

function batchedFor(op: Op, key: string | undefined): string | undefined {
  const batching = library(op.lib)?.batching;
  // Raw SQL whose key cannot be read from a `WHERE key = $1`: say the shape, not a made-up column.
  if (op.raw && key === undefined && !batching?.describesKeylessSql) return keylessSqlBatched(op);
  const k = key ?? 'id';
  if (batching?.describe) return batching.describe(op, k, pluralKey(k));
  if (op.kind === 'http') return 'a batch endpoint if the API has one, or bounded concurrency (p-limit)';
  return undefined;
}

function isAlreadyBatched(op: Op, steps: Step[], call: ClientCallNode, facts: FileFacts): boolean {
  if (op.kind === 'http') return false;
  if (batchMethods.has(op.method) || steps.slice(op.anchor).some((step) => batchMethods.has(step.name))) return true;
  if (ignoresBatchedText(op.lib)) return false;
  // Only a positive key list batches: `not: { in }`, `NOT IN (…)` exclude keys from a read that still runs per item.
  const text = facts.text.slice(facts.start(call), call.end).replace(/\bNOT\s+IN\s*\(/gi, '');
  if (batchedText.test(text) && (batchedListsOf(call).length > 0 || !hasNegatedList(call))) return true;
  // Set-based raw SQL: an UPDATE/DELETE that selects its rows by a join or a range, not `key = $1`; INSERT … SELECT.
  if (
    op.raw &&
    op.sql &&
    (op.statement === 'UPDATE' || op.statement === 'DELETE') &&
    /\bWHERE\b/i.test(op.sql) &&
    !/\bWHERE\b[\s\S]*?["`\w]\s*=\s*(\$\d+|\?|:\w+|@\w+)/i.test(op.sql)
  )
    return true;
  if (op.raw && op.sql && op.statement === 'INSERT' && /\bSELECT\b/i.test(op.sql)) return true;
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

/** `in`, `$in`, and `Op.in` of `[Op.in]`: the name a property is written with. */
function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const expression = skipParens(name.expression);
    if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression))
      return `${expression.expression.text}.${expression.name.text}`;
  }
  return undefined;
}

/**
 * The lists of keys a batched call sends, as its libraries' descriptors say where they are written:
 * `ids` of `{ id: { in: ids } }`, `{ $in: ids }`, `{ [Op.in]: ids }`, `In(ids)`, `inArray(t.id, ids)`,
 * `whereIn('id', ids)`. Not in callbacks (a knex `where(function () {…})` builds its own query).
 */
function batchedListsOf(call: ClientCallNode): ts.Expression[] {
  return listsIn(call).filter((list) => !isNegated(list, call));
}

/** True when the call names a key list only under a negation (`not: { in: ids }`), which selects the other rows. */
function hasNegatedList(call: ClientCallNode): boolean {
  return listsIn(call).some((list) => isNegated(list, call));
}

/** Properties and calls that negate the filter written inside them: Prisma `not`/`NOT`, Mongo `$not`/`$nor`, Sequelize `Op.not`, Drizzle `not(…)`. */
const NEGATIONS: ReadonlySet<string> = new Set(['not', 'NOT', '$not', '$nor', 'Op.not']);

function isNegated(list: ts.Node, call: ClientCallNode): boolean {
  for (let node = list.parent; node && node !== call; node = node.parent) {
    if (ts.isPropertyAssignment(node) && NEGATIONS.has(propertyNameText(node.name) ?? '')) return true;
    if (ts.isCallExpression(node) && node !== call && calleeName(node) === 'not') return true;
  }
  return false;
}

function listsIn(call: ClientCallNode): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isPropertyAssignment(node)) {
      const name = propertyNameText(node.name);
      if (name !== undefined && batchedListProperties.has(name)) found.push(node.initializer);
    } else if (ts.isCallExpression(node)) {
      const index = batchedListCalls.get(calleeName(node) ?? '');
      const list = index === undefined ? undefined : node.arguments[index];
      if (list && !isFunctionLike(skipParens(list))) found.push(list);
    }
    ts.forEachChild(node, visit);
  };
  visit(call);
  return found;
}

/** `{ transaction: t }` (Sequelize), `{ session }` (Mongoose), `.transacting(trx)` (knex), `.session(s)`. */
function transactionFromArguments(steps: Step[], op: Op, facts: FileFacts): string | undefined {
  for (let i = op.anchor; i < steps.length; i++) {
    const step = steps[i];
    const call = step.call;
    if (!call || !ts.isCallExpression(call)) continue;
    if (transactionSteps.has(step.name) && call.arguments[0]) return shorten(facts.textOf(call.arguments[0]), 24);
    if (i !== op.anchor) continue;
    for (const argument of call.arguments) {
      const transaction = transactionOption(argument);
      if (transaction && !(ts.isIdentifier(transaction) && transaction.text === 'undefined') && transaction.kind !== SK.NullKeyword)
        return shorten(facts.textOf(transaction), 24);
    }
  }
  return undefined;
}

/** `{ transaction: t }` / `{ session }`: the first transaction option an argument passes, in the order libraries list them. */
function transactionOption(argument: ts.Expression): ts.Expression | undefined {
  for (const option of transactionOptions) {
    const value = objectProperty(argument, option);
    if (value) return value;
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
    if (ts.isPropertyAccessExpression(callee) && (PROMISE_METHODS.has(callee.name.text) || callee.name.text === 'toPromise'))
      return undefined;
  }
  const steps = buildChain(call);
  if (!steps || steps.length === 0) return undefined;
  const ctx = contextFor(facts);
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
  if (isAlreadyBatched(op, steps, call, facts)) {
    result.alreadyBatched = true;
    const lists = ignoresBatchedText(op.lib) ? [] : batchedListsOf(call);
    if (lists.length > 0) result.batchedLists = lists;
  }
  if (op.single) result.singleConnection = true;
  if (op.raw) result.raw = true;
  if (op.statement) result.statement = op.statement;
  if (op.synchronous) result.synchronous = true;
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
export function clientCallExtent(call: ClientCallNode | ts.Expression): ts.Expression {
  let current: ts.Expression = call;
  for (let guard = 0; guard < 10; guard++) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent) break;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isSatisfiesExpression(parent)
    ) {
      current = parent;
      continue;
    }
    if (
      ts.isPropertyAccessExpression(parent) &&
      parent.expression === current &&
      (PROMISE_METHODS.has(parent.name.text) || parent.name.text === 'toPromise')
    ) {
      const grand = parent.parent;
      if (grand && ts.isCallExpression(grand) && grand.expression === parent) {
        current = grand;
        continue;
      }
    }
    if (
      ts.isCallExpression(parent) &&
      parent.arguments[0] === current &&
      ts.isIdentifier(parent.expression) &&
      (parent.expression.text === 'firstValueFrom' || parent.expression.text === 'lastValueFrom')
    ) {
      current = parent;
      continue;
    }
    break;
  }
  return current;
}
