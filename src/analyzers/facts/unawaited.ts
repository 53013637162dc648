/**
 * Who goes on without waiting for an async function. Until its first `await`, an async function
 * runs inside the call that starts it: a blocking `writeFileSync` there is done when the call
 * returns. Rewritten as `await fs.promises.writeFile(…)`, the write is done later. A caller that
 * waits for the promise cannot tell; a caller that does not — an event emitter calling a listener,
 * a timer, `forEach`, a call written without `await`, a constructor — sees the difference, and a
 * process that ends right after its 'exit' listeners return never sees the write at all.
 *
 * What is seen: where the function is handed (an argument of `process.on`, `.on`, a scheduler,
 * `forEach`, `map`, `new Promise`) and each call of it in the same file (`calleeOf`), following
 * a call made before the caller's own first `await` up to that caller's callers. A request
 * handler is run by its framework, and any other API a function is handed to is assumed to wait
 * for it. Callers in other files are not seen: an exported function is assumed to be awaited.
 */
import { ts } from '../ts';
import {
  calleeName,
  constantString,
  enclosingFunction,
  isAsyncFunction,
  isFunctionLike,
  skipParens,
  skipParensUp,
  type FunctionLike,
} from './ast';
import { requestHandlerKind } from './requestHandlers';
import { lookup, references, type Declaration } from './dataflow';
import type { FileFacts } from './fileFacts';
import { normalizeModule } from './imports';
import { calleeOf } from './modules';
import { compact } from './phrases';
import { syntaxIndexOf } from './syntaxIndex';

const SK = ts.SyntaxKind;

/** Someone who does not wait for the function's promise, and what that means. */
export type NotWaiting =
  /** An 'exit' or 'beforeExit' listener: awaited work is cut off, or makes 'beforeExit' fire again. */
  | { kind: 'process-end'; event: string }
  /** A signal, `uncaughtException` or `unhandledRejection` listener: another listener may end the process meanwhile. */
  | { kind: 'process-event'; event: string }
  /** Any other caller that goes on at once: `reason` says who (`the 'data' event does not wait for its listener`). */
  | { kind: 'caller'; reason: string };

const LISTENER_METHODS: ReadonlySet<string> = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'addEventListener',
]);
const SCHEDULERS: ReadonlySet<string> = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
const PROMISE_COMBINATORS: ReadonlySet<string> = new Set(['all', 'allSettled', 'any', 'race']);
const ENDING_EVENTS: ReadonlySet<string> = new Set(['exit', 'beforeExit']);
const LIFECYCLE_EVENTS = /^(SIG[A-Z0-9]+|uncaughtException|uncaughtExceptionMonitor|unhandledRejection)$/;
/** How far a chain of callers is followed (`listener → helper → save`). */
const MAX_DEPTH = 4;

/** Everyone this file shows to go on without waiting for `fn` (directly, or through callers that call it before their own first await). */
export function notWaitingFor(fn: FunctionLike, facts: FileFacts): NotWaiting[] {
  const found: NotWaiting[] = [];
  collect(fn, facts, 0, new Set(), found);
  return found;
}

function collect(fn: FunctionLike, facts: FileFacts, depth: number, seen: Set<FunctionLike>, found: NotWaiting[]): void {
  if (depth > MAX_DEPTH || seen.has(fn)) return;
  seen.add(fn);
  // The framework runs every request on its own: nothing orders one request's effects before the next one's code.
  if (requestHandlerKind(fn, facts.fileName)) return;
  for (const call of callsOf(fn, facts)) calledAt(call, facts, depth, seen, found);
  for (const value of valuesOf(fn, facts)) {
    const use = handedAs(value);
    if (use) handedTo(use, facts, depth, seen, found);
  }
}

/** A call whose promise the caller either waits for or not; the caller's own callers count too when the call runs before the caller's first await. */
function calledAt(call: ts.CallExpression, facts: FileFacts, depth: number, seen: Set<FunctionLike>, found: NotWaiting[]): void {
  if (!isWaitedFor(call)) found.push({ kind: 'caller', reason: describeCall(call, facts) });
  const caller = enclosingFunction(call);
  if (caller && !awaitsBefore(call, caller)) collect(caller, facts, depth + 1, seen, found);
}

