/** ofetch (and Nuxt's global `$fetch`): `ofetch(url)`, `ofetch.raw(url)`, `$fetch.create()`. */
import { HTTP_VERBS, httpCallOp, httpVerbOp } from '../clients/http';
import { argumentsOf, v, type Val } from '../clients/model';
import type { Library } from './library';

const ofetchFn: Val = { lib: 'ofetch', role: 'fn', name: 'ofetch' };

export const ofetch: Library = {
  id: 'ofetch',
  modules: ['ofetch'],
  client: {
    anchors: HTTP_VERBS,
    calledRoots: ['$fetch', 'ofetch'],
    globals: { $fetch: ofetchFn },
    imported: ({ name, whole }) => (name === 'ofetch' || name === '$fetch' || whole ? ofetchFn : undefined),
    invoke: (fn, call, anchor) => (fn.role === 'fn' ? httpCallOp('ofetch', 'ofetch', call.arguments[1], anchor) : undefined),
    call: (val, name, call, anchor) => {
      if (name === 'create' || name === 'extend') return v({ lib: 'ofetch', role: 'fn', name: val.name });
      if (name === 'raw') return httpCallOp('ofetch', name, argumentsOf(call)?.[1], anchor);
      return HTTP_VERBS.has(name) ? httpVerbOp('ofetch', name, call, anchor) : undefined;
    },
  },
};
