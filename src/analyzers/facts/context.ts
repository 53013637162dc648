/**
 * "Where does this code run?" — inside an async function, inside a request handler (where a
 * blocking call stalls every other request), or in start-up / script code where it is fine.
 */
import { ts } from 'ts-morph';
import { iterationOfCallback } from './loops';
import { calleeName, constantString, enclosingFunction, hasModifier, isAsyncFunction, isFunctionLike, receiverOf, skipParens, type FunctionLike } from './ast';

const SK = ts.SyntaxKind;

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use', 'any', 'on']);
const HTTP_SERVER_FACTORIES = new Set(['createServer', 'createSecureServer']);
const NEST_ROUTE_DECORATORS = new Set([
  'Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Sse',
  'Query', 'Mutation', 'ResolveField', 'Subscription',
  'MessagePattern', 'EventPattern',
]);
const NEXT_ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Parameter lists that mark a function as a request handler even when the registration is not recognised. */
const HANDLER_PARAMETER_SHAPES = [
  ['req', 'res'],
  ['request', 'response'],
  ['request', 'reply'],
  ['req', 'reply'],
  ['ctx', 'next'],
];

export type HandlerFramework = 'express-like' | 'http' | 'nest' | 'next' | 'fastify';

export interface RequestHandler {
  fn: FunctionLike;
  framework: HandlerFramework;
}

function parameterNames(fn: FunctionLike): string[] {
  return fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
}

function looksLikeHandlerParameters(fn: FunctionLike): boolean {
  const names = parameterNames(fn);
  return HANDLER_PARAMETER_SHAPES.some((shape) => shape.every((name, i) => names[i] === name));
}

function isRoutePath(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  const inner = skipParens(node);
  const text = constantString(inner);
  if (text !== undefined) return text.startsWith('/') || text === '*';
  if (ts.isTemplateExpression(inner)) return inner.head.text.startsWith('/');
  if (ts.isRegularExpressionLiteral(inner)) return true;
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.length > 0 && inner.elements.every((e) => isRoutePath(e));
  return false;
}

/** `app.get('/x', fn)`, `router.post('/x', auth, fn)`, `app.route('/x').get(fn)`, `app.use(fn)` with (req,res)/(ctx,next) shape. */
function registeredAsRoute(fn: FunctionLike, argument: ts.Node, call: ts.CallExpression): HandlerFramework | undefined {
  const method = calleeName(call);
  const receiver = receiverOf(call);
  if (!method || !receiver) {
    return undefined;
  }
  if (HTTP_SERVER_FACTORIES.has(method)) return 'http';
  if (method === 'on' || method === 'addListener') {
    const event = constantString(call.arguments[0]);
    return event === 'request' ? 'http' : undefined;
  }
  if (method === 'route') {
    // Fastify: fastify.route({ method, url, handler })
    return undefined;
  }
  if (!ROUTE_METHODS.has(method)) return undefined;
  const index = call.arguments.indexOf(argument as ts.Expression);
  if (index < 0) return undefined;
  if (index > 0 && isRoutePath(call.arguments[0])) return 'express-like';
  const inner = skipParens(receiver);
  if (ts.isCallExpression(inner) && calleeName(inner) === 'route' && isRoutePath(inner.arguments[0])) return 'express-like';
  if (looksLikeHandlerParameters(fn)) return 'express-like';
  return undefined;
}

function nestRoute(fn: FunctionLike): boolean {
  if (!ts.isMethodDeclaration(fn)) return false;
  const decorators = ts.canHaveDecorators(fn) ? ts.getDecorators(fn) : undefined;
  return !!decorators?.some((decorator) => {
    const expression = decorator.expression;
    const name = ts.isCallExpression(expression) ? calleeName(expression) : ts.isIdentifier(expression) ? expression.text : undefined;
    return name !== undefined && NEST_ROUTE_DECORATORS.has(name);
  });
}

function isExported(node: ts.Node): boolean {
  return hasModifier(node, SK.ExportKeyword);
}

