/**
 * "Does this client call run once per item of a collection?" — the question behind the N+1
 * rules (query-in-loop, request-in-loop) and the one sequential-awaits asks to avoid reporting
 * the same awaits twice.
 *
 * A call is per item when its round trip is awaited (or its promise returned from an iteration
 * callback, or pushed into an array) inside a loop or iteration callback that walks a
 * collection: `for…of`, `for…in`, iteration callbacks (`map`, `forEach`, `reduce`…), an index
 * `for` over `xs.length`, a worklist `while (queue.length) { queue.shift() … }`.
 *
 * Stays quiet, because the repetition is not "one round trip per item that one batched call could
 * replace":
 * - loops that are not over a collection — pagination carrying a cursor, offset or next link from
 *   the previous result (`while (cursor)`, `do … while (hasMore)`, `for (let page = 1; ; page++)`),
 *   polling, bounded repetition; retry loops (`for (attempt…)`, a loop whose body catches the
 *   call's error) are looked through to the loop around them;
 * - loops over a literal tuple (`for (const delay of [100, 200, 400])`): a fixed, small count;
 * - loops over chunks or batches (`chunk(ids, 100)`, `for (let i = 0; i < n; i += 100)`): batching
 *   already happened;
 * - loops that stop right after the first round trip (`return await …`, `if (found) break`, an
 *   unconditional `break`): a search for the first match, not a walk over all items;
 * - loops that wait on purpose between round trips (`await sleep(…)`): throttled;
 * - writes inside a transaction where a pass needs what an earlier one left (`parentId = created.id`,
 *   `balance += x`, `idByOld.set(…)` read by the next insert), where each write's failure is caught
 *   on its own or aborts the transaction on its own result (`if (count === 0) throw …`: a guarded
 *   write whose failure names its item), or where the client runs in-process (better-sqlite3: no
 *   round trip to hold the transaction across). Other per-item queries and writes in a transaction
 *   count, and say so (`transaction`): the transaction holds its connection and locks across all N
 *   round trips;
 * - calls that already are the batched form (`in` lists, createMany, mget…).
 * Promises created in a loop and handed to a limiter (`limit(() => …)`, `queue.add(() => …)`) are
 * inside a function that is not an iteration callback, so they are never per item here.
 */
import { ts } from '../ts';
import { boundNames, calleeName, enclosingFunction, isFunctionLike, isWriteReference, referencedNames, skipParens } from './ast';
import { clientCall, clientCallExtent, transactionAround, type ClientCall, type ClientCallNode } from './clients';
import { contains, isStableIn, isValueReference, lookup, resolve } from './dataflow';
import { batchTransactionMethods } from './libraries/registry';
import type { FileFacts } from './fileFacts';
import { iterationsAround, loopCondition, type Iteration } from './loops';
import { carriedState, catchesEachFailure, endsInThrow } from './batching';
import type { Callee } from './modules';
import { singular } from './phrases';
import { callIo, type IoSummary } from './summaries';

const SK = ts.SyntaxKind;

export interface PerItemCall {
  /** The loop or iteration callback that walks the items. */
  iteration: Iteration;
  /** How a message names one item: `order` (the loop variable, or the collection's name made singular). */
  item: string;
  /** The collection as written, when known: `orders`. */
  collection?: string;
  /** True when the round trips run at once (`Promise.all(items.map(…))`, `forEach(async …)`, promises pushed in a loop). */
  concurrent: boolean;
  /** True when nothing in the call depends on the item: the same call, repeated. */
  invariant: boolean;
  /** The expression that stands for the round trip (the call, or `.then(…)`/`Promise.all([…])` around it). */
  extent: ts.Expression;
  /** Set when the round trips run inside a transaction: how messages name it (`prisma.$transaction(…)`, `a transaction (t)`). */
  transaction?: string;
  /** Set when the call is a batched form whose list of keys is made per pass (`{ in: order.itemIds }`): that list. */
  list?: ts.Expression;
}

type Shape = 'item' | 'repeat' | 'bounded' | 'chunked';

/**
 * If the client call runs once per item of a collection (and none of the quiet cases apply), describes it.
 * `call` may also be another round trip a rule recognised: a call of a project function that does
 * I/O, an awaited lazy relation (`await order.customer`). A synchronous client (better-sqlite3)
 * runs its round trip whether or not anything waits for it.
 */
