/**
 * Objects that are costly to build and cheap to reuse — `new RegExp(…)`, `new Intl.*(…)`,
 * `JSON.parse(…)` of fixed text, `Object.keys(x).sort()` — and what it takes to build one once
 * instead of over and over: stateless flags (no `g`/`y`), uses that cannot observe the object's
 * identity, arguments that construct cleanly. Shared by the rules that hoist them out of loops
 * (invariant-in-loop) and out of hot functions (construct-per-call).
 */
import { ts } from '../ts';
import { calleeName, skipParens, skipParensUp } from './ast';
import { contains, lookup, references, resolve, useOf, type Declaration } from './dataflow';
import { constantValue } from './constants';
import { syntacticKind, typeFactsOf } from './collections';
import type { FileFacts } from './fileFacts';

const SK = ts.SyntaxKind;

const INTL_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'NumberFormat',
  'DateTimeFormat',
  'Collator',
  'PluralRules',
  'RelativeTimeFormat',
  'ListFormat',
  'Segmenter',
  'DisplayNames',
]);

/** Methods whose call on the object leaves no trace of its identity (for a regexp without g/y: no lastIndex). */
const REGEXP_USES: ReadonlySet<string> = new Set(['test', 'exec']);
const INTL_USES: ReadonlySet<string> = new Set([
  'format',
  'formatToParts',
  'formatRange',
  'formatRangeToParts',
  'compare',
  'select',
  'selectRange',
  'segment',
  'resolvedOptions',
  'of',
]);
/** String methods that take a regexp and only read it (non-global: no lastIndex state). */
const STRING_REGEXP_METHODS: ReadonlySet<string> = new Set(['replace', 'match', 'split', 'search']);
/** Calls that only invoke a function they are given (a bound `collator.compare` or `formatter.format`). */
const CALLBACK_CONSUMERS: ReadonlySet<string> = new Set([
  'sort',
  'toSorted',
  'map',
  'forEach',
  'filter',
  'some',
  'every',
  'find',
  'flatMap',
]);

export type Construction =
  | { kind: 'regexp'; node: ts.NewExpression; args: readonly ts.Expression[] }
  | { kind: 'intl'; node: ts.NewExpression; ctor: string; args: readonly ts.Expression[] }
  | { kind: 'json'; node: ts.CallExpression; args: readonly ts.Expression[] }
  /** `Object.keys(x).sort()`: `node` is the sort call, `args` the listed object (and the comparator). */
  | { kind: 'keys'; node: ts.CallExpression; lister: string; args: readonly ts.Expression[] };

/** How the constructed object is used: directly, or through a const declared in the loop. */
export type Usage = { kind: 'direct' } | { kind: 'declared'; declaration: Declaration; statement: ts.VariableStatement };

/** `new RegExp(…)` with stateless flags, or `new Intl.X(…)`, not shadowed: what it builds. */
export function constructionOf(node: ts.NewExpression, file: FileFacts): Construction | undefined {
  if (!isConstructionCandidate(node)) return undefined;
  const callee = skipParens(node.expression);
  const args = node.arguments ?? [];
  if (ts.isIdentifier(callee) && callee.text === 'RegExp') {
    if (args.length === 0 || lookupGlobal('RegExp', node) || !flagsAreStateless(args, file)) return undefined;
    return { kind: 'regexp', node, args };
  }
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Intl' &&
    INTL_CONSTRUCTORS.has(callee.name.text)
  ) {
    if (lookupGlobal('Intl', node)) return undefined;
    return { kind: 'intl', node, ctor: callee.name.text, args };
  }
  return undefined;
}

/**
 * The cheap part of `constructionOf`, by syntax alone: `new RegExp(…)` with arguments, or
 * `new Intl.X(…)` of a known constructor. Ask it first: `constructionOf` may consult the type
 * checker for a RegExp's source.
 */
export function isConstructionCandidate(node: ts.NewExpression): boolean {
  const callee = skipParens(node.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'RegExp' && (node.arguments?.length ?? 0) > 0;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Intl' &&
    INTL_CONSTRUCTORS.has(callee.name.text)
  );
}

function lookupGlobal(name: string, at: ts.Node): boolean {
  return !!lookup(name, at);
}

/**
 * Known flags without `g` or `y`. `new RegExp(source)` without flags copies the flags of a RegExp
 * source, so the source must be known to be a string then.
 */
function flagsAreStateless(args: readonly ts.Expression[], file: FileFacts): boolean {
  const [source, flags] = args;
  if (flags === undefined) {
    const inner = skipParens(source);
    if (ts.isRegularExpressionLiteral(inner)) return !/[gy]/.test(inner.text.slice(inner.text.lastIndexOf('/') + 1));
    if (syntacticKind(inner) === 'string') return true;
    const type = typeFactsOf(file)?.typeOf(inner);
    return !!type && !!(type.flags & ts.TypeFlags.StringLike);
  }
  const value = constantValue(flags);
  return !!value && typeof value.value === 'string' && /^[dimsuv]*$/.test(value.value);
}

