import { ts } from '../../ts';
import { defineRule, type FixSpec } from '../../rule';
import { calleeName, enclosingFunction, receiverOf, skipParens, skipParensUp } from '../../facts/ast';
import { contains, lookup, references, resolve, type Declaration } from '../../facts/dataflow';
import { declarationKind, isKnownArray, typeFactsOf } from '../../facts/collections';
import { hasRecordName, isSmallList, iterationScale, scaleOf } from '../../facts/sizes';
import { isTinyIteration, type Iteration } from '../../facts/loops';
import type { FileFacts } from '../../facts/fileFacts';
import { eachPass } from '../../facts/phrases';

const SK = ts.SyntaxKind;

/**
 * Keys that `Object.prototype` already has: assigning them goes through the prototype (a setter
 * for `__proto__`, a failure where the prototype is frozen) where a literal defines an own
 * property, so the assignment rewrite is not automatic for them.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

type Callback = ts.ArrowFunction | ts.FunctionExpression;

/** Where the copying accumulation happens. */
type Site =
  | { kind: 'reduce'; accumulator: Declaration; callback: Callback; call: ts.CallExpression }
  | { kind: 'loop'; accumulator: Declaration; assignment: ts.BinaryExpression; iteration: Iteration };

export default defineRule({
  meta: {
    id: 'spread-accumulator',
    category: 'complexity',
    description:
      'An accumulator copied on every step: `[...acc, x]`, `{ ...acc, [k]: v }` or `acc.concat(x)` in a reduce ' + 'callback or loop.',
    why:
      'Spreading the accumulator into a new array or object copies everything collected so far, on every step: ' +
      'n items cost 1 + 2 + … + n = n²/2 copies. For 10,000 items that is 50 million element copies and as many ' +
      'short-lived objects for the garbage collector, where pushing onto (or assigning into) one accumulator costs 10,000 ' +
      'operations. Object spreads are worse: each copy rebuilds the hidden class key by key.',
    howToFix:
      'Mutate the accumulator the reduce call created: `(acc.push(x), acc)` instead of `[...acc, x]`, `(acc[key] = ' +
      'value, acc)` instead of `{ ...acc, [key]: value }` — or use `map`, `flatMap` or ' +
      '`Object.fromEntries(items.map(…))`. In a loop, `result.push(x)` instead of `result = [...result, x]`. The safe ' +
      'fix writes a computed key with `Object.defineProperty(acc, key, { value, writable: true, enumerable: true, ' +
      'configurable: true })`: assigning `acc[key]` would call the `__proto__` setter for a key named `__proto__` ' +
      'where the literal defines an own property.',
    notReported: [
      'A single spread outside any loop',
      'Accumulations over short or fixed lists (plugins, options, a literal) or lists with no sign of size',
      'Objects that gain no new keys from pass to pass',
    ],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      why: 'the copies are O(n²) in the items reduced: small for a handful, large for rows of a table',
    },
    fix: 'safe',
    fixForm: 'mutate the fresh accumulator (a computed key through `Object.defineProperty`, so `__proto__` stays an own key)',
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) its seven invalid examples are not reported",
      },
    },
    messages: {
      reduceArray: {
        message: '`[...{{acc}}, …]` copies the whole accumulator on every `{{method}}` step: O(n²) element copies for n items.',
        note: 'Push onto the accumulator instead: `({{acc}}.push(…), {{acc}})`.',
      },
      reduceObject: {
        message: '`{ ...{{acc}}, … }` copies every key collected so far on every `{{method}}` step: O(n²) for n items.',
        note:
          'Assign into the accumulator instead: `({{acc}}[key] = value, {{acc}})`, or build the object with ' + '`Object.fromEntries(…)`.',
      },
      reduceNested: {
        message:
          '`{ ...{{acc}}, {{key}}: … }` copies the growing list `{{acc}}.{{key}}` on every `{{method}}` step: O(n²) ' +
          'element copies for n items.',
        note: 'Push onto it instead: `({{acc}}.{{key}}.push(…), {{acc}})`.',
      },
      reduceConcat: {
        message: '`{{acc}}.concat(…)` copies the whole accumulator on every `{{method}}` step: O(n²) element copies for n items.',
        note: 'Use `flatMap(…)`, or push onto the accumulator.',
      },
      reduceAssign: {
        message: '`Object.assign({}, {{acc}}, …)` copies every key collected so far on every `{{method}}` step: O(n²) for n items.',
        note: 'Assign into the accumulator instead: `Object.assign({{acc}}, …)`.',
      },
      loopArray: {
        message: '`{{acc}} = [...{{acc}}, …]` copies the whole array for every {{loop}}: O(n²) element copies.',
        note: 'Use `{{acc}}.push(…)`.',
      },
      loopObject: {
        message: '`{{acc}} = { ...{{acc}}, … }` copies every key collected so far for every {{loop}}: O(n²).',
        note: 'Assign the new keys instead: `{{acc}}[key] = value`.',
      },
      loopConcat: {
        message: '`{{acc}} = {{acc}}.concat(…)` copies the whole array for every {{loop}}: O(n²) element copies.',
        note: 'Use `{{acc}}.push(…)`.',
      },
      loopAssign: {
        message: '`{{acc}} = Object.assign({}, {{acc}}, …)` copies every key collected so far for every {{loop}}: O(n²).',
        note: 'Use `Object.assign({{acc}}, …)`.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function ids(users: Array<{ id: string }>) {
  return users.reduce((acc, user) => [...acc, user.id], [] as string[]);
}`,
          errors: [{ messageId: 'reduceArray', line: 2, column: 38 }],
          output: `export function ids(users: Array<{ id: string }>) {
  return users.reduce((acc, user) => (acc.push(user.id), acc), [] as string[]);
}`,
        },
        {
          code: `export function byName(users: Array<{ name: string; age: number }>) {
  return users.reduce((acc, user) => ({ ...acc, total: acc.total + user.age }), { total: 0 });
}`,
          errors: [{ messageId: 'reduceObject', line: 2, column: 39 }],
        },
        {
          code: `export function index(users: Array<{ id: string; active: boolean }>) {
  return users.reduce((acc: Record<string, boolean>, user) => ({ ...acc, [user.id]: user.active }), {});
}`,
          errors: [{ messageId: 'reduceObject', line: 2, column: 64 }],
          // Defined, not assigned: a user id "__proto__" stays an own key, as in the literal.
          output: `export function index(users: Array<{ id: string; active: boolean }>) {
  return users.reduce((acc: Record<string, boolean>, user) => Object.defineProperty(acc, user.id, { value: user.active, writable: true, enumerable: true, configurable: true }), {});
}`,
        },
        {
          code: `export function settings(entries: Array<[string, string]>) {
  return entries.reduce((acc: Settings, [key, value]) => key.startsWith('#') ? acc : { ...acc, last: key, count: value.length }, {});
}

interface Settings { last?: string; count?: number }`,
          errors: [{ messageId: 'reduceObject', line: 2, column: 86 }],
          output: `export function settings(entries: Array<[string, string]>) {
  return entries.reduce((acc: Settings, [key, value]) => key.startsWith('#') ? acc : (acc.last = key, acc.count = value.length, acc), {});
}

interface Settings { last?: string; count?: number }`,
        },
        {
          code: `export function children(documents: Array<{ children: string[] }>) {
  return documents.reduce((all: string[], doc) => all.concat(doc.children), []);
}`,
          errors: [{ messageId: 'reduceConcat', line: 2, column: 51 }],
        },
        {
          code: `export async function collect(pages: AsyncIterable<string[]>) {
  let rows: string[] = [];
  for await (const page of pages) {
    rows = [...rows, ...page];
  }
  return rows;
}`,
          errors: [{ messageId: 'loopArray', line: 4, column: 5 }],
        },
        {
          code: `export function merge(records: Array<Record<string, number>>) {
  let result: Record<string, number> = {};
  records.forEach((record) => {
    result = { ...result, ...record };
  });
  return result;
}`,
          errors: [{ messageId: 'loopObject', line: 4, column: 5 }],
        },
      ],
      valid: [
        `// One spread outside any loop copies once.
export function withDefaults(options: Record<string, unknown>) {
  return { ...DEFAULTS, ...options };
}
const DEFAULTS = { retries: 3 };`,
        `// Already mutating the accumulator.
export function ids(users: Array<{ id: string }>) {
  return users.reduce((acc: string[], user) => {
    acc.push(user.id);
    return acc;
  }, []);
}`,
        `// A fresh object per item (not an accumulator): map, not accumulate.
export function withIndex(items: Array<{ name: string }>) {
  return items.map((item, i) => ({ ...item, i }));
}`,
        `// String concatenation in a loop is linear in V8 (ropes): not reported.
export function csv(rows: string[][]) {
  let out = '';
  for (const row of rows) out += row.join(',') + '\\n';
  return out;
}`,
        `// The spread copies another object, not the accumulator.
export function stamped(events: Array<{ at: number }>, base: { source: string }) {
  const result: Array<{ at: number; source: string }> = [];
  for (const event of events) result.push({ ...base, ...event });
  return result;
}`,
        `// String concat is not an array copy.
export function joinAll(parts: string[]) {
  let text = '';
  for (const part of parts) text = text.concat(part);
  return text;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;

    const reportLiteral = (literal: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression, accumulatorName: ts.Identifier): void => {
      const site = siteOf(literal, accumulatorName, file);
      if (!site) return;
      const isArray = ts.isArrayLiteralExpression(literal);
      if (site.kind === 'reduce') {
        const nested = isArray ? undefined : nestedGrowth(literal as ts.ObjectLiteralExpression, site.accumulator.name);
        context.report({
          node: literal,
          messageId: isArray ? 'reduceArray' : nested ? 'reduceNested' : 'reduceObject',
          data: { acc: site.accumulator.name, method: calleeName(site.call) ?? 'reduce', key: nested ?? '' },
          fixes: reduceFix(literal, site, file),
        });
      } else {
        context.report({
          node: site.assignment,
          messageId: isArray ? 'loopArray' : 'loopObject',
          data: { acc: site.accumulator.name, loop: eachPass(site.iteration, file) },
          fixes: loopFix(literal, site, file),
        });
      }
    };

    return {
      ArrayLiteralExpression(literal) {
        for (const element of literal.elements) {
          if (ts.isSpreadElement(element)) {
            const spread = skipParens(element.expression);
            if (ts.isIdentifier(spread)) reportLiteral(literal, spread);
          }
        }
      },
      ObjectLiteralExpression(literal) {
        for (const property of literal.properties) {
          if (ts.isSpreadAssignment(property)) {
            const spread = skipParens(property.expression);
            if (ts.isIdentifier(spread)) reportLiteral(literal, spread);
          }
        }
      },
      CallExpression(call) {
        const method = calleeName(call);
        if (method === 'concat') {
          const receiver = receiverOf(call);
          const root = receiver && skipParens(receiver);
          if (!root || !ts.isIdentifier(root)) return;
          const site = siteOf(call, root, file);
          if (!site) return;
          const accumulator = site.accumulator;
          if (site.kind === 'reduce') {
            // Only an array accumulator: the initial value shows it.
            const initial = site.call.arguments[1];
            if (!initial || !isKnownArray(initial, file)) return;
            context.report({
              node: call,
              messageId: 'reduceConcat',
              data: { acc: accumulator.name, method: calleeName(site.call) ?? 'reduce' },
              fixes: flatMapSuggestion(call, site, file),
            });
          } else {
            if (declarationKind(accumulator) !== 'array' && !isKnownArray(root, file)) return;
            context.report({
              node: site.assignment,
              messageId: 'loopConcat',
              data: { acc: accumulator.name, loop: eachPass(site.iteration, file) },
            });
          }
          return;
        }
        if (method === 'assign' && call.arguments.length >= 3) {
          const callee = skipParens(call.expression);
          if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object') return;
          const target = skipParens(call.arguments[0]);
          const source = skipParens(call.arguments[1]);
          if (!ts.isObjectLiteralExpression(target) || target.properties.length > 0 || !ts.isIdentifier(source)) return;
          const site = siteOf(call, source, file);
          if (!site) return;
          if (site.kind === 'reduce')
            context.report({
              node: call,
              messageId: 'reduceAssign',
              data: { acc: site.accumulator.name, method: calleeName(site.call) ?? 'reduce' },
            });
          else
            context.report({
              node: site.assignment,
              messageId: 'loopAssign',
              data: { acc: site.accumulator.name, loop: eachPass(site.iteration, file) },
            });
        }
      },
    };
  },
});

