import { ts } from '../../ts';
import { defineRule, type FixSpec } from '../../rule';
import { calleeName, isFunctionLike, receiverOf, skipParens, skipParensUp } from '../../facts/ast';
import { contains, isInvariantIn, isValueReference, references, resolve, useOf } from '../../facts/dataflow';
import { iterationScale, scaleOf } from '../../facts/sizes';
import type { FileFacts } from '../../facts/fileFacts';
import { isTinyIteration as isTiny, type Iteration } from '../../facts/loops';
import { indexWalk } from '../../facts/indexWalks';
import { compact, eachPass } from '../../facts/phrases';

const SK = ts.SyntaxKind;

/** Callbacks that are searches by predicate: lookup-in-loop owns those. */
const SEARCH_CALLBACKS: ReadonlySet<string> = new Set(['find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every']);
/** Searches that rescan the list they are called on. */
const SELF_SEARCHES: ReadonlySet<string> = new Set([
  'indexOf',
  'lastIndexOf',
  'includes',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
]);

/** The inner scan: what it walks and how it names each element. */
interface Scan {
  iteration: Iteration;
  collection: ts.Expression;
  /** `customer.id` → true when `node` is the element or a property path from it. */
  keyOf(node: ts.Expression): string | undefined;
}

export default defineRule({
  meta: {
    id: 'nested-scan',
    category: 'complexity',
    description:
      'A loop in a loop that scans a whole second list (or the same list again) for the items whose key matches: a ' +
      'join or a deduplication in O(n·m).',
    why:
      'A loop inside a loop runs its body n × m times. When the inner loop only looks for the entries whose key ' +
      'matches the outer item (`customer.id === order.customerId`), almost all of that work is wasted: joining 5,000 ' +
      'orders to 5,000 customers this way is 25 million comparisons, where a Map from id to customer built once answers ' +
      'each order with one lookup. The same holds for deduplicating a list by searching it again for every item ' +
      '(`xs.filter((x, i) => xs.indexOf(x) === i)`): O(n²) where a Set is O(n).',
    howToFix:
      'Index the inner list once, before the outer loop: `const byId = new Map(customers.map((c) => [c.id, c]))`, then ' +
      '`byId.get(order.customerId)`; to collect all matches, group it once (a Map from key to an array of items). ' +
      'Deduplicate with `Array.from(new Set(xs))`, or by key with a Set of the keys seen so far.',
    notReported: [
      'Nested loops over different dimensions (rows and columns, a matrix product)',
      "Loops over each item's own children",
      'Loops over a short fixed list',
    ],
    impact: 'high',
    effort: 'medium',
    evidence: {
      basis: 'items',
      cpu: true,
      why: 'the cost is O(n·m): it matters only when the lists can grow',
    },
    fix: 'suggestion',
    fixForm: '`Array.from(new Set(xs))`',
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) its five invalid examples are not reported",
      },
    },
    messages: {
      join: {
        message: 'For every {{outer}}, this scans all of `{{inner}}` for `{{test}}`: O(n·m) comparisons.',
        note: 'Index `{{inner}}` by {{key}} in a Map once before the outer loop and look each match up with `.get(…)`.',
      },
      group: {
        message:
          '`{{inner}}.filter(…)` scans all of `{{inner}}` for every {{outer}} to collect the items whose {{key}} matches: ' + 'O(n·m).',
        note: 'Group `{{inner}}` by {{key}} once before the loop (a Map from key to its items) and take each group with ' + '`.get(…)`.',
      },
      intersect: {
        message: 'For every {{outer}}, this scans all of `{{inner}}` for an equal item: O(n·m) comparisons.',
        note: 'Build `new Set({{inner}})` once before the outer loop and ask `.has(…)`.',
      },
      pairwise: {
        message: 'This scans `{{inner}}` again for every item of `{{inner}}`, comparing `{{test}}`: O(n²) comparisons for n items.',
        note: 'Index the list by {{key}} in one pass (a Map from key to its items) and compare within each group.',
      },
      dedupe: {
        message: '`{{call}}` rescans `{{list}}` for every item of `{{list}}` to drop duplicates: O(n²) for n items.',
        note: '`Array.from(new Set({{list}}))` keeps the first of each value in one pass.',
      },
      dedupeByKey: {
        message: '`{{call}}` rescans `{{list}}` for every item of `{{list}}`: O(n²) for n items.',
        note: 'Keep a Set of the {{key}} values seen so far and test it instead, in one pass.',
      },
      selfSearch: {
        message: '`{{call}}` rescans `{{list}}` for every item of `{{list}}`: O(n²) for n items.',
        note: 'Count or index the list in one pass first (a Map from value to count or to items) and ask it.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function attach(orders: Order[], customers: Customer[]) {
  for (const order of orders) {
    for (const customer of customers) {
      if (customer.id === order.customerId) {
        order.customer = customer;
        break;
      }
    }
  }
}

interface Order { customerId: string; customer?: Customer }
interface Customer { id: string }`,
          errors: [{ messageId: 'join', line: 4, column: 11 }],
        },
        {
          code: `export function linesByOrder(orders: Array<{ id: number }>, lines: Array<{ orderId: number }>) {
  return orders.map((order) => ({ order, lines: lines.filter((line) => line.orderId === order.id) }));
}`,
          errors: [{ messageId: 'group', line: 2, column: 49 }],
        },
        {
          code: `export function unique(emails: string[]) {
  return emails.filter((email, index) => emails.indexOf(email) === index);
}`,
          errors: [{ messageId: 'dedupe', line: 2, column: 42 }],
        },
        {
          code: `export function uniqueById(users: Array<{ id: string }>) {
  return users.filter((user, index, all) => all.findIndex((other) => other.id === user.id) === index);
}`,
          errors: [{ messageId: 'dedupeByKey', line: 2, column: 45 }],
        },
        {
          code: `export function duplicates(files: Array<{ hash: string; path: string }>) {
  const found: string[] = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      if (files[i].hash === files[j].hash) found.push(files[j].path);
    }
  }
  return found;
}`,
          errors: [{ messageId: 'pairwise', line: 5, column: 11 }],
        },
      ],
      valid: [
        `// Rows and columns: different dimensions, every cell is needed.
