/** got: `got(url)`, `got.post(url)`, instances from `got.extend()`. */
import { HTTP_VERBS, httpCallOp, httpVerbOp } from '../clients/http';
import { v, type Val } from '../clients/model';
import type { Library } from './library';

const gotFn: Val = { lib: 'got', role: 'fn', name: 'got' };

export const got: Library = {
  id: 'got',
  modules: ['got'],
  client: {
    anchors: HTTP_VERBS,
    imported: ({ name, whole }) => (whole || name === 'got' ? gotFn : undefined),
    invoke: (fn, call, anchor) => (fn.role === 'fn' ? httpCallOp('got', 'got', call.arguments[1], anchor) : undefined),
    call: (val, name, call, anchor) => {
      if (name === 'create' || name === 'extend') return v({ lib: 'got', role: 'fn', name: val.name });
      return HTTP_VERBS.has(name) ? httpVerbOp('got', name, call, anchor) : undefined;
    },
    typeReference: ({ right, fromLibrary }) => (fromLibrary && right === 'Got' ? gotFn : undefined),
  },
};
