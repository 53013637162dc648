/** postgres.js: the `sql` tag (`sql\`SELECT …\``), `sql.unsafe(text)`, `sql.begin(async (sql) => …)`. */
import { v } from '../clients/model';
import { rawOp, sqlBatched, sqlOfCall, sqlOfTemplate } from '../clients/sql';
import type { Library } from './library';

export const postgres: Library = {
  id: 'postgres',
  modules: ['postgres'],
  client: {
    calledRoots: ['sql'],
    imported: ({ whole }) => (whole ? { lib: 'postgres', role: 'fn', name: 'postgres' } : undefined),
    invoke: (fn) => (fn.role === 'fn' && fn.name === 'postgres' ? v({ lib: 'postgres', role: 'client' }) : undefined),
    tag: (val, node, anchor) => (val.role === 'client' ? rawOp('postgres', 'sql', anchor, sqlOfTemplate(node.template), val) : undefined),
    call: (val, name, node, anchor) =>
      val.role === 'client' && name === 'unsafe' ? rawOp('postgres', name, anchor, sqlOfCall(node), val) : undefined,
  },
  batching: { describe: (op, k) => sqlBatched(op, k, 'postgres') },
  transactions: { handle: { methods: ['begin'], value: (name) => ({ lib: 'postgres', role: 'client', tx: name }) } },
};