function handedTo(
  use: { call: ts.CallExpression | ts.NewExpression; argument: ts.Expression },
  facts: FileFacts,
  depth: number,
  seen: Set<FunctionLike>,
  found: NotWaiting[],
): void {
  const { call } = use;
  const callee = skipParens(call.expression);
  const method = calleeName(call);
  if (ts.isNewExpression(call)) {
    if (ts.isIdentifier(callee) && callee.text === 'Promise' && !lookup('Promise', call))
      found.push({ kind: 'caller', reason: 'new Promise does not wait for an async executor' });
    return;
  }
  if (method && ts.isPropertyAccessExpression(callee) && LISTENER_METHODS.has(method)) {
    const event = constantString(call.arguments[0]);
    const onProcess = isProcess(callee.expression, call, facts);
    if (onProcess && event !== undefined && ENDING_EVENTS.has(event)) found.push({ kind: 'process-end', event });
    else if (onProcess && event !== undefined && LIFECYCLE_EVENTS.test(event)) found.push({ kind: 'process-event', event });
    else found.push({ kind: 'caller', reason: `the ${event === undefined ? 'event' : `'${event}' event`} does not wait for its listener` });
    return;
  }
  const nextTick = ts.isPropertyAccessExpression(callee) && callee.name.text === 'nextTick' && isProcess(callee.expression, call, facts);
  const scheduler =
    ts.isIdentifier(callee) && SCHEDULERS.has(callee.text) && !lookup(callee.text, call)
      ? callee.text
      : nextTick
        ? 'process.nextTick'
        : undefined;
  if (scheduler) {
    found.push({ kind: 'caller', reason: `${scheduler} does not wait for its callback` });
    return;
  }
  if (method === 'forEach') {
    found.push({ kind: 'caller', reason: 'forEach does not wait for its callback' });
    return;
  }
  // `items.map(async …)`: the caller holds the promises; whether it waits for them is the question.
  if (method === 'map' || method === 'flatMap') calledAt(call, facts, depth, seen, found);
  // Any other API (a route, a hook, a lock's callback) is assumed to wait for what it is given.
}

/**
 * The 'exit' or 'beforeExit' event when `fn` runs only as a listener of it (written in place, or
 * named and used nowhere else in the file): the event loop has nothing left to run then, so no
 * one waits on what the listener blocks — and an 'exit' listener must block to get anything done.
 */
export function onlyProcessEndListener(fn: FunctionLike, facts: FileFacts): string | undefined {
  if (callsOf(fn, facts).length > 0) return undefined;
  const values = valuesOf(fn, facts);
  let event: string | undefined;
  for (const value of values) {
    const use = handedAs(value);
    const callee = use && !ts.isNewExpression(use.call) ? skipParens(use.call.expression) : undefined;
    const method = use ? calleeName(use.call) : undefined;
    const named = use ? constantString(use.call.arguments?.[0]) : undefined;
    if (!use || !callee || !ts.isPropertyAccessExpression(callee) || !method || !LISTENER_METHODS.has(method)) return undefined;
    if (named === undefined || !ENDING_EVENTS.has(named) || !isProcess(callee.expression, use.call, facts)) return undefined;
    event = named;
  }
  return event;
}

/** The global `process`, or `process` imported from 'process' / 'node:process'. */
function isProcess(expression: ts.Expression, at: ts.Node, facts: FileFacts): boolean {
  const inner = skipParens(expression);
  if (!ts.isIdentifier(inner) || inner.text !== 'process') return false;
  if (!lookup('process', at)) return true;
  const origin = facts.originOf('process', at);
  return !!origin && normalizeModule(origin.module) === 'process' && (origin.imported === 'default' || origin.imported === '*');
}

// ---------------------------------------------------------------------------------------------
// Where the function is called or handed

/** The calls in this file that run `fn`: by name (resolved with calleeOf), or written around it (`(async () => …)()`). */
function callsOf(fn: FunctionLike, facts: FileFacts): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const outer = skipParensUp(fn);
  if (outer.parent && ts.isCallExpression(outer.parent) && skipParens(outer.parent.expression) === fn) calls.push(outer.parent);
  const name = nameOf(fn);
  if (name === undefined) return calls;
  for (const call of syntaxIndexOf(facts.sourceFile).calls) {
    if (calleeName(call) === name && calleeOf(call, facts)?.fn === fn) calls.push(call);
  }
  return calls;
}

/**
 * Expressions that may stand for `fn` as a value: the function written in place, its name, and —
 * for a method or a property — every `x.name` in the file (without types, any `x`: a false match
 * can only hold the fix back, never make it safe).
 */
function valuesOf(fn: FunctionLike, facts: FileFacts): ts.Expression[] {
  const values: ts.Expression[] = [];
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) values.push(fn);
  const binding = bindingOf(fn);
  if (binding) values.push(...references(binding));
  const member = memberName(fn);
  if (member !== undefined) {
    for (const access of syntaxIndexOf(facts.sourceFile).accesses) {
      if (ts.isPropertyAccessExpression(access) && access.name.text === member) values.push(access);
    }
  }
  return values;
}

/** The name a method, an object property or a class field is reached by (`obj.name`). */
function memberName(fn: FunctionLike): string | undefined {
  if (ts.isMethodDeclaration(fn)) return ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  const parent = skipParensUp(fn).parent;
  if (parent && (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name))
    return parent.name.text;
  return undefined;
}

/** The function handed as an argument (`.bind(…)` looked through); undefined when it is called, stored or returned. */
function handedAs(value: ts.Expression): { call: ts.CallExpression | ts.NewExpression; argument: ts.Expression } | undefined {
  let outer = skipParensUp(value);
  const bind = outer.parent;
  if (
    bind &&
    ts.isPropertyAccessExpression(bind) &&
    bind.expression === outer &&
    bind.name.text === 'bind' &&
    bind.parent &&
    ts.isCallExpression(bind.parent) &&
    bind.parent.expression === bind
  ) {
    outer = skipParensUp(bind.parent);
  }
  const parent = outer.parent;
  if (parent && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(outer as ts.Expression))
    return { call: parent, argument: outer as ts.Expression };
  return undefined;
}

