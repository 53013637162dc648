/** mysql and mysql2: pools and connections, raw SQL through `query`/`execute`, `beginTransaction()`. */
import { poolCall, sqlBatched } from '../clients/sql';
import { v, type Val } from '../clients/model';
import type { Library } from './library';

const pool: Val = { lib: 'mysql2', role: 'client' };
const connection: Val = { lib: 'mysql2', role: 'client', single: true };

export const mysql2: Library = {
  id: 'mysql2',
  modules: ['mysql', 'mysql2', 'mysql2/promise'],
  client: {
    imported: ({ name, module, whole }) => {
      if (['createPool', 'createConnection', 'createPoolCluster'].includes(name)) return { lib: 'mysql2', role: 'fn', name };
      return whole ? { lib: 'mysql2', role: 'module', module } : undefined;
    },
    invoke: (fn) => {
      if (fn.role !== 'fn') return undefined;
      if (fn.name === 'createConnection' || fn.name === 'getConnection') return v(connection);
      if (fn.name === 'createPool' || fn.name === 'createPoolCluster') return v(pool);
      return undefined;
    },
    call: poolCall,
    moduleCall: (_val, name) => {
      if (name === 'createPool' || name === 'createPoolCluster') return v(pool);
      if (name === 'createConnection') return v(connection);
      return undefined;
    },
    typeReference: ({ right, fromLibrary }) => {
      if (!fromLibrary) return undefined;
      if (right === 'Pool' || right === 'PoolCluster') return pool;
      if (right === 'PoolConnection' || right === 'Connection') return connection;
      return undefined;
    },
    rawSql: { modules: ['mysql', 'mysql2', 'mysql2/promise'], driver: true },
  },
  batching: { describe: (op, k) => sqlBatched(op, k, 'mysql') },
  // await connection.beginTransaction(); … await connection.commit();
  transactions: {
    unmanaged: [{ method: 'beginTransaction', bound: false, commit: 'commit', rollback: 'rollback' }],
    ends: { commit: ['commit'], rollback: ['rollback'] },
  },
};
