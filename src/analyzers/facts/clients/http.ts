/** What HTTP clients share: the verb methods (`get`, `post`…), and the HTTP method a call's options say. */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import { argumentsOf, o, propertyNameText, set, type ClientCallNode, type StepResult } from './model';

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

/** The `method` of a request's options (upper-case), `fallback` when the options do not say, undefined when they hide it. */
export function httpMethodOf(options: ts.Expression | undefined, fallback: string | undefined): string | undefined {
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

/**
 * A request through a verb method: `axios.get(u)`, `got.post(u)`, `client.request({ method })`;
 * `request` without a method is `requestDefault` (axios: GET), else unknown.
 */
export function httpVerbOp(lib: string, name: string, call: ClientCallNode, anchor: number, requestDefault?: string): StepResult {
  const args = argumentsOf(call);
  let httpMethod: string | undefined;
  if (name === 'request') httpMethod = httpMethodOf(args?.[args.length > 1 ? 1 : 0], requestDefault);
  else if (name === 'del') httpMethod = 'DELETE';
  else if (name === 'axiosRef') httpMethod = undefined;
  else httpMethod = name.replace(/Form$/, '').toUpperCase();
  return o({ lib, kind: 'http', method: name, anchor, httpMethod });
}

/** A request by calling the client with the URL and options: `fetch(url, { method })`, `got(url)`. */
export function httpCallOp(lib: string, method: string, options: ts.Expression | undefined, anchor: number): StepResult {
  return o({ lib, kind: 'http', method, anchor, httpMethod: httpMethodOf(options, 'GET') });
}
