/**
 * Locks and transactions: which calls take a lock (async-mutex, async-lock, Redlock, Web Locks,
 * p-limit / p-queue with concurrency 1) or open a transaction (Prisma, Sequelize, knex, TypeORM,
 * Drizzle, MikroORM, Kysely, Mongoose sessions), what runs while it is held (the critical
 * section), how it is released, and which awaits inside it wait on the network.
 *
 * A lock instance is recognised from the import its constructor or factory comes from
 * (`new Mutex()` of 'async-mutex'), wherever it is declared: module level, a local, a class
 * field (`this.mutex`), a typed parameter (`mutex: Mutex`), or by type when types resolve.
 */
import { ts } from '../ts';
import {
  calleeName,
  chainRoot,
  constantString,
  dottedName,
  enclosingFunction,
  isFunctionLike,
  receiverOf,
  skipParens,
  skipParensUp,
  type FunctionLike,
} from './ast';
import { clientCall, type ClientKind } from './clients';
import { contains, lookup, MUTATING_METHODS } from './dataflow';
import type { FileFacts } from './fileFacts';
import { openedTransaction, transactionCallbackOf, transactionEnd, type OpenedTransaction } from './transactions';

const SK = ts.SyntaxKind;

export type LockLibrary = 'async-mutex' | 'async-lock' | 'redlock' | 'web-locks' | 'p-limit' | 'p-queue';

export interface LockInstance {
  library: LockLibrary;
  /** `Mutex`, `Semaphore`, `AsyncLock`, `Redlock`, `LockManager`, `pLimit`, `PQueue`. */
  kind: string;
  /** How many holders at once, when known: 1 for a mutex, a semaphore's count, p-limit's concurrency. */
  permits?: number;
  /** The lock as written: `mutex`, `this.lock`, `navigator.locks`. */
  text: string;
}

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

const LOCK_MODULES = new Set(['async-mutex', 'async-lock', 'redlock', 'p-limit', 'p-queue']);
/** Method names that take a lock or open a transaction: the cheap filter before anything is resolved. */
const SECTION_METHODS = new Set([
  'startTransaction',
  'beginTransaction',
  'query',
  'raw',
  'runExclusive',
  'acquire',
  'lock',
  'using',
  'request',
  'add',
  '$transaction',
  'transaction',
  'transactional',
  'withTransaction',
  'runInTransaction',
  'execute',
]);
const TRANSACTION_METHODS = new Set(['$transaction', 'transaction', 'transactional', 'withTransaction', 'runInTransaction']);

// ---------------------------------------------------------------------------------------------
// Lock instances

function numberValue(node: ts.Expression | undefined): number | undefined {
  if (!node) return undefined;
  const inner = skipParens(node);
  return ts.isNumericLiteral(inner) ? Number(inner.text) : undefined;
}

function optionNumber(options: ts.Expression | undefined, key: string): number | undefined {
  if (!options) return undefined;
  const inner = skipParens(options);
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === key)
      return numberValue(property.initializer);
  }
  return undefined;
}

/** The module and exported name an identifier (or `ns.Name`) refers to, through imports. */
function importedName(expression: ts.Expression, facts: FileFacts): { module: string; name: string } | undefined {
  const node = skipParens(expression);
  if (ts.isIdentifier(node)) {
    const origin = facts.originOf(node.text, node);
    if (!origin || origin.instanceOf) return undefined;
    return { module: origin.module, name: origin.imported === 'default' || origin.imported === '*' ? node.text : origin.imported };
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const origin = facts.originOf(node.expression.text, node);
    if (!origin || origin.instanceOf || (origin.imported !== '*' && origin.imported !== 'default')) return undefined;
    return { module: origin.module, name: node.name.text };
  }
  return undefined;
}

