/**
 * "How long does this live, and how often does this run?" — what memory and caching rules ask
 * before saying that something accumulates: is the object a listener is added to alive for the
 * whole program (`process`, `window`, a module-level emitter)? Does the code that adds it run
 * over and over (a request handler, a loop, a function called from a loop, a React effect)?
 */
import { ts } from '../ts';
import { calleeName, chainRoot, endsInReturnOrThrow, isFunctionLike, skipParens, skipParensUp, type FunctionLike } from './ast';
import { lookup, resolve } from './dataflow';
import { repeatedCalls, type Iteration } from './loops';
import { fixedLength } from './sizes';
import type { FileFacts } from './fileFacts';

const SK = ts.SyntaxKind;

/** Globals that exist for the life of the program (or the page). */
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set([
  'process',
  'window',
  'document',
  'globalThis',
  'self',
  'global',
  'navigator',
  'screen',
  'visualViewport',
]);

export type Repetition =
  | { kind: 'loop'; node: ts.Node }
  | { kind: 'handler'; fn: FunctionLike }
  | { kind: 'called-repeatedly'; fn: FunctionLike; site: ts.Node }
  | { kind: 'effect'; fn: FunctionLike };

/** Hooks whose callback runs on every mount (and again whenever a dependency changes). */
const EFFECT_HOOKS: ReadonlySet<string> = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect']);

/** `useEffect(fn, deps)`: the effect call `fn` is the callback of. */
function effectCallOf(fn: ts.Node): ts.CallExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const outer = skipParensUp(fn);
  const call = outer.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== outer) return undefined;
  const name = calleeName(call);
  return name !== undefined && EFFECT_HOOKS.has(name) ? call : undefined;
}

/** `useEffect(fn, [])`: an empty dependency list. */
function mountOnly(effect: ts.CallExpression): boolean {
  const deps = effect.arguments[1] && skipParens(effect.arguments[1]);
  return !!deps && ts.isArrayLiteralExpression(deps) && deps.elements.length === 0;
}

/**
 * Why `node` runs over and over, when the file shows it: it sits in a loop or iteration callback,
 * or in (or under) a function that is a request handler, is called from a loop of this file, or
 * is a React effect. Undefined when nothing shows it repeats (start-up code, a function called
 * once, or one whose callers live elsewhere).
 */
export function repetitionOf(node: ts.Node, file: FileFacts): Repetition | undefined {
  const loop = file.iterations(node).find((iteration) => !passesFixedByProgram(iteration));
  if (loop) return { kind: 'loop', node: loop.node };
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    const effect = effectCallOf(current);
    // `useEffect(fn, [])` runs once per mount — start-up of a component, usually mounted once; with
    // dependencies (or none) it runs again and again on the same mounted component.
    if (effect) return mountOnly(effect) ? undefined : { kind: 'effect', fn: current };
    const sites = repeatedCalls(current);
    if (sites.length > 0) return { kind: 'called-repeatedly', fn: current, site: sites[0] };
    const around = file.iterations(current).find((iteration) => !passesFixedByProgram(iteration));
    if (around) return { kind: 'loop', node: around.node };
  }
  const handler = file.requestHandler(node);
  if (handler) return { kind: 'handler', fn: handler.fn };
  return undefined;
}

/**
 * A loop over a list the program writes out — `['SIGINT', 'SIGTERM'].forEach(…)`, or over a local
 * `const signals = [...]` — makes the same fixed number of passes each time it runs: one listener
 * per signal is a registration per item of a constant list, not an accumulation. (Whether the code
 * around the loop runs again is asked separately.)
 */
function passesFixedByProgram(iteration: Iteration): boolean {
  const collection = iteration.collection && skipParens(iteration.collection);
  if (!collection) return false;
  if (ts.isArrayLiteralExpression(collection)) return !collection.elements.some(ts.isSpreadElement);
  if (!ts.isIdentifier(collection)) return false;
  const declaration = resolve(collection);
  return declaration?.kind === 'const' && fixedLength(declaration) !== undefined;
}

