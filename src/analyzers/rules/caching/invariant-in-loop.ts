import { ts } from '../../ts';
import { defineRule, type FixSpec } from '../../rule';
import type { TextEdit } from '../../finding';
import { boundNames, calleeName, enclosingFunction, indentationAt, newlineOf, receiverOf, skipParens, skipParensUp } from '../../facts/ast';
import {
  camelName, contains, insertionPoint, isInvariantIn, isValueReference, lookup, references, resolve, uniqueName, useOf,
  type Declaration,
} from '../../facts/dataflow';
import { constantValue } from '../../facts/constants';
import { syntacticKind, typeFactsOf } from '../../facts/collections';
import { iterationStatement, type Iteration } from '../../facts/loops';
import type { FileFacts } from '../../facts/fileFacts';
import { compact, eachPass } from '../../facts/phrases';

const SK = ts.SyntaxKind;

const INTL_CONSTRUCTORS: ReadonlySet<string> = new Set(['NumberFormat', 'DateTimeFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter', 'DisplayNames']);

/** Methods whose call on the object leaves no trace of its identity (for a regexp without g/y: no lastIndex). */
const REGEXP_USES: ReadonlySet<string> = new Set(['test', 'exec']);
const INTL_USES: ReadonlySet<string> = new Set(['format', 'formatToParts', 'formatRange', 'formatRangeToParts', 'compare', 'select', 'selectRange', 'segment', 'resolvedOptions', 'of']);
/** String methods that take a regexp and only read it (non-global: no lastIndex state). */
const STRING_REGEXP_METHODS: ReadonlySet<string> = new Set(['replace', 'match', 'split', 'search']);
/** Calls that only invoke a function they are given (a bound `collator.compare` or `formatter.format`). */
const CALLBACK_CONSUMERS: ReadonlySet<string> = new Set(['sort', 'toSorted', 'map', 'forEach', 'filter', 'some', 'every', 'find', 'flatMap']);

type Construction =
  | { kind: 'regexp'; node: ts.NewExpression; args: readonly ts.Expression[] }
  | { kind: 'intl'; node: ts.NewExpression; ctor: string; args: readonly ts.Expression[] }
  | { kind: 'json'; node: ts.CallExpression; args: readonly ts.Expression[] };

/** How the constructed object is used: directly, or through a const declared in the loop. */
type Usage = { kind: 'direct' } | { kind: 'declared'; declaration: Declaration; statement: ts.VariableStatement };