/** The binding a function is known by: `function save()`, `const save = async () => …`. */
function bindingOf(fn: FunctionLike): Declaration | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name && fn.parent) {
    const declaration = lookup(fn.name.text, fn.parent);
    return declaration?.node === fn ? declaration : undefined;
  }
  const outer = skipParensUp(fn);
  const parent = outer.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)) {
    const declaration = lookup(parent.name.text, parent);
    return declaration?.node === parent ? declaration : undefined;
  }
  return undefined;
}

function nameOf(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  const parent = skipParensUp(fn).parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    ts.isIdentifier(parent.name)
  )
    return parent.name.text;
  return undefined;
}

function describeCall(call: ts.CallExpression, facts: FileFacts): string {
  const line = facts.lines.range(facts.start(call), call.end).start.line;
  const caller = enclosingFunction(call);
  const where = caller && ts.isConstructorDeclaration(caller) ? `the constructor (line ${line})` : `line ${line}`;
  const callee = skipParens(call.expression);
  if (isFunctionLike(callee)) return `${where} starts it without awaiting it`;
  return `${where} calls ${compact(facts.textOf(callee), 40)}(…) without awaiting it`;
}

// ---------------------------------------------------------------------------------------------
// Waiting

/**
 * True unless the promise `expression` gives is visibly dropped: a statement of its own, `void`,
 * the left of a comma, or a `.then`/`.catch` chain or `Promise.all` whose own result is dropped.
 * Awaited, returned (the caller's callers are asked separately), stored or handed on: assumed
 * waited for.
 */
function isWaitedFor(expression: ts.Expression): boolean {
  const outer = skipParensUp(expression);
  const parent = outer.parent;
  if (!parent) return true;
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return false;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === SK.CommaToken) return parent.right === outer && isWaitedFor(parent);
    if ((op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) && parent.right === outer)
      return isWaitedFor(parent);
    return true;
  }
  if (ts.isConditionalExpression(parent) && parent.condition !== outer) return isWaitedFor(parent);
  if (ts.isArrayLiteralExpression(parent)) return isWaitedFor(parent);
  if (ts.isPropertyAccessExpression(parent) && parent.expression === outer && ['then', 'catch', 'finally'].includes(parent.name.text)) {
    const chained = parent.parent;
    return !(chained && ts.isCallExpression(chained) && chained.expression === parent) || isWaitedFor(chained);
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression)) {
    const callee = skipParens(parent.expression);
    const combinator =
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'Promise' &&
      PROMISE_COMBINATORS.has(callee.name.text);
    return combinator ? isWaitedFor(parent) : true;
  }
  return true;
}

/**
 * True when an `await` runs before `node` on every path through `fn`: a statement before it (in
 * its block or an enclosing one) that awaits unconditionally. By then the function has returned
 * its promise to its caller, so a caller that does not wait already could not rely on `node`
 * having run.
 */
export function awaitsBefore(node: ts.Node, fn: FunctionLike): boolean {
  if (!isAsyncFunction(fn) || !fn.body) return false;
  for (let current: ts.Node = node; current !== fn.body && current.parent; current = current.parent) {
    const parent = current.parent;
    if (!(ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent))) continue;
    for (const statement of parent.statements) {
      if (statement === current) break;
      if (alwaysAwaits(statement)) return true;
    }
  }
  return false;
}

function alwaysAwaits(statement: ts.Statement): boolean {
  if (ts.isForOfStatement(statement) && statement.awaitModifier) return true;
  if (ts.isBlock(statement)) return statement.statements.some(alwaysAwaits);
  if (ts.isExpressionStatement(statement) || ts.isReturnStatement(statement) || ts.isThrowStatement(statement))
    return !!statement.expression && awaitsUnconditionally(statement.expression);
  if (ts.isVariableStatement(statement))
    return statement.declarationList.declarations.some((d) => !!d.initializer && awaitsUnconditionally(d.initializer));
  return false;
}

/** An `await` that evaluating `node` always reaches: not behind `?:`, `&&`, `||`, `??`, `?.` or inside a nested function. */
function awaitsUnconditionally(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (isFunctionLike(node) || ts.isClassLike(node)) return false;
  if (ts.isConditionalExpression(node)) return awaitsUnconditionally(node.condition);
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    const shortCircuits =
      op === SK.AmpersandAmpersandToken ||
      op === SK.BarBarToken ||
      op === SK.QuestionQuestionToken ||
      op === SK.AmpersandAmpersandEqualsToken ||
      op === SK.BarBarEqualsToken ||
      op === SK.QuestionQuestionEqualsToken;
    if (shortCircuits) return awaitsUnconditionally(node.left);
  }
  if (ts.isOptionalChain(node))
    return awaitsUnconditionally((node as ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression).expression);
  return ts.forEachChild(node, (child) => awaitsUnconditionally(child) || undefined) ?? false;
}
