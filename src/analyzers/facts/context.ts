/**
 * "Where does this code run?" — inside an async function, inside a request handler (where a
 * blocking call stalls every other request), or in start-up / script code where it is fine.
 */
import { readRegularFile } from '../../io/regularFile';
import { ts } from '../ts';
import { isTestPath, projectPath } from './paths';
import { syntaxIndexOf } from './syntaxIndex';
import { iterationOfCallback } from './loops';
import { ImportTable } from './imports';
import {
  boundNames,
  calleeName,
  chainRoot,
  constantString,
  dottedName,
  enclosingFunction,
  endsInReturnOrThrow,
  hasModifier,
  isAsyncFunction,
  isFunctionLike,
  receiverOf,
  skipParens,
  type FunctionLike,
} from './ast';

const SK = ts.SyntaxKind;

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use', 'any', 'on']);
const HTTP_SERVER_FACTORIES = new Set(['createServer', 'createSecureServer']);
const NEST_ROUTE_DECORATORS = new Set([
  'Get',
  'Post',
  'Put',
  'Patch',
  'Delete',
  'All',
  'Options',
  'Head',
  'Sse',
  'Query',
  'Mutation',
  'ResolveField',
  'Subscription',
  'MessagePattern',
  'EventPattern',
]);
const NEST_HTTP_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Sse']);
const NEXT_ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** Parameter lists that mark a function as a request handler wherever it is written. */
const HANDLER_PARAMETER_SHAPES = [
  ['req', 'res'],
  ['request', 'response'],
  ['request', 'reply'],
  ['req', 'reply'],
  ['request', 'h'],
  ['ctx', 'next'],
];
/** Parameter types that only server-side request handling uses. */
const HANDLER_PARAMETER_TYPES = new Set([
  'FastifyRequest',
  'FastifyReply',
  'NextApiRequest',
  'NextApiResponse',
  'ServerResponse',
  'NextRequest',
]);
/** Variable annotations that declare a request handler: `export const list: RequestHandler = (…) => …`. */
const HANDLER_VARIABLE_TYPES = new Set(['RequestHandler', 'ErrorRequestHandler', 'NextApiHandler', 'RouteHandlerMethod', 'RouteHandler']);
/** Route-registration look-alikes that are not servers: jQuery's `$.get`, msw's mock handlers. */
const CLIENT_RECEIVERS = new Set(['$', 'jQuery']);

export type HandlerFramework = 'express-like' | 'http' | 'nest' | 'next' | 'fastify' | 'sveltekit' | 'remix' | 'astro';

export interface RequestHandler {
  fn: FunctionLike;
  framework: HandlerFramework;
  /** The HTTP method (or GraphQL/message kind for Nest) when the registration says it: `GET`, `ALL`. */
  method?: string;
  /** The route path when it is written as a literal: `/users/:id`. */
  path?: string;
  /** The function's own name when it has one: `getUser`, `UsersController.findOne`. */
  name?: string;
}

type Detected = Omit<RequestHandler, 'fn'>;

function parameterNames(fn: FunctionLike): string[] {
  return fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text.replace(/^_+/, '') : ''));
}

/** `(req, res)`, `(_req, res, next)`, `(err, req, res, next)`, `(request, reply)`, `(ctx, next)`. */
function looksLikeHandlerParameters(fn: FunctionLike): boolean {
  let names = parameterNames(fn);
  if (names.length >= 3 && (names[0] === 'err' || names[0] === 'error' || names[0] === 'e')) names = names.slice(1);
  return HANDLER_PARAMETER_SHAPES.some((shape) => shape.every((name, i) => names[i] === name));
}

function typeName(type: ts.TypeNode | undefined): string | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  return ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
}

/** `(request: FastifyRequest, reply: FastifyReply)`, `const h: RequestHandler = (…) => …`. */
function typedAsHandler(fn: FunctionLike): boolean {
  if (fn.parameters.some((p) => HANDLER_PARAMETER_TYPES.has(typeName(p.type) ?? ''))) return true;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === fn)
    return HANDLER_VARIABLE_TYPES.has(typeName(parent.type) ?? '');
  return false;
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

function routeMethod(method: string): string | undefined {
  if (method === 'use' || method === 'on') return undefined;
  if (method === 'del') return 'DELETE';
  return method.toUpperCase();
}

const importTables = new WeakMap<ts.SourceFile, ImportTable>();

function importsOf(node: ts.Node): ImportTable {
  const sourceFile = node.getSourceFile();
  let table = importTables.get(sourceFile);
  if (!table) {
    table = new ImportTable(sourceFile);
    importTables.set(sourceFile, table);
  }
  return table;
}

/** jQuery's `$.get('/x', cb)` and msw's `http.get('/x', resolver)` are clients and mocks, not servers. */
function isClientReceiver(receiver: ts.Expression): boolean {
  const root = chainRoot(receiver);
  if (!root || !ts.isIdentifier(root)) return false;
  if (CLIENT_RECEIVERS.has(root.text)) return true;
  const origin = importsOf(root).get(root.text);
  return !!origin && (origin.module === 'msw' || origin.module.startsWith('msw/'));
}

