/**
 * Critical sections: what runs while a lock is held or a transaction is open — the callback of
 * `mutex.runExclusive(…)` or `prisma.$transaction(…)`, or the statements after `await
 * mutex.acquire()` or `sequelize.transaction()` — and how the lock or transaction is released.
 * Which calls take a lock is each lock library's knowledge (facts/libraries: `lock`); which open a
 * transaction, facts/transactions answers from the database libraries' descriptors.
 */
import { ts } from '../../../ts';
import {
  calleeName,
  chainRoot,
  enclosingFunction,
  isFunctionLike,
  receiverOf,
  skipParens,
  skipParensUp,
  type FunctionLike,
} from '../../../facts/ast';
import type { FileFacts } from '../../../facts/fileFacts';
import {
  chainedTransactions,
  lockLibraries,
  lockMethods,
  lockOfModule,
  transactionCallbackMethods,
  unmanagedOpeners,
} from '../../../facts/libraries/registry';
import { openedTransaction, transactionCallbackOf, transactionEnd, type OpenedTransaction } from '../../../facts/transactions';
import { lockByName, lockInstance, lockKnowledge, type LockInstance } from './locks';

const SK = ts.SyntaxKind;

export interface Release {
  /**
   * - `finally`: in a `finally` block (or both at the end of `try` and in `catch`);
   * - `using`: a `using` declaration disposes of it;
   * - `unprotected`: released, but a throw before the release skips it;
   * - `missing`: the release function is never called or passed on;
   * - `elsewhere`: the release function (or the lock) is handed on, released by other code.
   */
  kind: 'finally' | 'using' | 'unprotected' | 'missing' | 'elsewhere';
  /** How the lock is released, for messages: `release()`, `mutex.release()`, `await lock.release()`. */
  text: string;
}

export interface CriticalSection {
  kind: 'lock' | 'transaction';
  /** The lock, for `kind: 'lock'`. */
  lock?: LockInstance;
  /** The call that takes the lock or opens the transaction. */
  call: ts.CallExpression;
  /** How messages name the lock or transaction: `mutex`, `lock (key \`user:${id}\`)`, `prisma.$transaction`. */
  display: string;
  /** Callback forms: the function run while the lock is held. */
  callback?: FunctionLike;
  /** The function whose statements run while held: the callback, or the function around `acquire()`. */
  holder: ts.Node;
  /**
   * The function each call of which takes the lock anew: names declared inside it are per call,
   * anything else the section writes (module state, a closure, `this`) is shared between callers.
   */
  owner: ts.Node;
  /** The statements run while the lock is held, in order. */
  statements: readonly ts.Statement[];
  /** A callback's expression body (`() => fetch(url)`): the lock waits for its value. */
  expressionBody?: ts.Expression;
  /** Names the lock key is built from (`userId` in `lock.acquire(\`user:${userId}\`, …)`); empty for one global lock. */
  keyNames: ReadonlySet<string>;
  /** The key or resource as written, for messages. */
  keyText?: string;
  /** A transaction's handle: `tx` in `prisma.$transaction(async (tx) => …)`. */
  handleNames: ReadonlySet<string>;
  /** Acquire/release forms only. */
  release?: Release;
  /** False when other holders may run at the same time (a semaphore of 5, a shared Web Lock). */
  exclusive: boolean;
  /** Unmanaged transactions: how it was opened and is meant to be closed. */
  opened?: OpenedTransaction;
}

/** Raw SQL that opens a transaction goes through these (`client.query('BEGIN')`). */
const SQL_OPENERS = ['query', 'raw', 'execute'];
/** Calls that open a transaction someone must close (`sequelize.transaction()`, `startTransaction()`, `query('BEGIN')`). */
const UNMANAGED_METHODS: ReadonlySet<string> = new Set([...unmanagedOpeners, ...SQL_OPENERS]);
/** Methods whose callback runs in a transaction, or on another call's result (Kysely's `execute`). */
const CALLBACK_TRANSACTIONS: ReadonlySet<string> = new Set([
  ...transactionCallbackMethods,
  ...chainedTransactions.map((entry) => entry.method),
]);
/** Method names that take a lock or open a transaction: the cheap filter before anything is resolved. */
const SECTION_METHODS: ReadonlySet<string> = new Set([...UNMANAGED_METHODS, ...CALLBACK_TRANSACTIONS, ...lockMethods]);
/** Libraries whose lock is called itself (`limit(() => …)`), and the modules they come from. */
const CALLED_LOCKS = lockLibraries.filter(({ lock }) => lock.calledDirectly);

