/**
 * "Is this `for` or `while` loop a walk over a list's items?" — the index forms of `for…of`:
 *
 *   for (let i = 0; i < list.length; i++) { const x = list[i]; … }
 *   for (let i = list.length - 1; i >= 0; i--) { const x = list[i]; … }
 *   let i = 0; while (i < list.length) { const x = list[i++]; … }
 *
 * Each runs its body once per item of `list`, and `x` is bound to the item as a `for…of` variable
 * would be. Rules ask `iterationsAround` (loops.ts), which attaches what is found here, so every rule
 * that asks "does this run once per item of a collection?" sees the index forms too.
 *
 * Not an index walk: a stepped counter (`i += 100`: batches), a bound that is not a list's length
 * (`i < 3`, `page < pages`), a condition that also tests something else (`i < xs.length && !found`:
 * the loop says it may stop early), a counter the body changes other than by one step.
 */
import { ts } from '../ts';
import { boundNames, isFunctionLike, isWriteReference, skipParens } from './ast';

const SK = ts.SyntaxKind;

export interface IndexWalk {
  /** The counter: `i`. */
  counter: string;
  /** The list whose length bounds the counter: `list`, `this.items`, `order.lines`. */
  collection: ts.Expression;
  /** Names the body binds to the current item: `x` of `const x = list[i]` / `list[i++]`, destructured names too. */
  elements: string[];
}

type IndexLoop = ts.ForStatement | ts.WhileStatement | ts.DoStatement;

const cache = new WeakMap<IndexLoop, IndexWalk | null>();

/** The index walk a loop is, if it is one (see the file's comment). */
export function indexWalk(loop: IndexLoop): IndexWalk | undefined {
  const cached = cache.get(loop);
  if (cached !== undefined) return cached ?? undefined;
  const found = ts.isForStatement(loop) ? forWalk(loop) : whileWalk(loop);
  cache.set(loop, found ?? null);
  return found;
}

/** `for (let i = 0; i < xs.length; i++)`, or the count-down `for (let i = xs.length - 1; i >= 0; i--)`. */
function forWalk(loop: ts.ForStatement): IndexWalk | undefined {
  if (!loop.condition || !loop.incrementor) return undefined;
  const step = unitStep(loop.incrementor);
  if (!step) return undefined;
  const counter = step.counter;
  if (step.direction === 1) {
    const collection = boundByLength(loop.condition, counter);
    if (!collection) return undefined;
    return walk(loop.statement, counter, collection, false);
  }
  // Counting down: the list is named by the start value, the condition only stops at zero.
  const start = initialValue(loop.initializer, counter);
  const collection = start && lengthMinusOne(start);
  if (!collection || !stopsAtZero(loop.condition, counter)) return undefined;
  return walk(loop.statement, counter, collection, false);
}

/** `while (i < xs.length) { … xs[i++] … }` (or `i++` / `i += 1` once in the body), and its `do … while` twin. */
function whileWalk(loop: ts.WhileStatement | ts.DoStatement): IndexWalk | undefined {
  const condition = skipParens(loop.expression);
  if (!ts.isBinaryExpression(condition)) return undefined;
  const counterNode = skipParens(condition.operatorToken.kind === SK.GreaterThanToken ? condition.right : condition.left);
  if (!ts.isIdentifier(counterNode)) return undefined;
  const collection = boundByLength(condition, counterNode.text);
  if (!collection) return undefined;
  return walk(loop.statement, counterNode.text, collection, true);
}

/**
 * The body's part: the counter is written only by single steps — exactly one of them in a `while`
 * body (which has no incrementor of its own), none in a `for` body — and the names bound to `list[i]`.
 */
function walk(body: ts.Statement, counter: string, collection: ts.Expression, stepsInBody: boolean): IndexWalk | undefined {
  const listText = skipParens(collection).getText();
  let steps = 0;
  let otherWrites = false;
  const elements: string[] = [];
  const visit = (node: ts.Node): void => {
    if (otherWrites) return;
    // A callback that moves the counter runs at unknown times: not a plain walk.
    if (ts.isIdentifier(node) && node.text === counter && isWriteReference(node)) {
      if (stepOf(node) === 1 && !isFunctionLikeBetween(node, body)) steps++;
      else otherWrites = true;
      return;
    }
    if (ts.isVariableDeclaration(node) && node.initializer && isItemRead(node.initializer, counter, listText))
      boundNames(node.name, elements);
    ts.forEachChild(node, visit);
  };
  visit(body);
  if (otherWrites || steps !== (stepsInBody ? 1 : 0)) return undefined;
  return { counter, collection, elements };
}

/** `xs[i]` or `xs[i++]`, the list being the one the loop walks. */
function isItemRead(initializer: ts.Expression, counter: string, listText: string): boolean {
  const read = skipParens(initializer);
  if (!ts.isElementAccessExpression(read) || read.questionDotToken) return false;
  let index = skipParens(read.argumentExpression);
  if (ts.isPostfixUnaryExpression(index) && index.operator === SK.PlusPlusToken) index = skipParens(index.operand);
  return ts.isIdentifier(index) && index.text === counter && skipParens(read.expression).getText() === listText;
}