// ---------------------------------------------------------------------------------------------
// Recognising an accumulator

/** The expression `node` is the value a function returns (arrow body, `return`, a branch of either). */
function returnedBy(node: ts.Node): Callback | ts.FunctionDeclaration | ts.MethodDeclaration | undefined {
  let current = skipParensUp(node);
  for (;;) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (ts.isConditionalExpression(parent) && parent.condition !== current) {
      current = skipParensUp(parent);
      continue;
    }
    if (ts.isArrowFunction(parent) && parent.body === current) return parent;
    if (ts.isReturnStatement(parent)) {
      const fn = enclosingFunction(parent);
      return fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn))
        ? fn
        : undefined;
    }
    return undefined;
  }
}

/** Some exit of the callback returns the accumulator as it came in (`return acc;`, `cond ? [...acc, x] : acc`). */
function returnsAccumulatorUnchanged(callback: Callback, acc: string): boolean {
  const leaves: ts.Expression[] = [];
  const collect = (expression: ts.Expression): void => {
    const inner = skipParens(expression);
    if (ts.isConditionalExpression(inner)) {
      collect(inner.whenTrue);
      collect(inner.whenFalse);
    } else leaves.push(inner);
  };
  if (ts.isBlock(callback.body)) {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) collect(node.expression);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(callback.body, visit);
  } else collect(callback.body);
  return leaves.some((leaf) => ts.isIdentifier(leaf) && leaf.text === acc);
}