// ---------------------------------------------------------------------------------------------
// Critical sections

function functionArgument(args: readonly ts.Expression[], from = 0): FunctionLike | undefined {
  for (let i = args.length - 1; i >= from; i--) {
    const arg = skipParens(args[i]);
    if (isFunctionLike(arg)) return arg;
  }
  return undefined;
}

function keyNamesOf(key: ts.Expression | undefined): Set<string> {
  const names = new Set<string>();
  if (!key) return names;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return;
      if (parent && ts.isPropertyAssignment(parent) && parent.name === node) return;
      // An upper-case constant (`LOCK_KEY`) names one fixed lock.
      if (!/^[A-Z][A-Z0-9_]*$/.test(node.text)) names.add(node.text);
      return;
    }
    if (isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(key);
  return names;
}

function shortText(facts: FileFacts, node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const text = facts.textOf(node).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function sectionOfCallback(
  call: ts.CallExpression,
  callback: FunctionLike,
  base: Omit<CriticalSection, 'callback' | 'holder' | 'statements' | 'expressionBody' | 'owner'>,
): CriticalSection {
  const body = callback.body;
  const statements = body && ts.isBlock(body) ? body.statements : [];
  const expressionBody = body && !ts.isBlock(body) ? (body as ts.Expression) : undefined;
  return { ...base, call, callback, holder: callback, owner: enclosingFunction(call) ?? call.getSourceFile(), statements, expressionBody };
}

function transactionSection(call: ts.CallExpression, facts: FileFacts): CriticalSection | undefined {
  const managed = transactionCallbackOf(call, facts);
  if (!managed) return undefined;
  return sectionOfCallback(call, managed.callback, {
    kind: 'transaction',
    call,
    display: managed.display,
    keyNames: new Set(),
    handleNames: managed.handleNames,
    exclusive: true,
  });
}

/** A lock taken with a callback: runExclusive, async-lock acquire, Redlock using, navigator.locks.request, p-limit, p-queue add. */
function callbackLockSection(
  call: ts.CallExpression,
  lock: LockInstance,
  method: string | undefined,
  facts: FileFacts,
): CriticalSection | undefined {
  const knowledge = lockKnowledge(lock);
  const form = knowledge.callback;
  if (!form || form.method !== method) return undefined;
  const key = form.key ? call.arguments[0] : undefined;
  const callback = functionArgument(call.arguments.slice(0, form.to ?? call.arguments.length), form.from);
  if (!callback) return undefined;
  const keyNames = keyNamesOf(key);
  const keyText = shortText(facts, key);
  return sectionOfCallback(call, callback, {
    kind: 'lock',
    lock,
    call,
    display: knowledge.display(lock.text, keyText, keyNames.size > 0),
    keyNames,
    keyText,
    handleNames: new Set(),
    exclusive: lock.permits === 1 && (form.exclusive?.(call) ?? true),
  });
}

/** The binding that receives what `await x.acquire()` gives: `release`, `[, release]`, `lock`. */
function acquiredHandle(awaited: ts.Node): { handle?: ts.Identifier; statement?: ts.Statement; using: boolean } {
  const parent = awaited.parent;
  if (!parent) return { using: false };
  if (ts.isVariableDeclaration(parent) && parent.initializer === awaited) {
    const list = parent.parent;
    const using = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Using) !== 0;
    const statement = list?.parent && ts.isVariableStatement(list.parent) ? list.parent : undefined;
    let handle: ts.Identifier | undefined;
    if (ts.isIdentifier(parent.name)) handle = parent.name;
    else if (ts.isArrayBindingPattern(parent.name)) {
      // async-mutex Semaphore: const [value, release] = await semaphore.acquire()
      const second = parent.name.elements[1];
      if (second && ts.isBindingElement(second) && ts.isIdentifier(second.name)) handle = second.name;
    }
    return { handle, statement, using };
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === SK.EqualsToken &&
    parent.right === awaited &&
    ts.isIdentifier(skipParens(parent.left))
  ) {
    const statement = parent.parent && ts.isExpressionStatement(parent.parent) ? parent.parent : undefined;
    return { handle: skipParens(parent.left) as ts.Identifier, statement, using: false };
  }
  if (ts.isExpressionStatement(parent)) return { statement: parent, using: false };
  return { using: false };
}

