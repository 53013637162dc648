import { ts } from '../../../ts';
import { defineRule, type FixSpec } from '../../../rule';
import { enclosingFunction, isFunctionLike, newlineOf, receiverOf, skipParens, skipParensUp, type FunctionLike } from '../../../facts/ast';
import { camelName, uniqueName } from '../../../facts/dataflow';
import { constantValue } from '../../../facts/constants';
import {
  constructionOf,
  constructsCleanly,
  isConstructionCandidate,
  readsDefaultTimeZone,
  stringReceivers,
  usageOf,
  type Construction,
} from '../../../facts/constructions';
import { repeatedBy, repeatedCalls } from '../../../facts/loops';
import { iterationScale, scaleOf } from '../../../facts/sizes';
import type { FileFacts } from '../../../facts/fileFacts';
import { compact } from '../../../facts/phrases';
import { isComponentRender, isHookCallbackOutsideRender } from './componentRender';

export default defineRule({
  meta: {
    id: 'construct-per-call',
    category: 'caching',
    description:
      'A constant `new RegExp(…)` or `new Intl.*(…)` built on every call of a function that runs over and over: a ' +
      'request handler, a render, a call in a loop.',
    why:
      'Building a regular expression compiles the pattern; building an Intl formatter resolves the locale and loads ' +
      'its data — tens of microseconds, where using an existing one costs well under one. With constant arguments ' +
      'every call builds the same object again: a price formatter built inside a component that renders a ' +
      '1,000-row table builds 1,000 formatters per render; one built inside a request handler, one per request.',
    howToFix:
      'Create it once at module level (`const price = new Intl.NumberFormat("en-US", { style: "currency", currency: ' +
      '"USD" })`) and use it inside the function. The safe fix puts the declaration after the imports and `require`s ' +
      '(a polyfill they load runs first); with named constants, a pattern that does not compile, or a date formatter ' +
      'without a `timeZone` (it would keep the zone of load time) it is a suggestion.',
    notReported: [
      'Regular-expression literals (the engine compiles them once)',
      'Constructions whose arguments come from the call',
      '`g`/`y` regexps (their `lastIndex` is state)',
      'Objects the function keeps or hands on',
      'Functions nothing in the file shows to be hot',
    ],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'calls',
      cpu: true,
      constantGain: true,
      why: 'the construction is paid on every call: it matters where the code runs per request, per job or per item of growing data',
    },
    fix: 'safe',
    fixForm: 'hoist to module level',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['RegExp', 'Intl.'] },
    rewrites: {
      except: {
        'function-forms':
          'not yet: when the helper becomes a method of an object (`isSlugModule.isSlug(…)`), the loop that calls it is not found (invalid example 1)',
        rename: "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 1 is not reported",
        'move-helper':
          'not yet: the helper is reported through the loop that calls it in its own file; moved to another file and imported, that caller is not followed (invalid example 1)',
      },
    },
    messages: {
      regexp: {
        message: '`{{code}}` compiles the same pattern on every call of {{fn}}, which {{why}}.',
        note: 'Build the RegExp once at module level and reuse it.',
      },
      intl: {
        message:
          '`new Intl.{{ctor}}(…)` builds the same formatter on every call of {{fn}}, which {{why}}: resolving the locale ' +
          'and loading its data costs far more than using it.',
        note: 'Create it once at module level and reuse it.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import express from 'express';

const app = express();
app.get('/price/:cents', (req, res) => {
  const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  res.send(price.format(Number(req.params.cents) / 100));
});`,
          errors: [{ messageId: 'intl', line: 5, column: 17 }],
          output: `import express from 'express';

const numberFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const app = express();
app.get('/price/:cents', (req, res) => {
  const price = numberFormat;
  res.send(price.format(Number(req.params.cents) / 100));
});`,
        },
        {
          code: `function isSlug(text: string) {
  return new RegExp('^[a-z0-9]+(?:-[a-z0-9]+)*$').test(text);
}

export function invalidPosts(posts: Array<{ slug: string }>) {
  const invalid: string[] = [];
  for (const post of posts) if (!isSlug(post.slug)) invalid.push(post.slug);
  return invalid;
}`,
          errors: [{ messageId: 'regexp', line: 2, column: 10 }],
          output: `const pattern = new RegExp('^[a-z0-9]+(?:-[a-z0-9]+)*$');
function isSlug(text: string) {
  return pattern.test(text);
}

export function invalidPosts(posts: Array<{ slug: string }>) {
  const invalid: string[] = [];
  for (const post of posts) if (!isSlug(post.slug)) invalid.push(post.slug);
  return invalid;
}`,
        },
        {
          code: `export function Price({ cents }: { cents: number }) {
  return <span>{new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(cents / 100)}</span>;
}`,
          filename: 'Price.tsx',
          errors: [{ messageId: 'intl', line: 2, column: 17 }],
          output: `const numberFormat = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
export function Price({ cents }: { cents: number }) {
  return <span>{numberFormat.format(cents / 100)}</span>;
}`,
        },
      ],
      valid: [
        `// Built once, at module level.
const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export function format(cents: number) {
  return price.format(cents / 100);
}`,
        `// The locale comes from the call: a different formatter per argument.
export function format(cents: number, locale: string) {
  return new Intl.NumberFormat(locale).format(cents / 100);
}`,
        `// Nothing in the file calls it repeatedly: it may well run once.
export function isSlug(text: string) {
  return new RegExp('^[a-z0-9-]+$').test(text);
}`,
        `// A regular-expression literal is compiled once by the engine.
import express from 'express';
const app = express();
app.get('/slug/:s', (req, res) => res.send(/^[a-z0-9-]+$/.test(req.params.s)));`,
        {
          code: `import { useMemo } from 'react';

// useMemo with dependencies builds it when \`files\` changes, not on every render.
export function FileList({ files }: { files: File[] }) {
  const label = useMemo(() => new Intl.ListFormat('en').format(files.map((file) => file.name)), [files]);
  return <p>{label}</p>;
}`,
          filename: 'src/FileList.tsx',
        },
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      NewExpression(node) {
        // Cheap syntax first; the full recognition (which may ask the type checker) last.
        if (!isConstructionCandidate(node)) return;
        if (!(node.arguments ?? []).every((argument) => !ts.isSpreadElement(argument) && constantValue(argument))) return;
        // Loops and comparators are invariant-in-loop's.
        if (repeatedBy(node).length > 0) return;
        const fn = enclosingFunction(node);
        if (!fn) return;
        const why = hotness(node, file);
        if (!why) return;
        const construction = constructionOf(node, file);
        if (!construction || !usageOf(construction, fn)) return;
        const fnName = nameOf(fn);
        const data = {
          code: compact(file.textOf(node), 60),
          fn: fnName,
          why: why.text,
          ctor: construction.kind === 'intl' ? construction.ctor : '',
        };
        context.report({
          node,
          messageId: construction.kind === 'intl' ? 'intl' : 'regexp',
          data,
          fixes: hoistFix(construction, fn, file),
        });
      },
    };
  },
});

/** Why the function around `node` runs over and over, when the file shows it. */
function hotness(node: ts.Node, file: FileFacts): { text: string } | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    if (isComponentRender(current)) return { text: 'runs on every render' };
    // Inside useMemo(…, deps) / useCallback: built when the deps change or when called, not on every render.
    const outsideRender = isHookCallbackOutsideRender(current);
    // Called from a loop over data (a handful of passes would not make it hot).
    const site = repeatedCalls(current).find((call) => {
      // Handed by name (`orders.map(format)`): the call itself walks its receiver.
      if (ts.isCallExpression(call) && !callsFunction(call, current)) {
        const receiver = receiverOf(call);
        if (receiver && scaleOf(receiver) === 'large') return true;
      }
      return repeatedBy(call).some((iteration) => iterationScale(iteration) === 'large');
    });
    if (site) {
      const line = file.lines.range(file.start(site), site.end).start.line;
      return { text: `is called from a loop over data (line ${line})` };
    }
    if (outsideRender) return undefined;
  }
  const handler = file.requestHandler(node);
  if (handler) return { text: 'handles every request' };
  return undefined;
}

/** True when `call` is a call of `fn` itself (rather than a call that is handed `fn`). */
function callsFunction(call: ts.CallExpression, fn: ts.Node): boolean {
  const callee = skipParens(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const own = nameOf(fn as FunctionLike).replace(/`/g, '');
  return name === own;
}

function nameOf(fn: FunctionLike): string {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && ts.isIdentifier(fn.name))
    return `\`${fn.name.text}\``;
  const parent = skipParensUp(fn).parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return `\`${parent.name.text}\``;
  return 'this function';
}

