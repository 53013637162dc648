/**
 * "Where does this code run?" — the context of execution a finding's cost is paid in: once per
 * request, once per job of a worker, once per process (start-up), once per run of a script or a
 * build, behind an admin-only route, on a rare path (deleting one record and what hangs off it), or in a
 * test. Per-call cost matters on request and job paths; code that runs once per process or per deploy, or
 * once per deleted record, rarely pays it. Decided from the file's kind
 * (fileKinds.ts), its package (a command-line tool, a package of scripts: the nearest package.json), the enclosing request handler (requestHandlers.ts), the registration a callback
 * is handed to (queues, cron), decorators, and the node's position (module top level, `main()`).
 */
import * as path from 'node:path';
import { ts } from '../ts';
import type { ExecutionContext } from '../finding';
import {
  calleeName,
  chainRoot,
  constantString,
  enclosingFunction,
  isFunctionLike,
  isInside,
  skipOnlyParensUp,
  skipParens,
  type FunctionLike,
} from './ast';
import type { FileFacts } from './fileFacts';
import { projectPath } from './paths';
import { syntaxIndexOf } from './syntaxIndex';
import { lookup } from './dataflow';
import { callersOf, instancesOf, referencesOf, type Reference } from './modules';
import { declaredName, startUpName } from './positions';
import { describeRequestHandler, registeredHandler, type RequestHandler } from './requestHandlers';
import { commandLineEvidence } from './toolPackages';

export interface ContextFact {
  context: ExecutionContext;
  /** The sentence a user reads: "runs in the POST /orders handler". Absent when nothing is known. */
  reason?: string;
  /**
   * A request of a server that listens only on the loopback interface (`app.listen(port, 'localhost')`): one machine's
   * client, a desktop app's or a developer's — no crowd of concurrent requests, and its data one user's. evidence.ts
   * makes such findings info (issue 12's sixth study: seven warnings in one desktop app's local capture server).
   */
  local?: boolean;
}

/** Calls that run their callback once per job or tick: BullMQ/Bull `process`, node-cron `schedule`, Agenda `define`, amqplib `consume`, `setInterval`. */
const JOB_REGISTRATIONS = new Set(['process', 'schedule', 'define', 'consume', 'setInterval', 'every', 'scheduleJob', 'createFunction']);
/** Constructors whose callback runs once per job: BullMQ's `new Worker(queue, fn)`, cron's `new CronJob(time, fn)`. */
const JOB_CONSTRUCTORS = new Set(['Worker', 'CronJob']);
/** Nest decorators of job handlers: `@Cron()`, `@Interval()`, `@Process()` (Bull), `@OnEvent()`, `@EventPattern()` stays a handler. */
const JOB_DECORATORS = new Set(['Cron', 'Interval', 'Process', 'OnQueueActive', 'OnWorkerEvent', 'SqsMessageHandler', 'RabbitSubscribe']);
/** Folders whose code runs in workers: `jobs/`, `workers/`, `queues/`, `cron/`, `consumers/`, `processors/`. */
const JOB_FOLDERS = /(^|\/)(jobs?|workers?|queues?|crons?|consumers?|processors?|schedulers?|tasks)\//;
/**
 * Admin-only code by path or by guard: `/admin/users`, `requireAdmin`, `@Roles('admin')`, `AdminGuard`, and the
 * upper-case word of constants and environment variables: `Role.ADMIN`, `process.env.NEXT_PUBLIC_ADMIN`, `ADMIN_EMAILS`.
 */
const ADMIN_WORD = /(^|[^a-z])admin|Admin|(^|[^A-Z])ADMIN/;

