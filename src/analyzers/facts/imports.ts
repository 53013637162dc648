/**
 * "Where does this identifier come from?" — the import (or require) that binds a module-level
 * name, and module-level instances made from imported factories (`new PrismaClient()`,
 * `new Pool()`, `knex(config)`, `createClient()`). Built once per file from its top-level
 * statements, so a lookup is a map access. Local shadowing is ruled out per lookup.
 */
import { ts } from '../ts';
import { calleeName, chainRoot, constantString, enclosingFunction, skipParens } from './ast';

export interface ImportOrigin {
  /** The module specifier as written: `@prisma/client`, `node:fs`, `./db`. */
  module: string;
  /** `default`, `*` (namespace / whole require), or the imported name. */
  imported: string;
  /** Set when the binding is an instance made from the import: the factory or class name. */
  instanceOf?: string;
}

/** `node:fs` and `fs` are the same module; `fs/promises` keeps its sub-path. */
export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

function requireSpecifier(expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  let node = skipParens(expression);
  if (ts.isAwaitExpression(node)) node = skipParens(node.expression);
  if (ts.isCallExpression(node)) {
    const callee = skipParens(node.expression);
    if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) {
      return constantString(node.arguments[0]);
    }
  }
  return undefined;
}

export class ImportTable {
  private readonly origins = new Map<string, ImportOrigin>();
  private readonly modules = new Set<string>();

  constructor(sourceFile: ts.SourceFile) {
    for (const statement of sourceFile.statements) this.collect(statement);
  }

  private collect(statement: ts.Statement): void {
    if (ts.isImportDeclaration(statement)) {
      const specifier = constantString(statement.moduleSpecifier);
      const clause = statement.importClause;
      if (specifier === undefined) return;
      const module = normalizeModule(specifier);
      this.modules.add(module);
      if (!clause) return;
      if (clause.name) this.origins.set(clause.name.text, { module, imported: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) this.origins.set(bindings.name.text, { module, imported: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          this.origins.set(element.name.text, { module, imported: (element.propertyName ?? element.name).text });
        }
      }
      return;
    }
    if (ts.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (ts.isExternalModuleReference(reference)) {
        const specifier = constantString(reference.expression);
        if (specifier !== undefined) {
          const module = normalizeModule(specifier);
          this.modules.add(module);
          this.origins.set(statement.name.text, { module, imported: '*' });
        }
      }
      return;
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) this.collectDeclaration(declaration);
    }
  }

  private collectDeclaration(declaration: ts.VariableDeclaration): void {
    const init = declaration.initializer;
    if (!init) return;
    // const fs = require('fs'); const { readFileSync: read } = require('fs'); const x = require('m').y
    let specifier = requireSpecifier(init);
    let member: string | undefined;
    const inner = skipParens(init);
    if (specifier === undefined && ts.isPropertyAccessExpression(inner)) {
      specifier = requireSpecifier(inner.expression);
      member = inner.name.text;
    }
    if (specifier !== undefined) {
      const module = normalizeModule(specifier);
      this.modules.add(module);
      if (ts.isIdentifier(declaration.name)) {
        this.origins.set(declaration.name.text, { module, imported: member ?? '*' });
      } else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          this.origins.set(element.name.text, { module, imported });
        }
      }
      return;
    }
    // const prisma = new PrismaClient(); const pool = new pg.Pool(); const db = knex({...}); const redis = createClient()
    if (!ts.isIdentifier(declaration.name)) return;
    let made = inner;
    if (ts.isAwaitExpression(made)) made = skipParens(made.expression);
    // `createClient().connect()` and `new PrismaClient().$extends(...)` still give the client.
    while (ts.isCallExpression(made)) {
      const callee = skipParens(made.expression);
      if (!ts.isPropertyAccessExpression(callee)) break;
      const object = skipParens(callee.expression);
      if (!ts.isCallExpression(object) && !ts.isNewExpression(object)) break;
      made = object;
    }
    if (ts.isNewExpression(made) || ts.isCallExpression(made)) {
      const factory = calleeName(made);
      const root = chainRoot(made.expression);
      if (factory && root && ts.isIdentifier(root)) {
        const origin = this.origins.get(root.text);
        if (origin) this.origins.set(declaration.name.text, { module: origin.module, imported: origin.imported, instanceOf: factory });
      }
    }
  }

  /** The module-level origin of `name`, ignoring shadowing (see `originOf`). */
  get(name: string): ImportOrigin | undefined {
    return this.origins.get(name);
  }

  /** True when the file imports or requires `module` (normalised, so `node:fs` = `fs`). */
  imports(module: string): boolean {
    return this.modules.has(module);
  }

  /** True when any imported module matches. */
  importsAny(predicate: (module: string) => boolean): boolean {
    for (const module of this.modules) if (predicate(module)) return true;
    return false;
  }
}

/**
 * True when `name` is re-declared by a function parameter or a local variable between
 * `node` and the module scope — then the module-level import is not what `node` sees.
 */
export function isShadowed(name: string, node: ts.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    for (const parameter of fn.parameters) {
      if (bindsName(parameter.name, name)) return true;
    }
    if (fn.body && ts.isBlock(fn.body) && declaresName(fn.body, name)) return true;
  }
  return false;
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => ts.isBindingElement(element) && bindsName(element.name, name));
}

/** Declarations of `name` directly in `block` or in nested blocks (not in nested functions). */
function declaresName(block: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(node) && bindsName(node.name, name)) {
      found = true;
      return;
    }
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(block, visit);
  return found;
}
