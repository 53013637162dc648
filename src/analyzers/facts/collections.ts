/**
 * "Is this an array?" — evidence from syntax first (an array literal, `Array.from`, `.map()`,
 * `Object.keys()`, a `T[]` annotation, a class field initialised with `[]`), the type checker
 * only when syntax cannot decide (and only in TypeScript files, see `typeFactsOf`). `str.includes(x)` and `arr.includes(x)` look the same; a
 * rule that confuses them is wrong, so "unknown" is an answer of its own.
 */
import { ts } from '../ts';
import { calleeName, receiverOf, skipParens } from './ast';
import { iterationOfCallback } from './loops';
import { isSharedOutsideFile, lookup, references, resolve, useOf, type Declaration } from './dataflow';
import type { FileFacts } from './fileFacts';
import type { TypeFacts } from './types';

const SK = ts.SyntaxKind;

export type ValueKind = 'array' | 'string';

/** Element kinds that decide whether `indexOf` (===) and `Set#has` (SameValueZero) agree: only numbers can be NaN. */
export type ElementKind = 'string' | 'number' | 'boolean' | 'bigint' | 'object' | 'mixed';

/** Calls whose result is always a fresh array. */
const ARRAY_FACTORIES: ReadonlySet<string> = new Set([
  'Array.from', 'Array.of', 'Array', 'Object.keys', 'Object.values', 'Object.entries', 'Object.getOwnPropertyNames', 'Reflect.ownKeys',
]);

/** Methods that give an array whatever array-like they are called on (strings have none of them). */
const ARRAY_RESULT_METHODS: ReadonlySet<string> = new Set(['map', 'filter', 'flatMap', 'flat', 'toSorted', 'toReversed', 'toSpliced', 'split']);

/** Methods that give an array when called on an array (and a string on a string). */
const SAME_KIND_METHODS: ReadonlySet<string> = new Set(['slice', 'concat', 'sort', 'reverse', 'fill', 'copyWithin', 'with']);

/** Methods that give a string when called on anything that has them. */
const STRING_RESULT_METHODS: ReadonlySet<string> = new Set([
  'join', 'toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'padStart', 'padEnd', 'repeat', 'toFixed', 'substring', 'substr',
  'normalize', 'toLocaleLowerCase', 'toLocaleUpperCase', 'charAt',
]);

function qualifiedCallee(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) return `${callee.expression.text}.${callee.name.text}`;
  return undefined;
}

/** What a written type annotation says: `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`, tuples → array; `string` → string. */
export function annotatedKind(type: ts.TypeNode | undefined): ValueKind | undefined {
  if (!type) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return annotatedKind(type.type);
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return 'array';
  if (ts.isTypeOperatorNode(type) && type.operator === SK.ReadonlyKeyword) return annotatedKind(type.type);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && (type.typeName.text === 'Array' || type.typeName.text === 'ReadonlyArray')) return 'array';
  if (type.kind === SK.StringKeyword) return 'string';
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return 'string';
  return undefined;
}

/** The element type written in an array annotation. */
function annotatedElementType(type: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (!type) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return annotatedElementType(type.type);
  if (ts.isTypeOperatorNode(type) && type.operator === SK.ReadonlyKeyword) return annotatedElementType(type.type);
  if (ts.isArrayTypeNode(type)) return type.elementType;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && (type.typeName.text === 'Array' || type.typeName.text === 'ReadonlyArray')) {
    return type.typeArguments?.[0];
  }
  return undefined;
}

function elementKindOfTypeNode(type: ts.TypeNode | undefined): ElementKind | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case SK.StringKeyword:
      return 'string';
    case SK.NumberKeyword:
      return 'number';
    case SK.BooleanKeyword:
      return 'boolean';
    case SK.BigIntKeyword:
      return 'bigint';
    case SK.ParenthesizedType:
      return elementKindOfTypeNode((type as ts.ParenthesizedTypeNode).type);
    case SK.LiteralType: {
      const literal = (type as ts.LiteralTypeNode).literal;
      if (ts.isStringLiteral(literal)) return 'string';
      if (ts.isNumericLiteral(literal)) return 'number';
      if (literal.kind === SK.TrueKeyword || literal.kind === SK.FalseKeyword) return 'boolean';
      return undefined;
    }
    case SK.UnionType: {
      const kinds = new Set((type as ts.UnionTypeNode).types.map(elementKindOfTypeNode));
      if (kinds.has(undefined)) return undefined;
      return kinds.size === 1 ? [...kinds][0] : 'mixed';
    }
    case SK.TypeLiteral:
      return 'object';
    default:
      return undefined;
  }
}

