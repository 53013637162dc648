/**
 * "Does this function do I/O each time it is called?" — a summary per function, across files:
 * the database, cache and HTTP calls it makes (facts/clients), directly or through the project
 * functions it calls (facts/modules), up to a few calls deep. This is what lets the N+1 rules see
 * a query behind a helper (`await this.users.findById(id)` in a loop), a recursive walk that
 * queries per node, and a project's own `fetchJson` wrapper.
 *
 * Not counted: calls under lazy initialisation (`client ??= await connect()`), behind a cache
 * check (`if (cache.has(id)) return cache.get(id)`), in callbacks the function only schedules
 * (`setTimeout`, `.on(…)`) or functions it only defines, transaction control (`BEGIN`/`COMMIT`),
 * and DataLoader loads (batched by design).
 *
 * Summaries are cached per function node with the versions of the other files they looked into:
 * an edit to any of them (in the editor or on disk) recomputes the summary, nothing else does.
 */
import { ts } from '../ts';
import { boundNames, calleeName, chainRoot, endsInReturnOrThrow, isFunctionLike, skipParens, type FunctionLike } from './ast';
import { clientCall, SQL_CONTROL, type ClientCall } from './clients';
import { transactionAround } from './transactions';
import { isLazyInitialisation, localNames } from './positions';
import { contains, MUTATING_METHODS } from './dataflow';
import { isStackOverflow } from '../failures';
import type { FileFacts } from './fileFacts';
import { calleeOf, type Callee } from './modules';

const SK = ts.SyntaxKind;

export interface IoSummary {
  /** `query` or `write` when the function reaches the database or a cache (`write` if any call writes); `http` when it only makes requests. */
  kind: 'query' | 'write' | 'http';
  /** The first such call, as facts/clients describes it (its `operation` is how it is written where it is). */
  first: ClientCall;
  /** The functions between the summarised one and the call, outermost first: `['UsersService.findById', 'loadRow']`. */
  via: string[];
  /** True when every call reads (queries, GET/HEAD requests) and the function writes no state outside itself. */
  readOnly: boolean;
  /**
   * How many arguments a call must pass for any of the I/O to run: I/O under `if (options?.signedUrls)` only
   * runs when `options` is given. 0 when some I/O runs whatever the arguments.
   */
  minArgs: number;
  /** True when every write goes through a transaction (a `{ transaction }` option, a `tx` handle, inside a transaction callback): ordered on purpose. */
  writesInTransaction: boolean;
  /**
   * True when every write runs in a transaction the function opens itself (or a function it calls
   * does): one transaction per call. False when a write runs in a transaction a caller gave it
   * (`audit(tx, id)`, `{ transaction: ctx.transaction }`), or in none.
   */
  writesInOwnTransaction: boolean;
}

interface Entry {
  summary: IoSummary | undefined;
  /** Files (other than the function's own) the summary looked into, with their versions then. */
  deps: Map<string, string>;
  /** Set when a function in another file could not be summarised (see entryAcross): not cached. */
  partial?: true;
}

/** Per file analysis (see facts/modules): other files' entries outlive analyses as long as their versions do. */
const cache = new WeakMap<FileFacts, Map<ts.Node, Entry>>();
/** How deep calls are followed from the function asked about. */
const MAX_DEPTH = 3;

/** The I/O `fn` (in `facts`' file) does per call, if any. */
function summaryOf(fn: FunctionLike, facts: FileFacts): IoSummary | undefined {
  return entryOf(fn, facts, [], 0).summary;
}

/** The project function `call` runs, and the I/O that function does per call. */
export function callIo(call: ts.CallExpression, facts: FileFacts): { callee: Callee; summary: IoSummary } | undefined {
  const callee = calleeOf(call, facts);
  if (!callee) return undefined;
  const summary = callee.facts === facts ? summaryOf(callee.fn, facts) : entryAcross(callee.fn, callee.facts, [], 0).summary;
  // The I/O is guarded by an argument this call does not pass.
  if (!summary || call.arguments.length < summary.minArgs) return undefined;
  return { callee, summary };
}