export function perItemCall(
  call: ClientCallNode | ts.Expression,
  client: Pick<ClientCall, 'kind'> & Partial<ClientCall>,
  facts: FileFacts,
): PerItemCall | undefined {
  const consumed =
    client.synchronous && ts.isCallExpression(call) ? { extent: call as ts.Expression, via: 'await' as const } : consumption(call);
  if (!consumed) return undefined;
  const { extent, via } = consumed;
  const iterations = iterationsAround(call);
  if (iterations.length === 0) return undefined;
  if (via === 'return') {
    // Returned from a callback: per item only when that callback itself is the iteration.
    const fn = enclosingFunction(extent);
    if (iterations[0].kind !== 'callback' || iterations[0].node !== fn) return undefined;
  }
  let candidate: Iteration | undefined;
  for (const iteration of iterations) {
    const shape = shapeOf(iteration);
    if (shape === 'repeat') {
      if (isRetryLoop(iteration, call)) continue;
      return undefined;
    }
    if (shape === 'bounded') continue;
    if (shape === 'chunked') return undefined;
    candidate = iteration;
    break;
  }
  if (!candidate) return undefined;
  // prisma.$transaction(items.map((x) => prisma.x.update(…))): Prisma's batch — one round trip for the lot.
  if (via !== 'await' && feedsBatchTransaction(candidate, extent)) return undefined;
  // items.map(async (x) => { await semaphore.acquire(); … }): concurrency bounded on purpose.
  if (candidate.kind === 'callback' && acquiresFirst(candidate.node)) return undefined;
  const isLoop = candidate.kind !== 'callback';
  if (isLoop && via === 'await' && stopsAfterFirst(extent, candidate)) return undefined;
  if (isLoop && isThrottled(candidate)) return undefined;
  const transaction = transactionAround(call, facts)?.display ?? (client.transaction ? `a transaction (${client.transaction})` : undefined);
  if (
    transaction &&
    client.kind === 'write' &&
    (client.synchronous ||
      carriedState(call, candidate) !== undefined ||
      catchesEachFailure(call, candidate) ||
      abortsOnEachResult(extent, candidate))
  )
    return undefined;
  // An `in` list (`In(ids)`, `$in`, `whereIn`) is one batch only when it is not made anew on every pass.
  const list = client.alreadyBatched ? listMadePerPass(client.batchedLists, candidate) : undefined;
  if (client.alreadyBatched && !list) return undefined;
  const concurrent =
    via === 'push' || (candidate.kind === 'callback' && candidate.method !== 'reduce' && candidate.method !== 'reduceRight');
  return {
    iteration: candidate,
    item: itemName(candidate, facts),
    collection: collectionText(candidate, facts),
    concurrent,
    invariant: isInvariant(call, candidate),
    extent,
    ...(transaction ? { transaction } : {}),
    ...(list ? { list } : {}),
  };
}

/**
 * The batched call's list of keys when it is made from the pass itself — `{ in: order.itemIds }`,
 * `In(order.lines.map((line) => line.productId))`, a local `ids` made in the loop — so the "batch"
 * is one query per item. A list made before the loop (`{ in: allIds }`) is one batch; a slice of a
 * collection taken per pass (`ids.splice(0, 100)`, `chunk(…)`) is batching done by hand.
 */
function listMadePerPass(lists: readonly ts.Expression[] | undefined, iteration: Iteration): ts.Expression | undefined {
  return lists?.find((list) => variesPerPass(list, iteration.node) && !isChunk(list, iteration.node, 0));
}