/** What `new Mutex()`, `new Semaphore(3)`, `withTimeout(new Mutex(), 500)`, `pLimit(1)`, `new PQueue({ concurrency: 1 })` make. */
function lockFromInitializer(init: ts.Expression, facts: FileFacts, text: string, depth = 0): LockInstance | undefined {
  const node = skipParens(init);
  if (depth > 3 || !(ts.isNewExpression(node) || ts.isCallExpression(node))) return undefined;
  const made = importedName(node.expression, facts);
  if (!made || !LOCK_MODULES.has(made.module)) return undefined;
  const args: readonly ts.Expression[] = node.arguments ?? [];
  switch (made.module) {
    case 'async-mutex':
      if (made.name === 'withTimeout' || made.name === 'tryAcquire')
        return args[0] ? lockFromInitializer(args[0], facts, text, depth + 1) : undefined;
      if (made.name === 'Mutex') return { library: 'async-mutex', kind: 'Mutex', permits: 1, text };
      if (made.name === 'Semaphore') return { library: 'async-mutex', kind: 'Semaphore', permits: numberValue(args[0]), text };
      return undefined;
    case 'async-lock':
      return ts.isNewExpression(node) ? { library: 'async-lock', kind: 'AsyncLock', permits: 1, text } : undefined;
    case 'redlock':
      return ts.isNewExpression(node) ? { library: 'redlock', kind: 'Redlock', permits: 1, text } : undefined;
    case 'p-limit':
      return ts.isCallExpression(node) ? { library: 'p-limit', kind: 'pLimit', permits: numberValue(args[0]), text } : undefined;
    case 'p-queue': {
      if (!ts.isNewExpression(node)) return undefined;
      const concurrency = args[0] ? optionNumber(args[0], 'concurrency') : undefined;
      return { library: 'p-queue', kind: 'PQueue', permits: concurrency ?? Number.POSITIVE_INFINITY, text };
    }
  }
  return undefined;
}

/** `mutex: Mutex`, `lock: AsyncLock`, `private readonly redlock: Redlock`. */
function lockFromType(type: ts.TypeNode | undefined, facts: FileFacts, text: string): LockInstance | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  let made: { module: string; name: string } | undefined;
  if (ts.isIdentifier(name)) {
    const origin = facts.originOf(name.text, type);
    made =
      origin && !origin.instanceOf
        ? { module: origin.module, name: origin.imported === 'default' || origin.imported === '*' ? name.text : origin.imported }
        : undefined;
  } else if (ts.isIdentifier(name.left)) {
    const origin = facts.originOf(name.left.text, type);
    made =
      origin && (origin.imported === '*' || origin.imported === 'default') ? { module: origin.module, name: name.right.text } : undefined;
  }
  if (!made) return undefined;
  if (made.module === 'async-mutex') {
    if (made.name === 'Mutex' || made.name === 'MutexInterface') return { library: 'async-mutex', kind: 'Mutex', permits: 1, text };
    if (made.name === 'Semaphore' || made.name === 'SemaphoreInterface') return { library: 'async-mutex', kind: 'Semaphore', text };
  }
  if (made.module === 'async-lock') return { library: 'async-lock', kind: 'AsyncLock', permits: 1, text };
  if (made.module === 'redlock') return { library: 'redlock', kind: 'Redlock', permits: 1, text };
  if (made.module === 'p-queue') return { library: 'p-queue', kind: 'PQueue', text };
  if (made.module === 'p-limit') return { library: 'p-limit', kind: 'pLimit', text };
  return undefined;
}

/** `this.mutex`: a class field, a constructor parameter property, or an assignment in the constructor. */
function lockOfMember(access: ts.PropertyAccessExpression, facts: FileFacts, text: string): LockInstance | undefined {
  let cls: ts.Node | undefined = access.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const name = access.name.text;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name) {
      return (member.initializer && lockFromInitializer(member.initializer, facts, text)) ?? lockFromType(member.type, facts, text);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length)
          return lockFromType(parameter.type, facts, text);
      }
      let found: LockInstance | undefined;
      const visit = (node: ts.Node): void => {
        if (found) return;
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === SK.EqualsToken) {
          const left = skipParens(node.left);
          if (ts.isPropertyAccessExpression(left) && left.expression.kind === SK.ThisKeyword && left.name.text === name) {
            found = lockFromInitializer(node.right, facts, text);
            return;
          }
        }
        ts.forEachChild(node, visit);
      };
      if (member.body) visit(member.body);
      if (found) return found;
    }
  }
  return undefined;
}

