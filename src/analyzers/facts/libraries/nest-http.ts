/** Nest's `HttpService` (@nestjs/axios): `this.http.get(url)`, `this.http.axiosRef`. */
import { HTTP_VERBS, httpVerbOp } from '../clients/http';
import type { Library } from './library';

export const nestHttp: Library = {
  id: 'nest-http',
  modules: ['@nestjs/axios'],
  client: {
    anchors: [...HTTP_VERBS, 'axiosRef'],
    call: (_val, name, call, anchor) =>
      HTTP_VERBS.has(name) || name === 'axiosRef' ? httpVerbOp('nest-http', name, call, anchor) : undefined,
    typeReference: ({ right, fromLibrary }) => (fromLibrary && right === 'HttpService' ? { lib: 'nest-http', role: 'client' } : undefined),
  },
};