/** How many calls up "who calls this?" is followed, across files. */
const MAX_CALLER_DEPTH = 3;
/** Next.js routes a scheduler calls (Vercel Cron and the like): `app/api/cron/…`, `pages/api/cron/…`. */
const CRON_ROUTES = /(^|\/)(app|pages)\/api\/cron\//;
/** Package folders of code run by hand: `packages/scripts/`, `bench/`, `benchmarks/` (a package's own files sit at its root). */
const SCRIPT_PACKAGE = /^(scripts?|bench|benchmarks?)$/;
/** Which caller's context wins when callers differ: the one whose per-call cost matters most. */
const CALLER_PRIORITY: readonly ExecutionContext[] = ['request', 'job', 'admin', 'rare'];
/** Functions whose job is deleting one record and what belongs to it: `deleteTeam`, `removeMember`, `destroyFolder`, `deleteAccountAction`. */
const DELETE_NAME = /^(delete|remove|destroy|purge)([A-Z0-9_]|$)/;
/** …unless the name says it sweeps many records, which a job does again and again: `deleteExpiredSessions`, `removeStaleLocks`, `deleteMany`. */
const SWEEP_NAME = /^(delete|remove|destroy|purge)(Expired|Stale|Old|Outdated|Orphan|Inactive|Unused|All|Many|Bulk)/;
/** Calls that delete: Prisma/Drizzle/TypeORM `delete`, `deleteMany`, Sequelize `destroy`, Mongoose `findByIdAndDelete`, `del`, `rm`/`unlink` of files. */
const DELETE_CALL = /^(delete|remove|destroy|del|rm|unlink)(One|Many|ById|By|Where|All)?$|And(Delete|Remove)$/;
/** The builder steps that take a procedure's body: tRPC `.mutation()`/`.query()`, next-safe-action `.action()`. */
const PROCEDURE_STEPS = new Set(['action', 'mutation', 'query', 'subscription', 'handler', 'procedure']);
/** App set-up calls: creating the application or starting it listens once per process (Nest, Express, Fastify, Koa, http). */
const APP_FACTORIES = new Set(['NestFactory.create', 'NestFactory.createMicroservice', 'NestFactory.createApplicationContext']);
const APP_SETUP_METHODS = new Set([
  'listen',
  'useGlobalPipes',
  'useGlobalFilters',
  'useGlobalGuards',
  'useGlobalInterceptors',
  'useWebSocketAdapter',
  'enableCors',
  'enableShutdownHooks',
  'setGlobalPrefix',
  'enableVersioning',
  'connectMicroservice',
  'startAllMicroservices',
]);

/** The context of execution of `node`, with the reason to show. */
export function executionContext(node: ts.Node, facts: FileFacts, depth = 0): ContextFact {
  const path = projectPath(facts.fileName);
  if (facts.is('tests')) return { context: 'test', reason: 'in a test file' };
  if (facts.is('build-config') || facts.is('build-tool-importers'))
    return { context: 'build', reason: 'in build configuration or a build plugin' };
  if (facts.is('migrations')) return { context: 'script', reason: 'in a migration or seed, run once per deploy' };
  if (facts.is('scripts')) return { context: 'script', reason: 'in a script run by hand or by a build' };

  const handler = facts.requestHandler(node);
  // A handler known by its parameters alone: where it is registered, if found, says more (`router.delete('/x', auth, h)`).
  if (handler) return (handler.byShape ? registeredContext(node, facts) : undefined) ?? handlerContext(node, handler, path, handler.fn);
  const job = enclosingJob(node);
  if (job) return { context: 'job', reason: job };
  // Its own registration, written elsewhere: a function handed by name to a route, a procedure or a job runs there,
  // whoever else calls it (a debug route that runs a job's function by hand does not make it a request).
  const registered = registeredContext(node, facts);
  if (registered) return registered;
  if (facts.isTopLevel(node)) return { context: 'startup', reason: 'runs once, when the module is loaded' };
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    // Only the names that certainly run once per process: `init` or `setup` also name per-request code.
    const startUp = startUpName(fn);
    if (startUp?.certain) return { context: 'startup', reason: `runs once per process, in ${startUp.name}()` };
    const setUp = setsUpApp(fn);
    if (setUp) return { context: 'startup', reason: `runs once per process, in ${declaredName(fn) ?? 'a function'}() that ${setUp}` };
  }
  const rare = rareFunction(node);
  if (rare) return rare;
  const called = callersContext(node, facts, depth);
  if (called) return called;
  // After the callers: a CLI package's function that a route of the project calls runs on that request.
  const once = onceRunPackage(facts);
  if (once) return once;
  if (/(^|\/)admin\//i.test(path)) return { context: 'admin', reason: 'in admin-only code (an admin/ folder)' };
  if (isAdminRoute(path)) return { context: 'admin', reason: 'in an admin-only route file (a Remix route under admin)' };
  if (JOB_FOLDERS.test(path)) return { context: 'job', reason: `in a background job's file (${path.match(JOB_FOLDERS)![2]}/)` };
  return { context: 'unknown' };
}