const TYPE_LOCKS: ReadonlyArray<[RegExp, LockLibrary, string, number | undefined]> = [
  [/\/async-mutex\//, 'async-mutex', 'Mutex', 1],
  [/\/async-lock\//, 'async-lock', 'AsyncLock', 1],
  [/\/redlock\//, 'redlock', 'Redlock', 1],
];

/** Last resort when syntax cannot tell (an instance imported from another file): the declared type's package. */
function lockFromTypes(expression: ts.Expression, facts: FileFacts, text: string): LockInstance | undefined {
  const types = facts.types();
  const type = types?.typeOf(expression);
  const symbol = type?.getSymbol() ?? type?.aliasSymbol;
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return undefined;
  const file = declaration.getSourceFile().fileName.replace(/\\/g, '/');
  for (const [pattern, library, kind, permits] of TYPE_LOCKS) {
    if (!pattern.test(file)) continue;
    const name = symbol.getName();
    if (library === 'async-mutex' && /Semaphore/.test(name)) return { library, kind: 'Semaphore', text };
    return { library, kind, permits, text };
  }
  return undefined;
}

/**
 * The lock `expression` denotes, if it is one PerfLens knows. `useTypes` allows asking the type
 * checker when syntax cannot tell (an instance imported from another file); it costs a program,
 * so callers allow it only for receivers that look like locks.
 * @internal exported for test/analyzers/rules/lock-across-await.test.ts
 */
export function lockInstance(expression: ts.Expression, facts: FileFacts, useTypes = false): LockInstance | undefined {
  const node = skipParens(expression);
  const text = facts.textOf(node);
  const dotted = dottedName(node);
  if (dotted !== undefined && /^((window|self|globalThis)\.)?navigator\.locks$/.test(dotted)) {
    const root = chainRoot(node);
    if (root && ts.isIdentifier(root) && lookup(root.text, root)) return undefined;
    return { library: 'web-locks', kind: 'LockManager', permits: 1, text };
  }
  if (ts.isIdentifier(node)) {
    const declaration = lookup(node.text, node);
    if (declaration) {
      const found =
        (declaration.initializer && lockFromInitializer(declaration.initializer, facts, text)) ||
        lockFromType(declaration.type, facts, text);
      if (found) return found;
      if (declaration.kind !== 'import') return undefined;
    }
  } else if (ts.isPropertyAccessExpression(node) && node.expression.kind === SK.ThisKeyword) {
    const found = lockOfMember(node, facts, text);
    if (found) return found;
  }
  return useTypes ? lockFromTypes(node, facts, text) : undefined;
}

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

function lockDisplay(lock: LockInstance, keyText: string | undefined, keyed: boolean): string {
  switch (lock.kind) {
    case 'AsyncLock':
      return keyText ? `${lock.text} (key ${keyText})` : lock.text;
    case 'LockManager':
      return keyText ? `the Web Lock ${keyText}` : 'a Web Lock';
    case 'Redlock':
      return keyText ? `the Redlock lock on ${keyText}` : 'a Redlock lock';
    case 'pLimit':
    case 'PQueue':
      return `${lock.text} (concurrency 1)`;
    default:
      return keyed && keyText ? `${lock.text} (${keyText})` : lock.text;
  }
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
  let callback: FunctionLike | undefined;
  let key: ts.Expression | undefined;
  let exclusive = lock.permits === 1;
  if (lock.kind === 'Mutex' || lock.kind === 'Semaphore') {
    if (method !== 'runExclusive') return undefined;
    callback = functionArgument(call.arguments.slice(0, 1));
  } else if (lock.kind === 'AsyncLock') {
    if (method !== 'acquire') return undefined;
    key = call.arguments[0];
    callback = functionArgument(call.arguments.slice(1, 2));
  } else if (lock.kind === 'Redlock') {
    if (method !== 'using') return undefined;
    key = call.arguments[0];
    callback = functionArgument(call.arguments, 1);
  } else if (lock.kind === 'LockManager') {
    if (method !== 'request') return undefined;
    key = call.arguments[0];
    callback = functionArgument(call.arguments, 1);
    const options = call.arguments.length > 2 ? skipParens(call.arguments[1]) : undefined;
    if (options && ts.isObjectLiteralExpression(options)) {
      for (const property of options.properties) {
        if (
          ts.isPropertyAssignment(property) &&
          ts.isIdentifier(property.name) &&
          property.name.text === 'mode' &&
          constantString(property.initializer) === 'shared'
        )
          exclusive = false;
      }
    }
  } else if (lock.kind === 'pLimit') {
    if (method !== undefined) return undefined;
    callback = functionArgument(call.arguments.slice(0, 1));
  } else if (lock.kind === 'PQueue') {
    if (method !== 'add') return undefined;
    callback = functionArgument(call.arguments.slice(0, 1));
  }
  if (!callback) return undefined;
  const keyNames = keyNamesOf(key);
  const keyText = shortText(facts, key);
  return sectionOfCallback(call, callback, {
    kind: 'lock',
    lock,
    call,
    display: lockDisplay(lock, keyText, keyNames.size > 0),
    keyNames,
    keyText,
    handleNames: new Set(),
    exclusive,
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
  const isAcquire =
    ((lock.kind === 'Mutex' || lock.kind === 'Semaphore') && method === 'acquire') ||
    (lock.kind === 'Redlock' && (method === 'acquire' || method === 'lock'));
  if (!isAcquire) return undefined;
  const awaited = skipParensUp(call).parent;
  if (!awaited || !ts.isAwaitExpression(awaited)) return undefined;
  const { handle, statement, using } = acquiredHandle(skipParensUp(awaited));
  if (!statement || !statement.parent || (!ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent))) return undefined;
  const block = statement.parent as ts.Block | ts.SourceFile;
  const index = block.statements.indexOf(statement);
  const holder = enclosingFunction(call) ?? call.getSourceFile();
  const lockText = lock.text;
  const isRelease = (node: ts.Node): boolean => isReleaseCall(node, handle?.text, lockText, facts);
  const releaseText = handle ? (lock.kind === 'Redlock' ? `await ${handle.text}.release()` : `${handle.text}()`) : `${lockText}.release()`;
  const key = lock.kind === 'Redlock' ? call.arguments[0] : undefined;
  const keyNames = keyNamesOf(key);
  const keyText = shortText(facts, key);
  const base = {
    kind: 'lock' as const,
    lock,
    call,
    display: lockDisplay(lock, keyText, keyNames.size > 0),
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

/** Statements that can throw before the release: anything that calls, awaits, throws or constructs. */
function mayThrow(statement: ts.Statement): boolean {
  return containsMatch(
    statement,
    (node) =>
      ts.isCallExpression(node) ||
      ts.isAwaitExpression(node) ||
      ts.isThrowStatement(node) ||
      ts.isNewExpression(node) ||
      ts.isElementAccessExpression(node) ||
      ts.isPropertyAccessExpression(node),
  );
}

/** Receivers whose `runExclusive` is async-mutex's even when the instance comes from another file. */
function looksLikeMutex(receiver: ts.Expression, facts: FileFacts): LockInstance | undefined {
  const text = facts.textOf(receiver);
  const last = text.split('.').pop() ?? text;
  if (/mutex|lock/i.test(last) && !/sem|limit|queue|pool/i.test(last)) return { library: 'async-mutex', kind: 'Mutex', permits: 1, text };
  return undefined;
}

/** If `call` takes a lock or opens a transaction, describes what runs while it is held. */
export function criticalSectionOf(call: ts.CallExpression, facts: FileFacts): CriticalSection | undefined {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) {
    // p-limit: limit(() => …)
    if (!facts.imports.imports('p-limit')) return undefined;
    const lock = lockInstance(callee, facts);
    return lock?.kind === 'pLimit' ? callbackLockSection(call, lock, undefined, facts) : undefined;
  }
  const method = calleeName(call);
  if (!method || !SECTION_METHODS.has(method)) return undefined;
  const receiver = receiverOf(call);
  if (!receiver) return undefined;
  if (TRANSACTION_METHODS.has(method) || method === 'execute')
    return transactionSection(call, facts) ?? unmanagedTransactionSection(call, facts);
  if (UNMANAGED_OPENERS.has(method)) return unmanagedTransactionSection(call, facts);
  const lockLike = /(mutex|lock|sem|queue|limit)[\w$]*$/i.test(facts.textOf(receiver));
  let lock = lockInstance(receiver, facts, lockLike);
  if (!lock && method === 'runExclusive') lock = looksLikeMutex(receiver, facts);
  if (!lock) return undefined;
  return callbackLockSection(call, lock, method, facts) ?? acquireSection(call, lock, method, facts);
}

/** Calls that may open a transaction someone must close (`sequelize.transaction()`, `startTransaction()`, `query('BEGIN')`). */
const UNMANAGED_OPENERS = new Set(['startTransaction', 'beginTransaction', 'query', 'raw']);

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

/**
 * The critical section `node` runs in, if any (the innermost): inside a lock's callback, or after an awaited acquire().
 * @internal exported for test/analyzers/rules/lock-across-await.test.ts
 */
export function enclosingCriticalSection(node: ts.Node, facts: FileFacts): CriticalSection | undefined {
  for (let child: ts.Node = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionLike(child)) {
      let argument: ts.Node = child;
      while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
      const call = argument.parent;
      if (call && ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression)) {
        const section = criticalSectionOf(call, facts);
        if (section?.callback === child) return section;
      }
    }
    if ((ts.isBlock(parent) || ts.isSourceFile(parent)) && ts.isStatement(child)) {
      const index = parent.statements.indexOf(child);
      for (let i = index - 1; i >= 0; i--) {
        const statement = parent.statements[i];
        const acquire = acquireCallIn(statement);
        if (!acquire) continue;
        const section = criticalSectionOf(acquire, facts);
        if (section?.statements.some((s) => contains(s, node))) return section;
      }
    }
  }
  return undefined;
}

function acquireCallIn(statement: ts.Statement): ts.CallExpression | undefined {
  let expression: ts.Expression | undefined;
  if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1)
    expression = statement.declarationList.declarations[0].initializer;
  else if (ts.isExpressionStatement(statement)) {
    expression = statement.expression;
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === SK.EqualsToken) expression = expression.right;
  }
  if (!expression) return undefined;
  const inner = skipParens(expression);
  if (!ts.isAwaitExpression(inner)) return undefined;
  const call = skipParens(inner.expression);
  return ts.isCallExpression(call) && (calleeName(call) === 'acquire' || calleeName(call) === 'lock') ? call : undefined;
}

// ---------------------------------------------------------------------------------------------
// Awaits inside a section, and which of them wait on the network

export interface RemoteCall {
  call: ts.CallExpression;
  kind: ClientKind;
  library: string;
  /** How the call is written, for messages: `prisma.user.update`, `fetch`. */
  operation: string;
}

const MAIL_MODULES = new Set(['nodemailer', '@sendgrid/mail', 'resend', 'postmark', 'mailgun.js']);

/**
 * A call that goes over the network: a known database, cache or HTTP client (facts/clients,
 * `fetch` included), or an e-mail send through a mail client the file imports.
 */
function remoteCall(call: ts.CallExpression, facts: FileFacts): RemoteCall | undefined {
  const client = clientCall(call, facts);
  if (client) return { call, kind: client.kind, library: client.library, operation: client.operation };
  const callee = skipParens(call.expression);
  const name = calleeName(call);
  if ((name === 'sendMail' || name === 'send') && ts.isPropertyAccessExpression(callee)) {
    const root = chainRoot(callee.expression);
    if (!root || !ts.isIdentifier(root)) return undefined;
    const origin = facts.originOf(root.text, root);
    const module = origin?.module;
    const viaMailModule = module !== undefined && MAIL_MODULES.has(module);
    // nodemailer: transporter.sendMail(…), where the transporter may be made anywhere in the file.
    const nodemailer = name === 'sendMail' && facts.imports.imports('nodemailer');
    if (viaMailModule || nodemailer) return { call, kind: 'http', library: module ?? 'nodemailer', operation: dottedName(callee) ?? name };
  }
  return undefined;
}

function isMail(remote: RemoteCall): boolean {
  return MAIL_MODULES.has(remote.library) || remote.library === 'nodemailer' || /mail/i.test(remote.operation);
}

/** The first network call an awaited expression waits for (callbacks inside it included: `Promise.all(xs.map((x) => fetch(x)))`). */
function awaitedRemoteCall(expression: ts.Expression, facts: FileFacts, skipAwaits = false): RemoteCall | undefined {
  let found: RemoteCall | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (skipAwaits && ts.isAwaitExpression(node))) return;
    // Arguments are evaluated first, so an inner call comes before the call that receives it.
    ts.forEachChild(node, visit);
    if (!found && ts.isCallExpression(node)) found = remoteCall(node, facts);
  };
  visit(expression);
  return found;
}

