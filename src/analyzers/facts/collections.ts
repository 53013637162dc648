/**
 * "Is this an array?" — evidence from syntax first (an array literal, `Array.from`, `.map()`,
 * `Object.keys()`, a `T[]` annotation, a class field initialised with `[]`, what a function of the
 * file returns), the type checker only when syntax cannot decide (and only in TypeScript files, see
 * `typeFactsOf`). `str.includes(x)` and `arr.includes(x)` look the same; a rule that confuses them is
 * wrong, so "unknown" is an answer of its own.
 *
 * Plain JavaScript has no annotations and no checker, so there a name's kind is also read from what
 * the code does with it: a JSDoc `@param {string[]}` / `@type {User[]}`, or a method only arrays have
 * (`ids.push(x)`, `rows.filter((r) => …)`) called on it; and `isKnownArray` follows a call into another
 * project file for what its function returns.
 */
import { ts } from '../ts';
import { calleeName, isAsyncFunction, isFunctionLike, receiverOf, skipOnlyParensUp, skipParens, type FunctionLike } from './ast';
import { references, resolve, useOf, type Declaration } from './dataflow';
import type { FileFacts } from './fileFacts';
import { calleeOf } from './modules';
import type { TypeFacts } from './types';

const SK = ts.SyntaxKind;

export type ValueKind = 'array' | 'string';

/** Calls whose result is always a fresh array. */
const ARRAY_FACTORIES: ReadonlySet<string> = new Set([
  'Array.from',
  'Array.of',
  'Array',
  'Object.keys',
  'Object.values',
  'Object.entries',
  'Object.getOwnPropertyNames',
  'Reflect.ownKeys',
]);

/** Methods that give an array whatever array-like they are called on (strings have none of them). */
const ARRAY_RESULT_METHODS: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'flatMap',
  'flat',
  'toSorted',
  'toReversed',
  'toSpliced',
  'split',
]);

/** Methods that give an array when called on an array (and a string on a string). */
const SAME_KIND_METHODS: ReadonlySet<string> = new Set(['slice', 'concat', 'sort', 'reverse', 'fill', 'copyWithin', 'with']);

/** Methods that give a string when called on anything that has them. */
const STRING_RESULT_METHODS: ReadonlySet<string> = new Set([
  'join',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'trimStart',
  'trimEnd',
  'padStart',
  'padEnd',
  'repeat',
  'toFixed',
  'substring',
  'substr',
  'normalize',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'charAt',
]);

/** `Object.keys` for `Object.keys(…)`, `f` for `f()`; undefined for longer chains. */
export function qualifiedCallee(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) return `${callee.expression.text}.${callee.name.text}`;
  return undefined;
}

/** What a written type annotation says: `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`, tuples → array; `string` → string. */
function annotatedKind(type: ts.TypeNode | undefined): ValueKind | undefined {
  if (!type) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return annotatedKind(type.type);
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return 'array';
  if (ts.isTypeOperatorNode(type) && type.operator === SK.ReadonlyKeyword) return annotatedKind(type.type);
  if (
    ts.isTypeReferenceNode(type) &&
    ts.isIdentifier(type.typeName) &&
    (type.typeName.text === 'Array' || type.typeName.text === 'ReadonlyArray')
  )
    return 'array';
  if (type.kind === SK.StringKeyword) return 'string';
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return 'string';
  return undefined;
}

/** A class field `items = []` / `items: T[]` of the class around `node`, for `this.items`. */
export function classField(name: string, at: ts.Node): ts.PropertyDeclaration | undefined {
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
    const parent = skipOnlyParensUp(reference).parent;
    if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === SK.EqualsToken) values.push(parent.right);
    else return undefined;
  }
  return values;
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
    case SK.AwaitExpression: {
      // `await loadWords(path)`: what an async function of the file returns.
      const awaited = skipParens((node as ts.AwaitExpression).expression);
      const fn = ts.isCallExpression(awaited) ? projectFunction(awaited) : undefined;
      return fn ? returnedKind(fn, depth + 1) : undefined;
    }
    case SK.CallExpression: {
      const call = node as ts.CallExpression;
      const name = qualifiedCallee(call);
      if (name !== undefined && ARRAY_FACTORIES.has(name)) return 'array';
      if (name === 'String') return 'string';
      // `readWords(path)`: what a function of the file returns (an async one returns a promise).
      const fn = projectFunction(call);
      if (fn) return isAsyncFunction(fn) || isGenerator(fn) ? undefined : returnedKind(fn, depth + 1);
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
  const written = writtenKind(declaration, depth);
  if (written || declaration.type || !isJavaScript(declaration.node)) return written;
  // Plain JavaScript: what its JSDoc says, or how the code uses it.
  return documentedKind(declaration) ?? (usedAsArray(declaration) ? 'array' : undefined);
}

