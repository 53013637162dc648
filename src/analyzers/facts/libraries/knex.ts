/** knex query builders (`db('users').where(…).first()`), and the builder steps Objection models share. */
import { constantString } from '../ast';
import { argumentsOf, entityName, firstKey, o, set, v, type Op, type Step, type Val } from '../clients/model';
import { rawOp, sqlOfCall } from '../clients/sql';
import type { Library } from './library';

/** Query-builder steps of knex (and Objection, which builds on it). */
export const KNEX_BUILDER = set(
  'select',
  'first',
  'where',
  'andWhere',
  'orWhere',
  'whereNot',
  'whereIn',
  'whereNotIn',
  'orWhereIn',
  'whereNull',
  'whereNotNull',
  'whereBetween',
  'whereRaw',
  'whereExists',
  'whereLike',
  'whereILike',
  'whereJsonPath',
  'join',
  'innerJoin',
  'leftJoin',
  'leftOuterJoin',
  'rightJoin',
  'fullOuterJoin',
  'crossJoin',
  'joinRaw',
  'orderBy',
  'orderByRaw',
  'groupBy',
  'having',
  'limit',
  'offset',
  'pluck',
  'count',
  'countDistinct',
  'sum',
  'min',
  'max',
  'avg',
  'distinct',
  'distinctOn',
  'returning',
  'insert',
  'update',
  'del',
  'delete',
  'upsert',
  'increment',
  'decrement',
  'truncate',
  'onConflict',
  'merge',
  'ignore',
  'from',
  'into',
  'table',
  'columns',
  'column',
  'forUpdate',
  'forShare',
  'noWait',
  'skipLocked',
  'modify',
  'clearSelect',
  'clearWhere',
  'union',
  'unionAll',
  'with',
  'withRecursive',
  'as',
  'timeout',
  'transacting',
  'options',
  'jsonExtract',
  'hintComment',
  // Objection
  'findById',
  'findByIds',
  'findOne',
  'patch',
  'patchAndFetchById',
  'updateAndFetchById',
  'deleteById',
  'insertGraph',
  'upsertGraph',
  'insertAndFetch',
  'patchAndFetch',
  'relate',
  'unrelate',
  'withGraphFetched',
  'withGraphJoined',
  'throwIfNotFound',
  'resultSize',
  'page',
  'range',
);
const KNEX_WRITE = set(
  'insert',
  'update',
  'del',
  'delete',
  'upsert',
  'increment',
  'decrement',
  'truncate',
  'merge',
  'patch',
  'patchAndFetchById',
  'updateAndFetchById',
  'deleteById',
  'insertGraph',
  'upsertGraph',
  'insertAndFetch',
  'patchAndFetch',
  'relate',
  'unrelate',
);
/** Methods called on the knex instance itself that start a query. */
const KNEX_ROOT = set(
  'select',
  'from',
  'table',
  'insert',
  'update',
  'del',
  'delete',
  'where',
  'first',
  'count',
  'pluck',
  'into',
  'with',
  'queryBuilder',
  'distinct',
  'sum',
  'max',
  'min',
  'avg',
  'union',
  'upsert',
);

/** The rest of a builder chain decides its kind, and whether it runs at all. */
export function finishKnex(op: Op, rest: readonly string[]): Op | undefined {
  if (rest.some((name) => KNEX_WRITE.has(name)) || KNEX_WRITE.has(op.method)) op.kind = 'write';
  if (op.lib === 'knex' && op.method !== 'table' && rest.length > 0 && !rest.every((name) => KNEX_BUILDER.has(name))) return undefined;
  if (op.lib === 'knex' && op.method === 'table' && rest.some((name) => !KNEX_BUILDER.has(name))) return undefined;
  return op;
}

/** The key a builder chain looks rows up by: `id` in `.where({ id })`, `.where('id', x)`, `.findById(x)`. */
export function knexKey(op: Op, steps: readonly Step[]): string | undefined {
  for (let i = op.anchor + 1; i < steps.length; i++) {
    const step = steps[i];
    if (step.name === 'findById') return 'id';
    if (step.name !== 'where' && step.name !== 'andWhere') continue;
    const whereArgs = argumentsOf(step.call);
    const key = whereArgs?.[0] ? (constantString(whereArgs[0]) ?? firstKey(whereArgs[0])) : undefined;
    if (key !== undefined) return key.replace(/^.*\./, '');
  }
  return undefined;
}

