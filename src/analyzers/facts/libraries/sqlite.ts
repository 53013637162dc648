/** Synchronous SQLite drivers (better-sqlite3, bun:sqlite, node:sqlite): `db.prepare(sql).get(id)` blocks until the row is read. */
import { argumentsOf, set, v, type ClientCallNode, type StepResult, type Val } from '../clients/model';
import { rawOp, sqlText } from '../clients/sql';
import type { Library } from './library';

const STATEMENT_READ = set('get', 'all', 'iterate', 'values', 'pluck', 'raw');

/** A raw statement that blocks until the database answers: per item whether awaited or not. */
function blocking(lib: string, name: string, anchor: number, sql: string | undefined, val: Val, kind: 'query' | 'write'): StepResult {
  const result = rawOp(lib, name, anchor, sql, val, kind);
  if (result && 'op' in result) result.op.synchronous = true;
  return result;
}

function call(val: Val, name: string, node: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(node);
  if (val.role === 'client') {
    // bun:sqlite spells prepare `query` (and caches the statement).
    if (name === 'prepare' || name === 'query')
      return v({ lib: 'sqlite', role: 'statement', sql: args?.[0] ? sqlText(args[0]) : undefined });
    if (name === 'exec' || name === 'run') return blocking('sqlite', name, anchor, args?.[0] ? sqlText(args[0]) : undefined, val, 'write');
    return undefined;
  }
  if (val.role === 'statement') {
    if (name === 'pluck' || name === 'raw' || name === 'expand' || name === 'safeIntegers' || name === 'bind') return v(val);
    const read = STATEMENT_READ.has(name);
    if (!read && name !== 'run') return undefined;
    return blocking('sqlite', name, anchor, val.sql, val, read ? 'query' : 'write');
  }
  return undefined;
}

const database: Val = { lib: 'sqlite', role: 'class', name: 'Database' };

export const sqlite: Library = {
  id: 'sqlite',
  modules: ['better-sqlite3', 'bun:sqlite', 'sqlite'],
  client: {
    anchors: ['iterate', 'exec'],
    // better-sqlite3's default export, bun:sqlite's Database, node:sqlite's DatabaseSync (npm 'sqlite' is async: not this).
    imported: ({ name, module, whole }) => {
      if (module === 'sqlite') return name === 'DatabaseSync' ? database : undefined;
      return whole || name === 'Database' ? database : undefined;
    },
    construct: (made) => (made.role === 'class' ? { lib: 'sqlite', role: 'client' } : undefined),
    call,
    typeReference: ({ right, fromLibrary }) =>
      fromLibrary && /^(Database|DatabaseSync)$/.test(right) ? { lib: 'sqlite', role: 'client' } : undefined,
    rawSql: { modules: ['better-sqlite3'], driver: true },
  },
  batching: {
    describe: (op, k) =>
      op.kind === 'query'
        ? `statement with WHERE ${k} IN (SELECT value FROM json_each(?)), prepared once and run with JSON.stringify(ids)`
        : 'db.transaction(…) around the loop — one commit (one fsync) instead of one per row',
    describesKeylessSql: true,
  },
  // db.transaction((rows) => …): the callback runs in one transaction (no handle parameter).
  transactions: { callbacks: ['transaction'] },
};
