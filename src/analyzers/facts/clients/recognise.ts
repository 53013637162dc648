/**
 * Recognition: reading a call chain as a client operation. Evidence first (where the chain's root
 * comes from), then shapes only a client call has, then — last, lazily — the type checker.
 */
import { ts } from '../../ts';
import { lookup } from '../dataflow';
import type { FileFacts } from '../fileFacts';
import type { Shape } from '../libraries/library';
import {
  calledRoots,
  clientOfModule,
  isAnchorName,
  isCallableHint,
  libraries,
  library,
  sqlLibraryOf,
  typedClients,
  valueNamed,
} from '../libraries/registry';
import { skipParens } from '../ast';
import { isLowerFirst, NOT_MODELS, SK, type ClientCallNode, type Ctx, type Op, type Step, type StepResult, type Val, v } from './model';
import { callMember, enclosingClass, exprValue, invoke, isUserModule, member, memberValue, nameValue, selfValue } from './values';

/** A fresh resolution context for `facts`. */
export function contextFor(facts: FileFacts): Ctx {
  return { facts, depth: 0, nameValue };
}

/**
 * The cheap first filter, before any resolution: some method of the chain could start an
 * operation, or the chain's root is called and may be a client function. Walks the callee chain
 * without allocating.
 */
export function passesNameFilter(call: ClientCallNode, facts: FileFacts): boolean {
  let expression: ts.Expression = ts.isCallExpression(call) ? call.expression : call.tag;
  let calledRoot = true;
  for (let guard = 0; guard < 40; guard++) {
    expression = skipParens(expression);
    if (ts.isPropertyAccessExpression(expression)) {
      const name = expression.name.text;
      if (isAnchorName(name)) return !isBuiltinRoot(expression);
      expression = expression.expression;
      calledRoot = false;
      continue;
    }
    if (ts.isElementAccessExpression(expression)) {
      expression = expression.expression;
      calledRoot = false;
      continue;
    }
    if (ts.isCallExpression(expression)) {
      expression = expression.expression;
      calledRoot = true;
      continue;
    }
    if (ts.isTaggedTemplateExpression(expression)) {
      expression = expression.tag;
      calledRoot = true;
      continue;
    }
    break;
  }
  if (!calledRoot && !ts.isTaggedTemplateExpression(call)) return false;
  // A called root: fetch(…), knex('t'), an imported client function (`nodeFetch(u)`, `request(u)`), a module-level instance.
  if (ts.isIdentifier(expression)) {
    if (calledRoots.has(expression.text)) return true;
    const origin = facts.imports.get(expression.text);
    if (!origin) return false;
    return (
      origin.instanceOf !== undefined ||
      clientOfModule(origin.module) !== undefined ||
      (isUserModule(origin.module) && isLowerFirst(expression.text))
    );
  }
  // this.knex('users'), this.db('users')
  return ts.isPropertyAccessExpression(expression) && expression.expression.kind === SK.ThisKeyword;
}

/** `Math.max(…)`, `Object.values(…)`, `JSON.parse`, `require(…)…`: never a client. */
function isBuiltinRoot(access: ts.PropertyAccessExpression): boolean {
  let root: ts.Expression = access.expression;
  while (
    ts.isPropertyAccessExpression(root) ||
    ts.isCallExpression(root) ||
    ts.isElementAccessExpression(root) ||
    ts.isParenthesizedExpression(root)
  ) {
    root = ts.isParenthesizedExpression(root) ? root.expression : root.expression;
  }
  return (
    ts.isIdentifier(root) &&
    (NOT_MODELS.has(root.text) || root.text === 'require' || root.text === 'console' || root.text === 'process' || root.text === 'document')
  );
}

function walk(steps: Step[], start: Val, from: number, ctx: Ctx): Op | undefined {
  let val = start;
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    const result = step.call
      ? callMember(val, step.name, step.call, ctx, i)
      : (() => {
          const next = member(val, step.name);
          return next ? v(next) : undefined;
        })();
    if (!result) return undefined;
    if ('op' in result) {
      // An operation runs on the handle it was reached through: its transaction, its connection.
      result.op.tx ??= val.tx;
      result.op.single ??= val.single;
      return finish(result.op, steps);
    }
    val = result.val;
  }
  return undefined;
}

