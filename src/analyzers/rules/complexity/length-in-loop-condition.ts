import { ts } from '../../ts';
import { defineRule, type FixSpec } from '../../rule';
import { calleeName, indentationAt, isFunctionLike, newlineOf, receiverOf, skipParens } from '../../facts/ast';
import { camelName, contains, insertionPoint, isInvariantIn, uniqueName } from '../../facts/dataflow';
import { isSmallList } from '../../facts/sizes';
import type { FileFacts } from '../../facts/fileFacts';
import { compact } from '../../facts/phrases';

/** `Object.*(x)` calls that build an array of every key, value or entry. */
const OBJECT_LISTERS: ReadonlySet<string> = new Set(['keys', 'values', 'entries', 'getOwnPropertyNames']);
/** Methods that build a whole new array (or list of parts) only to be counted here. */
const BUILDING_METHODS: ReadonlySet<string> = new Set(['filter', 'split', 'map', 'flat', 'flatMap', 'slice', 'concat']);

export default defineRule({
  meta: {
    id: 'length-in-loop-condition',
    category: 'complexity',
    description:
      'A loop condition that builds a whole array only to read its length (`Object.keys(o).length`, ' +
      '`xs.filter(p).length`), evaluated before every pass.',
    why:
      'A loop condition runs before every pass. `Object.keys(o).length` allocates an array of every key and ' +
      '`xs.filter(p).length` walks the whole list and copies what matches — O(n) work, and garbage, for one number. ' +
      'In the condition of a loop of n passes that is O(n²): 10,000 passes over a 10,000-key object build 10,000 arrays ' +
      'of 10,000 keys.',
    howToFix:
      'When the counted thing does not change inside the loop, count once before it (`const keyCount = ' +
      'Object.keys(o).length`). When it does, keep the count beside it (a counter updated where items come and go), or ' +
      'use a Map or Set, whose `size` is O(1).',
    notReported: ['`xs.length` and `map.size`', 'Counts of short literal lists'],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      why: 'the array is rebuilt before every pass: O(n²) in the items walked',
    },
    fix: 'suggestion',
    fixForm: 'count before the loop',
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    messages: {
      invariant: {
        message:
          '`{{code}}` builds a whole array on every check of this loop condition, just to count it — O(n) per pass for a ' +
          'number that does not change inside the loop.',
        note: 'Count once before the loop.',
      },
      changing: {
        message:
          '`{{code}}` builds a whole array on every check of this loop condition, just to count it: O(n) per pass, O(n²) ' +
          'over the loop.',
        note: 'Keep a running count beside the data (or use a Map/Set and its `size`).',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function fill(slots: Record<string, number>, values: number[]) {
  for (let i = 0; i < Object.keys(slots).length; i++) values.push(i);
  return values;
}`,
          errors: [{ messageId: 'invariant', line: 2, column: 23 }],
        },
        {
          code: `export function runAll(tasks: Array<{ done: boolean; run(): void }>) {
  while (tasks.filter((t) => !t.done).length > 0) {
    tasks.find((t) => !t.done)!.run();
  }
}`,
          errors: [{ messageId: 'changing', line: 2, column: 10 }],
        },
      ],
      valid: [
        `// Array length is a stored number.
export function sum(xs: number[]) {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i];
  return total;
}`,
        `// Counted once, before the loop.
export function fill(slots: Record<string, number>, values: number[]) {
  const count = Object.keys(slots).length;
  for (let i = 0; i < count; i++) values.push(i);
  return values;
}`,
        `// Counted in the loop body, once per pass on purpose (a bound that changes as items are processed).
export function firstEmpty(rows: string[][]) {
  for (const row of rows) if (row.filter(Boolean).length === 0) return row;
  return undefined;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    // Loop statements are few; their conditions are small: look for `.length` there only.
    const inspect = (loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement, condition: ts.Expression | undefined): void => {
      if (!condition) return;
      const visit = (node: ts.Node): void => {
        if (isFunctionLike(node)) return;
        if (ts.isPropertyAccessExpression(node) && node.name.text === 'length') {
          const source = builtArray(skipParens(node.expression));
          if (source && conditionLoop(node) === loop) {
            const invariant = source.every((part) => isInvariantIn(part, loop, { propertyChains: true }));
            context.report({
              node,
              messageId: invariant ? 'invariant' : 'changing',
              data: { code: compact(file.textOf(node), 60) },
              fixes: invariant ? hoistFix(node, loop, file) : [],
            });
            return;
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(condition);
    };
    return {
      ForStatement: (loop) => inspect(loop, loop.condition),
      WhileStatement: (loop) => inspect(loop, loop.expression),
      DoStatement: (loop) => inspect(loop, loop.expression),
    };
  },
});

/**
 * When `expression` builds a fresh array whose only purpose here is its length, the expressions
 * its contents come from (`o` of `Object.keys(o)`, `xs` and the predicate of `xs.filter(p)`).
 */
function builtArray(expression: ts.Expression): ts.Expression[] | undefined {
  if (ts.isArrayLiteralExpression(expression)) {
    if (expression.elements.length !== 1 || !ts.isSpreadElement(expression.elements[0])) return undefined;
    return [expression.elements[0].expression];
  }
  if (!ts.isCallExpression(expression)) return undefined;
  const callee = skipParens(expression.expression);
  const name = calleeName(expression);
  if (name === undefined || !ts.isPropertyAccessExpression(callee)) return undefined;
  if (ts.isIdentifier(callee.expression) && (callee.expression.text === 'Object' || callee.expression.text === 'Array')) {
    if (callee.expression.text === 'Object' && OBJECT_LISTERS.has(name) && expression.arguments.length === 1)
      return [expression.arguments[0]];
    if (callee.expression.text === 'Array' && name === 'from' && expression.arguments.length >= 1) return [...expression.arguments];
    return undefined;
  }
  if (!BUILDING_METHODS.has(name)) return undefined;
  const receiver = receiverOf(expression)!;
  if (isSmallList(receiver)) return undefined;
  if (name === 'slice' && expression.arguments.length === 0) return undefined;
  // `filter(Boolean)`, `split(',')`: what the call is given counts too.
  return [receiver, ...expression.arguments.filter((a) => !ts.isSpreadElement(a))];
}

/** The `for`/`while`/`do` whose condition holds `node` (not its body, not a nested function). */
function conditionLoop(node: ts.Node): ts.ForStatement | ts.WhileStatement | ts.DoStatement | undefined {
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionLike(parent) || ts.isBlock(parent) || ts.isSourceFile(parent)) return undefined;
    if (ts.isForStatement(parent)) return parent.condition === child ? parent : undefined;
    if (ts.isWhileStatement(parent) || ts.isDoStatement(parent)) return parent.expression === child ? parent : undefined;
    if (ts.isStatement(parent)) return undefined;
  }
  return undefined;
}

/** Count once before the loop (a suggestion: the data might still change through a call inside it). */
function hoistFix(access: ts.PropertyAccessExpression, loop: ts.Statement, file: FileFacts): FixSpec[] {
  const statement = insertionPoint(loop);
  if (!statement || !contains(statement, access)) return [];
  const counted = skipParens(access.expression);
  const hint = ts.isCallExpression(counted) ? (calleeName(counted) ?? 'item') : 'item';
  const name = uniqueName(file.sourceFile, camelName(hint === 'keys' || hint === 'values' || hint === 'entries' ? hint : 'item', 'count'));
  const start = file.start(statement);
  return [
    {
      title: `Count once before the loop as ${name} (check that nothing inside the loop changes what is counted)`,
      kind: 'suggestion',
      edits: [
        { start, end: start, newText: `const ${name} = ${file.textOf(access)};${newlineOf(file.text)}${indentationAt(file.text, start)}` },
        { start: file.start(access), end: access.end, newText: name },
      ],
    },
  ];
}
