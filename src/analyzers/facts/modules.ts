/**
 * "Which function does this call run?" — across files. A call to a project function is followed
 * to its declaration: a function or arrow in the same file, a method of `this` class, a method of
 * a service held in a field (`this.users.findById(…)` with `private users: UsersService`), a
 * function imported from a project module (`import { getUser } from './users'`, a tsconfig alias, a
 * package of the same monorepo such as `@repo/lib/users` — see workspace.ts —, CommonJS
 * `require('./users')` included), a method of an instance or object a module exports
 * (`export const userService = new UserService()`, `module.exports = { find }`).
 *
 * Packages (`node_modules`) are never followed: libraries are recognised by facts/clients.
 * Other files come from the project host (facts.modules), which caches their trees per version;
 * answers are cached per call node, so a tree's answers live exactly as long as the tree.
 */
import { ts } from '../ts';
import { calleeName, hasModifier, isFunctionLike, skipParens, type FunctionLike } from './ast';
import { isValueReference, lookup } from './dataflow';
import { declaredName } from './positions';
import { syntaxIndexOf } from './syntaxIndex';
import { FileFacts } from './fileFacts';
import type { ModuleFile } from '../project';

const SK = ts.SyntaxKind;

/** What cross-file facts need from the project host. */
export interface ModuleHost {
  /** Another file's tree, cached per version; undefined when it cannot be read. */
  moduleFile(fileName: string): ModuleFile | undefined;
  /** The project file an import names (relative, a tsconfig alias, a workspace package's file); undefined for other packages. */
  resolveImport(fromFile: string, specifier: string): string | undefined;
  /** The version of a file's text (undefined when it is gone). */
  fileVersion(fileName: string): string | undefined;
  /**
   * The project files that import `fileName` (by a relative path, an alias or its workspace package's name), among the files the host
   * was told make the project (a scan's files); absent or empty when it knows none — then callers are
   * looked for in the same file only.
   */
  importers?(fileName: string): readonly string[];
  /** Whether `importers` knows the project's files (a scan; the editor once the workspace folder is listed). */
  knowsProjectFiles?(): boolean;
  /** Changes whenever `importers` may answer differently (the project's files were set, a file's imports changed). */
  importersVersion?(): number;
  /** The nearest package.json at or above `fileName`'s folder, parsed (null: unreadable): see ProjectHost.nearestManifest. */
  nearestManifest?(fileName: string): PackageManifest | undefined;
}

export interface PackageManifest {
  /** Absolute path of the package.json. */
  fileName: string;
  /** Its parsed content; null when it cannot be read or parsed. */
  manifest: Record<string, unknown> | null;
}

export interface Callee {
  fn: FunctionLike;
  /** Facts of the file the function is written in (`facts` itself for the same file). */
  facts: FileFacts;
  /** How messages name it: `getUser`, `UsersService.findById`. */
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Facts of other files

const factsByTree = new WeakMap<ts.SourceFile, FileFacts>();

/** Facts (without types) for another project file, or undefined when it cannot be read. */
function moduleFacts(fileName: string, host: ModuleHost): FileFacts | undefined {
  const file = host.moduleFile(fileName);
  if (!file) return undefined;
  let facts = factsByTree.get(file.sourceFile);
  if (!facts) {
    facts = new FileFacts(file.fileName, file.text, file.sourceFile, undefined, host);
    factsByTree.set(file.sourceFile, facts);
  }
  return facts;
}

/** The facts of the module `specifier` names from `facts`' file, when it is a project file. */
function importedModule(specifier: string, facts: FileFacts): FileFacts | undefined {
  const host = facts.modules;
  if (!host) return undefined;
  const resolved = host.resolveImport(facts.fileName, specifier);
  if (
    !resolved ||
    resolved === facts.fileName ||
    (/[\\/]node_modules[\\/]/.test(resolved) && !/[\\/]node_modules[\\/]/.test(facts.fileName))
  )
    return undefined;
  return moduleFacts(resolved, host);
}

// ---------------------------------------------------------------------------------------------
// Declarations a name or export stands for

/** A declaration that can hold callable things: a function, a class, an object literal, an instance. */
type Target =
  | { kind: 'function'; fn: FunctionLike; facts: FileFacts; name: string }
  | { kind: 'class'; cls: ts.ClassLikeDeclaration; facts: FileFacts }
  | { kind: 'object'; object: ts.ObjectLiteralExpression; facts: FileFacts; name: string }
  | { kind: 'instance'; cls: ts.ClassLikeDeclaration; facts: FileFacts }
  | { kind: 'module'; facts: FileFacts; name: string };

const MAX_DEPTH = 6;

function functionOfInitializer(init: ts.Expression | undefined): FunctionLike | undefined {
  if (!init) return undefined;
  const inner = skipParens(init);
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) ? inner : undefined;
}

