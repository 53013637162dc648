import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, skipParens, skipParensUp } from '../../facts/ast';
import { contains, lookup, references, resolve, useOf, type Declaration } from '../../facts/dataflow';
import { isTinyIteration } from '../../facts/loops';
import { compact, eachPass } from '../../facts/phrases';

const SK = ts.SyntaxKind;

export default defineRule({
  meta: {
    id: 'json-clone-in-loop',
    category: 'complexity',
    description:
      'A deep copy (`JSON.parse(JSON.stringify(x))`, `structuredClone(x)`) on every pass of a loop, of a value that ' +
      'keeps growing or whose copy is only read.',
    why:
      'A deep copy walks the whole value — the JSON round trip also serialises it to one big string and parses it ' +
      'back. Copying a state that grows with every pass (`state = JSON.parse(JSON.stringify(state))`) makes the loop ' +
      'O(n²): the k-th pass copies k items, 50 million item copies for 10,000 passes. Copying an unchanged value that ' +
      'is then only read does the full walk on every pass for nothing.',
    howToFix:
      'Copy once, before the loop, and mutate the copy; or copy only the part that changes. When the copy is only ' +
      'read, read the original.',
    notReported: ['Copying each item of the loop (a per-item copy is linear overall)', 'Copying a template that each pass then changes'],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      why: 'a deep copy per pass: the cost grows with the passes',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['JSON.parse', 'structuredClone'] },
    messages: {
      grows: {
        message:
          '`{{code}}` deep-copies all of `{{value}}` on every {{loop}} while `{{value}}` keeps growing: the k-th pass ' +
          'copies k items, O(n²) over the loop.',
        note: 'Copy once before the loop and mutate the copy, or copy only the part that changes.',
      },
      readOnly: {
        message: '`{{code}}` deep-copies the same, unchanged `{{value}}` on every {{loop}}, and the copy is only read.',
        note: 'Read `{{value}}` itself (or copy once before the loop).',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function history(moves: Array<{ x: number }>) {
  let board: { cells: number[] } = { cells: [] };
  const snapshots: number[] = [];
  for (const move of moves) {
    board = JSON.parse(JSON.stringify(board));
    board.cells.push(move.x);
    snapshots.push(board.cells.length);
  }
  return snapshots;
}`,
          errors: [{ messageId: 'grows', line: 5, column: 13 }],
        },
        {
          code: `export function labels(items: string[], settings: { prefix: string }) {
  return items.map((item) => JSON.parse(JSON.stringify(settings)).prefix + item);
}`,
          errors: [{ messageId: 'readOnly', line: 2, column: 30 }],
        },
      ],
      valid: [
        `// A copy of each item: linear overall.
export function copies(items: Array<{ a: number }>) {
  return items.map((item) => JSON.parse(JSON.stringify(item)));
}`,
        `// A fresh copy of a template per item, then changed: the copy is the point.
export function drafts(titles: string[], template: { title: string; tags: string[] }) {
  return titles.map((title) => {
    const draft = structuredClone(template);
    draft.title = title;
    return draft;
  });
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const copied = clonedValue(call);
        if (!copied) return;
        const iteration = file.iteration(call);
        if (!iteration || isTinyIteration(iteration)) return;
        const declaration = resolve(copied);
        if (!declaration || contains(iteration.node, declaration.id)) return;
        const data = { code: compact(file.textOf(call), 50), value: copied.text, loop: eachPass(iteration, file) };
        if (growsIn(declaration, iteration.node, call)) {
          context.report({ node: call, messageId: 'grows', data });
          return;
        }
        if (unchangedIn(declaration, iteration.node) && onlyRead(call)) context.report({ node: call, messageId: 'readOnly', data });
      },
    };
  },
});

/** `x` of `JSON.parse(JSON.stringify(x))` or `structuredClone(x)`. */
function clonedValue(call: ts.CallExpression): ts.Identifier | undefined {
  const name = calleeName(call);
  const callee = skipParens(call.expression);
  if (name === 'structuredClone' && ts.isIdentifier(callee) && call.arguments.length === 1 && !lookup('structuredClone', call)) {
    const argument = skipParens(call.arguments[0]);
    return ts.isIdentifier(argument) ? argument : undefined;
  }
  if (name !== 'parse' || call.arguments.length !== 1 || !isJson(callee, call)) return undefined;
  const inner = skipParens(call.arguments[0]);
  if (
    !ts.isCallExpression(inner) ||
    calleeName(inner) !== 'stringify' ||
    inner.arguments.length !== 1 ||
    !isJson(skipParens(inner.expression), call)
  )
    return undefined;
  const argument = skipParens(inner.arguments[0]);
  return ts.isIdentifier(argument) ? argument : undefined;
}

function isJson(callee: ts.Expression, at: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'JSON' && !lookup('JSON', at)
  );
}

/** Methods that add items to what they are called on. */
const GROWING_METHODS: ReadonlySet<string> = new Set(['push', 'unshift', 'splice', 'set', 'add', 'append']);

/**
 * The copied value gains items inside the loop, through its name: something in it is pushed to
 * (`x.push(…)`, `x.rows.push(…)`) or given a computed key (`x[key] = …`, `x.byId[id] = …`).
 */
function growsIn(declaration: Declaration, region: ts.Node, call: ts.CallExpression): boolean {
  return references(declaration).some((reference) => {
    if (!contains(region, reference) || contains(call, reference)) return false;
    let node: ts.Node = skipParensUp(reference);
    let computed = false;
    for (;;) {
      const parent = node.parent;
      if (!parent) return false;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        const grandParent = skipParensUp(parent).parent;
        if (grandParent && ts.isCallExpression(grandParent) && grandParent.expression === skipParensUp(parent))
          return GROWING_METHODS.has(parent.name.text);
        node = skipParensUp(parent);
        continue;
      }
      if (ts.isElementAccessExpression(parent) && parent.expression === node) {
        computed = !ts.isStringLiteralLike(parent.argumentExpression) && !ts.isNumericLiteral(parent.argumentExpression);
        node = skipParensUp(parent);
        continue;
      }
      const assigned = ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === SK.EqualsToken;
      return assigned && computed;
    }
  });
}

function unchangedIn(declaration: Declaration, region: ts.Node): boolean {
  return references(declaration).every((reference) => !contains(region, reference) || useOf(reference).kind === 'read');
}

/** The copy is only looked at: a property of it read, or it is tested — never kept, changed or handed on. */
function onlyRead(call: ts.CallExpression): boolean {
  const use = useOf(call);
  if (use.kind !== 'read') return false;
  const parent = skipParensUp(call).parent;
  // `{ ...structuredClone(x) }` keeps the copy's nested objects: the copy is what is wanted.
  if (!parent || ts.isExpressionStatement(parent) || ts.isSpreadAssignment(parent) || ts.isSpreadElement(parent)) return false;
  return ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || !use.deep;
}
