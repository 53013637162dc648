import { ts } from '../../ts';
import { defineRule, type FixSpec } from '../../rule';
import { calleeName, readsArguments, receiverOf, skipParens, skipParensUp } from '../../facts/ast';
import { createsFreshArray } from '../../facts/collections';
import { scaleOf } from '../../facts/sizes';
import type { FileFacts } from '../../facts/fileFacts';
import { compact } from '../../facts/phrases';

const SK = ts.SyntaxKind;

export default defineRule({
  meta: {
    id: 'redundant-pass',
    category: 'complexity',
    description:
      'A full pass over a list whose result is mostly thrown away: `filter(p)[0]`, `filter(p).length > 0`, ' +
      '`map(f).slice(a, b)`, sorting before filtering.',
    why:
      '`filter` tests every item and copies every match even when only the first match or "is there any?" is used; ' +
      '`find` and `some` stop at the first hit and allocate nothing. `map(f).slice(0, 20)` runs `f` on every item to ' +
      'keep 20 — on a 10,000-row list, 9,980 wasted calls of what is often the expensive part (rendering, formatting). ' +
      'Sorting a copy and then filtering it sorts items that are thrown away right after.',
    howToFix:
      'Use `find(p)` for `filter(p)[0]`, `some(p)` for `filter(p).length > 0` (and `!some(p)` for `=== 0`), `slice(a, ' +
      'b).map(f)` for `map(f).slice(a, b)`, and filter before sorting.',
    notReported: ['A pass over a short literal list'],
    impact: 'low',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      constantGain: true,
      why: 'a pass over the whole list: it matters for a list that grows',
    },
    fix: 'suggestion',
    fixForm: '`find` / `some`',
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) its four invalid examples are not reported",
      },
    },
    messages: {
      find: {
        message: '`{{code}}` tests every item of `{{list}}` and copies every match, to use only the first.',
        note: '`{{list}}.find(…)` stops at the first match.',
      },
      findLast: {
        message: '`{{code}}` tests every item of `{{list}}` and copies every match, to use only the last.',
        note: '`{{list}}.findLast(…)` searches from the end and stops at the first match.',
      },
      some: {
        message: '`{{code}}` tests every item of `{{list}}` and copies every match, only to ask whether there is one.',
        note: '`{{list}}.some(…)` stops at the first match.',
      },
      none: {
        message: '`{{code}}` tests every item of `{{list}}` and copies every match, only to ask whether there is none.',
        note: '`!{{list}}.some(…)` stops at the first match.',
      },
      sliceFirst: {
        message: '`{{code}}` runs the mapping on every item of `{{list}}` and keeps only a slice.',
        note: 'Slice first, then map: `{{list}}.slice(…).map(…)`.',
      },
      filterFirst: {
        message: '`{{code}}` sorts every item of `{{list}}`, then throws some away.',
        note: 'Filter first and sort only what is kept.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function admin(users: Array<{ role: string }>) {
  return users.filter((u) => u.role === 'admin')[0];
}`,
          errors: [{ messageId: 'find', line: 2, column: 10 }],
        },
        {
          code: `export function hasOverdue(invoices: Array<{ due: number }>, now: number) {
  return invoices.filter((i) => i.due < now).length > 0;
}`,
          errors: [{ messageId: 'some', line: 2, column: 10 }],
        },
        {
          code: `export function firstPage(rows: Array<{ name: string }>) {
  return rows.map((row) => '<li>' + row.name + '</li>').slice(0, 20);
}`,
          errors: [{ messageId: 'sliceFirst', line: 2, column: 10 }],
        },
        {
          code: `export function topActive(users: Array<{ score: number; active: boolean }>) {
  return [...users].sort((a, b) => b.score - a.score).filter((u) => u.active);
}`,
          errors: [{ messageId: 'filterFirst', line: 2, column: 10 }],
        },
      ],
      valid: [
        `// Every match is used.
export function admins(users: Array<{ role: string }>) {
  return users.filter((u) => u.role === 'admin');
}`,
        `// The index is used by the mapping: slicing first would change it.
export function numbered(rows: string[]) {
  return rows.map((row, i) => i + '. ' + row).slice(0, 10);
}`,
        `// A short literal list.
export function anyOdd() {
  return [1, 2, 3].filter((n) => n % 2).length > 0;
}`,
        `// The count itself is used.
export function overdueCount(invoices: Array<{ due: number }>, now: number) {
  return invoices.filter((i) => i.due < now).length;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const method = calleeName(call);
        if (method !== 'filter' && method !== 'map') return;
        const receiver = receiverOf(call);
        if (!receiver || call.arguments.length !== 1 || !isInlineFunction(call.arguments[0])) return;
        // The shape first (a few parent checks), the size of the list last.
        if (method === 'map') {
          const slice = sliceAfter(call);
          const fn = skipParens(call.arguments[0]) as ts.ArrowFunction | ts.FunctionExpression;
          if (!slice || fn.parameters.length !== 1 || readsArguments(fn) || scaleOf(receiver) !== 'large') return;
          context.report({
            node: slice,
            messageId: 'sliceFirst',
            data: { code: compact(file.textOf(slice), 60), list: compact(file.textOf(skipParens(receiver)), 30) },
            evidence: { collection: receiver },
          });
          return;
        }
        const sorted = sortedCopy(skipParens(receiver));
        if (sorted) {
          if (scaleOf(sorted) !== 'large') return;
          context.report({
            node: call,
            messageId: 'filterFirst',
            data: { code: compact(file.textOf(call), 60), list: compact(file.textOf(sorted), 30) },
            evidence: { collection: sorted },
          });
          return;
        }
        const use = resultUse(call);
        if (!use || scaleOf(receiver) !== 'large') return;
        const list = compact(file.textOf(skipParens(receiver)), 30);
        context.report({
          node: use.node,
          messageId: use.kind,
          data: { code: compact(file.textOf(use.node), 60), list },
          fixes: rewrite(call, use, receiver, file),
          evidence: { collection: receiver },
        });
      },
    };
  },
});