/** The network call whose promise an expression evaluates to: `fetch(u)`, `cond ? fetch(a) : null`, `fetch(u).then(…)`. */
function returnedRemoteCall(expression: ts.Expression, facts: FileFacts): RemoteCall | undefined {
  const node = skipParens(expression);
  if (ts.isAwaitExpression(node)) return undefined;
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) {
      return returnedRemoteCall(node.left, facts) ?? returnedRemoteCall(node.right, facts);
    }
    if (op === SK.CommaToken) return returnedRemoteCall(node.right, facts);
    return undefined;
  }
  if (ts.isConditionalExpression(node)) return returnedRemoteCall(node.whenTrue, facts) ?? returnedRemoteCall(node.whenFalse, facts);
  if (ts.isCallExpression(node)) return awaitedRemoteCall(node, facts, true);
  return undefined;
}

/** The network call a wait (from `sectionWaits`) waits for, if any. */
export function remoteCallOfWait(wait: ts.Expression, facts: FileFacts): RemoteCall | undefined {
  return ts.isAwaitExpression(wait) ? awaitedRemoteCall(wait.expression, facts) : returnedRemoteCall(wait, facts);
}

/**
 * Every wait while the lock is held, in order: `await` expressions in the section (not in
 * functions it only defines), and, for callback forms, what the callback returns (the lock
 * waits for that promise too).
 */
