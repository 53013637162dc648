/**
 * Database transactions, detected once for every rule that asks: the managed (callback) form —
 * `prisma.$transaction(async (tx) => …)`, `knex.transaction(async (trx) => …)`,
 * `dataSource.transaction(async (manager) => …)`, `sequelize.transaction(async (t) => …)`,
 * `session.withTransaction(async () => …)`, Kysely's `db.transaction().execute(async (trx) => …)`,
 * MikroORM's `em.transactional(…)`, methods decorated `@Transactional()` — and the unmanaged form,
 * opened by one call and closed by another: `const t = await sequelize.transaction()` … `t.commit()`,
 * `await queryRunner.startTransaction()` … `commitTransaction()`, `session.startTransaction()`,
 * `await connection.beginTransaction()`, `await client.query('BEGIN')` … `query('COMMIT')`.
 *
 * Which methods do what is each library's knowledge (facts/libraries: `transactions`); raw SQL's
 * `BEGIN`/`COMMIT` and the names that make a receiver look like a database are the same for all.
 *
 * lock-across-await turns both into critical sections (what runs while the transaction holds its
 * connection and locks); clients' users ask `transactionAround(node)` ("is this write ordered on
 * purpose?").
 */
import { ts } from '../ts';
import { calleeName, chainRoot, constantString, isFunctionLike, receiverOf, skipParens, skipParensUp, type FunctionLike } from './ast';
import type { FileFacts } from './fileFacts';
import {
  anyReceiverTransactionMethods,
  chainedTransactions,
  receiverIsHandleMethods,
  transactionCallbackMethods,
  transactionEndOf,
  unmanagedOpeners,
  unmanagedTransaction,
} from './libraries/registry';

/** Receivers whose `.transaction(() => …)` is a database transaction even without a handle parameter (CLS, better-sqlite3, Dexie). */
const DATABASE_RECEIVER = /(sequelize|db|database|knex|datasource|connection|prisma|manager|sqlite|orm|em|client|pool)$/i;

export interface TransactionCallback {
  /** The call that runs the callback in a transaction. */
  call: ts.CallExpression;
  callback: FunctionLike;
  /** `$transaction`, `transaction`, `withTransaction`, `execute` (Kysely). */
  method: string;
  /** Names that stand for the transaction inside the callback: its parameters, the Mongoose session. */
  handleNames: Set<string>;
  /** The handle to name in messages: the first parameter, or the method. */
  handle: string;
  /** How messages name it: `prisma.$transaction`. */
  display: string;
}

function lastFunctionArgument(args: readonly ts.Expression[]): FunctionLike | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = skipParens(args[i]);
    if (isFunctionLike(arg)) return arg;
  }
  return undefined;
}

function shortText(facts: FileFacts, node: ts.Node): string {
  const text = facts.textOf(node).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** If `call` runs a callback inside a transaction, describes it. */
export function transactionCallbackOf(call: ts.CallExpression, facts: FileFacts): TransactionCallback | undefined {
  const method = calleeName(call);
  if (!method) return undefined;
  const receiver = receiverOf(call);
  if (!receiver) return undefined;
  let callback: FunctionLike | undefined;
  if (transactionCallbackMethods.has(method)) {
    callback = lastFunctionArgument(call.arguments);
    if (!callback) return undefined;
    // `.transaction(fn)` is a common name: without a handle parameter only a database-looking receiver counts.
    if (callback.parameters.length === 0 && !anyReceiverTransactionMethods.has(method)) {
      const root = facts.textOf(receiver).split('.').pop() ?? '';
      if (!DATABASE_RECEIVER.test(root)) return undefined;
    }
  } else {
    // Kysely: db.transaction().execute(async (trx) => …)
    const chained = chainedTransactions.find((entry) => entry.method === method);
    if (!chained) return undefined;
    const inner = skipParens(receiver);
    if (!ts.isCallExpression(inner) || calleeName(inner) !== chained.after) return undefined;
    callback = lastFunctionArgument(call.arguments);
    if (!callback || callback.parameters.length === 0) return undefined;
  }
  if (!callback) return undefined;
  const handleNames = new Set<string>();
  for (const parameter of callback.parameters) {
    if (ts.isIdentifier(parameter.name)) handleNames.add(parameter.name.text);
  }
  // A MongoDB session: session.withTransaction(async () => …) — the session is the handle.
  const root = chainRoot(receiver);
  if (receiverIsHandleMethods.has(method) && root && ts.isIdentifier(root)) handleNames.add(root.text);
  const first = callback.parameters[0];
  const handle = first && ts.isIdentifier(first.name) ? first.name.text : method;
  const display = `${shortText(facts, receiver)}.${method}`;
  return { call, callback, method, handleNames, handle, display };
}

/** The call `fn` is passed to, if it is passed directly (through parentheses). */
function callReceiving(fn: ts.Node): ts.CallExpression | undefined {
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  return call && ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression) ? call : undefined;
}