/** True when `expression` reads a name the pass binds (the item, a local of the body) or changes. */
function variesPerPass(expression: ts.Node, region: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && isValueReference(node)) {
      const declaration = resolve(node);
      if (declaration && (contains(region, declaration.id) || !isStableIn(declaration, region))) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** `ids.slice(i, i + 100)`, `queue.splice(0, 100)`, `chunk(…)`, or a local of the pass made from one. */
function isChunk(expression: ts.Expression, region: ts.Node, depth: number): boolean {
  const inner = skipParens(expression);
  if (ts.isCallExpression(inner)) {
    const name = calleeName(inner) ?? '';
    return name === 'slice' || name === 'splice' || CHUNK_CALL.test(name);
  }
  if (ts.isIdentifier(inner) && depth < 3) {
    const declaration = resolve(inner);
    if (declaration?.initializer && contains(region, declaration.id)) return isChunk(declaration.initializer, region, depth + 1);
  }
  return false;
}

/**
 * True when the pass checks what its write did and aborts on it — `const { count } = await
 * tx.product.updateMany({ where: { id, stock: { gte: qty } }, … }); if (count === 0) throw …` —
 * a guarded write (stock taken only if there is enough, an optimistic version check) whose
 * failure must name its own item: one batch could not tell which item failed.
 */
function abortsOnEachResult(extent: ts.Expression, iteration: Iteration): boolean {
  const statement = statementOf(extent, iteration.node);
  if (!statement || !ts.isVariableStatement(statement)) return false;
  const names = namesSetBy(statement);
  const container = statement.parent;
  if (names.size === 0 || !ts.isBlock(container)) return false;
  const next = container.statements[container.statements.indexOf(statement) + 1];
  if (!next || !ts.isIfStatement(next)) return false;
  if (!testsNoRowAffected(next.expression, names)) return false;
  const then = next.thenStatement;
  return ts.isThrowStatement(then) || (ts.isBlock(then) && then.statements.length > 0 && endsInThrow(then));
}

/** Counts of affected rows as libraries return them: Prisma `{ count }`, TypeORM `.affected`, pg `.rowCount`, Mongo `.modifiedCount`. */
const AFFECTED = /^(count|affected|affectedRows|rowCount|numUpdatedRows|numDeletedRows|modifiedCount|matchedCount|deletedCount)$/;

/**
 * `count === 0`, `!updated`, `result.affected < 1`, `affected[0] === 0`: the condition asks whether the
 * write changed no row (a bound name, or its affected-rows count), not some field of a row it made.
 */
function testsNoRowAffected(condition: ts.Expression, names: ReadonlySet<string>): boolean {
  const inner = skipParens(condition);
  const isCount = (expression: ts.Expression): boolean => {
    const e = skipParens(expression);
    if (ts.isIdentifier(e)) return names.has(e.text);
    if (ts.isPropertyAccessExpression(e)) return AFFECTED.test(e.name.text) && isCount(e.expression);
    if (ts.isElementAccessExpression(e)) return ts.isNumericLiteral(e.argumentExpression) && isCount(e.expression);
    return false;
  };
  const isZero = (expression: ts.Expression): boolean => {
    const e = skipParens(expression);
    return ts.isNumericLiteral(e) && e.text === '0';
  };
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === SK.ExclamationToken) return isCount(inner.operand);
  if (ts.isBinaryExpression(inner)) {
    const op = inner.operatorToken.kind;
    if (op === SK.BarBarToken) return testsNoRowAffected(inner.left, names) || testsNoRowAffected(inner.right, names);
    if (op === SK.EqualsEqualsEqualsToken || op === SK.EqualsEqualsToken)
      return (isCount(inner.left) && isZero(inner.right)) || (isZero(inner.left) && isCount(inner.right));
    if (op === SK.LessThanToken) {
      const right = skipParens(inner.right);
      return isCount(inner.left) && ts.isNumericLiteral(right) && right.text === '1';
    }
    if (op === SK.LessThanEqualsToken) return isCount(inner.left) && isZero(inner.right);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// How the round trip's result is consumed

type Via = 'await' | 'return' | 'push';

function consumption(call: ClientCallNode | ts.Expression): { extent: ts.Expression; via: Via } | undefined {
  let extent = clientCallExtent(call);
  for (let guard = 0; guard < 5; guard++) {
    const parent = extent.parent;
    if (!parent) return undefined;
    if (ts.isAwaitExpression(parent)) return { extent, via: 'await' };
    if (ts.isReturnStatement(parent) && parent.expression === extent) return { extent, via: 'return' };
    if (ts.isArrowFunction(parent) && parent.body === extent) return { extent, via: 'return' };
    if (ts.isCallExpression(parent) && parent.arguments.includes(extent)) {
      const name = calleeName(parent);
      if (name === 'push' || name === 'unshift' || name === 'add') return { extent, via: 'push' };
      return undefined;
    }
    // Promise.all([a(x), b(x)]) inside a loop: each element is still one round trip per item.
    if (ts.isArrayLiteralExpression(parent)) {
      const all = parent.parent;
      if (all && ts.isCallExpression(all) && isPromiseCombinator(all)) {
        extent = clientCallExtent(all as ts.CallExpression);
        continue;
      }
      // items.flatMap((x) => [a(x), b(x)]): the array of promises is what the callback returns.
      extent = parent;
      continue;
    }
    return undefined;
  }
  return undefined;
}

export function isPromiseCombinator(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Promise' &&
    /^(all|allSettled|race|any)$/.test(callee.name.text)
  );
}

/**
 * The promises made per item end up in a batch of operations (Prisma's `$transaction([...])`, a
 * library's `batching.batchTransactions`): passed directly (`$transaction(items.map(…))`), or
 * through a variable (`const ops = items.map(…)` / `ops.push(…)` in a loop, then `$transaction(ops)`).
 */
function feedsBatchTransaction(iteration: Iteration, extent: ts.Expression): boolean {
  let holder: ts.Node | undefined;
  if (iteration.kind === 'callback' && iteration.call) {
    let outer: ts.Node = iteration.call;
    while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    const parent = outer.parent;
    if (parent && ts.isCallExpression(parent) && parent.arguments.includes(outer as ts.Expression))
      return batchTransactionMethods.has(calleeName(parent) ?? '');
    if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) holder = parent.name;
  } else {
    // ops.push(prisma.x.update(…))
    const push = extent.parent;
    if (push && ts.isCallExpression(push)) {
      const callee = skipParens(push.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(skipParens(callee.expression))) holder = skipParens(callee.expression);
    }
  }
  if (!holder || !ts.isIdentifier(holder)) return false;
  const name = holder.text;
  const scope = enclosingFunction(iteration.node) ?? iteration.node.getSourceFile();
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      batchTransactionMethods.has(calleeName(node) ?? '') &&
      node.arguments.some((argument) => referencedNames(argument).has(name))
    ) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** The callback's own body awaits a semaphore or lock before its work: `await sema.acquire()`. */
