/** pg-promise: raw SQL through `db.one/many/any/none(…)` (read by its text), `db.tx(…)` / `db.task(…)` callbacks. */
import { sqlBatched } from '../clients/sql';
import type { Library } from './library';

export const pgPromise: Library = {
  id: 'pg-promise',
  client: { rawSql: { modules: ['pg-promise'], driver: true } },
  batching: { describe: (op, k) => sqlBatched(op, k, 'postgres') },
  transactions: { handle: { methods: ['tx', 'task'] } },
};
