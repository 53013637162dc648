/**
 * Drizzle ORM: `const db = drizzle(…)` from `drizzle-orm/<driver>`; the query builder
 * (`db.select().from(users).where(eq(users.id, id))`, `db.insert(users).values(…)`,
 * `db.update(users).set(…).where(…)`, `db.delete(users).where(…)`), the relational API
 * (`db.query.users.findFirst({ where: eq(users.id, id) })`), raw `db.execute(sql\`…\`)`, and
 * transactions (`db.transaction(async (tx) => …)`). The batched form of a lookup by key is
 * `inArray(users.id, ids)` (imported from drizzle-orm); `findFirst` gives `undefined` for a missing
 * row, and `inArray` with an empty list matches no row (drizzle-orm 0.32 and later; before, it threw).
 */
import { ts } from '../../ts';
import { referencedNames, skipParens } from '../ast';
import type { FileFacts } from '../fileFacts';
import {
  argumentsOf,
  entityName,
  isLowerFirst,
  o,
  objectProperty,
  set,
  v,
  type ClientCallNode,
  type Op,
  type Step,
  type Val,
} from '../clients/model';
import { rawOp, sqlBatched, sqlOfCall } from '../clients/sql';
import type { Library } from './library';
import { asIs, byField, importedName, isLiteralObject, usesImportFrom, whereOnly } from './lookup';

const MODULE = 'drizzle-orm';
const isDrizzle = (module: string): boolean => module === MODULE || module.startsWith(`${MODULE}/`);
const SELECT = set('select', 'selectDistinct', 'selectDistinctOn', '$count');
const WRITE = set('insert', 'update', 'delete');
const RELATIONAL = set('findFirst', 'findMany');

const client = (tx?: string): Val => (tx ? { lib: 'drizzle', role: 'client', tx } : { lib: 'drizzle', role: 'client' });

/**
 * `eq(users.id, value)`: the table (`users`), the column (`id`) and the value. With `facts`, `eq`
 * must be drizzle-orm's (a rewrite depends on it); without, its name is enough (a message names the key).
 */
function equality(
  condition: ts.Expression | undefined,
  facts?: FileFacts,
): { table: ts.Expression; column: string; value: ts.Expression } | undefined {
  const call = condition && skipParens(condition);
  if (!call || !ts.isCallExpression(call) || call.arguments.length !== 2 || !ts.isIdentifier(call.expression)) return undefined;
  if (facts) {
    const origin = facts.imports.get(call.expression.text);
    if (origin?.module !== MODULE || origin.imported !== 'eq') return undefined;
  } else if (call.expression.text !== 'eq') return undefined;
  const column = skipParens(call.arguments[0]);
  if (!ts.isPropertyAccessExpression(column)) return undefined;
  return { table: column.expression, column: column.name.text, value: call.arguments[1] };
}

/** The table a `select()` reads, named by the `.from(users)` that follows it in the chain. */
function fromTable(select: ClientCallNode): string | undefined {
  let current: ts.Node = select;
  for (let guard = 0; guard < 20; guard++) {
    const access = current.parent;
    const call = access?.parent;
    if (!access || !call || !ts.isPropertyAccessExpression(access) || !ts.isCallExpression(call) || call.expression !== access)
      return undefined;
    if (access.name.text === 'from') return call.arguments[0] ? entityName(call.arguments[0]) : undefined;
    current = call;
  }
  return undefined;
}

/** The condition a Drizzle call filters by: `{ where: … }` of the relational API, or a builder's `.where(…)` step. */
function condition(op: Op, steps: readonly Step[]): ts.Expression | undefined {
  const args = argumentsOf(steps[op.anchor].call);
  if (RELATIONAL.has(op.method)) return objectProperty(args?.[0], 'where');
  const where = steps.slice(op.anchor + 1).find((step) => step.name === 'where');
  return argumentsOf(where?.call)?.[0];
}