/** True for a call that lets the lock go: `release()`, `lock.release()`, `mutex.release()`, `redlock.release(lock)`. */
function isReleaseCall(node: ts.Node, handle: string | undefined, lockText: string, facts: FileFacts): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = skipParens(node.expression);
  if (handle && ts.isIdentifier(callee) && callee.text === handle) return true;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  if (name !== 'release' && name !== 'unlock' && name !== 'cancel') return false;
  const target = skipParens(callee.expression);
  if (handle && ts.isIdentifier(target) && target.text === handle) return name !== 'cancel';
  if (facts.textOf(target) !== lockText) return false;
  // mutex.release(), semaphore.release(), redlock.release(lock) / redlock.unlock(lock)
  if (node.arguments.length === 0) return name === 'release';
  const first = skipParens(node.arguments[0]);
  return !!handle && ts.isIdentifier(first) && first.text === handle;
}

function containsMatch(node: ts.Node | undefined, predicate: (n: ts.Node) => boolean): boolean {
  if (!node) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (predicate(current)) {
      found = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** True when the release function is used other than by calling it: returned, stored, passed on. */
function handleEscapes(handle: ts.Identifier, within: ts.Node): boolean {
  return containsMatch(within, (node) => {
    if (!ts.isIdentifier(node) || node === handle || node.text !== handle.text) return false;
    const outer = skipParensUp(node);
    const parent = outer.parent;
    if (!parent) return false;
    if (ts.isCallExpression(parent) && parent.expression === outer) return false;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) {
      const call = skipParensUp(parent).parent;
      return !(call && ts.isCallExpression(call) && call.expression === skipParensUp(parent));
    }
    if (ts.isVariableDeclaration(parent) && parent.name === outer) return false;
    if (ts.isBindingElement(parent)) return false;
    if (ts.isBinaryExpression(parent) && parent.left === outer && parent.operatorToken.kind === SK.EqualsToken) return false;
    return true;
  });
}

/** `const release = await mutex.acquire(); try { … } finally { release(); }` and its variants. */
function acquireSection(call: ts.CallExpression, lock: LockInstance, method: string, facts: FileFacts): CriticalSection | undefined {
  const knowledge = lockKnowledge(lock);
  const form = knowledge.acquire;
  if (!form?.methods.includes(method)) return undefined;
  const awaited = skipParensUp(call).parent;
  if (!awaited || !ts.isAwaitExpression(awaited)) return undefined;
  const { handle, statement, using } = acquiredHandle(skipParensUp(awaited));
  if (!statement || !statement.parent || (!ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent))) return undefined;
  const block = statement.parent as ts.Block | ts.SourceFile;
  const index = block.statements.indexOf(statement);
  const holder = enclosingFunction(call) ?? call.getSourceFile();
  const lockText = lock.text;
  const isRelease = (node: ts.Node): boolean => isReleaseCall(node, handle?.text, lockText, facts);
  const releaseText = form.release(handle?.text, lockText);
  const key = form.key ? call.arguments[0] : undefined;
  const keyNames = keyNamesOf(key);
  const keyText = shortText(facts, key);
  const base = {
    kind: 'lock' as const,
    lock,
    call,
    display: knowledge.display(lock.text, keyText, keyNames.size > 0),
    holder,
    owner: holder,
    keyNames,
    keyText,
    handleNames: new Set<string>(),
    exclusive: lock.permits === 1,
  };
  const rest = block.statements.slice(index + 1);
  if (using) return { ...base, statements: rest, release: { kind: 'using', text: releaseText } };
  for (let i = 0; i < rest.length; i++) {
    const candidate = rest[i];
    if (!containsMatch(candidate, isRelease)) continue;
    const before = rest.slice(0, i);
    if (ts.isTryStatement(candidate)) {
      const inside = [...before, ...candidate.tryBlock.statements, ...(candidate.catchClause?.block.statements ?? [])];
      if (containsMatch(candidate.finallyBlock, isRelease))
        return { ...base, statements: inside, release: { kind: 'finally', text: releaseText } };
      if (containsMatch(candidate.tryBlock, isRelease) && containsMatch(candidate.catchClause, isRelease)) {
        return { ...base, statements: inside, release: { kind: 'finally', text: releaseText } };
      }
      // Released at the end of `try` only: a throw inside it skips the release.
      return { ...base, statements: inside, release: { kind: 'unprotected', text: releaseText } };
    }
    return { ...base, statements: before, release: { kind: before.some(mayThrow) ? 'unprotected' : 'finally', text: releaseText } };
  }
  // let release; try { release = await mutex.acquire(); … } finally { release?.(); }
  const tryStatement = block.parent;
  if (
    tryStatement &&
    ts.isTryStatement(tryStatement) &&
    tryStatement.tryBlock === block &&
    containsMatch(tryStatement.finallyBlock, isRelease)
  ) {
    return { ...base, statements: rest, release: { kind: 'finally', text: releaseText } };
  }
  // Released by other code: the release function is handed on, or a wrapper method only takes the lock.
  if (handle ? handleEscapes(handle, holder) : true) {
    return { ...base, statements: rest, release: { kind: 'elsewhere', text: releaseText } };
  }
  if (containsMatch(holder, isRelease)) return { ...base, statements: rest, release: { kind: 'unprotected', text: releaseText } };
  return { ...base, statements: rest, release: { kind: 'missing', text: releaseText } };
}

