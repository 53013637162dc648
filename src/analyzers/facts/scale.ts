/**
 * "How big can this data get?" with the reason a user can check: `grows` when it comes from
 * something whose size the data decides — rows of a client read without a limit (across a table, or
 * the events one record keeps gaining), request input, a directory listing, a list fetched over HTTP,
 * the lines of a text —, `bounded` when the program fixes it — a literal, a constant or configuration,
 * an enum's values, `take: 10`, `.slice(0, 10)`, a counted loop of a few passes —, and `unknown`
 * otherwise: one record's children (`where: { teamId }`, facts/perParent.ts), a name alone. Values are followed through variables,
 * destructuring, `map`/`filter`/…, `await`, the returns of functions of the same file, and
 * parameters to what the callers in the same file pass.
 *
 * Names are weak evidence: `orders` may hold three rows, `columns` three hundred. A variable's name alone
 * never decides `grows` or `bounded`; it stays `unknown`, and the reason says that only the name speaks
 * (the one exception, event-like model names in perParent.ts, says `(name evidence)`).
 * sizes.ts keeps the older yes/no questions (`isSmallList`, `scaleOf`) the complexity rules gate on.
 */
import { ts } from '../ts';
import { calleeName, isFunctionLike, receiverOf, skipParens, type FunctionLike } from './ast';
import { awaitedClientCall, type ClientCall, type ClientCallNode } from './clients';
import { library } from './libraries/registry';
import type { FilterKnowledge } from './libraries/library';
import { growsPerParent, isFilteredRead, parentFilterOf, referenceData } from './perParent';
import { resolve, type Declaration } from './dataflow';
import { callersOf } from './modules';
import { projectPath } from './paths';
import type { FileFacts } from './fileFacts';
import { isTinyIteration, walkedCollection, type Iteration } from './loops';
import { compact } from './phrases';
import { fixedLength, hasRecordName, SIZE_KEEPING_METHODS, smallListKind } from './sizes';
import type { Scale } from '../finding';

export interface ScaleFact {
  scale: Scale;
  /** One sentence: "`orders` comes from prisma.order.findMany() with no limit". */
  reason?: string;
  /**
   * It grows as the rows a filter selects (`{ status: 'PENDING' }`, `WHERE "runAt" <= now()`), not as a whole table:
   * on a request path they grow with the table, in a job they are what became due since its last run (evidence.ts).
   */
  filtered?: boolean;
  /**
   * It grows as the items one request sends (`req.body.items`, `await req.json()`): as many as a client sends. The
   * issue's rounds 3–5 judged such loops mostly over a cart of one item, the few custom fields a form posts, a page
   * the client shows; rows of a table grow with the data, a request's items only when clients send many, which the
   * code seldom says. evidence.ts keeps them from a warning on their own.
   */
  clientSized?: boolean;
}

/** What a source is, after the name it flows into: "comes from prisma.order.findMany() with no limit". */
interface Source {
  scale: Scale;
  says: string;
  /** See ScaleFact.filtered. */
  filtered?: boolean;
  /** See ScaleFact.clientSized. */
  clientSized?: boolean;
}

/** A limit this small keeps a per-item cost small: a page of results, a handful of rows. */
const SMALL_LIMIT = 25;
/**
 * How rows are capped for a client whose library declares no `limits` (libraries/library.ts): HTTP
 * clients, key-value stores, SQL drivers (whose `LIMIT` is read from the SQL), libraries not described.
 * The ORMs' own options, steps and one-row reads are in their descriptors.
 */
