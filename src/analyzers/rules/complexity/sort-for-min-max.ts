import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, receiverOf, skipParens, skipParensUp } from '../../facts/ast';
import { createsFreshArray, listBehindCopy } from '../../facts/collections';
import { scaleOf } from '../../facts/sizes';
import { compact } from '../../facts/phrases';

const SK = ts.SyntaxKind;

export default defineRule({
  meta: {
    id: 'sort-for-min-max',
    category: 'complexity',
    description:
      'A whole list sorted only to take its first or last item: `xs.sort(cmp)[0]`, `xs.toSorted(cmp).at(-1)`, ' +
      '`[...xs].sort(cmp).pop()`.',
    why:
      'Sorting costs O(n·log n) comparator calls and, for `sort`, reorders the list in place (a side effect callers may ' +
      'not expect); a copy first (`[...xs]`, `slice()`, `toSorted`) also allocates n slots. Finding the smallest or ' +
      'largest item needs one pass, n − 1 comparisons and no allocation: for 100,000 items about 1.7 million ' +
      'comparator calls against 100,000.',
    howToFix:
      'Keep the best item in one pass: `xs.reduce((best, x) => (cmp(x, best) < 0 ? x : best))` for the first item of ' +
      'the sorted order (guard the empty list: `reduce` without an initial value throws where `[0]` gives ' +
      '`undefined`), `Math.min(...)`/`Math.max(...)` of numbers for short lists.',
    notReported: ['Lists of a few literal items'],
    impact: 'low',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      constantGain: true,
      why: 'O(n·log n) instead of O(n): it matters for a list that grows',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['.sort(', '.toSorted('] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) its three invalid examples are not reported",
      },
    },
    messages: {
      pick: {
        message: '`.{{code}}` sorts all of `{{list}}`{{mutates}} — O(n·log n) comparisons — to use only its {{which}} item.',
        note: 'One pass finds it with n − 1 comparisons: `{{list}}.reduce((best, x) => (compare(x, best) < 0 ? x : best))`.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function cheapest(products: Array<{ price: number }>) {
  return products.sort((a, b) => a.price - b.price)[0];
}`,
          errors: [{ messageId: 'pick', line: 2, column: 19 }],
        },
        {
          code: `export function latest(events: Array<{ at: number }>) {
  return [...events].sort((a, b) => a.at - b.at).pop();
}`,
          errors: [{ messageId: 'pick', line: 2, column: 22 }],
        },
        {
          code: `export function newest(files: Array<{ mtime: number }>) {
  return files.toSorted((a, b) => a.mtime - b.mtime).at(-1);
}`,
          errors: [{ messageId: 'pick', line: 2, column: 16 }],
        },
      ],
      valid: [
        `// The whole sorted list is used.
export function ordered(offers: Array<{ price: number }>) {
  return offers.sort((a, b) => a.price - b.price).map((o) => o.price);
}`,
        `// A list of a few literal items.
export function firstCode() {
  return ['b', 'a', 'c'].sort()[0];
}`,
        `// The second item: a one-pass scan is less obvious, and often not worth it.
export function runnerUp(scores: number[]) {
  return [...scores].sort((a, b) => b - a)[1];
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const method = calleeName(call);
        if (method !== 'sort' && method !== 'toSorted') return;
        const receiver = receiverOf(call);
        if (!receiver || call.arguments.length > 1 || !ts.isPropertyAccessExpression(skipParens(call.expression))) return;
        const picked = pickedEnd(call);
        if (!picked) return;
        const list = listBehindCopy(receiver);
        if (scaleOf(list) !== 'large') return;
        // Only a list kept in a variable or property is reordered for someone else to see.
        const stored = ts.isIdentifier(skipParens(receiver)) || ts.isPropertyAccessExpression(skipParens(receiver));
        const inPlace = method === 'sort' && stored && !createsFreshArray(receiver);
        // Underline from the sort call on: `.sort((a, b) => …)[0]`.
        const start = file.start((skipParens(call.expression) as ts.PropertyAccessExpression).name);
        context.report({
          start,
          end: picked.node.end,
          messageId: 'pick',
          data: {
            code: compact(`${method}${file.text.slice(start + method.length, picked.node.end)}`, 60),
            list: compact(file.textOf(list), 30),
            mutates: inPlace ? ' in place' : '',
            which: picked.which,
          },
          evidence: { collection: list },
        });
      },
    };
  },
});

/** 'first' for `[0]`, `.at(0)`, `.shift()`; 'last' for `[xs.length - 1]`, `.at(-1)`, `.pop()`; with the whole picking expression. */
function pickedEnd(call: ts.CallExpression): { which: 'first' | 'last'; node: ts.Expression } | undefined {
  const which = pickedWhich(call);
  if (!which) return undefined;
  const parent = skipParensUp(call).parent!;
  return { which, node: ts.isElementAccessExpression(parent) ? parent : (parent.parent as ts.CallExpression) };
}

function pickedWhich(call: ts.CallExpression): 'first' | 'last' | undefined {
  const outer = skipParensUp(call);
  const parent = outer.parent;
  if (!parent) return undefined;
  if (ts.isElementAccessExpression(parent) && parent.expression === outer) {
    if (isAssigned(parent)) return undefined;
    const index = skipParens(parent.argumentExpression);
    if (ts.isNumericLiteral(index) && index.text === '0') return 'first';
    if (
      ts.isBinaryExpression(index) &&
      index.operatorToken.kind === SK.MinusToken &&
      ts.isNumericLiteral(skipParens(index.right)) &&
      skipParens(index.right).getText() === '1'
    ) {
      const left = skipParens(index.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'length') return 'last';
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) {
    const use = parent.parent;
    if (!use || !ts.isCallExpression(use) || use.expression !== parent) return undefined;
    const method = parent.name.text;
    if (method === 'shift' && use.arguments.length === 0) return 'first';
    if (method === 'pop' && use.arguments.length === 0) return 'last';
    if (method === 'at' && use.arguments.length === 1) {
      const index = skipParens(use.arguments[0]);
      if (ts.isNumericLiteral(index) && index.text === '0') return 'first';
      if (
        ts.isPrefixUnaryExpression(index) &&
        index.operator === SK.MinusToken &&
        ts.isNumericLiteral(index.operand) &&
        index.operand.text === '1'
      )
        return 'last';
    }
  }
  return undefined;
}

function isAssigned(node: ts.Node): boolean {
  const parent = skipParensUp(node).parent;
  return (
    !!parent &&
    ts.isBinaryExpression(parent) &&
    parent.left === skipParensUp(node) &&
    parent.operatorToken.kind >= SK.FirstAssignment &&
    parent.operatorToken.kind <= SK.LastAssignment
  );
}
