/** fetch as a package: node-fetch, cross-fetch, isomorphic-fetch, isomorphic-unfetch, make-fetch-happen, unfetch. */
import { httpCallOp } from '../clients/http';
import type { Library } from './library';

export const nodeFetch: Library = {
  id: 'node-fetch',
  modules: ['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch', 'make-fetch-happen', 'unfetch'],
  client: {
    imported: ({ name, whole }) => (whole || name === 'fetch' ? { lib: 'node-fetch', role: 'fn', name: 'fetch' } : undefined),
    invoke: (fn, call, anchor) => (fn.role === 'fn' ? httpCallOp('node-fetch', 'fetch', call.arguments[1], anchor) : undefined),
  },
};
