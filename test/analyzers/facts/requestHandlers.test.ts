import { describe, expect, it } from 'vitest';
import { hereCall, parseExample } from '../../helpers/here';
import { describeRequestHandler, enclosingRequestHandler, type RequestHandler } from '../../../src/analyzers/facts/requestHandlers';

/** The request handler around the `here()` call in `code`. */
function handlerAt(code: string, fileName = '/project/src/server.ts'): RequestHandler | undefined {
  const marker = hereCall(parseExample(code, fileName));
  return enclosingRequestHandler(marker, fileName);
}

function described(code: string, fileName?: string): string | undefined {
  const handler = handlerAt(code, fileName);
  return handler && `${handler.framework}: ${describeRequestHandler(handler)}`;
}

describe('enclosingRequestHandler: Express', () => {
  it('app.get(path, fn)', () => {
    expect(described(`app.get('/users/:id', (req, res) => { here(); });`)).toBe('express-like: the GET /users/:id handler');
  });

  it('router.post with middleware before the handler', () => {
    expect(described(`router.post('/orders', auth, validate(schema), async function create(request, response) { here(); });`)).toBe(
      'express-like: the POST /orders handler',
    );
  });

  it('app.route(path).get(fn).post(fn)', () => {
    expect(described(`app.route('/books').get((req, res) => {}).post((req, res) => { here(); });`)).toBe(
      'express-like: the POST /books handler',
    );
  });

  it('a handler wrapped in asyncHandler(…)', () => {
    expect(described(`router.get('/x', asyncHandler(async (req, res) => { here(); }));`)).toBe('express-like: the GET /x handler');
  });

  it('a named function registered elsewhere in the file', () => {
    const code = `
function getUser(req, res) { here(); }
const router = express.Router();
router.get('/users/:id', requireLogin, getUser);`;
    expect(described(code)).toBe('express-like: the handler getUser (GET /users/:id)');
  });

  it('a controller method referenced as controller.method', () => {
    const code = `
const users = { list(req, res) { here(); } };
router.get('/users', users.list);`;
    expect(described(code)).toBe('express-like: the handler list (GET /users)');
  });

  it('error middleware (err, req, res, next) and _req names', () => {
    expect(handlerAt(`app.use((err, req, res, next) => { here(); });`)?.framework).toBe('express-like');
    expect(handlerAt(`app.use((_req, res, next) => { here(); });`)?.framework).toBe('express-like');
  });

  it('a controller in its own file: exports.x = (req, res) => …', () => {
    expect(described(`exports.list = async (req, res) => { here(); };`)).toBe('express-like: the request handler list');
  });

  it('a typed handler: const h: RequestHandler = …', () => {
    expect(handlerAt(`export const h: RequestHandler = async (a, b) => { here(); };`)?.framework).toBe('express-like');
  });

  it('nested callbacks inside a handler count as the handler', () => {
    const code = `app.get('/files', (req, res) => { names.forEach((n) => { setImmediate(() => here()); }); });`;
    expect(described(code)).toBe('express-like: the GET /files handler');
  });
});

describe('enclosingRequestHandler: Koa', () => {
  it('router.get(path, async (ctx) => …)', () => {
    expect(described(`router.get('/health', async (ctx) => { here(); });`)).toBe('express-like: the GET /health handler');
  });

  it('app.use(async (ctx, next) => …)', () => {
    expect(handlerAt(`app.use(async (ctx, next) => { here(); await next(); });`)?.framework).toBe('express-like');
  });

  it('middleware for a path', () => {
    expect(described(`app.use('/api', (req, res, next) => { here(); });`)).toBe('express-like: the middleware for /api');
  });

  it('app.use(async ctx => …)', () => {
    expect(handlerAt(`app.use(async ctx => { here(); });`)?.framework).toBe('express-like');
  });
});

