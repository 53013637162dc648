/**
 * Where a node runs, by its position in the code: at module load, in an async function, in a
 * function named like start-up code, or only the first time (lazy initialisation). Per-node
 * facts, unlike the file kinds of fileKinds.ts.
 */
import { ts } from '../ts';
import { iterationOfCallback } from './loops';
import {
  boundNames,
  chainRoot,
  constantString,
  dottedName,
  enclosingFunction,
  endsInReturnOrThrow,
  isAsyncFunction,
  isFunctionLike,
  skipParens,
  type FunctionLike,
} from './ast';

const SK = ts.SyntaxKind;

/**
 * The function whose run `node` is part of, if it is `async` (code in it shares the event loop
 * with other work). Synchronous iteration callbacks (`items.map(cb)`) run inside their caller,
 * so they are looked through.
 */
export function enclosingAsyncFunction(node: ts.Node): FunctionLike | undefined {
  let fn = enclosingFunction(node);
  while (fn && !isAsyncFunction(fn) && iterationOfCallback(fn)) fn = enclosingFunction(fn);
  return fn && isAsyncFunction(fn) ? fn : undefined;
}

/** True when `node` runs at module load: not inside any function. */
export function isModuleTopLevel(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return false;
    if (ts.isClassStaticBlockDeclaration(current)) return true;
  }
  return true;
}

/**
 * The one list of start-up names, in two strengths. Certain: functions that run once per process —
 * `main()`, `bootstrap()`, Nest's lifecycle hooks —, enough for the engine to call the context start-up
 * (facts/context.ts). Likely: names that usually mean start-up or one run of a command (`init`, `setup`,
 * `configure`, `loadConfig`, `runMigrations`) but also name per-call code (a class's `init()` run per
 * request, `build()` of a per-request object): enough for a rule to stay quiet, not to decide a context.
 */
const START_UP_NAMES = /^(main|bootstrap|startServer|onModuleInit|onApplicationBootstrap|beforeApplicationShutdown|onModuleDestroy)$/;
const LIKELY_START_UP_NAMES =
  /^(start|init|initialize|setup|configure|prepare|install|postinstall|build|generate|scaffold|\w+Loader|load(Config|Env|Environment|Plugins?|Settings)|run(Cli|Command|Migrations?))$/;