/** The context of `node` inside the request handler `handler`, registered at `site` (the function itself, or the name it is handed on by). */
function handlerContext(node: ts.Node, handler: RequestHandler, path: string, site: ts.Node): ContextFact {
  const described = describeRequestHandler(handler);
  if (CRON_ROUTES.test(path)) return { context: 'job', reason: `runs once per scheduled run (a cron route, ${described})` };
  if (isAdminOnly(handler, path, site)) return { context: 'admin', reason: `runs in ${described}, an admin-only route` };
  if (handler.method === 'DELETE') return { context: 'rare', reason: `runs in ${described}: once per deleted record, a rare path` };
  const branch = deleteBranch(node, handler.fn);
  if (branch) return { context: 'rare', reason: `runs in ${described} when ${branch}: once per deleted record, a rare path` };
  const guard = adminGuard(node, handler.fn);
  if (guard) return { context: 'admin', reason: `runs in ${described} after ${guard}, admin-only` };
  // Handed by name to an admin client's procedure: `adminProcedure.query(listAll)`.
  const client = site === handler.fn ? undefined : procedureClient(site);
  if (client && ADMIN_WORD.test(client))
    return { context: 'admin', reason: `runs in ${described} of the admin client ${client}, admin-only` };
  // A tRPC procedure or server action is a handler too: `deleteTeam: procedure.mutation(…)`, `adminProcedure.query(…)`.
  const rare = rareFunction(node);
  if (rare) return rare;
  if (listensOnlyOnLoopback(site.getSourceFile()))
    return {
      context: 'request',
      reason: `runs in ${described} of a server that listens only on localhost (one machine's client)`,
      local: true,
    };
  return { context: 'request', reason: `runs in ${described}` };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);
const loopbackOnly = new WeakMap<ts.SourceFile, boolean>();

/**
 * Whether the file starts its server and binds it to the loopback interface only: every `.listen(…)` in it names
 * `localhost`, `127.0.0.1` or `::1` as its host — positional (`app.listen(3001, 'localhost')`) or as an option
 * (`app.listen({ port, host: '127.0.0.1' })`). A file that listens on every interface, or names its host by a variable,
 * serves whoever connects.
 */
function listensOnlyOnLoopback(file: ts.SourceFile): boolean {
  let known = loopbackOnly.get(file);
  if (known === undefined) {
    const listens = syntaxIndexOf(file).calls.filter((call) => calleeName(call) === 'listen' && call.arguments.length > 0);
    known = listens.length > 0 && listens.every(bindsLoopback);
    loopbackOnly.set(file, known);
  }
  return known;
}

function bindsLoopback(call: ts.CallExpression): boolean {
  return call.arguments.some((argument) => {
    const inner = skipParens(argument);
    if (ts.isStringLiteralLike(inner)) return LOOPBACK.has(inner.text);
    if (!ts.isObjectLiteralExpression(inner)) return false;
    return inner.properties.some(
      (property) =>
        ts.isPropertyAssignment(property) &&
        ts.isIdentifier(property.name) &&
        (property.name.text === 'host' || property.name.text === 'hostname') &&
        ts.isStringLiteralLike(property.initializer) &&
        LOOPBACK.has(property.initializer.text),
    );
  });
}