/** The reduce call `fn` is the callback of, when `fn` is one. */
function reduceCallOf(fn: ts.Node): ts.CallExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const outer = skipParensUp(fn);
  const call = outer.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== outer) return undefined;
  const method = calleeName(call);
  return (method === 'reduce' || method === 'reduceRight') && receiverOf(call) ? call : undefined;
}

/**
 * Is `copy` (a literal spreading `name`, or `name.concat(…)`, or `Object.assign({}, name, …)`) an
 * accumulating copy? Either returned from a reduce callback whose first parameter is `name`, or
 * assigned back to `name` inside a loop that `name` is declared outside of.
 */
function siteOf(copy: ts.Expression, name: ts.Identifier, file: FileFacts): Site | undefined {
  const accumulator = resolve(name);
  if (!accumulator) return undefined;
  if (accumulator.kind === 'parameter') {
    const callback = accumulator.scope;
    const parameter = accumulator.node;
    if (!ts.isParameter(parameter) || !ts.isIdentifier(parameter.name) || (callback as Callback).parameters?.[0] !== parameter)
      return undefined;
    const call = reduceCallOf(callback);
    if (!call || returnedBy(copy) !== callback) return undefined;
    // A reduce over a handful of items (a literal, the values of an enum, a list of plugins…) copies a handful of times.
    const receiver = receiverOf(call);
    if (!receiver || scaleOf(receiver) !== 'large') return undefined;
    // `isImage(x) ? acc.concat(x.fileId) : acc`: collecting a few items of one kind; the cost grows with that subset only.
    if (ts.isCallExpression(copy) && returnsAccumulatorUnchanged(callback as Callback, name.text)) return undefined;
    return { kind: 'reduce', accumulator, callback: callback as Callback, call };
  }
  if (accumulator.kind !== 'let' && accumulator.kind !== 'var') return undefined;
  const outer = skipParensUp(copy);
  const assignment = outer.parent;
  if (!assignment || !ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== SK.EqualsToken || assignment.right !== outer)
    return undefined;
  const target = skipParens(assignment.left);
  if (!ts.isIdentifier(target) || resolve(target)?.id !== accumulator.id) return undefined;
  const iteration = file.iteration(assignment);
  if (!iteration || contains(iteration.node, accumulator.id)) return undefined;
  if (isTinyIteration(iteration) || (iteration.collection && isSmallList(iteration.collection))) return undefined;
  // Quadratic copying matters when the loop can run many times: over data, or (a loop without a collection) filling a list of records.
  const scale = iterationScale(iteration);
  if (scale ? scale !== 'large' : !hasRecordName(name)) return undefined;
  // An object copied per pass accumulates only if each pass adds keys: a computed key, or the item's own keys.
  if (ts.isObjectLiteralExpression(copy) && !addsKeysPerPass(copy, iteration)) return undefined;
  return { kind: 'loop', accumulator, assignment, iteration };
}