export const drizzle: Library = {
  id: 'drizzle',
  limits: {
    options: ['limit'],
    steps: ['limit'],
    oneRow: ['findFirst'],
    filters: { options: ['where'], steps: ['where'], equals: ['eq'], all: ['and'] },
  },
  modules: isDrizzle,
  client: {
    anchors: [...SELECT, ...WRITE, ...RELATIONAL, 'execute'],
    imported: ({ name }) => (name === 'drizzle' ? { lib: 'drizzle', role: 'fn', name: 'drizzle' } : undefined),
    hints: { module: /drizzle/i, workspacePackage: true },
    invoke: (fn) => (fn.role === 'fn' && fn.name === 'drizzle' ? v(client()) : undefined),
    // db.query.users: the relational API's table.
    member: (val, name) => {
      if (val.role === 'client' && name === 'query') return { ...val, role: 'db' };
      if (val.role === 'db') return { ...val, role: 'model', model: name };
      return undefined;
    },
    call: (val, name, node, anchor) => {
      const args = argumentsOf(node);
      if (val.role === 'client') {
        if (SELECT.has(name))
          return o({ lib: 'drizzle', kind: 'query', method: name, anchor, builder: true, model: fromTable(node), tx: val.tx });
        if (WRITE.has(name))
          return o({
            lib: 'drizzle',
            kind: 'write',
            method: name,
            anchor,
            builder: true,
            model: args?.[0] ? entityName(args[0]) : undefined,
            tx: val.tx,
          });
        if (name === 'execute') return rawOp('drizzle', name, anchor, sqlOfCall(node), val);
      }
      if (val.role === 'model' && RELATIONAL.has(name))
        return o({ lib: 'drizzle', kind: 'query', method: name, anchor, model: val.model, tx: val.tx });
      return undefined;
    },
    // NodePgDatabase, PostgresJsDatabase, BetterSQLite3Database, MySql2Database, LibSQLDatabase…
    typeReference: ({ right, fromLibrary }) => (fromLibrary && /Database$/.test(right) ? client() : undefined),
    // `db.query.users.findFirst(…)` in a file that imports drizzle-orm, whatever `db` is.
    byShape: ({ method, anchor, steps, plainPrefix, ctx }) =>
      plainPrefix &&
      anchor >= 2 &&
      RELATIONAL.has(method) &&
      steps[anchor - 2].name === 'query' &&
      isLowerFirst(steps[anchor - 1].name) &&
      ctx.facts.imports.importsAny(isDrizzle)
        ? { lib: 'drizzle', kind: 'query', method, anchor, model: steps[anchor - 1].name }
        : undefined,
    lookupKey: (op, steps) => equality(condition(op, steps))?.column,
  },
  batching: {
    text: /\binArray\s*\(/,
    lists: { calls: [{ name: 'inArray', argument: 1 }] },
    describe: (op, k, ks) => {
      if (op.raw) return sqlBatched(op, k, 'postgres');
      const table = op.model ?? 'table';
      if (op.kind === 'query') return `${op.method === 'findFirst' ? 'findMany' : op.method}(…) with inArray(${table}.${k}, ${ks})`;
      return op.method === 'insert' ? `insert(${table}).values([...rows])` : `${op.method}(${table})….where(inArray(${table}.${k}, ${ks}))`;
    },
    // `db.query.users.findFirst({ where: eq(users.id, x) })` → `findMany({ where: inArray(users.id, keys) })`.
    lookupForm: 'Drizzle `findMany` + `inArray`',
    lookup: (call, found, file) => {
      if (found.method !== 'findFirst') return undefined;
      const match = equality(whereOnly(call.arguments[0]), file);
      // The value must be a plain value rows can be keyed by, not another Drizzle expression (`sql\`…\``).
      if (!match || isLiteralObject(match.value) || usesImportFrom(referencedNames(match.value), MODULE, file)) return undefined;
      const operator = importedName(file, MODULE, 'inArray');
      if (!operator) return undefined;
      const { column } = match;
      const table = file.textOf(match.table);
      return {
        key: column,
        keyExpression: match.value,
        reused: [match.table],
        batchedMethod: 'findMany',
        fetchAll: (receiver, keys) => `${receiver}.findMany({ where: ${operator.name}(${table}.${column}, ${keys}) })`,
        rowKey: (row) => byField(row, column),
        lookupKey: asIs,
        missing: 'undefined',
        edits: operator.edits,
      };
    },
  },
  transactions: {
    callbacks: ['transaction'],
    handle: { methods: ['transaction'], value: (name) => client(name), imported: (facts) => facts.imports.importsAny(isDrizzle) },
  },
};
