/** Supabase: `supabase.from('users').select().eq(…)` builders and `rpc`. */
import { constantString } from '../ast';
import { argumentsOf, o, v, type Val } from '../clients/model';
import type { Library } from './library';

const client: Val = { lib: 'supabase', role: 'client' };

export const supabase: Library = {
  id: 'supabase',
  limits: { steps: ['limit'], oneRow: ['single', 'maybeSingle'], filters: { steps: ['eq', 'match'] } },
  modules: ['@supabase/supabase-js'],
  client: {
    anchors: ['from', 'rpc'],
    imported: ({ name }) => (name === 'createClient' ? { lib: 'supabase', role: 'fn', name: 'createClient' } : undefined),
    hints: { name: /^supabase/i, module: /supabase/i },
    invoke: (fn) => (fn.role === 'fn' && fn.name === 'createClient' ? v(client) : undefined),
    call: (val, name, node, anchor) => {
      if (val.role !== 'client') return undefined;
      const args = argumentsOf(node);
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
    },
    typeReference: ({ right, fromLibrary }) => (fromLibrary && right === 'SupabaseClient' ? client : undefined),
    finish: (op, rest) => {
      if (rest.some((name) => name === 'insert' || name === 'update' || name === 'upsert' || name === 'delete')) op.kind = 'write';
      return op;
    },
  },
  batching: {
    text: /\.in\s*\(/,
    lists: { calls: [{ name: 'in', argument: 1 }] },
    describe: (op, k, ks) => (op.kind === 'query' ? `.in('${k}', ${ks})` : 'insert([...rows]) / upsert([...rows])'),
  },
};
