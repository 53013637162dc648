/** node-postgres: `Pool` and `Client`, raw SQL through `query`, one connection after `connect()`. */
import { poolCall, sqlBatched } from '../clients/sql';
import type { Library } from './library';

export const pg: Library = {
  id: 'pg',
  modules: ['pg', 'pg-pool'],
  client: {
    imported: ({ name, module, whole }) => {
      if (name === 'Pool') return { lib: 'pg', role: 'class', name: 'Pool' };
      if (name === 'Client') return { lib: 'pg', role: 'class', name: 'Client' };
      return whole ? { lib: 'pg', role: 'module', module } : undefined;
    },
    // A `Client` is one connection: its queries queue one after another.
    construct: (made) =>
      made.role !== 'class'
        ? undefined
        : made.name === 'Client'
          ? { lib: 'pg', role: 'client', single: true }
          : { lib: 'pg', role: 'client' },
    call: poolCall,
    typeReference: ({ right, fromLibrary }) => {
      if (!fromLibrary) return undefined;
      if (right === 'Pool') return { lib: 'pg', role: 'client' };
      if (right === 'PoolClient' || right === 'Client') return { lib: 'pg', role: 'client', single: true };
      return undefined;
    },
    byType: {
      modules: ['pg'],
      path: /\/node_modules\/@types\/pg\/|\/node_modules\/pg\//,
      methods: new Set(['query']),
      value: (name) => (/^(Pool|PoolClient|Client)$/.test(name) ? { lib: 'pg', role: 'client', single: name !== 'Pool' } : undefined),
    },
    rawSql: { modules: ['pg', 'pg-pool'], driver: true },
  },
  batching: { describe: (op, k) => sqlBatched(op, k, 'postgres') },
  // A pooled client goes back to the pool with `release()`, ending what it held.
  transactions: { ends: { release: ['release'] } },
};
