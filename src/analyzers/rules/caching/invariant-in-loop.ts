import { ts } from '../../ts';
import { defineRule, type FixSpec } from '../../rule';
import type { TextEdit } from '../../finding';
import { calleeName, dottedName, indentationAt, newlineOf, receiverOf, skipParens } from '../../facts/ast';
import { camelName, contains, insertionPoint, isInvariantIn, isValueReference, lookup, resolve, uniqueName } from '../../facts/dataflow';
import {
  constructionOf,
  constructsCleanly,
  isConstructionCandidate,
  readsDefaultTimeZone,
  stringReceivers,
  usageOf,
  type Construction,
  type Usage,
} from '../../facts/constructions';
import { iterationStatement, repeatedBy, type Iteration } from '../../facts/loops';
import type { FileFacts } from '../../facts/fileFacts';
import { compact, eachPass } from '../../facts/phrases';

/** Functions that list an object's keys or entries in a fresh array. */
const KEY_LISTERS: ReadonlySet<string> = new Set(['keys', 'values', 'entries', 'getOwnPropertyNames']);

export default defineRule({
  meta: {
    id: 'invariant-in-loop',
    category: 'caching',
    description:
      'A `new RegExp(…)`, `new Intl.*(…)`, `JSON.parse(…)` or `Object.keys(…).sort()` with unchanged arguments on ' +
      'every pass of a loop or sort comparator.',
    why:
      'Building a regular expression compiles the pattern; building an Intl formatter resolves the locale and loads its ' +
      'data (tens of microseconds each, against well under a microsecond to reuse one); JSON.parse re-reads the whole ' +
      'text; `Object.keys(x).sort()` lists and sorts every key. When the arguments are the same on every pass, all of ' +
      'that work is repeated for nothing: formatting 10,000 prices with `new Intl.NumberFormat(…)` inside `map` spends ' +
      'most of its time building formatters. A sort comparator counts as a loop: it runs about n·log₂ n times.',
    howToFix:
      'Create the object once before the loop (`const price = new Intl.NumberFormat("en-US", { style: "currency", ' +
      'currency: "USD" })`) and use it inside. Hoisting is a safe fix only for constant arguments that construct ' +
      'without error; otherwise (an argument read from a parameter or a getter, a date formatter without a `timeZone` ' +
      'in a loop that sets `process.env.TZ`) it is a suggestion.',
    notReported: [
      'Regular-expression literals (`/x/`): the engine already compiles them once',
      'Patterns built from the loop variable',
      '`g`/`y` regexps (their `lastIndex` is state)',
      '`JSON.parse` of each item, or of text whose parsed result is changed or kept',
    ],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'items',
      why: 'the construction is repeated once per pass: it matters when the loop walks data that grows',
    },
    fix: 'safe',
    fixForm: 'hoist',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['RegExp', 'Intl.', 'JSON.parse', '.sort(', '.toSorted('] },
    messages: {
      regexp: {
        message: '`{{code}}` compiles the same pattern on every {{loop}}.',
        note: 'Build the RegExp once before the loop and reuse it.',
      },
      intl: {
        message:
          '`new Intl.{{ctor}}(…)` is built again with the same arguments on every {{loop}}: resolving the locale and ' +
          'loading its data costs far more than using the object.',
        note: 'Create it once before the loop.',
      },
      json: {
        message: '`JSON.parse({{text}})` parses the same text on every {{loop}}.',
        note: 'Parse it once before the loop (the result is only read here).',
      },
      keys: {
        message:
          '`{{code}}` lists and sorts the keys of the same object on every {{loop}}: O(k·log k) work per pass for an ' +
          'unchanged answer.',
        note: 'Compute the sorted list once before the loop.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function prices(amounts: number[]) {
  return amounts.map((amount) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount));
}`,
          errors: [{ messageId: 'intl', line: 2, column: 34 }],
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
          errors: [{ messageId: 'regexp', line: 4, column: 21 }],
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
          errors: [{ messageId: 'regexp', line: 4, column: 40 }],
        },
        {
          code: `export function byName(names: string[], locale: string) {
  return [...names].sort((a, b) => new Intl.Collator(locale).compare(a, b));
}`,
          errors: [{ messageId: 'intl', line: 2, column: 36 }],
        },
        {
          code: `export function rows(records: Array<Record<string, unknown>>, schema: Record<string, string>) {
  return records.map((record) => Object.keys(schema).sort().map((key) => String(record[key])).join(','));
}`,
          errors: [{ messageId: 'keys', line: 2, column: 34 }],
        },
        {
          code: `const DEFAULTS = '{"retries":3,"timeout":1000}';

export function configure(jobs: Array<{ name: string }>) {
  return jobs.map((job) => ({ name: job.name, timeout: JSON.parse(DEFAULTS).timeout }));
}`,
          errors: [{ messageId: 'json', line: 4, column: 56 }],
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
        `// The object gains keys inside the loop: its sorted keys differ from pass to pass.
export function grow(names: string[]) {
  const seen: Record<string, number> = {};
  return names.map((name) => {
    seen[name] = 1;
    return Object.keys(seen).sort().join(',');
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
      const iterations = repeatedBy(construction.node);
      if (iterations.length === 0) return;
      // Built on the pass that then leaves the loop (`if (…) { const f = new Intl…; return f.format(x); }`): once per call.
      if (leavesLoopAfter(construction.node, iterations[0].node)) return;
      const levels = invariantLevels(construction, iterations);
      if (levels.length === 0) return;
      const usage = usageOf(construction, levels[0].node);
      if (!usage) return;
      const loop = eachPass(levels[0], file);
      const fixes = fixFor(construction, usage, levels, file);
      if (construction.kind === 'regexp') {
        context.report({
          node: construction.node,
          messageId: 'regexp',
          data: { code: compact(file.textOf(construction.node), 60), loop },
          fixes,
        });
      } else if (construction.kind === 'intl') {
        context.report({ node: construction.node, messageId: 'intl', data: { ctor: construction.ctor, loop }, fixes });
      } else if (construction.kind === 'json') {
        context.report({
          node: construction.node,
          messageId: 'json',
          data: { text: compact(file.textOf(construction.args[0])), loop },
          fixes,
        });
      } else {
        context.report({
          node: construction.node,
          messageId: 'keys',
          data: { code: compact(file.textOf(construction.node), 60), loop },
          fixes,
        });
      }
    };

    return {
      NewExpression(node) {
        // Only inside a loop or comparator is it worth the full recognition (which may ask the type checker).
        if (!isConstructionCandidate(node) || repeatedBy(node).length === 0) return;
        const construction = constructionOf(node, file);
        if (construction) handle(construction);
      },
      CallExpression(node) {
        const method = calleeName(node);
        if (method === 'sort' || method === 'toSorted') {
          const keys = sortedKeys(node);
          if (keys) handle(keys);
          return;
        }
        if (method !== 'parse' || node.arguments.length !== 1) return;
        const callee = skipParens(node.expression);
        if (
          !ts.isPropertyAccessExpression(callee) ||
          !ts.isIdentifier(callee.expression) ||
          callee.expression.text !== 'JSON' ||
          lookup('JSON', node)
        )
          return;
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

/** The statement holding `node` is followed, in its block, by a `return`/`break`/`throw` that leaves `loop`. */
function leavesLoopAfter(node: ts.Node, loop: ts.Node): boolean {
  let statement: ts.Node = node;
  while (statement.parent && !(ts.isBlock(statement.parent) && ts.isStatement(statement))) {
    if (statement.parent === loop) return false;
    statement = statement.parent;
  }
  const block = statement.parent;
  if (!block || !ts.isBlock(block) || !(block.pos >= loop.pos && block.end <= loop.end)) return false;
  if (ts.isArrowFunction(loop) || ts.isFunctionExpression(loop)) return false;
  const index = block.statements.indexOf(statement as ts.Statement);
  return block.statements
    .slice(index)
    .some((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s) || (ts.isBreakStatement(s) && !s.label));
}

/** `Object.keys(x).sort()` / `Object.entries(x).toSorted(cmp)` with a comparator written inline or by name. */
function sortedKeys(sort: ts.CallExpression): Construction | undefined {
  const list = receiverOf(sort);
  const inner = list && skipParens(list);
  if (!inner || !ts.isCallExpression(inner) || inner.arguments.length !== 1) return undefined;
  const callee = skipParens(inner.expression);
  if (
    !ts.isPropertyAccessExpression(callee) ||
    !ts.isIdentifier(callee.expression) ||
    callee.expression.text !== 'Object' ||
    lookup('Object', sort)
  )
    return undefined;
  if (!KEY_LISTERS.has(callee.name.text) || sort.arguments.length > 1) return undefined;
  const comparator = sort.arguments[0];
  if (comparator && ts.isSpreadElement(comparator)) return undefined;
  return { kind: 'keys', node: sort, lister: callee.name.text, args: comparator ? [inner.arguments[0], comparator] : [inner.arguments[0]] };
}

/** An inline comparator reads nothing that changes in `region` (its own parameters aside). */
function comparatorInvariant(fn: ts.Node, region: ts.Node): boolean {
  let ok = true;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && isValueReference(node)) {
      const declaration = resolve(node);
      if (declaration && !contains(fn, declaration.id) && !isInvariantIn(node, region)) ok = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return ok;
}

/** The iterations (innermost first) in which every argument keeps its value. */
function invariantLevels(construction: Construction, iterations: Iteration[]): Iteration[] {
  const levels: Iteration[] = [];
  // Calls such as escapeRegExp(term) count as invariant for a pattern; JSON.parse of a call result is another matter (I/O, a clone).
  const options = { propertyChains: true, calls: construction.kind !== 'json' };
  for (const iteration of iterations) {
    const invariant = (arg: ts.Expression): boolean => {
      if (ts.isSpreadElement(arg)) return false;
      const inner = skipParens(arg);
      if (construction.kind === 'keys' && (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)))
        return comparatorInvariant(inner, iteration.node);
      return isInvariantIn(arg, iteration.node, options);
    };
    if (!construction.args.every(invariant)) break;
    levels.push(iteration);
  }
  return levels;
}

// ---------------------------------------------------------------------------------------------
// Fixes

/**
 * Hoisting is `safe` when the construction is pure, cannot throw and gives an equivalent object:
 * its arguments are constants (so evaluating them earlier, or when the loop never runs, changes
 * nothing) and constructing it here succeeds (a valid pattern, locale and options); the object's
 * identity is unobservable (checked by `usageOf`), and a date formatter that takes the default time
 * zone is not hoisted out of a loop that changes it. Otherwise the same edit is a suggestion.
 * JSON.parse always is: one shared object instead of a fresh one per pass.
 */
function fixFor(construction: Construction, usage: Usage, levels: Iteration[], file: FileFacts): FixSpec[] {
  const statement = insertionPoint(iterationStatement(levels[levels.length - 1]));
  if (!statement || !contains(statement, construction.node)) return [];
  const zoneChanges = readsDefaultTimeZone(construction, file) && changesTimeZone(statement);
  const safe =
    construction.kind !== 'json' &&
    construction.kind !== 'keys' &&
    constructsCleanly(construction) &&
    stringReceivers(construction, usage, file) &&
    !zoneChanges;
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
    const ownLine =
      file.text.slice(start, file.start(declarationStatement)).trim() === '' &&
      file.text.slice(declarationStatement.end, end).trim() === '';
    edits.push({
      start: file.start(statement),
      end: file.start(statement),
      newText: `${file.textOf(declarationStatement)}${newline}${indent}`,
    });
    edits.push(
      ownLine
        ? { start, end: Math.min(file.text.length, end + newline.length), newText: '' }
        : { start: file.start(declarationStatement), end: declarationStatement.end, newText: '' },
    );
  } else {
    name = uniqueName(file.sourceFile, baseName(construction));
    edits.push({ start: file.start(statement), end: file.start(statement), newText: `const ${name} = ${text};${newline}${indent}` });
    edits.push({ start: file.start(construction.node), end: construction.node.end, newText: name });
  }
  const what =
    construction.kind === 'json'
      ? 'Parse it once before the loop'
      : construction.kind === 'keys'
        ? `Sort the keys once before the loop as ${name}`
        : `Create it once before the loop as ${name}`;
  const caveat =
    construction.kind === 'json'
      ? ' (every pass then shares one parsed object)'
      : construction.kind === 'keys'
        ? ` (check that ${compact(file.textOf(construction.args[0]), 30)} gains or loses no keys inside the loop)`
        : safe
          ? ''
          : zoneChanges
            ? ' (the loop sets process.env.TZ: one formatter keeps the zone it was built in)'
            : ' (its arguments are then read once, and the construction runs, and may throw, even when the loop runs zero times)';
  return [{ title: `${what}${caveat}`, kind: safe ? 'safe' : 'suggestion', edits }];
}

/** `process.env.TZ = …`, `delete process.env.TZ` or `Object.assign(process.env, …)` written inside `region`. */
function changesTimeZone(region: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      dottedName(node.left) === 'process.env.TZ'
    )
      found = true;
    else if (ts.isDeleteExpression(node) && dottedName(node.expression) === 'process.env.TZ') found = true;
    else if (
      ts.isCallExpression(node) &&
      dottedName(node.expression) === 'Object.assign' &&
      node.arguments[0] &&
      dottedName(node.arguments[0]) === 'process.env'
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(region);
  return found;
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
    if (
      ts.isIdentifier(node) &&
      node.text === name &&
      node !== usage.declaration.id &&
      isValueReference(node) &&
      !contains(statement, node)
    ) {
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
  if (construction.kind === 'keys') {
    const object = skipParens(construction.args[0]);
    const hint = ts.isIdentifier(object) ? object.text : ts.isPropertyAccessExpression(object) ? object.name.text : '';
    return camelName('sorted', hint, construction.lister === 'keys' ? 'keys' : construction.lister);
  }
  const argument = skipParens(construction.args[0]);
  const hint = ts.isIdentifier(argument) ? argument.text : ts.isPropertyAccessExpression(argument) ? argument.name.text : '';
  return camelName('parsed', hint);
}