function writtenKind(declaration: Declaration, depth: number): ValueKind | undefined {
  if (declaration.kind === 'const') return declaration.initializer ? syntacticKind(declaration.initializer, depth + 1) : undefined;
  if (declaration.kind === 'let' || declaration.kind === 'var') {
    const values = assignedValues(declaration);
    if (!values || values.length === 0) return undefined;
    const kinds = new Set(values.map((value) => syntacticKind(value, depth + 1)));
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  return undefined;
}

function isJavaScript(node: ts.Node): boolean {
  return /\.[cm]?jsx?$/i.test(node.getSourceFile().fileName);
}

/** `@param {string[]} ids`, `@type {Array<User>}`: in JavaScript, JSDoc is where types are written. */
function documentedKind(declaration: Declaration): ValueKind | undefined {
  const node = declaration.node;
  if (!ts.isParameter(node) && !ts.isVariableDeclaration(node)) return undefined;
  return annotatedKind(ts.getJSDocType(node));
}

/**
 * Methods arrays have and strings, Sets and Maps do not. The ones that take a callback count only
 * with a function written there (`rows.filter((r) => …)`): `Model.find({ … })` is a query.
 */
const ARRAY_ONLY_METHODS: ReadonlyMap<string, 'any' | 'callback'> = new Map([
  ['push', 'any'],
  ['pop', 'any'],
  ['shift', 'any'],
  ['unshift', 'any'],
  ['splice', 'any'],
  ['find', 'callback'],
  ['findIndex', 'callback'],
  ['findLast', 'callback'],
  ['findLastIndex', 'callback'],
  ['filter', 'callback'],
  ['map', 'callback'],
  ['flatMap', 'callback'],
  ['some', 'callback'],
  ['every', 'callback'],
  ['reduce', 'callback'],
  ['reduceRight', 'callback'],
]);

/** Some reference calls a method only arrays have on the name itself: `all.push(w)`, `users.find((u) => …)`. */
function usedAsArray(declaration: Declaration): boolean {
  return references(declaration).some((reference) => {
    const access = skipOnlyParensUp(reference).parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.questionDotToken) return false;
    const call = access.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== access) return false;
    const needs = ARRAY_ONLY_METHODS.get(access.name.text);
    if (needs !== 'callback') return needs === 'any';
    const callback = call.arguments[0] && skipParens(call.arguments[0]);
    return !!callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback));
  });
}

/**
 * The function of this file a call calls by name: `function readWords(…) {…}` or `const readWords = (…) => …`.
 * Not a method, not an import (another file's function is another file's question).
 */
function projectFunction(call: ts.CallExpression): FunctionLike | undefined {
  const callee = skipParens(call.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = resolve(callee);
  if (!declaration) return undefined;
  if (declaration.kind === 'function' && ts.isFunctionDeclaration(declaration.node) && declaration.node.body) return declaration.node;
  const init = declaration.kind === 'const' && declaration.initializer ? skipParens(declaration.initializer) : undefined;
  return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
}

function isGenerator(fn: FunctionLike): boolean {
  return (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && !!fn.asteriskToken;
}

/** The kind every `return` of `fn` gives (an arrow's expression body included); undefined when they differ or one is bare. */
function returnedKind(fn: FunctionLike, depth: number): ValueKind | undefined {
  if (depth > 6 || !fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return syntacticKind(fn.body, depth + 1);
  const kinds = new Set<ValueKind | undefined>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) kinds.add(node.expression ? syntacticKind(node.expression, depth + 1) : undefined);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** Calls that always return a new array when called on an array. */
const FRESH_ARRAY_METHODS: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'flatMap',
  'flat',
  'slice',
  'concat',
  'toSorted',
  'toReversed',
  'toSpliced',
  'with',
  'split',
]);

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
 * The list a whole copy is made of: `xs` of `[...xs]`, `xs.slice()`, `xs.concat()`,
 * `Array.from(xs)`; `expression` itself (without parentheses) when it is no such copy. A copy
 * holds the same items, so questions about them (how many, which list is sorted) are the original's.
 */
export function listBehindCopy(expression: ts.Expression): ts.Expression {
  const node = skipParens(expression);
  if (ts.isArrayLiteralExpression(node) && node.elements.length === 1 && ts.isSpreadElement(node.elements[0]))
    return skipParens(node.elements[0].expression);
  if (ts.isCallExpression(node)) {
    const name = calleeName(node);
    const inner = receiverOf(node);
    if ((name === 'slice' || name === 'concat') && node.arguments.length === 0 && inner) return skipParens(inner);
    const callee = skipParens(node.expression);
    if (
      name === 'from' &&
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'Array' &&
      node.arguments.length === 1
    )
      return skipParens(node.arguments[0]);
  }
  return node;
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
  const types = typeFactsOf(file);
  if (types) return types.isArray(skipParens(expression)) === true;
  // Plain JavaScript has no checker to follow an import: what the project function called returns, in its own file.
  return importedReturnKind(expression, file) === 'array';
}

/**
 * `readWords(path)`, `await loadRows()`, or a const holding one, where the function is another project file's
 * (`const { readWords } = require('./words')`, `import { loadRows } from './db'`): the kind its returns give.
 */
function importedReturnKind(expression: ts.Expression, file: FileFacts): ValueKind | undefined {
  let node = skipParens(expression);
  if (ts.isIdentifier(node)) {
    const declaration = resolve(node);
    if (declaration?.kind !== 'const' || !declaration.initializer) return undefined;
    node = skipParens(declaration.initializer);
  }
  const awaited = ts.isAwaitExpression(node);
  if (ts.isAwaitExpression(node)) node = skipParens(node.expression);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = calleeOf(node, file);
  if (!callee || isGenerator(callee.fn) || (isAsyncFunction(callee.fn) && !awaited)) return undefined;
  return returnedKind(callee.fn, 0);
}
