/**
 * "Is this node executed once per item?" — the question most rules start from. A node is
 * repeated when it sits in the repeated part of a loop statement (body, condition, update) or in
 * a callback handed to an iteration method (`items.map(cb)`, `Array.from(x, cb)`).
 */
import { ts } from '../ts';
import { boundNames, calleeName, isFunctionLike, receiverOf, skipParens, type FunctionLike } from './ast';
import { lookup } from './dataflow';
import { indexWalk } from './indexWalks';
import { syntaxIndexOf } from './syntaxIndex';

const SK = ts.SyntaxKind;

/** Array (and array-like) methods whose callback runs once per element. */
const ITERATION_METHODS: ReadonlySet<string> = new Set([
  'forEach',
  'map',
  'flatMap',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
]);

export type IterationKind = 'for' | 'for-of' | 'for-in' | 'while' | 'do' | 'callback';

export interface Iteration {
  kind: IterationKind;
  /** The loop statement, or the callback function. */
  node: ts.Node;
  /** For callbacks: the call that receives the callback (`items.map(...)`). */
  call?: ts.CallExpression;
  /** For callbacks: the iteration method (`map`, `forEach`, `from` …). */
  method?: string;
  /**
   * What is iterated, when known: the `for…of`/`for…in` expression, the callback's receiver, the list an index
   * walk reads (`xs` of `for (let i = 0; i < xs.length; i++)`, see indexWalks.ts) — without a `?? []` default.
   */
  collection?: ts.Expression;
  /**
   * Names bound per iteration: the loop variables or the callback's parameters; for an index walk, the names
   * bound to the item (`x` of `const x = xs[i]`) first, then the loop's own declarations.
   */
  variables: string[];
  /** For an index walk: its counter (`i`), which names a position, not an item. */
  counter?: string;
}

/**
 * The list a loop header or an iteration method's receiver names: `xs` of `xs ?? []`, `xs || []`,
 * `(o?.items ?? [])` — the default only stands in for a missing list, it adds no items.
 */
function iteratedList(expression: ts.Expression): ts.Expression {
  const inner = skipParens(expression);
  if (
    ts.isBinaryExpression(inner) &&
    (inner.operatorToken.kind === SK.QuestionQuestionToken || inner.operatorToken.kind === SK.BarBarToken)
  ) {
    const fallback = skipParens(inner.right);
    if (ts.isArrayLiteralExpression(fallback) && fallback.elements.length === 0) return iteratedList(inner.left);
  }
  return expression;
}

/**
 * If `fn` is a callback run once per element, describes that iteration.
 * Recognises `x.forEach(fn)` and friends and `Array.from(x, fn)`.
 */
export function iterationOfCallback(fn: ts.Node): Iteration | undefined {
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call)) return undefined;
  const index = call.arguments.indexOf(argument as ts.Expression);
  if (index < 0) return undefined;
  const method = calleeName(call);
  if (!method) return undefined;
  const receiver = receiverOf(call);
  if (!receiver) return undefined;
  if (ITERATION_METHODS.has(method) && index === 0) {
    return { kind: 'callback', node: fn, call, method, collection: iteratedList(receiver), variables: parameterNames(fn) };
  }
  if (
    method === 'from' &&
    index === 1 &&
    ts.isIdentifier(skipParens(receiver)) &&
    (skipParens(receiver) as ts.Identifier).text === 'Array'
  ) {
    return { kind: 'callback', node: fn, call, method, collection: iteratedList(call.arguments[0]), variables: parameterNames(fn) };
  }
  return undefined;
}

function parameterNames(fn: ts.ArrowFunction | ts.FunctionExpression): string[] {
  const names: string[] = [];
  for (const parameter of fn.parameters) boundNames(parameter.name, names);
  return names;
}