export function sectionWaits(section: CriticalSection): ts.Expression[] {
  const waits: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) {
      waits.push(node);
      return;
    }
    // `return fetch(url)` from a lock's callback: the lock waits for the returned promise.
    if (section.callback && ts.isReturnStatement(node) && node.expression && !ts.isAwaitExpression(skipParens(node.expression)))
      waits.push(node.expression);
    ts.forEachChild(node, visit);
  };
  for (const statement of section.statements) visit(statement);
  if (section.expressionBody) {
    if (!ts.isAwaitExpression(skipParens(section.expressionBody))) waits.push(section.expressionBody);
    visit(section.expressionBody);
  }
  return waits.sort((a, b) => a.pos - b.pos);
}

// ---------------------------------------------------------------------------------------------
// What a section guards: shared state it writes, the key's resource

export interface SharedWrite {
  node: ts.Node;
  /** The shared root written: `balance`, `cache`, `this.pending`. */
  target: string;
  /** Names whose values flow into the write (its right side or arguments). */
  uses: Set<string>;
}

const SHARED_MUTATORS = new Set([...MUTATING_METHODS, 'setItem', 'removeItem', 'assign']);

/** `this.pending` / `cache` / `state` — the root of an access chain, as a key for shared state. */
function rootKey(expression: ts.Expression): string | undefined {
  let node = skipParens(expression);
  let last: string | undefined;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    if (ts.isPropertyAccessExpression(node)) last = node.name.text;
    else last = undefined;
    node = skipParens(node.expression);
  }
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === SK.ThisKeyword) return last !== undefined ? `this.${last}` : 'this';
  return undefined;
}

