/**
 * What every rewrite family shares: a snippet (an example's file and the other files of its in-memory project),
 * parsing it, text edits by node positions, fresh names, and the few syntactic facts the rewrites need to keep
 * meaning (is this list an array? does this body jump out?). No regular expression ever touches code.
 */
import { ts } from '../../../src/analyzers/ts';

/** An example as the engine sees it: the file it pretends to be, its code, and the project's other files. */
export interface Snippet {
  filename: string;
  code: string;
  /** Other files of the in-memory project, by name (a helper moved out lives here). */
  files: Readonly<Record<string, string>>;
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

function scriptKind(filename: string): ts.ScriptKind {
  if (/\.tsx$/.test(filename)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(filename)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(filename)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

export function parse(code: string, filename: string): ts.SourceFile {
  return ts.createSourceFile(filename, code, ts.ScriptTarget.Latest, true, scriptKind(filename));
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(code: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let text = code;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error('overlapping rewrite edits');
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    limit = edit.start;
  }
  return text;
}

/**
 * Rewrites one site at a time until none is left: each step parses the current text, so nested sites (a loop in a
 * loop) are rewritten on the text the previous step printed. `step` returns the edits of one site, or undefined.
 * Undefined when no site was found (the rewrite does not apply).
 */
export function rewriteEach(code: string, filename: string, step: (file: ts.SourceFile) => Edit[] | undefined): string | undefined {
  let text = code;
  for (let count = 0; count < 50; count++) {
    const edits = step(parse(text, filename));
    if (!edits) return count === 0 ? undefined : text;
    text = applyEdits(text, edits);
  }
  throw new Error('a rewrite did not converge in 50 steps');
}

/** Every node of the file, depth first, parents before children. */
export function descendants(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    out.push(n);
    n.forEachChild(visit);
  };
  node.forEachChild(visit);
  return out;
}

/** A name not used anywhere in the file: `base`, else `base2`, `base3`… */
export function freshName(file: ts.SourceFile, base: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set(
    descendants(file)
      .filter(ts.isIdentifier)
      .map((id) => id.text),
  );
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}${n}`;
    if (!used.has(name) && !taken.has(name)) return name;
  }
}

/**
 * Whether `body` leaves its own block other than by finishing: return, break, continue, yield, or await (an await
 * moved into a callback stops pausing the loop). Nested functions are their own business.
 */
export function jumpsOut(body: ts.Node, kinds: { await?: boolean } = { await: true }): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) || ts.isBreakStatement(n) || ts.isContinueStatement(n) || ts.isYieldExpression(n)) found = true;
    if (kinds.await !== false && ts.isAwaitExpression(n)) found = true;
    if (ts.isForOfStatement(n) && n.awaitModifier) found = true;
    n.forEachChild(visit);
  };
  visit(body);
  return found;
}

/** Whether `node` says `this` or `arguments`, which change meaning when code moves into or out of an arrow. */
export function usesThisOrArguments(node: ts.Node): boolean {
  return descendants(node).some(
    (n) => n.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(n) && n.text === 'arguments' && !isPropertyName(n)),
  );
}

/** An identifier that names a property or a type, not a value binding. */
export function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === id) ||
    (ts.isPropertyAssignment(p) && p.name === id) ||
    ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p)) && p.name === id) ||
    ((ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p)) && p.name === id) ||
    (ts.isQualifiedName(p) && p.right === id) ||
    (ts.isBindingElement(p) && p.propertyName === id) ||
    ts.isJsxAttribute(p) ||
    (ts.isImportSpecifier(p) && p.propertyName === id) ||
    (ts.isExportSpecifier(p) && p.propertyName === id) ||
    ts.isLabeledStatement(p) ||
    ts.isBreakOrContinueStatement(p) ||
    ts.isTypeReferenceNode(p) ||
    ts.isExpressionWithTypeArguments(p) ||
    ts.isTypeAliasDeclaration(p) ||
    ts.isInterfaceDeclaration(p) ||
    ts.isTypeParameterDeclaration(p)
  );
}

/** The value references to `name` in the file (declarations included). */
export function valueIdentifiers(file: ts.Node, name: string): ts.Identifier[] {
  return descendants(file).filter((n): n is ts.Identifier => ts.isIdentifier(n) && n.text === name && !isPropertyName(n));
}

const ARRAY_RESULT_METHODS = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'split', 'toSorted', 'toReversed']);

/**
 * Whether the code itself shows that `expr` is an array: a literal, the result of `map`/`filter`/`Array.from`/
 * `Object.keys`…, or a binding declared once with an array type or such an initializer. A `for…of` over a Map and a
 * `forEach` over a Map mean different things, so the loop rewrites apply only where this holds.
 */
export function isKnownArray(expr: ts.Expression, file: ts.SourceFile, depth = 0): boolean {
  if (depth > 4) return false;
  const e = skipOuter(expr);
  if (ts.isArrayLiteralExpression(e)) return true;
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const owner = callee.expression;
      if (ts.isIdentifier(owner) && owner.text === 'Array' && name === 'from') return true;
      if (ts.isIdentifier(owner) && owner.text === 'Object' && ['keys', 'values', 'entries'].includes(name)) return true;
      if (ARRAY_RESULT_METHODS.has(name) && name !== 'split' && name !== 'concat') return isKnownArray(owner, file, depth + 1);
      if (name === 'split') return true;
    }
    return false;
  }
  if (!ts.isIdentifier(e)) return false;
  const declarations = descendants(file).filter(
    (n): n is ts.VariableDeclaration | ts.ParameterDeclaration =>
      (ts.isVariableDeclaration(n) || ts.isParameter(n)) && ts.isIdentifier(n.name) && n.name.text === e.text,
  );
  if (declarations.length !== 1) return false;
  const [declaration] = declarations;
  if (declaration.type) return isArrayType(declaration.type);
  return declaration.initializer !== undefined && isKnownArray(declaration.initializer, file, depth + 1);
}

function isArrayType(type: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type)) return isArrayType(type.type);
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && ['Array', 'ReadonlyArray'].includes(type.typeName.text);
}

function skipOuter(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) {
    e = e.expression;
  }
  return e;
}

/** The statement list a statement sits in, when it sits directly in one (a block, a file, a case). */
export function inStatementList(statement: ts.Statement): boolean {
  const p = statement.parent;
  return ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isModuleBlock(p);
}

/** The body of a loop or function as the statements inside its braces, for code that wraps or prefixes it. */
export function blockInner(statement: ts.Statement, file: ts.SourceFile): string {
  if (ts.isBlock(statement)) {
    return file.text.slice(statement.getStart(file) + 1, statement.getEnd() - 1);
  }
  return `\n${statement.getText(file)}\n`;
}