/** A class field `items = []` / `items: T[]` of the class around `node`, for `this.items`. */
function classField(name: string, at: ts.Node): ts.PropertyDeclaration | undefined {
  for (let current = at.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) {
      for (const member of current.members) {
        if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name) return member;
      }
      return undefined;
    }
  }
  return undefined;
}

/** Every value ever assigned to a variable (its initializer and each `x = …`), or undefined if one is not a plain assignment. */
export function assignedValues(declaration: Declaration): ts.Expression[] | undefined {
  const values: ts.Expression[] = [];
  if (declaration.initializer) values.push(declaration.initializer);
  for (const reference of references(declaration)) {
    if (useOf(reference).kind !== 'write') continue;
    const parent = skipParensUpTo(reference).parent;
    if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === SK.EqualsToken) values.push(parent.right);
    else return undefined;
  }
  return values;
}

function skipParensUpTo(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && ts.isParenthesizedExpression(current.parent)) current = current.parent;
  return current;
}

/**
 * What syntax alone says `expression` holds: 'array', 'string', or undefined (unknown). Follows
 * names to their declarations (annotation, or every value assigned), `this.field` to the class
 * field, and calls to what they are known to return.
 */
export function syntacticKind(expression: ts.Expression, depth = 0): ValueKind | undefined {
  if (depth > 6) return undefined;
  const node = skipParens(expression);
  switch (node.kind) {
    case SK.ArrayLiteralExpression:
      return 'array';
    case SK.StringLiteral:
    case SK.NoSubstitutionTemplateLiteral:
    case SK.TemplateExpression:
      return 'string';
    case SK.NewExpression: {
      const name = qualifiedCallee(node as ts.NewExpression);
      return name === 'Array' ? 'array' : undefined;
    }
    case SK.CallExpression: {
      const call = node as ts.CallExpression;
      const name = qualifiedCallee(call);
      if (name !== undefined && ARRAY_FACTORIES.has(name)) return 'array';
      if (name === 'String') return 'string';
      const method = calleeName(call);
      const receiver = receiverOf(call);
      if (!method || !receiver) return undefined;
      const receiverKind = syntacticKind(receiver, depth + 1);
      if (method === 'split') return receiverKind === 'array' ? undefined : 'array';
      if (ARRAY_RESULT_METHODS.has(method)) return receiverKind === 'string' ? undefined : 'array';
      if (SAME_KIND_METHODS.has(method)) return receiverKind;
      if (STRING_RESULT_METHODS.has(method)) return 'string';
      if ((method === 'replace' || method === 'replaceAll') && receiverKind === 'string') return 'string';
      return undefined;
    }
    case SK.BinaryExpression: {
      const binary = node as ts.BinaryExpression;
      const op = binary.operatorToken.kind;
      // `options.list || []`: whoever wrote the fallback expects an array.
      if (op === SK.BarBarToken || op === SK.QuestionQuestionToken) {
        const right = syntacticKind(binary.right, depth + 1);
        const left = syntacticKind(binary.left, depth + 1);
        if (right === 'array' && left !== 'string') return 'array';
        if (right === 'string' && left !== 'array') return 'string';
        return undefined;
      }
      return undefined;
    }
    case SK.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      const a = syntacticKind(conditional.whenTrue, depth + 1);
      return a !== undefined && a === syntacticKind(conditional.whenFalse, depth + 1) ? a : undefined;
    }
    case SK.Identifier: {
      const declaration = resolve(node as ts.Identifier);
      return declaration ? declarationKind(declaration, depth) : undefined;
    }
    case SK.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      if (access.expression.kind !== SK.ThisKeyword) return undefined;
      const field = classField(access.name.text, access);
      if (!field) return undefined;
      return annotatedKind(field.type) ?? (field.initializer ? syntacticKind(field.initializer, depth + 1) : undefined);
    }
    default:
      return undefined;
  }
}

