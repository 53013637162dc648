/** axios: `axios(config)`, `axios.get(url)`, instances from `axios.create()`. */
import { HTTP_VERBS, httpCallOp, httpVerbOp } from '../clients/http';
import { v, type Val } from '../clients/model';
import type { Library } from './library';

const axiosFn: Val = { lib: 'axios', role: 'fn', name: 'axios' };

export const axios: Library = {
  id: 'axios',
  modules: ['axios'],
  client: {
    anchors: HTTP_VERBS,
    imported: ({ name, whole }) => (whole || name === 'axios' ? axiosFn : undefined),
    // axios(url, config) or axios(config): the method is in the config.
    invoke: (fn, call, anchor) =>
      fn.role === 'fn'
        ? httpCallOp('axios', 'axios', call.arguments.length > 1 ? call.arguments[1] : call.arguments[0], anchor)
        : undefined,
    call: (val, name, call, anchor) => {
      if (name === 'create' || name === 'extend') return v({ lib: 'axios', role: 'fn', name: val.name });
      // axios.request(config) is a GET unless the config says otherwise.
      return HTTP_VERBS.has(name) ? httpVerbOp('axios', name, call, anchor, 'GET') : undefined;
    },
    typeReference: ({ right, fromLibrary }) =>
      fromLibrary && (right === 'AxiosInstance' || right === 'AxiosStatic') ? axiosFn : undefined,
  },
};