function isFunctionLikeBetween(node: ts.Node, body: ts.Node): boolean {
  for (let current = node.parent; current && current !== body; current = current.parent) if (isFunctionLike(current)) return true;
  return false;
}

/** `i++`, `++i`, `i += 1`, `i = i + 1` → +1; the `--`/`-= 1` forms → -1. */
function unitStep(expression: ts.Expression): { counter: string; direction: 1 | -1 } | undefined {
  const inner = skipParens(expression);
  const target =
    ts.isPrefixUnaryExpression(inner) || ts.isPostfixUnaryExpression(inner)
      ? skipParens(inner.operand)
      : ts.isBinaryExpression(inner)
        ? skipParens(inner.left)
        : undefined;
  if (!target || !ts.isIdentifier(target)) return undefined;
  const direction = stepOf(target);
  return direction ? { counter: target.text, direction } : undefined;
}

/** How the write at `identifier` moves it: +1, -1, or undefined for anything else (`i = 0`, `i += 2`). */
function stepOf(identifier: ts.Identifier): 1 | -1 | undefined {
  const parent = identifier.parent;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent))
    return parent.operator === SK.PlusPlusToken ? 1 : parent.operator === SK.MinusMinusToken ? -1 : undefined;
  if (!ts.isBinaryExpression(parent) || parent.left !== identifier) return undefined;
  const right = skipParens(parent.right);
  const isOne = (node: ts.Expression): boolean => ts.isNumericLiteral(skipParens(node)) && skipParens(node).getText() === '1';
  if (parent.operatorToken.kind === SK.PlusEqualsToken && isOne(right)) return 1;
  if (parent.operatorToken.kind === SK.MinusEqualsToken && isOne(right)) return -1;
  if (parent.operatorToken.kind === SK.EqualsToken && ts.isBinaryExpression(right)) {
    const left = skipParens(right.left);
    if (!ts.isIdentifier(left) || left.text !== identifier.text || !isOne(right.right)) return undefined;
    if (right.operatorToken.kind === SK.PlusToken) return 1;
    if (right.operatorToken.kind === SK.MinusToken) return -1;
  }
  return undefined;
}

/** The list in `i < xs.length`, `i <= xs.length - 1`, `i !== xs.length`, `xs.length > i`. */
function boundByLength(condition: ts.Expression, counter: string): ts.Expression | undefined {
  const inner = skipParens(condition);
  if (!ts.isBinaryExpression(inner)) return undefined;
  const op = inner.operatorToken.kind;
  const isCounter = (node: ts.Expression): boolean =>
    ts.isIdentifier(skipParens(node)) && (skipParens(node) as ts.Identifier).text === counter;
  if ((op === SK.LessThanToken || op === SK.ExclamationEqualsEqualsToken || op === SK.ExclamationEqualsToken) && isCounter(inner.left))
    return lengthOf(inner.right);
  if (op === SK.LessThanEqualsToken && isCounter(inner.left)) return lengthMinusOne(inner.right);
  if (op === SK.GreaterThanToken && isCounter(inner.right)) return lengthOf(inner.left);
  return undefined;
}

/** `xs` of `xs.length`, when `xs` is a name or a chain of property reads (stable enough to index). */
function lengthOf(expression: ts.Expression): ts.Expression | undefined {
  const inner = skipParens(expression);
  if (!ts.isPropertyAccessExpression(inner) || inner.name.text !== 'length') return undefined;
  const list = skipParens(inner.expression);
  return isNameChain(list) ? list : undefined;
}

function lengthMinusOne(expression: ts.Expression): ts.Expression | undefined {
  const inner = skipParens(expression);
  if (!ts.isBinaryExpression(inner) || inner.operatorToken.kind !== SK.MinusToken) return undefined;
  const one = skipParens(inner.right);
  return ts.isNumericLiteral(one) && one.text === '1' ? lengthOf(inner.left) : undefined;
}

function isNameChain(node: ts.Expression): boolean {
  if (ts.isIdentifier(node) || node.kind === SK.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(node) && !node.questionDotToken && isNameChain(skipParens(node.expression));
}

function initialValue(initializer: ts.ForInitializer | undefined, counter: string): ts.Expression | undefined {
  if (!initializer) return undefined;
  if (ts.isVariableDeclarationList(initializer)) {
    const declaration = initializer.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === counter);
    return declaration?.initializer;
  }
  const inner = skipParens(initializer);
  if (
    ts.isBinaryExpression(inner) &&
    inner.operatorToken.kind === SK.EqualsToken &&
    ts.isIdentifier(inner.left) &&
    inner.left.text === counter
  )
    return inner.right;
  return undefined;
}

/** `i >= 0`, `i > -1`, `0 <= i`. */
function stopsAtZero(condition: ts.Expression, counter: string): boolean {
  const inner = skipParens(condition);
  if (!ts.isBinaryExpression(inner)) return false;
  const side = (node: ts.Expression): string => skipParens(node).getText();
  const op = inner.operatorToken.kind;
  if (side(inner.left) === counter)
    return (op === SK.GreaterThanEqualsToken && side(inner.right) === '0') || (op === SK.GreaterThanToken && side(inner.right) === '-1');
  return op === SK.LessThanEqualsToken && side(inner.left) === '0' && side(inner.right) === counter;
}