/**
 * `{ ...acc, list: acc.list.concat(x) }` / `{ ...acc, list: [...acc.list, x] }` with no key that varies:
 * the object keeps its few keys, and the quadratic copy is of the list inside it. The list's name.
 */
function nestedGrowth(literal: ts.ObjectLiteralExpression, acc: string): string | undefined {
  for (const property of literal.properties.slice(1)) {
    if (ts.isSpreadAssignment(property) || (ts.isPropertyAssignment(property) && ts.isComputedPropertyName(property.name)))
      return undefined;
  }
  for (const property of literal.properties.slice(1)) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
    const value = skipParens(property.initializer);
    const copied =
      ts.isCallExpression(value) && calleeName(value) === 'concat'
        ? receiverOf(value)
        : ts.isArrayLiteralExpression(value) && value.elements[0] && ts.isSpreadElement(value.elements[0])
          ? value.elements[0].expression
          : undefined;
    const inner = copied && skipParens(copied);
    if (
      inner &&
      ts.isPropertyAccessExpression(inner) &&
      ts.isIdentifier(inner.expression) &&
      inner.expression.text === acc &&
      inner.name.text === property.name.text
    )
      return property.name.text;
  }
  return undefined;
}

/** `{ ...acc, [key]: v }` or `{ ...acc, ...item }`: the object gains keys that differ from pass to pass. */
function addsKeysPerPass(literal: ts.ObjectLiteralExpression, iteration: Iteration): boolean {
  return literal.properties.slice(1).some((property) => {
    if (ts.isPropertyAssignment(property) && ts.isComputedPropertyName(property.name)) return true;
    if (ts.isSpreadAssignment(property)) {
      const spread = skipParens(property.expression);
      return ts.isIdentifier(spread) && iteration.variables.includes(spread.text);
    }
    return false;
  });
}