const GENERIC_LIMITS = {
  options: new Set(['take', 'limit', 'first', 'last', 'top', 'perPage', 'pageSize', 'per_page']),
  steps: new Set(['limit', 'take', 'top', 'first', 'paginate']),
  ranges: new Set<string>(),
  oneRow: new Set([
    'findUnique',
    'findUniqueOrThrow',
    'findFirst',
    'findFirstOrThrow',
    'findOne',
    'findOneBy',
    'findOneOrFail',
    'findOneByOrFail',
    'findByPk',
    'findById',
    'findByIdAndUpdate',
    'first',
    'firstOrFail',
    'getOne',
    'getOneOrFail',
    'get',
    'hget',
    'count',
    'countBy',
    'aggregate',
    'exists',
    'executeTakeFirst',
    'executeTakeFirstOrThrow',
    'maybeSingle',
    'single',
  ]),
};
/** A library's limits as sets; `described`: from its descriptor (then `first()` without arguments is one row). */
interface Limits {
  options: ReadonlySet<string>;
  steps: ReadonlySet<string>;
  ranges: ReadonlySet<string>;
  oneRow: ReadonlySet<string>;
  filters?: FilterKnowledge;
  described: boolean;
}
const limitsCache = new Map<string, Limits>();
function limitsOf(id: string): Limits {
  let limits = limitsCache.get(id);
  if (!limits) {
    const declared = library(id)?.limits;
    limits = declared
      ? {
          options: new Set(declared.options ?? []),
          steps: new Set(declared.steps ?? []),
          ranges: new Set(declared.ranges ?? []),
          oneRow: new Set(declared.oneRow ?? []),
          filters: declared.filters,
          described: true,
        }
      : { ...GENERIC_LIMITS, described: false };
    limitsCache.set(id, limits);
  }
  return limits;
}
/** Functions that read a whole file's text (fs and fs/promises). */
const TEXT_READS = new Set(['readFile', 'readFileSync']);
/** Functions that list a directory or expand a glob. */
const LISTINGS = new Set(['readdir', 'readdirSync', 'glob', 'globSync', 'sync', 'fastGlob', 'globby', 'globbySync', 'opendir']);
/** Where request input hangs off a request object. */
const REQUEST_PARTS = new Set(['body', 'query', 'params', 'files']);
const REQUEST_NAMES = /^(req|request)$/;

const MAX_DEPTH = 6;

/** The scale of what `iteration` walks: its collection, or its pass count for a counted loop. */
export function iterationScaleOf(iteration: Iteration, facts: FileFacts): ScaleFact | undefined {
  if (isTinyIteration(iteration, SMALL_LIMIT)) return { scale: 'bounded', reason: 'the loop runs a few fixed times' };
  const collection = walkedCollection(iteration);
  return collection ? dataScale(collection, facts) : undefined;
}

/**
 * The one that grows, preferring one that grows as a whole table over rows a filter selects (which grow only on a
 * request path), and both over a request's items (as many as a client sends): it decides what several pieces of
 * data multiplied together are.
 */
export function growingOf<T extends { scale: Scale; filtered?: boolean; clientSized?: boolean }>(
  facts: ReadonlyArray<T | undefined>,
): T | undefined {
  const growing = facts.filter((fact): fact is T => fact?.scale === 'grows');
  return growing.find((fact) => !fact.filtered && !fact.clientSized) ?? growing.find((fact) => !fact.clientSized) ?? growing[0];
}

/** How big `expression` (a list, a map, a set) can get, and why. */
export function dataScale(expression: ts.Expression, facts: FileFacts): ScaleFact {
  const node = skipParens(expression);
  const label = `\`${compact(facts.textOf(node))}\``;
  const source = sourceOf(node, facts, 0);
  if (source)
    return {
      scale: source.scale,
      reason: `${label} ${source.says}`,
      ...(source.filtered && { filtered: true }),
      ...(source.clientSized && { clientSized: true }),
    };
  if (smallListKind(node) === 'name') return { scale: 'unknown', reason: `${label}: only its name suggests a short list` };
  if (hasRecordName(node)) return { scale: 'unknown', reason: `${label}: only its name suggests many records` };
  return { scale: 'unknown' };
}

