import { ts } from '../../../ts';
import { defineRule, type FixSpec, type ReportEvidence } from '../../../rule';
import type { TextEdit } from '../../../finding';
import { calleeName, indentationAt, newlineOf, referencedNames, skipParens, skipParensUp } from '../../../facts/ast';
import {
  assignedProperties,
  camelName,
  contains,
  insertionPoint,
  isSharedOutsideFile,
  isStableIn,
  MUTATING_METHODS,
  READING_METHODS,
  references,
  resolve,
  suspends,
  uniqueName,
  useOf,
  type Declaration,
} from '../../../facts/dataflow';
import { assignedValues, createsFreshArray, declarationKind, isKnownArray, syntacticKind, typeFactsOf } from '../../../facts/collections';
import { fixedLength, isSmallList, iterationScale, scaleOf, SMALL_LITERAL } from '../../../facts/sizes';
import { isTinyIteration as isTiny, iterationStatement, type Iteration } from '../../../facts/loops';
import type { FileFacts } from '../../../facts/fileFacts';
import { compact, eachPass, loopNoun } from '../../../facts/phrases';
import { elementKind, literalElements } from './elementKinds';
import { executionOwner, runsDuringArrayCall } from './executionOwner';

const SK = ts.SyntaxKind;

/** Searches that compare by value: a Set answers them in O(1). */
const VALUE_SEARCHES: ReadonlySet<string> = new Set(['includes', 'indexOf', 'lastIndexOf']);
/** Searches by predicate: reported only when the predicate is an equality on a key (`x => x.id === id`). */
const KEY_SEARCHES: ReadonlySet<string> = new Set(['find', 'findIndex', 'findLast', 'findLastIndex', 'some']);

type Subject =
  | { kind: 'name'; node: ts.Identifier; declaration: Declaration }
  | { kind: 'chain'; node: ts.PropertyAccessExpression }
  | { kind: 'literal'; node: ts.ArrayLiteralExpression }
  | { kind: 'derived'; node: ts.CallExpression };

/** `x => x.id === key` (or `x === key`): the property path compared and the value it is compared with. */
interface KeyedPredicate {
  param: string;
  /** `===` (what a Map's SameValueZero matches for strings), not `==`. */
  strict: boolean;
  /** `id` for `x.id`, `meta.id` for `x.meta.id`; undefined when the element itself is compared. */
  key?: string;
  value: ts.Expression;
}

