/**
 * Family 6, destructuring ↔ property access. `const { a, b: c } = obj;` becomes `const a = obj.a; const c = obj.b;`
 * (only when `obj` is a name or a chain of names: reading it twice is reading it once), a destructured loop
 * variable `for (const { a } of list)` becomes `for (const item of list) { const a = item.a; … }`, and
 * `const a = obj.a;` becomes `const { a } = obj;`. No defaults, rests or nesting: those read differently.
 */
import { ts } from '../../../src/analyzers/ts';
import { blockInner, descendants, freshName, inStatementList, rewriteEach, type Edit, type Snippet } from './source';

function isNameChain(expr: ts.Expression): boolean {
  if (ts.isIdentifier(expr) || expr.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(expr) && !expr.questionDotToken && isNameChain(expr.expression);
}

/** `{ a, b: c }` as [property, binding] pairs, when every element is that simple. */
function simplePattern(pattern: ts.BindingName): Array<[string, string]> | undefined {
  if (!ts.isObjectBindingPattern(pattern) || pattern.elements.length === 0) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const element of pattern.elements) {
    if (element.dotDotDotToken || element.initializer || !ts.isIdentifier(element.name)) return undefined;
    const property = element.propertyName ?? element.name;
    if (!ts.isIdentifier(property)) return undefined;
    pairs.push([property.text, element.name.text]);
  }
  return pairs;
}

function toAccess(file: ts.SourceFile): Edit[] | undefined {
  for (const node of descendants(file)) {
    if (ts.isVariableStatement(node) && inStatementList(node) && node.declarationList.declarations.length === 1) {
      const [declaration] = node.declarationList.declarations;
      const pairs = simplePattern(declaration.name);
      if (!pairs || !declaration.initializer || !isNameChain(declaration.initializer) || declaration.type) continue;
      const keyword = node.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
      const exported = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ? 'export ' : '';
      const source = declaration.initializer.getText(file);
      const text = pairs.map(([property, name]) => `${exported}${keyword} ${name} = ${source}.${property};`).join('\n');
      return [{ start: node.getStart(file), end: node.getEnd(), text }];
    }
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer) && node.initializer.declarations.length === 1) {
      const [declaration] = node.initializer.declarations;
      const pairs = simplePattern(declaration.name);
      if (!pairs) continue;
      const item = freshName(file, 'item');
      const reads = pairs.map(([property, name]) => `const ${name} = ${item}.${property};`).join('\n');
      const keyword = node.initializer.flags & ts.NodeFlags.Const ? 'const' : 'let';
      return [
        { start: declaration.name.getStart(file), end: declaration.name.getEnd(), text: item },
        {
          start: node.statement.getStart(file),
          end: node.statement.getEnd(),
          text: `{\n${reads.replaceAll('const ', `${keyword} `)}${blockInner(node.statement, file)}}`,
        },
      ];
    }
  }
  return undefined;
}

function toDestructuring(file: ts.SourceFile): Edit[] | undefined {
  for (const node of descendants(file)) {
    if (!ts.isVariableStatement(node) || !inStatementList(node) || node.declarationList.declarations.length !== 1) continue;
    const [declaration] = node.declarationList.declarations;
    const init = declaration.initializer;
    if (!ts.isIdentifier(declaration.name) || declaration.type || !init || !ts.isPropertyAccessExpression(init)) continue;
    if (init.questionDotToken || !ts.isIdentifier(init.name) || ts.isPrivateIdentifier(init.name)) continue;
    const keyword = node.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
    const exported = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ? 'export ' : '';
    const property = init.name.text;
    const pattern = property === declaration.name.text ? property : `${property}: ${declaration.name.text}`;
    return [
      { start: node.getStart(file), end: node.getEnd(), text: `${exported}${keyword} { ${pattern} } = ${init.expression.getText(file)};` },
    ];
  }
  return undefined;
}

export function destructuringVariants(snippet: Snippet): Snippet[] {
  return [toAccess, toDestructuring]
    .map((step) => rewriteEach(snippet.code, snippet.filename, step))
    .filter((code): code is string => code !== undefined)
    .map((code) => ({ ...snippet, code }));
}
