import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { boundNames, calleeName, isFunctionLike, receiverOf, referencedNames, skipParens } from '../../facts/ast';
import { contains, resolve } from '../../facts/dataflow';
import { isSmallList, iterationScale, scaleOf } from '../../facts/sizes';
import { isTinyIteration, type Iteration } from '../../facts/loops';
import type { FileFacts } from '../../facts/fileFacts';
import { compact, eachPass } from '../../facts/phrases';

const SK = ts.SyntaxKind;

const FRONT_METHODS: ReadonlySet<string> = new Set(['shift', 'unshift', 'splice']);

export default defineRule({
  meta: {
    id: 'shift-in-loop',
    category: 'complexity',
    description:
      'A work queue drained with `shift()` (or fed with `unshift`) while the loop refills it, or `splice` on a list ' +
      'walked by index: each call moves every later item.',
    why:
      'Arrays keep their items in one contiguous block. `unshift` and `splice` move every item after the insertion or ' +
      'cut, so calling them once per pass costs O(n) each and O(n²) over the loop: removing 10,000 items one by one ' +
      'with `splice` moves about 50 million slots. `shift` is cheap only while V8 can trim the array in place; once a ' +
      'queue outgrows the regular heap (roughly 16,000–32,000 items, when its storage moves to large-object space) ' +
      'every `shift` copies the rest of the queue, and a breadth-first search over a large graph turns quadratic.',
    howToFix:
      'For a queue, read with a moving index (`const item = queue[head++]`) and drop the consumed part now and then, ' +
      'or use a deque. Remove many items with one `filter` pass instead of `splice` per item. Only the shapes whose ' +
      'size grows with the data are reported: a queue refilled from a loop over neighbours (a graph or tree walk), a ' +
      'list spliced while it is walked by index.',
    notReported: [
      'A single `splice` followed by `break` or `return`',
      'Draining a list that is not refilled',
      'Path segments and short fixed lists',
    ],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      why: "each shift moves every later item: O(n²) in the queue's length",
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['.shift(', '.unshift(', '.splice('] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 2 is not reported (nothing says `sessions` renamed is more than a handful)",
      },
    },
    messages: {
      shift: {
        message:
          '`{{list}}.shift()` takes from the front of a queue that this loop also pushes to: once the queue is long (past ' +
          'roughly 16,000–32,000 items V8 can no longer trim it in place) every shift copies all remaining items, O(n²) to ' +
          'drain.',
        note: 'Read with a moving index (`{{list}}[head++]`) or use a deque.',
      },
      unshiftQueue: {
        message:
          '`{{list}}.unshift(…)` feeds a queue at the front while the loop takes from its back: each unshift moves every ' +
          'item already queued, O(n²) to process n items.',
        note: 'Push at the back and read the front with a moving index (`{{list}}[head++]`), or use a deque.',
      },
      splice: {
        message: '`{{list}}.splice(…)` on every {{loop}} moves every item after the cut: O(n) per call, O(n²) over the loop.',
        note: 'Build the result in one pass instead — `filter` out what goes, or collect what comes and sort once.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function reachable(start: string, graph: Map<string, string[]>) {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    const edges = graph.get(node) ?? [];
    for (const next of edges) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}`,
          errors: [{ messageId: 'shift', line: 5, column: 18 }],
        },
        {
          code: `export function visitOrder(start: string, graph: Map<string, string[]>) {
  const queue = [start];
  const out: string[] = [];
  while (queue.length > 0) {
    const node = queue.pop()!;
    out.push(node);
    const edges = graph.get(node) ?? [];
    for (const next of edges) queue.unshift(next);
  }
  return out;
}`,
          errors: [{ messageId: 'unshiftQueue', line: 8, column: 31 }],
        },
        {
          code: `export function dropExpired(sessions: Array<{ expires: number }>, now: number) {
  for (let i = sessions.length - 1; i >= 0; i--) {
    if (sessions[i].expires < now) sessions.splice(i, 1);
  }
}`,
          errors: [{ messageId: 'splice', line: 3, column: 36 }],
        },
      ],
      valid: [
        `// One removal, then the loop ends.
export function removeFirst(list: string[], value: string) {
  for (let i = 0; i < list.length; i++) {
    if (list[i] === value) {
      list.splice(i, 1);
      break;
    }
  }
}`,
        `// Draining a given list without refilling it is linear until it is huge; the queue pattern is what turns quadratic.
export function drain(tasks: Array<() => void>) {
  while (tasks.length) tasks.shift()!();
}`,
        `// Path segments: a handful of items.
export function normalize(path: string) {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] === '.') parts.splice(i, 1);
  return parts.join('/');
}`,
        `// Walking up a chain of parents: as many passes as the tree is deep.
