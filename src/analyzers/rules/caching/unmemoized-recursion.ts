import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, enclosingFunction, isFunctionLike, skipParens, skipParensUp, type FunctionLike } from '../../facts/ast';
import { lookup, resolve } from '../../facts/dataflow';
import { compact } from '../../facts/phrases';

const SK = ts.SyntaxKind;

/** Calls that wrap a function in a cache. */
const MEMOIZERS = /^(memoize|memoizeOne|memo|cached|cache|moize|lru|useCallback|useMemo)$/i;

export default defineRule({
  meta: {
    id: 'unmemoized-recursion',
    category: 'caching',
    description:
      'A recursive function that calls itself two or more times per call on overlapping sub-problems (`fib(n - 1) + ' +
      'fib(n - 2)`) without remembering results.',
    why:
      'When each call makes two or more recursive calls whose arguments step down by small amounts, the same ' +
      'sub-problems are solved again and again: `fib(40)` makes over 300 million calls to compute 40 distinct values. ' +
      'The running time is exponential in the input where remembering each answer makes it linear (or polynomial for ' +
      'several arguments).',
    howToFix:
      'Memoize: keep a Map from the arguments to the result, check it first, store before returning — or compute ' +
      'bottom-up in a loop over the sub-problems.',
    notReported: [
      'Recursions that split their input (tree walks over `node.left` and `node.right`, divide and conquer on ' +
        '`lo..mid` and `mid..hi`)',
      'A single recursive call per call',
      'Functions that already consult a cache',
    ],
    impact: 'high',
    effort: 'medium',
    evidence: {
      basis: 'claim',
      cpu: true,
      why: 'exponential work is costly for any input worth recursing on, in a script or a seed too',
      everywhere: true,
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    messages: {
      overlapping: {
        message:
          '`{{name}}` calls itself {{count}} times per call with overlapping arguments ({{calls}}): the same sub-problems ' +
          'are solved over and over — exponential time.',
        note: 'Memoize it (a Map from arguments to result) or compute it bottom-up.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}`,
          errors: [{ messageId: 'overlapping', line: 1, column: 17 }],
        },
        {
          code: `export const paths = (rows: number, cols: number): number => {
  if (rows === 0 || cols === 0) return 1;
  return paths(rows - 1, cols) + paths(rows, cols - 1);
};`,
          errors: [{ messageId: 'overlapping', line: 1, column: 14 }],
        },
        {
          code: `export function editDistance(a: string, b: string, i = 0, j = 0): number {
  if (i === a.length) return b.length - j;
  if (j === b.length) return a.length - i;
  if (a[i] === b[j]) return editDistance(a, b, i + 1, j + 1);
  return 1 + Math.min(editDistance(a, b, i + 1, j), editDistance(a, b, i, j + 1), editDistance(a, b, i + 1, j + 1));
}`,
          errors: [{ messageId: 'overlapping', line: 1, column: 17 }],
        },
      ],
      valid: [
        `// A tree walk: each call works on a different part of the input.
export function depth(node: { left?: unknown; right?: unknown } | undefined): number {
  if (!node) return 0;
  return 1 + Math.max(depth(node.left as never), depth(node.right as never));
}`,
        `// Divide and conquer: the halves do not overlap.
export function sum(xs: number[], lo: number, hi: number): number {
  if (hi - lo <= 1) return xs[lo] ?? 0;
  const mid = (lo + hi) >> 1;
  return sum(xs, lo, mid) + sum(xs, mid, hi);
}`,
        `// Already memoized.
const memo = new Map<number, number>();
export function fib(n: number): number {
  if (n < 2) return n;
  const known = memo.get(n);
  if (known !== undefined) return known;
  const value = fib(n - 1) + fib(n - 2);
  memo.set(n, value);
  return value;
}`,
        `// One recursive call per run, whichever return is taken.
export function steps(n: number): number {
  if (n <= 1) return 0;
  if (n % 2 === 0) return 1 + steps(n - 2);
  return 1 + steps(n - 1);
}`,
        `// One recursive call per call: linear.
export function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    // Self-calls by function, gathered from the one walk (a call whose callee names its own enclosing function).
    const selfCallsOf = new Map<FunctionLike, ts.CallExpression[]>();
    const names = new Map<FunctionLike, ts.Identifier | null>();
    return {
      CallExpression(call) {
        const callee = call.expression;
        if (!ts.isIdentifier(callee) || call.arguments.length === 0) return;
        const fn = enclosingFunction(call);
        if (!fn) return;
        let name = names.get(fn);
        if (name === undefined) names.set(fn, (name = selfName(fn) ?? null));
        if (!name || name.text !== callee.text) return;
        const declaration = lookup(name.text, callee);
        const target = declaration?.node;
        if (!(target === fn || (target && ts.isVariableDeclaration(target) && target.initializer && skipParens(target.initializer) === fn)))
          return;
        const calls = selfCallsOf.get(fn);
        if (calls) calls.push(call);
        else selfCallsOf.set(fn, [call]);
      },
      onEnd() {
        for (const [fn, calls] of selfCallsOf) {
          if (calls.length < 2) continue;
          const name = selfName(fn)!;
          const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
          if (params.length === 0 || params.some((p) => p === undefined)) continue;
          // Every argument: a parameter passed on, or a parameter stepped by a small constant.
          const shapes = calls.map((call) => argumentShape(call, params as string[]));
          if (shapes.some((shape) => shape === undefined) || !shapes.some((shape) => shape!.stepped)) continue;
          if (!overlapping(calls) || isMemoized(fn)) continue;
          context.report({
            node: name,
            messageId: 'overlapping',
            data: {
              name: name.text,
              count: calls.length,
              calls: calls
                .slice(0, 3)
                .map((c) => `\`${compact(file.textOf(c), 30)}\``)
                .join(', '),
            },
          });
        }
      },
    };
  },
});