function isFresh(entry: Entry, facts: FileFacts): boolean {
  const host = facts.modules;
  if (!host || entry.deps.size === 0) return true;
  for (const [file, version] of entry.deps) if (host.fileVersion(file) !== version) return false;
  return true;
}

function entryOf(fn: FunctionLike, facts: FileFacts, stack: readonly ts.Node[], depth: number): Entry {
  let perFile = cache.get(facts);
  if (!perFile) {
    perFile = new Map();
    cache.set(facts, perFile);
  }
  const cached = perFile.get(fn);
  if (cached && isFresh(cached, facts)) return cached;
  // A cycle (recursion) adds nothing new: the function's own calls are already being counted.
  if (stack.includes(fn)) return { summary: undefined, deps: new Map() };
  const entry = compute(fn, facts, [...stack, fn], depth);
  // Only complete answers are cached: a summary cut short by the depth limit or a cycle may be
  // missing calls a direct question would find.
  if (depth === 0 && !entry.partial) perFile.set(fn, entry);
  return entry;
}

/**
 * The entry of a function in another file. A file nested too deep to summarise (a 3,000-term
 * expression overflows the stack) says so when it is analysed itself; to the files calling into
 * it, that function is one we know nothing about — one deep file must not fail their analysis.
 */
function entryAcross(fn: FunctionLike, facts: FileFacts, stack: readonly ts.Node[], depth: number): Entry {
  try {
    return entryOf(fn, facts, stack, depth);
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return { summary: undefined, deps: new Map(), partial: true };
  }
}

/** Callbacks handed to these run later, if at all: not part of the call. */
const DEFERRING = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'nextTick',
  'queueMicrotask',
  'on',
  'once',
  'addListener',
  'addEventListener',
  'subscribe',
  'catch',
]);