export function multiply(a: number[][], b: number[][], n: number) {
  const c: number[][] = [];
  for (let i = 0; i < n; i++) {
    c.push([]);
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[i][k] * b[k][j];
      c[i].push(sum);
    }
  }
  return c;
}`,
        `// Each item's own children: the inner loop walks a different, correlated list.
export function childNames(parents: Array<{ id: string; children: Array<{ parentId: string; name: string }> }>) {
  const names: string[] = [];
  for (const parent of parents) {
    for (const child of parent.children) if (child.parentId === parent.id) names.push(child.name);
  }
  return names;
}`,
        `// A short fixed list of options: n × 3 comparisons.
const FORMATS = [{ ext: 'json' }, { ext: 'yaml' }, { ext: 'toml' }];
export function formatsOf(files: Array<{ ext: string }>) {
  return files.map((file) => FORMATS.filter((format) => format.ext === file.ext));
}`,
        `// Every pair is compared by something other than key equality: the work itself is pairwise.
export function closePairs(points: Array<{ x: number; y: number }>) {
  let count = 0;
  for (const a of points) for (const b of points) if (Math.hypot(a.x - b.x, a.y - b.y) < 1) count++;
  return count;
}`,
        `// Already indexed.
export function attach(orders: Array<{ customerId: string }>, customers: Array<{ id: string }>) {
  const byId = new Map(customers.map((c) => [c.id, c]));
  return orders.map((order) => byId.get(order.customerId));
}`,
        `// A search by predicate on another list is lookup-in-loop's to report.
