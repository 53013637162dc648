/** undici: `request(url)`, `fetch(url)`, and `Client`/`Pool`/`Agent` instances. */
import { httpCallOp, httpMethodOf } from '../clients/http';
import { argumentsOf, o } from '../clients/model';
import type { Library } from './library';

export const undici: Library = {
  id: 'undici',
  modules: ['undici'],
  client: {
    imported: ({ name, module, whole }) => {
      if (name === 'request' || name === 'fetch') return { lib: 'undici', role: 'fn', name };
      if (name === 'Client' || name === 'Pool' || name === 'Agent') return { lib: 'undici', role: 'class', name };
      return whole ? { lib: 'undici', role: 'module', module } : undefined;
    },
    construct: (made) => (made.role === 'class' ? { lib: 'undici', role: 'client' } : undefined),
    invoke: (fn, call, anchor) => {
      if (fn.role !== 'fn') return undefined;
      if (fn.name === 'fetch') return httpCallOp('undici', 'fetch', call.arguments[1], anchor);
      return fn.name === 'request' ? httpCallOp('undici', 'request', call.arguments[1], anchor) : undefined;
    },
    call: (val, name, call, anchor) =>
      val.role === 'client' && (name === 'request' || name === 'fetch')
        ? o({ lib: 'undici', kind: 'http', method: name, anchor, httpMethod: httpMethodOf(argumentsOf(call)?.[0], undefined) })
        : undefined,
  },
};