function acquiresFirst(fn: ts.Node): boolean {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body || !ts.isBlock(body)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) {
      const awaited = skipParens(node.expression);
      if (ts.isCallExpression(awaited) && /^(acquire|acquireSlot|waitForTurn|take)$/.test(calleeName(awaited) ?? '')) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

// ---------------------------------------------------------------------------------------------
// What kind of repetition an iteration is

const CHUNK_CALL = /chunk|batch|partition|split(Every|Into)?$|inGroupsOf|paginate|pages$/i;
const CHUNK_NAME = /chunk|batch/i;

function shapeOf(iteration: Iteration): Shape {
  switch (iteration.kind) {
    case 'callback':
    case 'for-of':
    case 'for-in': {
      const collection = iteration.collection ? literalTuple(skipParens(iteration.collection)) : undefined;
      if (collection && ts.isArrayLiteralExpression(collection) && !collection.elements.some(ts.isSpreadElement)) return 'bounded';
      if (collection && isChunkedCollection(collection)) return 'chunked';
      if (iteration.variables.some((name) => CHUNK_NAME.test(name))) return 'chunked';
      return 'item';
    }
    case 'for': {
      const loop = iteration.node as ts.ForStatement;
      if (loop.incrementor && isSteppedIncrement(loop.incrementor)) return 'chunked';
      if (loop.condition && mentionsSize(loop.condition)) return 'item';
      if (indexesByLoopVariable(loop.statement, iteration.variables)) return 'item';
      return 'repeat';
    }
    case 'while':
    case 'do': {
      const loop = iteration.node as ts.WhileStatement | ts.DoStatement;
      if (!mentionsSize(loop.expression)) return 'repeat';
      // while (i < ids.length) { const id = ids[i++]; … } — an index walk (indexWalks.ts).
      if (iteration.counter) return 'item';
      // while (queue.length) { queue.shift() … } — a worklist; while (i < ids.length) { ids[i] … i++ } — an index walk.
      if (takesFromQueue(loop.statement)) return 'item';
      const counters = [...referencedNames(loop.expression)].filter((name) => writes(loop.statement, name));
      return indexesByLoopVariable(loop.statement, counters) ? 'item' : 'repeat';
    }
  }
}

/** `[a, b]`, or a `const` never changed that holds one: `const sources = [primary, fallback]`. */
function literalTuple(collection: ts.Expression): ts.Expression {
  if (!ts.isIdentifier(collection)) return collection;
  const declaration = lookup(collection.text, collection);
  if (!declaration || declaration.kind !== 'const' || !declaration.initializer) return collection;
  const init = skipParens(declaration.initializer);
  if (!ts.isArrayLiteralExpression(init)) return collection;
  // Pushed to later (`const all = []; all.push(…)`) is a collection, not a tuple.
  const name = collection.text;
  let grows = false;
  const visit = (node: ts.Node): void => {
    if (grows) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === name &&
      /^(push|unshift|splice)$/.test(node.expression.name.text)
    )
      grows = true;
    else ts.forEachChild(node, visit);
  };
  visit(declaration.scope);
  return grows ? collection : init;
}