/**
 * `app.get('/x', fn)`, `router.post('/x', auth, fn)`, `app.route('/x').get(fn).post(fn2)`, `app.use(fn)` with a
 * handler's parameters, `http.createServer(fn)`, `server.on('request', fn)`. `argument` is the function (or the
 * wrapper call holding it, as in `router.get('/x', asyncHandler(fn))`).
 */
function registeredAsRoute(fn: FunctionLike, argument: ts.Node, call: ts.CallExpression): Detected | undefined {
  const method = calleeName(call);
  const receiver = receiverOf(call);
  if (!method) return undefined;
  if (HTTP_SERVER_FACTORIES.has(method)) {
    // http.createServer(fn), https.createServer(options, fn), or a bare imported createServer(fn).
    if (receiver || importsOf(call).get(method)) return { framework: 'http' };
    return undefined;
  }
  if (!receiver) return undefined;
  if (method === 'on' || method === 'addListener') {
    const event = constantString(call.arguments[0]);
    return event === 'request' ? { framework: 'http' } : undefined;
  }
  if (!ROUTE_METHODS.has(method)) return undefined;
  if (isClientReceiver(receiver)) return undefined;
  const index = call.arguments.indexOf(argument as ts.Expression);
  if (index < 0) return undefined;
  const verb = routeMethod(method);
  if (index > 0 && isRoutePath(call.arguments[0])) {
    return { framework: 'express-like', method: verb, path: constantString(call.arguments[0]) };
  }
  // app.route('/x').get(fn).post(fn2): walk down the chain to route('/x').
  let inner = skipParens(receiver);
  while (ts.isCallExpression(inner) && ROUTE_METHODS.has(calleeName(inner) ?? '') && receiverOf(inner))
    inner = skipParens(receiverOf(inner)!);
  if (ts.isCallExpression(inner) && calleeName(inner) === 'route' && isRoutePath(inner.arguments[0])) {
    return { framework: 'express-like', method: verb, path: constantString(inner.arguments[0]) };
  }
  if (looksLikeHandlerParameters(fn)) return { framework: 'express-like', method: verb };
  // Koa: app.use(async (ctx) => …) / app.use(async ctx => …)
  if (method === 'use' && parameterNames(fn)[0] === 'ctx') return { framework: 'express-like' };
  return undefined;
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? [];
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const expression = decorator.expression;
  if (ts.isCallExpression(expression)) return calleeName(expression);
  if (ts.isIdentifier(expression)) return expression.text;
  return undefined;
}

function decoratorPath(decorator: ts.Decorator): string | undefined {
  const expression = decorator.expression;
  if (!ts.isCallExpression(expression)) return '';
  const first = expression.arguments[0];
  if (!first) return '';
  const text = constantString(first);
  if (text !== undefined) return text;
  if (ts.isObjectLiteralExpression(first)) {
    for (const property of first.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'path')
        return constantString(property.initializer);
    }
    return '';
  }
  return undefined;
}

function joinPath(prefix: string, path: string): string {
  const parts = [prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p.length > 0);
  return `/${parts.join('/')}`;
}

/** Nest: a method decorated with `@Get()`, `@Post(':id')` … (GraphQL resolvers and message handlers too). */
function nestRoute(fn: FunctionLike): Detected | undefined {
  if (!ts.isMethodDeclaration(fn)) return undefined;
  for (const decorator of decoratorsOf(fn)) {
    const name = decoratorName(decorator);
    if (name === undefined || !NEST_ROUTE_DECORATORS.has(name)) continue;
    const cls = fn.parent;
    const className = cls && ts.isClassDeclaration(cls) ? cls.name?.text : undefined;
    const methodName = ts.isIdentifier(fn.name) ? fn.name.text : undefined;
    const detected: Detected = { framework: 'nest', name: className && methodName ? `${className}.${methodName}` : methodName };
    if (NEST_HTTP_DECORATORS.has(name)) {
      detected.method = name.toUpperCase();
      const controller = cls ? decoratorsOf(cls).find((d) => decoratorName(d) === 'Controller') : undefined;
      const prefix = controller ? decoratorPath(controller) : '';
      const own = decoratorPath(decorator);
      if (prefix !== undefined && own !== undefined) detected.path = joinPath(prefix, own);
    }
    return detected;
  }
  return undefined;
}

function isExported(node: ts.Node): boolean {
  return hasModifier(node, SK.ExportKeyword);
}

