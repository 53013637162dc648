/** Drizzle, Supabase, postgres.js, DynamoDB (AWS SDK v3) and SQLite (better-sqlite3, node:sqlite, bun:sqlite). */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import {
  argumentsOf,
  entityName,
  o,
  v,
  deeper,
  type ClientCallNode,
  type ClientKind,
  type Ctx,
  type Op,
  type StepResult,
  type Val,
} from './model';
import { rawOp, sqlOfCall, sqlText } from './sql';

// ---------------------------------------------------------------------------------------------
// Drizzle

export function drizzleMember(val: Val, name: string): Val | undefined {
  if (val.role === 'client' && name === 'query') return { ...val, role: 'db' };
  if (val.role === 'db') return { ...val, role: 'model', model: name };
  return undefined;
}

export function drizzleCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  if (val.role === 'client') {
    if (name === 'select' || name === 'selectDistinct' || name === 'selectDistinctOn' || name === '$count')
      return o({ lib: 'drizzle', kind: 'query', method: name, anchor, builder: true, tx: val.tx });
    if (name === 'insert' || name === 'update' || name === 'delete') {
      return o({
        lib: 'drizzle',
        kind: 'write',
        method: name,
        anchor,
        builder: true,
        model: args?.[0] ? entityName(args[0]) : undefined,
        tx: val.tx,
      });
    }
    if (name === 'execute') return rawOp('drizzle', name, anchor, sqlOfCall(call), val);
  }
  if (val.role === 'model' && (name === 'findFirst' || name === 'findMany'))
    return o({ lib: 'drizzle', kind: 'query', method: name, anchor, model: val.model, tx: val.tx });
  return undefined;
}

export function drizzleBatched(op: Op, k: string, ks: string): string | undefined {
  if (op.raw) return undefined;
  if (op.kind === 'query')
    return `${op.method === 'findFirst' ? 'findMany' : op.method}(…) with inArray(${op.model ?? 'table'}.${k}, ${ks})`;
  return op.method === 'insert' ? 'insert(table).values([...rows])' : `… where(inArray(table.${k}, ${ks}))`;
}

// ---------------------------------------------------------------------------------------------
// Supabase

export function supabaseCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  if (val.role !== 'client') return undefined;
  if (name === 'from')
    return o({
      lib: 'supabase',
      kind: 'query',
      method: 'from',
      anchor,
      model: args?.[0] ? constantString(args[0]) : undefined,
      builder: true,
    });
  if (name === 'rpc') return o({ lib: 'supabase', kind: 'query', method: 'rpc', anchor });
  return undefined;
}

export function supabaseBatched(op: Op, k: string, ks: string): string {
  return op.kind === 'query' ? `.in('${k}', ${ks})` : 'insert([...rows]) / upsert([...rows])';
}

// ---------------------------------------------------------------------------------------------
// postgres.js (`sql\`…\``, `sql.unsafe(text)`)

export function postgresCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  if (val.role === 'client' && name === 'unsafe') return rawOp('postgres', name, anchor, sqlOfCall(call), val);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB v3: `client.send(new GetItemCommand(…))` with the command imported from the SDK.

export function dynamoOp(call: ClientCallNode, anchor: number, ctx: Ctx): StepResult {
  if (!ts.isCallExpression(call)) return undefined;
  const first = call.arguments[0] ? skipParens(call.arguments[0]) : undefined;
  if (!first || !ts.isNewExpression(first) || !ts.isIdentifier(first.expression)) return undefined;
  const command = ctx.nameValue(first.expression.text, first.expression, deeper(ctx));
  if (!command || command.lib !== 'dynamodb' || command.role !== 'command' || !command.name) return undefined;
  const name = command.name.replace(/Command$/, '');
  const kind: ClientKind = /^(Get|GetItem|BatchGet|BatchGetItem|Query|Scan|TransactGet|TransactGetItems|Describe)/.test(name)
    ? 'query'
    : 'write';
  return o({ lib: 'dynamodb', kind, method: command.name, anchor });
}

export function dynamoCall(val: Val, name: string, call: ClientCallNode, anchor: number, ctx: Ctx): StepResult {
  if (val.role === 'class' && name === 'from') return v({ lib: 'dynamodb', role: 'client' });
  if (val.role === 'client' && name === 'send') return dynamoOp(call, anchor, ctx);
  return undefined;
}

export function dynamoBatched(op: Op): string | undefined {
  if (/^Get(Item)?Command$/.test(op.method))
    return op.method.startsWith('GetItem') ? 'BatchGetItemCommand (100 keys a call)' : 'BatchGetCommand (100 keys a call)';
  if (/^(Put|Delete)(Item)?Command$/.test(op.method))
    return op.method.endsWith('ItemCommand') ? 'BatchWriteItemCommand (25 items a call)' : 'BatchWriteCommand (25 items a call)';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// SQLite: synchronous drivers. `db.prepare(sql).get(id)` blocks until the row is read.

const SQLITE_STATEMENT_READ = new Set(['get', 'all', 'iterate', 'values', 'pluck', 'raw']);

export function sqliteCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  if (val.role === 'client') {
    // bun:sqlite spells prepare `query` (and caches the statement).
    if (name === 'prepare' || name === 'query')
      return v({ lib: 'sqlite', role: 'statement', sql: args?.[0] ? sqlText(args[0]) : undefined });
    if (name === 'exec' || name === 'run') {
      const sql = args?.[0] ? sqlText(args[0]) : undefined;
      const result = rawOp('sqlite', name, anchor, sql, val, 'write');
      if (result && 'op' in result) result.op.synchronous = true;
      return result;
    }
    return undefined;
  }
  if (val.role === 'statement') {
    if (name === 'pluck' || name === 'raw' || name === 'expand' || name === 'safeIntegers' || name === 'bind') return v(val);
    const read = SQLITE_STATEMENT_READ.has(name);
    if (!read && name !== 'run') return undefined;
    const result = rawOp('sqlite', name, anchor, val.sql, val, read ? 'query' : 'write');
    if (result && 'op' in result) result.op.synchronous = true;
    return result;
  }
  return undefined;
}

export function sqliteBatched(op: Op, k: string): string {
  if (op.kind === 'query')
    return `statement with WHERE ${k} IN (SELECT value FROM json_each(?)), prepared once and run with JSON.stringify(ids)`;
  return 'db.transaction(…) around the loop — one commit (one fsync) instead of one per row';
}
