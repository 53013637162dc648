import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, isAsyncFunction, isFunctionLike, skipParens, skipParensUp, type FunctionLike } from '../../facts/ast';

export default defineRule({
  meta: {
    id: 'await-in-reduce',
    category: 'concurrency',
    description:
      'An async `reduce` callback that uses its accumulator without awaiting it: from the second item on it is a ' +
      'Promise, so work is lost or runs out of order.',
    why:
      'An async callback returns a Promise, so `reduce` hands every step after the first a Promise as its accumulator. ' +
      '`acc[item.id] = await load(item)` then sets a property on that Promise, not on the object being built: every result but ' +
      'the first is dropped, while all the `load` calls still run — at once, with no limit. Code that awaits the accumulator first ' +
      'works, but runs the items strictly one after another, hidden in a `reduce`.',
    howToFix:
      'Start the work with `const results = await Promise.all(items.map((item) => load(item)))` (with p-limit if the ' +
      'list is long) and fold the results with a synchronous `reduce`; or, when the steps must run in order, write a ' +
      '`for…of` loop.',
    notReported: [
      'Callbacks that await the accumulator before using it (`const acc = await previous`)',
      'Reduces whose initial value is not given (the rule cannot tell what the first step receives)',
    ],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'claim',
      why: 'lost or reordered work is a correctness problem whatever the size of the data',
      everywhere: true,
    },
    fix: 'none',
    scope: { skip: ['tests', 'migrations'] },
    messages: {
      promiseAccumulator: {
        message:
          'This async reduce callback uses its accumulator `{{acc}}` without awaiting it: from the second item on it is a ' +
          'Promise, so {{use}} works on the Promise and the results are lost, while every step runs at once.',
        note: 'Build the results with await Promise.all(items.map(…)) and reduce them synchronously, or use a for…of loop.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export async function pricesById(products: Product[]) {
  return products.reduce(async (acc, product) => {
    acc[product.id] = await fetchPrice(product.sku);
    return acc;
  }, {} as Record<string, number>);
}`,
          errors: [{ messageId: 'promiseAccumulator', line: 3, column: 5 }],
        },
        {
          code: `export function collect(files: string[]) {
  return files.reduce(async (all, file) => {
    all.push(await read(file));
    return all;
  }, []);
}`,
          errors: [{ messageId: 'promiseAccumulator', line: 3, column: 5 }],
        },
      ],
      valid: [
        `// The accumulator is awaited first: a (deliberate) sequential chain.
export function runInOrder(steps: Array<() => Promise<void>>) {
  return steps.reduce(async (previous, step) => {
    await previous;
    await step();
  }, Promise.resolve());
}`,
        `export async function pricesById(products: Product[]) {
  const prices = await Promise.all(products.map((product) => fetchPrice(product.sku)));
  return products.reduce((acc, product, i) => {
    acc[product.id] = prices[i];
    return acc;
  }, {} as Record<string, number>);
}`,
        `export async function total(values: Promise<number>[]) {
  return values.reduce(async (sum, value) => (await sum) + (await value), Promise.resolve(0));
}`,
      ],
    },
  },
  check(context) {
    return {
      CallExpression(call) {
        const method = calleeName(call);
        if ((method !== 'reduce' && method !== 'reduceRight') || call.arguments.length < 2) return;
        const callback = skipParens(call.arguments[0]);
        if (!isFunctionLike(callback) || !isAsyncFunction(callback)) return;
        const first = callback.parameters[0];
        if (!first || !ts.isIdentifier(first.name)) return;
        const use = firstUse(callback, first.name.text);
        if (!use) return;
        context.report({ node: use.node, messageId: 'promiseAccumulator', data: { acc: first.name.text, use: use.description } });
      },
    };
  },
});

/**
 * The first use of the accumulator that treats it as the value, when it comes before any
 * `await acc`: a property written or read, a method called on it, a spread. Returning it
 * unchanged, or passing it on, says nothing.
 */
function firstUse(fn: FunctionLike, acc: string): { node: ts.Node; description: string } | undefined {
  let found: { node: ts.Node; description: string } | undefined;
  let awaited = false;
  const visit = (node: ts.Node): void => {
    if (found || awaited) return;
    if (isFunctionLike(node) && node !== fn) return;
    if (ts.isIdentifier(node) && node.text === acc && node !== (fn.parameters[0].name as ts.Identifier)) {
      const outer = skipParensUp(node);
      const parent = outer.parent;
      if (parent && ts.isAwaitExpression(parent)) {
        awaited = true;
        return;
      }
      if (parent && (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) {
        const access = parent;
        const grand = skipParensUp(access).parent;
        if (grand && ts.isCallExpression(grand) && grand.expression === skipParensUp(access) && ts.isPropertyAccessExpression(access)) {
          if (access.name.text === 'then') {
            awaited = true;
            return;
          }
          found = { node: grand, description: `${acc}.${access.name.text}(…)` };
        } else {
          const key = ts.isPropertyAccessExpression(access) ? `.${access.name.text}` : '[…]';
          found = { node: access, description: `${acc}${key}` };
        }
        return;
      }
      if (parent && (ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent))) {
        found = { node: parent, description: `...${acc}` };
        return;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
