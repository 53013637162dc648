import { ts } from '../../ts';
import { defineRule, type FixSpec } from '../../rule';
import type { TextEdit } from '../../finding';
import {
  calleeName,
  dottedName,
  enclosingFunction,
  indentationAt,
  isLiteralLike,
  newlineOf,
  receiverOf,
  skipParens,
  skipParensUp,
} from '../../facts/ast';
import {
  camelName,
  contains,
  insertionPoint,
  isInvariantIn,
  isValueReference,
  lookup,
  references,
  resolve,
  uniqueName,
  useOf,
} from '../../facts/dataflow';
import { typeFactsOf } from '../../facts/collections';
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

const SK = ts.SyntaxKind;
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
      'currency: "USD" })`) and use it inside. The safe fix does that for constant arguments that construct without ' +
      'error. Arguments that are not constants — a parameter, a pure helper of the file such as `escapeRegExp(query)` — ' +
      'get a local built on the first pass (`let pattern: RegExp | undefined;` before the loop, `pattern ??= new ' +
      'RegExp(…)` inside), so that a loop of zero passes builds nothing and an invalid pattern throws where it threw ' +
      'before; that is safe when the arguments are primitives nothing reassigns. An argument read through a property ' +
      '(a getter would run once instead of once per pass), an object that code in the loop could change, or a date ' +
      'formatter without a `timeZone` in a loop that sets `process.env.TZ` leave it a suggestion.',
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
      cpu: true,
      why: 'the construction is repeated once per pass: it matters when the loop walks data that grows',
    },
    fix: 'safe',
    fixForm:
      'hoist (constant arguments), or a local built on the first pass (`pattern ??= new RegExp(term)`) when the arguments are primitives nothing reassigns',
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
          code: `// The source comes from a parameter: built on the first pass, so that an invalid
// one still throws only when there is a row.
export function highlight(rows: string[], term: string) {
  return rows.map((row) => row.replace(new RegExp(term, 'i'), (m) => '<b>' + m + '</b>'));
}`,
          errors: [{ messageId: 'regexp', line: 4, column: 40 }],
          output: `// The source comes from a parameter: built on the first pass, so that an invalid
// one still throws only when there is a row.
export function highlight(rows: string[], term: string) {
  let pattern: RegExp | undefined;
  return rows.map((row) => row.replace((pattern ??= new RegExp(term, 'i')), (m) => '<b>' + m + '</b>'));
}`,
        },
        {
          code: `export function byName(names: string[], locale: string) {
  return [...names].sort((a, b) => new Intl.Collator(locale).compare(a, b));
}`,
          errors: [{ messageId: 'intl', line: 2, column: 36 }],
          output: `export function byName(names: string[], locale: string) {
  let collator: Intl.Collator | undefined;
  return [...names].sort((a, b) => (collator ??= new Intl.Collator(locale)).compare(a, b));
}`,
        },
        {
          code: `// Read through a property: the lazy form is only a suggestion (a getter would run once, not per pass).
export function search(products: Array<{ name: string }>, options: { query: string }) {
  return products.filter((product) => new RegExp(options.query, 'i').test(product.name));
}`,
          errors: [{ messageId: 'regexp', line: 3, column: 39 }],
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
 * Two forms. Arguments that are constants and construct cleanly: the object is built eagerly
 * before the loop (`const pattern = new RegExp('^\\s+')`) — nothing can fail or differ. Otherwise
 * it is built lazily, on the first pass, into a local declared before the loop (`let pattern:
 * RegExp | undefined; … pattern ??= new RegExp(term, 'i')`): a loop of zero passes builds nothing,
 * and a construction that throws throws on the first pass, as before (the local stays undefined,
 * so a pass that catches the error tries again, as before). What then differs is only that the
 * arguments are evaluated once instead of once per pass, so the lazy form is `safe` only when that
 * cannot be seen (`evaluatesOnceUnseen`: primitive names never reassigned, literals, operators,
 * object and array literals of those, and calls of pure helpers of the file such as
 * `escapeRegExp(query)`). In every case the object's identity must be unobservable (`usageOf`),
 * and a date formatter that takes the default time zone is not hoisted out of a loop that changes
 * it. JSON.parse and sorted keys are always suggestions: one shared object instead of a fresh one.
 */
function fixFor(construction: Construction, usage: Usage, levels: Iteration[], file: FileFacts): FixSpec[] {
  const statement = insertionPoint(iterationStatement(levels[levels.length - 1]));
  if (!statement || !contains(statement, construction.node)) return [];
  const zoneChanges = readsDefaultTimeZone(construction, file) && changesTimeZone(statement);
  const objectKind = construction.kind === 'regexp' || construction.kind === 'intl';
  const eager = !objectKind || constructsCleanly(construction);
  if (!eager) return lazyFix(construction as LazyConstruction, usage, statement, zoneChanges, file);
  const safe = objectKind && stringReceivers(construction, usage, file) && !zoneChanges;
  const text = file.textOf(construction.node);
  const indent = indentationAt(file.text, file.start(statement));
  const newline = newlineOf(file.text);
  const edits: TextEdit[] = [];
  let name: string;
  if (usage.kind === 'declared' && canMove(usage, statement)) {
    // Move `const pattern = new RegExp(…);` itself out of the loop.
    name = usage.declaration.name;
    const declarationStatement = usage.statement;
    edits.push({
      start: file.start(statement),
      end: file.start(statement),
      newText: `${file.textOf(declarationStatement)}${newline}${indent}`,
    });
    edits.push(removeStatement(declarationStatement, file));
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
        : zoneChanges
          ? ' (the loop sets process.env.TZ: one formatter keeps the zone it was built in)'
          : '';
  return [{ title: `${what}${caveat}`, kind: safe ? 'safe' : 'suggestion', edits }];
}

type LazyConstruction = Extract<Construction, { kind: 'regexp' | 'intl' }>;

/**
 * The lazy form. A `const` in the loop whose every use is in the function that declares it
 * becomes the local itself (`pattern ??= new RegExp(…);`, TypeScript narrows it after that
 * statement); otherwise the construction is replaced in place by `(pattern ??= new RegExp(…))`,
 * whose type is the object's, so uses in nested callbacks still type-check.
 */
function lazyFix(construction: LazyConstruction, usage: Usage, statement: ts.Statement, zoneChanges: boolean, file: FileFacts): FixSpec[] {
  const typeScript = /\.[cm]?tsx?$/i.test(file.fileName);
  const typeText = construction.kind === 'regexp' ? 'RegExp' : `Intl.${construction.ctor}`;
  const indent = indentationAt(file.text, file.start(statement));
  const newline = newlineOf(file.text);
  const constructionText = file.textOf(construction.node);
  const edits: TextEdit[] = [];
  let name: string;
  const declared = usage.kind === 'declared' && usage.statement.declarationList.declarations.length === 1 ? usage : undefined;
  if (declared && canMove(declared, statement) && usesInDeclaringFunction(declared)) {
    name = declared.declaration.name;
    const declaration = declared.declaration.node as ts.VariableDeclaration;
    const type = declaration.type ? file.textOf(declaration.type) : typeText;
    edits.push(declareBefore(statement, typeScript ? `let ${name}: ${type} | undefined;` : `let ${name};`, indent, newline, file));
    edits.push({ start: file.start(declared.statement), end: declared.statement.end, newText: `${name} ??= ${constructionText};` });
  } else {
    name = uniqueName(file.sourceFile, baseName(construction));
    edits.push(declareBefore(statement, typeScript ? `let ${name}: ${typeText} | undefined;` : `let ${name};`, indent, newline, file));
    const assignment = `${name} ??= ${constructionText}`;
    edits.push({
      start: file.start(construction.node),
      end: construction.node.end,
      // In parentheses wherever it stands, as Prettier writes an assignment used as a value.
      newText: skipParensUp(construction.node) !== construction.node ? assignment : `(${assignment})`,
    });
  }
  const region = statement;
  const unseen = construction.args.every((argument) => evaluatesOnceUnseen(argument, region, file, 0));
  const safe = unseen && stringReceivers(construction, usage, file) && !zoneChanges;
  const caveat = zoneChanges
    ? ' (the loop sets process.env.TZ: one formatter keeps the zone it was built in)'
    : unseen
      ? ''
      : ' (its arguments are then read once, on the first pass)';
  return [{ title: `Create it once, on the first pass, as ${name}${caveat}`, kind: safe ? 'safe' : 'suggestion', edits }];
}

function declareBefore(statement: ts.Statement, declaration: string, indent: string, newline: string, file: FileFacts): TextEdit {
  return { start: file.start(statement), end: file.start(statement), newText: `${declaration}${newline}${indent}` };
}

/** The statement's removal: with its line when it stands alone on it, else just its text. */
function removeStatement(statement: ts.Statement, file: FileFacts): TextEdit {
  const newline = newlineOf(file.text);
  const start = lineStart(file.text, file.start(statement));
  const end = lineEnd(file.text, statement.end);
  const ownLine = file.text.slice(start, file.start(statement)).trim() === '' && file.text.slice(statement.end, end).trim() === '';
  return ownLine
    ? { start, end: Math.min(file.text.length, end + newline.length), newText: '' }
    : { start: file.start(statement), end: statement.end, newText: '' };
}

/** Every use of the declared name runs in the function that declares it (TypeScript does not carry narrowing into callbacks). */
function usesInDeclaringFunction(usage: Extract<Usage, { kind: 'declared' }>): boolean {
  const owner = enclosingFunction(usage.statement);
  return references(usage.declaration).every((reference) => enclosingFunction(reference) === owner);
}

/** String methods that return a new value and call no user code when their receiver is a string and their arguments are not functions. */
const PURE_STRING_METHODS: ReadonlySet<string> = new Set([
  'replace',
  'replaceAll',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'trimStart',
  'trimEnd',
  'slice',
  'substring',
  'normalize',
  'padStart',
  'padEnd',
  'repeat',
  'concat',
  'at',
  'charAt',
]);

/**
 * True when evaluating `expression` once, before or on the first pass, cannot be told from
 * evaluating it on every pass through `region`: it has no side effect, cannot throw, calls no
 * user code (no getter, no `toString` of an object) and gives an equal value every time. That is:
 * literals; names of primitive type (checked by the type checker) that nothing ever reassigns,
 * or `undefined`; templates, operators (not assignments, `++`, `delete`), conditionals, and array
 * and object literals of those; and calls of a function of this file that does nothing but
 * return such an expression of its parameters, with string methods on strings
 * (`escapeRegExp(query)`). Property reads are not accepted: a getter runs once instead of once per
 * pass, and an object can change between passes.
 */
function evaluatesOnceUnseen(
  expression: ts.Expression,
  region: ts.Node,
  file: FileFacts,
  depth: number,
  params?: ReadonlySet<ts.Node>,
): boolean {
  const node = skipParens(expression);
  if (depth > 8) return false;
  const again = (inner: ts.Expression): boolean => evaluatesOnceUnseen(inner, region, file, depth + 1, params);
  if (isLiteralLike(node) || ts.isRegularExpressionLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (ts.isIdentifier(node)) {
    const declaration = resolve(node);
    if (!declaration) return node.text === 'undefined';
    if (params?.has(declaration.node)) return true;
    if (!['const', 'let', 'var', 'parameter'].includes(declaration.kind) || contains(region, declaration.id)) return false;
    if (references(declaration).some((reference) => useOf(reference).kind === 'write')) return false;
    return isPrimitive(node, file);
  }
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => again(span.expression));
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op >= SK.FirstAssignment && op <= SK.LastAssignment) return false;
    if (op === SK.InstanceOfKeyword || op === SK.InKeyword) return false;
    return again(node.left) && again(node.right);
  }
  if (ts.isPrefixUnaryExpression(node))
    return node.operator !== SK.PlusPlusToken && node.operator !== SK.MinusMinusToken && again(node.operand);
  if (ts.isConditionalExpression(node)) return again(node.condition) && again(node.whenTrue) && again(node.whenFalse);
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => !ts.isSpreadElement(element) && again(element));
  if (ts.isObjectLiteralExpression(node))
    return node.properties.every((property) => {
      if (ts.isPropertyAssignment(property)) return !ts.isComputedPropertyName(property.name) && again(property.initializer);
      if (ts.isShorthandPropertyAssignment(property)) return !property.objectAssignmentInitializer && again(property.name);
      return false;
    });
  if (ts.isCallExpression(node)) {
    if (node.questionDotToken || node.arguments.some(ts.isSpreadElement) || !node.arguments.every(again)) return false;
    const callee = skipParens(node.expression);
    // `text.replace(/x/g, '-')` inside a pure helper: a string method on a string.
    if (ts.isPropertyAccessExpression(callee))
      return (
        !callee.questionDotToken &&
        PURE_STRING_METHODS.has(callee.name.text) &&
        again(callee.expression) &&
        isString(callee.expression, file)
      );
    return ts.isIdentifier(callee) && isPureHelper(callee, file, depth);
  }
  return false;
}