function sourceOf(expression: ts.Expression, facts: FileFacts, depth: number): Source | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = skipParens(expression);
  if (ts.isArrayLiteralExpression(node)) {
    const spreads = node.elements.filter(ts.isSpreadElement);
    if (spreads.length === 0)
      return { scale: 'bounded', says: `is a literal of ${node.elements.length} ${node.elements.length === 1 ? 'entry' : 'entries'}` };
    const parts = spreads.map((spread) => sourceOf(spread.expression, facts, depth + 1));
    // One growing part makes the whole grow; else a part whose size nothing says (one parent's rows) makes it unknown.
    return growingOf(parts) ?? parts.find((part) => part?.scale === 'unknown');
  }
  const small = smallListKind(node);
  if (small === 'literal' || small === 'constant') return { scale: 'bounded', says: 'is a constant list the program fixes' };
  if (small === 'segments') return { scale: 'bounded', says: 'holds the segments of a path or name' };
  if (ts.isAwaitExpression(node)) return awaitedSource(node.expression, facts, depth);
  if (ts.isIdentifier(node)) return identifierSource(node, facts, depth);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return propertySource(node, facts, depth);
  if (ts.isCallExpression(node)) return callSource(node, facts, depth);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return sourceOf(node.left, facts, depth + 1);
  if (ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node))
    return sourceOf(node.expression, facts, depth + 1);
  return undefined;
}

function awaitedSource(awaited: ts.Expression, facts: FileFacts, depth: number): Source | undefined {
  const inner = skipParens(awaited);
  const client = awaitedClientCall(inner, facts);
  if (client) return clientRows(client.call, client.client, facts, depth);
  if (ts.isCallExpression(inner)) {
    const name = calleeName(inner);
    const receiver = receiverOf(inner);
    // `await res.json()`: a body fetched over HTTP; `await req.json()`: the request's own body.
    if (name === 'json' && receiver) {
      const owner = skipParens(receiver);
      if (ts.isIdentifier(owner) && REQUEST_NAMES.test(owner.text))
        return { scale: 'grows', says: `comes from the request's body (${compact(facts.textOf(inner))})`, clientSized: true };
      return { scale: 'grows', says: `is a body fetched over HTTP (${compact(facts.textOf(inner))})` };
    }
    if (name === 'all' && inner.arguments[0]) return sourceOf(inner.arguments[0], facts, depth + 1);
    // `await res.text()`: a body fetched over HTTP, as text.
    if (name === 'text' && receiver && inner.arguments.length === 0)
      return { scale: 'grows', says: `is a body fetched over HTTP (${compact(facts.textOf(inner))})` };
  }
  return sourceOf(inner, facts, depth + 1);
}

/**
 * How many rows a count or an aggregate reads to answer (`prisma.view.count({ where })`, `groupBy`):
 * the rows of one parent when it is filtered by one parent's key — unknown, unless they are a record of
 * events (facts/perParent.ts) —, else every matching row of the table, which grows.
 */
export function aggregatedRows(call: ClientCallNode, client: ClientCall): ScaleFact {
  const operation = `${client.operation}()`;
  const perParent = parentFilterOf(call, client, limitsOf(client.library).filters);
  if (!perParent)
    return {
      scale: 'grows',
      reason: `${operation} counts or aggregates rows: its cost grows with them`,
      ...(isFilteredRead(call, client, limitsOf(client.library).filters) && { filtered: true }),
    };
  const rows = `the ${(client.model ?? perParent.table) ? `${client.model ?? perParent.table} ` : ''}rows of one ${perParent.parent}`;
  const grows = growsPerParent(client, client.model ?? perParent.table);
  return grows
    ? { scale: 'grows', reason: `${operation} counts or aggregates ${rows} (filtered by ${perParent.field}), and ${grows}` }
    : {
        scale: 'unknown',
        reason: `${operation} counts ${rows} (filtered by ${perParent.field}): how many one ${perParent.parent} has, nothing here says`,
      };
}

/**
 * Rows a client read returns: every matching row without a limit, at most `k` with one; a one-row read is
 * not a list. Without a limit, a read of one parent's rows (facts/perParent.ts) is as big as what one parent
 * has — unknown, unless its rows are a record of events, which grows per parent too.
 */