// ---------------------------------------------------------------------------------------------
// Unmanaged transactions: opened by one call, closed by others

export interface OpenedTransaction {
  /** The call that opens it. */
  call: ts.CallExpression;
  /** What later calls go through: `t`, `trx`, `queryRunner`, `session`, `client`. */
  handle: string;
  /** The statement that opens it, in its block. */
  statement: ts.Statement;
  /** How messages name it: `sequelize.transaction()`, `queryRunner.startTransaction()`, `client.query('BEGIN')`. */
  display: string;
  /** How the code closes it on success and failure, for messages. */
  commit: string;
  rollback: string;
}

const SQL_VERB = /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*\(?\s*([A-Za-z]+)/;

function sqlVerbOf(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const inner = skipParens(argument);
  let text = constantString(inner);
  if (text === undefined && ts.isObjectLiteralExpression(inner)) {
    for (const property of inner.properties) {
      if (
        ts.isPropertyAssignment(property) &&
        ts.isIdentifier(property.name) &&
        (property.name.text === 'text' || property.name.text === 'sql')
      )
        text = constantString(property.initializer);
    }
  }
  if (text === undefined) return undefined;
  const match = SQL_VERB.exec(text);
  return match ? match[1].toUpperCase() : undefined;
}

/** The statement holding `call` (through `await`, parentheses and a declaration) and the name it binds, if any. */
function statementOf(call: ts.CallExpression): { statement?: ts.Statement; bound?: string } {
  let node: ts.Node = skipParensUp(call);
  if (node.parent && ts.isAwaitExpression(node.parent)) node = skipParensUp(node.parent);
  const parent = node.parent;
  if (!parent) return {};
  if (ts.isExpressionStatement(parent)) return { statement: parent };
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) {
    const statement = parent.parent?.parent;
    return { statement: statement && ts.isVariableStatement(statement) ? statement : undefined, bound: parent.name.text };
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === node &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(skipParens(parent.left))
  ) {
    const statement = parent.parent;
    return {
      statement: statement && ts.isExpressionStatement(statement) ? statement : undefined,
      bound: (skipParens(parent.left) as ts.Identifier).text,
    };
  }
  return {};
}

/** Raw SQL statements that open and close a transaction, sent through any driver's `query`/`execute`/`raw`. */
const SQL_METHODS = new Set(['query', 'execute', 'raw']);

/** If `call` opens a transaction that other calls must close, describes it. */
export function openedTransaction(call: ts.CallExpression, facts: FileFacts): OpenedTransaction | undefined {
  const name = calleeName(call);
  if (name === undefined || (!unmanagedOpeners.has(name) && !SQL_METHODS.has(name))) return undefined;
  const receiver = receiverOf(call);
  if (!receiver) return undefined;
  const receiverText = shortText(facts, receiver);
  const { statement, bound } = statementOf(call);
  if (!statement) return undefined;
  if (SQL_METHODS.has(name)) {
    const verb = sqlVerbOf(call.arguments[0]);
    if (verb !== 'BEGIN' && verb !== 'START') return undefined;
    return {
      call,
      handle: receiverText,
      statement,
      display: `${receiverText}.${name}('${verb === 'START' ? 'START TRANSACTION' : 'BEGIN'}')`,
      commit: `${receiverText}.${name}('COMMIT')`,
      rollback: `${receiverText}.${name}('ROLLBACK')`,
    };
  }
  if (call.arguments.some((argument) => isFunctionLike(skipParens(argument)))) return undefined; // the managed form
  if (isIndexedDbTransaction(name, call)) return undefined;
  // `const t = await sequelize.transaction()` binds the handle; `queryRunner.startTransaction()` opens it on the receiver.
  const opener = unmanagedTransaction(name, bound !== undefined, receiverText, facts);
  if (!opener) return undefined;
  const handle = opener.bound ? bound! : receiverText;
  return {
    call,
    handle,
    statement,
    display: `${receiverText}.${name}()`,
    commit: `${handle}.${opener.commit}()`,
    rollback: `${handle}.${opener.rollback}()`,
  };
}

