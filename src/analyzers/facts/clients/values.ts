/**
 * What a name, member or expression holds, as far as clients go: an import of a client library,
 * an instance made from one, a typed parameter or class member, a Nest injection, a transaction
 * callback's handle, or a telling name. How each library's values behave is its descriptor's
 * business (facts/libraries); this module walks the syntax and asks.
 */
import { ts } from '../../ts';
import { calleeName, constantString, isFunctionLike, skipParens } from '../ast';
import { lookup } from '../dataflow';
import type { ImportOrigin } from '../imports';
import {
  clientOfModule,
  decoratedValue,
  distinctiveTransaction,
  globalValue,
  guessTransactionLibrary,
  hinted,
  libraries,
  library,
  transactionHandle,
  transactionHandleMethods,
  valueNamed,
} from '../libraries/registry';
import type { BaseClass } from '../libraries/library';
import {
  callReceiving,
  decoratorsOf,
  deeper,
  entityName,
  isLowerFirst,
  SK,
  type ClientCallNode,
  type Ctx,
  type StepResult,
  type Val,
} from './model';

export function isUserModule(module: string): boolean {
  return /^(\.|@\/|~\/|#|src\/|app\/|lib\/|server\/)/.test(module);
}

/** The words of the clients a monorepo package may be named after (`@acme/prisma`), and the generic ones (`@acme/db`). */
const WORKSPACE_WORDS = [
  ...hinted.flatMap(({ hints }) => (hints.workspacePackage && hints.module ? [hints.module.source] : [])),
  'db',
  'database',
];
const WORKSPACE_PACKAGE = new RegExp(`^@[\\w.-]+\\/[\\w.-]*(${WORKSPACE_WORDS.join('|')})[\\w.-]*$`, 'i');
/** A binding from such a package must be named like a client too: `prisma`, `db`, `redisClient`. */
const WORKSPACE_LOCAL = new RegExp([...WORKSPACE_WORDS, 'client'].join('|'), 'i');

/** The value an import from a module no descriptor claims holds: a project module is read by what its path and name say. */
function projectImportValue(module: string, localName: string): Val | undefined {
  // A monorepo's own package (`import { prisma } from '@documenso/prisma'`) is read like a project module,
  // but only for what its name says it holds.
  if (WORKSPACE_PACKAGE.test(module) && isLowerFirst(localName) && WORKSPACE_LOCAL.test(localName)) {
    for (const { id, hints } of hinted) if (hints.workspacePackage && hints.module?.test(module)) return { lib: id, role: 'client' };
    return valueNamed(localName);
  }
  if (!isUserModule(module)) return undefined;
  if (!isLowerFirst(localName)) {
    for (const { hints } of hinted) {
      const value = hints.projectImport?.(module, localName);
      if (value) return value;
    }
    return undefined;
  }
  // import { prisma } from '@/lib/prisma'; import redis from '../redis'; import db from './knex'
  for (const { id, hints } of hinted) if (hints.module?.test(module)) return { lib: id, role: 'client' };
  for (const { hints } of hinted) {
    const value = hints.projectImport?.(module, localName);
    if (value) return value;
  }
  return valueNamed(localName);
}

/** The value an import binding holds. */
function importValue(origin: ImportOrigin, localName: string): Val | undefined {
  const { module, imported } = origin;
  const owner = clientOfModule(module);
  if (!owner) return projectImportValue(module, localName);
  return owner.client?.imported?.({ name: imported, local: localName, module, whole: imported === '*' || imported === 'default' });
}

/** `new X(…)` */
function construct(base: Val | undefined): Val | undefined {
  if (!base || (base.role !== 'module' && base.role !== 'class')) return undefined;
  return library(base.lib)?.client?.construct?.(base);
}

// ---------------------------------------------------------------------------------------------
// Resolution of names, members and expressions

export function nameValue(name: string, at: ts.Node, ctx: Ctx): Val | undefined {
  if (ctx.depth > 5) return undefined;
  const declaration = lookup(name, at);
  if (!declaration) return globalValue(name);
  const { facts } = ctx;
  switch (declaration.kind) {
    case 'import': {
      const origin = facts.imports.get(name);
      return origin ? importValue(origin, name) : undefined;
    }
    case 'parameter':
      return parameterValue(declaration.node as ts.ParameterDeclaration, name, ctx);
    case 'const':
    case 'let':
    case 'var':
    case 'using': {
      if (ts.isSourceFile(declaration.scope)) {
        // const pg = require('pg'); const { Pool } = require('pg')
        const origin = facts.imports.get(name);
        if (origin && !origin.instanceOf) {
          const value = importValue(origin, name);
          if (value) return value;
        }
      }
      if (declaration.type) {
        const typed = typeNodeValue(declaration.type, ctx);
        if (typed) return typed;
      }
      if (declaration.initializer) {
        const value = exprValue(declaration.initializer, deeper(ctx));
        if (value) return value;
      }
      return valueNamed(name);
    }
    case 'class':
      return classValue(declaration.node as ts.ClassDeclaration, deeper(ctx));
    default:
      return undefined;
  }
}

function parameterValue(parameter: ts.ParameterDeclaration, name: string, ctx: Ctx): Val | undefined {
  if (parameter.type) {
    const typed = typeNodeValue(parameter.type, ctx);
    if (typed) return typed;
  }
  const decorated = decoratorValue(parameter, ctx);
  if (decorated) return decorated;
  const fn = parameter.parent;
  if (fn && isFunctionLike(fn)) {
    const tx = transactionParameterValue(fn, parameter, name, ctx);
    if (tx) return tx;
  }
  if (parameter.initializer) {
    const value = exprValue(parameter.initializer, deeper(ctx));
    if (value) return value;
  }
  return valueNamed(name);
}

/** `prisma.$transaction(async (tx) => …)`, `knex.transaction(async (trx) => …)`, `dataSource.transaction(async (manager) => …)`. */
function transactionParameterValue(fn: ts.Node, parameter: ts.ParameterDeclaration, name: string, ctx: Ctx): Val | undefined {
  const call = callReceiving(fn);
  if (!call) return undefined;
  const method = calleeName(call);
  if (method === undefined) return undefined;
  const first = (fn as ts.FunctionLikeDeclaration).parameters[0];
  if (first !== parameter) return undefined;
  const distinctive = distinctiveTransaction(method);
  if (distinctive) return distinctive.value?.(name);
  if (!transactionHandleMethods.has(method)) return undefined;
  const receiver = ts.isPropertyAccessExpression(skipParens(call.expression))
    ? (skipParens(call.expression) as ts.PropertyAccessExpression).expression
    : undefined;
  const owner = receiver ? exprValue(receiver, deeper(ctx)) : undefined;
  const lib = owner?.lib ?? guessTransactionLibrary(name, ctx.facts);
  const handle = lib ? transactionHandle(lib) : undefined;
  // A distinctive method's handle (`$transaction`) is that library's only through its own method.
  return handle && !handle.distinctive ? handle.value?.(name) : undefined;
}

/** Nest injection: `@InjectRepository(User) repo`, `@InjectModel(Cat.name) model`, `@InjectRedis() redis`. */
function decoratorValue(node: ts.Node, ctx: Ctx): Val | undefined {
  for (const decorator of decoratorsOf(node)) {
    const expression = decorator.expression;
    if (!ts.isCallExpression(expression)) continue;
    const name = calleeName(expression);
    if (!name) continue;
    const first = expression.arguments[0];
    const model = first ? entityName(first) : undefined;
    const module = ctx.facts.imports.get(name)?.module;
    const value = decoratedValue(name, model, module);
    // A decorator libraries know but none claims here (`@InjectConnection` of another package) ends the search.
    if (value !== undefined) return value ?? undefined;
  }
  return undefined;
}

/** Types that name a client: `PrismaClient`, `Repository<User>`, `Knex.Transaction`, `PoolClient`, `Redis`. */
function typeNodeValue(type: ts.TypeNode, ctx: Ctx): Val | undefined {
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) {
    for (const part of type.types) {
      const value = typeNodeValue(part, ctx);
      if (value) return value;
    }
    return undefined;
  }
  if (ts.isTypeQueryNode(type) && ts.isIdentifier(type.exprName)) return nameValue(type.exprName.text, type, deeper(ctx));
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const typeName = type.typeName;
  const left = ts.isQualifiedName(typeName) && ts.isIdentifier(typeName.left) ? typeName.left.text : undefined;
  const right = ts.isQualifiedName(typeName) ? typeName.right.text : typeName.text;
  const origin = ctx.facts.imports.get(left ?? right);
  const owner = origin ? clientOfModule(origin.module) : undefined;
  const argument = type.typeArguments?.[0];
  const model = argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) ? argument.typeName.text : undefined;
  for (const entry of libraries) {
    const value = entry.client?.typeReference?.({
      left,
      right,
      model,
      fromLibrary: entry === owner,
      unimported: !origin,
      facts: ctx.facts,
    });
    if (value) return value;
  }
  return undefined;
}

