/**
 * Request-handler detection: is this code inside a function that serves requests (where a
 * blocking call or a query per item stalls every other request), and how does a message name it?
 * Express-like routers, node:http, Nest, Next.js, SvelteKit, Remix, Astro, Fastify, Hapi and tRPC procedures.
 */
import { ts } from '../ts';
import { projectPath } from './paths';
import { syntaxIndexOf } from './syntaxIndex';
import { ImportTable } from './imports';
import { calleeName, chainRoot, constantString, enclosingFunction, hasModifier, receiverOf, skipParens, type FunctionLike } from './ast';

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
/** The resolver kinds of a tRPC procedure: `procedure.input(schema).query(async ({ input, ctx }) => …)`. */
const TRPC_RESOLVERS = new Set(['query', 'mutation', 'subscription']);
/** Steps of a tRPC procedure builder: `.input(schema)`, `.output(schema)`, `.use(middleware)`, `.meta({…})`. */
const TRPC_BUILDER_STEPS = new Set(['input', 'output', 'use', 'meta']);

export type HandlerFramework = 'express-like' | 'http' | 'nest' | 'next' | 'fastify' | 'sveltekit' | 'remix' | 'astro' | 'trpc' | 'ts-rest';

export interface RequestHandler {
  fn: FunctionLike;
  framework: HandlerFramework;
  /** The HTTP method (or GraphQL/message kind for Nest) when the registration says it: `GET`, `ALL`. */
  method?: string;
  /** The route path when it is written as a literal: `/users/:id`. */
  path?: string;
  /** The function's own name when it has one: `getUser`, `UsersController.findOne`. */
  name?: string;
  /**
   * Known by its parameters or types alone (`(req, res)`, `NextApiRequest`), no registration seen: the route it is
   * handed to elsewhere, when found, says more (its method, path and middleware).
   */
  byShape?: boolean;
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

/**
 * Fastify's `fastify.route({ url, handler })`, Hapi's `server.route({ path, handler })`, `fastify.get('/x', { handler })`;
 * `value` is the function written there or the name it is handed on by (`handler: listTags`, `{ handler }`).
 */
function handlerOption(value: ts.Node): Detected | undefined {
  const parent = value.parent;
  if (!parent) return undefined;
  let property: ts.PropertyAssignment | ts.MethodDeclaration | ts.ShorthandPropertyAssignment | undefined;
  if (ts.isPropertyAssignment(parent) && parent.initializer === value) property = parent;
  else if (ts.isShorthandPropertyAssignment(parent) && parent.name === value) property = parent;
  else if (ts.isMethodDeclaration(value) && ts.isObjectLiteralExpression(parent)) property = value;
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

/**
 * tRPC: the resolver handed to `.query(fn)`, `.mutation(fn)` or `.subscription(fn)` of a procedure builder — a
 * chain rooted at a `…procedure` (`t.procedure`, `protectedProcedure`) or holding builder steps
 * (`withPermission('x').input(schema).mutation(…)`). A client's `trpc.user.get.query({ id })` passes data, not a
 * function, and stays out. Named by the router key or the variable it is stored under.
 */
function trpcProcedure(value: ts.Node): Detected | undefined {
  const passed = callTakingArgument(value);
  if (!passed || passed.call.arguments.length !== 1) return undefined;
  const kind = calleeName(passed.call);
  const receiver = receiverOf(passed.call);
  if (!kind || !TRPC_RESOLVERS.has(kind) || !receiver) return undefined;
  let builder = false;
  let inner = skipParens(receiver);
  for (;;) {
    if (ts.isCallExpression(inner) && TRPC_BUILDER_STEPS.has(calleeName(inner) ?? '') && receiverOf(inner)) {
      builder = true;
      inner = skipParens(receiverOf(inner)!);
    } else break;
  }
  const rootName = ts.isIdentifier(inner) ? inner.text : ts.isPropertyAccessExpression(inner) ? inner.name.text : undefined;
  // The whole chain is a router's property (`delete: protectedProcedure…`) or a variable (`export const getUser = …`).
  let chain: ts.Node = passed.call;
  while (chain.parent && (ts.isParenthesizedExpression(chain.parent) || ts.isAsExpression(chain.parent))) chain = chain.parent;
  const holder = chain.parent;
  // `withPermission('x').query(…)` has neither a builder step nor a procedure's name, but sits in a router.
  const inRouter = !!holder && ts.isPropertyAssignment(holder) && !!routerTaking(holder.parent, TRPC_ROUTERS);
  if (!builder && !(rootName && /procedure$/i.test(rootName)) && !inRouter) return undefined;
  const name =
    holder && (ts.isPropertyAssignment(holder) || ts.isVariableDeclaration(holder)) && ts.isIdentifier(holder.name)
      ? holder.name.text
      : undefined;
  return { framework: 'trpc', method: kind, name };
}

/** Calls that make a tRPC router of an object of procedures: `router({…})`, `t.router({…})`, `createTRPCRouter({…})`. */
const TRPC_ROUTERS = /^(router|createTRPCRouter|createRouter)$/;

/** The `router(…)` call an object literal is passed to, when the callee's name matches. */
function routerTaking(object: ts.Node | undefined, names: RegExp): ts.CallExpression | undefined {
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  const call = object.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(object)) return undefined;
  return names.test(calleeName(call) ?? '') ? call : undefined;
}

/**
 * ts-rest: a handler of the object passed to `tsr.router(contract, { getUser: async (args) => … })` or `s.router(…)`
 * (directly or wrapped once, as `getUser: authenticated(async (args, user) => …)`), the router coming from `@ts-rest/*`.
 */
function tsRestHandler(handed: ts.Node): Detected | undefined {
  let value: ts.Node = handed;
  const wrapper = callTakingArgument(handed);
  if (wrapper && wrapper.call.arguments.length === 1) value = wrapper.call;
  while (value.parent && ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const property = value.parent;
  if (!property) return undefined;
  if (
    !(ts.isPropertyAssignment(property) && property.initializer === value) &&
    !(ts.isShorthandPropertyAssignment(property) && property.name === value)
  )
    return undefined;
  const call = routerTaking(property.parent, /^router$/);
  if (!call || call.arguments.indexOf(property.parent as ts.Expression) !== 1) return undefined;
  const root = chainRoot(call.expression);
  const origin = root && ts.isIdentifier(root) ? importsOf(root).get(root.text) : undefined;
  if (!origin?.module.startsWith('@ts-rest/')) return undefined;
  return { framework: 'ts-rest', name: ts.isIdentifier(property.name) ? property.name.text : undefined };
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

/**
 * What the registration `value` is written in makes of `fn`: `value` is `fn` itself written in place, or a name `fn` is
 * handed on by (`listTags` of `router.get('/tags', auth, listTags)`, `.query(getTags)`, `{ handler: listTags }`).
 */
function registration(value: ts.Node, fn: FunctionLike): Detected | undefined {
  const option = handlerOption(value);
  if (option) return option;
  const procedure = trpcProcedure(value) ?? tsRestHandler(value);
  if (procedure) return procedure;
  const passed = callTakingArgument(value);
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
  return undefined;
}

/**
 * The request handler `fn` is when it is handed by name to a route or procedure registration, possibly in another file:
 * `reference` is the name written there (modules.ts `referencesOf`). Named after the route or procedure, else after `fn`.
 */
export function registeredHandler(fn: FunctionLike, reference: ts.Node): RequestHandler | undefined {
  const detected = registration(reference, fn);
  return detected ? { fn, ...detected, name: detected.name ?? ownName(fn) } : undefined;
}

function detect(fn: FunctionLike, fileName: string): Detected | undefined {
  const nest = nestRoute(fn);
  if (nest) return nest;
  const file = fileRoute(fn, fileName);
  if (file) return file;
  const registered = registration(fn, fn);
  if (registered) return registered;
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
  if (looksLikeHandlerParameters(fn) || typedAsHandler(fn)) return { framework: 'express-like', name, byShape: true };
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
  trpc: 'tRPC ',
  'ts-rest': 'ts-rest ',
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
  if (handler.framework === 'trpc') return `the tRPC ${handler.method ?? 'procedure'}${handler.name ? ` ${handler.name}` : ''}`;
  if (handler.name && route) return `the ${framework}handler ${handler.name} (${route})`;
  if (route) return `the ${framework}${route} handler`;
  if (handler.name) return `the ${framework}request handler ${handler.name}`;
  return `the ${framework}request handler`;
}
