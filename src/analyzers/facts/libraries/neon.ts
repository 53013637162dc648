/** Neon's serverless driver: `neon(url)` makes a postgres.js-like `sql` tag. */
import type { Library } from './library';

export const neon: Library = {
  id: 'neon',
  modules: ['@neondatabase/serverless'],
  client: { imported: ({ name }) => (name === 'neon' ? { lib: 'postgres', role: 'fn', name: 'postgres' } : undefined) },
};
