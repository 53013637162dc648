/** knex query builders (`db('users').where(…).first()`) and Objection models built on them. */
import type { ts } from '../../ts';
import { constantString } from '../ast';
import { argumentsOf, entityName, firstKey, o, set, type ClientCallNode, type Op, type Step, type StepResult, type Val } from './model';
import { rawOp, sqlOfCall } from './sql';

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
export const KNEX_ROOT = set(
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

/** `knex('users')` / `trx('users')`: a query builder on a table. */
export function knexInvoke(val: Val, call: ts.CallExpression, anchor: number): StepResult {
  const table = call.arguments[0] ? (constantString(call.arguments[0]) ?? entityName(call.arguments[0])) : undefined;
  return o({ lib: 'knex', kind: 'query', method: 'table', anchor, model: table, builder: true, tx: val.tx });
}

export function knexCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  if (val.role !== 'client') return undefined;
  if (name === 'raw') return rawOp('knex', name, anchor, sqlOfCall(call), val);
  if (KNEX_ROOT.has(name)) return o({ lib: 'knex', kind: 'query', method: name, anchor, builder: true, tx: val.tx });
  return undefined;
}

export function objectionCall(val: Val, name: string, anchor: number): StepResult {
  if (val.role === 'model' && name === 'query')
    return o({ lib: 'objection', kind: 'query', method: 'query', anchor, model: val.model, builder: true });
  return undefined;
}

/** The rest of a builder chain decides its kind, and whether it runs at all. */
export function finishKnex(op: Op, rest: readonly string[]): Op | undefined {
  if (rest.some((name) => KNEX_WRITE.has(name)) || KNEX_WRITE.has(op.method)) op.kind = 'write';
  if (op.lib === 'knex' && op.method !== 'table' && rest.length > 0 && !rest.every((name) => KNEX_BUILDER.has(name))) return undefined;
  if (op.lib === 'knex' && op.method === 'table' && rest.some((name) => !KNEX_BUILDER.has(name))) return undefined;
  return op;
}

export function knexKey(op: Op, steps: Step[]): string | undefined {
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

export function knexBatched(op: Op, k: string, ks: string): string {
  const read = op.kind === 'query';
  if (op.raw) return read ? `query with WHERE ${k} = ANY(?)` : 'multi-row statement';
  if (read) return op.lib === 'objection' && k === 'id' ? `findByIds(${ks})` : `whereIn('${k}', ${ks})`;
  if (op.method === 'insert' || op.method === 'table' || op.method === 'insertGraph') return 'insert([...rows])';
  return `whereIn('${k}', ${ks}) with one update/del`;
}