function clientRows(call: ClientCallNode, client: ClientCall, facts: FileFacts, depth: number): Source | undefined {
  if (client.kind === 'write') return undefined;
  const operation = `${client.operation}()`;
  if (client.alreadyBatched) return keyedRows(client, operation, facts, depth);
  const limit = limitOf(call, client);
  if (limit !== undefined) {
    if (limit.value !== undefined && limit.value <= SMALL_LIMIT)
      return { scale: 'bounded', says: `comes from ${operation}, at most ${limit.value} rows (${limit.text})` };
    if (limit.value !== undefined)
      return {
        scale: 'grows',
        says: `comes from ${operation}, up to ${limit.value} rows (${limit.text})`,
        ...(isFilteredRead(call, client, limitsOf(client.library).filters) && { filtered: true }),
      };
    return undefined;
  }
  if (client.kind === 'http') return undefined;
  const limits = limitsOf(client.library);
  if (client.method && limits.oneRow.has(client.method)) return undefined;
  const perParent = parentFilterOf(call, client, limits.filters);
  if (perParent) {
    const rows = `the ${(client.model ?? perParent.table) ? `${client.model ?? perParent.table} ` : ''}rows of one ${perParent.parent}`;
    const grows = growsPerParent(client, client.model ?? perParent.table);
    if (grows)
      return { scale: 'grows', says: `comes from ${operation} with no limit: ${rows} (filtered by ${perParent.field}), and ${grows}` };
    return {
      scale: 'unknown',
      says: `holds ${rows} (${operation} filtered by ${perParent.field}): how many one ${perParent.parent} has, nothing here says`,
    };
  }
  if (isFilteredRead(call, client, limits.filters))
    return { scale: 'grows', says: `comes from ${operation} with no limit`, filtered: true };
  const reference = referenceData(client.model);
  if (reference) return { scale: 'unknown', says: `comes from ${operation}, and ${reference}` };
  return { scale: 'grows', says: `comes from ${operation} with no limit` };
}

/**
 * Rows of a read by a list of keys (`{ id: { in: ids } }`, `In(ids)`, `inArray(t.id, ids)`): one per key when
 * the key is the row's own id, so as many as the keys; the rows of every key otherwise, so at least as many
 * when the keys grow. Undefined when the keys' size is not known, or for several lists.
 */
function keyedRows(client: ClientCall, operation: string, facts: FileFacts, depth: number): Source | undefined {
  const list = client.batchedLists?.length === 1 ? client.batchedLists[0] : undefined;
  const keys = list && sourceOf(list, facts, depth + 1);
  if (!list || !keys) return undefined;
  const field = keyFieldOf(list);
  const own = field === 'id' || field === '_id';
  if (keys.scale === 'grows')
    return {
      scale: 'grows',
      ...(keys.filtered && { filtered: true }),
      ...(keys.clientSized && { clientSized: true }),
      says: `comes from ${operation}, ${own ? 'one row per key' : 'the rows of every key'} of a list that ${keys.says}`,
    };
  if (keys.scale === 'bounded' && own)
    return { scale: 'bounded', says: `comes from ${operation}, one row per key of a list that ${keys.says}` };
  return undefined;
}

/** The field a key list filters: `id` of `{ id: { in: ids } }` and `{ id: In(ids) }`, of `inArray(t.id, ids)` and `whereIn('id', ids)`. */
function keyFieldOf(list: ts.Expression): string | undefined {
  let node: ts.Node = list;
  for (let hops = 0; hops < 4 && node.parent; hops++) {
    const parent: ts.Node = node.parent;
    if (ts.isCallExpression(parent) && parent.arguments.length >= 2 && parent.arguments[1] === node) {
      const column = skipParens(parent.arguments[0]);
      if (ts.isPropertyAccessExpression(column)) return column.name.text;
      if (ts.isStringLiteralLike(column)) return column.text.replace(/^.*\./, '');
    }
    if (ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) {
      const name = parent.name.text;
      if (!/^(\$?in|hasSome|hasEvery)$/.test(name)) return name;
    }
    node = parent;
  }
  return undefined;
}

