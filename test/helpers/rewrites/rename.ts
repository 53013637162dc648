/**
 * Family 8, rename bindings: every local value binding declared once in the file (variables, parameters, loop
 * variables, functions and classes not exported) takes a neutral name (`v1`, `v2`…), at its declaration and every
 * reference. Imports and exports keep their names (they are the module's interface); a shorthand property keeps its
 * key (`{ user }` becomes `{ user: v1 }`), a destructured property too (`{ user }` binds as `{ user: v1 }`).
 */
import { ts } from '../../../src/analyzers/ts';
import { applyEdits, descendants, freshName, isPropertyName, parse, valueIdentifiers, type Edit, type Snippet } from './source';

function declaredName(node: ts.Node): ts.Identifier | undefined {
  if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) return node.name;
  if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) return node.name;
  return undefined;
}

function isExported(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
    if ((ts.isVariableStatement(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && ts.canHaveModifiers(n)) {
      return ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
    }
    if (ts.isParameter(n) || ts.isBlock(n)) return false;
  }
  return false;
}

export function renameVariants(snippet: Snippet): Snippet[] {
  const file = parse(snippet.code, snippet.filename);
  const nodes = descendants(file);
  const exportedByList = new Set(nodes.filter(ts.isExportSpecifier).map((s) => (s.propertyName ?? s.name).getText(file)));
  const exportAssigned = new Set(
    nodes.filter(ts.isExportAssignment).flatMap((e) => (ts.isIdentifier(e.expression) ? [e.expression.text] : [])),
  );
  const counts = new Map<string, number>();
  const declarations: ts.Identifier[] = [];
  for (const node of nodes) {
    const name = declaredName(node);
    if (!name) continue;
    counts.set(name.text, (counts.get(name.text) ?? 0) + 1);
    if (!isExported(node) && name.text !== 'this') declarations.push(name);
  }
  const taken = new Set<string>();
  const edits: Edit[] = [];
  for (const declaration of declarations) {
    const old = declaration.text;
    if (counts.get(old) !== 1 || exportedByList.has(old) || exportAssigned.has(old)) continue;
    const renamed = freshName(file, `v${taken.size + 1}`, taken);
    taken.add(renamed);
    for (const id of valueIdentifiers(file, old)) {
      const parent = id.parent;
      // Types live in another namespace; `typeof x` is a value read.
      if (ts.isTypeReferenceNode(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent))
        continue;
      if (ts.isShorthandPropertyAssignment(parent)) edits.push({ start: id.getStart(file), end: id.getEnd(), text: `${old}: ${renamed}` });
      else if (ts.isBindingElement(parent) && parent.name === id && !parent.propertyName && ts.isObjectBindingPattern(parent.parent)) {
        edits.push({ start: id.getStart(file), end: id.getEnd(), text: `${old}: ${renamed}` });
      } else if (!isPropertyName(id)) edits.push({ start: id.getStart(file), end: id.getEnd(), text: renamed });
    }
  }
  if (edits.length === 0) return [];
  return [{ ...snippet, code: applyEdits(snippet.code, edits) }];
}
