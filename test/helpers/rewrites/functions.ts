/**
 * Family 4, function declaration ↔ arrow in a const ↔ method of an object. A declaration becomes
 * `const f = (…) => {…}` where nothing runs before it (a const is not hoisted) and it says neither `this` nor
 * `arguments`; an arrow in a const becomes a declaration; a declaration not exported becomes a method of an object
 * (`const fns = { f(…) {…} }`) and every reference reads `fns.f` (its body has no `this`, so the receiver is moot).
 */
import { ts } from '../../../src/analyzers/ts';
import { applyEdits, descendants, freshName, rewriteEach, usesThisOrArguments, valueIdentifiers, type Edit, type Snippet } from './source';

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** A declaration the family may turn into a const: a named, bodied, non-generator function with no `this`, declared once. */
function convertible(file: ts.SourceFile, fn: ts.FunctionDeclaration): boolean {
  if (
    !fn.name ||
    !fn.body ||
    fn.asteriskToken ||
    hasModifier(fn, ts.SyntaxKind.DefaultKeyword) ||
    hasModifier(fn, ts.SyntaxKind.DeclareKeyword)
  )
    return false;
  if (usesThisOrArguments(fn.body) || fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === 'this')) return false;
  const declared = descendants(file).filter((n) => ts.isFunctionDeclaration(n) && n.name?.text === fn.name!.text);
  if (declared.length !== 1) return false;
  // Nothing may run before a const is initialised: the function must sit before every statement that executes.
  const list = (fn.parent as ts.Block | ts.SourceFile).statements;
  const index = list.indexOf(fn);
  const runsBefore = list.slice(0, index).some((s) => !isDeclarationOnly(s));
  const referencedBefore = valueIdentifiers(file, fn.name.text).some((id) => id !== fn.name && id.getStart(file) < fn.getStart(file));
  return index >= 0 && !runsBefore && !referencedBefore;
}

function isDeclarationOnly(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement)) return true;
  if (ts.isTypeAliasDeclaration(statement) || ts.isEmptyStatement(statement)) return true;
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.every(
      (d) =>
        !d.initializer ||
        ts.isArrowFunction(d.initializer) ||
        ts.isFunctionExpression(d.initializer) ||
        ts.isLiteralExpression(d.initializer),
    );
  }
  return false;
}

function signature(file: ts.SourceFile, fn: ts.SignatureDeclarationBase): string {
  const typeParameters = fn.typeParameters ? `<${fn.typeParameters.map((t) => t.getText(file)).join(', ')}>` : '';
  const parameters = fn.parameters.map((p) => p.getText(file)).join(', ');
  return `${typeParameters}(${parameters})${fn.type ? `: ${fn.type.getText(file)}` : ''}`;
}

function declarationToArrow(file: ts.SourceFile): Edit[] | undefined {
  const fn = descendants(file).find((n): n is ts.FunctionDeclaration => ts.isFunctionDeclaration(n) && convertible(file, n));
  if (!fn) return undefined;
  const exported = hasModifier(fn, ts.SyntaxKind.ExportKeyword) ? 'export ' : '';
  const async = hasModifier(fn, ts.SyntaxKind.AsyncKeyword) ? 'async ' : '';
  const text = `${exported}const ${fn.name!.text} = ${async}${signature(file, fn)} => ${fn.body!.getText(file)};`;
  return [{ start: fn.getStart(file), end: fn.getEnd(), text }];
}

function arrowToDeclaration(file: ts.SourceFile): Edit[] | undefined {
  for (const statement of descendants(file)) {
    if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) continue;
    if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) continue;
    const [declaration] = statement.declarationList.declarations;
    const arrow = declaration.initializer;
    if (!ts.isIdentifier(declaration.name) || declaration.type || !arrow || !ts.isArrowFunction(arrow)) continue;
    if (usesThisOrArguments(arrow.body)) continue;
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword) ? 'export ' : '';
    const async = hasModifier(arrow, ts.SyntaxKind.AsyncKeyword) ? 'async ' : '';
    const body = ts.isBlock(arrow.body) ? arrow.body.getText(file) : `{\nreturn ${arrow.body.getText(file)};\n}`;
    const text = `${exported}${async}function ${declaration.name.text}${signature(file, arrow)} ${body}`;
    return [{ start: statement.getStart(file), end: statement.getEnd(), text }];
  }
  return undefined;
}

function declarationToMethod(file: ts.SourceFile): Edit[] | undefined {
  const fn = descendants(file).find(
    (n): n is ts.FunctionDeclaration => ts.isFunctionDeclaration(n) && !hasModifier(n, ts.SyntaxKind.ExportKeyword) && convertible(file, n),
  );
  if (!fn) return undefined;
  const name = fn.name!.text;
  const holder = freshName(file, `${name}Module`);
  const async = hasModifier(fn, ts.SyntaxKind.AsyncKeyword) ? 'async ' : '';
  const reference = (id: ts.Identifier): string =>
    ts.isShorthandPropertyAssignment(id.parent) ? `${name}: ${holder}.${name}` : `${holder}.${name}`;
  const references = valueIdentifiers(file, name).filter((id) => id !== fn.name);
  const body = fn.body!;
  const bodyStart = body.getStart(file);
  // A recursive call reads the holder too: those references are edited within the body's new text.
  const inner = references.filter((id) => id.getStart(file) >= bodyStart && id.getEnd() <= body.getEnd());
  const bodyText = applyEdits(
    body.getText(file),
    inner.map((id) => ({ start: id.getStart(file) - bodyStart, end: id.getEnd() - bodyStart, text: reference(id) })),
  );
  const outer = references.filter((id) => !inner.includes(id));
  return [
    { start: fn.getStart(file), end: fn.getEnd(), text: `const ${holder} = {\n${async}${name}${signature(file, fn)} ${bodyText},\n};` },
    ...outer.map((id) => ({ start: id.getStart(file), end: id.getEnd(), text: reference(id) })),
  ];
}

export function functionFormVariants(snippet: Snippet): Snippet[] {
  return [declarationToArrow, arrowToDeclaration, declarationToMethod]
    .map((step) => rewriteEach(snippet.code, snippet.filename, step))
    .filter((code): code is string => code !== undefined)
    .map((code) => ({ ...snippet, code }));
}