/** A use of the constructed object that cannot observe its identity or state. */
function harmlessUse(node: ts.Node, construction: Construction): boolean {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  if (!parent) return false;
  if (construction.kind === 'json' || construction.kind === 'keys') {
    // Read only: a property of it (`JSON.parse(text).timeout`), a reading method, a test. Not kept whole, not changed.
    const use = useOf(node);
    if (use.kind !== 'read' || ts.isExpressionStatement(parent)) return false;
    return ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || !use.deep;
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) {
    const method = parent.name.text;
    const allowed = construction.kind === 'regexp' ? REGEXP_USES : INTL_USES;
    if (!allowed.has(method)) return construction.kind === 'regexp' && (method === 'source' || method === 'flags') && !isAssigned(parent);
    const access = skipParensUp(parent);
    const call = access.parent;
    if (call && ts.isCallExpression(call) && call.expression === access) return true;
    // `names.sort(collator.compare)`: the bound method is only called.
    if (construction.kind === 'intl' && call && ts.isCallExpression(call) && call.arguments.includes(access as ts.Expression)) {
      const consumer = calleeName(call);
      return consumer !== undefined && CALLBACK_CONSUMERS.has(consumer);
    }
    return false;
  }
  if (construction.kind === 'regexp' && ts.isCallExpression(parent) && parent.arguments[0] === outer) {
    const method = calleeName(parent);
    return method !== undefined && STRING_REGEXP_METHODS.has(method) && ts.isPropertyAccessExpression(skipParens(parent.expression));
  }
  return false;
}

function isAssigned(node: ts.Node): boolean {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  return (
    !!parent &&
    ts.isBinaryExpression(parent) &&
    parent.left === outer &&
    parent.operatorToken.kind >= SK.FirstAssignment &&
    parent.operatorToken.kind <= SK.LastAssignment
  );
}

/**
 * How the object is used, when every use is harmless: directly, or through a `const` declared
 * inside `region` (the loop, the function) whose every use lies in it, after the declaration.
 */
export function usageOf(construction: Construction, region: ts.Node): Usage | undefined {
  if (harmlessUse(construction.node, construction)) return { kind: 'direct' };
  const outer = skipParensUp(construction.node);
  const declaration = outer.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== outer || !ts.isIdentifier(declaration.name))
    return undefined;
  const list = declaration.parent;
  const statement = list?.parent;
  if (
    !list ||
    !ts.isVariableDeclarationList(list) ||
    !(list.flags & ts.NodeFlags.Const) ||
    !statement ||
    !ts.isVariableStatement(statement)
  )
    return undefined;
  const bound = resolve(declaration.name);
  if (!bound || bound.id !== declaration.name || !contains(region, declaration)) return undefined;
  const uses = references(bound);
  // Uses before the declaration would throw (TDZ) where the hoisted one would not.
  if (
    uses.length === 0 ||
    !uses.every((reference) => contains(region, reference) && reference.pos >= statement.end && harmlessUse(reference, construction))
  )
    return undefined;
  return { kind: 'declared', declaration: bound, statement };
}

/** Every argument is a constant and constructing the object with them succeeds here. */
export function constructsCleanly(construction: Construction): boolean {
  const values: unknown[] = [];
  for (const argument of construction.args) {
    const value = constantValue(argument);
    if (!value) return false;
    values.push(value.value);
  }
  try {
    if (construction.kind === 'regexp') {
      if (typeof values[0] !== 'string' || (values.length > 1 && typeof values[1] !== 'string')) return false;
      new RegExp(values[0], values[1] as string | undefined);
      return true;
    }
    if (construction.kind === 'intl') {
      const ctor = (Intl as unknown as Record<string, new (...args: unknown[]) => unknown>)[construction.ctor];
      if (typeof ctor !== 'function') return false;
      new ctor(...values);
      return true;
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * A date formatter that names no `timeZone`: it takes the process's default zone when it is built,
 * and assigning `process.env.TZ` changes that default while the program runs.
 */
export function readsDefaultTimeZone(construction: Construction, file: FileFacts): boolean {
  return construction.kind === 'intl' && construction.ctor === 'DateTimeFormat' && !/\btimeZone\s*:/.test(file.textOf(construction.node));
}

/** A regexp passed to `x.replace(re, …)` only keeps behaviour when `x` is a string (not an object with its own replace). */
export function stringReceivers(construction: Construction, usage: Usage, file: FileFacts): boolean {
  if (construction.kind !== 'regexp') return true;
  const nodes: ts.Node[] = usage.kind === 'direct' ? [construction.node] : [...references(usage.declaration)];
  return nodes.every((node) => {
    const outer = skipParensUp(node);
    const call = outer.parent;
    if (!call || !ts.isCallExpression(call) || call.arguments[0] !== outer) return true;
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const receiver = skipParens(callee.expression);
    if (syntacticKind(receiver) === 'string') return true;
    const type = typeFactsOf(file)?.typeOf(receiver);
    return !!type && !!(type.flags & ts.TypeFlags.StringLike);
  });
}
