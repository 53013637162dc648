/**
 * "Is this node executed once per item?" — the question most rules start from. A node is
 * repeated when it sits in the repeated part of a loop statement (body, condition, update) or in
 * a callback handed to an iteration method (`items.map(cb)`, `Array.from(x, cb)`).
 */
import { ts } from '../ts';
import { boundNames, calleeName, isFunctionLike, receiverOf, skipParens } from './ast';

const SK = ts.SyntaxKind;

/** Array (and array-like) methods whose callback runs once per element. */
export const ITERATION_METHODS: ReadonlySet<string> = new Set([
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
  /** What is iterated, when known: the `for…of`/`for…in` expression, the callback's receiver. */
  collection?: ts.Expression;
  /** Names bound per iteration: the loop variables or the callback's parameters. */
  variables: string[];
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
    return { kind: 'callback', node: fn, call, method, collection: receiver, variables: parameterNames(fn) };
  }
  if (method === 'from' && index === 1 && ts.isIdentifier(skipParens(receiver)) && (skipParens(receiver) as ts.Identifier).text === 'Array') {
    return { kind: 'callback', node: fn, call, method, collection: call.arguments[0], variables: parameterNames(fn) };
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
      const variables: string[] = [];
      if (loop.initializer && ts.isVariableDeclarationList(loop.initializer)) {
        for (const declaration of loop.initializer.declarations) boundNames(declaration.name, variables);
      }
      return { kind: 'for', node: loop, variables };
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
        collection: loop.expression,
        variables,
      };
    }
    case SK.WhileStatement:
      return { kind: 'while', node: parent, variables: [] };
    case SK.DoStatement:
      return { kind: 'do', node: parent, variables: [] };
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

/** True for `while (true)`, `for (;;)`, `do … while (true)`. */
export function isUnconditionalLoop(loop: ts.Node): boolean {
  if (ts.isForStatement(loop)) return !loop.condition || loop.condition.kind === SK.TrueKeyword;
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return skipParens(loop.expression).kind === SK.TrueKeyword;
  return false;
}