/** What an expression (an initializer, an export default) is, as far as calls go. */
function targetOfExpression(expression: ts.Expression, facts: FileFacts, name: string, depth: number): Target | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const inner = skipParens(expression);
  const fn = functionOfInitializer(inner);
  if (fn) return { kind: 'function', fn, facts, name };
  if (ts.isClassExpression(inner)) return { kind: 'class', cls: inner, facts };
  if (ts.isObjectLiteralExpression(inner)) return { kind: 'object', object: inner, facts, name };
  if (ts.isNewExpression(inner)) {
    const made = targetOfExpression(inner.expression, facts, name, depth + 1);
    return made?.kind === 'class' ? { kind: 'instance', cls: made.cls, facts: made.facts } : undefined;
  }
  if (ts.isIdentifier(inner)) return targetOfName(inner.text, inner, facts, depth + 1);
  if (ts.isCallExpression(inner)) {
    // require('./users')
    const callee = skipParens(inner.expression);
    if (
      ts.isIdentifier(callee) &&
      callee.text === 'require' &&
      inner.arguments.length === 1 &&
      ts.isStringLiteralLike(inner.arguments[0])
    ) {
      const module = importedModule(inner.arguments[0].text, facts);
      return module ? { kind: 'module', facts: module, name } : undefined;
    }
  }
  if (ts.isPropertyAccessExpression(inner)) {
    // require('./users').getUser, users.getUser
    const object = targetOfExpression(inner.expression, facts, name, depth + 1);
    return object ? memberOfTarget(object, inner.name.text, depth + 1) : undefined;
  }
  return undefined;
}

/** What `name`, written at `at` in `facts`' file, refers to. */
function targetOfName(name: string, at: ts.Node, facts: FileFacts, depth: number): Target | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const declaration = lookup(name, at);
  if (!declaration) return undefined;
  const node = declaration.node;
  switch (declaration.kind) {
    case 'function':
      return ts.isFunctionDeclaration(node) && node.body ? { kind: 'function', fn: node, facts, name } : undefined;
    case 'class':
      return ts.isClassDeclaration(node) ? { kind: 'class', cls: node, facts } : undefined;
    case 'const':
    case 'let':
    case 'var': {
      if (declaration.initializer) return targetOfExpression(declaration.initializer, facts, name, depth + 1);
      // const { getUser } = require('./users')
      if (ts.isBindingElement(node)) {
        const origin = facts.imports.get(name);
        if (origin && ts.isSourceFile(declaration.scope)) return importedTarget(origin.module, origin.imported, facts, name, depth + 1);
      }
      return undefined;
    }
    case 'import': {
      const origin = facts.imports.get(name);
      if (!origin) return undefined;
      return importedTarget(origin.module, origin.imported, facts, name, depth + 1);
    }
    default:
      return undefined;
  }
}

function importedTarget(specifier: string, imported: string, facts: FileFacts, name: string, depth: number): Target | undefined {
  const module = importedModule(specifier, facts);
  if (!module) return undefined;
  if (imported === '*') return { kind: 'module', facts: module, name };
  return exportedTarget(module, imported, depth + 1) ?? (imported === 'default' ? { kind: 'module', facts: module, name } : undefined);
}

const exportCache = new WeakMap<ts.SourceFile, Map<string, Target | null>>();

/** What module `facts` exports as `exported` (`default` for the default export), following re-exports. */
function exportedTarget(facts: FileFacts, exported: string, depth: number): Target | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let perFile = exportCache.get(facts.sourceFile);
  if (!perFile) {
    perFile = new Map();
    exportCache.set(facts.sourceFile, perFile);
  }
  const cached = perFile.get(exported);
  if (cached !== undefined) return cached ?? undefined;
  perFile.set(exported, null); // a re-export cycle ends here
  const found = findExport(facts, exported, depth);
  perFile.set(exported, found ?? null);
  return found;
}