/** The heritage clause a class extends, as the descriptors see it. */
function baseOf(declaration: ts.ClassLikeDeclaration, ctx: Ctx, resolve: boolean): { base: BaseClass; owner?: string } | undefined {
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0];
  if (!heritage) return undefined;
  const name = ts.isIdentifier(heritage.expression) ? heritage.expression.text : undefined;
  const origin = name ? ctx.facts.imports.get(name) : undefined;
  const argument = heritage.typeArguments?.[0];
  const model = argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) ? argument.typeName.text : undefined;
  return {
    base: { value: resolve ? exprValue(heritage.expression, deeper(ctx)) : undefined, name, model, fromLibrary: false },
    owner: origin ? clientOfModule(origin.module)?.id : undefined,
  };
}

/** `class User extends Model`, `class UserRepository extends Repository<User>`, `class PrismaService extends PrismaClient`. */
function classValue(declaration: ts.ClassLikeDeclaration, ctx: Ctx): Val | undefined {
  const found = baseOf(declaration, ctx, true);
  if (!found) return undefined;
  const name = declaration.name?.text;
  for (const entry of libraries) {
    const value = entry.client?.subclass?.({ ...found.base, fromLibrary: entry.id === found.owner }, name);
    if (value) return value;
  }
  return undefined;
}