export default defineRule({
  meta: {
    id: 'invariant-in-loop',
    category: 'caching',
    description: 'A `new RegExp(…)`, `new Intl.*(…)` or `JSON.parse(…)` with the same arguments on every pass of a loop or iteration callback.',
    why:
      'Building a regular expression compiles the pattern; building an Intl formatter resolves the locale and loads its ' +
      'data (tens of microseconds each, against well under a microsecond to reuse one); JSON.parse re-reads the whole ' +
      'text. When the arguments are the same on every pass, all of that work is repeated for nothing: formatting 10,000 ' +
      'prices with `new Intl.NumberFormat(…)` inside `map` spends most of its time building formatters.',
    howToFix:
      'Create the object once before the loop (`const price = new Intl.NumberFormat("en-US", { style: "currency", ' +
      'currency: "USD" })`) and use it inside. Regular-expression literals (`/x/`) are already compiled once by the engine ' +
      'and are not reported; neither are patterns built from the loop variable, `g`/`y` regexps (their `lastIndex` is ' +
      'state), nor JSON.parse of each item or of text whose parsed result is changed or kept.',
    impact: 'medium',
    effort: 'low',
    fix: 'safe',
    messages: {
      regexp: '`{{code}}` compiles the same pattern on every {{loop}}. Build the RegExp once before the loop and reuse it.',
      intl: '`new Intl.{{ctor}}(…)` is built again with the same arguments on every {{loop}}: resolving the locale and loading its data costs far more than using the object. Create it once before the loop.',
      json: '`JSON.parse({{text}})` parses the same text on every {{loop}}. Parse it once before the loop (the result is only read here).',
    },
    examples: {
      invalid: [
        {
          code: `export function prices(amounts: number[]) {
  return amounts.map((amount) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount));
}`,
          output: `export function prices(amounts: number[]) {
  const numberFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  return amounts.map((amount) => numberFormat.format(amount));
}`,
        },
        {
          code: `export function countMatches(lines: string[]) {
  let count = 0;
  for (const line of lines) {
    const pattern = new RegExp('^\\\\s*(error|fatal):', 'i');
    if (pattern.test(line)) count++;
  }
  return count;
}`,
          output: `export function countMatches(lines: string[]) {
  let count = 0;
  const pattern = new RegExp('^\\\\s*(error|fatal):', 'i');
  for (const line of lines) {
    if (pattern.test(line)) count++;
  }
  return count;
}`,
        },
        {
          code: `// The pattern comes from a parameter: reported, but hoisting is a suggestion
// (an invalid pattern would then throw even when there are no rows).
export function highlight(rows: string[], term: string) {
  return rows.map((row) => row.replace(new RegExp(term, 'i'), (m) => '<b>' + m + '</b>'));
}`,
        },
        {
          code: `export function byName(names: string[], locale: string) {
  return [...names].sort((a, b) => new Intl.Collator(locale).compare(a, b));
}`,
        },
        {
          code: `const DEFAULTS = '{"retries":3,"timeout":1000}';

export function configure(jobs: Array<{ name: string }>) {
  return jobs.map((job) => ({ name: job.name, timeout: JSON.parse(DEFAULTS).timeout }));
}`,
        },
      ],
      valid: [
        `// A regular-expression literal is compiled once by the engine.
export function countErrors(lines: string[]) {
  return lines.filter((line) => /^error:/i.test(line)).length;
}`,
        `// Built from the loop variable: a different pattern per item.
export function matchers(words: string[], text: string) {
  return words.filter((word) => new RegExp(\`\\\\b\${word}\\\\b\`).test(text));
}`,
        `// A global regexp carries lastIndex between calls: one per pass is deliberate.
export function firstMatches(lines: string[]) {
  return lines.map((line) => new RegExp('\\\\d+', 'g').exec(line));
}`,
        `// JSON.parse of each item.
export function parseAll(rows: string[]) {
  return rows.map((row) => JSON.parse(row));
}`,
        `// A fresh copy per item is the point: the parsed object is changed and kept.
const TEMPLATE = '{"tags":[]}';
export function drafts(titles: string[]) {
  return titles.map((title) => {
    const draft = JSON.parse(TEMPLATE);
    draft.title = title;
    return draft;
  });
}`,
        `// Created once, outside the loop.
const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export function prices(amounts: number[]) {
  return amounts.map((amount) => price.format(amount));
}`,
        `// Already memoized: built once, on the first pass.
let price: Intl.NumberFormat | undefined;
export function prices(amounts: number[]) {
  return amounts.map((amount) => (price ??= new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })).format(amount));
}`,
        `// Flags unknown: could be g or y.
export function find(lines: string[], source: string, flags: string) {
  return lines.filter((line) => new RegExp(source, flags).test(line));
}`,
        `// Each pass keeps its own regexp object: identity is observable.
export function compile(words: string[]) {
  const out: RegExp[] = [];
  for (const word of words) out.push(new RegExp('^' + 'x', 'i'));
  return out.length + words.length;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;

    const handle = (construction: Construction): void => {
      const iterations = repeatedBy(construction.node, file);
      if (iterations.length === 0) return;
      const levels = invariantLevels(construction, iterations);
      if (levels.length === 0) return;
      const usage = usageOf(construction, levels[0]);
      if (!usage) return;
      const loop = eachPass(levels[0], file);
      const fixes = fixFor(construction, usage, levels, file);
      if (construction.kind === 'regexp') {
        context.report({ node: construction.node, messageId: 'regexp', data: { code: compact(file.textOf(construction.node), 60), loop }, fixes });
      } else if (construction.kind === 'intl') {
        context.report({ node: construction.node, messageId: 'intl', data: { ctor: construction.ctor, loop }, fixes });
      } else {
        context.report({ node: construction.node, messageId: 'json', data: { text: compact(file.textOf(construction.args[0])), loop }, fixes });
      }
    };

    return {
      NewExpression(node) {
        const callee = skipParens(node.expression);
        const args = node.arguments ?? [];
        if (ts.isIdentifier(callee) && callee.text === 'RegExp') {
          if (args.length === 0 || lookup('RegExp', node) || !flagsAreStateless(args, file)) return;
          handle({ kind: 'regexp', node, args });
        } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Intl' && INTL_CONSTRUCTORS.has(callee.name.text)) {
          if (lookup('Intl', node)) return;
          handle({ kind: 'intl', node, ctor: callee.name.text, args });
        }
      },
      CallExpression(node) {
        if (calleeName(node) !== 'parse' || node.arguments.length !== 1) return;
        const callee = skipParens(node.expression);
        if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'JSON' || lookup('JSON', node)) return;
        const text = skipParens(node.arguments[0]);
        // JSON.parse(JSON.stringify(x)) is a deep clone: a fresh copy per pass is its purpose.
        if (ts.isCallExpression(text)) return;
        handle({ kind: 'json', node, args: node.arguments });
      },
    };
  },
});

// ---------------------------------------------------------------------------------------------
// Recognising the repeated construction

/**
 * The loops and iteration callbacks that repeat `node`, innermost first — counting a `sort`
 * comparator as one: it runs n·log n times.
 */
function repeatedBy(node: ts.Node, file: FileFacts): Iteration[] {
  const iterations = file.iterations(node);
  if (iterations.length > 0) return iterations;
  const fn = enclosingFunction(node);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return iterations;
  const outer = skipParensUp(fn);
  const call = outer.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== outer) return iterations;
  const method = calleeName(call);
  const receiver = receiverOf(call);
  if ((method !== 'sort' && method !== 'toSorted') || !receiver) return iterations;
  const comparator: Iteration = { kind: 'callback', node: fn, call, method, collection: receiver, variables: fn.parameters.flatMap((p) => boundNames(p.name)) };
  return [comparator, ...file.iterations(call)];
}

/**
 * Known flags without `g` or `y`. `new RegExp(source)` without flags copies the flags of a RegExp
 * source, so the source must be known to be a string then.
 */
function flagsAreStateless(args: readonly ts.Expression[], file: FileFacts): boolean {
  const [source, flags] = args;
  if (flags === undefined) {
    const inner = skipParens(source);
    if (ts.isRegularExpressionLiteral(inner)) return !/[gy]/.test(inner.text.slice(inner.text.lastIndexOf('/') + 1));
    if (syntacticKind(inner) === 'string') return true;
    const type = typeFactsOf(file)?.typeOf(inner);
    return !!type && !!(type.flags & ts.TypeFlags.StringLike);
  }
  const value = constantValue(flags);
  return !!value && typeof value.value === 'string' && /^[dimsuv]*$/.test(value.value);
}

/** The iterations (innermost first) in which every argument keeps its value. */
function invariantLevels(construction: Construction, iterations: Iteration[]): Iteration[] {
  const levels: Iteration[] = [];
  // Calls such as escapeRegExp(term) count as invariant for a pattern; JSON.parse of a call result is another matter (I/O, a clone).
  const options = { propertyChains: true, calls: construction.kind !== 'json' };
  for (const iteration of iterations) {
    if (!construction.args.every((arg) => !ts.isSpreadElement(arg) && isInvariantIn(arg, iteration.node, options))) break;
    levels.push(iteration);
  }
  return levels;
}

/** A use of the constructed object that cannot observe its identity or state. */
function harmlessUse(node: ts.Node, construction: Construction): boolean {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  if (!parent) return false;
  if (construction.kind === 'json') {
    // Read only: a property of it (`JSON.parse(text).timeout`), a reading method, a test. Not kept whole, not changed.
    const use = useOf(node);
    if (use.kind !== 'read' || ts.isExpressionStatement(parent)) return false;
    return ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || !use.deep;
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) {
    const method = parent.name.text;
    const allowed = construction.kind === 'regexp' ? REGEXP_USES : INTL_USES;
    if (!allowed.has(method)) return construction.kind === 'regexp' && (method === 'source' || method === 'flags') && !isAssigned(parent);
    const access = skipParensUp(parent);
    const call = access.parent;
    if (call && ts.isCallExpression(call) && call.expression === access) return true;
    // `names.sort(collator.compare)`: the bound method is only called.
    if (construction.kind === 'intl' && call && ts.isCallExpression(call) && call.arguments.includes(access as ts.Expression)) {
      const consumer = calleeName(call);
      return consumer !== undefined && CALLBACK_CONSUMERS.has(consumer);
    }
    return false;
  }
  if (construction.kind === 'regexp' && ts.isCallExpression(parent) && parent.arguments[0] === outer) {
    const method = calleeName(parent);
    return method !== undefined && STRING_REGEXP_METHODS.has(method) && ts.isPropertyAccessExpression(skipParens(parent.expression));
  }
  return false;
}

function isAssigned(node: ts.Node): boolean {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  return !!parent && ts.isBinaryExpression(parent) && parent.left === outer && parent.operatorToken.kind >= SK.FirstAssignment && parent.operatorToken.kind <= SK.LastAssignment;
}

/** How the object is used, when every use is harmless: directly, or through a `const` declared inside the loop. */
function usageOf(construction: Construction, innermost: Iteration): Usage | undefined {
  if (harmlessUse(construction.node, construction)) return { kind: 'direct' };
  const outer = skipParensUp(construction.node);
  const declaration = outer.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || declaration.initializer !== outer || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  const statement = list?.parent;
  if (!list || !ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || !statement || !ts.isVariableStatement(statement)) return undefined;
  const bound = resolve(declaration.name);
  if (!bound || bound.id !== declaration.name || !contains(innermost.node, declaration)) return undefined;
  const uses = references(bound);
  // Uses before the declaration would throw (TDZ) where the hoisted one would not.
  if (uses.length === 0 || !uses.every((reference) => contains(innermost.node, reference) && reference.pos >= statement.end && harmlessUse(reference, construction))) return undefined;
  return { kind: 'declared', declaration: bound, statement };
}

// ---------------------------------------------------------------------------------------------
// Fixes

/**
 * Hoisting is `safe` when the construction is pure, cannot throw and gives an equivalent object:
 * its arguments are constants (so evaluating them earlier, or when the loop never runs, changes
 * nothing) and constructing it here succeeds (a valid pattern, locale and options); the object's
 * identity is unobservable (checked by `usageOf`). Otherwise the same edit is a suggestion.
 * JSON.parse always is: one shared object instead of a fresh one per pass.
 */
function fixFor(construction: Construction, usage: Usage, levels: Iteration[], file: FileFacts): FixSpec[] {
  const statement = insertionPoint(iterationStatement(levels[levels.length - 1]));
  if (!statement || !contains(statement, construction.node)) return [];
  const safe = construction.kind !== 'json' && constructsCleanly(construction) && stringReceivers(construction, usage, file);
  const text = file.textOf(construction.node);
  const indent = indentationAt(file.text, file.start(statement));
  const newline = newlineOf(file.text);
  const edits: TextEdit[] = [];
  let name: string;
  if (usage.kind === 'declared' && canMove(usage, statement)) {
    // Move `const pattern = new RegExp(…);` itself out of the loop.
    name = usage.declaration.name;
    const declarationStatement = usage.statement;
    const start = lineStart(file.text, file.start(declarationStatement));
    const end = lineEnd(file.text, declarationStatement.end);
    const ownLine = file.text.slice(start, file.start(declarationStatement)).trim() === '' && file.text.slice(declarationStatement.end, end).trim() === '';
    edits.push({ start: file.start(statement), end: file.start(statement), newText: `${file.textOf(declarationStatement)}${newline}${indent}` });
    edits.push(ownLine ? { start, end: Math.min(file.text.length, end + newline.length), newText: '' } : { start: file.start(declarationStatement), end: declarationStatement.end, newText: '' });
  } else {
    name = uniqueName(file.sourceFile, baseName(construction));
    edits.push({ start: file.start(statement), end: file.start(statement), newText: `const ${name} = ${text};${newline}${indent}` });
    edits.push({ start: file.start(construction.node), end: construction.node.end, newText: name });
  }
  const what = construction.kind === 'json' ? 'Parse it once before the loop' : `Create it once before the loop as ${name}`;
  const caveat = construction.kind === 'json'
    ? ' (every pass then shares one parsed object)'
    : safe ? '' : ' (the construction then runs, and may throw, even when the loop runs zero times)';
  return [{ title: `${what}${caveat}`, kind: safe ? 'safe' : 'suggestion', edits }];
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/**
 * The declaration can move before `statement` when its name will not clash there: no binding
 * of that name is visible at the new place, and no other code in that block reads a global of
 * the same name.
 */
function canMove(usage: Extract<Usage, { kind: 'declared' }>, statement: ts.Statement): boolean {
  const name = usage.declaration.name;
  if (lookup(name, statement)) return false;
  const block = statement.parent;
  if (!block) return false;
  let clash = false;
  const visit = (node: ts.Node): void => {
    if (clash) return;
    if (ts.isIdentifier(node) && node.text === name && node !== usage.declaration.id && isValueReference(node) && !contains(statement, node)) {
      if (!resolve(node)) clash = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return !clash;
}

function baseName(construction: Construction): string {
  if (construction.kind === 'intl') return camelName(construction.ctor);
  if (construction.kind === 'regexp') return 'pattern';
  const argument = skipParens(construction.args[0]);
  const hint = ts.isIdentifier(argument) ? argument.text : ts.isPropertyAccessExpression(argument) ? argument.name.text : '';
  return camelName('parsed', hint);
}

/** Every argument is a constant and constructing the object with them succeeds here. */
function constructsCleanly(construction: Construction): boolean {
  const values: unknown[] = [];
  for (const argument of construction.args) {
    const value = constantValue(argument);
    if (!value) return false;
    values.push(value.value);
  }
  try {
    if (construction.kind === 'regexp') {
      if (typeof values[0] !== 'string' || (values.length > 1 && typeof values[1] !== 'string')) return false;
      new RegExp(values[0], values[1] as string | undefined);
      return true;
    }
    if (construction.kind === 'intl') {
      const ctor = (Intl as unknown as Record<string, new (...args: unknown[]) => unknown>)[construction.ctor];
      if (typeof ctor !== 'function') return false;
      new ctor(...values);
      return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** A regexp passed to `x.replace(re, …)` only keeps behaviour when `x` is a string (not an object with its own replace). */
function stringReceivers(construction: Construction, usage: Usage, file: FileFacts): boolean {
  if (construction.kind !== 'regexp') return true;
  const nodes: ts.Node[] = usage.kind === 'direct' ? [construction.node] : [...references(usage.declaration)];
  return nodes.every((node) => {
    const outer = skipParensUp(node);
    const call = outer.parent;
    if (!call || !ts.isCallExpression(call) || call.arguments[0] !== outer) return true;
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const receiver = skipParens(callee.expression);
    if (syntacticKind(receiver) === 'string') return true;
    const type = typeFactsOf(file)?.typeOf(receiver);
    return !!type && !!(type.flags & ts.TypeFlags.StringLike);
  });
}