export default defineRule({
  meta: {
    id: 'lookup-in-loop',
    category: 'complexity',
    description: 'An array searched with includes/indexOf/find/some inside a loop or iteration callback over another collection.',
    why:
      '`includes`, `indexOf`, `find` and `some` compare against every element until they hit. Inside a loop over ' +
      'another collection that is n × m comparisons: 5,000 orders checked against 5,000 allowed ids is 25 million ' +
      'comparisons (tens of milliseconds of blocked event loop) where a Set or Map answers each check with one hash ' +
      'lookup — 5,000 operations. The commonest form is an array that is pushed to and searched in the same loop ' +
      '(`if (!seen.includes(x)) seen.push(x)`), which is O(n²) by itself.',
    howToFix:
      'Build a `Set` once before the loop (`const allowed = new Set(ids)`) and ask `allowed.has(x)`; for a search by ' +
      'key (`users.find((u) => u.id === id)`) build a `Map` from key to item once and use `.get(id)` — keeping the first item of each key, as `find` returns the first match (the safe fix does, for string keys of plain properties). An array that ' +
      'grows inside the loop keeps a Set beside it: add to both, check the Set. O(n·m) only hurts when both lists are ' +
      'long, so PerfLens reports where the code shows they can be — read from I/O (an awaited query, `JSON.parse`, ' +
      'lines of a text), derived from such data, or named as records (`orders`, `userIds`, `selectedElements`).',
    notReported: [
      'Strings (`name.includes("x")`)',
      'Constant or short lists (`["GET", "HEAD"].includes(method)`, enums, configuration, columns, locales)',
      "One record's own list (`link.tagIds`)",
      'Lists with no sign of size',
      'Searches in the collection being iterated (nested-scan reports those)',
      'Arrays that differ per item',
    ],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      why: "the cost is O(n·m): it matters only when both the loop's items and the searched list can grow",
    },
    fix: 'safe',
    fixForm: 'hoisted `Set`; for `find` by a string key, a `Map` keeping the first match',
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) its seven invalid examples are not reported",
        'strip-types':
          'not yet: in the `.js` twin nothing shows that an untyped parameter searched with `includes`/`indexOf` is an array rather than a string — no JSDoc, no array-only method called on it, no caller in the file (invalid examples 0, 1, 5 are not reported; a `find` with a callback, a JSDoc type or a list the code builds are seen)',
      },
    },
    messages: {
      set: {
        message: '`{{call}}` scans all of `{{array}}` for every {{loop}}: O(n·m) comparisons.',
        note: 'Build `new Set({{array}})` once before the loop and ask `.has(…)` — one hash lookup per check.',
      },
      map: {
        message: '`{{call}}` scans `{{array}}` for a matching `{{key}}` on every {{loop}}: O(n·m) comparisons.',
        note:
          'Index it once before the loop in a Map from `{{key}}` to item — keeping the first item of each `{{key}}`, as ' +
          '`find` returns the first match — and use `.get(…)`.',
      },
      setByKey: {
        message: '`{{call}}` scans `{{array}}` for a matching `{{key}}` on every {{loop}}: O(n·m) comparisons.',
        note: 'Collect the keys once before the loop — `new Set({{array}}.map((x) => x.{{key}}))` — and ask `.has(…)`.',
      },
      grows: {
        message:
          '`{{array}}` is searched with `{{method}}` and pushed to in {{loop}}: each check rescans everything kept so far, ' +
          'O(n²) over the loop.',
        note: 'Keep a Set beside it — add to it when pushing, check it with `.has(…)`.',
      },
      literal: {
        message: 'This {{count}}-item array literal is rebuilt and scanned by `{{method}}` on every {{loop}}.',
        note: 'Hoist it into a `Set` built once and use `.has(…)`.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function activeOrders(orders: Order[], activeIds: string[]) {
  return orders.filter((order) => activeIds.includes(order.customerId));
}

interface Order { customerId: string }`,
          errors: [{ messageId: 'set', line: 2, column: 35 }],
          output: `export function activeOrders(orders: Order[], activeIds: string[]) {
  const activeIdsSet = new Set(activeIds);
  return orders.filter((order) => activeIdsSet.has(order.customerId));
}

interface Order { customerId: string }`,
        },
        {
          code: `export function missing(wantedIds: string[], presentIds: string[]) {
  const result: string[] = [];
  for (const id of wantedIds) {
    if (presentIds.indexOf(id) === -1) result.push(id);
  }
  return result;
}`,
          errors: [{ messageId: 'set', line: 4, column: 9 }],
          output: `export function missing(wantedIds: string[], presentIds: string[]) {
  const result: string[] = [];
  const presentIdsSet = new Set(presentIds);
  for (const id of wantedIds) {
    if (!presentIdsSet.has(id)) result.push(id);
  }
  return result;
}`,
        },
        {
          code: `// The array grows inside the loop it is searched in: O(n²) by itself.
export function uniqueTags(posts: Array<{ tags: string[] }>) {
  const seen: string[] = [];
  for (const post of posts) {
    for (const tag of post.tags) {
      if (!seen.includes(tag)) seen.push(tag);
    }
  }
  return seen;
}`,
          errors: [{ messageId: 'grows', line: 6, column: 12 }],
        },
        {
          code: `export function attachAuthors(posts: Post[], users: User[]) {
  return posts.map((post) => ({ ...post, author: users.find((u) => u.id === post.authorId) }));
}

interface Post { authorId: string }
interface User { id: string; name: string }`,
          errors: [{ messageId: 'map', line: 2, column: 50 }],
          output: `export function attachAuthors(posts: Post[], users: User[]) {
  const usersById = new Map<string, User>();
  for (const u of users) if (!usersById.has(u.id)) usersById.set(u.id, u);
  return posts.map((post) => ({ ...post, author: usersById.get(post.authorId) }));
}

interface Post { authorId: string }
interface User { id: string; name: string }`,
        },
        {
          code: `// Number keys: a suggestion (find never matches NaN, a Map does).
export function attachAuthors(posts: Array<{ authorId: number }>, users: Array<{ id: number }>) {
  return posts.map((post) => ({ ...post, author: users.find((u) => u.id === post.authorId) }));
}`,
          errors: [{ messageId: 'map', line: 3, column: 50 }],
        },
        {
          code: `// indexOf on numbers is not rewritten automatically: indexOf never finds NaN, Set#has does.
export function countKnown(orderIds: number[], knownIds: number[]) {
  let count = 0;
  for (const id of orderIds) if (knownIds.indexOf(id) >= 0) count++;
  return count;
}`,
          errors: [{ messageId: 'set', line: 4, column: 34 }],
        },
        {
          code: `export function unknownIds(documents: Record<string, unknown>, ids: string[]) {
  const knownIds = Object.keys(documents);
  return ids.filter((id) => !knownIds.includes(id));
}`,
          errors: [{ messageId: 'set', line: 3, column: 30 }],
          output: `export function unknownIds(documents: Record<string, unknown>, ids: string[]) {
  const knownIds = Object.keys(documents);
  const knownIdsSet = new Set(knownIds);
  return ids.filter((id) => !knownIdsSet.has(id));
}`,
        },
      ],
      valid: [
        `// A string, not an array: String#includes is a substring search.
export function flagged(lines: string[], marker: string) {
  return lines.filter((line) => marker.includes(line.trim()));
}`,
        `// A constant list of a few items costs no more than a hash lookup.
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

export function cacheable(requests: Array<{ method: string }>) {
  return requests.filter((r) => SAFE_METHODS.includes(r.method) || ['PUT', 'DELETE'].includes(r.method));
}`,
        `// A different array per item (depends on the loop variable).
export function admins(users: Array<{ roles: string[] }>) {
  return users.filter((user) => user.roles.includes('admin'));
}`,
        `// Searching the collection being iterated: a pairwise scan of one list, not a lookup in another.
export function firstIndexes(items: string[]) {
  return items.filter((item, i) => items.indexOf(item) === i);
}`,
        `// Already a Set.
export function activeOrders(orders: Array<{ customerId: string }>, activeIds: string[]) {
  const active = new Set(activeIds);
  return orders.filter((order) => active.has(order.customerId));
}`,
        `// Not inside a loop: one search is O(n) once.
export function isAllowed(allowed: string[], id: string) {
  return allowed.includes(id);
}`,
        `// A predicate that is not an equality cannot be indexed.
export function matching(paths: string[], rules: Array<{ test(p: string): boolean }>) {
  return paths.filter((p) => rules.some((rule) => rule.test(p)));
}`,
        `// Unknown receiver type (plain JavaScript parameter): could be a string.
function mentions(texts, needle) {
  return texts.filter((t) => needle.includes(t));
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const method = calleeName(call);
        if (method === undefined || !(VALUE_SEARCHES.has(method) || KEY_SEARCHES.has(method))) return;
        const callee = skipParens(call.expression);
        if (!ts.isPropertyAccessExpression(callee) || call.arguments.length === 0) return;
        const receiver = skipParens(callee.expression);
        if (ts.isStringLiteralLike(receiver) || ts.isTemplateExpression(receiver)) return;
        if (ts.isArrayLiteralExpression(receiver) && isSmallList(receiver)) return;
        let predicate: KeyedPredicate | undefined;
        if (KEY_SEARCHES.has(method)) {
          predicate = keyedPredicate(call.arguments[0]);
          if (!predicate) return;
        }
        const iterations = file.iterations(call);
        if (iterations.length === 0) return;
        const subject = subjectOf(receiver);
        if (!subject) return;
        if (subject.kind !== 'literal' && subject.kind !== 'derived' && isSmallList(subject.node)) return;

        const levels = invariantLevels(subject, iterations, file);
        if (levels.length === 0) {
          const grows = growingIn(subject, iterations[0], file);
          // Quadratic in the loop's own length: one of the loops it grows in must walk data.
          const outside = subject.kind === 'name' ? iterations.filter((it) => !contains(it.node, subject.declaration.id)) : iterations;
          if (
            grows &&
            VALUE_SEARCHES.has(method) &&
            !isTiny(iterations[0]) &&
            outside.some((it) => iterationScale(it) === 'large') &&
            isKnownArray(receiver, file)
          ) {
            context.report({
              node: call,
              messageId: 'grows',
              data: { array: compact(file.textOf(receiver)), method, loop: loopNoun(iterations[0], file) },
              fixes: subject.kind === 'name' ? growingFix(subject.declaration, iterations[0], file) : [],
            });
          }
          return;
        }
        // Every loop around it walks only a handful of items (a literal, a constant, a list of columns or locales…).
        if (levels.every((level) => isTiny(level) || (!!level.collection && isSmallList(level.collection)))) return;
        if (subject.kind !== 'literal' && !isKnownArray(receiver, file)) return;
        // O(n·m) matters when both lists can be long — read from I/O, derived from data, or named as records: the
        // loop walks data, and the searched list does too (or is a long literal).
        if (!levels.some((level) => iterationScale(level) === 'large')) return;
        if (subject.kind === 'literal' ? subject.node.elements.length <= SMALL_LITERAL : scaleOf(receiver) !== 'large') return;

        const loop = eachPass(levels[0], file);
        const arrayText = file.textOf(receiver);
        const callText = `${compact(arrayText)}.${method}(…)`;
        if (subject.kind === 'literal') {
          context.report({
            node: call,
            messageId: 'literal',
            data: { count: subject.node.elements.length, method, loop },
            fixes: literalFix(call, subject.node, levels, file),
          });
          return;
        }
        if (predicate?.key !== undefined) {
          context.report({
            node: call,
            messageId: method === 'some' ? 'setByKey' : 'map',
            data: { call: callText, array: compact(arrayText), key: predicate.key, loop },
            fixes: subject.kind === 'name' && method === 'find' ? mapFix(call, subject, predicate, levels, file) : [],
            evidence: searched(levels[0], receiver),
          });
          return;
        }
        context.report({
          node: call,
          messageId: 'set',
          data: { call: callText, array: compact(arrayText), loop },
          fixes: subject.kind === 'name' && !predicate ? setFix(call, subject.declaration, levels, file) : [],
          evidence: searched(levels[0], receiver),
        });
      },
    };
  },
});