/**
 * Statements that can throw before the release: anything that calls, awaits, throws or constructs a class of the
 * program's. Reading a property, `?? []`, `new Date()` do not: a property read throws only on null or undefined,
 * which is a bug a type would show, not the failure a rollback is for (issue 12's rounds 6 and 7: a transaction
 * opened, then `const now = new Date(); const creates = input.create ?? [];`, then a try that rolls back, was read
 * as left open).
 */
function mayThrow(statement: ts.Statement): boolean {
  return containsMatch(
    statement,
    (node) =>
      ts.isCallExpression(node) ||
      ts.isAwaitExpression(node) ||
      ts.isThrowStatement(node) ||
      (ts.isNewExpression(node) && !(ts.isIdentifier(node.expression) && SAFE_CONSTRUCTORS.has(node.expression.text))),
  );
}

/** Built-in constructors that do not throw on the arguments code passes them in practice. */
const SAFE_CONSTRUCTORS = new Set(['Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object', 'Error', 'AbortController']);

/** If `call` takes a lock or opens a transaction, describes what runs while it is held. */
export function criticalSectionOf(call: ts.CallExpression, facts: FileFacts): CriticalSection | undefined {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) {
    // p-limit: limit(() => …)
    if (!facts.imports.importsAny((module) => CALLED_LOCKS.some((entry) => entry === lockOfModule(module)))) return undefined;
    const lock = lockInstance(callee, facts);
    return lock && lockKnowledge(lock).calledDirectly ? callbackLockSection(call, lock, undefined, facts) : undefined;
  }
  const method = calleeName(call);
  if (!method || !SECTION_METHODS.has(method)) return undefined;
  const receiver = receiverOf(call);
  if (!receiver) return undefined;
  if (CALLBACK_TRANSACTIONS.has(method)) return transactionSection(call, facts) ?? unmanagedTransactionSection(call, facts);
  if (UNMANAGED_METHODS.has(method)) return unmanagedTransactionSection(call, facts);
  const lockLike = /(mutex|lock|sem|queue|limit)[\w$]*$/i.test(facts.textOf(receiver));
  const lock = lockInstance(receiver, facts, lockLike) ?? lockByName(receiver, method, facts);
  if (!lock) return undefined;
  return callbackLockSection(call, lock, method, facts) ?? acquireSection(call, lock, method, facts);
}

