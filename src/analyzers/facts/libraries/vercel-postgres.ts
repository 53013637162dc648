/** @vercel/postgres: its `sql` tag (postgres.js-like), and `db`/`createPool()`/`createClient()` (node-postgres-like). */
import { v } from '../clients/model';
import type { Library } from './library';

export const vercelPostgres: Library = {
  id: 'vercel-postgres',
  modules: ['@vercel/postgres'],
  client: {
    imported: ({ name }) => {
      if (name === 'sql') return { lib: 'postgres', role: 'client' };
      if (name === 'db') return { lib: 'pg', role: 'client' };
      if (name === 'createPool' || name === 'createClient') return { lib: 'vercel-postgres', role: 'fn', name };
      return undefined;
    },
    invoke: (fn) => (fn.role === 'fn' ? v({ lib: 'pg', role: 'client' }) : undefined),
  },
};
