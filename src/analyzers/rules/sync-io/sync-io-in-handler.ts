import { ts } from '../../ts';
import { isAsyncFunction, skipParensUp } from '../../facts/ast';
import { isLazyInitialisation } from '../../facts/positions';
import { describeRequestHandler, type RequestHandler } from '../../facts/requestHandlers';
import { declaredMajor } from '../../facts/toolPackages';
import type { FileFacts } from '../../facts/fileFacts';
import { awaitPromisesFix } from '../../facts/awaitFix';
import { syncIoCall } from '../../facts/io';
import { syncIoScale } from '../../facts/syncIoScale';
import { defineRule, SYNC_STALL_MEASURED } from '../../rule';

export default defineRule({
  meta: {
    id: 'sync-io-in-handler',
    category: 'sync-io',
    description: 'A blocking `*Sync` call of fs, child_process, zlib or crypto inside a request handler.',
    why:
      'A Node server handles every request on one thread. While a request handler sits in `readFileSync`, `execSync` or ' +
      '`pbkdf2Sync`, no other request is parsed, no response is written and no timer fires: a 15 ms `readFileSync` under ' +
      '100 concurrent requests puts the last one 1.5 s behind, and a 100 ms `pbkdf2Sync` caps the whole server at ten ' +
      'logins a second. This holds for synchronous handlers too, and for callbacks nested inside a handler.',
    howToFix:
      'Await the promise form (`await fs.promises.readFile(p)`); for child_process, zlib and crypto use the callback ' +
      "form through `util.promisify`, which runs on libuv's thread pool. A file that never changes can be read once at " +
      'start-up or cached on first use. A synchronous Express 4 handler must become `async` first, and Express 4 does ' +
      'not pass a rejected promise to the error handler: catch and call `next(err)`. Express 5 does, so there the safe ' +
      'fix makes a synchronous route handler `async` itself (when the nearest package.json allows no Express older ' +
      'than 5). The safe fix (`await fs.promises.…` in an async handler) is only a suggestion in a sequence of fs ' +
      'calls on one path — ' +
      '`existsSync(p)` then a `wx` write, a read then a write of the same file — because a concurrent request can then ' +
      'run between them (see docs/safe-fixes.md).',
    notReported: ['Start-up code', 'A read that runs for the first request only (`template ??= readFileSync(…)`)'],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'calls',
      cpu: true,
      measured: SYNC_STALL_MEASURED,
      scaled: true,
      why:
        'the handler runs on every request, but one blocking call of a small fixed file, a stat or an unlink is a short ' +
        'fixed stall; it grows when the call runs once per item of growing data (a loop over rows, uploads or a ' +
        'listing), walks a directory tree, or reads, writes or compresses a file the request decides the size of (an ' +
        'upload, the raw request body)',
    },
    fix: 'safe',
    fixForm: '`await fs.promises.…` (an Express 5 route handler made `async` first)',
    scope: { skip: ['tests', 'scripts', 'build-config', 'worker-threads', 'build-tool-importers'] },
    rewrites: {
      except: {
        rename: "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 5 is not reported",
      },
    },
    messages: {
      blocking: {
        message: '{{call}} blocks the event loop in {{handler}}: every concurrent request waits until it finishes.',
        note: 'Use {{alternative}}.',
      },
      blockingSyncHandler: {
        message: '{{call}} blocks the event loop in {{handler}}: every concurrent request waits until it finishes.',
        note: 'Make the handler async and use {{alternative}}{{errors}}.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import fs from 'node:fs';
import express from 'express';

const app = express();

app.get('/invoices/:id', async (req, res) => {
  const template = fs.readFileSync('templates/invoice.html', 'utf8');
  res.send(template.replace('{{id}}', req.params.id));
});`,
          errors: [{ messageId: 'blocking', line: 7, column: 20 }],
          output: `import fs from 'node:fs';
import express from 'express';

const app = express();

app.get('/invoices/:id', async (req, res) => {
  const template = await fs.promises.readFile('templates/invoice.html', 'utf8');
  res.send(template.replace('{{id}}', req.params.id));
});`,
        },
        {
          code: `import * as fs from 'fs';
import { Router } from 'express';

export const router = Router();

// A synchronous handler: no automatic fix (an async Express 4 handler needs its own error handling).
router.get('/avatars/:user', (req, res) => {
  const image = fs.readFileSync(\`uploads/\${req.params.user}.png\`);
  res.type('png').send(image);
});`,
          errors: [{ messageId: 'blockingSyncHandler', line: 8, column: 17 }],
        },
        {
          code: `import fs from 'node:fs';
import path from 'node:path';

router.post('/upload', upload.array('files'), async (req, res) => {
  // The callback is synchronous, so each write blocks in turn.
  req.files.forEach((file) => fs.writeFileSync(path.join('uploads', file.originalname), file.buffer));
  res.sendStatus(201);
});`,
          errors: [{ messageId: 'blocking', line: 6, column: 31 }],
        },
        {
          code: `import { execSync } from 'node:child_process';
import { Controller, Get } from '@nestjs/common';

@Controller('status')
export class StatusController {
  @Get('version')
  version() {
    return { commit: execSync('git rev-parse HEAD').toString().trim() };
  }
}`,
          errors: [{ messageId: 'blockingSyncHandler', line: 8, column: 22 }],
        },
        {
          code: `import crypto from 'node:crypto';

export async function POST(request: Request) {
  const { password, salt } = await request.json();
  const hash = crypto.pbkdf2Sync(password, salt, 310000, 32, 'sha256');
  return Response.json({ hash: hash.toString('hex') });
}`,
          filename: 'app/api/hash/route.ts',
          errors: [{ messageId: 'blocking', line: 5, column: 16 }],
        },
        {
          code: `const fs = require('fs');

app.use(async (ctx, next) => {
  const stat = fs.statSync('public' + ctx.path);
  ctx.set('Last-Modified', stat.mtime.toUTCString());
  await next();
});`,
          filename: 'src/server.js',
          errors: [{ messageId: 'blocking', line: 4, column: 16 }],
          output: `const fs = require('fs');

app.use(async (ctx, next) => {
  const stat = await fs.promises.stat('public' + ctx.path);
  ctx.set('Last-Modified', stat.mtime.toUTCString());
  await next();
});`,
        },
        {
          code: `import http from 'node:http';
import zlib from 'node:zlib';

http.createServer((req, res) => {
  const body = zlib.gzipSync(JSON.stringify(report()));
  res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(body);
}).listen(8080);`,
          errors: [{ messageId: 'blockingSyncHandler', line: 5, column: 16 }],
        },
        {
          code: `import fs from 'node:fs';

fastify.route({
  method: 'GET',
  url: '/reports',
  handler: async (request, reply) => {
    const names = fs.readdirSync('reports');
    return names.filter((n) => fs.existsSync(\`reports/\${n}/done\`));
  },
});`,
          errors: [
            { messageId: 'blocking', line: 7, column: 19 },
            { messageId: 'blocking', line: 8, column: 32 },
          ],
          output: `import fs from 'node:fs';

fastify.route({
  method: 'GET',
  url: '/reports',
  handler: async (request, reply) => {
    const names = await fs.promises.readdir('reports');
    return names.filter((n) => fs.existsSync(\`reports/\${n}/done\`));
  },
});`,
        },
      ],
      valid: [
        `import fs from 'node:fs';
import express from 'express';

// Start-up: read once, before the server takes requests.
const template = fs.readFileSync('templates/invoice.html', 'utf8');
const app = express();

app.get('/invoices/:id', (req, res) => {
  res.send(template.replace('{{id}}', req.params.id));
});

app.listen(3000, () => {
  fs.writeFileSync('server.pid', String(process.pid));
});`,
        `import fs from 'node:fs';

let template: string | undefined;

// Read on first use only, then served from memory.
app.get('/', (req, res) => {
  template ??= fs.readFileSync('index.html', 'utf8');
  res.send(template);
});`,
        `import fs from 'node:fs';

app.get('/invoices/:id', async (req, res) => {
  const template = await fs.promises.readFile('templates/invoice.html', 'utf8');
  res.send(template);
});`,
        {
          code: `import fs from 'node:fs';
import express from 'express';

// A development-only mock server started from the command line.
const app = express();
app.get('/fixtures/:name', (req, res) => {
  res.json(JSON.parse(fs.readFileSync(\`fixtures/\${req.params.name}.json\`, 'utf8')));
});
app.listen(4000);`,
          filename: 'scripts/mock-server.ts',
        },
        {
          code: `import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';

// A worker thread: blocking here keeps the main thread free.
parentPort!.on('message', (req) => {
  parentPort!.postMessage(zlib.gzipSync(req.body));
});`,
          filename: 'src/compress-worker.ts',
        },
        {
          code: `import fs from 'node:fs';

it('serves the file', async () => {
  app.get('/x', (req, res) => res.send(fs.readFileSync('fixture.txt')));
  await request(app).get('/x').expect(200);
});`,
          filename: 'src/server.test.ts',
        },
        `import fs from 'node:fs';

// Not a handler: a cache loader and a stream listener.
const settings = cache.get('settings', () => JSON.parse(fs.readFileSync('settings.json', 'utf8')));
stream.on('data', (chunk) => fs.appendFileSync('audit.log', chunk));`,
        `// The handler's own readFileSync parameter is not fs.
export function makeHandler(readFileSync: (p: string) => string) {
  return (req, res) => res.send(readFileSync(req.path));
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const io = syncIoCall(call, file);
        if (!io) return;
        const handler = file.requestHandler(call);
        if (!handler) return;
        // `template ??= readFileSync(…)`: runs for the first request only, then the value is served from memory.
        if (isLazyInitialisation(call, handler.fn)) return;
        const data = { call: io.display, handler: describeRequestHandler(handler), alternative: io.alternative };
        const scale = syncIoScale(io);
        if (!isAsyncFunction(handler.fn) && !file.asyncFunction(call)) {
          const errors =
            handler.framework === 'express-like'
              ? ' (before Express 5 a rejected promise never reaches the error handler: catch errors and call next(err))'
              : '';
          const fix = express5Route(handler, file) ? awaitPromisesFix(io, file, { becomesAsync: handler.fn }) : undefined;
          context.report({
            node: call,
            messageId: 'blockingSyncHandler',
            data: { ...data, errors },
            fixes: fix ? [fix] : [],
            ...(scale ? { evidence: { scale } } : {}),
          });
          return;
        }
        // Only where the nearest function is async: awaitPromisesFix decides, and says how sure it is.
        const fix = awaitPromisesFix(io, file);
        context.report({
          node: call,
          messageId: 'blocking',
          data,
          fixes: fix ? [fix] : [],
          ...(scale ? { evidence: { scale } } : {}),
        });
      },
    };
  },
});

/**
 * A synchronous route handler that may become `async` without a change anyone can see: Express 5
 * (the nearest package.json allows nothing older, and the file imports `express`) passes a
 * handler's rejected promise to `next(err)`, as it passes an error thrown synchronously, and ignores
 * what a handler returns. The handler is an arrow or function expression written in the route's
 * registration (no other caller to see its promise), without `async`, `*` or a return type
 * annotation (`: void` would not accept a promise).
 */
function express5Route(handler: RequestHandler, file: FileFacts): boolean {
  const fn = handler.fn;
  if (handler.framework !== 'express-like') return false;
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.asteriskToken || fn.type || fn.modifiers?.length) return false;
  const registration = skipParensUp(fn).parent;
  if (!registration || !ts.isCallExpression(registration) || !registration.arguments.includes(skipParensUp(fn) as ts.Expression))
    return false;
  if (!/\bfrom\s*['"]express['"]|\brequire\(\s*['"]express['"]\s*\)/.test(file.text)) return false;
  return (declaredMajor(file.fileName, 'express') ?? 0) >= 5;
}