/**
 * The context a function around `node` is registered for where it is handed on by name (modules.ts `referencesOf`), in
 * its file or in a file importing it: a route or procedure (`router.get('/tags', auth, listTags)`,
 * `publicProcedure.input(s).query(getTags)`, `route({ url, handler: listTags })`) runs it per request; a queue or a
 * schedule (`new Worker(queue, run)`, `cron.schedule('0 * * * *', sweep)`) per job. Several registrations: the one
 * whose per-call cost matters most, as for callers.
 */
function registeredContext(node: ts.Node, facts: FileFacts): ContextFact | undefined {
  let best: { fact: ContextFact; rank: number } | undefined;
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    for (const reference of referencesOf(fn, facts)) {
      const fact = referenceContext(node, fn, reference, facts);
      if (!fact) continue;
      const rank = CALLER_PRIORITY.indexOf(fact.context);
      if (rank < 0 || (best && best.rank <= rank)) continue;
      const where =
        reference.facts === facts
          ? ''
          : `, registered in ${projectPath(reference.facts.fileName)}:${lineOf(reference.node, reference.facts)}`;
      best = { fact: { ...fact, reason: `${fact.reason}${where}` }, rank };
    }
    if (best) return best.fact;
  }
  return undefined;
}

/** What the registration a reference is written in makes of `fn`: a job, or a request handler with its own admin or rare path. */
function referenceContext(node: ts.Node, fn: FunctionLike, reference: Reference, facts: FileFacts): ContextFact | undefined {
  const job = jobRegistration(reference.node);
  if (job) return { context: 'job', reason: `runs once per job or tick (${declaredName(fn) ?? 'it'}() is handed to ${job}(…))` };
  const handler = registeredHandler(fn, reference.node);
  if (!handler) return undefined;
  const fact = handlerContext(node, handler, projectPath(reference.facts.fileName), reference.node);
  // The handler's own file may say admin where the registration's does not: `admin/users.controller.ts`.
  const own = projectPath(facts.fileName);
  if (fact.context === 'request' && (/(^|\/)admin\//i.test(own) || isAdminRoute(own)))
    return { context: 'admin', reason: `${fact.reason}, in admin-only code (an admin/ folder)` };
  return fact;
}

function lineOf(node: ts.Node, facts: FileFacts): number {
  return facts.sourceFile.getLineAndCharacterOfPosition(facts.start(node)).line + 1;
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
    for (const caller of callersOrInstances(fn, facts)) {
      const fact = executionContext(caller.call, caller.facts, depth + 1);
      const rank = CALLER_PRIORITY.indexOf(fact.context);
      if (rank < 0 || (best && best.rank <= rank)) continue;
      const what = ts.isNewExpression(caller.call)
        ? `constructs ${caller.call.expression.getText(caller.facts.sourceFile)}`
        : `calls ${declaredName(fn) ?? 'it'}()`;
      const where = caller.facts === facts ? '' : ` in ${projectPath(caller.facts.fileName)}:${lineOf(caller.call, caller.facts)}`;
      best = { fact: { ...fact, reason: `${fact.reason}, which ${what}${where}` }, rank };
      if (rank === 0) return best.fact;
    }
    if (best) return best.fact;
    // A member — a method, or a function that is a property's value — runs when the member is called, not when
    // the function around it runs: a factory's callers (`SnapshotsController().syncSnapshots()` in a job) say
    // nothing of its other methods (issue 12's round 7: a command-line backfill in that factory was taken for the job).
    if (isMember(fn)) break;
  }
  return best?.fact;
}

/** A method or accessor of a class or object literal, or a function written as a property's value. */
function isMember(fn: FunctionLike): boolean {
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) return true;
  const parent = skipOnlyParensUp(fn).parent;
  return (
    parent !== undefined &&
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    parent.initializer === skipOnlyParensUp(fn)
  );
}

