/** HTTP clients: fetch, axios, got, ky, ofetch, undici, superagent, Nest's HttpService. */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import { argumentsOf, o, propertyNameText, set, v, type ClientCallNode, type StepResult, type Val } from './model';

export const HTTP_VERBS = set(
  'get',
  'delete',
  'del',
  'head',
  'options',
  'post',
  'put',
  'patch',
  'request',
  'postForm',
  'putForm',
  'patchForm',
);

export const HTTP_LIBRARIES = set('fetch', 'node-fetch', 'axios', 'got', 'ky', 'ofetch', 'undici', 'superagent', 'nest-http');

function httpMethodOf(options: ts.Expression | undefined, fallback: string | undefined): string | undefined {
  if (!options) return fallback;
  const inner = skipParens(options);
  if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner)) return fallback; // a URL
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (ts.isSpreadAssignment(property)) return undefined;
    if (ts.isPropertyAssignment(property) && property.name && propertyNameText(property.name) === 'method') {
      const value = constantString(property.initializer);
      return value === undefined ? undefined : value.toUpperCase();
    }
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'method') return undefined;
  }
  return fallback;
}

/** Calling an HTTP function: `fetch(url)`, `axios(config)`, `got(url)`, `superagent('GET', url)`, undici's `request(url)`. */
export function httpInvoke(val: Val, call: ts.CallExpression, anchor: number): StepResult {
  switch (val.name) {
    case 'fetch':
    case 'ofetch':
      return o({
        lib: val.lib === 'fetch' ? 'fetch' : val.lib,
        kind: 'http',
        method: val.name,
        anchor,
        httpMethod: httpMethodOf(call.arguments[1], 'GET'),
      });
    case 'axios':
      return o({
        lib: 'axios',
        kind: 'http',
        method: 'axios',
        anchor,
        httpMethod: httpMethodOf(call.arguments.length > 1 ? call.arguments[1] : call.arguments[0], 'GET'),
      });
    case 'got':
    case 'ky':
      return o({ lib: val.name, kind: 'http', method: val.name, anchor, httpMethod: httpMethodOf(call.arguments[1], 'GET') });
    case 'superagent': {
      const verb = constantString(call.arguments[0]);
      return o({
        lib: 'superagent',
        kind: 'http',
        method: 'superagent',
        anchor,
        httpMethod: call.arguments.length > 1 && verb ? verb.toUpperCase() : 'GET',
      });
    }
    case 'request':
      return o({ lib: 'undici', kind: 'http', method: 'request', anchor, httpMethod: httpMethodOf(call.arguments[1], 'GET') });
    default:
      return undefined;
  }
}

function httpVerbOp(lib: string, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  let httpMethod: string | undefined;
  if (name === 'request') httpMethod = httpMethodOf(args?.[args.length > 1 ? 1 : 0], lib === 'axios' ? 'GET' : undefined);
  else if (name === 'del') httpMethod = 'DELETE';
  else if (name === 'axiosRef') httpMethod = undefined;
  else httpMethod = name.replace(/Form$/, '').toUpperCase();
  return o({ lib, kind: 'http', method: name, anchor, httpMethod });
}

/** A method of an HTTP client: `axios.get(u)`, `got.post(u)`, `this.http.get(u)`, `client.request({ method })`. */
export function httpCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  switch (val.lib) {
    case 'axios':
    case 'got':
    case 'ky':
    case 'ofetch':
    case 'superagent':
      if (name === 'create' || name === 'extend') return v({ lib: val.lib, role: 'fn', name: val.name });
      if (name === 'raw' && val.lib === 'ofetch')
        return o({ lib: 'ofetch', kind: 'http', method: name, anchor, httpMethod: httpMethodOf(args?.[1], 'GET') });
      if (HTTP_VERBS.has(name)) return httpVerbOp(val.lib, name, call, anchor);
      return undefined;
    case 'nest-http':
      if (HTTP_VERBS.has(name) || name === 'axiosRef') return httpVerbOp('nest-http', name, call, anchor);
      return undefined;
    case 'undici':
      if (val.role === 'client' && (name === 'request' || name === 'fetch')) {
        return o({ lib: 'undici', kind: 'http', method: name, anchor, httpMethod: httpMethodOf(args?.[0], undefined) });
      }
      return undefined;
    default:
      return undefined;
  }
}