/**
 * O(n·m): the searched list's size counts as much as the loop's, so the evidence names both (a page of
 * `take: 10` is not reported) — except a list written out in the code, which the rule already weighed by
 * its length (a long literal is worth a Set): then the loop's alone.
 */
function searched(iteration: Iteration, receiver: ts.Expression): ReportEvidence {
  const inner = skipParens(receiver);
  const declaration = ts.isIdentifier(inner) ? resolve(inner) : undefined;
  const written = ts.isArrayLiteralExpression(inner) || (declaration !== undefined && fixedLength(declaration) !== undefined);
  return written ? { iteration } : { iteration, collection: receiver };
}

// ---------------------------------------------------------------------------------------------
// What is searched, and whether it changes

function subjectOf(receiver: ts.Expression): Subject | undefined {
  if (ts.isIdentifier(receiver)) {
    const declaration = resolve(receiver);
    return declaration ? { kind: 'name', node: receiver, declaration } : undefined;
  }
  if (ts.isPropertyAccessExpression(receiver) && chainRootOk(receiver)) return { kind: 'chain', node: receiver };
  if (ts.isArrayLiteralExpression(receiver)) return { kind: 'literal', node: receiver };
  if (ts.isCallExpression(receiver)) {
    const callee = skipParens(receiver.expression);
    if (
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'Object' &&
      ['keys', 'values', 'getOwnPropertyNames'].includes(callee.name.text) &&
      receiver.arguments.length === 1
    ) {
      return { kind: 'derived', node: receiver };
    }
  }
  return undefined;
}

/** `this.a.b` or `name.a.b`: a chain of plain property reads. */
function chainRootOk(chain: ts.PropertyAccessExpression): boolean {
  let node: ts.Expression = chain;
  while (ts.isPropertyAccessExpression(node)) {
    if (node.questionDotToken) return false;
    node = skipParens(node.expression);
  }
  return ts.isIdentifier(node) || node.kind === SK.ThisKeyword;
}

function chainRoot(chain: ts.PropertyAccessExpression): ts.Expression {
  let node: ts.Expression = chain;
  while (ts.isPropertyAccessExpression(node)) node = skipParens(node.expression);
  return node;
}

/** Nodes inside `region` that spell the same property chain as `chain`. */
function sameChainNodes(chain: ts.PropertyAccessExpression, region: ts.Node, file: FileFacts): ts.PropertyAccessExpression[] {
  const text = file.textOf(chain);
  const name = chain.name.text;
  const found: ts.PropertyAccessExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === name && file.textOf(node) === text) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(region);
  return found;
}

/** True when `subject` holds the same array on every pass through `iteration`. */
function invariantIn(subject: Subject, iteration: Iteration, file: FileFacts): boolean {
  const region = iteration.node;
  switch (subject.kind) {
    case 'name':
      // Escapes inside the loop (`render(list)`) rarely change an array; reassignment or mutation does.
      return isStableIn(subject.declaration, region, 'contents');
    case 'literal':
      return subject.node.elements.every((e) => !ts.isSpreadElement(e) && literalOrStable(e, region));
    case 'derived':
      return literalOrStable(subject.node.arguments[0], region) || subject.node.arguments[0].kind === SK.ThisKeyword;
    case 'chain': {
      const root = chainRoot(subject.node);
      if (ts.isIdentifier(root)) {
        const declaration = resolve(root);
        if (!declaration || !isStableIn(declaration, region, 'binding')) return false;
      }
      return sameChainNodes(subject.node, region, file).every((node) => {
        const use = useOf(node);
        return use.kind === 'read' || use.kind === 'escape';
      });
    }
  }
}