/** The name `fn` is declared or assigned under: `function f`, `f() {}`, `const f = …`, `{ f: … }`. */
export function declaredName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  if (fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if (fn.parent && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** How sure `fn`'s name makes it start-up code: `certain` (runs once per process), `likely`, or not at all. */
export function startUpName(fn: FunctionLike): { name: string; certain: boolean } | undefined {
  const name = declaredName(fn);
  if (name === undefined) return undefined;
  if (START_UP_NAMES.test(name)) return { name, certain: true };
  if (LIKELY_START_UP_NAMES.test(name)) return { name, certain: false };
  return undefined;
}

/** True when `fn` is named like start-up code, certainly or likely (a rule staying quiet there). */
export function isStartUpFunction(fn: FunctionLike): boolean {
  return startUpName(fn) !== undefined;
}

const localNamesCache = new WeakMap<ts.Node, ReadonlySet<string>>();

/**
 * Every name a function declares for itself: parameters, variables, functions and classes in its
 * body (nested functions' own declarations included — they are per call too). A name not in this
 * set, seen inside the function, is shared with other calls (module state, a closure, a global).
 */
export function localNames(fn: FunctionLike): ReadonlySet<string> {
  const cached = localNamesCache.get(fn);
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) {
      for (const parameter of node.parameters) for (const name of boundNames(parameter.name)) names.add(name);
      if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name && node !== fn) names.add(node.name.text);
    } else if (ts.isVariableDeclaration(node)) {
      for (const name of boundNames(node.name)) names.add(name);
    } else if (ts.isClassDeclaration(node) && node.name) {
      names.add(node.name.text);
    } else if (ts.isCatchClause(node) && node.variableDeclaration) {
      for (const name of boundNames(node.variableDeclaration.name)) names.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  localNamesCache.set(fn, names);
  return names;
}

/**
 * True when `node` (inside `within`) only runs the first time: lazy initialisation of state that
 * outlives the call — `cache ??= read()`, `x = x ?? read()`, `if (!cache) { cache = read(); }`.
 */
export function isLazyInitialisation(node: ts.Node, within: FunctionLike): boolean {
  const locals = localNames(within);
  const isOuterTarget = (target: ts.Expression): boolean => {
    const root = chainRoot(target);
    if (!root) return false;
    return root.kind === SK.ThisKeyword || !locals.has((root as ts.Identifier).text);
  };
  for (let child: ts.Node = node, parent = node.parent; parent && child !== within; child = parent, parent = parent.parent) {
    if (ts.isBinaryExpression(parent) && parent.right === child) {
      const op = parent.operatorToken.kind;
      if ((op === SK.QuestionQuestionEqualsToken || op === SK.BarBarEqualsToken) && isOuterTarget(parent.left)) return true;
      if (op === SK.EqualsToken && isOuterTarget(parent.left)) {
        const right = skipParens(parent.right);
        const target = dottedName(parent.left);
        if (
          target !== undefined &&
          ts.isBinaryExpression(right) &&
          (right.operatorToken.kind === SK.QuestionQuestionToken || right.operatorToken.kind === SK.BarBarToken) &&
          dottedName(right.left) === target
        ) {
          return true;
        }
      }
    }
    if (ts.isIfStatement(parent) && parent.thenStatement === child) {
      const tested = unsetTest(parent.expression);
      if (tested && isOuterTarget(tested) && assigns(child, dottedName(tested))) return true;
    }
    if (ts.isBlock(parent) && ts.isStatement(child) && assignsOuterTargetGuardedEarlier(parent, child, isOuterTarget)) return true;
    if (ts.isConditionalExpression(parent) && parent.whenFalse === child) {
      // cache ? cache : (cache = read())
      const condition = skipParens(parent.condition);
      if (dottedName(condition) !== undefined && isOuterTarget(condition) && assigns(child, dottedName(condition))) return true;
    }
  }
  return false;
}

/** `if (cache) return cache;` earlier in the block, and `statement` assigns `cache`. */
function assignsOuterTargetGuardedEarlier(
  block: ts.Block,
  statement: ts.Statement,
  isOuterTarget: (target: ts.Expression) => boolean,
): boolean {
  const index = block.statements.indexOf(statement);
  for (let i = 0; i < index; i++) {
    const earlier = block.statements[i];
    if (!ts.isIfStatement(earlier) || earlier.elseStatement || !endsInReturnOrThrow(earlier.thenStatement)) continue;
    const tested = setTest(earlier.expression);
    if (tested && isOuterTarget(tested) && assigns(statement, dottedName(tested))) return true;
  }
  return false;
}

/** `x`, `x !== undefined`, `x != null` → `x`. */
function setTest(condition: ts.Expression): ts.Expression | undefined {
  const inner = skipParens(condition);
  if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) return inner;
  if (ts.isBinaryExpression(inner)) {
    const op = inner.operatorToken.kind;
    if (op !== SK.ExclamationEqualsEqualsToken && op !== SK.ExclamationEqualsToken) return undefined;
    const right = skipParens(inner.right);
    if (right.kind === SK.NullKeyword || (ts.isIdentifier(right) && right.text === 'undefined')) {
      const left = skipParens(inner.left);
      return dottedName(left) !== undefined && !ts.isCallExpression(left) ? left : undefined;
    }
  }
  return undefined;
}

/** `!x`, `x === undefined`, `x == null`, `typeof x === 'undefined'` → `x`. */
function unsetTest(condition: ts.Expression): ts.Expression | undefined {
  const inner = skipParens(condition);
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === SK.ExclamationToken) {
    const operand = skipParens(inner.operand);
    return dottedName(operand) !== undefined && !ts.isCallExpression(operand) ? operand : undefined;
  }
  if (ts.isBinaryExpression(inner)) {
    const op = inner.operatorToken.kind;
    if (op !== SK.EqualsEqualsEqualsToken && op !== SK.EqualsEqualsToken) return undefined;
    const sides = [skipParens(inner.left), skipParens(inner.right)];
    const emptyIndex = sides.findIndex(
      (s) => s.kind === SK.NullKeyword || (ts.isIdentifier(s) && s.text === 'undefined') || constantString(s) === 'undefined',
    );
    if (emptyIndex < 0) return undefined;
    let other = sides[1 - emptyIndex];
    if (ts.isTypeOfExpression(other)) other = skipParens(other.expression);
    return dottedName(other) !== undefined && !ts.isCallExpression(other) ? other : undefined;
  }
  return undefined;
}

/** True when `node` assigns to the access path `target` somewhere inside it. */
function assigns(node: ts.Node, target: string | undefined): boolean {
  if (target === undefined) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(current)) {
      const op = current.operatorToken.kind;
      if (op >= SK.FirstAssignment && op <= SK.LastAssignment && dottedName(current.left) === target) {
        found = true;
        return;
      }
    }
    if (isFunctionLike(current)) return;
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}