export function authors(posts: Array<{ authorId: string }>, users: Array<{ id: string }>) {
  return posts.map((post) => users.find((user) => user.id === post.authorId));
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const reported = new Set<ts.Node>();

    return {
      BinaryExpression(binary) {
        const op = binary.operatorToken.kind;
        if (op !== SK.EqualsEqualsEqualsToken && op !== SK.EqualsEqualsToken) return;
        // Cheap shape first: at least one side is a name or a property path.
        const left = skipParens(binary.left);
        const right = skipParens(binary.right);
        if (!isPathLike(left) && !isPathLike(right)) return;
        // Most comparisons sit in no loop at all: ask the cheap question (no list built) first.
        const innermost = file.iteration(binary);
        if (!innermost || (innermost.kind === 'callback' && (innermost.method === undefined || SEARCH_CALLBACKS.has(innermost.method))))
          return;
        if (reported.has(innermost.node)) return;
        const iterations = file.iterations(binary);
        if (iterations.length < 2) return;
        const inner = iterations[0];
        if (reported.has(inner.node)) return;
        if (inner.kind === 'callback' && (inner.method === undefined || SEARCH_CALLBACKS.has(inner.method))) return;
        const scan = scanOf(inner);
        if (!scan) return;
        // The equality must test the element against something from an outer pass.
        let key: string | undefined;
        let other: ts.Expression | undefined;
        let elementSide: ts.Expression | undefined;
        for (const [side, rest] of [
          [left, right],
          [right, left],
        ] as const) {
          const k = scan.keyOf(side);
          if (k === undefined || scan.keyOf(rest) !== undefined) continue;
          key = k;
          other = rest;
          elementSide = side;
          break;
        }
        if (key === undefined || !other || !elementSide) return;
        if (inner.kind === 'callback' && inner.method === 'filter' && !isPredicateTest(binary, inner.node)) return;
        const outer = outerPass(other, iterations, inner);
        if (!outer) return;
        if (isTiny(outer) || isTiny(inner)) return;
        if (scaleOf(scan.collection) !== 'large' || iterationScale(outer) !== 'large') return;
        if (!invariantOrGrowing(scan.collection, outer.node)) return;
        reported.add(inner.node);
        const innerText = compact(file.textOf(skipParens(scan.collection)));
        const keyText = key === '' ? 'value' : `\`${key}\``;
        const test = compact(file.textOf(binary), 60);
        const outerNoun = eachPass(outer, file);
        // The cost is the outer pass times the list searched: the evidence is about both.
        const evidence = { iteration: outer, collection: scan.collection };
        if (sameCollection(scan.collection, outer, file)) {
          context.report({ node: binary, messageId: 'pairwise', data: { inner: innerText, test, key: keyText }, evidence });
        } else if (inner.kind === 'callback' && inner.method === 'filter') {
          context.report({
            node: inner.call ?? binary,
            messageId: 'group',
            data: { inner: innerText, outer: outerNoun, key: keyText },
            evidence,
          });
        } else if (key === '') {
          context.report({ node: binary, messageId: 'intersect', data: { inner: innerText, outer: outerNoun }, evidence });
        } else {
          context.report({ node: binary, messageId: 'join', data: { inner: innerText, outer: outerNoun, test, key: keyText }, evidence });
        }
      },
      CallExpression(call) {
        const method = calleeName(call);
        if (method === undefined || !SELF_SEARCHES.has(method) || call.arguments.length === 0) return;
        const receiver = receiverOf(call);
        if (!receiver) return;
        const list = skipParens(receiver);
        if (!ts.isIdentifier(list) && !ts.isPropertyAccessExpression(list)) return;
        const iteration = file.iteration(call);
        if (!iteration || iteration.kind !== 'callback' || !iteration.collection || !iteration.call) return;
        // Searching the list being iterated: by the same name, or through the callback's third parameter.
        const fn = iteration.node as ts.ArrowFunction | ts.FunctionExpression;
        const third = fn.parameters[2]?.name;
        const viaParameter = ts.isIdentifier(list) && !!third && ts.isIdentifier(third) && resolve(list)?.id === third;
        const iterated = skipParens(iteration.collection);
        if (!viaParameter && file.textOf(list) !== file.textOf(iterated)) return;
        if (!viaParameter && !isInvariantIn(list, fn, { propertyChains: true })) return;
        // A search by predicate is a scan for a key only when the predicate is an equality (`(y) => y.id === x.id`);
        // any other predicate (containment, distance) is pairwise work an index cannot answer.
        if (!['indexOf', 'lastIndexOf', 'includes'].includes(method) && predicateKey(call.arguments[0]) === undefined) return;
        if (scaleOf(iterated) !== 'large') return;
        const listText = compact(file.textOf(iterated));
        const callText = compact(file.textOf(outerComparison(call)), 60);
        const index = fn.parameters[1]?.name;
        const dedupe = iteration.method === 'filter' && index && ts.isIdentifier(index) && comparedWith(call, index);
        if (dedupe && (method === 'indexOf' || method === 'lastIndexOf')) {
          context.report({
            node: outerComparison(call),
            messageId: 'dedupe',
            data: { call: callText, list: listText },
            fixes: dedupeFix(call, iteration, method, file),
            evidence: { collection: iterated },
          });
          return;
        }
        if (dedupe && method === 'findIndex') {
          const key = predicateKey(call.arguments[0]);
          context.report({
            node: outerComparison(call),
            messageId: 'dedupeByKey',
            data: { call: callText, list: listText, key: key ? `\`${key}\`` : 'key' },
            evidence: { collection: iterated },
          });
          return;
        }
        context.report({
          node: call,
          messageId: 'selfSearch',
          data: { call: compact(file.textOf(call), 60), list: listText },
          evidence: { collection: iterated },
        });
      },
    };
  },
});