/** Builders: the rest of the chain decides the kind (and whether it runs at all). */
function finish(op: Op, steps: Step[]): Op | undefined {
  if (!op.builder) return op;
  const hook = library(op.lib)?.client?.finish;
  return hook
    ? hook(
        op,
        steps.slice(op.anchor + 1).map((step) => step.name),
      )
    : op;
}

/** The root's value and the index of the first step still to interpret. */
function rootValue(steps: Step[], ctx: Ctx): { val: Val; next: number } | StepResult | undefined {
  const first = steps[0];
  if (first.name === 'this') {
    if (steps.length < 2) return undefined;
    const cls = enclosingClass(first.node);
    if (!cls) return undefined;
    if (steps[1].call) {
      const self = selfValue(cls, ctx);
      return self ? { val: self, next: 1 } : undefined;
    }
    const value = memberValue(cls, steps[1].name, ctx);
    if (!value) return undefined;
    if (steps[1].call) return undefined;
    return { val: value, next: 2 };
  }
  const value = ts.isIdentifier(first.node) ? nameValue(first.name, first.node, ctx) : exprValue(first.node, ctx);
  if (!value) return undefined;
  if (first.call) return invoke(value, first.call, ctx, 0);
  return { val: value, next: 1 };
}

export function recogniseByEvidence(steps: Step[], ctx: Ctx): Op | undefined {
  const root = rootValue(steps, ctx);
  if (root) {
    if ('op' in root) return finish(root.op, steps);
    const start = 'val' in root && 'next' in root ? root : { val: (root as { val: Val }).val, next: 1 };
    const op = walk(steps, start.val, start.next, ctx);
    if (op) return op;
  }
  // ctx.prisma.user.findMany(), fastify.redis.get(k), app.locals.knex('users'): a telling member name.
  for (let i = 1; i < steps.length - 1; i++) {
    const step = steps[i];
    const hinted = valueNamed(step.name);
    if (!hinted) continue;
    if (step.call) {
      if (!isCallableHint(hinted)) continue;
      const result = invoke(hinted, step.call, ctx, i);
      if (result && 'op' in result) return finish(result.op, steps);
      continue;
    }
    const op = walk(steps, hinted, i + 1, ctx);
    if (op) return op;
  }
  return undefined;
}

/** Is `step` (a capitalised receiver) plausibly a model class: imported, a class that extends one, or a member like `db.User`? */
function isModelReceiver(steps: Step[], index: number, ctx: Ctx): boolean {
  const step = steps[index];
  if (!step || step.call || !/^[A-Z]/.test(step.name) || NOT_MODELS.has(step.name)) return false;
  if (index > 0) return true; // db.User, models.User, this.User
  if (!ts.isIdentifier(step.node)) return false;
  const declaration = lookup(step.name, step.node);
  if (!declaration) return false;
  if (declaration.kind === 'import') return !!ctx.facts.imports.get(step.name); // `@server/models`, `../models`, `~/entities`…
  if (declaration.kind === 'class') return !!(declaration.node as ts.ClassDeclaration).heritageClauses;
  if (declaration.kind === 'const' || declaration.kind === 'let' || declaration.kind === 'var') {
    // const { Order } = require('../models')
    if (ts.isSourceFile(declaration.scope) && ctx.facts.imports.get(step.name)) return true;
    let init = declaration.initializer;
    if (!init && ts.isBindingElement(declaration.node)) {
      let holder: ts.Node = declaration.node;
      while (holder && !ts.isVariableDeclaration(holder)) holder = holder.parent;
      init = holder ? (holder as ts.VariableDeclaration).initializer : undefined;
    }
    const inner = init ? skipParens(init) : undefined;
    return !!inner && (ts.isCallExpression(inner) || ts.isAwaitExpression(inner)); // const User = sequelize.define(…) / mongoose.model(…) / require('./models/user')
  }
  return false;
}

