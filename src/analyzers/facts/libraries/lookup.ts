/**
 * Shapes the descriptors' batched lookups are read from (`{ where: { id: x } }`, one plain key),
 * and the import a batched call may need (`In` from typeorm, `inArray` from drizzle-orm): the name
 * it goes by in the file, and the edit that imports it when nothing does yet.
 */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import type { FileFacts } from '../fileFacts';
import type { TextEdit } from '../../finding';

export const byField = (row: string, key: string): string => `${row}.${key}`;
export const asIs = (key: string): string => key;

/** `{ where: X }` and no other option (`select`, `include`, `relations`, `transaction`… change what comes back): X. */
export function whereOnly(options: ts.Expression): ts.Expression | undefined {
  const only = onlyProperty(options);
  return only && only.name === 'where' ? only.value : undefined;
}

/** `{ key: value }` / `{ key }` with exactly one plain field whose value is not itself a filter object or list. */
export function oneKey(filter: ts.Expression | undefined): { key: string; keyExpression: ts.Expression } | undefined {
  const only = filter && onlyProperty(filter);
  // `$or`, `AND`, `OR`, `NOT`: a combination of filters; `{ id: { gt: 1 } }`, a compound unique key or a list: not one value.
  if (!only || only.name.startsWith('$') || /^(AND|OR|NOT)$/.test(only.name) || isLiteralObject(only.value)) return undefined;
  return { key: only.name, keyExpression: only.value };
}

function onlyProperty(object: ts.Expression): { name: string; value: ts.Expression } | undefined {
  const inner = skipParens(object);
  if (!ts.isObjectLiteralExpression(inner) || inner.properties.length !== 1) return undefined;
  const property = inner.properties[0];
  // An identifier name only: the key is written back as `row.key`.
  if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) return { name: property.name.text, value: property.initializer };
  if (ts.isShorthandPropertyAssignment(property) && !property.objectAssignmentInitializer)
    return { name: property.name.text, value: property.name };
  return undefined;
}

export function isLiteralObject(expression: ts.Expression): boolean {
  const inner = skipParens(expression);
  return ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner);
}

/**
 * The name the export `name` of `module` goes by in this file, and the edits that import it when
 * nothing does yet (into an existing import or `require` of the module, else on a line of its own).
 * Undefined when a different binding already uses the name: no rewrite is offered then.
 */
export function importedName(file: FileFacts, module: string, name: string): { name: string; edits: TextEdit[] } | undefined {
  const statements = file.sourceFile.statements;
  let namedImport: ts.NamedImports | undefined;
  let requirePattern: ts.ObjectBindingPattern | undefined;
  let lastImport: ts.Statement | undefined;
  for (const statement of statements) {
    if (ts.isImportDeclaration(statement)) {
      lastImport = statement;
      const clause = statement.importClause;
      if (constantString(statement.moduleSpecifier) !== module || !clause || clause.isTypeOnly) continue;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) return { name: `${bindings.name.text}.${name}`, edits: [] };
      if (bindings && ts.isNamedImports(bindings)) {
        const existing = bindings.elements.find((element) => !element.isTypeOnly && (element.propertyName ?? element.name).text === name);
        if (existing) return hasOtherBinding(file, existing.name.text, existing.name) ? undefined : { name: existing.name.text, edits: [] };
        namedImport ??= bindings;
      }
      continue;
    }
    // const { Repository } = require('typeorm')
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!declaration.initializer || requiredModule(declaration.initializer) !== module) continue;
        if (ts.isIdentifier(declaration.name)) return { name: `${declaration.name.text}.${name}`, edits: [] };
        if (!ts.isObjectBindingPattern(declaration.name)) continue;
        const existing = declaration.name.elements.find(
          (element) =>
            ts.isIdentifier(element.name) &&
            ((element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName : element.name) as ts.Identifier)
              .text === name,
        );
        if (existing && ts.isIdentifier(existing.name))
          return hasOtherBinding(file, existing.name.text, existing.name) ? undefined : { name: existing.name.text, edits: [] };
        if (!declaration.name.elements.some((element) => element.dotDotDotToken)) requirePattern ??= declaration.name;
      }
    }
  }
  if (hasOtherBinding(file, name)) return undefined;
  if (namedImport) return { name, edits: [appendTo(namedImport.elements, name)] };
  if (requirePattern) return { name, edits: [appendTo(requirePattern.elements, name)] };
  const newline = file.text.includes('\r\n') ? '\r\n' : '\n';
  if (lastImport) {
    const quote = file.text.charAt(file.start((lastImport as ts.ImportDeclaration).moduleSpecifier));
    const semicolon = file.text.charAt(lastImport.end - 1) === ';' ? ';' : '';
    return {
      name,
      edits: [
        { start: lastImport.end, end: lastImport.end, newText: `${newline}import { ${name} } from ${quote}${module}${quote}${semicolon}` },
      ],
    };
  }
  // No imports at all: a CommonJS script requires; anything else imports.
  const first = statements.find((statement) => !isDirective(statement));
  const at = first ? file.start(first) : file.text.length;
  const commonJs =
    /\.c?jsx?$/.test(file.fileName) && !/\.mjs$/.test(file.fileName) && /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(file.text);
  const line = commonJs ? `const { ${name} } = require('${module}');` : `import { ${name} } from '${module}';`;
  return { name, edits: [{ start: at, end: at, newText: `${line}${newline}${first ? newline : ''}` }] };
}

/** True when one of `names` is imported from `module` in this file (`In` or `Equal` from typeorm). */
export function usesImportFrom(names: Iterable<string>, module: string, file: FileFacts): boolean {
  for (const name of names) if (file.imports.get(name)?.module === module) return true;
  return false;
}

/** `, name` after the last element of `{ A, B }` (before a trailing comma, if any). */
function appendTo(elements: ts.NodeArray<ts.Node>, name: string): TextEdit {
  const end = elements.length > 0 ? elements[elements.length - 1].end : elements.pos;
  return { start: end, end, newText: elements.length > 0 ? `, ${name}` : ` ${name} ` };
}

function requiredModule(expression: ts.Expression): string | undefined {
  const inner = skipParens(expression);
  if (!ts.isCallExpression(inner) || !ts.isIdentifier(inner.expression) || inner.expression.text !== 'require') return undefined;
  return inner.arguments[0] ? constantString(inner.arguments[0]) : undefined;
}

function isDirective(statement: ts.Statement): boolean {
  return ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression);
}

/** True when an identifier named `name` other than `except` appears anywhere in the file (declared, imported or used). */
function hasOtherBinding(file: FileFacts, name: string, except?: ts.Identifier): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name && node !== except) {
      // The uses of the import we keep are fine; any declaration of the name elsewhere is not.
      found = !except || isDeclarationName(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
  return found;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isImportEqualsDeclaration(parent))
    return true;
  if ((ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isParameter(parent)) && parent.name === node) return true;
  if (
    (ts.isFunctionDeclaration(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isEnumDeclaration(parent) ||
      ts.isInterfaceDeclaration(parent) ||
      ts.isTypeAliasDeclaration(parent) ||
      ts.isModuleDeclaration(parent)) &&
    parent.name === node
  )
    return true;
  if ((ts.isFunctionExpression(parent) || ts.isClassExpression(parent)) && parent.name === node) return true;
  return false;
}
