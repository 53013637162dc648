/**
 * The by-key lookups query-in-loop can rewrite into one batched read. For each library: how the
 * per-item call is written when it clearly looks one row up by one key and nothing else, how to
 * fetch every row for a list of keys in one call, and how to key a row so the loop can find it in
 * a Map. The loop, statement and key-depends-on-the-item conditions stay in the rule: they are the
 * same for every library.
 *
 * Every library here answers a missing row with `null`, which is what the rule's `?? null` gives.
 */
import { ts } from '../../ts';
import { constantString, referencedNames, skipParens } from '../../facts/ast';
import type { ClientCall } from '../../facts/clients';
import type { FileFacts } from '../../facts/fileFacts';
import type { TextEdit } from '../../finding';

export interface BatchedLookup {
  /** The field the row is looked up by: `id`, `email`, `_id`. */
  key: string;
  /** What the per-item call looks it up with: `order.customerId`. */
  keyExpression: ts.Expression;
  /** The library's batched call, named in the fix title: `findMany`, `findBy`, `find`, `findAll`. */
  batchedMethod: string;
  /** The batched read for `receiver` (`prisma.customer`) and the keys (`ids`, `orders.map(…)`). */
  fetchAll(receiver: string, keys: string): string;
  /** The Map key of a fetched row: `customer.id`, `String(user._id)`. */
  rowKey(row: string): string;
  /** The Map key the loop looks up with, from the key expression's text. */
  lookupKey(key: string): string;
  /** Edits the batched call needs elsewhere in the file (TypeORM's `In` import). */
  edits: TextEdit[];
}

/** The batched form of `call`, when it is one of the by-key lookups below written exactly so. */
export function batchedLookup(call: ts.CallExpression, client: ClientCall, file: FileFacts): BatchedLookup | undefined {
  // The call itself is the lookup: not `User.findById(id).lean()`, whose outer call the client fact names.
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== client.method || call.arguments.length !== 1) return undefined;
  const argument = call.arguments[0];
  switch (client.library) {
    case 'prisma':
      return client.method === 'findUnique' ? prismaLookup(argument) : undefined;
    case 'typeorm':
      return client.method === 'findOneBy' || client.method === 'findOne' ? typeormLookup(client.method, argument, file) : undefined;
    case 'mongoose':
      return client.method === 'findById' || client.method === 'findOne' ? mongooseLookup(client.method, argument) : undefined;
    case 'sequelize':
      return client.method === 'findOne' ? sequelizeLookup(argument) : undefined;
    default:
      return undefined;
  }
}

const byField = (row: string, key: string): string => `${row}.${key}`;
const asIs = (key: string): string => key;

/** Prisma: `findUnique({ where: { key: x } })` → `findMany({ where: { key: { in: keys } } })`. */
function prismaLookup(argument: ts.Expression): BatchedLookup | undefined {
  const match = oneKey(whereOnly(argument));
  if (!match) return undefined;
  const { key } = match;
  return {
    ...match,
    batchedMethod: 'findMany',
    fetchAll: (receiver, keys) => `${receiver}.findMany({ where: { ${key}: { in: ${keys} } } })`,
    rowKey: (row) => byField(row, key),
    lookupKey: asIs,
    edits: [],
  };
}

/** TypeORM: `findOneBy({ key: x })` or `findOne({ where: { key: x } })` → `findBy({ key: In(keys) })`. */
function typeormLookup(method: string, argument: ts.Expression, file: FileFacts): BatchedLookup | undefined {
  const match = oneKey(method === 'findOne' ? whereOnly(argument) : argument);
  // `{ id: Equal(x) }`, `{ id: Not(x) }`: an operator from typeorm, not a value rows can be keyed by.
  if (!match || usesTypeormValue(match.keyExpression, file)) return undefined;
  const operator = typeormIn(file);
  if (!operator) return undefined;
  const { key } = match;
  return {
    ...match,
    batchedMethod: 'findBy',
    fetchAll: (receiver, keys) => `${receiver}.findBy({ ${key}: ${operator.name}(${keys}) })`,
    rowKey: (row) => byField(row, key),
    lookupKey: asIs,
    edits: operator.edits,
  };
}

/**
 * Mongoose: `findById(x)` or `findOne({ key: x })` → `find({ key: { $in: keys } })`. Rows and keys
 * are matched by their string: Mongoose casts a query value to the field's type, so an ObjectId
 * (an object two lookups of the same id do not share) — in `_id` or in a reference such as
 * `{ user: u._id }` — or a number given as text finds its row, and the Map must match it too.
 */
function mongooseLookup(method: string, argument: ts.Expression): BatchedLookup | undefined {
  const match = method === 'findById' ? { key: '_id', keyExpression: argument } : oneKey(argument);
  if (!match || isLiteralObject(match.keyExpression)) return undefined;
  const { key } = match;
  return {
    ...match,
    batchedMethod: 'find',
    fetchAll: (receiver, keys) => `${receiver}.find({ ${key}: { $in: ${keys} } })`,
    rowKey: (row) => `String(${byField(row, key)})`,
    lookupKey: (text) => `String(${text})`,
    edits: [],
  };
}