/** `this.a.b` → `this.a`; the first property after `this` is what tells shared fields apart. */
function thisRoot(expression: ts.Expression): string | undefined {
  let node = skipParens(expression);
  let first: string | undefined;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    first = ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
    node = skipParens(node.expression);
  }
  if (node.kind !== SK.ThisKeyword) return undefined;
  return first !== undefined ? `this.${first}` : 'this';
}

function valueNames(node: ts.Node | undefined, into = new Set<string>()): Set<string> {
  if (!node) return into;
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current)) {
      const parent = current.parent;
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === current) return;
      if (parent && ts.isPropertyAssignment(parent) && parent.name === current) return;
      into.add(current.text);
      return;
    }
    if (ts.isPropertyAccessExpression(current) && current.expression.kind === SK.ThisKeyword) {
      into.add(`this.${current.name.text}`);
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return into;
}

/** True when the root identifier of `expression` is state shared between calls of `owner`. */
function isSharedRoot(expression: ts.Expression, owner: ts.Node): boolean {
  const root = chainRoot(expression);
  if (!root) return false;
  if (root.kind === SK.ThisKeyword) return true;
  const identifier = root as ts.Identifier;
  const declaration = lookup(identifier.text, identifier);
  if (!declaration) return !GLOBAL_NON_STATE.has(identifier.text);
  return !contains(owner, declaration.id);
}