/** What `this` is inside a class: a repository (`extends Repository<User>`) or a Prisma client (`extends PrismaClient`). */
export function selfValue(declaration: ts.ClassLikeDeclaration, ctx: Ctx): Val | undefined {
  const found = baseOf(declaration, ctx, false);
  if (!found?.owner || found.base.name === undefined) return undefined;
  return library(found.owner)?.client?.self?.({ ...found.base, fromLibrary: true });
}

export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    // `this` inside a non-arrow function that is not a method is not the class instance.
    if ((ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) && !ts.isMethodDeclaration(current)) return undefined;
  }
  return undefined;
}

/** `this.x`: a property declaration, a constructor parameter property, or `this.x = …` in the constructor. */
export function memberValue(declaration: ts.ClassLikeDeclaration, name: string, ctx: Ctx): Val | undefined {
  if (ctx.depth > 5) return undefined;
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name) {
      if (member.type) {
        const typed = typeNodeValue(member.type, ctx);
        if (typed) return typed;
      }
      const decorated = decoratorValue(member, ctx);
      if (decorated) return decorated;
      if (member.initializer) {
        const value = exprValue(member.initializer, deeper(ctx));
        if (value) return value;
      }
      return valueNamed(name);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length) {
          return parameterValue(parameter, name, ctx);
        }
      }
      const assigned = member.body?.statements.find(
        (statement) =>
          ts.isExpressionStatement(statement) &&
          ts.isBinaryExpression(statement.expression) &&
          statement.expression.operatorToken.kind === SK.EqualsToken &&
          ts.isPropertyAccessExpression(statement.expression.left) &&
          statement.expression.left.expression.kind === SK.ThisKeyword &&
          statement.expression.left.name.text === name,
      );
      if (assigned) {
        const value = exprValue(((assigned as ts.ExpressionStatement).expression as ts.BinaryExpression).right, deeper(ctx));
        if (value) return value;
      }
    }
  }
  return valueNamed(name);
}