function literalOrStable(expression: ts.Expression, region: ts.Node): boolean {
  const node = skipParens(expression);
  if (ts.isIdentifier(node)) {
    const declaration = resolve(node);
    return !declaration || isStableIn(declaration, region, 'contents');
  }
  return (
    ts.isLiteralExpression(node) ||
    node.kind === SK.TrueKeyword ||
    node.kind === SK.FalseKeyword ||
    node.kind === SK.NullKeyword ||
    (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand))
  );
}

/**
 * The iterations (innermost first) in which the subject stays the same array, stopping at the
 * first one where it changes, and before one that iterates the subject itself.
 */
function invariantLevels(subject: Subject, iterations: Iteration[], file: FileFacts): Iteration[] {
  const levels: Iteration[] = [];
  const subjectText = subject.kind === 'literal' ? undefined : file.textOf(subject.node);
  for (const iteration of iterations) {
    if (subjectText !== undefined && iteration.collection && file.textOf(skipParens(iteration.collection)) === subjectText) break;
    if (!invariantIn(subject, iteration, file)) break;
    levels.push(iteration);
  }
  return levels;
}

/** The array is declared outside `iteration` and only pushed to inside it. */
function growingIn(subject: Subject, iteration: Iteration, file: FileFacts): boolean {
  const region = iteration.node;
  let uses: ReturnType<typeof useOf>[];
  if (subject.kind === 'name') {
    if (contains(region, subject.declaration.id)) return false;
    uses = references(subject.declaration)
      .filter((r) => contains(region, r))
      .map(useOf);
  } else if (subject.kind === 'chain') {
    const root = chainRoot(subject.node);
    if (ts.isIdentifier(root)) {
      const declaration = resolve(root);
      if (!declaration || !isStableIn(declaration, region, 'binding')) return false;
    }
    uses = sameChainNodes(subject.node, region, file).map(useOf);
  } else {
    return false;
  }
  let pushed = false;
  for (const use of uses) {
    if (use.kind === 'write') return false;
    if (use.kind === 'mutate') {
      if (use.method !== 'push' && use.method !== 'unshift') return false;
      pushed = true;
    }
  }
  return pushed;
}

/** `x => x.id === key`, `function (x) { return key == x.meta.id; }`, `x => x === key`. */
function keyedPredicate(argument: ts.Expression | undefined): KeyedPredicate | undefined {
  if (!argument) return undefined;
  const fn = skipParens(argument);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  if (fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0].name)) return undefined;
  const param = fn.parameters[0].name.text;
  let body: ts.Node | undefined = fn.body;
  if (body && ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    body = only && ts.isReturnStatement(only) ? only.expression : undefined;
  }
  if (!body) return undefined;
  const test = skipParens(body as ts.Expression);
  if (!ts.isBinaryExpression(test)) return undefined;
  const op = test.operatorToken.kind;
  if (op !== SK.EqualsEqualsEqualsToken && op !== SK.EqualsEqualsToken) return undefined;
  for (const [side, other] of [
    [test.left, test.right],
    [test.right, test.left],
  ] as const) {
    const key = keyPath(skipParens(side), param);
    if (key === null) continue;
    if (referencedNames(other).has(param)) return undefined;
    return { param, key, value: other, strict: op === SK.EqualsEqualsEqualsToken };
  }
  return undefined;
}

/** `x.a.b` → `a.b`, `x` → undefined; null when `node` is not a plain path from `param`. */
function keyPath(node: ts.Expression, param: string): string | undefined | null {
  const names: string[] = [];
  let current = node;
  while (ts.isPropertyAccessExpression(current) && !current.questionDotToken) {
    names.unshift(current.name.text);
    current = skipParens(current.expression);
  }
  if (!ts.isIdentifier(current) || current.text !== param) return null;
  return names.length === 0 ? undefined : names.join('.');
}

// ---------------------------------------------------------------------------------------------
// Fixes

/** The search rewritten against a Set: `xs.includes(v)` → `xsSet.has(v)`; `xs.indexOf(v) === -1` → `!xsSet.has(v)`. */
interface Rewrite {
  node: ts.Node;
  /** The text of the searched value. */
  value: string;
  negated: boolean;
  /** False for indexOf forms: equal to Set#has only when the elements cannot be NaN. */
  sameValueZero: boolean;
}

function rewriteOf(call: ts.CallExpression, file: FileFacts): Rewrite | undefined {
  const method = calleeName(call);
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || call.questionDotToken) return undefined;
  if (call.arguments.length !== 1 || ts.isSpreadElement(call.arguments[0])) return undefined;
  const value = file.textOf(call.arguments[0]);
  if (method === 'includes') return { node: call, value, negated: false, sameValueZero: true };
  if (method !== 'indexOf' && method !== 'lastIndexOf') return undefined;
  const outer = skipParensUp(call);
  const binary = outer.parent;
  if (!binary || !ts.isBinaryExpression(binary)) return undefined;
  const callOnLeft = binary.left === outer;
  const other = skipParens(callOnLeft ? binary.right : binary.left);
  const bound =
    ts.isNumericLiteral(other) && other.text === '0'
      ? 0
      : ts.isPrefixUnaryExpression(other) &&
          other.operator === SK.MinusToken &&
          ts.isNumericLiteral(other.operand) &&
          other.operand.text === '1'
        ? -1
        : undefined;
  if (bound === undefined) return undefined;
  // Normalise to `index OP bound`.
  let op: ts.SyntaxKind = binary.operatorToken.kind;
  if (!callOnLeft) {
    const flipped: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
      [SK.LessThanToken]: SK.GreaterThanToken,
      [SK.GreaterThanToken]: SK.LessThanToken,
      [SK.LessThanEqualsToken]: SK.GreaterThanEqualsToken,
      [SK.GreaterThanEqualsToken]: SK.LessThanEqualsToken,
    };
    op = flipped[op] ?? op;
  }
  let negated: boolean | undefined;
  if (bound === -1) {
    if (op === SK.ExclamationEqualsEqualsToken || op === SK.ExclamationEqualsToken || op === SK.GreaterThanToken) negated = false;
    else if (op === SK.EqualsEqualsEqualsToken || op === SK.EqualsEqualsToken || op === SK.LessThanEqualsToken) negated = true;
  } else {
    if (op === SK.GreaterThanEqualsToken) negated = false;
    else if (op === SK.LessThanToken) negated = true;
  }
  if (negated === undefined) return undefined;
  return { node: binary, value, negated, sameValueZero: false };
}

