import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, receiverOf, skipParens, skipParensUp } from '../../facts/ast';
import { contains, isValueReference, references, resolve, useOf, type Declaration } from '../../facts/dataflow';
import { listBehindCopy } from '../../facts/collections';
import { isSmallList } from '../../facts/sizes';
import { isTinyIteration as isTiny } from '../../facts/loops';
import { compact, eachPass } from '../../facts/phrases';

export default defineRule({
  meta: {
    id: 'sort-in-loop',
    category: 'complexity',
    description: 'A list sorted on every pass of a loop although it did not change, or re-sorted after every item pushed onto it.',
    why:
      'Sorting n items costs O(n·log n) comparisons, each a call of the comparator. Sorting the same unchanged list on ' +
      'every pass of a loop repeats that work for the same answer (even on sorted input the sort still walks and ' +
      'compares every element); keeping a list in order by pushing one item and re-sorting the whole list each time ' +
      'costs at least O(n) per insert, O(n²) for n inserts — a priority queue or a binary insertion does it in ' +
      'O(log n) comparisons, and sorting once after the loop in O(n·log n) total.',
    howToFix:
      'Sort once, before the loop (when the list does not change inside it) or after it (when the loop only adds ' +
      'items). A queue that must stay ordered while items arrive wants a binary heap, or a binary search for the ' +
      'insertion point.',
    notReported: ["Sorting each item's own list", 'Sorting by a key that depends on the pass', 'Loops over a handful of items'],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      why: 'each pass re-sorts the list: the cost grows with the passes and the list',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['.sort(', '.toSorted('] },
    messages: {
      invariant: {
        message:
          '`{{call}}` sorts the same, unchanged `{{list}}` on every {{loop}}: O(n·log n) comparator calls per pass for the ' +
          'same order.',
        note: 'Sort it once before the loop.',
      },
      grows: {
        message:
          '`{{call}}` re-sorts all of `{{list}}` after items are pushed onto it on every {{loop}}: at least O(n) per pass, ' +
          'O(n²) over the loop.',
        note: 'Sort once after the loop, or keep the order with a binary heap or a binary-search insert.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function ranks(players: Array<{ score: number; name: string }>, names: string[]) {
  return names.map((name) => [...players].sort((a, b) => b.score - a.score).findIndex((p) => p.name === name));
}`,
          errors: [{ messageId: 'invariant', line: 2, column: 30 }],
        },
        {
          code: `export function schedule(jobs: Array<{ at: number }>) {
  const queue: Array<{ at: number }> = [];
  for (const job of jobs) {
    queue.push(job);
    queue.sort((a, b) => a.at - b.at);
  }
  return queue;
}`,
          errors: [{ messageId: 'grows', line: 5, column: 5 }],
        },
      ],
      valid: [
        `// Each group's own list: different lists, each sorted once.
export function sortGroups(groups: Array<{ items: number[] }>) {
  for (const group of groups) group.items.sort((a, b) => a - b);
}`,
        `// The order depends on the pass (distance to the current point): a real per-pass sort.
export function nearest(points: Array<{ x: number }>, targets: Array<{ x: number }>) {
  return targets.map((t) => [...points].sort((a, b) => Math.abs(a.x - t.x) - Math.abs(b.x - t.x))[0]);
}`,
        `// Sorted once, after the loop.
export function ordered(jobs: Array<{ at: number }>) {
  const queue: Array<{ at: number }> = [];
  for (const job of jobs) queue.push(job);
  return queue.sort((a, b) => a.at - b.at);
}`,
        `// A list built inside the loop: a fresh list per pass.
export function sortedRows(rows: number[][]) {
  const out: number[][] = [];
  for (const row of rows) {
    const copy = row.filter((n) => n > 0);
    out.push(copy.sort((a, b) => a - b));
  }
  return out;
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
        if (!receiver || call.arguments.length > 1) return;
        const list = sortedList(receiver, method);
        if (!list) return;
        const iterations = file.iterations(call);
        if (iterations.length === 0) return;
        // Taking only the first or last item is sort-for-min-max's to report.
        if (picksOne(call)) return;
        const declaration = resolve(list);
        if (!declaration || !['const', 'let', 'var', 'parameter'].includes(declaration.kind)) return;
        if (isSmallList(list)) return;
        const comparator = call.arguments[0];
        const loop = iterations[0];
        if (contains(loop.node, declaration.id) || isTiny(loop)) return;
        if (comparator && !readsNothingFrom(comparator, loop.node)) return;
        const state = stateIn(declaration, loop.node, call);
        if (!state) return;
        const data = { call: `${compact(file.textOf(receiver), 40)}.${method}(…)`, list: list.text, loop: eachPass(loop, file) };
        context.report({ node: call, messageId: state, data });
      },
    };
  },
});

/** The name whose items are sorted: `xs` of `xs.sort()`, `[...xs].sort()`, `xs.slice().sort()`, `xs.toSorted()`, `Array.from(xs).sort()`. */
function sortedList(receiver: ts.Expression, method: string): ts.Identifier | undefined {
  const node = skipParens(receiver);
  if (ts.isIdentifier(node)) return node;
  if (method === 'toSorted') return undefined;
  const list = listBehindCopy(node);
  return ts.isIdentifier(list) ? list : undefined;
}

/** `….sort(c)[0]`, `.at(-1)`, `.pop()`, `.shift()`: only one item of the sorted list is used. */
function picksOne(call: ts.CallExpression): boolean {
  const outer = skipParensUp(call);
  const parent = outer.parent;
  if (!parent) return false;
  if (ts.isElementAccessExpression(parent) && parent.expression === outer) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) {
    const method = parent.name.text;
    const use = parent.parent;
    return (method === 'pop' || method === 'shift' || method === 'at') && !!use && ts.isCallExpression(use) && use.expression === parent;
  }
  return false;
}

/** A comparator that reads nothing declared inside the loop (its own parameters aside): the same order on every pass. */
function readsNothingFrom(comparator: ts.Expression, region: ts.Node): boolean {
  const fn = skipParens(comparator);
  let ok = true;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && isValueReference(node)) {
      const declaration = resolve(node);
      if (declaration && contains(region, declaration.id) && !contains(fn, declaration.id)) ok = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return ok;
}

/**
 * What happens to the list inside the loop, besides this sort: nothing but reads ('invariant'),
 * or pushes ('grows'). Undefined when it is replaced, changed otherwise, or handed anywhere.
 */
function stateIn(declaration: Declaration, region: ts.Node, sort: ts.CallExpression): 'invariant' | 'grows' | undefined {
  let pushed = false;
  for (const reference of references(declaration)) {
    if (!contains(region, reference)) continue;
    if (contains(sort, reference)) continue;
    const use = useOf(reference);
    if (use.kind === 'read') continue;
    if (use.kind === 'mutate' && (use.method === 'push' || use.method === 'unshift')) {
      pushed = true;
      continue;
    }
    // A priority queue: sorted, then taken from the front or the back.
    if (use.kind === 'mutate' && (use.method === 'sort' || use.method === 'shift' || use.method === 'pop')) continue;
    return undefined;
  }
  return pushed ? 'grows' : 'invariant';
}