/** The exported name of a function (`export function GET`, `export const GET = …`) and whether it is the default export. */
function exportedName(fn: FunctionLike): { name?: string; isDefault: boolean } | undefined {
  if (ts.isFunctionDeclaration(fn)) {
    if (!isExported(fn)) return undefined;
    return { name: fn.name?.text, isDefault: hasModifier(fn, SK.DefaultKeyword) };
  }
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !fn.parent) return undefined;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && parent.initializer === fn) {
    const statement = parent.parent?.parent;
    if (statement && isExported(statement)) return { name: parent.name.text, isDefault: false };
    // const handler = (req, res) => …; export default handler;
    const sourceFile = fn.getSourceFile();
    const name = parent.name.text;
    const isDefault = sourceFile.statements.some(
      (s) =>
        ts.isExportAssignment(s) &&
        !s.isExportEquals &&
        ts.isIdentifier(skipParens(s.expression)) &&
        (skipParens(s.expression) as ts.Identifier).text === name,
    );
    return isDefault ? { name, isDefault } : undefined;
  }
  if (ts.isExportAssignment(parent)) return { isDefault: true };
  return undefined;
}

function normalizePath(fileName: string): string {
  return fileName.replace(/\\/g, '/');
}

/**
 * File-system routers: Next.js (`app/**\/route.ts` method exports, `pages/api/**` default export,
 * `getServerSideProps`), SvelteKit (`+server.ts` method exports, `load`/`actions` of `+page.server.ts`),
 * Remix (`loader`/`action` under `app/routes/`), Astro endpoints (`src/pages/**\/*.ts` method exports).
 */
function fileRoute(fn: FunctionLike, fileName: string): Detected | undefined {
  const normalized = projectPath(fileName);
  const isNextAppRoute = /(^|\/)app\/(.*\/)?route\.[cm]?[jt]sx?$/.test(normalized);
  const isPagesApi = /(^|\/)pages\/api\//.test(normalized);
  const isPages = /(^|\/)pages\//.test(normalized);
  const isSvelteServer = /(^|\/)\+server\.[jt]s$/.test(normalized);
  const isSveltePageServer = /(^|\/)\+(page|layout)\.server\.[jt]s$/.test(normalized);
  const isRemixRoute = /(^|\/)app\/routes\//.test(normalized);
  const isAstroEndpoint = /(^|\/)src\/pages\/.*\.[jt]s$/.test(normalized);
  if (!isNextAppRoute && !isPages && !isSvelteServer && !isSveltePageServer && !isRemixRoute) return undefined;
  const exported = exportedName(fn);
  if (!exported) return undefined;
  const { name, isDefault } = exported;
  if (isNextAppRoute && name && NEXT_ROUTE_EXPORTS.has(name)) return { framework: 'next', method: name };
  if (isPagesApi && isDefault) return { framework: 'next', name: name ?? 'default export' };
  if (isPages && !isPagesApi && (name === 'getServerSideProps' || name === 'getInitialProps')) return { framework: 'next', name };
  if (isSvelteServer && name && (NEXT_ROUTE_EXPORTS.has(name) || name === 'fallback')) return { framework: 'sveltekit', method: name };
  if (isSveltePageServer && name === 'load') return { framework: 'sveltekit', name };
  if (isRemixRoute && (name === 'loader' || name === 'action')) return { framework: 'remix', name };
  if (isAstroEndpoint && name && (NEXT_ROUTE_EXPORTS.has(name) || name === 'ALL')) return { framework: 'astro', method: name };
  return undefined;
}

/** Fastify's `fastify.route({ url, handler })`, Hapi's `server.route({ path, handler })`, `fastify.get('/x', { handler })`. */
function handlerOption(fn: FunctionLike): Detected | undefined {
  const parent = fn.parent;
  if (!parent) return undefined;
  let property: ts.PropertyAssignment | ts.MethodDeclaration | undefined;
  if (ts.isPropertyAssignment(parent) && parent.initializer === fn) property = parent;
  else if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(parent)) property = fn;
  if (!property || !ts.isIdentifier(property.name) || property.name.text !== 'handler') return undefined;
  const object = property.parent;
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  let method: string | undefined;
  let path: string | undefined;
  let routeLike = false;
  let hasUrl = false;
  for (const p of object.properties) {
    if (!p.name || !ts.isIdentifier(p.name)) continue;
    const key = p.name.text;
    if (key !== 'url' && key !== 'path' && key !== 'method') continue;
    routeLike = true;
    if (key === 'url') hasUrl = true;
    const value = ts.isPropertyAssignment(p) ? constantString(p.initializer) : undefined;
    if (key === 'method' && value) method = value.toUpperCase();
    else if (value) path = value;
  }
  // fastify.get('/x', { schema, handler })
  const call = object.parent;
  if (
    call &&
    ts.isCallExpression(call) &&
    receiverOf(call) &&
    ROUTE_METHODS.has(calleeName(call) ?? '') &&
    isRoutePath(call.arguments[0]) &&
    call.arguments.indexOf(object) > 0
  ) {
    return { framework: 'fastify', method: routeMethod(calleeName(call)!), path: constantString(call.arguments[0]) };
  }
  // Fastify names the path `url`; Hapi (and others) `path`.
  return routeLike ? { framework: hasUrl ? 'fastify' : 'express-like', method, path } : undefined;
}