function isChunkedCollection(collection: ts.Expression): boolean {
  if (ts.isCallExpression(collection)) {
    const name = calleeName(collection);
    if (name && CHUNK_CALL.test(name)) return true;
  }
  // const parts = chunk(ids, 100); for (const part of parts) …
  if (ts.isIdentifier(collection)) {
    const declaration = lookup(collection.text, collection);
    const init = declaration?.kind === 'const' && declaration.initializer ? skipParens(declaration.initializer) : undefined;
    if (init && ts.isCallExpression(init) && CHUNK_CALL.test(calleeName(init) ?? '')) return true;
  }
  const text = ts.isIdentifier(collection) ? collection.text : ts.isPropertyAccessExpression(collection) ? collection.name.text : undefined;
  return text !== undefined && CHUNK_NAME.test(text);
}

/** `i += 100`, `i += size`, `i = i + step` (anything but a step of 1). */
function isSteppedIncrement(incrementor: ts.Expression): boolean {
  const inner = skipParens(incrementor);
  if (ts.isBinaryExpression(inner)) {
    if (inner.operatorToken.kind === SK.PlusEqualsToken) return !(ts.isNumericLiteral(inner.right) && inner.right.text === '1');
    if (
      inner.operatorToken.kind === SK.EqualsToken &&
      ts.isBinaryExpression(inner.right) &&
      inner.right.operatorToken.kind === SK.PlusToken
    ) {
      const step = skipParens(inner.right.right);
      return !(ts.isNumericLiteral(step) && step.text === '1');
    }
  }
  return false;
}