export function pathOf(node: { name: string; parent?: unknown }) {
  const names: string[] = [];
  let current: { name: string; parent?: unknown } | undefined = node;
  while (current) {
    names.unshift(current.name);
    current = current.parent as typeof current;
  }
  return names;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const method = calleeName(call);
        if (method === undefined || !FRONT_METHODS.has(method)) return;
        const receiver = receiverOf(call);
        if (!receiver) return;
        const list = skipParens(receiver);
        if (!ts.isIdentifier(list) && !(ts.isPropertyAccessExpression(list) && isPlainChain(list))) return;
        const iteration = file.iteration(call);
        if (!iteration || isTinyIteration(iteration)) return;
        const listText = compact(file.textOf(list), 40);
        if (method === 'splice') {
          // Removing (or inserting) while walking the same list by index: a filter done in O(n²).
          if (call.arguments.length === 0 || !walksByIndex(iteration, list, call, file) || endsLoop(call) || scaleOf(list) !== 'large')
            return;
          context.report({ node: call, messageId: 'splice', data: { list: listText, loop: eachPass(iteration, file) } });
          return;
        }
        // shift/unshift: a work queue — drained by a `while` loop that refills it from a loop over neighbours.
        const drain = drainLoop(call, list, file);
        if (!drain || !declaredOutside(list, drain) || isSmallList(list)) return;
        if (method === 'shift' && call.arguments.length === 0 && refilledIn(list, drain, 'push', file)) {
          context.report({ node: call, messageId: 'shift', data: { list: listText } });
        } else if (
          method === 'unshift' &&
          iteration !== drain &&
          file.iterations(call).some((it) => it !== drain && contains(drain.node, it.node) && fansOut(it, list, drain, file)) &&
          refilledIn(list, drain, 'pop', file)
        ) {
          context.report({ node: call, messageId: 'unshiftQueue', data: { list: listText } });
        }
      },
    };
  },
});

function isPlainChain(access: ts.PropertyAccessExpression): boolean {
  let node: ts.Expression = access;
  while (ts.isPropertyAccessExpression(node)) {
    if (node.questionDotToken) return false;
    node = skipParens(node.expression);
  }
  return ts.isIdentifier(node) || node.kind === SK.ThisKeyword;
}

function rootOf(expression: ts.Expression): ts.Expression {
  let node = skipParens(expression);
  while (ts.isPropertyAccessExpression(node)) node = skipParens(node.expression);
  return node;
}

function declaredOutside(list: ts.Expression, iteration: Iteration): boolean {
  const root = rootOf(list);
  if (root.kind === SK.ThisKeyword) return true;
  if (!ts.isIdentifier(root)) return false;
  const declaration = resolve(root);
  return !!declaration && !contains(iteration.node, declaration.id);
}

/**
 * The `while`/`do`/`for (;;)` loop that drains the queue `list`: the innermost such loop around
 * `call` whose condition tests the queue (`queue.length`, `queue.length > 0`) or takes from it.
 */
function drainLoop(call: ts.CallExpression, list: ts.Expression, file: FileFacts): Iteration | undefined {
  const text = file.textOf(list);
  for (const iteration of file.iterations(call)) {
    if (iteration.kind !== 'while' && iteration.kind !== 'do' && iteration.kind !== 'for') continue;
    const loop = iteration.node as ts.WhileStatement | ts.DoStatement | ts.ForStatement;
    const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
    if (condition && mentions(condition, text, file)) return bounded(condition) ? undefined : iteration;
  }
  return undefined;
}

/** `queue.length && tried < MAX_TRIES`: the loop stops after a fixed number of passes. */
function bounded(condition: ts.Expression): boolean {
  const node = skipParens(condition);
  if (!ts.isBinaryExpression(node)) return false;
  if (node.operatorToken.kind === SK.AmpersandAmpersandToken) return bounded(node.left) || bounded(node.right);
  const op = node.operatorToken.kind;
  if (op !== SK.LessThanToken && op !== SK.LessThanEqualsToken) return false;
  const limit = skipParens(node.right);
  return ts.isNumericLiteral(limit) || (ts.isIdentifier(limit) && /^[A-Z][A-Z0-9_]*$/.test(limit.text));
}