// ---------------------------------------------------------------------------------------------
// Fixes

interface Mutation {
  text: string;
  safe: boolean;
  /** Property keys assigned (objects): a typed accumulator must accept each of them. */
  keys?: string[];
  /** The text is an expression whose value is the accumulator (`Object.defineProperty(acc, …)`). */
  returnsAccumulator?: boolean;
}

/**
 * A literal converts a computed key to a property key before it evaluates the value;
 * defineProperty after. That cannot be seen when the key is of a string, number or symbol type
 * (by the type checker: converting it runs no code), or when the value is a plain read
 * (`plainRead`), whose evaluation runs no code either.
 */
function plainRead(value: ts.Expression): boolean {
  const node = skipParens(value);
  if (ts.isIdentifier(node) || ts.isLiteralExpression(node) || node.kind === SK.TrueKeyword || node.kind === SK.FalseKeyword) return true;
  // A property read, assumed to be a plain read as everywhere in PerfLens (and in every refactoring tool).
  return ts.isPropertyAccessExpression(node) && !node.questionDotToken && plainRead(node.expression);
}

function primitiveKey(key: ts.Expression, file: FileFacts): boolean {
  const type = typeFactsOf(file)?.typeOf(skipParens(key));
  if (!type) return false;
  const flags = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.ESSymbolLike;
  return type.isUnion() ? type.types.every((part) => !!(part.flags & flags)) : !!(type.flags & flags);
}