/**
 * An unmanaged transaction: from the statement that opens it to the one that commits it. Its
 * release is `finally` when a `catch` or `finally` rolls it back (or releases its connection),
 * `unprotected` when only the success path closes it, `elsewhere` when this function never closes
 * it (it is handed back to the caller).
 */
function unmanagedTransactionSection(call: ts.CallExpression, facts: FileFacts): CriticalSection | undefined {
  const opened = openedTransaction(call, facts);
  if (!opened) return undefined;
  const statement = opened.statement;
  const block = statement.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return undefined;
  const holder = enclosingFunction(call) ?? call.getSourceFile();
  const rest = block.statements.slice(block.statements.indexOf(statement) + 1);
  const ends = (node: ts.Node | undefined, kinds: ReadonlyArray<'commit' | 'rollback' | 'release'>): boolean =>
    containsMatch(node, (n) => {
      const end = transactionEnd(n, opened, facts);
      return end !== undefined && kinds.includes(end);
    });
  const handleExpression = skipParensExpression(opened.handle, call, facts);
  const handleRoot = handleExpression ? chainRoot(handleExpression) : undefined;
  const handleNames = new Set<string>([opened.handle.replace(/^this\./, '')]);
  if (handleRoot && ts.isIdentifier(handleRoot)) handleNames.add(handleRoot.text);
  const base = {
    kind: 'transaction' as const,
    call,
    display: opened.display,
    holder,
    owner: holder,
    keyNames: new Set<string>(),
    handleNames,
    exclusive: true,
    opened,
  };
  // try { const t = await sequelize.transaction(); … } catch { await t?.rollback(); }  /  let t; try { t = … } finally { … }
  const surrounding = block.parent && ts.isTryStatement(block.parent) && block.parent.tryBlock === block ? block.parent : undefined;
  let commitIndex = rest.findIndex((s) => ends(s, ['commit']));
  if (commitIndex < 0 && !rest.some((s) => ends(s, ['rollback', 'release']))) {
    // Closed by other code (returned to the caller, or a helper commits it).
    return { ...base, statements: rest, release: { kind: 'elsewhere', text: opened.commit } };
  }
  if (commitIndex < 0) commitIndex = rest.length;
  const protectedBy = (tryStatement: ts.TryStatement | undefined): boolean =>
    !!tryStatement &&
    (ends(tryStatement.catchClause, ['rollback', 'release']) || ends(tryStatement.finallyBlock, ['rollback', 'release', 'commit']));
  if (protectedBy(surrounding))
    return { ...base, statements: rest.slice(0, commitIndex + 1), release: { kind: 'finally', text: opened.rollback } };
  for (let i = 0; i <= Math.min(commitIndex, rest.length - 1); i++) {
    const candidate = rest[i];
    if (ts.isTryStatement(candidate) && protectedBy(candidate)) {
      const inside = [...rest.slice(0, i), ...candidate.tryBlock.statements];
      // Statements before the try can still throw with nothing to roll back.
      const kind = rest.slice(0, i).some(mayThrow) ? 'unprotected' : 'finally';
      return { ...base, statements: inside, release: { kind, text: opened.rollback } };
    }
  }
  const inside = rest.slice(0, commitIndex);
  return { ...base, statements: inside, release: { kind: inside.some(mayThrow) ? 'unprotected' : 'finally', text: opened.rollback } };
}

/** The expression a handle's text names, found at the opening call (`queryRunner` → its identifier). */
function skipParensExpression(handle: string, call: ts.CallExpression, facts: FileFacts): ts.Expression | undefined {
  const receiver = receiverOf(call);
  return receiver && facts.textOf(receiver) === handle ? receiver : undefined;
}