describe('enclosingRequestHandler: Fastify and Hapi', () => {
  it('fastify.get(path, async (request, reply) => …)', () => {
    expect(described(`fastify.get('/items', async (request, reply) => { here(); });`)).toBe('express-like: the GET /items handler');
  });

  it('fastify.route({ method, url, handler })', () => {
    expect(described(`fastify.route({ method: 'POST', url: '/items', handler: async (request, reply) => { here(); } });`)).toBe(
      'fastify: the Fastify POST /items handler',
    );
  });

  it('fastify.get(path, { schema, handler })', () => {
    expect(described(`fastify.get('/items', { schema, handler(request, reply) { here(); } });`)).toBe(
      'fastify: the Fastify GET /items handler',
    );
  });

  it('a typed function: (request: FastifyRequest, reply: FastifyReply)', () => {
    expect(handlerAt(`export async function list(q: FastifyRequest, r: FastifyReply) { here(); }`)?.framework).toBe('express-like');
  });

  it('hapi server.route({ path, handler })', () => {
    expect(described(`server.route({ method: 'GET', path: '/', handler: (request, h) => { here(); } });`)).toBe(
      'express-like: the GET / handler',
    );
  });
});

describe('enclosingRequestHandler: Nest', () => {
  it('@Controller class with @Get() methods', () => {
    const code = `
@Controller('users')
export class UsersController {
  @Get(':id')
  findOne(@Param('id') id: string) { here(); }
}`;
    expect(described(code)).toBe('nest: the Nest handler UsersController.findOne (GET /users/:id)');
  });

  it('@Post() without a path', () => {
    const code = `
@Controller({ path: 'orders' })
export class OrdersController {
  @Post()
  async create(@Body() dto: CreateOrderDto) { here(); }
}`;
    expect(described(code)).toBe('nest: the Nest handler OrdersController.create (POST /orders)');
  });

  it('a plain service method is not a handler', () => {
    expect(handlerAt(`@Injectable() export class UsersService { find(id: string) { here(); } }`)).toBeUndefined();
  });
});

describe('enclosingRequestHandler: Next.js, SvelteKit, Remix', () => {
  it('app/**/route.ts exported GET and POST', () => {
    expect(described(`export async function GET(request: Request) { here(); }`, '/p/src/app/api/users/route.ts')).toBe(
      'next: the Next.js GET handler',
    );
    expect(described(`export const POST = async (request: Request) => { here(); };`, '/p/app/route.ts')).toBe(
      'next: the Next.js POST handler',
    );
  });

  it('a helper in a route file is not a handler', () => {
    expect(handlerAt(`function load() { here(); }\nexport async function GET() { return load(); }`, '/p/app/api/route.ts')).toBeUndefined();
  });

  it('pages/api default export', () => {
    expect(handlerAt(`export default async function handler(a, b) { here(); }`, '/p/pages/api/users.ts')?.framework).toBe('next');
    expect(handlerAt(`export default async (a, b) => { here(); };`, '/p/src/pages/api/users.ts')?.framework).toBe('next');
    expect(handlerAt(`const handler = async (a, b) => { here(); };\nexport default handler;`, '/p/pages/api/x.ts')?.framework).toBe('next');
  });

  it('getServerSideProps runs on every request', () => {
    expect(described(`export async function getServerSideProps() { here(); }`, '/p/pages/index.tsx')).toBe(
      'next: Next.js getServerSideProps (it runs on every request)',
    );
  });

  it('SvelteKit +server.ts and Remix loaders', () => {
    expect(handlerAt(`export async function GET() { here(); }`, '/p/src/routes/api/+server.ts')?.framework).toBe('sveltekit');
    expect(handlerAt(`export async function loader() { here(); }`, '/p/app/routes/users.tsx')?.framework).toBe('remix');
  });
});