function isInlineFunction(argument: ts.Expression): boolean {
  const inner = skipParens(argument);
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner);
}

/** `….map(f).slice(a, b)`: the slice call. */
function sliceAfter(call: ts.CallExpression): ts.CallExpression | undefined {
  const outer = skipParensUp(call);
  const access = outer.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== outer || access.name.text !== 'slice') return undefined;
  const slice = access.parent;
  // A page (`slice(a, b)`), not dropping an item or two (`slice(1)`).
  if (!slice || !ts.isCallExpression(slice) || slice.expression !== access || slice.arguments.length !== 2) return undefined;
  return slice;
}

/** `[...xs].sort(c)`, `xs.slice().sort(c)`, `xs.toSorted(c)`: the list sorted into a copy (an in-place sort has its own effect). */
function sortedCopy(receiver: ts.Expression): ts.Expression | undefined {
  if (!ts.isCallExpression(receiver)) return undefined;
  const method = calleeName(receiver);
  const inner = receiverOf(receiver);
  if (!inner) return undefined;
  if (method === 'toSorted') return skipParens(inner);
  if (method === 'sort' && createsFreshArray(inner)) return skipParens(inner);
  return undefined;
}

interface ResultUse {
  kind: 'find' | 'findLast' | 'some' | 'none';
  /** The whole expression that uses the filtered list. */
  node: ts.Expression;
}