/** `function escape(text: string) { return text.replace(/[.*]/g, '\\$&'); }` (or a `const` arrow): it only returns a pure expression of its parameters. */
function isPureHelper(callee: ts.Identifier, file: FileFacts, depth: number): boolean {
  const declaration = resolve(callee);
  if (!declaration) return false;
  let fn: ts.FunctionLikeDeclaration | undefined;
  if (declaration.kind === 'function' && ts.isFunctionDeclaration(declaration.node)) fn = declaration.node;
  else if (declaration.kind === 'const' && declaration.initializer) {
    const init = skipParens(declaration.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) fn = init;
  }
  if (!fn || !fn.body || fn.asteriskToken || fn.modifiers?.some((m) => m.kind === SK.AsyncKeyword)) return false;
  if (references(declaration).some((reference) => useOf(reference).kind === 'write')) return false;
  if (!fn.parameters.every((p) => ts.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken)) return false;
  let returned: ts.Expression | undefined;
  if (ts.isBlock(fn.body)) {
    const only = fn.body.statements.length === 1 ? fn.body.statements[0] : undefined;
    returned = only && ts.isReturnStatement(only) ? only.expression : undefined;
  } else returned = fn.body;
  if (!returned) return false;
  // The parameters hold the (already checked) arguments; `this` and `arguments` are not accepted.
  return evaluatesOnceUnseen(returned, fn, file, depth + 1, new Set(fn.parameters));
}

function isPrimitive(node: ts.Node, file: FileFacts): boolean {
  const type = typeFactsOf(file)?.typeOf(node);
  if (!type) return false;
  const primitive = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike;
  const ok = (t: ts.Type): boolean => !!(t.flags & (primitive | ts.TypeFlags.Undefined | ts.TypeFlags.Null));
  return type.isUnion() ? type.types.every(ok) : ok(type);
}

function isString(node: ts.Node, file: FileFacts): boolean {
  const inner = ts.isExpression(node) ? skipParens(node) : node;
  if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner)) return true;
  const type = typeFactsOf(file)?.typeOf(inner);
  return !!type && !!(type.flags & ts.TypeFlags.StringLike);
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
