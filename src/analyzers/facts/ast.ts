/**
 * Small, allocation-light helpers over the raw TypeScript AST. Rules and facts use these
 * instead of re-deriving shapes (`a.b.c(...)`, parentheses, function boundaries).
 */
import { ts } from '../ts';

const SK = ts.SyntaxKind;

export function skipParens(node: ts.Expression): ts.Expression {
  // By kind number, not five ts.isX calls: this runs for nearly every node a rule looks at.
  let current = node;
  for (;;) {
    switch (current.kind) {
      case SK.ParenthesizedExpression:
      case SK.AsExpression:
      case SK.NonNullExpression:
      case SK.SatisfiesExpression:
      case SK.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return current;
    }
  }
}

/** Walks up through parentheses and type assertions. */
export function skipParensUp(node: ts.Node): ts.Node {
  let current = node;
  while (
    current.parent &&
    (ts.isParenthesizedExpression(current.parent) ||
      ts.isAsExpression(current.parent) ||
      ts.isNonNullExpression(current.parent) ||
      ts.isSatisfiesExpression(current.parent))
  ) {
    current = current.parent;
  }
  return current;
}

/** Walks up through parentheses only (not type assertions). */
export function skipOnlyParensUp(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  switch (node.kind) {
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
      return true;
    default:
      return false;
  }
}

export function isAsyncFunction(fn: FunctionLike): boolean {
  return hasModifier(fn, SK.AsyncKeyword);
}

/** True when `fn` reads its own `arguments`: it may see more values than its parameters declare. */
export function readsArguments(fn: FunctionLike): boolean {
  // An arrow has no `arguments` of its own, and a nested function's are not `fn`'s.
  if (ts.isArrowFunction(fn)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === 'arguments') found = true;
    else if (!(isFunctionLike(node) && !ts.isArrowFunction(node))) ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** `return`/`throw`, or a block that ends in one: after `if (test) <this>`, the code runs only when `test` failed. */
export function endsInReturnOrThrow(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && endsInReturnOrThrow(last);
  }
  return false;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return !!modifiers?.some((m) => m.kind === kind);
}

export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/** Name of the called method or function: `c` for `a.b.c()`, `f` for `f()`, `x` for `a?.x()`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    return callee.argumentExpression.text;
  }
  return undefined;
}

/** The object a method is called on: `a.b` for `a.b.c()`; undefined for a plain call. */
export function receiverOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipParens(call.expression);
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) return callee.expression;
  return undefined;
}

/**
 * The dotted path of an access chain, `this.repo.find` or `prisma.user.findMany`; calls in
 * the chain become `()`: `knex('users').where` → `knex().where`. Undefined for other shapes.
 */
export function dottedName(expr: ts.Expression): string | undefined {
  const node = skipParens(expr);
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === SK.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  if (ts.isCallExpression(node)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}()`;
  }
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}.${node.argumentExpression.text}`;
  }
  return undefined;
}

/** The identifier (or `this`) an access/call chain starts from. */
export function chainRoot(expr: ts.Expression): ts.Identifier | ts.ThisExpression | undefined {
  let node = skipParens(expr);
  for (;;) {
    if (ts.isIdentifier(node)) return node;
    if (node.kind === SK.ThisKeyword) return node as ts.ThisExpression;
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
      node = skipParens(node.expression);
      continue;
    }
    if (ts.isTaggedTemplateExpression(node)) {
      node = skipParens(node.tag);
      continue;
    }
    return undefined;
  }
}

export function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  return node.pos >= ancestor.pos && node.end <= ancestor.end && node.getSourceFile() === ancestor.getSourceFile();
}

/** Start offset without leading trivia (cheaper than getStart() when the source file is known). */
export function startOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return node.getStart(sourceFile);
}

/** Every identifier name referenced inside `node` (not property names after a dot). */
export function referencedNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current)) {
      const parent = current.parent;
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === current) return;
      if (parent && ts.isPropertyAssignment(parent) && parent.name === current) return;
      names.add(current.text);
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return names;
}

/** Names bound by a binding name (`a`, `{ a, b: c }`, `[a, ...rest]`). */
export function boundNames(name: ts.BindingName, into: string[] = []): string[] {
  if (ts.isIdentifier(name)) into.push(name.text);
  else {
    for (const element of name.elements) {
      if (ts.isBindingElement(element)) boundNames(element.name, into);
    }
  }
  return into;
}

/** True when the identifier is written (assigned, incremented) at this occurrence. */
export function isWriteReference(identifier: ts.Node): boolean {
  const parent = skipParensUp(identifier).parent;
  if (!parent) return false;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return parent.left === skipParensUp(identifier) && op >= SK.FirstAssignment && op <= SK.LastAssignment;
  }
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return parent.operator === SK.PlusPlusToken || parent.operator === SK.MinusMinusToken;
  }
  return false;
}

/** A string literal or a template without substitutions. */
export function constantString(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = ts.isExpression(node) ? skipParens(node) : node;
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  return undefined;
}

export function isLiteralLike(node: ts.Expression): boolean {
  const inner = skipParens(node);
  switch (inner.kind) {
    case SK.StringLiteral:
    case SK.NoSubstitutionTemplateLiteral:
    case SK.NumericLiteral:
    case SK.BigIntLiteral:
    case SK.TrueKeyword:
    case SK.FalseKeyword:
    case SK.NullKeyword:
    case SK.RegularExpressionLiteral:
      return true;
    default:
      return false;
  }
}

/** The whitespace that indents the line `offset` is on. */
export function indentationAt(text: string, offset: number): string {
  let lineStart = offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  let end = lineStart;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(lineStart, end);
}

/** The line break style the text already uses. */
export function newlineOf(text: string): string {
  const index = text.indexOf('\n');
  return index > 0 && text.charCodeAt(index - 1) === 13 ? '\r\n' : '\n';
}