/** How the filtered list is used, when only its first item or its emptiness matters. */
function resultUse(call: ts.CallExpression): ResultUse | undefined {
  const outer = skipParensUp(call);
  const parent = outer.parent;
  if (!parent) return undefined;
  if (ts.isElementAccessExpression(parent) && parent.expression === outer) {
    const index = skipParens(parent.argumentExpression);
    if (ts.isNumericLiteral(index) && index.text === '0' && !isWritten(parent)) return { kind: 'find', node: parent };
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(parent) || parent.expression !== outer) return undefined;
  const name = parent.name.text;
  const accessOuter = skipParensUp(parent);
  const next = accessOuter.parent;
  if (name === 'shift' || name === 'pop' || name === 'at') {
    if (!next || !ts.isCallExpression(next) || next.expression !== accessOuter) return undefined;
    if (name === 'shift' && next.arguments.length === 0) return { kind: 'find', node: next };
    if (name === 'pop' && next.arguments.length === 0) return { kind: 'findLast', node: next };
    if (name === 'at' && next.arguments.length === 1) {
      const index = skipParens(next.arguments[0]);
      if (ts.isNumericLiteral(index) && index.text === '0') return { kind: 'find', node: next };
      if (
        ts.isPrefixUnaryExpression(index) &&
        index.operator === SK.MinusToken &&
        ts.isNumericLiteral(index.operand) &&
        index.operand.text === '1'
      )
        return { kind: 'findLast', node: next };
    }
    return undefined;
  }
  if (name !== 'length' || !next) return undefined;
  // `!xs.filter(p).length`
  if (ts.isPrefixUnaryExpression(next) && next.operator === SK.ExclamationToken) return { kind: 'none', node: next };
  if (ts.isBinaryExpression(next)) {
    const op = next.operatorToken.kind;
    const lengthOnLeft = next.left === accessOuter;
    const other = skipParens(lengthOnLeft ? next.right : next.left);
    if (!ts.isNumericLiteral(other)) return undefined;
    const value = other.text;
    const normalized = lengthOnLeft ? op : flip(op);
    if (value === '0') {
      if (normalized === SK.GreaterThanToken || normalized === SK.ExclamationEqualsEqualsToken || normalized === SK.ExclamationEqualsToken)
        return { kind: 'some', node: next };
      if (normalized === SK.EqualsEqualsEqualsToken || normalized === SK.EqualsEqualsToken || normalized === SK.LessThanEqualsToken)
        return { kind: 'none', node: next };
    }
    if (value === '1') {
      if (normalized === SK.GreaterThanEqualsToken) return { kind: 'some', node: next };
      if (normalized === SK.LessThanToken) return { kind: 'none', node: next };
    }
    return undefined;
  }
  // `if (xs.filter(p).length)`, `xs.filter(p).length ? a : b`
  if ((ts.isIfStatement(next) || ts.isWhileStatement(next)) && next.expression === accessOuter)
    return { kind: 'some', node: accessOuter as ts.Expression };
  if (ts.isConditionalExpression(next) && next.condition === accessOuter) return { kind: 'some', node: accessOuter as ts.Expression };
  return undefined;
}

function flip(op: ts.SyntaxKind): ts.SyntaxKind {
  switch (op) {
    case SK.LessThanToken:
      return SK.GreaterThanToken;
    case SK.GreaterThanToken:
      return SK.LessThanToken;
    case SK.LessThanEqualsToken:
      return SK.GreaterThanEqualsToken;
    case SK.GreaterThanEqualsToken:
      return SK.LessThanEqualsToken;
    default:
      return op;
  }
}

function isWritten(node: ts.Node): boolean {
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

/** `xs.filter(p)[0]` → `xs.find(p)`; `xs.filter(p).length > 0` → `xs.some(p)` (suggestions: the predicate then runs on fewer items). */
function rewrite(call: ts.CallExpression, use: ResultUse, receiver: ts.Expression, file: FileFacts): FixSpec[] {
  const list = file.textOf(receiver);
  const predicate = file.textOf(call.arguments[0]);
  const method = use.kind === 'none' ? 'some' : use.kind;
  const text = `${use.kind === 'none' ? '!' : ''}${list}.${method}(${predicate})`;
  // A `!` in front needs the whole result to stay one operand.
  const parent = skipParensUp(use.node).parent;
  const needsParens =
    use.kind === 'none' &&
    !!parent &&
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent));
  return [
    {
      title: `Use ${use.kind === 'none' ? '!' : ''}${method}(…) (it stops at the first match: the predicate then runs on fewer items)`,
      kind: 'suggestion',
      edits: [{ start: file.start(use.node), end: use.node.end, newText: needsParens ? `(${text})` : text }],
    },
  ];
}