function rewriteText(rewrite: Rewrite, setName: string): string {
  return `${rewrite.negated ? '!' : ''}${setName}.has(${rewrite.value})`;
}

function insertBefore(statement: ts.Statement, declaration: string, file: FileFacts): TextEdit {
  const start = file.start(statement);
  const indent = indentationAt(file.text, start);
  return { start, end: start, newText: `${declaration}${newlineOf(file.text)}${indent}` };
}

/** The owner of a declaration's binding: the function whose call creates it (undefined at module level). */
function declarationOwner(declaration: Declaration): ts.Node | undefined {
  if (declaration.kind === 'parameter') return declaration.scope;
  return executionOwner(declaration.id);
}

/**
 * True when `declaration` provably holds the same array from just before `statement` runs to
 * every use inside it: declared before it and in scope; never escaping through this name; not
 * reassigned or mutated inside it; changed elsewhere only by code of its own function (not
 * closures, which could run during the loop), and only if the loop cannot suspend while that
 * code runs. An array that did not start here (a parameter, an alias, a call's result) may have
 * other holders, so then the statement must also run no code but the built-in array and string
 * methods it can see (see `runsOnlyVisibleCode`).
 */
function stableAcross(declaration: Declaration, statement: ts.Statement, file: FileFacts): boolean {
  if (!['const', 'let', 'var', 'parameter'].includes(declaration.kind)) return false;
  if (!contains(declaration.scope, statement)) return false;
  if (declaration.kind !== 'parameter' && declaration.node.end > file.start(statement)) return false;
  if (!isStableIn(declaration, statement, 'sealed') || isSharedOutsideFile(declaration)) return false;
  const owner = declarationOwner(declaration);
  const loopOwner = executionOwner(statement, runsDuringArrayCall);
  let changedElsewhere = false;
  for (const reference of references(declaration)) {
    if (contains(statement, reference)) continue;
    const use = useOf(reference);
    if (use.kind === 'escape') return false;
    if (use.kind === 'write' || use.kind === 'mutate') {
      if (executionOwner(reference, runsDuringArrayCall) !== owner) return false;
      changedElsewhere = true;
    }
  }
  if (changedElsewhere && loopOwner !== owner && suspends(statement)) return false;
  return isFreshLocal(declaration) || runsOnlyVisibleCode(statement, file);
}

/** Every value the name ever holds is an array created for it (so no other code can hold it). */
function isFreshLocal(declaration: Declaration): boolean {
  if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return false;
  const values = assignedValues(declaration);
  return !!values && values.length > 0 && values.every(createsFreshArray);
}

/** Global functions that run no user code on the values they are given (getters and valueOf aside). */
const TRANSPARENT_CALLS: ReadonlySet<string> = new Set([
  'String',
  'Number',
  'Boolean',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'Array.isArray',
  'Array.from',
  'Array.of',
  'Object.keys',
  'Object.values',
  'Object.entries',
  'Number.isNaN',
  'Number.isFinite',
  'Number.isInteger',
]);

/**
 * True when `region` cannot run code that might hold another reference to an array and change
 * it: it does not suspend (no await/yield), and every call in it is a built-in one — a reading
 * array or string method on a known array or string (its callback written inline, so visible
 * here), a change to an array created locally, `Math.*` and a few pure globals. `for…of` and
 * spreads walk known arrays or strings only. Property getters and implicit `valueOf` are assumed
 * to be plain reads, as every refactoring tool assumes.
 */
function runsOnlyVisibleCode(region: ts.Node, file: FileFacts): boolean {
  if (suspends(region)) return false;
  // Receivers whose reading methods are built-in: arrays, strings, Sets and Maps.
  const known = (expression: ts.Expression): boolean => {
    const kind = syntacticKind(expression);
    if (kind) return true;
    const inner = skipParens(expression);
    const declaration = ts.isIdentifier(inner) ? resolve(inner) : undefined;
    const init = declaration?.kind === 'const' && declaration.initializer ? skipParens(declaration.initializer) : undefined;
    if (
      init &&
      ts.isNewExpression(init) &&
      ts.isIdentifier(init.expression) &&
      (init.expression.text === 'Set' || init.expression.text === 'Map') &&
      !resolve(init.expression)
    )
      return true;
    if (isKnownArray(expression, file)) return true;
    const type = typeFactsOf(file)?.typeOf(inner);
    if (!type) return false;
    if (type.flags & ts.TypeFlags.StringLike) return true;
    const name = type.getSymbol()?.getName();
    return name === 'Set' || name === 'Map' || name === 'ReadonlySet' || name === 'ReadonlyMap';
  };
  let ok = true;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    // `throw new NotFound(id)` that leaves the region: what it runs comes after the region's last search.
    if (ts.isThrowStatement(node) && leavesRegion(node, region)) return;
    if (ts.isCallExpression(node)) {
      ok = transparentCall(node, known);
    } else if (ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node) || ts.isDecorator(node)) {
      ok = false;
    } else if (ts.isForOfStatement(node) || ts.isSpreadElement(node)) {
      ok = known(node.expression);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === SK.InstanceOfKeyword) {
      ok = false; // Symbol.hasInstance may run code
    }
    if (ok) ts.forEachChild(node, visit);
  };
  visit(region);
  return ok;
}

