/** superagent: `superagent.get(url)`, `superagent('GET', url)`. */
import { constantString } from '../ast';
import { HTTP_VERBS, httpVerbOp } from '../clients/http';
import { o, v } from '../clients/model';
import type { Library } from './library';

export const superagent: Library = {
  id: 'superagent',
  modules: ['superagent'],
  client: {
    anchors: HTTP_VERBS,
    imported: ({ whole }) => (whole ? { lib: 'superagent', role: 'fn', name: 'superagent' } : undefined),
    invoke: (fn, call, anchor) => {
      if (fn.role !== 'fn') return undefined;
      const verb = constantString(call.arguments[0]);
      return o({
        lib: 'superagent',
        kind: 'http',
        method: 'superagent',
        anchor,
        httpMethod: call.arguments.length > 1 && verb ? verb.toUpperCase() : 'GET',
      });
    },
    call: (val, name, call, anchor) => {
      if (name === 'create' || name === 'extend') return v({ lib: 'superagent', role: 'fn', name: val.name });
      return HTTP_VERBS.has(name) ? httpVerbOp('superagent', name, call, anchor) : undefined;
    },
  },
};