/** The row limit a read is written with: an option (`take: 10`), a builder step (`.limit(10)`), `LIMIT 10` in its SQL. */
export function limitOf(call: ClientCallNode, client: ClientCall): { value?: number; text: string } | undefined {
  const numberOf = (expression: ts.Expression | undefined): number | undefined => {
    if (!expression) return undefined;
    const inner = skipParens(expression);
    if (ts.isNumericLiteral(inner)) return Number(inner.text);
    if (ts.isIdentifier(inner)) {
      const declaration = resolve(inner);
      // A constant, or a parameter's default (`limit = 50`): what the read takes unless a caller says otherwise.
      const init =
        (declaration?.kind === 'const' || declaration?.kind === 'parameter') && declaration.initializer
          ? skipParens(declaration.initializer)
          : undefined;
      if (init && ts.isNumericLiteral(init)) return Number(init.text);
    }
    return undefined;
  };
  const limits = limitsOf(client.library);
  // Every call of the chain: `db.select().from(t).where(…).limit(10)`, `User.find({}).limit(5)`, `prisma.x.findMany({ take: 5 })`.
  for (let current: ts.Node = call; ;) {
    if (ts.isCallExpression(current)) {
      const name = calleeName(current);
      if (
        name &&
        limits.steps.has(name) &&
        current.arguments.length <= 1 &&
        !(name === 'first' && !limits.described && current.arguments.length === 0)
      ) {
        const value = name === 'first' && current.arguments.length === 0 ? 1 : numberOf(current.arguments[0]);
        return { value, text: `.${name}(${current.arguments[0] ? compact(current.arguments[0].getText(), 12) : ''})` };
      }
      for (const argument of current.arguments) {
        const option = limitOption(skipParens(argument), limits.options);
        if (option) {
          const value = numberOf(option.initializer);
          return {
            value: value === undefined ? undefined : Math.abs(value),
            text: `${(option.name as ts.Identifier | ts.StringLiteral).text}: ${compact(option.initializer.getText(), 12)}`,
          };
        }
      }
      // Redis `zrange(key, 0, 9)`, `lrange(key, 0, limit - 1)`: an index range (a stop of -1 reads the whole list).
      if (name && limits.ranges.has(name) && current === call && current.arguments.length >= 3) {
        const range = rangeOf(current.arguments[1], current.arguments[2], numberOf);
        if (range) return { value: range.value, text: `${name}(…, ${compact(current.arguments[2].getText(), 12)})` };
      }
      current = skipParens(current.expression);
      continue;
    }
    if (ts.isPropertyAccessExpression(current)) {
      current = skipParens(current.expression);
      continue;
    }
    if (ts.isTaggedTemplateExpression(current)) return sqlLimit(current.template, numberOf);
    break;
  }
  // Raw SQL as a string argument: `pool.query('SELECT … LIMIT 10')`.
  if (ts.isCallExpression(call)) {
    for (const argument of call.arguments) {
      const inner = skipParens(argument);
      if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner)) {
        const limit = sqlLimit(inner, numberOf);
        if (limit) return limit;
      }
    }
  }
  return undefined;
}

/**
 * The rows of an index range: `0, 9` → 10; `0, limit - 1` → `limit` when it is a constant, else a limit of
 * unknown size; a negative stop counts from the end (`0, -1` is the whole list): no limit.
 */
function rangeOf(
  start: ts.Expression,
  stop: ts.Expression,
  numberOf: (expression: ts.Expression | undefined) => number | undefined,
): { value?: number } | undefined {
  const from = numberOf(start);
  const end = skipParens(stop);
  if (ts.isPrefixUnaryExpression(end) && end.operator === ts.SyntaxKind.MinusToken) return undefined;
  const to = numberOf(end);
  if (to !== undefined) return to < 0 ? undefined : { value: from === undefined ? undefined : to - from + 1 };
  if (ts.isBinaryExpression(end) && end.operatorToken.kind === ts.SyntaxKind.MinusToken) {
    const size = numberOf(end.left);
    const minus = numberOf(end.right);
    return { value: size === undefined || minus === undefined || from === undefined ? undefined : size - minus - from + 1 };
  }
  return { value: undefined };
}