/** The call a function is directly passed to (through parentheses), if any. */
function callTakingArgument(node: ts.Node): { call: ts.CallExpression; argument: ts.Node } | undefined {
  let argument: ts.Node = node;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (call && ts.isCallExpression(call) && call.arguments.includes(argument as ts.Expression)) return { call, argument };
  return undefined;
}

interface Registration extends Detected {
  /** The callee of the registering call, to tell handlers from look-alike callbacks. */
  via: string;
}

const registrationsByFile = new WeakMap<ts.SourceFile, Map<string, Registration>>();

/**
 * Names passed as handlers to route registrations in the file: `app.get('/x', auth, getUser)`,
 * `router.post('/x', users.create)`, `http.createServer(onRequest)`. Built once per file, on demand.
 */
function registrationsIn(sourceFile: ts.SourceFile): Map<string, Registration> {
  let found = registrationsByFile.get(sourceFile);
  if (found) return found;
  const registrations = new Map<string, Registration>();
  found = registrations;
  registrationsByFile.set(sourceFile, found);
  for (const node of syntaxIndexOf(sourceFile).calls) {
    if (node.arguments.length > 0) {
      const method = calleeName(node);
      const receiver = receiverOf(node);
      if (method && HTTP_SERVER_FACTORIES.has(method)) {
        for (const arg of node.arguments) {
          const name = referencedHandlerName(arg);
          if (name) registrations.set(name, { framework: 'http', via: method });
        }
      } else if (method && receiver && ROUTE_METHODS.has(method) && method !== 'on' && !isClientReceiver(receiver)) {
        let path: ts.Expression | undefined = isRoutePath(node.arguments[0]) ? node.arguments[0] : undefined;
        if (!path) {
          let inner = skipParens(receiver);
          while (ts.isCallExpression(inner) && ROUTE_METHODS.has(calleeName(inner) ?? '') && receiverOf(inner))
            inner = skipParens(receiverOf(inner)!);
          if (ts.isCallExpression(inner) && calleeName(inner) === 'route' && isRoutePath(inner.arguments[0])) path = inner.arguments[0];
        }
        // app.use(name) registers middleware too; a bare identifier there could be a router, which is not a function we see.
        if (path || method === 'use') {
          const last = node.arguments[node.arguments.length - 1];
          for (const arg of node.arguments) {
            if (arg === path) continue;
            const name = referencedHandlerName(arg);
            if (!name) continue;
            const isHandler = arg === last;
            registrations.set(name, {
              framework: 'express-like',
              via: method,
              method: isHandler ? routeMethod(method) : undefined,
              path: isHandler && path ? constantString(path) : undefined,
            });
          }
        }
      }
    }
  }
  return found;
}

/** `getUser`, `users.create`, `asyncHandler(getUser)` → the name of the function meant. */
function referencedHandlerName(argument: ts.Expression): string | undefined {
  const inner = skipParens(argument);
  if (ts.isIdentifier(inner)) return inner.text;
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text;
  if (ts.isCallExpression(inner) && inner.arguments.length === 1 && ts.isIdentifier(skipParens(inner.expression))) {
    return referencedHandlerName(inner.arguments[0]);
  }
  return undefined;
}

/** The name a function can be referred to by in its file: declaration, variable, property or method name. */
function ownName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === fn && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && parent.initializer === fn && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && parent.initializer === fn && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.right === fn && parent.operatorToken.kind === SK.EqualsToken) {
    // exports.getUser = (req, res) => …
    const left = skipParens(parent.left);
    if (ts.isPropertyAccessExpression(left)) return left.name.text;
  }
  return undefined;
}

function detect(fn: FunctionLike, fileName: string): Detected | undefined {
  const nest = nestRoute(fn);
  if (nest) return nest;
  const file = fileRoute(fn, fileName);
  if (file) return file;
  const option = handlerOption(fn);
  if (option) return option;
  const passed = callTakingArgument(fn);
  if (passed) {
    const direct = registeredAsRoute(fn, passed.argument, passed.call);
    if (direct) return direct;
    // router.get('/x', asyncHandler(async (req, res) => …)): the wrapper's result is the handler.
    const outer = callTakingArgument(passed.call);
    if (outer && passed.call.arguments.length === 1) {
      const wrapped = registeredAsRoute(fn, outer.argument, outer.call);
      if (wrapped) return wrapped;
    }
  }
  const name = ownName(fn);
  if (name) {
    const registration = registrationsIn(fn.getSourceFile()).get(name);
    // A name registered with app.use() is only believed when the function looks like middleware.
    if (registration && (registration.via !== 'use' || looksLikeHandlerParameters(fn) || parameterNames(fn)[0] === 'ctx')) {
      const { via: _via, ...detected } = registration;
      return { ...detected, name };
    }
  }
  // Anything else — a callback of another call (`functions.https.onRequest((req, res) => …)`), a
  // controller in its own file (`exports.list = async (req, res) => …`) — is a handler only when
  // its parameters say so: `cache.get('k', () => …)` and `emitter.on('data', …)` stay out.
  if (looksLikeHandlerParameters(fn) || typedAsHandler(fn)) return { framework: 'express-like', name };
  return undefined;
}