/** Assignment text for an object property of the accumulation literal, or undefined when there is none. */
function assignmentOf(property: ts.ObjectLiteralElementLike, acc: string, file: FileFacts): Mutation | undefined {
  if (ts.isShorthandPropertyAssignment(property)) {
    if (property.objectAssignmentInitializer) return undefined;
    const key = property.name.text;
    return { text: `${acc}.${key} = ${key}`, safe: !PROTOTYPE_KEYS.has(key), keys: [key] };
  }
  if (ts.isSpreadAssignment(property)) return { text: `Object.assign(${acc}, ${file.textOf(property.expression)})`, safe: false };
  if (!ts.isPropertyAssignment(property)) return undefined;
  const value = file.textOf(property.initializer);
  const name = property.name;
  if (ts.isIdentifier(name)) return { text: `${acc}.${name.text} = ${value}`, safe: !PROTOTYPE_KEYS.has(name.text), keys: [name.text] };
  if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name))
    return { text: `${acc}[${file.textOf(name)}] = ${value}`, safe: !PROTOTYPE_KEYS.has(name.text), keys: [name.text] };
  if (ts.isNumericLiteral(name)) return { text: `${acc}[${name.text}] = ${value}`, safe: true, keys: [name.text] };
  // `[key]: value` defines an own property; assignment would call the `__proto__` setter for that key (and fail for
  // `toString` where Object.prototype is frozen). Object.defineProperty defines it as the literal does, whatever the key.
  if (ts.isComputedPropertyName(name)) {
    const key = file.textOf(name.expression);
    if ((primitiveKey(name.expression, file) || plainRead(property.initializer)) && !lookup('Object', property))
      return {
        text: `Object.defineProperty(${acc}, ${key}, { value: ${value}, writable: true, enumerable: true, configurable: true })`,
        safe: true,
        returnsAccumulator: true,
      };
    return { text: `${acc}[${key}] = ${value}`, safe: false };
  }
  return undefined;
}

/** `[...acc, a, b]` → `(acc.push(a, b), acc)`; `{ ...acc, k: v }` → `(acc.k = v, acc)`. */
function mutationOf(literal: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression, acc: string, file: FileFacts): Mutation | undefined {
  if (ts.isArrayLiteralExpression(literal)) {
    const [first, ...rest] = literal.elements;
    if (!first || !ts.isSpreadElement(first) || !isName(first.expression, acc)) return undefined;
    if (rest.some((e) => e.kind === SK.OmittedExpression)) return undefined;
    if (rest.length === 0) return { text: acc, safe: true };
    // `push(...many)` passes every element as an argument: very large spreads overflow the stack.
    const safe = !rest.some(ts.isSpreadElement);
    return { text: `(${acc}.push(${rest.map((e) => file.textOf(e)).join(', ')}), ${acc})`, safe };
  }
  const [first, ...rest] = literal.properties;
  if (!first || !ts.isSpreadAssignment(first) || !isName(first.expression, acc)) return undefined;
  if (rest.length === 0) return { text: acc, safe: true };
  const parts = rest.map((p) => assignmentOf(p, acc, file));
  if (parts.some((p) => p === undefined)) return undefined;
  const defined = parts as Mutation[];
  if (defined.length === 1 && defined[0].returnsAccumulator) return defined[0];
  return {
    text: `(${defined.map((p) => p.text).join(', ')}, ${acc})`,
    safe: defined.every((p) => p.safe),
    keys: defined.flatMap((p) => p.keys ?? []),
  };
}

function isName(expression: ts.Expression, name: string): boolean {
  const inner = skipParens(expression);
  return ts.isIdentifier(inner) && inner.text === name;
}

/** A literal the reduce call creates itself, whose own slots plain assignment or push reproduces. */
function isFreshInitial(initial: ts.Expression | undefined, array: boolean): boolean {
  if (!initial) return false;
  const literal = skipParens(initial);
  if (array)
    return ts.isArrayLiteralExpression(literal) && literal.elements.every((e) => e.kind !== SK.OmittedExpression && !ts.isSpreadElement(e));
  return (
    ts.isObjectLiteralExpression(literal) &&
    literal.properties.every((p) => {
      if (ts.isShorthandPropertyAssignment(p)) return !p.objectAssignmentInitializer && p.name.text !== '__proto__';
      if (!ts.isPropertyAssignment(p)) return false;
      const name = p.name;
      return (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) && name.text !== '__proto__';
    })
  );
}

/**
 * Every value the callback returns is either the accumulator itself or an accumulation literal
 * (`returns`), and the accumulator is referenced nowhere else: then the previous accumulator is
 * never observed again, and mutating it in place is the same as copying it.
 */