/** `LIMIT 10` in SQL text; `LIMIT ${n}` / `LIMIT $1` / `LIMIT ?`: a limit, of `n`'s value when it is a constant. */
function sqlLimit(
  template: ts.TemplateLiteral | ts.StringLiteralLike,
  numberOf: (expression: ts.Expression | undefined) => number | undefined,
): { value?: number; text: string } | undefined {
  const literal = /\bLIMIT\s+(\d+)/i.exec(template.getText());
  if (literal) return { value: Number(literal[1]), text: `LIMIT ${literal[1]}` };
  if (ts.isTemplateExpression(template)) {
    let before = template.head.text;
    for (const span of template.templateSpans) {
      if (/\bLIMIT\s+$/i.test(before))
        return { value: numberOf(span.expression), text: `LIMIT \${${compact(span.expression.getText(), 12)}}` };
      before = span.literal.text;
    }
  }
  const placeholder = /\bLIMIT\s+(\$\d+|\?|:\w+)/i.exec(template.getText());
  return placeholder ? { text: `LIMIT ${placeholder[1]}` } : undefined;
}

/**
 * The limit option an options object sets: `{ take: 10 }`, or spread in when a condition holds:
 * `...(paged && { take: limit })`, `...(paged ? { take: n } : {})`.
 */
function limitOption(object: ts.Expression, options: ReadonlySet<string>, depth = 0): ts.PropertyAssignment | undefined {
  if (depth > 3) return undefined;
  if (ts.isBinaryExpression(object) && object.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    return limitOption(skipParens(object.right), options, depth + 1);
  if (ts.isConditionalExpression(object))
    return limitOption(skipParens(object.whenTrue), options, depth + 1) ?? limitOption(skipParens(object.whenFalse), options, depth + 1);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) {
      const spread = limitOption(skipParens(property.expression), options, depth + 1);
      if (spread) return spread;
      continue;
    }
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    if (options.has(property.name.text)) return property;
  }
  return undefined;
}

function callSource(call: ts.CallExpression, facts: FileFacts, depth: number): Source | undefined {
  const name = calleeName(call);
  if (name === undefined) return undefined;
  const callee = skipParens(call.expression);
  const receiver = receiverOf(call);
  if (LISTINGS.has(name) && (name !== 'sync' || (receiver && /glob/i.test(receiver.getText()))))
    return { scale: 'grows', says: `is a directory listing (${name})` };
  if (name === 'querySelectorAll' || name === 'getElementsByTagName' || name === 'getElementsByClassName')
    return { scale: 'grows', says: `holds elements of the page (${name})` };
  if (name === 'split') {
    const separator = call.arguments[0] && skipParens(call.arguments[0]);
    if (
      separator &&
      (ts.isRegularExpressionLiteral(separator)
        ? /\\n/.test(separator.text)
        : ts.isStringLiteralLike(separator) && separator.text.includes('\n'))
    ) {
      // Lines grow with the text: a file, a fetched body, request input — not a name's or a field's few lines.
      const text = receiver && sourceOf(receiver, facts, depth + 1);
      if (text?.scale === 'grows') return { ...text, says: `holds the lines of a text that ${text.says}` };
      return { scale: 'unknown', says: 'holds the lines of a text whose length nothing here says' };
    }
    return undefined;
  }
  if (TEXT_READS.has(name) && call.arguments.length > 0) return { scale: 'grows', says: `is the content of a file (${name})` };
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    (callee.expression.text === 'Object' || callee.expression.text === 'Array')
  ) {
    if (['keys', 'values', 'entries', 'from'].includes(name) && call.arguments[0]) return sourceOf(call.arguments[0], facts, depth + 1);
    return undefined;
  }
  if (name === 'slice' && receiver && call.arguments.length === 2) {
    const [from, to] = call.arguments.map((a) => skipParens(a));
    if (ts.isNumericLiteral(from) && Number(from.text) === 0 && ts.isNumericLiteral(to) && Number(to.text) <= SMALL_LIMIT)
      return { scale: 'bounded', says: `keeps the first ${to.text} items (.slice(0, ${to.text}))` };
  }
  if (receiver && SIZE_KEEPING_METHODS.has(name)) return sourceOf(receiver, facts, depth + 1);
  const client = awaitedClientCall(call, facts);
  if (client) return clientRows(client.call, client.client, facts, depth);
  // A function of this file: what it returns.
  const fn = ts.isIdentifier(callee) ? functionOf(resolve(callee)) : undefined;
  if (fn) return returnedSource(fn, facts, depth);
  return undefined;
}