/** The batched form of a knex or Objection builder. */
export function knexBatched(op: Op, k: string, ks: string): string {
  const read = op.kind === 'query';
  if (op.raw) return read ? `query with WHERE ${k} = ANY(?)` : 'multi-row statement';
  if (read) return op.lib === 'objection' && k === 'id' ? `findByIds(${ks})` : `whereIn('${k}', ${ks})`;
  if (op.method === 'insert' || op.method === 'table' || op.method === 'insertGraph') return 'insert([...rows])';
  return `whereIn('${k}', ${ks}) with one update/del`;
}

const client: Val = { lib: 'knex', role: 'client' };

export const knex: Library = {
  id: 'knex',
  limits: { steps: ['limit', 'first'], oneRow: ['first'], filters: { steps: ['where', 'andWhere'] } },
  modules: ['knex'],
  client: {
    anchors: [...KNEX_ROOT, 'raw'],
    calledRoots: ['knex', 'db', 'trx', 'database'],
    imported: ({ name, whole }) => (whole || name === 'knex' ? { lib: 'knex', role: 'fn', name: 'knex' } : undefined),
    hints: { name: /^knex$/, callable: true, module: /knex/i, workspacePackage: true },
    // `knex(config)` makes the client; `knex('users')` / `trx('users')` starts a query builder on a table.
    invoke: (fn, call, anchor) => {
      if (fn.role === 'fn') return fn.name === 'knex' ? v(client) : undefined;
      if (fn.role !== 'client') return undefined;
      const table = call.arguments[0] ? (constantString(call.arguments[0]) ?? entityName(call.arguments[0])) : undefined;
      return o({ lib: 'knex', kind: 'query', method: 'table', anchor, model: table, builder: true, tx: fn.tx });
    },
    call: (val, name, node, anchor) => {
      if (val.role !== 'client') return undefined;
      if (name === 'raw') return rawOp('knex', name, anchor, sqlOfCall(node), val);
      if (KNEX_ROOT.has(name)) return o({ lib: 'knex', kind: 'query', method: name, anchor, builder: true, tx: val.tx });
      return undefined;
    },
    typeReference: ({ left, right, fromLibrary }) => {
      if (!fromLibrary) return undefined;
      if (right === 'Knex' || (left === 'Knex' && right !== 'Transaction')) return client;
      if (right === 'Transaction') return { lib: 'knex', role: 'client', tx: 'trx' };
      return undefined;
    },
    decorators: {
      InjectKnex: () => client,
      InjectConnection: (_model, module) => (module && /knex/.test(module) ? client : undefined),
    },
    // db('users').where(…).first() / this.knex('users')…: a called root, then only builder steps.
    byShape: ({ steps, tableCall, imports }) => {
      if (tableCall < 0) return undefined;
      const tableStep = steps[tableCall];
      const call = tableStep.call!;
      const table = argumentsOf(call)?.[0] ? constantString(argumentsOf(call)![0]) : undefined;
      const knexName = /^(knex|db|trx|database|k|qb|pg)$/.test(tableStep.name);
      const rest = steps.slice(tableCall + 1).map((s) => s.name);
      if (table !== undefined && rest.length > 0 && rest.every((name) => KNEX_BUILDER.has(name)) && (knexName || imports(['knex'])))
        return { lib: 'knex', kind: 'query', method: 'table', anchor: tableCall, model: table, builder: true };
      return undefined;
    },
    finish: finishKnex,
    lookupKey: knexKey,
  },
  batching: {
    methods: ['whereIn', 'orWhereIn'],
    text: /\bwhereIn\b/,
    lists: {
      calls: [
        { name: 'whereIn', argument: 1 },
        { name: 'orWhereIn', argument: 1 },
      ],
    },
    describe: knexBatched,
    transactionArguments: { steps: ['transacting', 'useTransaction'] },
  },
  transactions: {
    callbacks: ['transaction'],
    handle: {
      methods: ['transaction'],
      value: (name) => ({ lib: 'knex', role: 'client', tx: name }),
      parameter: /^trx$/,
      imported: (facts) => facts.imports.imports('knex'),
    },
    unmanaged: [{ method: 'transaction', bound: true, commit: 'commit', rollback: 'rollback' }],
    ends: { commit: ['commit'], rollback: ['rollback'] },
  },
};