// ---------------------------------------------------------------------------------------------
// The inner scan

function isPathLike(node: ts.Expression): boolean {
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node);
}

/** `x.a.b` → `a.b`, `x` → '' when `root(x)` says the root is the element; undefined otherwise. */
function pathFrom(node: ts.Expression, isElement: (root: ts.Expression) => boolean): string | undefined {
  const names: string[] = [];
  let current = skipParens(node);
  for (;;) {
    if (isElement(current)) return names.join('.');
    if (ts.isPropertyAccessExpression(current) && !current.questionDotToken) {
      names.unshift(current.name.text);
      current = skipParens(current.expression);
      continue;
    }
    return undefined;
  }
}

/** What the inner iteration walks and how an element is written in its body. */
function scanOf(iteration: Iteration): Scan | undefined {
  if (iteration.kind === 'for-of' || iteration.kind === 'callback') {
    const collection = iteration.collection;
    if (!collection) return undefined;
    let elementNames: string[];
    if (iteration.kind === 'callback') {
      const fn = iteration.node as ts.ArrowFunction | ts.FunctionExpression;
      const first = fn.parameters[0];
      if (!first || iteration.method === 'reduce' || iteration.method === 'reduceRight') return undefined;
      elementNames = bound(first.name);
    } else {
      elementNames = iteration.variables;
    }
    if (elementNames.length === 0) return undefined;
    const region = iteration.node;
    const isElement = (root: ts.Expression): boolean => {
      if (!ts.isIdentifier(root) || !elementNames.includes(root.text)) return false;
      const declaration = resolve(root);
      return (
        !!declaration &&
        contains(region, declaration.id) &&
        !contains(
          region.kind === SK.ForOfStatement
            ? (region as ts.ForOfStatement).statement
            : ((region as ts.FunctionLikeDeclaration).body ?? region),
          declaration.id,
        )
      );
    };
    return { iteration, collection, keyOf: (node) => pathFrom(node, isElement) };
  }
  // An index walk (facts/indexWalks.ts): the item is `xs[i]`, or a name the body binds to it (`const x = xs[i]`).
  const walk = iteration.counter && iteration.collection ? indexWalk(iteration.node as ts.ForStatement | ts.WhileStatement) : undefined;
  if (walk) {
    const { counter, collection, elements } = walk;
    const collectionText = collection.getText();
    const isElement = (root: ts.Expression): boolean => {
      if (ts.isIdentifier(root)) {
        const declaration = elements.includes(root.text) ? resolve(root) : undefined;
        return !!declaration && contains(iteration.node, declaration.id);
      }
      if (!ts.isElementAccessExpression(root)) return false;
      const index = skipParens(root.argumentExpression);
      return ts.isIdentifier(index) && index.text === counter && skipParens(root.expression).getText() === collectionText;
    };
    return { iteration, collection, keyOf: (node) => pathFrom(node, isElement) };
  }
  return undefined;
}

function bound(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) if (ts.isBindingElement(element)) names.push(...bound(element.name));
  return names;
}

/**
 * The outer pass the compared value comes from: the innermost enclosing iteration (outside the
 * inner one) that declares a name the value reads. Undefined when the value does not change
 * from one outer pass to the next.
 */
function outerPass(value: ts.Expression, iterations: Iteration[], inner: Iteration): Iteration | undefined {
  const declared: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      if (!isValueReference(node)) return;
      const declaration = resolve(node);
      if (declaration && !contains(inner.node, declaration.id)) declared.push(declaration.id);
      return;
    }
    if (isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(value);
  if (declared.length === 0) return undefined;
  for (const iteration of iterations.slice(1)) {
    if (declared.some((id) => contains(iteration.node, id))) return iteration;
  }
  return undefined;
}