/** Sequelize: `findOne({ where: { key: x } })` → `findAll({ where: { key: keys } })` (an array means IN). */
function sequelizeLookup(argument: ts.Expression): BatchedLookup | undefined {
  const match = oneKey(whereOnly(argument));
  if (!match) return undefined;
  const { key } = match;
  return {
    ...match,
    batchedMethod: 'findAll',
    fetchAll: (receiver, keys) => `${receiver}.findAll({ where: { ${key}: ${keys} } })`,
    rowKey: (row) => byField(row, key),
    lookupKey: asIs,
    edits: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Argument shapes

/** `{ where: X }` and no other option (`select`, `include`, `relations`, `transaction`… change what comes back): X. */
function whereOnly(options: ts.Expression): ts.Expression | undefined {
  const only = onlyProperty(options);
  return only && only.name === 'where' ? only.value : undefined;
}

/** `{ key: value }` / `{ key }` with exactly one plain field whose value is not itself a filter object or list. */
function oneKey(filter: ts.Expression | undefined): { key: string; keyExpression: ts.Expression } | undefined {
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

function isLiteralObject(expression: ts.Expression): boolean {
  const inner = skipParens(expression);
  return ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner);
}

// ---------------------------------------------------------------------------------------------
// TypeORM's `In`

function usesTypeormValue(expression: ts.Expression, file: FileFacts): boolean {
  return [...referencedNames(expression)].some((name) => file.imports.get(name)?.module === 'typeorm');
}

/**
 * The name `In` from typeorm goes by in this file, and the edit that imports it when nothing does
 * yet. Undefined when a different binding already uses the name: the fix is not offered then.
 */
function typeormIn(file: FileFacts): { name: string; edits: TextEdit[] } | undefined {
  const statements = file.sourceFile.statements;
  let namedImport: ts.NamedImports | undefined;
  let requirePattern: ts.ObjectBindingPattern | undefined;
  let lastImport: ts.Statement | undefined;
  for (const statement of statements) {
    if (ts.isImportDeclaration(statement)) {
      lastImport = statement;
      const clause = statement.importClause;
      if (constantString(statement.moduleSpecifier) !== 'typeorm' || !clause || clause.isTypeOnly) continue;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) return { name: `${bindings.name.text}.In`, edits: [] };
      if (bindings && ts.isNamedImports(bindings)) {
        const existing = bindings.elements.find((element) => !element.isTypeOnly && (element.propertyName ?? element.name).text === 'In');
        if (existing) return hasOtherBinding(file, existing.name.text, existing.name) ? undefined : { name: existing.name.text, edits: [] };
        namedImport ??= bindings;
      }
      continue;
    }
    // const { Repository } = require('typeorm')
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!declaration.initializer || requiredModule(declaration.initializer) !== 'typeorm') continue;
        if (ts.isIdentifier(declaration.name)) return { name: `${declaration.name.text}.In`, edits: [] };
        if (!ts.isObjectBindingPattern(declaration.name)) continue;
        const existing = declaration.name.elements.find(
          (element) =>
            ts.isIdentifier(element.name) &&
            ((element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName : element.name) as ts.Identifier)
              .text === 'In',
        );
        if (existing && ts.isIdentifier(existing.name))
          return hasOtherBinding(file, existing.name.text, existing.name) ? undefined : { name: existing.name.text, edits: [] };
        if (!declaration.name.elements.some((element) => element.dotDotDotToken)) requirePattern ??= declaration.name;
      }
    }
  }
  if (hasOtherBinding(file, 'In')) return undefined;
  if (namedImport) return { name: 'In', edits: [appendTo(namedImport.elements)] };
  if (requirePattern) return { name: 'In', edits: [appendTo(requirePattern.elements)] };
  const newline = file.text.includes('\r\n') ? '\r\n' : '\n';
  if (lastImport) {
    const quote = file.text.charAt(file.start((lastImport as ts.ImportDeclaration).moduleSpecifier));
    const semicolon = file.text.charAt(lastImport.end - 1) === ';' ? ';' : '';
    return {
      name: 'In',
      edits: [{ start: lastImport.end, end: lastImport.end, newText: `${newline}import { In } from ${quote}typeorm${quote}${semicolon}` }],
    };
  }
  // No imports at all: a CommonJS script requires; anything else imports.
  const first = statements.find((statement) => !isDirective(statement));
  const at = first ? file.start(first) : file.text.length;
  const commonJs =
    /\.c?jsx?$/.test(file.fileName) && !/\.mjs$/.test(file.fileName) && /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(file.text);
  const line = commonJs ? `const { In } = require('typeorm');` : `import { In } from 'typeorm';`;
  return { name: 'In', edits: [{ start: at, end: at, newText: `${line}${newline}${first ? newline : ''}` }] };
}

/** `, In` after the last element of `{ A, B }` (before a trailing comma, if any). */
function appendTo(elements: ts.NodeArray<ts.Node>): TextEdit {
  const end = elements.length > 0 ? elements[elements.length - 1].end : elements.pos;
  return { start: end, end, newText: elements.length > 0 ? ', In' : ' In ' };
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
