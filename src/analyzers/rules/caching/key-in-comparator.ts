import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, isFunctionLike, receiverOf, skipParens } from '../../facts/ast';
import { scaleOf } from '../../facts/sizes';
import { comparatorIteration } from '../../facts/loops';
import type { FileFacts } from '../../facts/fileFacts';
import { compact } from '../../facts/phrases';

/** Methods that build a new string, array or object from their receiver: the allocating part of a key. */
const DERIVING_METHODS: ReadonlySet<string> = new Set([
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'normalize',
  'trim',
  'trimStart',
  'trimEnd',
  'split',
  'replace',
  'replaceAll',
  'match',
  'matchAll',
  'padStart',
  'padEnd',
  'repeat',
  'join',
  'map',
  'filter',
  'reduce',
  'toISOString',
  'toJSON',
  'toFixed',
  'toPrecision',
]);
/** Global functions that parse or serialise their argument. */
const DERIVING_FUNCTIONS: ReadonlySet<string> = new Set([
  'Date.parse',
  'JSON.stringify',
  'JSON.parse',
  'parseFloat',
  'moment',
  'dayjs',
  'DateTime.fromISO',
  'semver.parse',
  'semver.coerce',
]);

export default defineRule({
  meta: {
    id: 'key-in-comparator',
    category: 'caching',
    description:
      'A sort comparator that derives the same costly key from both items on every comparison, as in `(a, b) => ' +
      'a.name.toLowerCase().localeCompare(…)`.',
    why:
      'A sort calls its comparator about n·log₂ n times — 130,000 times for 10,000 items — and each call here builds ' +
      "the key of both items again: a lower-cased copy of a string, a parsed Date, a split array. Every item's key is " +
      'rebuilt some 2·log₂ n times (about 27 times for 10,000 items), with as many short-lived objects for the garbage ' +
      'collector, where computing each key once would do.',
    howToFix:
      'Compute each key once, then sort by it: `items.map((item) => ({ item, key: item.name.toLowerCase() }))`, sort ' +
      'the pairs by `key`, and map back to `item` (or keep the keys in a Map looked up by the comparator). For ' +
      'case-insensitive ordering, an `Intl.Collator` with `sensitivity: "base"` compares without building lower-cased ' +
      'copies.',
    notReported: ['Comparators that only read properties', 'Sorts of short literal lists'],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'items',
      cpu: true,
      constantGain: true,
      why: 'the key is derived O(n·log n) times: it matters for a list that grows',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['.sort(', '.toSorted('] },
    rewrites: {
      except: {
        rename:
          "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid examples 0 and 1 are not reported",
      },
    },
    messages: {
      key: {
        message:
          '`{{key}}` is rebuilt for both items on every comparison: the comparator runs about n·log₂ n times, so each ' +
          "item's key is derived some 2·log₂ n times.",
        note: 'Compute the keys once (map each item to `[key, item]`, sort the pairs, map back), or cache them in a Map.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function byName(users: Array<{ name: string }>) {
  return users.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}`,
          errors: [{ messageId: 'key', line: 2, column: 31 }],
        },
        {
          code: `export function oldestFirst(events: Array<{ at: string }>) {
  return [...events].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}`,
          errors: [{ messageId: 'key', line: 2, column: 37 }],
        },
      ],
      valid: [
        `// Only property reads: nothing to precompute.
export function byAge(users: Array<{ age: number }>) {
  return users.sort((a, b) => a.age - b.age);
}`,
        `// The keys are computed once, before sorting.
export function byName(users: Array<{ name: string }>) {
  return users
    .map((user) => ({ user, key: user.name.toLowerCase() }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((pair) => pair.user);
}`,
        `// A short literal list.
export function letters() {
  return ['B', 'a', 'C'].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const check = (fn: ts.ArrowFunction | ts.FunctionExpression): void => {
      if (fn.parameters.length !== 2) return;
      const [first, second] = fn.parameters.map((p) => p.name);
      if (!ts.isIdentifier(first) || !ts.isIdentifier(second)) return;
      const iteration = comparatorIteration(fn);
      if (!iteration?.call) return;
      const receiver = receiverOf(iteration.call);
      if (!receiver || scaleOf(receiver) !== 'large') return;
      const key = derivedKey(fn, first.text, second.text, file);
      // The key is derived O(n·log n) times for the list sorted, whatever loop is around the sort.
      if (key)
        context.report({ node: key, messageId: 'key', data: { key: compact(file.textOf(key), 50) }, evidence: { collection: receiver } });
    };
    return {
      ArrowFunction: check,
      FunctionExpression: check,
    };
  },
});

/**
 * The first expression in the comparator's body that derives a key from `a` with an allocating
 * call (`a.name.toLowerCase()`, `new Date(a.at)`) whose mirror image for `b` is also there.
 */
function derivedKey(fn: ts.ArrowFunction | ts.FunctionExpression, a: string, b: string, file: FileFacts): ts.Expression | undefined {
  const candidates: ts.Expression[] = [];
  const texts = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isExpression(node)) texts.add(file.textOf(node).replace(/\s+/g, ''));
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isDeriving(node) && mentionsOnly(node, a, b)) candidates.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  for (const candidate of candidates) {
    const mirrored = swap(file.textOf(candidate).replace(/\s+/g, ''), a, b);
    if (texts.has(mirrored)) return candidate;
  }
  return undefined;
}

function isDeriving(node: ts.CallExpression | ts.NewExpression): boolean {
  if (ts.isNewExpression(node)) {
    const callee = skipParens(node.expression);
    return (
      ts.isIdentifier(callee) &&
      (callee.text === 'Date' || callee.text === 'RegExp' || callee.text === 'URL' || callee.text === 'Set' || callee.text === 'Map')
    );
  }
  const callee = skipParens(node.expression);
  const name = calleeName(node);
  if (name === undefined) return false;
  const qualified =
    ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? `${callee.expression.text}.${name}` : name;
  if (DERIVING_FUNCTIONS.has(qualified)) return true;
  return ts.isPropertyAccessExpression(callee) && DERIVING_METHODS.has(name);
}

/** The expression reads the first parameter and not the second. */
function mentionsOnly(node: ts.Node, a: string, b: string): boolean {
  let hasA = false;
  let hasB = false;
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current)) {
      const parent = current.parent;
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === current) return;
      if (current.text === a) hasA = true;
      if (current.text === b) hasB = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return hasA && !hasB;
}

/** `a.x.toLowerCase()` → `b.x.toLowerCase()`: the same text with the parameter names exchanged (whole words only). */
function swap(text: string, a: string, b: string): string {
  const word = (name: string) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  const marker = '\u0000';
  return text.replace(word(a), marker).replace(word(b), a).split(marker).join(b);
}