function onlyFlowsThrough(site: Extract<Site, { kind: 'reduce' }>, returns: Set<ts.Node>): boolean {
  const { callback, accumulator } = site;
  if (callback.asteriskToken || callback.modifiers?.some((m) => m.kind === SK.AsyncKeyword)) return false;
  if (ts.isParameter(accumulator.node) && (accumulator.node.initializer || accumulator.node.dotDotDotToken)) return false;
  // Every exit returns: an expression body, or a block whose last statement is a return.
  const body = callback.body;
  const exits: ts.Expression[] = [];
  if (ts.isBlock(body)) {
    const last = body.statements[body.statements.length - 1];
    if (!last || !ts.isReturnStatement(last)) return false;
    let complete = true;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node)) {
        if (node.expression) exits.push(node.expression);
        else complete = false;
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(body, visit);
    if (!complete) return false;
  } else {
    exits.push(body);
  }
  const allowed = new Set<ts.Node>();
  const leaves = (expression: ts.Expression): boolean => {
    const inner = skipParens(expression);
    if (ts.isConditionalExpression(inner)) return leaves(inner.whenTrue) && leaves(inner.whenFalse);
    if (isName(inner, accumulator.name)) {
      allowed.add(inner);
      return true;
    }
    if (returns.has(inner)) {
      const spread = ts.isArrayLiteralExpression(inner)
        ? (inner.elements[0] as ts.SpreadElement).expression
        : ((inner as ts.ObjectLiteralExpression).properties[0] as ts.SpreadAssignment).expression;
      allowed.add(skipParens(spread));
      return true;
    }
    return false;
  };
  if (!exits.every(leaves)) return false;
  return references(accumulator).every((reference) => allowed.has(reference));
}

/** The accumulation literals of a reduce callback that can be rewritten. */
function accumulationLiterals(site: Extract<Site, { kind: 'reduce' }>, array: boolean, file: FileFacts): Map<ts.Node, Mutation> {
  const found = new Map<ts.Node, Mutation>();
  for (const reference of references(site.accumulator)) {
    const spread = skipParensUp(reference).parent;
    const literal = spread && (ts.isSpreadElement(spread) || ts.isSpreadAssignment(spread)) ? spread.parent : undefined;
    if (!literal || (array ? !ts.isArrayLiteralExpression(literal) : !ts.isObjectLiteralExpression(literal))) continue;
    if (returnedBy(literal) !== site.callback) continue;
    const mutation = mutationOf(literal as ts.ArrayLiteralExpression | ts.ObjectLiteralExpression, site.accumulator.name, file);
    if (mutation) found.set(literal, mutation);
  }
  return found;
}

function reduceFix(
  literal: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression,
  site: Extract<Site, { kind: 'reduce' }>,
  file: FileFacts,
): FixSpec[] {
  const array = ts.isArrayLiteralExpression(literal);
  const literals = accumulationLiterals(site, array, file);
  const own = literals.get(literal);
  if (!own) return [];
  // A call replacing `({ ...acc, [k]: v })` takes the parentheses with it.
  const target = (node: ts.Node, mutation: Mutation): ts.Node =>
    mutation.returnsAccumulator && node.parent && ts.isParenthesizedExpression(node.parent) ? node.parent : node;
  const edits = [...literals].map(([node, mutation]) => ({
    start: file.start(target(node, mutation)),
    end: target(node, mutation).end,
    newText: mutation.text,
  }));
  const provable =
    site.call.arguments.length === 2 &&
    isFreshInitial(site.call.arguments[1], array) &&
    onlyFlowsThrough(site, new Set(literals.keys())) &&
    [...literals.values()].every((m) => m.safe) &&
    isKnownArray(receiverOf(site.call)!, file) &&
    (array ||
      typeAccepts(
        site.accumulator,
        [...literals.values()].flatMap((m) => m.keys ?? []),
        file,
      ));
  const defines = [...literals.values()].some((m) => m.returnsAccumulator);
  const what = array
    ? `push onto ${site.accumulator.name}`
    : defines
      ? `define the key on ${site.accumulator.name} (Object.defineProperty: a key named __proto__ stays an own property, as in the literal)`
      : `assign into ${site.accumulator.name}`;
  return [
    {
      title: provable
        ? `Mutate the accumulator: ${what} instead of copying it`
        : `Mutate the accumulator: ${what} instead of copying it (check that the initial value is fresh and not shared)`,
      kind: provable ? 'safe' : 'suggestion',
      edits: provable ? edits : [{ start: file.start(literal), end: literal.end, newText: own.text }],
    },
  ];
}