/** Only literals: nothing a module-level declaration could reach before it is initialised. */
function literalOnly(node: ts.Node): boolean {
  let ok = true;
  const visit = (current: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(current)) {
      const parent = current.parent;
      // Property names in an options object are not references.
      if (parent && ts.isPropertyAssignment(parent) && parent.name === current) return;
      if (current.text !== 'undefined') ok = false;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return ok;
}

function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current.parent ? (current as ts.Statement) : undefined;
}

/**
 * The statement a module-level declaration goes before: the first one after imports, `require`s and
 * directives — a required polyfill (`require('./intl-polyfill')`) must run before the construction.
 */
function moduleInsertionPoint(file: FileFacts): ts.Statement | undefined {
  for (const statement of file.sourceFile.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) continue;
    if (ts.isExpressionStatement(statement) && (ts.isStringLiteral(statement.expression) || isRequire(statement.expression))) continue;
    if (ts.isVariableStatement(statement) && statement.declarationList.declarations.every((d) => d.initializer && isRequire(d.initializer)))
      continue;
    return statement;
  }
  return undefined;
}

/** `require('x')` or `require('x').y`. */
function isRequire(expression: ts.Expression): boolean {
  let inner = skipParens(expression);
  while (ts.isPropertyAccessExpression(inner)) inner = skipParens(inner.expression);
  return (
    ts.isCallExpression(inner) &&
    ts.isIdentifier(inner.expression) &&
    inner.expression.text === 'require' &&
    inner.arguments.length === 1 &&
    ts.isStringLiteralLike(inner.arguments[0])
  );
}