/** A function's calls; a constructor's are the `new` expressions of its class (a timer per instance runs where they do). */
function callersOrInstances(
  fn: FunctionLike,
  facts: FileFacts,
): ReadonlyArray<{ call: ts.CallExpression | ts.NewExpression; facts: FileFacts }> {
  if (ts.isConstructorDeclaration(fn))
    return ts.isClassDeclaration(fn.parent)
      ? instancesOf(fn.parent, facts).sites.map((site) => ({ call: site.node, facts: site.facts }))
      : [];
  return callersOf(fn, facts);
}

/** The job registration `value` (a function written in place, or a name it is handed on by) is an argument of: `process`, `new Worker`. */
function jobRegistration(value: ts.Node): string | undefined {
  let argument: ts.Node = value;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!call || !(ts.isCallExpression(call) || ts.isNewExpression(call)) || !call.arguments?.includes(argument as ts.Expression))
    return undefined;
  const name = calleeName(call);
  if (!name || !(ts.isNewExpression(call) ? JOB_CONSTRUCTORS.has(name) : JOB_REGISTRATIONS.has(name))) return undefined;
  // A scheduler's `every('5 minutes', fn)` names its interval first; an array's `items.every(isPaid)` is a predicate.
  if (name === 'every' && call.arguments?.[0] === argument) return undefined;
  return ts.isNewExpression(call) ? `new ${name}` : name;
}

/** Why the function around `node` runs once per job, if it does. */
function enclosingJob(node: ts.Node): string | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const decorator = decoratorNames(fn).find((name) => JOB_DECORATORS.has(name));
    if (decorator) return `runs once per job or tick (@${decorator})`;
    const registration = jobRegistration(fn);
    if (registration) return `runs once per job or tick (the callback of ${registration.replace(/^new /, '')}(…))`;
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

/**
 * A function whose job is deleting one record and what belongs to it runs once per deleted record: named so
 * (`deleteTeam`, a tRPC procedure or server action `deleteTeam: procedure.mutation(…)`, `removeMember`) and
 * calling a delete, or reached through an admin action client (`adminActionClient.action(…)`) or after an
 * admin guard (`if (!user.isAdmin) throw …`, `await requireAdmin()`).
 */
function rareFunction(node: ts.Node): ContextFact | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const name = declaredName(fn) ?? registeredName(fn);
    const client = procedureClient(fn);
    if (client && ADMIN_WORD.test(client))
      return { context: 'admin', reason: `runs in ${name ?? 'an action'} of the admin client ${client}, admin-only` };
    const guard = adminGuard(node, fn);
    if (guard) return { context: 'admin', reason: `runs in ${name ?? 'a function'}() after ${guard}, admin-only` };
    if (name && DELETE_NAME.test(name) && !SWEEP_NAME.test(name) && callsDelete(fn))
      return {
        context: 'rare',
        reason: `runs in ${name}(), which deletes one record and what belongs to it: once per deleted record, a rare path`,
      };
  }
  return undefined;
}

