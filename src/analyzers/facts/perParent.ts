/**
 * "Does this read return one record's children, or a slice of a whole table?" A read filtered by
 * equality on one parent's key — `where: { teamId }`, `{ userId: session.user.id }`, `{ team: { id } }`,
 * `eq(links.dataroomId, id)`, `.where('user_id', id)`, Mongo's `find({ owner: user.id })` — returns the
 * rows of one team, one user, one data room: its size is what one parent has, which nothing in the code
 * says (a user's accounts, a workflow's steps, an organisation's servers are a handful). A filter on a
 * status or flag (`{ status: 'PENDING' }`), a range, an `in` list or `null` (`{ parentId: null }`: every
 * root) reads across parents and still grows with the table.
 *
 * Some children do grow per parent without bound: rows recorded and never edited — views, visits, events,
 * log lines, versions, messages. The engine knows this, as name evidence the reason names, from the model
 * or table being called after one of a few event-like nouns. (A Prisma schema's `createdAt @default(now())`
 * without `@updatedAt` is not asked: most models are stamped at creation and never edited — a model
 * version's files, a user's favourites — and a handful per parent is just as likely.)
 * Where the filter is written comes from each library's descriptor (`limits.filters`); raw SQL is read as text
 * (`WHERE "userId" = ${userId}`, `WHERE t.user_id = $1`: sqlParentFilter).
 */
import { ts } from '../ts';
import { calleeName, skipParens } from './ast';
import { compact } from './phrases';
import { resolve } from './dataflow';
import type { ClientCall, ClientCallNode } from './clients';
import { sqlOfCall } from './clients/sql';
import type { FilterKnowledge } from './libraries/library';

export interface ParentFilter {
  /** The parent record, named from its key: `dataroom` for `dataroomId`, `team` for `team: { id }`. */
  parent: string;
  /** The filter's field as written: `dataroomId`, `team.id`, `user_id`. */
  field: string;
  /** Raw SQL: the table the rows come from (its FROM), for the event-noun question (the client names no model). */
  table?: string;
}

/** Filters of these keys combine or negate conditions: a key inside them does not pick one parent. */
const NOT_ONE_PARENT = new Set(['OR', 'NOT', '$or', '$nor', '$not', 'not', 'none', 'every', 'notIn', '$ne', '$nin']);
/** Keys that join conditions that all hold. */
const ALL_OF = new Set(['AND', '$and']);
/** A relation filter's quantifiers that keep the relation: `members: { some: { userId } }`, `owner: { is: { id } }`. */
const RELATION_QUANTIFIERS = new Set(['some', 'is']);
/** An equality written as an operator: Prisma's `{ equals: id }`, Mongo's `{ $eq: id }`. */
const EQUALS = new Set(['equals', '$eq']);
/**
 * A foreign key: `dataroomId`, `organizationID`, `user_id`, and the same as a uid or uuid — `userUid`, `ownerUUID`,
 * `team_uuid` (not `id` or `_id`, the row's own key). Round 8 of issue 12: `where: { userUid }` read as the whole table.
 */
const FOREIGN_KEY = /^(\w+?)(Id|ID|Uid|UID|Uuid|UUID|_id|_uid|_uuid)$/;
/** A value that names one id: `id`, `userId`, `session.user.id`, `params.team_id`, `mergeUserUid`. */
const ID_NAME = /^(id|_id|uid|uuid|\w+(Id|ID|Uid|UID|Uuid|UUID|_id|_uid|_uuid))$/;