/** `xs.length`, `set.size`, `queue.count` somewhere in a loop condition. */
function mentionsSize(condition: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // `xs.length`, `set.size`, `queue.count` — a property read, not `prisma.log.count(…)`, a query.
    if (
      ts.isPropertyAccessExpression(node) &&
      /^(length|size|count)$/.test(node.name.text) &&
      !(node.parent && ts.isCallExpression(node.parent) && node.parent.expression === node)
    ) {
      found = true;
      return;
    }
    if (ts.isCallExpression(node) && /^(isEmpty|hasNext|size)$/.test(calleeName(node) ?? '')) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** A worklist body: `queue.shift()`, `stack.pop()`, `queue.dequeue()`, `pending.splice(…)`. */
function takesFromQueue(body: ts.Statement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && /^(shift|pop|dequeue|splice|poll|next)$/.test(calleeName(node) ?? '')) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function indexesByLoopVariable(body: ts.Statement, variables: readonly string[]): boolean {
  if (variables.length === 0) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isElementAccessExpression(node)) {
      const index = skipParens(node.argumentExpression);
      if (ts.isIdentifier(index) && variables.includes(index.text)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** True when `name` is assigned or incremented inside `body` (not in nested functions). */
function writes(body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isIdentifier(node) && node.text === name && isWriteReference(node)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** A retry loop around the call: its body catches the call's errors, or its counter is an attempt count. */
function isRetryLoop(iteration: Iteration, call: ts.Node): boolean {
  if (iteration.kind === 'callback') return false;
  if (iteration.variables.some((name) => /attempt|retr|tries|^try$/i.test(name))) return true;
  const loop = iteration.node as ts.IterationStatement;
  const condition = loopCondition(loop);
  if (condition && /attempt|retr|tries/i.test(condition.getText())) return true;
  for (let current: ts.Node | undefined = call.parent; current && current !== loop; current = current.parent) {
    if (ts.isTryStatement(current) && isInside(call, current.tryBlock)) return true;
    if (isFunctionLike(current)) return false;
  }
  return false;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

// ---------------------------------------------------------------------------------------------
// Loops that stop after the first round trip, or wait on purpose

/** The statement that holds `node`, directly in a block-like list. */
function statementOf(node: ts.Node, stop: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current && current !== stop; current = current.parent) {
    if (ts.isStatement(current)) return current;
  }
  return undefined;
}

function isExit(statement: ts.Statement | undefined): boolean {
  if (!statement) return false;
  if (ts.isBreakStatement(statement) || ts.isReturnStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return isExit(last);
  }
  return false;
}

/** `break`, `return x` with x built from `names`, `return true`: the loop found what it looked for. */
function isFoundExit(statement: ts.Statement | undefined, names: ReadonlySet<string>, breakLeaves: boolean): boolean {
  if (!statement) return false;
  if (ts.isBlock(statement)) return isFoundExit(statement.statements[statement.statements.length - 1], names, breakLeaves);
  if (ts.isBreakStatement(statement)) return breakLeaves || !!statement.label;
  if (ts.isReturnStatement(statement)) {
    if (!statement.expression) return true;
    const value = skipParens(statement.expression);
    // return true / false / null / undefined: the answer of a search (`some`/`every` written as a loop).
    if (value.kind === SK.TrueKeyword || value.kind === SK.FalseKeyword || value.kind === SK.NullKeyword) return true;
    if (ts.isIdentifier(value) && value.text === 'undefined') return true;
    // return the result, or the item it belongs to — but not `res.status(404)…`: that is validation, the loop goes on for valid input.
    if (ts.isCallExpression(value)) return false;
    return [...referencedNames(value)].some((name) => names.has(name));
  }
  return false;
}

/** Names a statement binds or assigns: `const user = await …` → user; `found = await …` → found. */
function namesSetBy(statement: ts.Statement): Set<string> {
  const names = new Set<string>();
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) for (const name of boundNames(declaration.name)) names.add(name);
  } else if (ts.isExpressionStatement(statement)) {
    const expression = skipParens(statement.expression);
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === SK.EqualsToken) {
      for (const name of referencedNames(expression.left)) names.add(name);
    }
  }
  return names;
}

function stopsAfterFirst(extent: ts.Expression, loop: Iteration): boolean {
  const statement = statementOf(extent, loop.node);
  if (!statement) return false;
  if (ts.isReturnStatement(statement)) return true; // return await first(…)
  if (ts.isIfStatement(statement) && isInside(extent, statement.expression) && isExit(statement.thenStatement)) return true; // if (await exists(x)) return x
  const container = statement.parent;
  if (!container || !(ts.isBlock(container) || ts.isCaseClause(container) || ts.isDefaultClause(container))) return false;
  const list = container.statements;
  const next = list[list.indexOf(statement) + 1];
  if (!next) return false;
  // A `break` only leaves `loop` when no inner loop or switch stands between them (a retry loop's `break` does not).
  const breakLeaves = !interposed(statement, loop.node);
  if ((ts.isBreakStatement(next) && (breakLeaves || next.label)) || ts.isReturnStatement(next)) return true;
  if (ts.isIfStatement(next)) {
    const names = namesSetBy(statement);
    if (names.size === 0) return false;
    const tested = referencedNames(next.expression);
    if (![...tested].some((name) => names.has(name))) return false;
    if (isFoundExit(next.thenStatement, new Set([...names, ...loop.variables]), breakLeaves)) return true;
    // const hit = await tryMirror(src); if (!hit) continue; …; return — the first success ends the loop.
    return isSkip(next.thenStatement) && !next.elseStatement && endsWithExit(container, list.indexOf(next) + 1, breakLeaves);
  }
  return false;
}

/** `continue`, or a block that ends with it. */
function isSkip(statement: ts.Statement): boolean {
  if (ts.isBlock(statement)) return statement.statements.length > 0 && isSkip(statement.statements[statement.statements.length - 1]);
  return ts.isContinueStatement(statement) && !statement.label;
}

/** The statements from `from` on end the loop unconditionally: their last one returns, throws or breaks out. */
function endsWithExit(container: ts.Node, from: number, breakLeaves: boolean): boolean {
  const list = (container as ts.Block).statements;
  if (from >= list.length) return false;
  const last = list[list.length - 1];
  return ts.isReturnStatement(last) || ts.isThrowStatement(last) || (ts.isBreakStatement(last) && (breakLeaves || !!last.label));
}

/** True when a loop or switch lies between `node` and `loop`. */
function interposed(node: ts.Node, loop: ts.Node): boolean {
  for (let current = node.parent; current && current !== loop; current = current.parent) {
    if (ts.isIterationStatement(current, false) || ts.isSwitchStatement(current)) return true;
  }
  return false;
}

const SLEEP_NAMES = /^(sleep|delay|wait|pause|setTimeout|timeout|backoff|throttle|waitFor(Timeout|Ms)?)$/i;

/** `await sleep(…)`, `await setTimeout(…)` (timers/promises), `await new Promise((r) => setTimeout(r, ms))` in the loop body. */
function isThrottled(loop: Iteration): boolean {
  const body = (loop.node as ts.IterationStatement).statement;
  if (!body) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) {
      const awaited = skipParens(node.expression);
      if (ts.isCallExpression(awaited) && SLEEP_NAMES.test(calleeName(awaited) ?? '')) found = true;
      else if (
        ts.isNewExpression(awaited) &&
        ts.isIdentifier(awaited.expression) &&
        awaited.expression.text === 'Promise' &&
        /setTimeout/.test(awaited.getText())
      )
        found = true;
      if (found) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Naming the item, and telling an invariant call

function nameOfCollection(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const inner = skipParens(expression);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  if (ts.isCallExpression(inner)) {
    const name = calleeName(inner);
    // Object.values(orders), Object.entries(byId), orders.filter(…), orders.slice(…)
    if (name && /^(values|keys|entries|from)$/.test(name) && inner.arguments[0]) return nameOfCollection(inner.arguments[0]);
    const receiver = ts.isPropertyAccessExpression(skipParens(inner.expression))
      ? (skipParens(inner.expression) as ts.PropertyAccessExpression).expression
      : undefined;
    if (name && /^(filter|slice|sort|reverse|concat|flat|toSorted|toReversed)$/.test(name)) return nameOfCollection(receiver);
  }
  return undefined;
}

function loopCollection(iteration: Iteration): ts.Expression | undefined {
  if (iteration.collection) return iteration.collection;
  const loop = iteration.node;
  const condition = loopCondition(loop);
  if (!condition) return undefined;
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && /^(length|size)$/.test(node.name.text)) {
      found = node.expression;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

function collectionText(iteration: Iteration, facts: FileFacts): string | undefined {
  const collection = loopCollection(iteration);
  if (!collection) return undefined;
  const text = facts.textOf(collection).replace(/\s+/g, ' ');
  return text.length <= 40 ? text : undefined;
}

function itemName(iteration: Iteration, facts: FileFacts): string {
  const isReduce = iteration.kind === 'callback' && (iteration.method === 'reduce' || iteration.method === 'reduceRight');
  let variable: string | undefined = isReduce ? iteration.variables[1] : iteration.variables[0];
  // An index says nothing; the item an index walk binds (`const order = orders[i]`) does.
  if ((iteration.kind === 'for' && !iteration.counter) || variable === iteration.counter) variable = undefined;
  if ((iteration.kind === 'while' || iteration.kind === 'do') && !variable)
    variable = takenName((iteration.node as ts.WhileStatement).statement);
  const fromCollection = (() => {
    const name = nameOfCollection(loopCollection(iteration));
    return name ? singular(name) : undefined;
  })();
  if (variable && variable.length > 2 && !/^(item|element|elem|entry|value|val|row|x|each)$/.test(variable)) return variable;
  if (fromCollection) return fromCollection;
  if (variable) return variable;
  const collection = collectionText(iteration, facts);
  return collection && /^[\w$.]+$/.test(collection) ? `item of ${collection}` : 'item';
}

/** `const node = queue.shift()` → `node`. */
function takenName(body: ts.Statement | undefined): string | undefined {
  if (!body || !ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer && skipParens(declaration.initializer);
      if (init && ts.isCallExpression(init) && /^(shift|pop|dequeue)$/.test(calleeName(init) ?? '') && ts.isIdentifier(declaration.name))
        return declaration.name.text;
    }
  }
  return undefined;
}

/** True when the call references nothing the iteration binds, declares or changes: the same call each time. */
function isInvariant(call: ts.Node, iteration: Iteration): boolean {
  const varying = new Set(iteration.variables);
  const region = iteration.kind === 'callback' ? iteration.node : (iteration.node as ts.IterationStatement);
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) for (const name of boundNames(node.name)) varying.add(name);
    else if (ts.isIdentifier(node) && isWriteReference(node)) varying.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(region);
  for (const name of referencedNames(call)) if (varying.has(name)) return false;
  // `this.x` state and calls whose arguments are calls may vary in ways we cannot see: only plain arguments count as invariant.
  let opaque = false;
  const scan = (node: ts.Node): void => {
    if (opaque) return;
    if (ts.isCallExpression(node) && node !== call && !isFunctionLike(node.parent)) {
      const name = calleeName(node);
      if (!name || !/^(toISOString|toString|String|Number)$/.test(name)) opaque = true;
    }
    ts.forEachChild(node, scan);
  };
  if (ts.isCallExpression(call)) call.arguments.forEach(scan);
  return !opaque;
}

// ---------------------------------------------------------------------------------------------
// Round trips behind a call of the project's own functions

/** Methods that take a callback and walk an array: `users.find((u) => …)` is not a service's `find(id)`. */
const ARRAY_CALLBACK_METHODS = new Set([
  'map',
  'forEach',
  'filter',
  'reduce',
  'reduceRight',
  'flatMap',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'sort',
]);
/** Calls that are never a project function doing I/O: promise, string, JSON and console methods. */
const NOT_HELPERS = new Set([
  'then',
  'catch',
  'finally',
  'all',
  'allSettled',
  'race',
  'any',
  'resolve',
  'reject',
  'log',
  'warn',
  'error',
  'info',
  'debug',
  'join',
  'slice',
  'concat',
  'includes',
  'indexOf',
  'toString',
  'trim',
  'split',
  'replace',
  'parse',
  'stringify',
  'keys',
  'values',
  'entries',
  'assign',
  'from',
  'isArray',
  'push',
  'unshift',
  'setTimeout',
  'json',
  'text',
]);

export interface PerItemHelperCall {
  /** The function called, and where it is written. */
  callee: Callee;
  /** What it does per call. */
  summary: IoSummary;
  perItem: PerItemCall;
  /** True when the call is the function calling itself (a recursive walk). */
  recursive: boolean;
}

/**
 * A call of a project function (same file or another) that does database, cache or HTTP I/O,
 * made once per item of a collection: `for (const id of ids) await this.users.findById(id)`,
 * `await Promise.all(children.map((child) => walk(child)))` inside `walk` itself. Cheap syntax
 * comes first; the callee is only resolved for calls that are awaited (or mapped, pushed) per item.
 */
export function perItemHelperCall(call: ts.CallExpression, facts: FileFacts): PerItemHelperCall | undefined {
  // query-in-loop and request-in-loop both ask about every call: answer once per analysis.
  let perFile = helperCache.get(facts);
  if (!perFile) {
    perFile = new Map();
    helperCache.set(facts, perFile);
  }
  const cached = perFile.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const found = findPerItemHelperCall(call, facts);
  perFile.set(call, found ?? null);
  return found;
}

/**
 * True when the iterated collection comes from a round trip made in `fn` itself: `const children =
 * await prisma.node.findMany(…)`, `for (const child of (await load(id)).children)`, or a property
 * of such a result. An array the caller passed in is not a level of a tree the function loads.
 */
function loadedInFunction(iteration: Iteration, fn: ts.Node, facts: FileFacts): boolean {
  const fromCall = (expression: ts.Expression | undefined, depth: number): boolean => {
    if (!expression || depth > 4) return false;
    let inner = skipParens(expression);
    while (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner) || ts.isNonNullExpression(inner))
      inner = skipParens(inner.expression);
    if (ts.isAwaitExpression(inner)) return true;
    if (ts.isCallExpression(inner)) {
      const name = calleeName(inner);
      // children.filter(…), Object.values(tree)
      if (name && /^(filter|map|slice|sort|concat|flat|values|entries|from)$/.test(name)) {
        const receiver = ts.isPropertyAccessExpression(skipParens(inner.expression))
          ? (skipParens(inner.expression) as ts.PropertyAccessExpression).expression
          : inner.arguments[0];
        return fromCall(receiver, depth + 1);
      }
      return !!clientCall(inner, facts);
    }
    if (ts.isIdentifier(inner)) {
      const declaration = lookup(inner.text, inner);
      if (!declaration || !declaration.initializer || !isInside(declaration.id, fn)) return false;
      return fromCall(declaration.initializer, depth + 1);
    }
    return false;
  };
  return fromCall(iteration.collection, 0);
}