/** The name a callback is registered under through a builder chain: `deleteTeam: protectedProcedure.input(…).mutation(async …)`, `export const deleteX = action(…)`. */
function registeredName(fn: FunctionLike): string | undefined {
  let current: ts.Node = skipOnlyParensUp(fn);
  for (let depth = 0; depth < 8 && current.parent; depth++) {
    const parent = current.parent;
    if (ts.isCallExpression(parent) || ts.isPropertyAccessExpression(parent) || ts.isParenthesizedExpression(parent)) {
      current = parent;
      continue;
    }
    if ((ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
    return undefined;
  }
  return undefined;
}

/** The root of the builder chain a callback (or the name it is handed on by) is handed to: `adminActionClient` of `adminActionClient.schema(s).action(async …)`. */
function procedureClient(value: ts.Node): string | undefined {
  const argument = skipOnlyParensUp(value);
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(argument as ts.Expression)) return undefined;
  if (!PROCEDURE_STEPS.has(calleeName(call) ?? '')) return undefined;
  const root = chainRoot(call.expression);
  return root && ts.isIdentifier(root) && root !== call.expression ? root.text : undefined;
}

/** True when `fn` itself (not a nested function) calls a delete: `prisma.team.delete(…)`, `db.delete(teams)`, `deleteTeamMembers(…)`. */
function callsDelete(fn: FunctionLike): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name && (DELETE_CALL.test(name) || (DELETE_NAME.test(name) && !SWEEP_NAME.test(name)))) {
        found = true;
        return;
      }
    }
    if (node !== fn && isFunctionLike(node) && !isInlineCallback(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** A callback run inline as part of the function's work: `$transaction(async (tx) => …)`, `ids.map(…)`. */
function isInlineCallback(fn: FunctionLike): boolean {
  const argument = skipOnlyParensUp(fn);
  return !!argument.parent && ts.isCallExpression(argument.parent);
}

/** `req.method === 'DELETE'` around `node` inside the handler (an `if` branch or a `case 'DELETE':`): the branch's words. */
function deleteBranch(node: ts.Node, handler: ts.Node): string | undefined {
  for (let current: ts.Node = node; current.parent && current !== handler; current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current && testsDeleteMethod(parent.expression)) return `the method is DELETE`;
    if (ts.isCaseClause(parent) && constantString(parent.expression) === 'DELETE' && readsMethod(parent.parent.parent.expression))
      return `the method is DELETE`;
  }
  return undefined;
}

function testsDeleteMethod(condition: ts.Expression): boolean {
  const inner = skipParens(condition);
  if (!ts.isBinaryExpression(inner)) return false;
  const kind = inner.operatorToken.kind;
  if (kind === ts.SyntaxKind.AmpersandAmpersandToken) return testsDeleteMethod(inner.left) || testsDeleteMethod(inner.right);
  if (kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && kind !== ts.SyntaxKind.EqualsEqualsToken) return false;
  return (
    (constantString(skipParens(inner.right)) === 'DELETE' && readsMethod(inner.left)) ||
    (constantString(skipParens(inner.left)) === 'DELETE' && readsMethod(inner.right))
  );
}

/** `req.method`, `request.method`, a local `method` destructured from the request. */
function readsMethod(expression: ts.Expression): boolean {
  const inner = skipParens(expression);
  return (ts.isPropertyAccessExpression(inner) && inner.name.text === 'method') || (ts.isIdentifier(inner) && inner.text === 'method');
}

/**
 * An admin check before `node` at the top of `fn`'s body: `if (!user.isAdmin) throw …` / `return …`, or a
 * statement calling a guard (`await requireAdmin()`, `assertIsAdmin(session)`). The guard's text, to name it.
 */
function adminGuard(node: ts.Node, fn: FunctionLike): string | undefined {
  const body = fn.body;
  if (!body || !ts.isBlock(body) || !isInside(node, body)) return undefined;
  for (const statement of body.statements) {
    if (statement.pos >= node.pos) break;
    if (ts.isIfStatement(statement) && !statement.elseStatement && deniesNonAdmin(statement.expression) && exits(statement.thenStatement))
      return `the check \`${compactText(statement.expression.getText())}\``;
    const expression = ts.isExpressionStatement(statement)
      ? statement.expression
      : ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1
        ? statement.declarationList.declarations[0].initializer
        : undefined;
    if (!expression) continue;
    let call = skipParens(expression);
    if (ts.isAwaitExpression(call)) call = skipParens(call.expression);
    if (ts.isCallExpression(call)) {
      const name = calleeName(call);
      if (name && /^(require|assert|ensure|check|verify)(Is)?(Super)?Admin/i.test(name)) return `the guard ${name}()`;
    }
  }
  return undefined;
}

/**
 * `!user.isAdmin`, `role !== 'admin'`, `!session || !isAdmin(session)`, and the admin an environment variable names —
 * `user.id !== Number(process.env.NEXT_PUBLIC_ADMIN)`, `!process.env.ADMIN_EMAILS?.split(',').includes(email)`, also
 * through a `const` (`const allowed = process.env.ADMIN_EMAILS.split(','); if (!allowed.includes(email))`): true for
 * everyone who is not an admin.
 */
function deniesNonAdmin(condition: ts.Expression): boolean {
  const inner = skipParens(condition);
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) {
    if (ADMIN_WORD.test(inner.operand.getText())) return true;
    // `!allowed.includes(email)`: a membership test of a list of admins held in a const. (A negated boolean const,
    // `!isRegular`, is not followed: what it holds may be the opposite of an admin check.)
    const operand = skipParens(inner.operand);
    return ts.isCallExpression(operand) && ts.isPropertyAccessExpression(operand.expression) && holdsAdmin(operand.expression.expression);
  }
  if (!ts.isBinaryExpression(inner)) return false;
  const kind = inner.operatorToken.kind;
  if (kind === ts.SyntaxKind.BarBarToken) return deniesNonAdmin(inner.left) || deniesNonAdmin(inner.right);
  return (
    (kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken) &&
    (ADMIN_WORD.test(inner.getText()) || isAdminName(inner.left) || isAdminName(inner.right))
  );
}