/** If `fn` handles requests, says which kind of framework registered it. */
export function requestHandlerKind(fn: FunctionLike, fileName: string): HandlerFramework | undefined {
  return detect(fn, fileName)?.framework;
}

/** The innermost request handler around `node` (nested callbacks inside a handler count as the handler). */
export function enclosingRequestHandler(node: ts.Node, fileName: string): RequestHandler | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const detected = detect(fn, fileName);
    if (detected) return { fn, ...detected };
  }
  return undefined;
}

const FRAMEWORK_NAMES: Record<HandlerFramework, string> = {
  'express-like': '',
  http: '',
  nest: 'Nest ',
  next: 'Next.js ',
  fastify: 'Fastify ',
  sveltekit: 'SvelteKit ',
  remix: 'Remix ',
  astro: 'Astro ',
};

/** How a message names the handler: `the GET /users/:id handler`, `the Nest handler UsersController.findOne (GET /users/:id)`. */
export function describeRequestHandler(handler: RequestHandler): string {
  const framework = FRAMEWORK_NAMES[handler.framework];
  const route = handler.method && handler.path ? `${handler.method} ${handler.path}` : handler.path ? handler.path : handler.method;
  if (handler.framework === 'http') return "the http server's request handler";
  if (handler.name === 'getServerSideProps' || handler.name === 'getInitialProps' || handler.name === 'loader' || handler.name === 'load') {
    return `${framework}${handler.name} (it runs on every request)`;
  }
  if (handler.framework === 'express-like' && !handler.method && handler.path) return `the middleware for ${handler.path}`;
  if (handler.name && route) return `the ${framework}handler ${handler.name} (${route})`;
  if (route) return `the ${framework}${route} handler`;
  if (handler.name) return `the ${framework}request handler ${handler.name}`;
  return `the ${framework}request handler`;
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
  const normalized = projectPath(fileName);
  if (isTestPath(normalized)) return true;
  if (/(^|\/)(bin|scripts?|tools?|build|\.husky|benchmarks?|migrations?|seeders?|seeds?)\//.test(normalized)) return true;
  // Build, install and release scripts by name: `build.js`, `install.js`, `postinstall.mjs`.
  if (/(^|\/)(build|install|postinstall|preinstall|prepare|release|publish)\.[cm]?[jt]s$/.test(normalized)) return true;
  if (/\.(config|conf)\.[cm]?[jt]sx?$/.test(normalized)) return true;
  if (
    /(^|\/)(gulpfile|gruntfile|jakefile|webpack|rollup|vite|vitest|jest|babel|eslint|prettier|tailwind|postcss|next\.config|nuxt\.config|svelte\.config|astro\.config)[^/]*\.[cm]?[jt]s$/i.test(
      normalized,
    )
  )
    return true;
  return false;
}

/**
 * Code that runs off the main event loop: a worker thread (`parentPort`/`workerData` from
 * `worker_threads`) or a web/worker file (`*.worker.ts`). Blocking there is what workers are for.
 */
export function isWorkerThreadFile(fileName: string, text: string): boolean {
  if (/\.worker\.[cm]?[jt]sx?$/.test(normalizePath(fileName))) return true;
  return text.includes('worker_threads') && /\b(parentPort|workerData)\b/.test(text);
}

const localNamesCache = new WeakMap<ts.Node, ReadonlySet<string>>();

/**
 * Every name a function declares for itself: parameters, variables, functions and classes in its
 * body (nested functions' own declarations included — they are per call too). A name not in this
 * set, seen inside the function, is shared with other calls (module state, a closure, a global).
 */
export function localNames(fn: FunctionLike): ReadonlySet<string> {
  const cached = localNamesCache.get(fn);
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) {
      for (const parameter of node.parameters) for (const name of boundNames(parameter.name)) names.add(name);
      if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name && node !== fn) names.add(node.name.text);
    } else if (ts.isVariableDeclaration(node)) {
      for (const name of boundNames(node.name)) names.add(name);
    } else if (ts.isClassDeclaration(node) && node.name) {
      names.add(node.name.text);
    } else if (ts.isCatchClause(node) && node.variableDeclaration) {
      for (const name of boundNames(node.variableDeclaration.name)) names.add(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  localNamesCache.set(fn, names);
  return names;
}

/**
 * True when `node` (inside `within`) only runs the first time: lazy initialisation of state that
 * outlives the call — `cache ??= read()`, `x = x ?? read()`, `if (!cache) { cache = read(); }`.
 */
export function isLazyInitialisation(node: ts.Node, within: FunctionLike): boolean {
  const locals = localNames(within);
  const isOuterTarget = (target: ts.Expression): boolean => {
    const root = chainRoot(target);
    if (!root) return false;
    return root.kind === SK.ThisKeyword || !locals.has((root as ts.Identifier).text);
  };
  for (let child: ts.Node = node, parent = node.parent; parent && child !== within; child = parent, parent = parent.parent) {
    if (ts.isBinaryExpression(parent) && parent.right === child) {
      const op = parent.operatorToken.kind;
      if ((op === SK.QuestionQuestionEqualsToken || op === SK.BarBarEqualsToken) && isOuterTarget(parent.left)) return true;
      if (op === SK.EqualsToken && isOuterTarget(parent.left)) {
        const right = skipParens(parent.right);
        const target = dottedName(parent.left);
        if (
          target !== undefined &&
          ts.isBinaryExpression(right) &&
          (right.operatorToken.kind === SK.QuestionQuestionToken || right.operatorToken.kind === SK.BarBarToken) &&
          dottedName(right.left) === target
        ) {
          return true;
        }
      }
    }
    if (ts.isIfStatement(parent) && parent.thenStatement === child) {
      const tested = unsetTest(parent.expression);
      if (tested && isOuterTarget(tested) && assigns(child, dottedName(tested))) return true;
    }
    if (ts.isBlock(parent) && ts.isStatement(child) && assignsOuterTargetGuardedEarlier(parent, child, isOuterTarget)) return true;
    if (ts.isConditionalExpression(parent) && parent.whenFalse === child) {
      // cache ? cache : (cache = read())
      const condition = skipParens(parent.condition);
      if (dottedName(condition) !== undefined && isOuterTarget(condition) && assigns(child, dottedName(condition))) return true;
    }
  }
  return false;
}

/** `if (cache) return cache;` earlier in the block, and `statement` assigns `cache`. */
function assignsOuterTargetGuardedEarlier(
  block: ts.Block,
  statement: ts.Statement,
  isOuterTarget: (target: ts.Expression) => boolean,
): boolean {
  const index = block.statements.indexOf(statement);
  for (let i = 0; i < index; i++) {
    const earlier = block.statements[i];
    if (!ts.isIfStatement(earlier) || earlier.elseStatement || !endsInReturnOrThrow(earlier.thenStatement)) continue;
    const tested = setTest(earlier.expression);
    if (tested && isOuterTarget(tested) && assigns(statement, dottedName(tested))) return true;
  }
  return false;
}

/** `x`, `x !== undefined`, `x != null` → `x`. */
function setTest(condition: ts.Expression): ts.Expression | undefined {
  const inner = skipParens(condition);
  if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) return inner;
  if (ts.isBinaryExpression(inner)) {
    const op = inner.operatorToken.kind;
    if (op !== SK.ExclamationEqualsEqualsToken && op !== SK.ExclamationEqualsToken) return undefined;
    const right = skipParens(inner.right);
    if (right.kind === SK.NullKeyword || (ts.isIdentifier(right) && right.text === 'undefined')) {
      const left = skipParens(inner.left);
      return dottedName(left) !== undefined && !ts.isCallExpression(left) ? left : undefined;
    }
  }
  return undefined;
}

