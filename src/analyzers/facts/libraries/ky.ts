/** ky: `ky(url)`, `ky.get(url)`, instances from `ky.create()` / `ky.extend()`. */
import { HTTP_VERBS, httpCallOp, httpVerbOp } from '../clients/http';
import { v, type Val } from '../clients/model';
import type { Library } from './library';

const kyFn: Val = { lib: 'ky', role: 'fn', name: 'ky' };

export const ky: Library = {
  id: 'ky',
  modules: ['ky', 'ky-universal'],
  client: {
    anchors: HTTP_VERBS,
    imported: ({ name, whole }) => (whole || name === 'ky' ? kyFn : undefined),
    invoke: (fn, call, anchor) => (fn.role === 'fn' ? httpCallOp('ky', 'ky', call.arguments[1], anchor) : undefined),
    call: (val, name, call, anchor) => {
      if (name === 'create' || name === 'extend') return v({ lib: 'ky', role: 'fn', name: val.name });
      return HTTP_VERBS.has(name) ? httpVerbOp('ky', name, call, anchor) : undefined;
    },
    typeReference: ({ right, fromLibrary }) => (fromLibrary && right === 'KyInstance' ? kyFn : undefined),
  },
};