/** In a filter callback, the equality decides what is kept: it is the returned test or one of its `&&` parts. */
function isPredicateTest(binary: ts.BinaryExpression, fn: ts.Node): boolean {
  let current: ts.Node = skipParensUp(binary);
  for (;;) {
    const parent = current.parent;
    if (!parent) return false;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === SK.AmpersandAmpersandToken) {
      current = skipParensUp(parent);
      continue;
    }
    if (parent === fn) return true;
    if (ts.isReturnStatement(parent)) return parent.parent?.parent === fn;
    return false;
  }
}

/** The scanned list holds the same items on every outer pass (it may only grow by pushes). */
function invariantOrGrowing(collection: ts.Expression, region: ts.Node): boolean {
  const node = skipParens(collection);
  if (isInvariantIn(node, region, { propertyChains: true })) return true;
  if (!ts.isIdentifier(node)) return false;
  const declaration = resolve(node);
  if (!declaration || contains(region, declaration.id)) return false;
  return references(declaration).every((reference) => {
    if (!contains(region, reference)) return true;
    const use = useOf(reference);
    return use.kind === 'read' || (use.kind === 'mutate' && use.method === 'push');
  });
}

function sameCollection(collection: ts.Expression, outer: Iteration, file: FileFacts): boolean {
  const outerCollection = outer.collection;
  return !!outerCollection && file.textOf(skipParens(outerCollection)) === file.textOf(skipParens(collection));
}

// ---------------------------------------------------------------------------------------------
// Deduplication by searching the list again

/** The comparison a search result takes part in (`xs.indexOf(x) === i`), or the call itself. */
function outerComparison(call: ts.CallExpression): ts.Expression {
  const outer = skipParensUp(call);
  const parent = outer.parent;
  if (parent && ts.isBinaryExpression(parent) && isEquality(parent.operatorToken.kind)) return parent;
  return call;
}

function isEquality(kind: ts.SyntaxKind): boolean {
  return (
    kind === SK.EqualsEqualsEqualsToken ||
    kind === SK.EqualsEqualsToken ||
    kind === SK.ExclamationEqualsEqualsToken ||
    kind === SK.ExclamationEqualsToken
  );
}

/** `call === index` (either side). */
function comparedWith(call: ts.CallExpression, index: ts.Identifier): boolean {
  const comparison = outerComparison(call);
  if (comparison === call || !ts.isBinaryExpression(comparison)) return false;
  const other = skipParens(comparison.left) === call || skipParensUp(call) === comparison.left ? comparison.right : comparison.left;
  const inner = skipParens(other);
  return ts.isIdentifier(inner) && resolve(inner)?.id === index;
}

/** `(y) => y.id === x.id` → `id`. */
function predicateKey(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const fn = skipParens(argument);
  if (!ts.isArrowFunction(fn) || ts.isBlock(fn.body) || fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0].name))
    return undefined;
  const param = fn.parameters[0].name.text;
  const body = skipParens(fn.body);
  if (!ts.isBinaryExpression(body) || !isEquality(body.operatorToken.kind)) return undefined;
  for (const side of [body.left, body.right]) {
    const key = pathFrom(side, (root) => ts.isIdentifier(root) && root.text === param);
    if (key) return key;
  }
  return undefined;
}

/** `xs.filter((x, i) => xs.indexOf(x) === i)` → `Array.from(new Set(xs))` (a suggestion: holes and NaN are treated differently). */
function dedupeFix(call: ts.CallExpression, iteration: Iteration, method: string, file: FileFacts): FixSpec[] {
  if (method !== 'indexOf' || !iteration.call || !iteration.collection) return [];
  const fn = iteration.node as ts.ArrowFunction | ts.FunctionExpression;
  if (ts.isBlock(fn.body)) return [];
  const comparison = outerComparison(call);
  if (!ts.isBinaryExpression(comparison) || skipParens(fn.body) !== comparison) return [];
  if (comparison.operatorToken.kind !== SK.EqualsEqualsEqualsToken && comparison.operatorToken.kind !== SK.EqualsEqualsToken) return [];
  const element = fn.parameters[0]?.name;
  const argument = skipParens(call.arguments[0]);
  if (!element || !ts.isIdentifier(element) || !ts.isIdentifier(argument) || argument.text !== element.text) return [];
  const list = file.textOf(skipParens(iteration.collection));
  return [
    {
      title: `Deduplicate with Array.from(new Set(${compact(list, 30)})) (differs only for NaN, which indexOf never finds, and for holes)`,
      kind: 'suggestion',
      edits: [{ start: file.start(iteration.call), end: iteration.call.end, newText: `Array.from(new Set(${list}))` }],
    },
  ];
}