const GLOBAL_NON_STATE = new Set([
  'console',
  'JSON',
  'Math',
  'Object',
  'Array',
  'Promise',
  'Date',
  'Number',
  'String',
  'Reflect',
  'undefined',
]);

/** Writes in the section to state that outlives one call: module variables, closures, `this`, `localStorage`. */
function sharedWrites(section: CriticalSection): SharedWrite[] {
  const writes: SharedWrite[] = [];
  const owner = section.owner;
  const record = (node: ts.Node, target: ts.Expression, value: ts.Node | readonly ts.Node[] | undefined): void => {
    if (!isSharedRoot(target, owner)) return;
    const key = thisRoot(target) ?? rootKey(target);
    if (!key) return;
    const uses = new Set<string>();
    if (Array.isArray(value)) for (const v of value as readonly ts.Node[]) valueNames(v, uses);
    else valueNames(value as ts.Node | undefined, uses);
    writes.push({ node, target: key, uses });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op >= SK.FirstAssignment && op <= SK.LastAssignment) {
        const left = skipParens(node.left);
        if (ts.isIdentifier(left) || ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left))
          record(node, left, node.right);
      }
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === SK.PlusPlusToken || node.operator === SK.MinusMinusToken)
    ) {
      record(node, node.operand, undefined);
    } else if (ts.isDeleteExpression(node)) {
      record(node, node.expression, undefined);
    } else if (ts.isCallExpression(node)) {
      const callee = skipParens(node.expression);
      if (ts.isPropertyAccessExpression(callee) && SHARED_MUTATORS.has(callee.name.text)) {
        if (callee.name.text === 'assign' && dottedName(callee) === 'Object.assign' && node.arguments[0])
          record(node, node.arguments[0], node.arguments.slice(1));
        else if (callee.name.text !== 'assign') record(node, callee.expression, node.arguments);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of section.statements) visit(statement);
  if (section.expressionBody) visit(section.expressionBody);
  return writes;
}

/** Names (and `this.x` fields) an expression's result is stored into, walking up to its statement. */
function resultTargets(wait: ts.Node, owner: ts.Node): { names: Set<string>; shared: boolean } {
  const names = new Set<string>();
  let current: ts.Node = wait;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if (ts.isReturnStatement(parent) || (isFunctionLike(parent) && parent.body === current)) break;
    if (ts.isVariableDeclaration(parent) && parent.initializer === current) {
      valueNames(parent.name, names);
      return { names, shared: false };
    }
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === current &&
      parent.operatorToken.kind >= SK.FirstAssignment &&
      parent.operatorToken.kind <= SK.LastAssignment
    ) {
      const left = skipParens(parent.left);
      if (isSharedRoot(left, owner)) return { names, shared: true };
      const key = rootKey(left);
      if (key) names.add(key);
      return { names, shared: false };
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      const callee = skipParens(parent.expression);
      if (ts.isPropertyAccessExpression(callee) && SHARED_MUTATORS.has(callee.name.text) && isSharedRoot(callee.expression, owner))
        return { names, shared: true };
    }
    if (ts.isStatement(parent) || isFunctionLike(parent)) break;
  }
  return { names, shared: false };
}

export interface SectionAnalysis {
  /** Writes to shared state in the section. */
  writes: SharedWrite[];
  /** Network waits, in order, with whether each is about what the lock guards. */
  waits: Array<{ wait: ts.Expression; remote: RemoteCall; related: boolean }>;
  /** True when the section visibly guards something: it writes shared state, or works on its key's resource. */
  guards: boolean;
}

