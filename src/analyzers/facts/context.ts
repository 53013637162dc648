/**
 * "Where does this code run?" — the context of execution a finding's cost is paid in: once per
 * request, once per job of a worker, once per process (start-up), once per run of a script or a
 * build, behind an admin-only route, or in a test. Per-call cost matters on request and job paths;
 * code that runs once per process or per deploy rarely pays it. Decided from the file's kind
 * (fileKinds.ts), the enclosing request handler (requestHandlers.ts), the registration a callback
 * is handed to (queues, cron), decorators, and the node's position (module top level, `main()`).
 */
import { ts } from '../ts';
import type { ExecutionContext } from '../finding';
import { calleeName, constantString, enclosingFunction, skipParens } from './ast';
import type { FileFacts } from './fileFacts';
import { projectPath } from './paths';
import { callersOf } from './modules';
import { declaredName, startUpName } from './positions';
import { describeRequestHandler, type RequestHandler } from './requestHandlers';

export interface ContextFact {
  context: ExecutionContext;
  /** The sentence a user reads: "runs in the POST /orders handler". Absent when nothing is known. */
  reason?: string;
}

/** Calls that run their callback once per job or tick: BullMQ/Bull `process`, node-cron `schedule`, Agenda `define`, amqplib `consume`, `setInterval`. */
const JOB_REGISTRATIONS = new Set(['process', 'schedule', 'define', 'consume', 'setInterval', 'every', 'scheduleJob', 'createFunction']);
/** Constructors whose callback runs once per job: BullMQ's `new Worker(queue, fn)`, cron's `new CronJob(time, fn)`. */
const JOB_CONSTRUCTORS = new Set(['Worker', 'CronJob']);
/** Nest decorators of job handlers: `@Cron()`, `@Interval()`, `@Process()` (Bull), `@OnEvent()`, `@EventPattern()` stays a handler. */
const JOB_DECORATORS = new Set(['Cron', 'Interval', 'Process', 'OnQueueActive', 'OnWorkerEvent', 'SqsMessageHandler', 'RabbitSubscribe']);
/** Folders whose code runs in workers: `jobs/`, `workers/`, `queues/`, `cron/`, `consumers/`, `processors/`. */
const JOB_FOLDERS = /(^|\/)(jobs?|workers?|queues?|crons?|consumers?|processors?|schedulers?|tasks)\//;
/** Admin-only code by path or by guard: `/admin/users`, `requireAdmin`, `@Roles('admin')`, `AdminGuard`. */
const ADMIN_WORD = /(^|[^a-z])admin|Admin/;

/** How many calls up "who calls this?" is followed, across files. */
const MAX_CALLER_DEPTH = 3;
/** Next.js routes a scheduler calls (Vercel Cron and the like): `app/api/cron/…`, `pages/api/cron/…`. */
const CRON_ROUTES = /(^|\/)(app|pages)\/api\/cron\//;
/** Which caller's context wins when callers differ: the one whose per-call cost matters most. */
const CALLER_PRIORITY: readonly ExecutionContext[] = ['request', 'job', 'admin'];

/** The context of execution of `node`, with the reason to show. */
export function executionContext(node: ts.Node, facts: FileFacts, depth = 0): ContextFact {
  const path = projectPath(facts.fileName);
  if (facts.is('tests')) return { context: 'test', reason: 'in a test file' };
  if (facts.is('build-config') || facts.is('build-tool-importers'))
    return { context: 'build', reason: 'in build configuration or a build plugin' };
  if (facts.is('migrations')) return { context: 'script', reason: 'in a migration or seed, run once per deploy' };
  if (facts.is('scripts')) return { context: 'script', reason: 'in a script run by hand or by a build' };

  const handler = facts.requestHandler(node);
  if (handler && CRON_ROUTES.test(path))
    return { context: 'job', reason: `runs once per scheduled run (a cron route, ${describeRequestHandler(handler)})` };
  if (handler) {
    if (isAdminOnly(handler, path)) return { context: 'admin', reason: `runs in ${describeRequestHandler(handler)}, an admin-only route` };
    return { context: 'request', reason: `runs in ${describeRequestHandler(handler)}` };
  }
  const job = enclosingJob(node);
  if (job) return { context: 'job', reason: job };
  if (facts.isTopLevel(node)) return { context: 'startup', reason: 'runs once, when the module is loaded' };
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    // Only the names that certainly run once per process: `init` or `setup` also name per-request code.
    const startUp = startUpName(fn);
    if (startUp?.certain) return { context: 'startup', reason: `runs once per process, in ${startUp.name}()` };
  }
  const called = callersContext(node, facts, depth);
  if (called) return called;
  if (/(^|\/)admin\//i.test(path)) return { context: 'admin', reason: 'in admin-only code (an admin/ folder)' };
  if (JOB_FOLDERS.test(path)) return { context: 'job', reason: `in a background job's file (${path.match(JOB_FOLDERS)![2]}/)` };
  return { context: 'unknown' };
}