/**
 * When `target` lives as long as the program: a global (`process`, `window`, `document`), a
 * property of one (`document.body`, `window.visualViewport`), a module-level binding (an emitter,
 * a client, a store) or an imported one. Returns how to name it in a message. `this`, locals and
 * parameters are not (they die with their owner, as far as this file shows).
 */
export function longLivedTarget(target: ts.Expression): string | undefined {
  const node = skipParens(target);
  const root = chainRoot(node);
  if (!root || root.kind === SK.ThisKeyword) return undefined;
  const identifier = root as ts.Identifier;
  // Calls in the chain (`getEmitter().on`) return who knows what.
  for (
    let current: ts.Expression = node;
    current !== identifier;
    current = skipParens((current as ts.PropertyAccessExpression).expression)
  ) {
    if (!ts.isPropertyAccessExpression(current)) return undefined;
  }
  const declaration = resolve(identifier);
  if (!declaration) return GLOBAL_OBJECTS.has(identifier.text) ? 'global' : undefined;
  if (!ts.isSourceFile(declaration.scope)) return undefined;
  if (declaration.kind === 'import') return 'imported';
  if (declaration.kind === 'const' || declaration.kind === 'let' || declaration.kind === 'var') return 'module';
  return undefined;
}

/**
 * True when `node`, inside `fn`, runs only the first time: under `if (!flag)` / after
 * `if (flag) return` where the flag lives outside `fn` and `fn` sets it, or after a
 * `listenerCount`/`listeners` check.
 */
export function guardedToRunOnce(node: ts.Node, fn: ts.Node): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent && child !== fn; child = parent, parent = parent.parent) {
    if (ts.isIfStatement(parent) && parent.expression !== child && testsOuterState(parent.expression, fn)) return true;
    if (ts.isConditionalExpression(parent) && parent.condition !== child && testsOuterState(parent.condition, fn)) return true;
    if (
      ts.isBinaryExpression(parent) &&
      parent.right === child &&
      (parent.operatorToken.kind === SK.AmpersandAmpersandToken || parent.operatorToken.kind === SK.BarBarToken) &&
      testsOuterState(parent.left, fn)
    )
      return true;
    if (ts.isBlock(parent)) {
      const index = parent.statements.indexOf(child as ts.Statement);
      for (let i = 0; i < index; i++) {
        const earlier = parent.statements[i];
        if (ts.isIfStatement(earlier) && endsInReturnOrThrow(earlier.thenStatement) && testsOuterState(earlier.expression, fn)) return true;
      }
    }
  }
  return false;
}

/** A condition that reads state kept outside `fn` (a flag, `this.x`, a listener count): a once-guard. */
function testsOuterState(condition: ts.Expression, fn: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name === 'listenerCount' || name === 'listeners' || name === 'rawListeners' || name === 'eventNames') {
        found = true;
        return;
      }
    }
    if (node.kind === SK.ThisKeyword) {
      found = true;
      return;
    }
    if (ts.isIdentifier(node)) {
      const declaration = lookup(node.text, node);
      if (
        declaration &&
        !(declaration.id.pos >= fn.pos && declaration.id.end <= fn.end) &&
        declaration.kind !== 'import' &&
        declaration.kind !== 'function' &&
        declaration.kind !== 'class'
      )
        found = true;
      return;
    }
    if (isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

/** How to say where the repetition comes from, after "every time": "this handler runs", "a pass of the loop runs". */
export function describeRepetition(repetition: Repetition, file: FileFacts): string {
  switch (repetition.kind) {
    case 'loop':
      return 'the loop around it runs a pass';
    case 'handler':
      return 'this request handler runs';
    case 'effect':
      return 'this effect runs (again whenever a dependency changes)';
    case 'called-repeatedly': {
      const line = file.lines.range(file.start(repetition.site), repetition.site.end).start.line;
      return `this function runs (it is called from a loop at line ${line})`;
    }
  }
}