/** What a declared name holds, from its annotation or from every value it is given. */
export function declarationKind(declaration: Declaration, depth = 0): ValueKind | undefined {
  // `ids?: string[]` may be undefined.
  if (ts.isParameter(declaration.node) && declaration.node.questionToken && !declaration.initializer) return undefined;
  const annotated = annotatedKind(declaration.type);
  if (annotated) return annotated;
  if (declaration.kind === 'const') return declaration.initializer ? syntacticKind(declaration.initializer, depth + 1) : undefined;
  if (declaration.kind === 'let' || declaration.kind === 'var') {
    const values = assignedValues(declaration);
    if (!values || values.length === 0) return undefined;
    const kinds = new Set(values.map((value) => syntacticKind(value, depth + 1)));
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  return undefined;
}

/** Calls that always return a new array when called on an array. */
const FRESH_ARRAY_METHODS: ReadonlySet<string> = new Set(['map', 'filter', 'flatMap', 'flat', 'slice', 'concat', 'toSorted', 'toReversed', 'toSpliced', 'with', 'split']);

/**
 * True when `expression` creates a new array no other code holds yet: a literal, `Array.from`,
 * `Object.keys`, `.map()`, `.slice()`, `.split()` … (whether it is an array at all is a separate
 * question: `str.slice()` is fresh too, and a string).
 */
export function createsFreshArray(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  if (ts.isArrayLiteralExpression(node)) return true;
  if (ts.isNewExpression(node)) return qualifiedCallee(node) === 'Array';
  if (!ts.isCallExpression(node)) return false;
  const name = qualifiedCallee(node);
  if (name !== undefined && ARRAY_FACTORIES.has(name)) return true;
  const method = calleeName(node);
  return method !== undefined && receiverOf(node) !== undefined && FRESH_ARRAY_METHODS.has(method);
}

/**
 * The type checker, in TypeScript files only. A checker costs a program per file (tens to
 * hundreds of milliseconds) and in plain JavaScript mostly answers `any` where syntax had no
 * answer either, so rules of this family ask it only where annotations make it worth it.
 */
export function typeFactsOf(file: FileFacts): TypeFacts | undefined {
  return /\.[cm]?tsx?$/i.test(file.fileName) ? file.types() : undefined;
}

/**
 * True when `expression` is known to hold an array: syntax first, then (only if syntax has no
 * answer) the type checker. False for strings and anything unknown.
 */
export function isKnownArray(expression: ts.Expression, file: FileFacts): boolean {
  const kind = syntacticKind(expression);
  if (kind) return kind === 'array';
  return typeFactsOf(file)?.isArray(skipParens(expression)) === true;
}

/**
 * True when `fn` is a callback of an array iteration method on something syntax shows is an
 * array (`[…].forEach(fn)`, `ids.map(fn)` with `ids` an array): it runs during that call only,
 * never later. Use as `executionOwner`'s `runsNow`.
 */
export function runsDuringArrayCall(fn: ts.Node): boolean {
  const iteration = iterationOfCallback(fn);
  if (!iteration?.collection) return false;
  if (iteration.method === 'from') return true;
  return syntacticKind(iteration.collection) === 'array';
}

/** Elements of an array literal when every one is a literal (no spreads, no holes): how many and of what kind. */
export function literalElements(literal: ts.ArrayLiteralExpression): { count: number; kind: ElementKind | undefined } | undefined {
  const kinds = new Set<ElementKind>();
  for (const element of literal.elements) {
    const inner = skipParens(element);
    if (ts.isStringLiteralLike(inner)) kinds.add('string');
    else if (ts.isNumericLiteral(inner) || (ts.isPrefixUnaryExpression(inner) && ts.isNumericLiteral(inner.operand))) kinds.add('number');
    else if (inner.kind === SK.TrueKeyword || inner.kind === SK.FalseKeyword) kinds.add('boolean');
    else if (inner.kind === SK.NullKeyword) kinds.add('object');
    else return undefined;
  }
  return { count: literal.elements.length, kind: kinds.size === 0 ? undefined : kinds.size === 1 ? [...kinds][0] : 'mixed' };
}

/**
 * The kind of the elements of an array held by a name, when provable: from its annotation, or from
 * a literal initializer of a name that is never changed (no write, mutation or escape anywhere),
 * else from the type checker.
 */
export function elementKind(expression: ts.Expression, file: FileFacts): ElementKind | undefined {
  const node = skipParens(expression);
  if (ts.isArrayLiteralExpression(node)) return literalElements(node)?.kind;
  if (ts.isIdentifier(node)) {
    const declaration = lookup(node.text, node);
    if (declaration) {
      const annotated = elementKindOfTypeNode(annotatedElementType(declaration.type));
      if (annotated) return annotated;
      const init = declaration.initializer && skipParens(declaration.initializer);
      if (init && (declaration.kind === 'const' || declaration.kind === 'let') && !isSharedOutsideFile(declaration) && references(declaration).every((r) => useOf(r).kind === 'read')) {
        if (ts.isArrayLiteralExpression(init)) {
          const literal = literalElements(init);
          if (literal?.kind) return literal.kind;
        }
        if (ts.isCallExpression(init)) {
          const name = qualifiedCallee(init);
          if (name === 'Object.keys' || name === 'Object.getOwnPropertyNames' || calleeName(init) === 'split') return 'string';
        }
      }
    }
  }
  return typeFactsOf(file)?.arrayElementKind(node);
}