/** The iteration whose repeated part directly holds `child` (one level), if `parent` is a loop. */
function loopHolding(parent: ts.Node, child: ts.Node): Iteration | undefined {
  switch (parent.kind) {
    case SK.ForStatement: {
      const loop = parent as ts.ForStatement;
      if (child === loop.initializer) return undefined;
      const walk = indexWalk(loop);
      const variables: string[] = walk ? [...walk.elements] : [];
      if (loop.initializer && ts.isVariableDeclarationList(loop.initializer)) {
        for (const declaration of loop.initializer.declarations) boundNames(declaration.name, variables);
      }
      return walk
        ? { kind: 'for', node: loop, collection: walk.collection, variables, counter: walk.counter }
        : { kind: 'for', node: loop, variables };
    }
    case SK.ForOfStatement:
    case SK.ForInStatement: {
      const loop = parent as ts.ForOfStatement | ts.ForInStatement;
      if (child !== loop.statement) return undefined;
      const variables: string[] = [];
      if (ts.isVariableDeclarationList(loop.initializer)) {
        for (const declaration of loop.initializer.declarations) boundNames(declaration.name, variables);
      } else if (ts.isIdentifier(loop.initializer)) {
        variables.push(loop.initializer.text);
      }
      return {
        kind: parent.kind === SK.ForOfStatement ? 'for-of' : 'for-in',
        node: loop,
        collection: iteratedList(loop.expression),
        variables,
      };
    }
    case SK.WhileStatement:
    case SK.DoStatement: {
      const kind = parent.kind === SK.WhileStatement ? 'while' : 'do';
      const walk = indexWalk(parent as ts.WhileStatement | ts.DoStatement);
      return walk
        ? { kind, node: parent, collection: walk.collection, variables: [...walk.elements, walk.counter], counter: walk.counter }
        : { kind, node: parent, variables: [] };
    }
    default:
      return undefined;
  }
}

/**
 * Every iteration that repeats `node`, innermost first. The search stops at the first function
 * boundary that is not an iteration callback: a plain function may well run once.
 */
export function iterationsAround(node: ts.Node): Iteration[] {
  const found: Iteration[] = [];
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionLike(child)) {
      const callback = iterationOfCallback(child);
      if (!callback) break;
      found.push(callback);
      continue;
    }
    const loop = loopHolding(parent, child);
    if (loop) found.push(loop);
  }
  return found;
}

/** The innermost iteration that repeats `node`, within its function (callbacks included). */
export function enclosingIteration(node: ts.Node): Iteration | undefined {
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionLike(child)) return iterationOfCallback(child);
    const loop = loopHolding(parent, child);
    if (loop) return loop;
  }
  return undefined;
}

/** The statement that starts the iteration: the loop itself, or the statement holding the callback's call. */
export function iterationStatement(iteration: Iteration): ts.Node {
  return iteration.kind === 'callback' && iteration.call ? iteration.call : iteration.node;
}

/** Sorting methods whose comparator runs about n·log₂ n times. */
const SORT_METHODS: ReadonlySet<string> = new Set(['sort', 'toSorted']);

/**
 * If `fn` is the comparator of `xs.sort(fn)` / `xs.toSorted(fn)`, describes that "iteration": the
 * comparator runs about n·log₂ n times, twice per element and more.
 */
export function comparatorIteration(fn: ts.Node): Iteration | undefined {
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== argument) return undefined;
  const method = calleeName(call);
  const receiver = receiverOf(call);
  if (method === undefined || !SORT_METHODS.has(method) || !receiver) return undefined;
  return { kind: 'callback', node: fn, call, method, collection: receiver, variables: parameterNames(fn) };
}

/**
 * Like `iterationsAround`, but a sort comparator counts as a loop too (it runs n·log n times):
 * every loop, iteration callback and comparator that repeats `node`, innermost first.
 */
export function repeatedBy(node: ts.Node): Iteration[] {
  const found: Iteration[] = [];
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionLike(child)) {
      const callback = iterationOfCallback(child) ?? comparatorIteration(child);
      if (!callback) break;
      found.push(callback);
      continue;
    }
    const loop = loopHolding(parent, child);
    if (loop) found.push(loop);
  }
  return found;
}

/** The name a function is called by in its file: its declared name, the variable it initialises, a method's name. */
function functionName(fn: FunctionLike): ts.Identifier | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    let outer: ts.Node = fn;
    while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    const parent = outer.parent;
    if (parent && ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)) return parent.name;
  }
  return undefined;
}

const repeatedCallsCache = new WeakMap<ts.Node, ts.Node[]>();

/**
 * The places in this file that make `fn` run repeatedly: calls of it inside a loop, an iteration
 * callback or a comparator (`for (…) format(x)`, `this.format(x)` in `map`), and hand-overs by
 * name to an iteration method (`items.map(format)`, `xs.sort(byName)`). Recursive calls from
 * inside `fn` do not count. Empty when the file never repeats it (it may still be hot elsewhere).
 */