/** `!x`, `x === undefined`, `x == null`, `typeof x === 'undefined'` → `x`. */
function unsetTest(condition: ts.Expression): ts.Expression | undefined {
  const inner = skipParens(condition);
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === SK.ExclamationToken) {
    const operand = skipParens(inner.operand);
    return dottedName(operand) !== undefined && !ts.isCallExpression(operand) ? operand : undefined;
  }
  if (ts.isBinaryExpression(inner)) {
    const op = inner.operatorToken.kind;
    if (op !== SK.EqualsEqualsEqualsToken && op !== SK.EqualsEqualsToken) return undefined;
    const sides = [skipParens(inner.left), skipParens(inner.right)];
    const emptyIndex = sides.findIndex(
      (s) => s.kind === SK.NullKeyword || (ts.isIdentifier(s) && s.text === 'undefined') || constantString(s) === 'undefined',
    );
    if (emptyIndex < 0) return undefined;
    let other = sides[1 - emptyIndex];
    if (ts.isTypeOfExpression(other)) other = skipParens(other.expression);
    return dottedName(other) !== undefined && !ts.isCallExpression(other) ? other : undefined;
  }
  return undefined;
}

/** True when `node` assigns to the access path `target` somewhere inside it. */
function assigns(node: ts.Node, target: string | undefined): boolean {
  if (target === undefined) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(current)) {
      const op = current.operatorToken.kind;
      if (op >= SK.FirstAssignment && op <= SK.LastAssignment && dottedName(current.left) === target) {
        found = true;
        return;
      }
    }
    if (isFunctionLike(current)) return;
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Events that fire over and over while a server runs: a listener for them runs on the hot path. */
const REPEATING_EVENTS =
  /^(data|message|request|connection|upgrade|line|job|task|readable|chunk|packet|frame|record|row|event|tick|batch|delivery|publish|query)$/;
const LISTENER_METHODS = new Set(['on', 'addListener', 'addEventListener', 'prependListener']);

export interface EventCallback {
  fn: FunctionLike;
  /** `the 'message' listener`, `the setInterval callback`. */
  description: string;
  /** The event name, or `interval`. */
  event: string;
}