function identifierSource(identifier: ts.Identifier, facts: FileFacts, depth: number): Source | undefined {
  const declaration = resolve(identifier);
  if (!declaration) return undefined;
  if (declaration.kind === 'enum') return { scale: 'bounded', says: 'is an enum' };
  if (declaration.kind === 'parameter') return parameterSource(declaration, facts, depth);
  if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return undefined;
  if (declaration.initializer) {
    const length = fixedLength(declaration);
    if (length !== undefined) return { scale: 'bounded', says: `is a literal of ${length} ${length === 1 ? 'entry' : 'entries'}` };
    const init = skipParens(declaration.initializer);
    // `let rows = []` filled later: what fills it decides, not the empty literal.
    if (ts.isArrayLiteralExpression(init) && init.elements.length === 0) return undefined;
    return sourceOf(declaration.initializer, facts, depth + 1);
  }
  return destructuredSource(declaration, facts, depth);
}

/** `const { rows } = await pool.query(…)`, `const { data: orders } = await supabase.from('orders').select()`, `const [orders] = await Promise.all([…])`. */
function destructuredSource(declaration: Declaration, facts: FileFacts, depth: number): Source | undefined {
  const element = declaration.node;
  if (!ts.isBindingElement(element)) return undefined;
  const pattern = element.parent;
  const variable = pattern.parent;
  if (!ts.isVariableDeclaration(variable) || !variable.initializer) return undefined;
  if (ts.isArrayBindingPattern(pattern)) {
    const index = pattern.elements.indexOf(element);
    let init = skipParens(variable.initializer);
    if (ts.isAwaitExpression(init)) init = skipParens(init.expression);
    if (ts.isCallExpression(init) && calleeName(init) === 'all' && init.arguments[0]) {
      const list = skipParens(init.arguments[0]);
      if (ts.isArrayLiteralExpression(list) && list.elements[index]) {
        const part = list.elements[index];
        // Promise.all resolves each element as `await` would.
        return ts.isSpreadElement(part) ? undefined : awaitedSource(part, facts, depth + 1);
      }
    }
    return undefined;
  }
  // The rows of a result object: `rows`, `data`, `items`, `results`, `docs`, `Items` (DynamoDB).
  const property =
    element.propertyName && (ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName))
      ? element.propertyName.text
      : declaration.name;
  if (!/^(rows|data|items|results|records|docs|Items|hits|entries)$/.test(property)) return undefined;
  return sourceOf(variable.initializer, facts, depth + 1);
}