/** A `throw` with no `try` and no function between it and the root of `region`: nothing in the region runs after it. */
function leavesRegion(node: ts.ThrowStatement, region: ts.Node): boolean {
  for (let current = node.parent; current && current !== region; current = current.parent) {
    if (ts.isTryStatement(current) || ts.isFunctionLike(current) || ts.isClassStaticBlockDeclaration(current)) return false;
  }
  return true;
}

function transparentCall(call: ts.CallExpression, known: (expression: ts.Expression) => boolean): boolean {
  const callee = skipParens(call.expression);
  const qualified = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
      ? `${callee.expression.text}.${callee.name.text}`
      : undefined;
  if (qualified !== undefined && (TRANSPARENT_CALLS.has(qualified) || qualified.startsWith('Math.'))) {
    const root = ts.isIdentifier(callee) ? callee : (callee as ts.PropertyAccessExpression).expression;
    return ts.isIdentifier(root) && !resolve(root);
  }
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const receiver = callee.expression;
  // Callbacks must be written here (their bodies are checked as part of the region), not passed by name.
  if (CALLBACK_METHODS.has(method) && !call.arguments.every((argument) => isVisibleArgument(argument))) return false;
  if (READING_METHODS.has(method)) return known(receiver);
  if (MUTATING_METHODS.has(method)) {
    const target = skipParens(receiver);
    const declaration = ts.isIdentifier(target) ? resolve(target) : undefined;
    return !!declaration && isFreshLocal(declaration) && known(target);
  }
  return false;
}

/** Built-in methods that call a function they are given. */
const CALLBACK_METHODS: ReadonlySet<string> = new Set([
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'map',
  'filter',
  'forEach',
  'flatMap',
  'reduce',
  'reduceRight',
  'sort',
  'toSorted',
  'replace',
  'replaceAll',
]);

/** An argument that cannot be a function defined elsewhere: an inline function, a literal or a known string. */
function isVisibleArgument(argument: ts.Expression): boolean {
  const inner = skipParens(argument);
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) || ts.isLiteralExpression(inner) || syntacticKind(inner) !== undefined;
}

/** True when the declared value is an array and never null or undefined (syntax, else the declared type). */
function declaredArray(declaration: Declaration, file: FileFacts): boolean {
  const kind = declarationKind(declaration);
  if (kind) return kind === 'array';
  if (ts.isParameter(declaration.node) && declaration.node.questionToken) return false;
  const types = typeFactsOf(file);
  if (!types) return false;
  const type = types.typeOf(declaration.id);
  if (!type) return false;
  const nullish = ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Void;
  if (type.flags & nullish) return false;
  if (type.isUnion() && type.types.some((part) => part.flags & nullish)) return false;
  return types.isArray(declaration.id) === true;
}