/** IndexedDB's modes: `db.transaction(stores, 'readwrite')`. */
const INDEXED_DB_MODES = new Set(['readonly', 'readwrite', 'versionchange']);

/**
 * A browser IndexedDB transaction (`db.transaction('recipes')`, `db.transaction(['a', 'b'], 'readwrite')`, idb's and
 * Dexie's the same): it names object stores, and the browser commits it when its requests are done and aborts it when
 * one fails — there is no connection, no pool and nothing left open to roll back. A server client's `transaction()`
 * takes no store names: nothing, options (`{ isolationLevel }`) or a callback.
 */
function isIndexedDbTransaction(name: string, call: ts.CallExpression): boolean {
  if (name !== 'transaction' || call.arguments.length === 0) return false;
  const [stores, mode] = call.arguments.map((argument) => skipParens(argument));
  if (mode && ts.isStringLiteralLike(mode) && INDEXED_DB_MODES.has(mode.text)) return true;
  return ts.isStringLiteralLike(stores) || ts.isArrayLiteralExpression(stores);
}

/** How a call ends the transaction opened through `handle`, if it does. */
export function transactionEnd(node: ts.Node, opened: OpenedTransaction, facts: FileFacts): 'commit' | 'rollback' | 'release' | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const name = calleeName(node);
  const receiver = receiverOf(node);
  if (!name || !receiver || facts.textOf(receiver) !== opened.handle) return undefined;
  if (SQL_METHODS.has(name)) {
    const verb = sqlVerbOf(node.arguments[0]);
    if (verb === 'COMMIT' || verb === 'END') return 'commit';
    if (verb === 'ROLLBACK') return 'rollback';
    return undefined;
  }
  return transactionEndOf(name);
}

// ---------------------------------------------------------------------------------------------
// Is a node inside a transaction?

export interface TransactionContext {
  /** The handle the transaction runs on: `tx`, `trx`, `queryRunner`, `manager`, `t`, `client` (BEGIN/COMMIT). */
  handle: string;
  /** The callback or function the transaction spans. */
  node: ts.Node;
  /** How messages name it after "inside": `prisma.$transaction(…)`, `a @Transactional() method`, `a transaction (t)`. */
  display: string;
}

function decoratorNames(node: ts.Node): string[] {
  const decorators = (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? [];
  const names: string[] = [];
  for (const decorator of decorators) {
    const expression = decorator.expression;
    const name = ts.isCallExpression(expression) ? calleeName(expression) : ts.isIdentifier(expression) ? expression.text : undefined;
    if (name) names.push(name);
  }
  return names;
}

/**
 * The transaction `node` runs in, if one is visible in its function or around it: a callback run
 * in a transaction, a method decorated `@Transactional()`/`@Transaction()`, or a function that
 * opened one (unmanaged) before `node`.
 */
export function transactionAround(node: ts.Node, facts: FileFacts): TransactionContext | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const fn = current;
    const call = callReceiving(fn);
    const managed = call ? transactionCallbackOf(call, facts) : undefined;
    if (managed && managed.callback === fn) return { handle: managed.handle, node: fn, display: `${managed.display}(…)` };
    const decorator = ts.isMethodDeclaration(fn)
      ? decoratorNames(fn).find((name) => /^(Transactional|Transaction|UseTransaction)$/.test(name))
      : undefined;
    if (decorator) return { handle: 'transaction', node: fn, display: `a @${decorator}() method` };
    const opened = openedTransactionBefore(fn, node, facts);
    if (opened) return { handle: opened.handle, node: fn, display: `a transaction (${opened.display})` };
  }
  return undefined;
}

/** An unmanaged transaction `fn` opens before `node` (not in functions nested in it). */
function openedTransactionBefore(fn: ts.Node, node: ts.Node, facts: FileFacts): OpenedTransaction | undefined {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body || !ts.isBlock(body)) return undefined;
  const position = node.pos;
  let found: OpenedTransaction | undefined;
  const visit = (current: ts.Node): void => {
    if (found || current.pos >= position) return;
    if (isFunctionLike(current)) return;
    if (ts.isCallExpression(current) && current.end <= position) {
      found = openedTransaction(current, facts);
      if (found) return;
    }
    ts.forEachChild(current, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}