/** The name the function calls itself by: its own name, or the `const` it initialises. */
function selfName(fn: FunctionLike): ts.Identifier | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const parent = skipParensUp(fn).parent;
    if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name;
  }
  return undefined;
}

/** Each argument is a parameter (possibly ± a small integer); `stepped` when at least one is stepped. */
function argumentShape(call: ts.CallExpression, params: string[]): { stepped: boolean } | undefined {
  let stepped = false;
  for (const argument of call.arguments) {
    const node = skipParens(argument);
    if (ts.isIdentifier(node) && params.includes(node.text) && resolve(node)) continue;
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === SK.MinusToken || node.operatorToken.kind === SK.PlusToken)) {
      const left = skipParens(node.left);
      const right = skipParens(node.right);
      if (
        ts.isIdentifier(left) &&
        params.includes(left.text) &&
        ts.isNumericLiteral(right) &&
        Number(right.text) >= 1 &&
        Number(right.text) <= 8
      ) {
        stepped = true;
        continue;
      }
    }
    return undefined;
  }
  return { stepped };
}

/** At least two of the calls can run in the same invocation (not in different branches of one if/?:/switch). */
function overlapping(calls: ts.CallExpression[]): boolean {
  for (let i = 0; i < calls.length; i++) {
    for (let j = i + 1; j < calls.length; j++) {
      if (!exclusive(calls[i], calls[j])) return true;
    }
  }
  return false;
}

function exclusive(a: ts.Node, b: ts.Node): boolean {
  // Two different `return` statements: only one of them runs per call.
  const returnOf = (node: ts.Node): ts.Node | undefined => {
    for (let current = node.parent; current && !isFunctionLike(current); current = current.parent)
      if (ts.isReturnStatement(current)) return current;
    return undefined;
  };
  const returnA = returnOf(a);
  const returnB = returnOf(b);
  if (returnA && returnB && returnA !== returnB) return true;
  const ancestors = new Set<ts.Node>();
  for (let current: ts.Node | undefined = a; current; current = current.parent) ancestors.add(current);
  let child: ts.Node = b;
  let common: ts.Node | undefined = b.parent;
  while (common && !ancestors.has(common)) {
    child = common;
    common = common.parent;
  }
  if (!common) return false;
  const branchOf = (node: ts.Node): ts.Node | undefined => {
    let current: ts.Node = node;
    while (current.parent && current.parent !== common) current = current.parent;
    return current;
  };
  const aBranch = branchOf(a);
  const bBranch = child;
  if (ts.isIfStatement(common)) return aBranch !== bBranch && aBranch !== common.expression && bBranch !== common.expression;
  if (ts.isConditionalExpression(common)) return aBranch !== bBranch && aBranch !== common.condition && bBranch !== common.condition;
  if (ts.isCaseBlock(common)) return aBranch !== bBranch;
  return false;
}

/** The function consults a cache kept outside it (`memo.get(n)`, `cache[key]`), or is wrapped in a memoizer. */
function isMemoized(fn: FunctionLike): boolean {
  const outer = skipParensUp(fn).parent;
  if (outer && ts.isCallExpression(outer) && MEMOIZERS.test(calleeName(outer) ?? '')) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name === 'get' || name === 'has') found = true;
    }
    if (ts.isElementAccessExpression(node) && ts.isIdentifier(skipParens(node.expression))) {
      const declaration = resolve(skipParens(node.expression) as ts.Identifier);
      if (declaration && !(declaration.id.pos >= fn.pos && declaration.id.end <= fn.end)) found = true;
      if (declaration && declaration.kind === 'parameter' && /memo|cache/i.test(declaration.name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