/**
 * In TypeScript, `acc.k = v` must also type-check: `{ ...acc, k: v }` is assignable to an
 * accumulator type that has no `k`, an assignment is not. Plain JavaScript needs no types.
 */
function typeAccepts(accumulator: Declaration, keys: string[], file: FileFacts): boolean {
  if (!/\.[cm]?tsx?$/i.test(file.fileName)) return true;
  const types = typeFactsOf(file);
  const type = types?.typeOf(accumulator.id);
  if (!types || !type || type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return !!type && !!(type.flags & ts.TypeFlags.Any);
  const checker = types.checker;
  const index = checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & (ts.TypeFlags.String | ts.TypeFlags.Number));
  return keys.every((key) => {
    const property = checker.getPropertyOfType(type, key);
    if (property) {
      const declarations = property.declarations ?? [];
      return !declarations.some((d) => ts.getCombinedModifierFlags(d as ts.Declaration) & ts.ModifierFlags.Readonly);
    }
    return !!index && !index.isReadonly;
  });
}

/** `acc = [...acc, x];` → `acc.push(x);`, `acc = { ...acc, k: v };` → `acc.k = v;` (suggestions: the old array may be shared). */
function loopFix(
  literal: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression,
  site: Extract<Site, { kind: 'loop' }>,
  file: FileFacts,
): FixSpec[] {
  const statement = site.assignment.parent;
  if (!statement || !ts.isExpressionStatement(statement)) return [];
  const acc = site.accumulator.name;
  let text: string | undefined;
  if (ts.isArrayLiteralExpression(literal)) {
    const [first, ...rest] = literal.elements;
    if (
      !first ||
      !ts.isSpreadElement(first) ||
      !isName(first.expression, acc) ||
      rest.length === 0 ||
      rest.some((e) => e.kind === SK.OmittedExpression)
    )
      return [];
    text = `${acc}.push(${rest.map((e) => file.textOf(e)).join(', ')})`;
  } else {
    const [first, ...rest] = literal.properties;
    if (!first || !ts.isSpreadAssignment(first) || !isName(first.expression, acc) || rest.length === 0) return [];
    const parts = rest.map((p) => assignmentOf(p, acc, file));
    if (parts.some((p) => p === undefined)) return [];
    text = parts.map((p) => p!.text).join('; ');
  }
  return [
    {
      title: `Mutate ${acc} in place instead of copying it (check that no one else holds the old ${ts.isArrayLiteralExpression(literal) ? 'array' : 'object'})`,
      kind: 'suggestion',
      edits: [{ start: file.start(site.assignment), end: site.assignment.end, newText: text }],
    },
  ];
}

/** `items.reduce((acc, x) => acc.concat(f(x)), [])` → `items.flatMap((x) => f(x))` (a suggestion: concat also spreads array-likes). */
function flatMapSuggestion(call: ts.CallExpression, site: Extract<Site, { kind: 'reduce' }>, file: FileFacts): FixSpec[] {
  const { callback, call: reduce } = site;
  if (calleeName(reduce) !== 'reduce' || reduce.arguments.length !== 2) return [];
  const initial = skipParens(reduce.arguments[1]);
  if (!ts.isArrayLiteralExpression(initial) || initial.elements.length > 0) return [];
  if (ts.isBlock(callback.body) || skipParens(callback.body) !== call || call.arguments.length !== 1) return [];
  if (references(site.accumulator).length !== 1) return [];
  const receiver = receiverOf(reduce);
  if (!receiver) return [];
  const params = callback.parameters
    .slice(1)
    .map((p) => file.textOf(p))
    .join(', ');
  return [
    {
      title: 'Use flatMap instead of concatenating in reduce',
      kind: 'suggestion',
      edits: [
        {
          start: file.start(reduce),
          end: reduce.end,
          newText: `${file.textOf(receiver)}.flatMap((${params}) => ${file.textOf(call.arguments[0])})`,
        },
      ],
    },
  ];
}