/** One side of `user.id !== owner`: a bare name whose `const` holds the admin (not a chain: `session.user.id`). */
function isAdminName(side: ts.Expression): boolean {
  const inner = skipParens(side);
  return ts.isIdentifier(inner) && holdsAdmin(inner);
}

/**
 * A name whose `const` holds the admins: `const owner = Number(process.env.NEXT_PUBLIC_ADMIN)` compared as
 * `user.id !== owner`; the list a membership test reads (`allowed` of `allowed.includes(email)`, through its chain).
 */
function holdsAdmin(expression: ts.Expression): boolean {
  const inner = skipParens(expression);
  const root = ts.isIdentifier(inner)
    ? inner
    : ts.isPropertyAccessExpression(inner) || ts.isCallExpression(inner)
      ? chainRoot(inner)
      : undefined;
  if (!root || !ts.isIdentifier(root)) return false;
  const declaration = lookup(root.text, root);
  return declaration?.kind === 'const' && !!declaration.initializer && ADMIN_WORD.test(declaration.initializer.getText());
}

function exits(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length > 0 && exits(statement.statements[statement.statements.length - 1]);
}

function compactText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

/**
 * What `fn` itself does that makes it start-up code: it creates the application (`NestFactory.create(…)`)
 * or sets it up once (`app.listen(…)`, `app.useGlobalPipes(…)`, `app.enableCors()`), whatever its name.
 */