/** The parent whose rows `call` keeps by equality on its key, if the read has such a filter. */
export function parentFilterOf(call: ClientCallNode, client: ClientCall, filters: FilterKnowledge | undefined): ParentFilter | undefined {
  if (client.raw) return sqlParentFilter(call);
  if (filters?.keyedByArgument && ts.isCallExpression(call) && call.arguments[0]) return keyParent(call.arguments[0]);
  const equals = new Set(filters?.equals ?? []);
  const all = new Set(filters?.all ?? []);

  const fromCondition = (condition: ts.Expression, depth = 0): ParentFilter | undefined => {
    if (depth > 4) return undefined;
    const inner = skipParens(condition);
    const object = objectOf(inner);
    if (object) return fromObject(object, undefined, depth + 1);
    if (!ts.isCallExpression(inner)) return undefined;
    const name = calleeName(inner);
    if (name && equals.has(name) && inner.arguments.length === 2) return fromEquality(columnName(inner.arguments[0]), inner.arguments[1]);
    if (name && all.has(name)) {
      for (const argument of inner.arguments) {
        const found = fromCondition(argument, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };

  const fromObject = (object: ts.ObjectLiteralExpression, relation: string | undefined, depth: number): ParentFilter | undefined => {
    if (depth > 4) return undefined;
    for (const property of object.properties) {
      if (ts.isShorthandPropertyAssignment(property)) {
        const found = fromEquality(property.name.text, property.name, relation);
        if (found) return found;
        continue;
      }
      if (!ts.isPropertyAssignment(property)) continue;
      const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
      if (key === undefined || NOT_ONE_PARENT.has(key)) continue;
      const value = skipParens(property.initializer);
      let found: ParentFilter | undefined;
      if (ALL_OF.has(key)) {
        const parts = ts.isArrayLiteralExpression(value) ? value.elements : [value];
        for (const part of parts) {
          const element = skipParens(part as ts.Expression);
          found ??= ts.isObjectLiteralExpression(element) ? fromObject(element, relation, depth + 1) : undefined;
        }
      } else if (ts.isObjectLiteralExpression(value)) {
        const equal = value.properties.find(
          (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && EQUALS.has(p.name.text),
        );
        if (equal) found = fromEquality(key, equal.initializer, relation);
        else found = fromObject(value, RELATION_QUANTIFIERS.has(key) ? relation : key, depth + 1);
      } else found = fromEquality(key, value, relation);
      if (found) return found;
    }
    return undefined;
  };

  for (const filter of filtersOf(call, client, filters)) {
    const found =
      filter.kind === 'step'
        ? filter.column !== undefined
          ? SQL_CONDITION.test(filter.column)
            ? sqlConditionParent(filter.column)
            : filter.value && fromEquality(filter.column, filter.value)
          : fromCondition(filter.condition)
        : filter.kind === 'option'
          ? fromCondition(filter.condition)
          : filter.kind === 'object'
            ? fromObject(filter.object, undefined, 0)
            : undefined;
    if (found) return found;
  }
  return undefined;
}

/** A filter a read is written with: a builder step's condition, a `where` option, or the read's own object argument. */
type WrittenFilter =
  | { kind: 'step'; condition: ts.Expression; column?: string; value?: ts.Expression }
  | { kind: 'option'; condition: ts.Expression }
  | { kind: 'object'; object: ts.ObjectLiteralExpression }
  | { kind: 'selecting' };

/**
 * Every filter written on the calls of a read's chain, from the last step in: `db.select().from(t).where(eq(t.teamId, id))`,
 * `knex('links').where({ team_id })`, `findMany({ where })`, Mongo's `find({ owner })`, Redis `zrangebyscore(key, a, b)`.
 */
function* filtersOf(call: ClientCallNode, client: ClientCall, filters: FilterKnowledge | undefined): Generator<WrittenFilter> {
  const options = new Set(filters?.options ?? ['where']);
  const steps = new Set(filters?.steps ?? []);
  const selecting = new Set(filters?.selecting ?? []);
  for (let current: ts.Node = call; ;) {
    if (ts.isCallExpression(current)) {
      const name = calleeName(current);
      const args = current.arguments;
      if (name && selecting.has(name)) yield { kind: 'selecting' };
      if (name && steps.has(name) && args.length > 0) {
        const first = skipParens(args[0]);
        // `.where('user_id', id)`, `.where('user_id', '=', id)`, `.eq('user_id', id)`.
        if (ts.isStringLiteralLike(first)) {
          const value = args.length === 2 ? args[1] : args.length === 3 && isEqualsOperator(args[1]) ? args[2] : undefined;
          yield { kind: 'step', condition: first, column: first.text, value };
        } else yield { kind: 'step', condition: first };
      }
      for (const argument of args) {
        const object = objectOf(argument);
        if (!object) continue;
        // `{ where: { teamId } }`, and `{ where }` with `const where = { teamId }` written before.
        const option = object.properties.find(
          (p): p is ts.PropertyAssignment | ts.ShorthandPropertyAssignment =>
            (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
            (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
            options.has(p.name.text),
        );
        if (option) yield { kind: 'option', condition: ts.isPropertyAssignment(option) ? option.initializer : option.name };
        else if (filters?.objectArguments && name === client.method) yield { kind: 'object', object };
      }
      current = skipParens(current.expression);
      continue;
    }
    if (ts.isPropertyAccessExpression(current)) {
      current = skipParens(current.expression);
      continue;
    }
    return;
  }
}

/**
 * Whether a read selects rows by a filter — anything but a soft-delete `null` check (`{ deletedAt: null }` keeps
 * most rows) — or reads its whole table or set. Raw SQL: a WHERE in its text, or text that cannot be read
 * (nothing says it is the whole table). A filtered read's rows grow with its table on a request path, but a job
 * that reads `{ status: 'PENDING' }` or `{ runAt: { lte: now } }` reads what became due since its last run.
 */
export function isFilteredRead(call: ClientCallNode, client: ClientCall, filters: FilterKnowledge | undefined): boolean {
  if (client.raw) {
    const sql = sqlOfCall(call);
    return sql === undefined || /\bWHERE\b/i.test(sql);
  }
  for (const filter of filtersOf(call, client, filters)) {
    if (filter.kind === 'selecting' || filter.kind === 'step') return true;
    const object = filter.kind === 'object' ? filter.object : objectOf(filter.condition);
    if (!object) return true; // a filter built elsewhere (`where: buildWhere(input)`)
    if (object.properties.some((property) => !isSoftDeleteCheck(property))) return true;
  }
  return false;
}

/** `deletedAt: null`, `archivedAt: { equals: null }`: a check most rows pass, not a filter that selects a few. */
function isSoftDeleteCheck(property: ts.ObjectLiteralElementLike): boolean {
  if (!ts.isPropertyAssignment(property)) return false;
  let value = skipParens(property.initializer);
  if (ts.isObjectLiteralExpression(value) && value.properties.length === 1) {
    const only = value.properties[0];
    if (ts.isPropertyAssignment(only) && ts.isIdentifier(only.name) && EQUALS.has(only.name.text)) value = skipParens(only.initializer);
  }
  return value.kind === ts.SyntaxKind.NullKeyword;
}

/**
 * A key-value read's key built from one id names that record's entries, as `where: { userId }` names its rows:
 * `` hgetall(`user:${userId}:tokens`) ``, `smembers(tokensKey(user.id))`, `lrange(KEYS.feed(teamId), 0, -1)`. Any
 * other key still names one structure: the members of one set or list, as many as the program put under that key —
 * a handful of server nodes or every pending job, nothing in the read says (issue 12's round 5: four sweeps over the
 * few nodes and rooms of a presence set).
 */
function keyParent(key: ts.Expression, depth = 0): ParentFilter {
  const inner = skipParens(key);
  const field = `its key ${compact(inner.getText(), 40)}`;
  // `const key = tokensKey(userId); hgetall(key)`.
  if (ts.isIdentifier(inner)) {
    const declaration = depth === 0 ? resolve(inner) : undefined;
    return declaration?.kind === 'const' && declaration.initializer
      ? keyParent(declaration.initializer, depth + 1)
      : { parent: 'key', field };
  }
  const values = ts.isTemplateExpression(inner)
    ? inner.templateSpans.map((span) => span.expression)
    : ts.isCallExpression(inner)
      ? inner.arguments
      : [];
  for (const value of values) {
    const name = lastName(value);
    if (!name || !ID_NAME.test(name) || !isOneValue(value)) continue;
    const foreign = FOREIGN_KEY.exec(name);
    return { parent: foreign ? foreign[1] : (ownerName(value) ?? 'record'), field };
  }
  return { parent: 'key', field };
}

/** Words that end a WHERE clause's conditions. */
const AFTER_WHERE = /\b(GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET|RETURNING|UNION|WINDOW|FOR\s+UPDATE)\b/i;
/** `"userId" = $1`, `t.user_id = ?`, `i."imageId" = :id`: a column, maybe qualified and quoted, equal to one placeholder. */
const SQL_EQUALITY = /(?:^|[\s(,])(?:["`]?(\w+)["`]?\.)?["`]?(\w+)["`]?\s*=\s*(\$\d+|\?|:\w+|@\w+)(?!\w)/g;

/**
 * The parent whose rows a raw SQL read keeps: its WHERE compares a key column (`"userId"`, `user_id`, `"imageId"`,
 * `id`) by equality with one value — a placeholder, or one interpolated value of a template (`${userId}`; not a
 * fragment such as `${Prisma.join(ids)}` or a list). No WHERE, only status or range filters, or an `OR` in the
 * conditions: undefined (the rows cross parents). A light reading of the text, not a parser: the first WHERE
 * to the clause after it.
 */
function sqlParentFilter(call: ClientCallNode): ParentFilter | undefined {
  const sql = sqlOfCall(call);
  if (!sql) return undefined;
  const where = /\bWHERE\b/i.exec(sql);
  if (!where) return undefined;
  const rest = sql.slice(where.index + where[0].length);
  const end = AFTER_WHERE.exec(rest);
  return sqlConditionParent(end ? rest.slice(0, end.index) : rest, sql, templateSpans(call));
}

/** A builder step's condition written as SQL text, not a column: `.where('o.userId = :userId', { userId })`. */
const SQL_CONDITION = /[=<>]|\s(IN|IS|LIKE)\s/i;

/**
 * The parent whose rows SQL conditions keep: a key column equal to one placeholder (`$1`, `?`, `:userId`) or to one
 * interpolated value of the template the SQL came from (`spans`), with no OR among them. `sql`: the whole statement,
 * for the table a qualifier names.
 */
function sqlConditionParent(conditions: string, sql = conditions, spans?: readonly ts.Expression[]): ParentFilter | undefined {
  if (/\bOR\b/i.test(conditions)) return undefined;
  for (const match of conditions.matchAll(SQL_EQUALITY)) {
    const [, qualifier, column, placeholder] = match;
    const foreign = FOREIGN_KEY.exec(column);
    if (!foreign && column !== 'id' && column !== '_id') continue;
    // A template's `${…}` is `$n` in the text: the value must be one value, not a fragment or a list.
    const index = /^\$(\d+)$/.exec(placeholder);
    const value = spans && index ? spans[Number(index[1]) - 1] : undefined;
    if (value && (!isOneValue(value) || ts.isCallExpression(skipParens(value)) || ts.isTaggedTemplateExpression(skipParens(value))))
      continue;
    const table = sqlTable(sql, qualifier);
    const field = qualifier ? `${qualifier}.${column}` : column;
    const parent = foreign ? foreign[1].toLowerCase() : (table ?? 'record');
    return table ? { parent, field, table } : { parent, field };
  }
  return undefined;
}

/** The `${…}` values of a template the SQL was read from (`$queryRaw\`…\``, or a template argument), in order. */
function templateSpans(call: ClientCallNode): readonly ts.Expression[] | undefined {
  const template = ts.isTaggedTemplateExpression(call)
    ? call.template
    : call.arguments[0] && ts.isTemplateExpression(skipParens(call.arguments[0]))
      ? (skipParens(call.arguments[0]) as ts.TemplateExpression)
      : undefined;
  return template && ts.isTemplateExpression(template) ? template.templateSpans.map((span) => span.expression) : undefined;
}

/** The table a qualifier names (`i` of `FROM "Image" i`), or the first table of FROM without one. */
function sqlTable(sql: string, qualifier: string | undefined): string | undefined {
  const keyword = '(?!(?:WHERE|JOIN|LEFT|RIGHT|INNER|OUTER|CROSS|FULL|NATURAL|ON|USING|GROUP|ORDER|LIMIT)\\b)';
  const name = `["\`]?(\\w+)["\`]?(?:\\s+(?:AS\\s+)?${keyword}["\`]?(\\w+)["\`]?)?`;
  for (const match of sql.matchAll(new RegExp(`\\b(?:FROM|JOIN)\\s+(?:\\w+\\.)?${name}`, 'gi'))) {
    const [, table, alias] = match;
    if (!qualifier || qualifier === table || qualifier === alias) return table;
  }
  return undefined;
}

/** An object literal, written in place or in a `const` the expression names (`const where = { teamId }`). */
function objectOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const inner = skipParens(expression);
  if (ts.isObjectLiteralExpression(inner)) return inner;
  if (!ts.isIdentifier(inner)) return undefined;
  const declaration = resolve(inner);
  const init = declaration?.kind === 'const' && declaration.initializer ? skipParens(declaration.initializer) : undefined;
  return init && ts.isObjectLiteralExpression(init) ? init : undefined;
}

/** `field = value` where `field` is a parent's key and `value` one id: the parent. */
function fromEquality(field: string | undefined, value: ts.Expression, relation?: string): ParentFilter | undefined {
  if (!field || !isOneValue(value)) return undefined;
  if ((field === 'id' || field === '_id') && relation) return { parent: relation, field: `${relation}.${field}` };
  const written = relation ? `${relation}.${field}` : field;
  const foreign = FOREIGN_KEY.exec(field);
  if (foreign) return { parent: foreign[1], field: written };
  // `{ owner: user.id }`, `{ user: userId }`: a reference to another record, by its id.
  if (field !== 'id' && field !== '_id' && ID_NAME.test(lastName(value) ?? '')) return { parent: field, field: written };
  return undefined;
}

/** One value, as an id is: not a list, a filter object, a flag, a number or null. */
function isOneValue(value: ts.Expression): boolean {
  const inner = skipParens(value);
  if (ts.isArrayLiteralExpression(inner) || ts.isObjectLiteralExpression(inner) || ts.isNumericLiteral(inner)) return false;
  if (
    inner.kind === ts.SyntaxKind.NullKeyword ||
    inner.kind === ts.SyntaxKind.TrueKeyword ||
    inner.kind === ts.SyntaxKind.FalseKeyword ||
    (ts.isIdentifier(inner) && inner.text === 'undefined')
  )
    return false;
  return true;
}

/** The name a value ends in: `id` of `session.user.id`, `teamId` of `teamId`, `team_id` of `params['team_id']`. */
function lastName(value: ts.Expression): string | undefined {
  let inner = skipParens(value);
  while (ts.isNonNullExpression(inner) || ts.isAsExpression(inner)) inner = skipParens(inner.expression);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  if (ts.isElementAccessExpression(inner) && ts.isStringLiteralLike(inner.argumentExpression)) return inner.argumentExpression.text;
  return undefined;
}

/** The record an id belongs to: `user` of `user.id`, `team` of `ctx.team.id`. */
function ownerName(value: ts.Expression): string | undefined {
  const inner = skipParens(value);
  if (!ts.isPropertyAccessExpression(inner)) return undefined;
  const owner = skipParens(inner.expression);
  return ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : undefined;
}

/** Drizzle's column `links.dataroomId` (or a column named by a string): `dataroomId`. */
function columnName(column: ts.Expression): string | undefined {
  const inner = skipParens(column);
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  if (ts.isStringLiteralLike(inner)) return inner.text;
  return undefined;
}

function isEqualsOperator(operator: ts.Expression): boolean {
  const inner = skipParens(operator);
  return ts.isStringLiteralLike(inner) && (inner.text === '=' || inner.text === '==');
}

/**
 * Nouns of rows that are recorded, not edited — one more per thing that happens — so a parent keeps
 * gaining them: name evidence. Matched against the last word of the
 * model or table (`pageViews`, `audit_logs`, `WebsiteEvent`, `promptVersions`), singular. Not `notification`: a
 * `notifications` table is as often the channels an organisation configured (a handful) as the messages sent.
 */
const EVENT_NOUNS = new Set([
  'view',
  'visit',
  'click',
  'impression',
  'event',
  'log',
  'audit',
  'history',
  'activity',
  'version',
  'revision',
  'message',
]);

/**
 * Nouns of reference data an application is configured with — its regions, currencies, languages, plans, roles, the
 * webhooks an admin set up: rows added by hand, a handful however much the application is used. A whole-table read
 * of one is not evidence of growth (issue 12's round 8: one request per Sealos region, per configured webhook, read
 * as a growing table). Name evidence, matched as EVENT_NOUNS are.
 */
const REFERENCE_NOUNS = new Set([
  'region',
  'country',
  'currency',
  'language',
  'locale',
  'timezone',
  'webhook',
  'setting',
  'config',
  'configuration',
  'plan',
  'role',
  'permission',
]);

/**
 * Why the rows `client` reads grow per parent, or undefined when nothing says so: (name evidence) the
 * model is named like a record of events.
 */
export function growsPerParent(client: ClientCall, model = client.model): string | undefined {
  const singular = lastNoun(model);
  if (singular && EVENT_NOUNS.has(singular))
    return `the name \`${model}\` says a record of events, which each one keeps gaining (name evidence)`;
  return undefined;
}

/** Why a whole-table read of `model` is reference data, a handful of configured rows (name evidence), or undefined. */
export function referenceData(model: string | undefined): string | undefined {
  const singular = lastNoun(model);
  if (singular && REFERENCE_NOUNS.has(singular))
    return `the name \`${model}\` says reference data the application is configured with (name evidence): as many rows as it was set up with, nothing here says more`;
  return undefined;
}

/** The last word of a model or table name, singular: `event` of `WebsiteEvents`, `log` of `audit_logs`. */
function lastNoun(model: string | undefined): string | undefined {
  if (!model) return undefined;
  const words = model
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words[words.length - 1];
  return last?.replace(/ies$/, 'y').replace(/(?<!s)s$/, '');
}