function propertySource(
  access: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  facts: FileFacts,
  depth: number,
): Source | undefined {
  // Request input: `req.body.items`, `request.query.ids`, `ctx.request.body.lines`, `body.items` where `body = req.body`.
  const parts: string[] = [];
  let current: ts.Expression = access;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    parts.unshift(ts.isPropertyAccessExpression(current) ? current.name.text : '[]');
    current = skipParens(current.expression);
  }
  if (ts.isIdentifier(current)) {
    const root = current.text;
    const fromRequest =
      (REQUEST_NAMES.test(root) || (root === 'ctx' && parts[0] === 'request')) && parts.some((part) => REQUEST_PARTS.has(part));
    if (fromRequest) return { scale: 'grows', says: `is request input (${compact(facts.textOf(access))})`, clientSized: true };
    // `const { rows } = …` spelled `result.rows`, `res.data`: the rows of what the root holds.
    const last = parts[parts.length - 1];
    if (parts.length === 1 && last && /^(rows|data|items|results|records|docs|Items|hits)$/.test(last)) {
      const rootSource = identifierSource(current, facts, depth + 1);
      if (rootSource) return rootSource;
    }
    const declaration = resolve(current);
    // `body.items` where `const body = req.body` or `await req.json()`.
    if (declaration?.initializer && parts.length >= 1) {
      const init = sourceOf(declaration.initializer, facts, depth + 1);
      if (init?.says.startsWith('is request input') || init?.says.startsWith("comes from the request's body"))
        return { scale: 'grows', says: `is request input (${compact(facts.textOf(access))})`, clientSized: true };
    }
  }
  return undefined;
}

/**
 * A parameter: what the callers of its function pass — in this file and, in a scan, in the files importing
 * it (test files left out). Grows when one passes growing data; bounded when every one passes bounded data.
 */
function parameterSource(declaration: Declaration, facts: FileFacts, depth: number): Source | undefined {
  const parameter = declaration.node;
  if (!ts.isParameter(parameter) || !ts.isIdentifier(parameter.name)) return undefined;
  const fn = parameter.parent;
  if (!isFunctionLike(fn)) return undefined;
  const index = fn.parameters.indexOf(parameter);
  const name = functionName(fn);
  if (!name) return undefined;
  const sources: Array<Source | undefined> = [];
  for (const caller of callersOf(fn, facts)) {
    // What a test passes (`getSecrets(config, ['db-password'])`) says nothing of what the application passes.
    if (caller.facts.is('tests') && !facts.is('tests')) continue;
    const argument = caller.call.arguments[index];
    if (!argument || ts.isSpreadElement(argument)) return undefined;
    const source = sourceOf(argument, caller.facts, depth + 1);
    const where = caller.facts === facts ? '' : ` (${projectPath(caller.facts.fileName)})`;
    sources.push(source && { ...source, says: `${source.says}${where}` });
  }
  if (sources.length === 0) return undefined;
  const growing = growingOf(sources);
  if (growing) return { ...growing, says: `is a parameter; a caller of ${name}() passes one that ${growing.says}` };
  if (sources.every((source) => source?.scale === 'bounded'))
    return { scale: 'bounded', says: `is a parameter; every caller of ${name}() passes a fixed list` };
  return undefined;
}

function returnedSource(fn: FunctionLike, facts: FileFacts, depth: number): Source | undefined {
  const returned: ts.Expression[] = [];
  if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) returned.push(fn.body);
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    ts.forEachChild(node, visit);
  };
  if (fn.body && ts.isBlock(fn.body)) ts.forEachChild(fn.body, visit);
  for (const expression of returned) {
    const inner = skipParens(expression);
    // An async function's `return x` and `return await x` both hand out what `x` resolves to.
    const source = awaitedSource(ts.isAwaitExpression(inner) ? inner.expression : inner, facts, depth + 1);
    if (source?.scale === 'grows')
      return {
        ...source,
        says: `comes from ${functionName(fn) ?? 'a function'}(), which returns what ${source.says.replace(/^(comes from|is) /, '')}`,
      };
  }
  return undefined;
}

function functionOf(declaration: Declaration | undefined): FunctionLike | undefined {
  if (!declaration) return undefined;
  if (declaration.kind === 'function' && isFunctionLike(declaration.node)) return declaration.node;
  const init = declaration.initializer && skipParens(declaration.initializer);
  return (declaration.kind === 'const' || declaration.kind === 'let') && init && isFunctionLike(init) ? init : undefined;
}

function functionName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  if (fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}