const helperCache = new WeakMap<FileFacts, Map<ts.CallExpression, PerItemHelperCall | null>>();

function findPerItemHelperCall(call: ts.CallExpression, facts: FileFacts): PerItemHelperCall | undefined {
  const callee = skipParens(call.expression);
  if (!(ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee))) return undefined;
  const name = calleeName(call);
  if (!name || NOT_HELPERS.has(name)) return undefined;
  const first = call.arguments[0];
  if (ARRAY_CALLBACK_METHODS.has(name) && first && isFunctionLike(skipParens(first))) return undefined;
  // Is it consumed per item at all? (A placeholder read: the kind only matters for writes in transactions.)
  if (!perItemCall(call, { kind: 'query' }, facts)) return undefined;
  const io = callIo(call, facts);
  if (!io) return undefined;
  // A function that opens its own transaction for its writes: one transaction per item, each item atomic on purpose.
  if (io.summary.kind === 'write' && io.summary.writesInOwnTransaction) return undefined;
  // Its writes run in the transaction the caller passes: the loop runs in that transaction.
  const client = {
    kind: io.summary.kind,
    transaction: io.summary.writesInTransaction ? `passed to ${io.callee.name}` : undefined,
    alreadyBatched: false,
  };
  const perItem = perItemCall(call, client, facts);
  if (!perItem) return undefined;
  // A walk of a tree: the function calls itself once per item of something it loaded (children of the node it queried).
  let recursive = false;
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) if (fn === io.callee.fn) recursive = true;
  if (recursive) recursive = loadedInFunction(perItem.iteration, io.callee.fn, facts);
  return { callee: io.callee, summary: io.summary, perItem, recursive };
}