/** `arr.includes(x)` → a Set built once before the loop (safe when provable, else a suggestion). */
function setFix(call: ts.CallExpression, declaration: Declaration, levels: Iteration[], file: FileFacts): FixSpec[] {
  const own = rewriteOf(call, file);
  if (!own) return [];
  if (/\beval\s*\(|\bwith\s*\(/.test(file.text)) return [];
  let statement: ts.Statement | undefined;
  for (let i = levels.length - 1; i >= 0 && !statement; i--) {
    const candidate = insertionPoint(iterationStatement(levels[i]));
    if (candidate && contains(candidate, call) && stableAcross(declaration, candidate, file)) statement = candidate;
  }
  const name = declaration.name;
  const setName = uniqueName(file.sourceFile, camelName(name, 'Set'));
  if (!statement) {
    // Not provable: offer the same rewrite to preview, before the innermost loop.
    const fallback = insertionPoint(iterationStatement(levels[0]));
    if (!fallback || !contains(fallback, call)) return [];
    return [
      {
        title: `Build a Set of ${name} once before the loop (check that ${name} does not change inside it)`,
        kind: 'suggestion',
        edits: [
          insertBefore(fallback, `const ${setName} = new Set(${name});`, file),
          { start: file.start(own.node), end: own.node.end, newText: rewriteText(own, setName) },
        ],
      },
    ];
  }
  const safeArray = declaredArray(declaration, file);
  let nanFree: boolean | undefined;
  const rewrites: Rewrite[] = [];
  for (const reference of references(declaration)) {
    if (!contains(statement, reference)) continue;
    const access = skipParensUp(reference).parent;
    const searchCall = access && ts.isPropertyAccessExpression(access) ? access.parent : undefined;
    if (!searchCall || !ts.isCallExpression(searchCall) || skipParens(searchCall.expression) !== access) continue;
    const rewrite = rewriteOf(searchCall, file);
    if (!rewrite) continue;
    if (!rewrite.sameValueZero) {
      nanFree ??= isNanFree(declaration, file);
      if (!nanFree) continue;
    }
    rewrites.push(rewrite);
  }
  // A search nested in another's argument is left for the next pass (edits of one fix must not overlap).
  const outermost = rewrites.filter((r) => !rewrites.some((other) => other !== r && contains(other.node, r.node)));
  rewrites.length = 0;
  rewrites.push(...outermost);
  const safe = safeArray && rewrites.some((r) => r.node === own.node);
  const reason = !safeArray
    ? `${name} is not known to be an array`
    : !own.sameValueZero && !nanFree
      ? 'indexOf never finds NaN, Set#has does'
      : 'it sits inside another search of the same array';
  const edits: TextEdit[] = [insertBefore(statement, `const ${setName} = new Set(${name});`, file)];
  for (const rewrite of safe ? rewrites : [own])
    edits.push({ start: file.start(rewrite.node), end: rewrite.node.end, newText: rewriteText(rewrite, setName) });
  return [
    {
      title: safe
        ? `Build a Set of ${name} once before the loop and use ${setName}.has(…)`
        : `Build a Set of ${name} once before the loop (${reason})`,
      kind: safe ? 'safe' : 'suggestion',
      edits,
    },
  ];
}

function isNanFree(declaration: Declaration, file: FileFacts): boolean {
  const kind = elementKind(declaration.id, file);
  return kind === 'string' || kind === 'boolean' || kind === 'bigint' || kind === 'object';
}

/** A large literal of literals searched with includes: a Set of the same literals, built once before the loop. */
function literalFix(call: ts.CallExpression, literal: ts.ArrayLiteralExpression, levels: Iteration[], file: FileFacts): FixSpec[] {
  const rewrite = rewriteOf(call, file);
  const elements = literalElements(literal);
  if (!rewrite || !elements) return [];
  const statement = insertionPoint(iterationStatement(levels[levels.length - 1]));
  if (!statement || !contains(statement, call)) return [];
  const argument = skipParens(call.arguments[0]);
  const hint = ts.isIdentifier(argument) ? argument.text : ts.isPropertyAccessExpression(argument) ? argument.name.text : 'known';
  const setName = uniqueName(file.sourceFile, camelName(hint, 'Values'));
  // Every element is a literal: the Set holds the same values on every pass; includes and Set#has both use SameValueZero.
  const nanFree = elements.kind !== 'number' && elements.kind !== 'mixed';
  const safe = rewrite.sameValueZero || nanFree;
  return [
    {
      title: `Build a Set of these ${elements.count} values once before the loop`,
      kind: safe ? 'safe' : 'suggestion',
      edits: [
        insertBefore(statement, `const ${setName} = new Set(${file.textOf(literal)});`, file),
        { start: file.start(rewrite.node), end: rewrite.node.end, newText: rewriteText(rewrite, setName) },
      ],
    },
  ];
}

/** `seen.includes(x)` with `seen.push(x)` in the same loop → a Set kept beside the array (a suggestion). */
function growingFix(declaration: Declaration, iteration: Iteration, file: FileFacts): FixSpec[] {
  const statement = insertionPoint(iterationStatement(iteration));
  if (!statement || declaration.node.end > file.start(statement) || !contains(declaration.scope, statement)) return [];
  if (!declaredArray(declaration, file)) return [];
  const setName = uniqueName(file.sourceFile, camelName(declaration.name, 'Set'));
  const edits: TextEdit[] = [insertBefore(statement, `const ${setName} = new Set(${declaration.name});`, file)];
  for (const reference of references(declaration)) {
    if (!contains(iteration.node, reference)) continue;
    const use = useOf(reference);
    const access = skipParensUp(reference).parent;
    const call = access && ts.isPropertyAccessExpression(access) ? access.parent : undefined;
    if (use.kind === 'mutate') {
      // Only `seen.push(x);` statements with simple arguments can be mirrored without evaluating anything twice.
      if (use.method !== 'push' || !call || !ts.isCallExpression(call) || !call.parent || !ts.isExpressionStatement(call.parent)) return [];
      if (!call.arguments.every((a) => ts.isIdentifier(a) || ts.isLiteralExpression(a))) return [];
      const statement = call.parent;
      const adds = call.arguments.map((a) => ` ${setName}.add(${file.textOf(a)});`).join('');
      // `if (c) seen.push(x);` needs braces for the second statement to stay under the if.
      const braced =
        !!statement.parent &&
        (ts.isBlock(statement.parent) ||
          ts.isSourceFile(statement.parent) ||
          ts.isCaseClause(statement.parent) ||
          ts.isDefaultClause(statement.parent));
      if (braced) edits.push({ start: statement.end, end: statement.end, newText: adds });
      else edits.push({ start: file.start(statement), end: statement.end, newText: `{ ${file.textOf(statement)}${adds} }` });
      continue;
    }
    if (call && ts.isCallExpression(call) && VALUE_SEARCHES.has(calleeName(call) ?? '')) {
      const rewrite = rewriteOf(call, file);
      if (!rewrite) return [];
      edits.push({ start: file.start(rewrite.node), end: rewrite.node.end, newText: rewriteText(rewrite, setName) });
    }
  }
  return [{ title: `Keep a Set beside ${declaration.name}: add when pushing, check with ${setName}.has(…)`, kind: 'suggestion', edits }];
}

/**
 * `users.find((u) => u.id === key)` → a Map from id to user built once before the loop, and
 * `usersById.get(key)`. Safe when provably the same answer (see docs/safe-fixes.md): the array
 * holds the same elements from before the loop to every search (`stableAcross`); its element type
 * says every element is an object whose key is a plain property (not a getter, not optional) of a
 * string type — `===` and the Map's SameValueZero agree on strings, and no element is
 * `undefined` (an element type the checker cannot resolve, such as a package's model type without
 * its node_modules, proves nothing); nothing in the loop assigns a property of the key's name; the predicate is `===`;
 * and the searched value is a name or a chain of plain reads of non-null objects, so evaluating it
 * once instead of once per comparison (or not at all for an empty array) changes nothing. The Map
 * keeps the FIRST element of each key, as `find` returns the first match. Otherwise the same index
 * is a suggestion.
 */
function mapFix(
  call: ts.CallExpression,
  subject: { node: ts.Identifier; declaration: Declaration },
  predicate: KeyedPredicate,
  levels: Iteration[],
  file: FileFacts,
): FixSpec[] {
  if (predicate.key === undefined) return [];
  const declaration = subject.declaration;
  const name = declaration.name;
  const last = predicate.key.split('.').pop() ?? predicate.key;
  const mapName = uniqueName(file.sourceFile, camelName(name, 'by', last));
  const element = predicate.param;
  const keyOf = (x: string): string => `${x}.${predicate.key}`;
  let statement: ts.Statement | undefined;
  for (let i = levels.length - 1; i >= 0 && !statement; i--) {
    const candidate = insertionPoint(iterationStatement(levels[i]));
    if (candidate && contains(candidate, call) && stableAcross(declaration, candidate, file)) statement = candidate;
  }
  const segments = predicate.key.split('.');
  const provable =
    !!statement &&
    predicate.strict &&
    call.arguments.length === 1 &&
    element !== name &&
    element !== mapName &&
    !/\beval\s*\(|\bwith\s*\(/.test(file.text) &&
    declaredArray(declaration, file) &&
    (plainStringKey(declaration, segments, file) || (unresolvedElementType(declaration, file) && stringValue(predicate.value, file))) &&
    !segments.some((segment) => assignedProperties(statement!).has(segment)) &&
    !assignedProperties(statement!).has('[]') &&
    plainValue(predicate.value, file);
  if (statement && provable) {
    const typeScript = /\.[cm]?tsx?$/i.test(file.fileName);
    const types = typeScript ? `<string, ${elementTypeText(declaration, file)}>` : '';
    const indent = indentationAt(file.text, file.start(statement));
    const newline = newlineOf(file.text);
    return [
      {
        title: `Index ${name} by ${predicate.key} in a Map once before the loop (the first of equal keys wins, as with find) and use ${mapName}.get(…)`,
        kind: 'safe',
        edits: [
          insertBefore(
            statement,
            `const ${mapName} = new Map${types}();${newline}${indent}` +
              `for (const ${element} of ${name}) if (!${mapName}.has(${keyOf(element)})) ${mapName}.set(${keyOf(element)}, ${element});`,
            file,
          ),
          { start: file.start(call), end: call.end, newText: `${mapName}.get(${file.textOf(predicate.value)})` },
        ],
      },
    ];
  }
  const fallback = insertionPoint(iterationStatement(levels[levels.length - 1]));
  if (!fallback || !contains(fallback, call)) return [];
  return [
    {
      title: `Index ${name} by ${predicate.key} in a Map once before the loop (assumes each ${predicate.key} appears once)`,
      kind: 'suggestion',
      edits: [
        insertBefore(fallback, `const ${mapName} = new Map(${name}.map((${element}) => [${keyOf(element)}, ${element}]));`, file),
        { start: file.start(call), end: call.end, newText: `${mapName}.get(${file.textOf(predicate.value)})` },
      ],
    },
  ];
}

/** The element type as written (`Product` of `products: Product[]`), else `(typeof products)[number]`. */
function elementTypeText(declaration: Declaration, file: FileFacts): string {
  let type = declaration.type;
  if (type && ts.isTypeOperatorNode(type) && type.operator === SK.ReadonlyKeyword) type = type.type;
  if (type && ts.isArrayTypeNode(type)) {
    const text = file.textOf(type.elementType);
    return ts.isUnionTypeNode(type.elementType) || ts.isFunctionTypeNode(type.elementType) ? `(${text})` : text;
  }
  if (
    type &&
    ts.isTypeReferenceNode(type) &&
    ts.isIdentifier(type.typeName) &&
    (type.typeName.text === 'Array' || type.typeName.text === 'ReadonlyArray') &&
    type.typeArguments?.length === 1
  )
    return file.textOf(type.typeArguments[0]);
  return `(typeof ${declaration.name})[number]`;
}

const NULLISH = ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown;

function nullable(type: ts.Type): boolean {
  return !!(type.flags & NULLISH) || (type.isUnion() && type.types.some((part) => !!(part.flags & NULLISH)));
}

/** Every element is an object (by its type) whose `a.b.key` path is made of plain, required properties and ends in a string. */
function plainStringKey(declaration: Declaration, segments: string[], file: FileFacts): boolean {
  const types = typeFactsOf(file);
  const arrayType = types?.typeOf(declaration.id);
  if (!types || !arrayType) return false;
  const checker = types.checker;
  let current = checker.getIndexTypeOfType(checker.getApparentType(arrayType), ts.IndexKind.Number);
  for (const segment of segments) {
    if (!current || nullable(current) || !(current.flags & ts.TypeFlags.Object || current.isIntersection())) return false;
    const property = checker.getPropertyOfType(current, segment);
    if (!property || property.flags & ts.SymbolFlags.Optional) return false;
    // A getter or a method is not a plain read (a mapped type's property, as ORMs generate, has its source's declarations or none).
    const declarations = property.declarations ?? [];
    if (property.flags & (ts.SymbolFlags.Accessor | ts.SymbolFlags.Method)) return false;
    if (declarations.some((d) => ts.isAccessor(d) || ts.isMethodDeclaration(d) || ts.isMethodSignature(d))) return false;
    current = checker.getTypeOfSymbol(property);
  }
  return !!current && !nullable(current) && !!(current.flags & ts.TypeFlags.StringLike);
}

/**
 * The array is declared `X[]` (or `Array<X>`) with `X` a type name the checker cannot resolve: a
 * package's model type when its node_modules are not installed (`import type { Product } from
 * '@prisma/client'`). Taken at its word as an array of values that are not null, as the
 * annotation says; what the key holds is then unknown, so the searched value must be a string
 * (on a string, `===` and the Map's SameValueZero agree whatever the keys are).
 */
function unresolvedElementType(declaration: Declaration, file: FileFacts): boolean {
  let type = declaration.type;
  if (type && ts.isTypeOperatorNode(type) && type.operator === SK.ReadonlyKeyword) type = type.type;
  const element =
    type && ts.isArrayTypeNode(type)
      ? type.elementType
      : type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Array'
        ? type.typeArguments?.[0]
        : undefined;
  if (!element || !ts.isTypeReferenceNode(element) || element.typeArguments) return false;
  const resolved = typeFactsOf(file)?.typeOf(element);
  return !!resolved && (resolved as { intrinsicName?: string }).intrinsicName === 'error';
}

function stringValue(expression: ts.Expression, file: FileFacts): boolean {
  const type = typeFactsOf(file)?.typeOf(skipParens(expression));
  return !!type && !nullable(type) && !!(type.flags & ts.TypeFlags.StringLike);
}

/** A name, or a chain of plain property reads (no `?.`, no call) on objects that are never null by their type. */
function plainValue(expression: ts.Expression, file: FileFacts): boolean {
  const node = skipParens(expression);
  if (ts.isIdentifier(node)) return !!resolve(node) || node.text === 'undefined';
  if (!ts.isPropertyAccessExpression(node) || node.questionDotToken) return false;
  const object = skipParens(node.expression);
  const type = typeFactsOf(file)?.typeOf(object);
  return !!type && !nullable(type) && plainValue(object, file);
}
