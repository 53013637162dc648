/** The global `fetch` (also `window.fetch`, `globalThis.fetch`). */
import { httpCallOp } from '../clients/http';
import type { Val } from '../clients/model';
import type { Library } from './library';

const fetchFn: Val = { lib: 'fetch', role: 'fn', name: 'fetch' };
const global: Val = { lib: 'fetch', role: 'global' };

export const fetch: Library = {
  id: 'fetch',
  client: {
    anchors: ['fetch'],
    calledRoots: ['fetch'],
    globals: { fetch: fetchFn, window: global, globalThis: global, self: global },
    invoke: (fn, call, anchor) => (fn.role === 'fn' ? httpCallOp('fetch', 'fetch', call.arguments[1], anchor) : undefined),
    member: (val, name) => (val.role === 'global' && name === 'fetch' ? fetchFn : undefined),
  },
};