function compute(fn: FunctionLike, facts: FileFacts, stack: readonly ts.Node[], depth: number): Entry {
  const deps = new Map<string, string>();
  let partial = false;
  let first: { client: ClientCall; via: string[] } | undefined;
  let database = false;
  let write = false;
  let httpOnly: { client: ClientCall; via: string[] } | undefined;
  let readOnly = true;
  let inTransaction = true;
  let inOwnTransaction = true;
  let minArgs = Number.POSITIVE_INFINITY;
  const locals = localNames(fn);
  const parameterIndex = new Map<string, number>();
  fn.parameters.forEach((parameter, index) => {
    for (const name of boundNames(parameter.name)) parameterIndex.set(name, index);
  });
  const needed = (node: ts.Node): number => argumentsNeeded(node, fn, parameterIndex);
  // The objects a caller passes in are the caller's: writing their properties is a side effect too.
  const parameters = new Set<string>();
  for (const parameter of fn.parameters) for (const name of boundNames(parameter.name)) parameters.add(name);
  const shared = (target: ts.Expression): boolean => isShared(target, locals) || writesParameter(target, parameters);
  const host = facts.modules;

  const note = (client: ClientCall, via: string[]): void => {
    if (client.kind === 'http') {
      httpOnly ??= { client, via };
      if (client.httpMethod !== 'GET' && client.httpMethod !== 'HEAD') readOnly = false;
      return;
    }
    if (!database) first = { client, via };
    database = true;
    if (client.kind === 'write') {
      write = true;
      readOnly = false;
    }
  };

  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node !== fn) {
      if (!runsDuringCall(node)) return;
    } else if (ts.isClassLike(node)) {
      return;
    }
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const client = clientCall(node, facts);
      if (client) {
        if (!(client.statement && SQL_CONTROL.test(client.statement)) && !isCached(node, fn)) {
          note(client, []);
          if (client.kind === 'write') {
            const around = transactionAround(node, facts);
            if (!client.transaction && !around) inTransaction = false;
            if (!around || !contains(fn, around.node)) inOwnTransaction = false;
          }
          minArgs = Math.min(minArgs, needed(node));
        }
      } else if (ts.isCallExpression(node) && depth < MAX_DEPTH) {
        const callee = calleeOf(node, facts);
        if (callee && !isCached(node, fn)) {
          if (callee.facts !== facts && host) {
            const version = host.fileVersion(callee.facts.fileName);
            if (version !== undefined) deps.set(callee.facts.fileName, version);
          }
          const inner =
            callee.facts === facts ? entryOf(callee.fn, facts, stack, depth + 1) : entryAcross(callee.fn, callee.facts, stack, depth + 1);
          if (inner.partial) partial = true;
          for (const [file, version] of inner.deps) deps.set(file, version);
          const summary = inner.summary && node.arguments.length >= inner.summary.minArgs ? inner.summary : undefined;
          if (summary) {
            minArgs = Math.min(minArgs, needed(node));
            const via = [callee.name, ...summary.via];
            if (summary.kind === 'http') note(summary.first, via);
            else {
              if (!database) first = { client: summary.first, via };
              database = true;
              if (summary.kind === 'write') {
                write = true;
                // Its writes run in a transaction if they do there, or the call itself runs in one here.
                const around = transactionAround(node, facts);
                if (!summary.writesInTransaction && !around) inTransaction = false;
                if (!summary.writesInOwnTransaction && !(around && contains(fn, around.node))) inOwnTransaction = false;
              }
            }
            if (!summary.readOnly) readOnly = false;
          }
        }
      }
      if (ts.isCallExpression(node) && (writesShared(node, locals) || writesShared(node, locals, parameters))) readOnly = false;
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= SK.FirstAssignment &&
      node.operatorToken.kind <= SK.LastAssignment
    ) {
      if (shared(node.left)) readOnly = false;
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken)
    ) {
      if (shared(node.operand)) readOnly = false;
    } else if (ts.isDeleteExpression(node)) {
      if (shared(node.expression)) readOnly = false;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);

  let summary: IoSummary | undefined;
  const least = Number.isFinite(minArgs) ? minArgs : 0;
  const writesInTransaction = write && inTransaction;
  const writesInOwnTransaction = write && inOwnTransaction;
  if (database && first)
    summary = {
      kind: write ? 'write' : 'query',
      first: first.client,
      via: first.via,
      readOnly,
      minArgs: least,
      writesInTransaction,
      writesInOwnTransaction,
    };
  else if (httpOnly)
    summary = {
      kind: 'http',
      first: (httpOnly as { client: ClientCall }).client,
      via: (httpOnly as { via: string[] }).via,
      readOnly,
      minArgs: least,
      writesInTransaction: false,
      writesInOwnTransaction: false,
    };
  return partial ? { summary, deps, partial } : { summary, deps };
}

/**
 * How many arguments must be passed for `node` to run: the guards around it (`if (options?.x && y)`,
 * `a && call()`, `cond ? call() : …`) that only test parameters for being set. An argument left out
 * is `undefined`, so such a guard is false. 0 when any guard is not of that shape.
 */
function argumentsNeeded(node: ts.Node, fn: FunctionLike, parameterIndex: ReadonlyMap<string, number>): number {
  let needed = 0;
  for (let child: ts.Node = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    let condition: ts.Expression | undefined;
    if (ts.isIfStatement(parent) && parent.thenStatement === child) condition = parent.expression;
    else if (ts.isConditionalExpression(parent) && parent.whenTrue === child) condition = parent.condition;
    else if (ts.isBinaryExpression(parent) && parent.right === child && parent.operatorToken.kind === SK.AmpersandAmpersandToken)
      condition = parent.left;
    if (!condition) continue;
    const index = requiredParameter(condition, parameterIndex);
    if (index !== undefined) needed = Math.max(needed, index + 1);
  }
  return needed;
}