function setsUpApp(fn: FunctionLike): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipParens(node.expression);
      const dotted =
        ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
          ? `${callee.expression.text}.${callee.name.text}`
          : undefined;
      if (dotted && APP_FACTORIES.has(dotted)) found = `creates the application (${dotted})`;
      else if (ts.isPropertyAccessExpression(callee) && APP_SETUP_METHODS.has(callee.name.text) && !isOtherListen(callee))
        found = `sets up the application (${callee.name.text}())`;
      if (found) return;
    }
    if (node !== fn && isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** `listen` is also other objects' word (a queue, a socket): only an app or server receiver counts. */
function isOtherListen(callee: ts.PropertyAccessExpression): boolean {
  if (callee.name.text !== 'listen') return false;
  const root = chainRoot(callee.expression);
  const name = root && ts.isIdentifier(root) ? root.text : '';
  return !/^(app|application|server|httpServer|fastify|nestApp)$/i.test(name);
}

/**
 * Admin-only: the route's path has an `admin` segment, the file lives under `admin/`, or a guard or middleware says admin.
 * `site` is where the handler is registered: the function itself, or the name it is handed on by.
 */
function isAdminOnly(handler: RequestHandler, path: string, site: ts.Node): boolean {
  if (handler.path && /(^|\/)admin(\/|$)/i.test(handler.path)) return true;
  if (/(^|\/)admin\//i.test(path) || isAdminRoute(path)) return true;
  // Nest: `@Roles('admin')`, `@UseGuards(AdminGuard)` on the method or its class.
  const holders: ts.Node[] = [handler.fn];
  if (handler.fn.parent && ts.isClassLike(handler.fn.parent)) holders.push(handler.fn.parent);
  for (const holder of holders) {
    for (const decorator of ts.canHaveDecorators(holder) ? (ts.getDecorators(holder) ?? []) : []) {
      if (ADMIN_WORD.test(decorator.expression.getText())) return true;
    }
  }
  // Express: `router.get('/x', requireAdmin, handler)` — a middleware before the handler says admin.
  let argument: ts.Node = site;
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

const oncePackages = new WeakMap<FileFacts, ContextFact | null>();

/**
 * The package of `facts`' file runs once per invocation: the nearest package.json (read through the project host)
 * makes it a command-line tool (`bin`, an argument parser, no web framework: toolPackages.ts), or the package is a
 * folder of scripts or benchmarks by its folder's or its name's last word (`packages/scripts`, `@acme/scripts`).
 * Decided once per file.
 */
function onceRunPackage(facts: FileFacts): ContextFact | undefined {
  let answer = oncePackages.get(facts);
  if (answer === undefined) {
    answer = null;
    const found = facts.modules?.nearestManifest?.(facts.fileName);
    if (found?.manifest) {
      const where = projectPathOfManifest(found.fileName);
      // Only a package inside a larger project: a standalone command-line tool (a linter, a bundler) is the product,
      // and its per-item cost is paid on every file or row it processes.
      const above = facts.modules?.nearestManifest?.(path.join(path.dirname(path.dirname(found.fileName)), 'package.json'));
      const cli = above ? commandLineEvidence(found.manifest) : undefined;
      const folder = found.fileName.replace(/\\/g, '/').split('/').at(-2) ?? '';
      const name = typeof found.manifest.name === 'string' ? (found.manifest.name.split('/').at(-1) ?? '') : '';
      if (cli) answer = { context: 'script', reason: `in a command-line tool (${where} ${cli}), run once per invocation` };
      else if (SCRIPT_PACKAGE.test(folder) || SCRIPT_PACKAGE.test(name))
        answer = { context: 'script', reason: `in a package of scripts or benchmarks (${where}), run by hand` };
    }
    oncePackages.set(facts, answer);
  }
  return answer ?? undefined;
}

/** `admin-cli/package.json` as the reason names it: the package's folder and the file, not the whole path. */
function projectPathOfManifest(fileName: string): string {
  return fileName.replace(/\\/g, '/').split('/').slice(-2).join('/');
}

/**
 * A Remix route file under an `admin` segment: flat routes name segments with dots (`app/routes/admin.users.tsx`,
 * `app/routes/admin.api.v1.migrate.ts`, `_app.admin.tsx`) or with `+` folders (`app/routes/admin+/users.tsx`).
 */
function isAdminRoute(path: string): boolean {
  const route = /(^|\/)app\/routes\/(.+)$/.exec(path);
  if (!route) return false;
  return route[2]
    .replace(/\.[cm]?[jt]sx?$/, '')
    .split(/[/.]/)
    .some((segment) => /^_?admin\+?$/i.test(segment));
}
