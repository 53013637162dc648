/**
 * What a critical section waits for and what it guards: the awaits in it that go over the network
 * (a database, cache or HTTP client, an e-mail send), the shared state it writes, and which of its
 * waits are about what it guards.
 */
import { ts } from '../../../ts';
import { calleeName, chainRoot, dottedName, isFunctionLike, skipParens } from '../../../facts/ast';
import { clientCall, type ClientKind } from '../../../facts/clients';
import { contains, lookup, MUTATING_METHODS } from '../../../facts/dataflow';
import type { FileFacts } from '../../../facts/fileFacts';
import { library, mailLibraries, mailOfModule } from '../../../facts/libraries/registry';
import type { CriticalSection } from './sections';

const SK = ts.SyntaxKind;

interface RemoteCall {
  call: ts.CallExpression;
  kind: ClientKind;
  library: string;
  /** How the call is written, for messages: `prisma.user.update`, `fetch`. */
  operation: string;
}

/**
 * A call that goes over the network: a known database, cache or HTTP client (facts/clients,
 * `fetch` included), or an e-mail send through a mail library the file imports.
 */
function remoteCall(call: ts.CallExpression, facts: FileFacts): RemoteCall | undefined {
  const client = clientCall(call, facts);
  if (client) return { call, kind: client.kind, library: client.library, operation: client.operation };
  const callee = skipParens(call.expression);
  const name = calleeName(call);
  if (!name || !ts.isPropertyAccessExpression(callee) || !mailLibraries.some(({ mail }) => mail.methods.includes(name))) return undefined;
  const root = chainRoot(callee.expression);
  if (!root || !ts.isIdentifier(root)) return undefined;
  // Through something imported from a mail library, or (nodemailer: `transporter.sendMail(…)`) anywhere in a file that imports it.
  const origin = facts.originOf(root.text, root);
  const sender =
    (origin && mailOfModule(origin.module)?.mail?.methods.includes(name) ? mailOfModule(origin.module) : undefined) ??
    mailLibraries.find(
      (entry) => entry.mail.anyReceiver?.includes(name) && facts.imports.importsAny((module) => mailOfModule(module) === entry),
    );
  return sender ? { call, kind: 'http', library: sender.id, operation: dottedName(callee) ?? name } : undefined;
}

function isMail(remote: RemoteCall): boolean {
  return library(remote.library)?.mail !== undefined || /mail/i.test(remote.operation);
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

interface SharedWrite {
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

interface SectionAnalysis {
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