export function exprValue(expression: ts.Expression, ctx: Ctx): Val | undefined {
  if (ctx.depth > 6) return undefined;
  let e = skipParens(expression);
  if (ts.isAwaitExpression(e)) e = skipParens(e.expression);
  if (ts.isIdentifier(e)) return nameValue(e.text, e, ctx);
  if (ts.isPropertyAccessExpression(e)) {
    const object = skipParens(e.expression);
    if (object.kind === SK.ThisKeyword) {
      const cls = enclosingClass(object);
      return cls ? memberValue(cls, e.name.text, deeper(ctx)) : valueNamed(e.name.text);
    }
    const base = exprValue(object, deeper(ctx));
    const result = base ? member(base, e.name.text) : undefined;
    return result ?? valueNamed(e.name.text);
  }
  if (ts.isNewExpression(e)) return construct(exprValue(e.expression, deeper(ctx)));
  if (ts.isCallExpression(e)) {
    const callee = skipParens(e.expression);
    if (ts.isIdentifier(callee) && callee.text === 'require') {
      const specifier = constantString(e.arguments[0]);
      return specifier === undefined ? undefined : importValue({ module: specifier.replace(/^node:/, ''), imported: '*' }, '');
    }
    if (ts.isIdentifier(callee)) {
      const result = invoke(nameValue(callee.text, callee, deeper(ctx)), e, ctx);
      return result && 'val' in result ? result.val : undefined;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const object = skipParens(callee.expression);
      const base = object.kind === SK.ThisKeyword ? selfOf(object, ctx) : exprValue(object, deeper(ctx));
      if (!base) return undefined;
      const result = callMember(base, callee.name.text, e, ctx);
      return result && 'val' in result ? result.val : undefined;
    }
    return undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === SK.QuestionQuestionToken || op === SK.BarBarToken) return exprValue(e.left, deeper(ctx)) ?? exprValue(e.right, deeper(ctx));
    return undefined;
  }
  if (ts.isConditionalExpression(e)) return exprValue(e.whenTrue, deeper(ctx)) ?? exprValue(e.whenFalse, deeper(ctx));
  return undefined;
}

function selfOf(node: ts.Node, ctx: Ctx): Val | undefined {
  const cls = enclosingClass(node);
  return cls ? selfValue(cls, ctx) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Transitions: a member of a value, a call of a value, a method call on a value

export function member(val: Val, name: string): Val | undefined {
  if (val.role === 'module' && val.module) {
    const imported = importValue({ module: val.module, imported: name }, name);
    if (imported) return imported;
  }
  return library(val.lib)?.client?.member?.(val, name);
}

/** Calling a value directly: `fetch(url)`, `knex('users')`, `getRepository(User)`, `sql\`…\``, `knex(config)`. */
export function invoke(val: Val | undefined, call: ClientCallNode, ctx: Ctx, anchor = 0): StepResult {
  if (!val) return undefined;
  const client = library(val.lib)?.client;
  if (ts.isTaggedTemplateExpression(call)) return client?.tag?.(val, call, anchor);
  return client?.invoke?.(val, call, anchor, ctx);
}

/** A method call on a value: `repo.findOneBy(…)`, `pool.query(…)`, `axios.get(…)`, `dataSource.getRepository(User)`. */
export function callMember(val: Val, name: string, call: ClientCallNode, ctx: Ctx, anchor = 0): StepResult {
  if (val.role === 'module' || val.role === 'global') {
    const fn = member(val, name);
    if (fn) return invoke(fn, call, ctx, anchor);
    // `mysql.createPool(…)`, `mongoose.model('User')`: module functions the import table does not list.
    if (val.role === 'module' && ts.isCallExpression(call)) return library(val.lib)?.client?.moduleCall?.(val, name, call);
    return undefined;
  }
  return library(val.lib)?.client?.call?.(val, name, call, anchor, ctx);
}