/**
 * Which network waits in a lock's section are about what the lock guards. A wait is related
 * when its arguments use the lock key or shared state the section writes, or its result flows
 * (through locals) into a shared write or into a related call — the read and the write of a
 * read-modify-write, the single-flight refresh whose result is the guarded state. A section that
 * guards nothing visible (it only serialises its own I/O) is left alone.
 */
export function analyzeSection(section: CriticalSection, facts: FileFacts): SectionAnalysis {
  const writes = sharedWrites(section);
  const writtenTargets = new Set(writes.map((w) => w.target));
  const waits = sectionWaits(section)
    .map((wait) => ({ wait, remote: remoteCallOfWait(wait, facts) }))
    .filter((w): w is { wait: ts.Expression; remote: RemoteCall } => w.remote !== undefined);
  const argumentNames = waits.map(({ remote }) => {
    const names = new Set<string>();
    for (const argument of remote.call.arguments) valueNames(argument, names);
    return names;
  });
  const intersects = (names: ReadonlySet<string>, other: ReadonlySet<string>): boolean => {
    for (const name of names) if (other.has(name)) return true;
    return false;
  };
  // The key's resource is what a query or write on the key is about, or a request to a URL built from it —
  // not a notification that merely mentions the id in its body, and never an e-mail.
  const keyed = waits.map(({ remote }, i) => {
    if (remote.kind === 'query' || remote.kind === 'write') return intersects(argumentNames[i], section.keyNames);
    if (isMail(remote)) return false;
    return intersects(valueNames(remote.call.arguments[0]), section.keyNames);
  });
  const related = waits.map((_w, i) => keyed[i] || intersects(argumentNames[i], writtenTargets));
  // Anything in the section that uses the key — a call we cannot see into included — shows it works on the key's resource.
  const usesKey =
    section.keyNames.size > 0 &&
    (section.statements.some((s) => intersects(valueNames(s), section.keyNames)) ||
      intersects(valueNames(section.expressionBody), section.keyNames));
  // Follow each wait's result through local declarations to shared writes and related calls.
  const locals = localFlow(section);
  let changed = true;
  // A result handed back to the caller is not what the lock guards: `reserve()` that updates a
  // cache and returns the warehouse's answer still holds the cache's lock across the request.
  const flows = waits.map(({ wait }) => {
    const { names, shared } = resultTargets(wait, section.owner);
    return { tainted: closeOver(names, locals), shared };
  });
  while (changed) {
    changed = false;
    waits.forEach((_w, i) => {
      if (related[i]) return;
      const { tainted, shared } = flows[i];
      if (
        shared ||
        writes.some((w) => intersects(w.uses, tainted)) ||
        waits.some((_o, j) => j !== i && related[j] && intersects(argumentNames[j], tainted))
      ) {
        related[i] = true;
        changed = true;
      }
    });
  }
  const guards = writes.length > 0 || usesKey || keyed.some(Boolean);
  return { writes, waits: waits.map((w, i) => ({ ...w, related: related[i] })), guards };
}

/** Local derivations in the section: `const total = order.items.length` → total depends on order. */
function localFlow(section: CriticalSection): Array<{ defines: Set<string>; uses: Set<string> }> {
  const flows: Array<{ defines: Set<string>; uses: Set<string> }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer) {
      flows.push({ defines: valueNames(node.name), uses: valueNames(node.initializer) });
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === SK.EqualsToken && ts.isIdentifier(skipParens(node.left))) {
      flows.push({ defines: new Set([(skipParens(node.left) as ts.Identifier).text]), uses: valueNames(node.right) });
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of section.statements) visit(statement);
  return flows;
}

function closeOver(names: Set<string>, flows: Array<{ defines: Set<string>; uses: Set<string> }>): Set<string> {
  const result = new Set(names);
  let grew = result.size > 0;
  while (grew) {
    grew = false;
    for (const flow of flows) {
      if (![...flow.uses].some((u) => result.has(u))) continue;
      for (const d of flow.defines) {
        if (!result.has(d)) {
          result.add(d);
          grew = true;
        }
      }
    }
  }
  return result;
}
