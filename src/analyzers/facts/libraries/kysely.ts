/** Kysely: `db.transaction().execute(async (trx) => …)` runs the callback in a transaction. */
import type { Library } from './library';

export const kysely: Library = {
  id: 'kysely',
  limits: { steps: ['limit'], oneRow: ['executeTakeFirst', 'executeTakeFirstOrThrow'], filters: { steps: ['where'] } },
  transactions: { chained: { method: 'execute', after: 'transaction' } },
};