/** The highest parameter a truthiness test requires to be set: `options?.a && options.b` → `options`; undefined for other tests. */
function requiredParameter(condition: ts.Expression, parameterIndex: ReadonlyMap<string, number>): number | undefined {
  const inner = skipParens(condition);
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === SK.AmpersandAmpersandToken) {
    const left = requiredParameter(inner.left, parameterIndex);
    const right = requiredParameter(inner.right, parameterIndex);
    if (left === undefined) return right;
    if (right === undefined) return left;
    return Math.max(left, right);
  }
  if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) {
    const root = chainRoot(inner);
    return root && ts.isIdentifier(root) ? parameterIndex.get(root.text) : undefined;
  }
  return undefined;
}

/** A nested function that runs while the outer call runs: a callback passed to a call that is not a scheduler or listener. */
function runsDuringCall(fn: FunctionLike): boolean {
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(argument as ts.Expression)) return false;
  const name = calleeName(call);
  return !name || !DEFERRING.has(name);
}

/** `this.x`, a module-level or closed-over variable: state that outlives one call of the function. */
function isShared(target: ts.Expression, locals: ReadonlySet<string>): boolean {
  const root = chainRoot(target);
  if (!root) return false;
  if (root.kind === SK.ThisKeyword) return true;
  const name = (root as ts.Identifier).text;
  if (name === 'module' || name === 'exports' || name === 'console') return false;
  return !locals.has(name);
}

/** `options.x = …`, `data.items.push(…)`: a property of an object the caller passed in. */
function writesParameter(target: ts.Expression, parameters: ReadonlySet<string>): boolean {
  const inner = skipParens(target);
  if (!ts.isPropertyAccessExpression(inner) && !ts.isElementAccessExpression(inner)) return false;
  const root = chainRoot(inner);
  return !!root && ts.isIdentifier(root) && parameters.has(root.text);
}

/** A mutating method called on shared state (or, given `parameters`, on an object the caller passed in). */
function writesShared(call: ts.CallExpression, locals: ReadonlySet<string>, parameters?: ReadonlySet<string>): boolean {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !MUTATING_METHODS.has(callee.name.text)) return false;
  const receiver = skipParens(callee.expression);
  if (!(ts.isPropertyAccessExpression(receiver) || ts.isIdentifier(receiver) || receiver.kind === SK.ThisKeyword)) return false;
  if (parameters) {
    const root = chainRoot(receiver);
    return !!root && ts.isIdentifier(root) && parameters.has(root.text);
  }
  // `this.cache.set(k, v)`, `pending.push(x)` with `pending` outside the function.
  return isShared(receiver, locals);
}

const CACHE_WORDS = /cache|cached|memo|loaded|seen|store|hit/i;

/**
 * True when the call only runs on a cache miss: lazy initialisation of outer state, or a block
 * that returns early when a cache has the answer (`if (cache.has(k)) return cache.get(k);`,
 * `const hit = cache.get(k); if (hit) return hit;`), or a branch taken when it does not.
 */
function isCached(call: ts.Node, fn: FunctionLike): boolean {
  if (isLazyInitialisation(call, fn)) return true;
  for (let child: ts.Node = call, parent = call.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && (parent.thenStatement === child || parent.elseStatement === child) && mentionsCache(parent.expression))
      return true;
    if (ts.isConditionalExpression(parent) && parent.whenFalse === child && mentionsCache(parent.condition)) return true;
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === child &&
      (parent.operatorToken.kind === SK.QuestionQuestionToken || parent.operatorToken.kind === SK.BarBarToken) &&
      mentionsCache(parent.left)
    )
      return true;
    if (ts.isBlock(parent) && ts.isStatement(child)) {
      const index = parent.statements.indexOf(child);
      for (let i = 0; i < index; i++) {
        const earlier = parent.statements[i];
        if (ts.isIfStatement(earlier) && endsInReturnOrThrow(earlier.thenStatement) && mentionsCache(earlier.expression)) return true;
      }
    }
  }
  return false;
}

function mentionsCache(condition: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && CACHE_WORDS.test(node.text)) found = true;
    else if (ts.isCallExpression(node) && calleeName(node) === 'has') found = true;
    else ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}