/** Shapes only a database or HTTP client has, when the root's origin says nothing. */
export function recogniseByShape(steps: Step[], ctx: Ctx): Op | undefined {
  const { facts } = ctx;
  // The first call in the chain after the root: the method whose name decides.
  let anchor = -1;
  for (let i = 1; i < steps.length; i++) {
    if (steps[i].call) {
      anchor = i;
      break;
    }
  }
  const root = steps[0];
  const call = anchor >= 0 ? steps[anchor].call : undefined;
  const method = anchor >= 0 ? steps[anchor].name : '';
  const shape: Shape = {
    steps,
    anchor,
    method,
    call,
    args: call && ts.isCallExpression(call) ? call.arguments : undefined,
    plainPrefix: anchor >= 0 && steps.slice(0, anchor).every((step) => !step.call),
    tableCall: root.call ? 0 : root.name === 'this' && steps[1]?.call ? 1 : -1,
    ctx,
    isModelReceiver: (index) => isModelReceiver(steps, index, ctx),
    fromModelsFolder: () => fromModelsFolder(steps, ctx),
    imports: (modules) => facts.imports.importsAny((module) => modules.includes(module)),
    callsOwnMethod: () => anchor === 1 && root.name === 'this' && declaresOwnMember(root.node, method, ctx),
    sqlLibrary: () => sqlLibraryOf(facts),
  };
  for (const entry of libraries) {
    const op = entry.client?.byShape?.(shape);
    if (op) return finish(op, steps);
  }
  return undefined;
}

/**
 * True when `this.<name>` is the class's own method: declared by the class, or inherited from a class
 * of the project (`extends BaseQueryRunner` imported from a relative path or declared in the file).
 * A class that extends a client library's class (`extends Pool`) inherits the client's method instead.
 */
function declaresOwnMember(self: ts.Node, name: string, ctx: Ctx): boolean {
  const cls = enclosingClass(self);
  if (!cls) return false;
  if (
    cls.members.some(
      (member) =>
        member.name !== undefined && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) && member.name.text === name,
    )
  )
    return true;
  const base = cls.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0]?.expression;
  // `extends BaseQueryRunner`, or CommonJS output's `extends BaseQueryRunner_1.BaseQueryRunner`.
  const root =
    base &&
    (ts.isIdentifier(base) ? base : ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression) ? base.expression : undefined);
  if (!root) return false;
  const origin = ctx.facts.imports.get(root.text);
  if (origin) return isUserModule(origin.module) && clientOfModule(origin.module) === undefined;
  const declaration = lookup(root.text, root);
  return declaration?.kind === 'class';
}

const MODELS_PATH = /(^|[/@~])(models?|entities|entity|schemas?|db\/models)(\/|$)/i;

/** The receiver is imported from a models or entities folder (or a file in one). */
function fromModelsFolder(steps: Step[], ctx: Ctx): boolean {
  const root = steps[0];
  if (!ts.isIdentifier(root.node)) return false;
  const origin = ctx.facts.imports.get(root.name);
  return !!origin && (MODELS_PATH.test(origin.module) || /\.model$|\.entity$/.test(origin.module));
}

/**
 * Last resort: the receiver's declared type, from the type checker (built lazily, once per
 * project). Only for files that import the library and methods it has, and only when the
 * receiver is a name or `this.x` whose declaration told nothing.
 */
export function recogniseByType(steps: Step[], ctx: Ctx): Op | undefined {
  const { facts } = ctx;
  const candidates = typedClients.filter(({ typed }) => facts.imports.importsAny((module) => typed.modules.includes(module)));
  if (candidates.length === 0) return undefined;
  let anchor = -1;
  for (let i = 1; i < steps.length; i++) {
    if (steps[i].call) {
      anchor = i;
      break;
    }
  }
  if (anchor < 1) return undefined;
  const method = steps[anchor].name;
  const fitting = candidates.filter(({ typed }) => typed.methods.has(method) || typed.methods.has(method.toLowerCase()));
  if (fitting.length === 0) return undefined;
  const receiver = steps[anchor - 1].node;
  const types = facts.types();
  if (!types) return undefined;
  const type = types.typeOf(receiver);
  if (!type) return undefined;
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return undefined;
  const file = declaration.getSourceFile().fileName.replace(/\\/g, '/');
  const name = symbol.getName();
  for (const { typed } of fitting) {
    if (!typed.path.test(file)) continue;
    let argument: ts.Type | undefined = type.aliasTypeArguments?.[0];
    if (!argument && type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) {
      argument = types.checker.getTypeArguments(type as ts.TypeReference)[0];
    }
    const val = typed.value(name, argument?.getSymbol()?.getName());
    const op = val && walk(steps, val, anchor, ctx);
    if (op) return op;
  }
  return undefined;
}