/**
 * The context the functions around `node` are called in, in this file or in the files importing it: a
 * service function called from a route handler runs on that request path. Only contexts where per-call
 * cost matters (request, job) or an admin route are taken from callers: that no caller was found on a hot
 * path proves nothing (callers outside the project, dynamic calls), so start-up or script callers decide nothing.
 */
function callersContext(node: ts.Node, facts: FileFacts, depth: number): ContextFact | undefined {
  if (depth >= MAX_CALLER_DEPTH) return undefined;
  let best: { fact: ContextFact; rank: number } | undefined;
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    for (const caller of callersOf(fn, facts)) {
      const fact = executionContext(caller.call, caller.facts, depth + 1);
      const rank = CALLER_PRIORITY.indexOf(fact.context);
      if (rank < 0 || (best && best.rank <= rank)) continue;
      const name = declaredName(fn) ?? 'it';
      const where =
        caller.facts === facts
          ? ''
          : ` in ${projectPath(caller.facts.fileName)}:${caller.facts.sourceFile.getLineAndCharacterOfPosition(caller.facts.start(caller.call)).line + 1}`;
      best = { fact: { context: fact.context, reason: `${fact.reason}, which calls ${name}()${where}` }, rank };
      if (rank === 0) return best.fact;
    }
    if (best) return best.fact;
  }
  return best?.fact;
}

/** Why the function around `node` runs once per job, if it does. */
function enclosingJob(node: ts.Node): string | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const decorator = decoratorNames(fn).find((name) => JOB_DECORATORS.has(name));
    if (decorator) return `runs once per job or tick (@${decorator})`;
    let argument: ts.Node = fn;
    while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
    const call = argument.parent;
    if (call && (ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.includes(argument as ts.Expression)) {
      const name = calleeName(call);
      if (name && (ts.isNewExpression(call) ? JOB_CONSTRUCTORS.has(name) : JOB_REGISTRATIONS.has(name)))
        return `runs once per job or tick (the callback of ${name}(…))`;
    }
    // Bull/BullMQ's `class X extends WorkerHost { async process(job) {…} }` under `@Processor('queue')`.
    if (
      ts.isMethodDeclaration(fn) &&
      declaredName(fn) === 'process' &&
      ts.isClassLike(fn.parent) &&
      decoratorNames(fn.parent).includes('Processor')
    )
      return 'runs once per job (a @Processor’s process())';
  }
  return undefined;
}

/** Admin-only: the route's path has an `admin` segment, the file lives under `admin/`, or a guard or middleware says admin. */
function isAdminOnly(handler: RequestHandler, path: string): boolean {
  if (handler.path && /(^|\/)admin(\/|$)/i.test(handler.path)) return true;
  if (/(^|\/)admin\//i.test(path)) return true;
  // Nest: `@Roles('admin')`, `@UseGuards(AdminGuard)` on the method or its class.
  const holders: ts.Node[] = [handler.fn];
  if (handler.fn.parent && ts.isClassLike(handler.fn.parent)) holders.push(handler.fn.parent);
  for (const holder of holders) {
    for (const decorator of ts.canHaveDecorators(holder) ? (ts.getDecorators(holder) ?? []) : []) {
      if (ADMIN_WORD.test(decorator.expression.getText())) return true;
    }
  }
  // Express: `router.get('/x', requireAdmin, handler)` — a middleware before the handler says admin.
  let argument: ts.Node = handler.fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (call && ts.isCallExpression(call)) {
    const index = call.arguments.indexOf(argument as ts.Expression);
    for (const before of call.arguments.slice(0, Math.max(0, index))) {
      const inner = skipParens(before);
      if (constantString(inner) !== undefined) continue;
      if (ADMIN_WORD.test(inner.getText())) return true;
    }
  }
  return false;
}

function decoratorNames(node: ts.Node): string[] {
  if (!ts.canHaveDecorators(node)) return [];
  return (ts.getDecorators(node) ?? []).map((decorator) => {
    const expression = skipParens(decorator.expression);
    const callee = ts.isCallExpression(expression) ? skipParens(expression.expression) : expression;
    return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  });
}