export function repeatedCalls(fn: FunctionLike): readonly ts.Node[] {
  const cached = repeatedCallsCache.get(fn);
  if (cached) return cached;
  const found: ts.Node[] = [];
  const name = functionName(fn);
  if (name) {
    const sourceFile = fn.getSourceFile();
    const isMethod = ts.isMethodDeclaration(fn);
    const owner = isMethod ? fn.parent : undefined;
    for (const call of syntaxIndexOf(sourceFile).calls) {
      if (call.pos >= fn.pos && call.end <= fn.end) continue;
      const callee = skipParens(call.expression);
      const direct = isMethod
        ? ts.isPropertyAccessExpression(callee) &&
          callee.name.text === name.text &&
          callee.expression.kind === SK.ThisKeyword &&
          !!owner &&
          call.pos >= owner.pos &&
          call.end <= owner.end
        : ts.isIdentifier(callee) && callee.text === name.text && sameBinding(callee, name);
      if (direct) {
        if (repeatedBy(call).length > 0) found.push(call);
        continue;
      }
      // `items.map(format)`, `items.sort(compare)`, `items.map(this.format)`.
      const method = calleeName(call);
      if (method === undefined || !(ITERATION_METHODS.has(method) || SORT_METHODS.has(method))) continue;
      const argument = call.arguments[0] && skipParens(call.arguments[0]);
      if (!argument) continue;
      const handed = isMethod
        ? ts.isPropertyAccessExpression(argument) && argument.name.text === name.text && argument.expression.kind === SK.ThisKeyword
        : ts.isIdentifier(argument) && argument.text === name.text && sameBinding(argument, name);
      if (handed) found.push(call);
    }
  }
  repeatedCallsCache.set(fn, found);
  return found;
}

/** True when `use` names the same binding `declared` declares (no shadowing in between). */
function sameBinding(use: ts.Identifier, declared: ts.Identifier): boolean {
  const declaration = lookup(use.text, use);
  return !!declaration && declaration.id === declared;
}

/** How many passes make a loop too short to be worth optimising. */
const TINY_LOOP = 8;

/**
 * A loop over a handful of items, by its own text: `for (let i = 0; i < 3; i++)`,
 * `for (const m of ['a', 'b'])`, `['x', 'y'].forEach(…)`.
 */
export function isTinyIteration(iteration: Iteration, limit = TINY_LOOP): boolean {
  const collection = iteration.collection && skipParens(iteration.collection);
  if (collection && ts.isArrayLiteralExpression(collection))
    return collection.elements.length <= limit && !collection.elements.some(ts.isSpreadElement);
  if (ts.isForStatement(iteration.node) && iteration.node.condition) {
    const condition = skipParens(iteration.node.condition);
    if (
      ts.isBinaryExpression(condition) &&
      (condition.operatorToken.kind === SK.LessThanToken || condition.operatorToken.kind === SK.LessThanEqualsToken)
    ) {
      const bound = skipParens(condition.right);
      return ts.isNumericLiteral(bound) && Number(bound.text) <= limit;
    }
  }
  return false;
}

/** The condition that ends a `for`, `while` or `do` loop (`i < xs.length`); undefined for other iterations. */
export function loopCondition(node: ts.Node): ts.Expression | undefined {
  if (ts.isForStatement(node)) return node.condition;
  if (ts.isWhileStatement(node) || ts.isDoStatement(node)) return node.expression;
  return undefined;
}

/**
 * What a loop walks: the `for…of`/`for…in` expression or the callback's receiver, and for an
 * index loop the list its bound reads (`xs` of `for (let i = 0; i < xs.length; i++)`, or of a
 * count-down from `xs.length - 1`). Undefined for `while` loops and counted loops over numbers.
 */
export function walkedCollection(iteration: Iteration): ts.Expression | undefined {
  if (iteration.collection) return iteration.collection;
  if (!ts.isForStatement(iteration.node)) return undefined;
  const loop = iteration.node;
  const lengthOf = (node: ts.Node | undefined): ts.Expression | undefined => {
    let found: ts.Expression | undefined;
    const visit = (current: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(current) && current.name.text === 'length') {
        const list = skipParens(current.expression);
        if (ts.isIdentifier(list) || ts.isPropertyAccessExpression(list)) found = list;
        return;
      }
      if (isFunctionLike(current)) return;
      ts.forEachChild(current, visit);
    };
    if (node) visit(node);
    return found;
  };
  return lengthOf(loop.condition) ?? lengthOf(loop.initializer);
}