function mentions(node: ts.Node, text: string, file: FileFacts): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(current) || ts.isPropertyAccessExpression(current)) && file.textOf(current) === text) {
      found = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/**
 * The drain loop also feeds the queue from a loop or callback nested in it (`for (const next of
 * edges) queue.push(next)`): the fan-out of a graph or tree walk, whose queue grows with the data.
 */
function refilledIn(list: ts.Expression, drain: Iteration, method: 'push' | 'pop', file: FileFacts): boolean {
  const region = drain.node;
  const text = file.textOf(list);
  const wanted = method === 'push' ? ['push'] : ['pop'];
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      const receiver = receiverOf(node);
      if (name !== undefined && wanted.includes(name) && receiver && file.textOf(skipParens(receiver)) === text) {
        // A push must come from a nested loop (fan-out); a pop may be anywhere in the drain loop.
        if (
          method === 'pop' ||
          file
            .iterations(node)
            .some((iteration) => iteration.node !== region && contains(region, iteration.node) && fansOut(iteration, list, drain, file))
        ) {
          found = true;
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(region);
  return found;
}

/**
 * A nested loop that feeds the queue as a walk does: over a list known to be large, or over what the item just taken
 * from the queue leads to (`graph.get(node)`, `node.children`, however it is written) when that is not known to be a
 * handful. Over the whole walk the queue then holds every node reached — the graph's size, not one node's fan-out.
 */
function fansOut(iteration: Iteration, list: ts.Expression, drain: Iteration, file: FileFacts): boolean {
  const scale = iterationScale(iteration);
  if (scale === 'large') return true;
  if (scale === 'small' || !iteration.collection) return false;
  const taken = takenNames(list, drain, file);
  // `const edges = graph.get(node) ?? []; for (const next of edges)`: what the name holds.
  const collection = skipParens(iteration.collection);
  const declaration = ts.isIdentifier(collection) ? resolve(collection) : undefined;
  const source = declaration?.kind === 'const' && declaration.initializer ? declaration.initializer : collection;
  return [...referencedNames(source)].some((name) => taken.has(name));
}

/** Names the drain loop binds to what it takes from the queue: `node` of `const node = queue.shift()!` (or `pop()`). */
function takenNames(list: ts.Expression, drain: Iteration, file: FileFacts): Set<string> {
  const text = file.textOf(list);
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const init = skipParens(node.initializer);
      const receiver = ts.isCallExpression(init) ? receiverOf(init) : undefined;
      if (receiver && /^(shift|pop)$/.test(calleeName(init as ts.CallExpression) ?? '') && file.textOf(skipParens(receiver)) === text)
        for (const name of boundNames(node.name)) names.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit((drain.node as ts.IterationStatement).statement);
  return names;
}

/** `for (let i = 0; i < list.length; i++) … list.splice(i, …)` (or counting down from `list.length - 1`). */
function walksByIndex(iteration: Iteration, list: ts.Expression, call: ts.CallExpression, file: FileFacts): boolean {
  if (!ts.isForStatement(iteration.node)) return false;
  const loop = iteration.node;
  const text = file.textOf(list);
  const header = [loop.initializer, loop.condition].filter((n): n is ts.ForInitializer | ts.Expression => !!n);
  if (!header.some((part) => mentionsLength(part, text, file))) return false;
  const start = skipParens(call.arguments[0]);
  const index = ts.isIdentifier(start)
    ? start
    : ts.isPostfixUnaryExpression(start) || ts.isPrefixUnaryExpression(start)
      ? skipParens(start.operand as ts.Expression)
      : undefined;
  return !!index && ts.isIdentifier(index) && iteration.variables.includes(index.text);
}

function mentionsLength(node: ts.Node, text: string, file: FileFacts): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(current) && current.name.text === 'length' && file.textOf(skipParens(current.expression)) === text) {
      found = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** `list.splice(i, 1); break;` — one cut, then the loop ends. */
function endsLoop(call: ts.CallExpression): boolean {
  let statement: ts.Node = call;
  while (statement.parent && !ts.isStatement(statement)) {
    if (isFunctionLike(statement.parent)) return false;
    statement = statement.parent;
  }
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  const parent = statement.parent;
  if (!ts.isExpressionStatement(statement) || !parent || !ts.isBlock(parent)) return false;
  const index = parent.statements.indexOf(statement);
  const next = parent.statements[index + 1];
  return !!next && (ts.isBreakStatement(next) || ts.isReturnStatement(next) || ts.isThrowStatement(next));
}