function findExport(facts: FileFacts, exported: string, depth: number): Target | undefined {
  const sourceFile = facts.sourceFile;
  const starModules: string[] = [];
  for (const statement of sourceFile.statements) {
    const exportedHere = hasModifier(statement, SK.ExportKeyword);
    const isDefault = hasModifier(statement, SK.DefaultKeyword);
    if (ts.isFunctionDeclaration(statement) && exportedHere && statement.body) {
      if ((isDefault && exported === 'default') || (!isDefault && statement.name?.text === exported))
        return { kind: 'function', fn: statement, facts, name: statement.name?.text ?? exported };
    } else if (ts.isClassDeclaration(statement) && exportedHere) {
      if ((isDefault && exported === 'default') || (!isDefault && statement.name?.text === exported))
        return { kind: 'class', cls: statement, facts };
    } else if (ts.isVariableStatement(statement) && exportedHere) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === exported && declaration.initializer) {
          return targetOfExpression(declaration.initializer, facts, exported, depth + 1);
        }
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals && exported === 'default') {
      return targetOfExpression(statement.expression, facts, 'default', depth + 1);
    } else if (ts.isExportAssignment(statement) && statement.isExportEquals) {
      const whole = targetOfExpression(statement.expression, facts, exported, depth + 1);
      return exported === 'default' ? whole : whole ? memberOfTarget(whole, exported, depth + 1) : undefined;
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      const specifier =
        statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause) {
        if (specifier) starModules.push(specifier);
        continue;
      }
      if (!ts.isNamedExports(clause)) continue;
      for (const element of clause.elements) {
        if (element.name.text !== exported) continue;
        const local = (element.propertyName ?? element.name).text;
        if (specifier) {
          const module = importedModule(specifier, facts);
          return module ? exportedTarget(module, local, depth + 1) : undefined;
        }
        return targetOfName(local, sourceFile.endOfFileToken, facts, depth + 1);
      }
    } else if (ts.isExpressionStatement(statement)) {
      const commonJs = commonJsExport(statement.expression, exported, facts, depth);
      if (commonJs) return commonJs;
    }
  }
  for (const specifier of starModules) {
    const module = importedModule(specifier, facts);
    const found = module ? exportedTarget(module, exported, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** `module.exports = { find }`, `module.exports.find = …`, `exports.find = …`, `module.exports = function …`. */
function commonJsExport(expression: ts.Expression, exported: string, facts: FileFacts, depth: number): Target | undefined {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== SK.EqualsToken) return undefined;
  const left = skipParens(expression.left);
  const text = ts.isPropertyAccessExpression(left) ? propertyPath(left) : undefined;
  if (text === undefined) return undefined;
  if (text === 'module.exports') {
    const whole = targetOfExpression(expression.right, facts, exported, depth + 1);
    if (!whole) return undefined;
    return exported === 'default' ? whole : memberOfTarget(whole, exported, depth + 1);
  }
  if (text === `module.exports.${exported}` || text === `exports.${exported}`)
    return targetOfExpression(expression.right, facts, exported, depth + 1);
  return undefined;
}

function propertyPath(node: ts.Expression): string | undefined {
  const inner = skipParens(node);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) {
    const left = propertyPath(inner.expression);
    return left === undefined ? undefined : `${left}.${inner.name.text}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Members

/** The function `target.member` is: a method of a class or instance, a property of an object, an export of a module. */
function memberOfTarget(target: Target, member: string, depth: number): Target | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (target.kind) {
    case 'module':
      return exportedTarget(target.facts, member, depth + 1);
    case 'object':
      return objectMember(target.object, member, target.facts, depth);
    case 'class':
      return classMember(target.cls, member, target.facts, true, depth);
    case 'instance':
      return classMember(target.cls, member, target.facts, false, depth);
    default:
      return undefined;
  }
}

function objectMember(object: ts.ObjectLiteralExpression, member: string, facts: FileFacts, depth: number): Target | undefined {
  for (const property of object.properties) {
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (name !== member) continue;
    if (ts.isMethodDeclaration(property) && property.body) return { kind: 'function', fn: property, facts, name: member };
    if (ts.isPropertyAssignment(property)) return targetOfExpression(property.initializer, facts, member, depth + 1);
    if (ts.isShorthandPropertyAssignment(property)) return targetOfName(property.name.text, property, facts, depth + 1);
  }
  return undefined;
}

function className(cls: ts.ClassLikeDeclaration): string {
  return cls.name?.text ?? 'class';
}

/** A method (static or not) of `cls` or a class it extends, or an arrow-function field. */
function classMember(cls: ts.ClassLikeDeclaration, member: string, facts: FileFacts, isStatic: boolean, depth: number): Target | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const element of cls.members) {
    if (
      !element.name ||
      !(ts.isIdentifier(element.name) || ts.isPrivateIdentifier(element.name) || ts.isStringLiteral(element.name)) ||
      element.name.text !== member
    )
      continue;
    if (hasModifier(element, SK.StaticKeyword) !== isStatic) continue;
    const name = `${className(cls)}.${member}`;
    if (ts.isMethodDeclaration(element) && element.body) return { kind: 'function', fn: element, facts, name };
    if (ts.isPropertyDeclaration(element)) {
      const fn = functionOfInitializer(element.initializer);
      if (fn) return { kind: 'function', fn, facts, name };
    }
    return undefined;
  }
  // Inherited: `class UserService extends BaseService`.
  const heritage = cls.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0];
  if (heritage) {
    const base = targetOfExpression(heritage.expression, facts, member, depth + 1);
    if (base?.kind === 'class') return classMember(base.cls, member, base.facts, isStatic, depth + 1);
  }
  return undefined;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    // `this` inside a non-arrow function that is not a method is not the class instance.
    if ((ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) && !ts.isMethodDeclaration(current)) return undefined;
  }
  return undefined;
}

/** The class a written type names: `UsersService`, `Users.Service`, `Repository<User>` (only project classes resolve). */
function classOfType(type: ts.TypeNode | undefined, at: ts.Node, facts: FileFacts, depth: number): Target | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const typeName = type.typeName;
  if (ts.isIdentifier(typeName)) {
    const found = targetOfTypeName(typeName.text, at, facts, depth + 1);
    return found?.kind === 'class' ? { kind: 'instance', cls: found.cls, facts: found.facts } : undefined;
  }
  return undefined;
}

/** A type name resolves like a value name, except that class declarations are looked up by name in the file. */
function targetOfTypeName(name: string, at: ts.Node, facts: FileFacts, depth: number): Target | undefined {
  const value = targetOfName(name, at, facts, depth);
  if (value) return value;
  for (const statement of facts.sourceFile.statements) {
    if (ts.isClassDeclaration(statement) && statement.name?.text === name) return { kind: 'class', cls: statement, facts };
  }
  return undefined;
}

/** What `this.<field>` holds: a typed field or constructor parameter property, or an instance made in the class. */
function fieldTarget(cls: ts.ClassLikeDeclaration, field: string, facts: FileFacts, depth: number): Target | undefined {
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === field) {
      return (
        classOfType(member.type, member, facts, depth) ??
        (member.initializer ? targetOfExpression(member.initializer, facts, field, depth + 1) : undefined)
      );
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === field && ts.getModifiers(parameter)?.length) {
          return classOfType(parameter.type, parameter, facts, depth);
        }
      }
      for (const statement of member.body?.statements ?? []) {
        if (
          !ts.isExpressionStatement(statement) ||
          !ts.isBinaryExpression(statement.expression) ||
          statement.expression.operatorToken.kind !== SK.EqualsToken
        )
          continue;
        const left = skipParens(statement.expression.left);
        if (ts.isPropertyAccessExpression(left) && left.expression.kind === SK.ThisKeyword && left.name.text === field) {
          return targetOfExpression(statement.expression.right, facts, field, depth + 1);
        }
      }
    }
  }
  return undefined;
}

/** What a receiver expression holds, as far as finding its methods goes. */
function receiverTarget(receiver: ts.Expression, facts: FileFacts, depth: number): Target | undefined {
  const inner = skipParens(receiver);
  if (inner.kind === SK.ThisKeyword) {
    const cls = enclosingClass(inner);
    return cls ? { kind: 'instance', cls, facts } : undefined;
  }
  if (ts.isIdentifier(inner)) {
    const declaration = lookup(inner.text, inner);
    if (declaration?.kind === 'parameter' && declaration.type) return classOfType(declaration.type, declaration.node, facts, depth);
    if ((declaration?.kind === 'const' || declaration?.kind === 'let') && declaration.type && !declaration.initializer)
      return classOfType(declaration.type, declaration.node, facts, depth);
    return targetOfName(inner.text, inner, facts, depth + 1);
  }
  if (ts.isPropertyAccessExpression(inner) && skipParens(inner.expression).kind === SK.ThisKeyword) {
    const cls = enclosingClass(inner);
    return cls ? fieldTarget(cls, inner.name.text, facts, depth + 1) : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The fact

/**
 * Answers per file analysis (FileFacts), not per node: an incremental re-parse re-uses the nodes of
 * unchanged functions, but what a call resolves to depends on declarations elsewhere in the file.
 * Other files' facts live as long as their version, so their answers are cached across analyses.
 */
const calleeCache = new WeakMap<FileFacts, Map<ts.CallExpression, Callee | null>>();

/** The project function `call` runs, when it can be told (same file or another project file). */
export function calleeOf(call: ts.CallExpression, facts: FileFacts): Callee | undefined {
  let perFile = calleeCache.get(facts);
  if (!perFile) {
    perFile = new Map();
    calleeCache.set(facts, perFile);
  }
  const cached = perFile.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const found = resolveCallee(call, facts);
  perFile.set(call, found ?? null);
  return found;
}

function resolveCallee(call: ts.CallExpression, facts: FileFacts): Callee | undefined {
  const callee = skipParens(call.expression);
  let target: Target | undefined;
  if (ts.isIdentifier(callee)) {
    target = targetOfName(callee.text, callee, facts, 0);
  } else if (ts.isPropertyAccessExpression(callee) && calleeName(call)) {
    const receiver = receiverTarget(callee.expression, facts, 0);
    target = receiver ? memberOfTarget(receiver, callee.name.text, 0) : undefined;
  }
  if (!target || target.kind !== 'function') return undefined;
  if (!target.fn.body || !isFunctionLike(target.fn)) return undefined;
  return { fn: target.fn, facts: target.facts, name: target.name };
}

// ---------------------------------------------------------------------------------------------
// Callers: the reverse question, "who calls this function?"

export interface Caller {
  call: ts.CallExpression;
  /** Facts of the file the call is written in. */
  facts: FileFacts;
}

/**
 * Per function node, with what the answer was found under: the file's analysis (an incremental re-parse re-uses an
 * unchanged function's node), the importer index's version (a listed folder, a changed import) and the trees of
 * the importing files searched (an edit there may add or change a call) — any of them changed, callers are found anew.
 */
const callersCache = new WeakMap<
  ts.Node,
  { callers: readonly Caller[]; facts: FileFacts; version: number | undefined; searched: ReadonlyArray<[string, FileFacts | undefined]> }
>();

function callersStillHold(
  cached: { facts: FileFacts; version: number | undefined; searched: ReadonlyArray<[string, FileFacts | undefined]> },
  facts: FileFacts,
  version: number | undefined,
): boolean {
  if (cached.facts !== facts || cached.version !== version) return false;
  const host = facts.modules;
  return !host || cached.searched.every(([fileName, known]) => moduleFacts(fileName, host) === known);
}
/** Files searched for callers of one function: a barrel's importers count too. */
const MAX_CALLER_FILES = 50;

/**
 * The calls of `fn` (in `facts`' file) that calleeOf resolves to it: in its own file, outside the function
 * itself, and in the project files that import its file (directly or through one re-exporting module),
 * when the host knows the project's files (a scan). Only calls by the name `fn` is declared under are
 * looked at: a default export imported under another name is missed.
 */
export function callersOf(fn: FunctionLike, facts: FileFacts): readonly Caller[] {
  const version = facts.modules?.importersVersion?.();
  const cached = callersCache.get(fn);
  if (cached && callersStillHold(cached, facts, version)) return cached.callers;
  const searched: Array<[string, FileFacts | undefined]> = [];
  callersCache.set(fn, { callers: [], facts, version, searched }); // recursion through a caller's own callers ends here
  const name = declaredName(fn);
  const callers: Caller[] = [];
  if (name !== undefined) {
    const { files } = filesNaming(name, facts, searched);
    for (const file of files) {
      // The file's index of calls, not a walk: a file nested deeper than the stack allows is still searched.
      for (const call of syntaxIndexOf(file.sourceFile).calls) {
        if (file === facts && call.pos >= fn.pos && call.end <= fn.end) continue;
        if (calleeName(call) !== name) continue;
        const callee = calleeOf(call, file);
        if (callee && isSameFunction(callee, fn, facts)) callers.push({ call, facts: file });
      }
    }
  }
  callersCache.set(fn, { callers, facts, version, searched });
  return callers;
}

/** Where a function is handed on as a value, and the facts of that file. */
export interface Reference {
  /** The name written where the function is handed on: `listTags` of `router.get('/tags', auth, listTags)`, `tags.list`. */
  node: ts.Identifier | ts.PropertyAccessExpression;
  facts: FileFacts;
}

const referencesCache = new WeakMap<
  ts.Node,
  {
    references: readonly Reference[];
    facts: FileFacts;
    version: number | undefined;
    searched: ReadonlyArray<[string, FileFacts | undefined]>;
  }
>();

/**
 * Where `fn` (in `facts`' file) is handed to a call as a value rather than called — an argument
 * (`router.get('/tags', auth, listTags)`, `procedure.input(s).query(getTags)`, `new Worker(queue, run)`), an argument
 * wrapped once (`asyncHandler(listTags)`), or a property of an object argument (`route({ url, handler: listTags })`,
 * `tsr.router(contract, { list })`) — in its own file and the project files importing it, searched as callersOf
 * searches, each name resolved as a call's callee is. What the call registers it for, the caller decides.
 */
export function referencesOf(fn: FunctionLike, facts: FileFacts): readonly Reference[] {
  const version = facts.modules?.importersVersion?.();
  const cached = referencesCache.get(fn);
  if (cached && callersStillHold(cached, facts, version)) return cached.references;
  const searched: Array<[string, FileFacts | undefined]> = [];
  const name = declaredName(fn);
  const references: Reference[] = [];
  if (name !== undefined) {
    const { files } = filesNaming(name, facts, searched);
    for (const file of files) {
      const index = syntaxIndexOf(file.sourceFile);
      for (const call of [...index.calls, ...index.constructions]) {
        for (const value of handedValues(call)) {
          const named = ts.isIdentifier(value) ? value : value.name;
          if (named.text !== name || (file === facts && value.pos >= fn.pos && value.end <= fn.end)) continue;
          const target = referencedFunction(value, file);
          if (target && isSameFunction(target, fn, facts)) references.push({ node: value, facts: file });
        }
      }
    }
  }
  referencesCache.set(fn, { references, facts, version, searched });
  return references;
}

/** The names a call is handed as values: its arguments, one wrapper call deep, and the properties of its object arguments. */
function handedValues(call: ts.CallExpression | ts.NewExpression): Array<ts.Identifier | ts.PropertyAccessExpression> {
  const values: Array<ts.Identifier | ts.PropertyAccessExpression> = [];
  const add = (expression: ts.Expression, wrapped: boolean): void => {
    const inner = skipParens(expression);
    if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) values.push(inner);
    else if (ts.isObjectLiteralExpression(inner) && !wrapped) {
      for (const property of inner.properties) {
        if (ts.isPropertyAssignment(property)) add(property.initializer, true);
        else if (ts.isShorthandPropertyAssignment(property)) values.push(property.name);
      }
    } else if (ts.isCallExpression(inner) && !wrapped && inner.arguments.length === 1) add(inner.arguments[0], true);
  };
  for (const argument of call.arguments ?? []) add(argument, false);
  return values;
}

/** The project function a name handed on as a value stands for: `listTags`, `controllers.listTags`, `this.list`. */
function referencedFunction(value: ts.Identifier | ts.PropertyAccessExpression, facts: FileFacts): Callee | undefined {
  let target: Target | undefined;
  if (ts.isIdentifier(value)) target = targetOfName(value.text, value, facts, 0);
  else {
    const receiver = receiverTarget(value.expression, facts, 0);
    target = receiver ? memberOfTarget(receiver, value.name.text, 0) : undefined;
  }
  if (!target || target.kind !== 'function' || !target.fn.body || !isFunctionLike(target.fn)) return undefined;
  return { fn: target.fn, facts: target.facts, name: target.name };
}

/**
 * `facts`' file and the project files that import it (directly or through a re-exporting module) whose text
 * names `name`; `complete` is false when the search stopped at MAX_CALLER_FILES. Each importer read is noted
 * in `searched` (for callersOf's cache).
 */
function filesNaming(
  name: string,
  facts: FileFacts,
  searched: Array<[string, FileFacts | undefined]> = [],
): { files: FileFacts[]; complete: boolean } {
  const files: FileFacts[] = [facts];
  const host = facts.modules;
  let complete = true;
  if (host?.importers) {
    const seen = new Set<string>([facts.fileName]);
    const queue = [...host.importers(facts.fileName)];
    for (let index = 0; index < queue.length; index++) {
      if (files.length >= MAX_CALLER_FILES) {
        complete = false;
        break;
      }
      const fileName = queue[index];
      if (seen.has(fileName)) continue;
      seen.add(fileName);
      const importer = moduleFacts(fileName, host);
      searched.push([fileName, importer]);
      if (!importer) continue;
      // A module that re-exports it (`export * from './orders'`, an index barrel): its importers call it too.
      if (/\bexport\s*(\*|\{[^}]*\})\s*from\b/.test(importer.text)) {
        if (index < 10) queue.push(...host.importers(fileName));
        else complete = false;
      }
      if (importer.text.includes(name)) files.push(importer);
    }
  }
  return { files, complete };
}

export interface Instances {
  /** The `new C(…)` expressions found, with the facts of the file each is written in. */
  sites: ReadonlyArray<{ node: ts.NewExpression; facts: FileFacts }>;
  /**
   * False when other instances may exist unseen: the class is handed on as a value (a factory, a DI
   * container, `export default`), extended, imported under another name, exported while the host does not
   * know the project's files, or the search stopped.
   */
  complete: boolean;
}

/**
 * Where the class `cls` (declared in `facts`' file) is constructed: `new C(…)` in its own file and in the
 * project files that import it, by the name it is declared under (`new mod.C(…)` of a namespace import too).
 */
export function instancesOf(cls: ts.ClassDeclaration, facts: FileFacts): Instances {
  const name = cls.name?.text;
  if (!name || hasModifier(cls, SK.DefaultKeyword)) return { sites: [], complete: false };
  const named = new RegExp(`\\b(export\\s*\\{[^}]*|(module\\.)?exports\\b[^;\\n]*)\\b${name}\\b`);
  const exported = hasModifier(cls, SK.ExportKeyword) || named.test(facts.text);
  if (exported && !facts.modules?.knowsProjectFiles?.()) return { sites: [], complete: false };
  const { files, complete: searchedAll } = filesNaming(name, facts);
  let complete = searchedAll;
  const sites: Array<{ node: ts.NewExpression; facts: FileFacts }> = [];
  // `export default new C()` hands out an instance: another file's `import C from './c'` names that instance, not the
  // class (unless the class itself is the default export, `export default C`, which the text would show).
  const classIsDefault = new RegExp(`export\\s+default\\s+${name}\\s*(;|$)`, 'm').test(facts.text);
  const defaultImport = new RegExp(`import\\s+${name}\\s*(,|from\\b)`);
  for (const file of files) {
    if (file.fileName !== facts.fileName && !classIsDefault && defaultImport.test(file.text)) continue;
    const stack: ts.Node[] = [file.sourceFile];
    while (stack.length > 0 && complete) {
      const node = stack.pop()!;
      ts.forEachChild(node, (child) => {
        stack.push(child);
      });
      if (!ts.isIdentifier(node) || node.text !== name || node === cls.name) continue;
      const parent = node.parent;
      if (ts.isImportSpecifier(parent)) {
        // `import { C as Other }`: its uses go by another name.
        if (parent.propertyName === node && parent.name.text !== name) complete = false;
        continue;
      }
      if (ts.isExportSpecifier(parent)) continue;
      if (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent) && parent.parent.token === SK.ExtendsKeyword) {
        complete = false; // a subclass: its instances run this constructor too
        continue;
      }
      const constructed = ts.isPropertyAccessExpression(parent) && parent.name === node ? parent : node;
      if (ts.isNewExpression(constructed.parent) && constructed.parent.expression === constructed) {
        sites.push({ node: constructed.parent, facts: file });
        continue;
      }
      if (constructed === node && isValueReference(node)) complete = false; // handed on as a value
    }
  }
  return { sites, complete };
}

/** `callee` is `fn`: the same node, or the same declaration in another tree of the same file (parsed for cross-file facts). */
function isSameFunction(callee: Callee, fn: FunctionLike, facts: FileFacts): boolean {
  if (callee.fn === fn) return true;
  return callee.facts.fileName === facts.fileName && callee.fn.pos === fn.pos && callee.fn.end === fn.end;
}