/** Next.js: `export async function GET()` in `app/**\/route.ts`, the default export of `pages/api/**`. */
function nextRoute(fn: FunctionLike, fileName: string): boolean {
  const normalized = fileName.replace(/\\/g, '/');
  const isAppRoute = /(^|\/)app\/(.*\/)?route\.(t|j)sx?$/.test(normalized) || /(^|\/)app\/(.*\/)?route\.m?(t|j)s$/.test(normalized);
  const isPagesApi = /(^|\/)pages\/api\//.test(normalized);
  if (!isAppRoute && !isPagesApi) return false;
  let name: string | undefined;
  let exported = false;
  let isDefault = false;
  if (ts.isFunctionDeclaration(fn)) {
    name = fn.name?.text;
    exported = isExported(fn);
    isDefault = hasModifier(fn, SK.DefaultKeyword);
  } else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parent) {
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
      name = parent.name.text;
      const statement = parent.parent?.parent;
      exported = !!statement && isExported(statement);
    } else if (ts.isExportAssignment(parent)) {
      exported = true;
      isDefault = true;
    }
  }
  if (isAppRoute) return exported && name !== undefined && NEXT_ROUTE_EXPORTS.has(name);
  return exported && isDefault;
}

/** Fastify's `fastify.route({ url, handler })` and `{ handler }` options objects. */
function fastifyRouteOption(fn: FunctionLike): boolean {
  const parent = fn.parent;
  if (!parent) return false;
  let property: ts.Node | undefined;
  if (ts.isPropertyAssignment(parent) && parent.initializer === fn) property = parent;
  else if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(parent)) property = fn;
  if (!property) return false;
  const name = (property as ts.PropertyAssignment | ts.MethodDeclaration).name;
  if (!ts.isIdentifier(name) || name.text !== 'handler') return false;
  const object = property.parent;
  return !!object && ts.isObjectLiteralExpression(object) && object.properties.some((p) => p.name && ts.isIdentifier(p.name) && (p.name.text === 'url' || p.name.text === 'path' || p.name.text === 'method'));
}

/** If `fn` handles requests, says which kind of framework registered it. */
export function requestHandlerKind(fn: FunctionLike, fileName: string): HandlerFramework | undefined {
  if (nestRoute(fn)) return 'nest';
  if (nextRoute(fn, fileName)) return 'next';
  if (fastifyRouteOption(fn)) return 'fastify';
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (call && ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression)) {
    return registeredAsRoute(fn, argument, call);
  }
  return undefined;
}

/** The innermost request handler around `node` (nested callbacks inside a handler count as the handler). */
export function enclosingRequestHandler(node: ts.Node, fileName: string): RequestHandler | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const framework = requestHandlerKind(fn, fileName);
    if (framework) return { fn, framework };
  }
  return undefined;
}

/**
 * The function whose run `node` is part of, if it is `async` (code in it shares the event loop
 * with other work). Synchronous iteration callbacks (`items.map(cb)`) run inside their caller,
 * so they are looked through.
 */
export function enclosingAsyncFunction(node: ts.Node): FunctionLike | undefined {
  let fn = enclosingFunction(node);
  while (fn && !isAsyncFunction(fn) && iterationOfCallback(fn)) fn = enclosingFunction(fn);
  return fn && isAsyncFunction(fn) ? fn : undefined;
}

/** True when `node` runs at module load: not inside any function. */
export function isModuleTopLevel(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return false;
    if (ts.isClassStaticBlockDeclaration(current)) return true;
  }
  return true;
}

/**
 * Files where blocking calls are expected: command-line entry points, build and config scripts,
 * tests. `text` is the file's text (for the shebang).
 */
export function isScriptOrToolingFile(fileName: string, text: string): boolean {
  if (text.startsWith('#!')) return true;
  const normalized = fileName.replace(/\\/g, '/');
  if (/(^|\/)(bin|scripts?|tools?|build|\.husky|fixtures?|__tests__|__mocks__|test|tests|e2e|cypress|benchmarks?)\//.test(normalized)) return true;
  if (/\.(test|spec|e2e|bench|config|conf)\.[cm]?[jt]sx?$/.test(normalized)) return true;
  if (/(^|\/)(gulpfile|gruntfile|jakefile|webpack|rollup|vite|vitest|jest|babel|eslint|prettier|tailwind|postcss|next\.config|nuxt\.config|svelte\.config|astro\.config)[^/]*\.[cm]?[jt]s$/i.test(normalized)) return true;
  return false;
}