/**
 * The listener of a repeating event (`socket.on('message', …)`, `stream.on('data', …)`,
 * `queue.on('job', …)`) or the `setInterval` callback that `node` runs in, looking through
 * synchronous iteration callbacks. Listeners of one-off events (`exit`, `SIGINT`, `listening`,
 * `close`) and file watchers (development tooling) are not hot paths and give undefined.
 */
export function enclosingEventCallback(node: ts.Node): EventCallback | undefined {
  let fn = enclosingFunction(node);
  while (fn && iterationOfCallback(fn)) fn = enclosingFunction(fn);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(argument as ts.Expression)) return undefined;
  const method = calleeName(call);
  if (method === 'setInterval' && call.arguments[0] === argument) return { fn, description: 'a setInterval callback', event: 'interval' };
  if (!method || !LISTENER_METHODS.has(method) || !receiverOf(call)) return undefined;
  const event = constantString(call.arguments[0]);
  if (event === undefined || !REPEATING_EVENTS.test(event) || call.arguments[1] !== argument) return undefined;
  return { fn, description: `the '${event}' listener`, event };
}

/** Web frameworks and servers: a package that depends on one is a server, even when it also ships a `bin` to start it. */
const SERVER_DEPENDENCIES =
  /^(express|koa|fastify|@nestjs\/core|@hapi\/hapi|hapi|next|nuxt|@sveltejs\/kit|h3|hono|restify|polka|@remix-run\/node|@remix-run\/server-runtime|graphql-yoga|@apollo\/server|apollo-server.*|@medusajs\/framework|@strapi\/strapi|@adonisjs\/core|feathers|@feathersjs\/feathers|sails|loopback|@loopback\/core|micro)$/;

const toolPackages = new Map<string, boolean>();

/**
 * True when `fileName` belongs to a command-line or build tool: the nearest package.json declares a `bin`
 * or depends on a bundler, and depends on no web framework (a server that ships a `bin` to start it is
 * still a server).
 * Test runners, linters, bundlers and project generators block on purpose or where nobody waits.
 * Read once per directory.
 */
export function isToolPackageFile(fileName: string): boolean {
  const visited: string[] = [];
  let directory = normalizePath(fileName).replace(/\/[^/]*$/, '');
  let answer: boolean | undefined;
  for (let guard = 0; guard < 40 && directory; guard++) {
    const known = toolPackages.get(directory);
    if (known !== undefined) {
      answer = known;
      break;
    }
    visited.push(directory);
    const manifest = readManifest(`${directory}/package.json`);
    if (manifest !== undefined) {
      answer = manifest !== null && isToolManifest(manifest);
      break;
    }
    const parent = directory.replace(/\/[^/]*$/, '');
    if (parent === directory) break;
    directory = parent;
  }
  for (const dir of visited) toolPackages.set(dir, answer ?? false);
  if (toolPackages.size > 20_000) toolPackages.clear();
  return answer ?? false;
}