/**
 * Hoisting to module level is `safe` when the arguments are literals (nothing to initialise first,
 * nothing that could change), constructing the object with them succeeds (so module load cannot
 * start throwing), the object's identity and state are unobservable where it is used (`usageOf`), a
 * regexp is only handed to string methods on strings, and a date formatter names its time zone (else
 * it would freeze the zone at load time). Otherwise the same edit is a suggestion.
 */
function hoistFix(construction: Construction, fn: FunctionLike, file: FileFacts): FixSpec[] {
  const literals = construction.args.every(literalOnly);
  // Literal arguments can go to the top of the module; named constants right before the function's statement.
  const before = literals ? moduleInsertionPoint(file) : topLevelStatement(fn);
  if (!before) return [];
  const usage = usageOf(construction, fn)!;
  const name = uniqueName(file.sourceFile, construction.kind === 'intl' ? camelName(construction.ctor) : 'pattern');
  const zoneAtLoad = readsDefaultTimeZone(construction, file);
  const safe = literals && constructsCleanly(construction) && stringReceivers(construction, usage, file) && !zoneAtLoad;
  const start = file.start(before);
  const edits = [
    { start, end: start, newText: `const ${name} = ${file.textOf(construction.node)};${newlineOf(file.text)}` },
    { start: file.start(construction.node), end: construction.node.end, newText: name },
  ];
  return [
    {
      title: safe
        ? `Create it once at module level as ${name}`
        : zoneAtLoad
          ? `Create it once at module level as ${name} (it then keeps the time zone the process had at load time; add a timeZone option to fix it)`
          : `Create it once at module level as ${name} (check that the arguments are defined before it and that building it at load time cannot fail)`,
      kind: safe ? 'safe' : 'suggestion',
      edits,
    },
  ];
}