describe('enclosingRequestHandler: node:http', () => {
  it('http.createServer(fn)', () => {
    expect(described(`http.createServer((a, b) => { here(); }).listen(3000);`)).toBe("http: the http server's request handler");
  });

  it('https.createServer(options, fn) and a named listener', () => {
    expect(handlerAt(`https.createServer(options, (a, b) => { here(); });`)?.framework).toBe('http');
    expect(handlerAt(`function onRequest(a, b) { here(); }\nhttp.createServer(onRequest);`)?.framework).toBe('http');
  });

  it("server.on('request', fn)", () => {
    expect(handlerAt(`server.on('request', (a, b) => { here(); });`)?.framework).toBe('http');
  });
});

describe('enclosingRequestHandler: look-alikes that are not handlers', () => {
  it.each([
    ['map.get(key)', `function f(map, key) { here(); return map.get(key); }`],
    ["cache.get('k', () => …) loader callbacks", `cache.get('k', () => { here(); });`],
    ['cache.get(key, async (k) => …)', `cache.get(key, async (k) => { here(); });`],
    ["emitter.on('data', …)", `stream.on('data', (chunk) => { here(); });`],
    ['app.listen(port, () => …) start-up', `app.listen(3000, () => { here(); });`],
    ['module top level', `here();`],
    ["jQuery $.get('/x', cb)", `$.get('/api/users', (data) => { here(); });`],
    ["msw http.get('/x', resolver)", `import { http } from 'msw';\nhttp.get('/user', ({ request }) => { here(); });`],
    ['a canvas draw(ctx)', `function draw(ctx) { here(); }`],
    ["app.get('env')", `const env = app.get('env'); function f() { here(); }`],
    ['an http client callback', `https.get(url, (res) => { here(); });`],
  ])('%s', (_name, code) => {
    expect(handlerAt(code)).toBeUndefined();
  });
});

describe('enclosingRequestHandler: tRPC procedures', () => {
  it('a router key’s query and mutation resolvers, on a named procedure or a builder chain', () => {
    expect(
      described(`export const appRouter = router({
  list: protectedProcedure.input(z.object({})).query(async ({ input, ctx }) => { here(); }),
});`),
    ).toBe('trpc: the tRPC query list');
    expect(
      described(`export const apps = createTRPCRouter({
  delete: withPermission('app', 'delete').input(schema).mutation(async ({ input }) => { here(); }),
});`),
    ).toBe('trpc: the tRPC mutation delete');
    expect(described(`export const getUserRoute = t.procedure.query(async () => { here(); });`)).toBe('trpc: the tRPC query getUserRoute');
  });

  it('a resolver off a helper that returns a procedure counts when it is a router’s property', () => {
    expect(
      described(`export const deployments = createTRPCRouter({
  queueList: withPermission('deployment', 'read').query(async ({ ctx }) => { here(); }),
});`),
    ).toBe('trpc: the tRPC query queueList');
    expect(described(`export const list = withPermission('deployment', 'read').query(async ({ ctx }) => { here(); });`)).toBeUndefined();
  });

  it('ts-rest: a handler of tsr.router(contract, {…}), wrapped once or not; a router of another package is not one', () => {
    const tsRest = (value: string, from = '@ts-rest/serverless/fetch'): string =>
      `import { tsr } from '${from}';
export const api = tsr.router(contract, {
  getDocuments: ${value},
});`;
    expect(described(tsRest(`authenticated(async (args, user) => { here(); })`))).toBe('ts-rest: the ts-rest request handler getDocuments');
    expect(described(tsRest(`async ({ params }) => { here(); }`))).toBe('ts-rest: the ts-rest request handler getDocuments');
    expect(described(tsRest(`async ({ params }) => { here(); }`, 'some-router'))).toBeUndefined();
  });

  it('a client call passes data, not a resolver; a query(fn) off any builder chain is not a procedure', () => {
    expect(described(`async function load() { await trpc.user.get.query({ id }); here(); }`)).toBeUndefined();
    expect(described(`const rows = db.select().query(() => { here(); });`)).toBeUndefined();
    expect(described(`builder.query(async () => { here(); });`)).toBeUndefined();
  });
});