/** The parsed manifest, null when it exists but cannot be read (or is no regular file, or over 1 MB), undefined when there is none. */
function readManifest(file: string): Record<string, unknown> | null | undefined {
  const read = readRegularFile(file, { maxBytes: MAX_MANIFEST_BYTES });
  if ('refused' in read) return read.refused.kind === 'missing' ? undefined : null;
  try {
    return JSON.parse(read.bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Bundlers and dev servers: a package built on one is build tooling. */
const BUILD_TOOL_DEPENDENCIES = /^(vite|webpack|rollup|esbuild|tsup|parcel|@vitejs\/.*|@rollup\/.*|webpack-dev-server|expo|react-native)$/;

function isToolManifest(manifest: Record<string, unknown>): boolean {
  // A CLI or a project generator by name: `@medusajs/cli`, `medusa-cli`, `create-next-app`.
  const name = typeof manifest.name === 'string' ? manifest.name : '';
  if (/(^|[/-])cli$|^(@[\w.-]+\/)?create-/.test(name) && manifest.bin) return true;
  const bin = manifest.bin;
  const hasBin = !!bin && !(typeof bin === 'object' && Object.keys(bin).length === 0);
  const dependencies = Object.keys({
    ...(manifest.dependencies as Record<string, string> | undefined),
    ...(manifest.peerDependencies as Record<string, string> | undefined),
  });
  if (dependencies.some((name) => SERVER_DEPENDENCIES.test(name))) return false;
  return hasBin || dependencies.some((name) => BUILD_TOOL_DEPENDENCIES.test(name));
}

/** Async functions that, by their name, run once while a program starts or a command runs: `main`, `bootstrap`, `adminLoader`. */
const START_UP_NAMES =
  /^(main|start|startServer|bootstrap|init|initialize|setup|configure|prepare|install|postinstall|build|generate|scaffold|\w+Loader|load(Config|Env|Environment|Plugins?|Settings)|run(Cli|Command|Migrations?))$/;

/** True when `fn` is named like start-up code (see START_UP_NAMES). */
export function isStartUpFunction(fn: FunctionLike): boolean {
  let name: string | undefined;
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && ts.isIdentifier(fn.name))
    name = fn.name.text;
  else if (fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
  else if (fn.parent && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
  return name !== undefined && START_UP_NAMES.test(name);
}

/** Modules only build tools and dev servers import: a file that imports one is tooling, not a server's hot path. */
const BUILD_TOOL_MODULES =
  /^(vite|webpack|webpack-dev-server|rollup|esbuild|@vitejs\/.*|@rollup\/.*|@expo\/config-plugins|expo\/config-plugins)$/;

/** True when the file imports a bundler or dev server (`import { ViteDevServer } from 'vite'`). */
export function importsBuildTool(imports: ImportTable): boolean {
  return imports.importsAny((module) => BUILD_TOOL_MODULES.test(module));
}

/** A line of code this long was not written by hand. */
const MINIFIED_LINE = 2_000;
/** …when the file's code also averages this much per line (a bundle, not one long line in a module). */
const MINIFIED_AVERAGE = 300;
/** How much of a file decides: a bundle is minified from its first line. */
const MINIFIED_SAMPLE = 65_536;

/**
 * Minified or bundled output (`assets/index-4f9a2c1b.js`): lines of thousands of characters of
 * code. Nobody edits it, and what a rule would say about it is said better about its sources.
 * Gives the length of its longest line, or undefined for code written by hand. Only code counts:
 * a data URI in a string, an inline SVG in a template, a generated Unicode regular expression or
 * a long comment make one long line in an ordinary file. Cheap for ordinary files: tokens are looked at only when a line is long.
 */
export function minifiedLineLength(text: string): number | undefined {
  const sample = text.length > MINIFIED_SAMPLE ? text.slice(0, MINIFIED_SAMPLE) : text;
  const { longest, lines } = lineLengths(sample);
  if (longest <= MINIFIED_LINE || sample.length / lines <= MINIFIED_AVERAGE) return undefined;
  const code = codeLengths(sample);
  if (code.longest <= MINIFIED_LINE || code.total / lines <= MINIFIED_AVERAGE) return undefined;
  return sample === text ? longest : lineLengths(text).longest;
}

function lineLengths(text: string): { longest: number; lines: number } {
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
    lines++;
  }
  return { longest: Math.max(longest, text.length - start), lines };
}

/** Tokens after which `/` divides; after anything else it starts a regular expression. */
const ENDS_OPERAND: ReadonlySet<ts.SyntaxKind> = new Set([
  SK.Identifier,
  SK.NumericLiteral,
  SK.BigIntLiteral,
  SK.StringLiteral,
  SK.NoSubstitutionTemplateLiteral,
  SK.TemplateTail,
  SK.RegularExpressionLiteral,
  SK.CloseParenToken,
  SK.CloseBracketToken,
  SK.CloseBraceToken,
  SK.ThisKeyword,
  SK.SuperKeyword,
  SK.TrueKeyword,
  SK.FalseKeyword,
  SK.NullKeyword,
  SK.PlusPlusToken,
  SK.MinusMinusToken,
]);

/** Characters of code — not of literals (strings, templates, regular expressions), comments or white space — on the longest line and in all. */
function codeLengths(text: string): { longest: number; total: number } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  /** The brace depth at each open `${`: its `}` goes back into the template. */
  const templates: number[] = [];
  let braces = 0;
  let previous = SK.Unknown;
  let line = 0;
  let longest = 0;
  let total = 0;
  for (let kind = scanner.scan(); kind !== SK.EndOfFileToken; kind = scanner.scan()) {
    if (kind === SK.NewLineTrivia) {
      line = 0;
      continue;
    }
    if (kind === SK.WhitespaceTrivia || kind === SK.ConflictMarkerTrivia || kind === SK.ShebangTrivia) continue;
    if (kind === SK.OpenBraceToken) braces++;
    else if (kind === SK.CloseBraceToken && templates.at(-1) === braces) {
      kind = scanner.reScanTemplateToken(false);
      if (kind === SK.TemplateTail) templates.pop();
    } else if (kind === SK.CloseBraceToken) braces--;
    else if (kind === SK.TemplateHead) templates.push(braces);
    else if ((kind === SK.SlashToken || kind === SK.SlashEqualsToken) && !ENDS_OPERAND.has(previous)) kind = scanner.reScanSlashToken();
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    const isText =
      kind === SK.StringLiteral ||
      kind === SK.RegularExpressionLiteral ||
      kind === SK.SingleLineCommentTrivia ||
      kind === SK.MultiLineCommentTrivia ||
      (kind >= SK.FirstTemplateToken && kind <= SK.LastTemplateToken);
    if (!isText) {
      line += end - start;
      total += end - start;
      longest = Math.max(longest, line);
    } else if (text.lastIndexOf('\n', end - 1) >= start) {
      line = 0;
    }
    if (kind !== SK.SingleLineCommentTrivia && kind !== SK.MultiLineCommentTrivia) previous = kind;
  }
  return { longest, total };
}
