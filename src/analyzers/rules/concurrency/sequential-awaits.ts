import { ts } from '../../ts';
import { defineRule, type FixSpec, type RuleContext } from '../../rule';
import { boundNames, chainRoot, enclosingFunction, indentationAt, isInside, newlineOf, referencedNames, skipParens } from '../../facts/ast';
import { lookup } from '../../facts/dataflow';
import { compact } from '../../facts/phrases';
import { callIo } from '../../facts/summaries';
import { awaitedClientCall, transactionAround, type ClientCall, type ClientCallNode } from '../../facts/clients';
import type { FileFacts } from '../../facts/fileFacts';
import { perItemCall } from '../../facts/perItem';
import { aggregatedRows, dataScale, limitOf, type ScaleFact } from '../../facts/scale';
import { isFilteredRead } from '../../facts/perParent';

const SK = ts.SyntaxKind;

/** Handles that are one connection by name: node-postgres and mysql2 queue a connection's queries, so overlapping them gains nothing. */
const CONNECTION_NAME = /^(client|conn|connection|dbClient|pgClient|poolClient|[a-z]*Connection)$/;

interface Member {
  statement: ts.Statement;
  await: ts.AwaitExpression;
  call: ClientCallNode;
  client: ClientCall;
  /** Names the statement binds or assigns. */
  names: string[];
  /** `const`, `let`, `var`, or undefined for an assignment. */
  declarationKind?: 'const' | 'let' | 'var';
  declaration?: ts.VariableDeclaration;
  /** A project function that only reads (helperRead), not a client call written inline. */
  helper: boolean;
}

export default defineRule({
  meta: {
    id: 'sequential-awaits',
    category: 'concurrency',
    description:
      'Two or more independent read-only queries or GET requests — inline, or through project functions that only read ' +
      '— are awaited one after another.',
    why:
      'Each await waits for a full round trip before the next one starts, so the function takes the sum of the ' +
      'latencies instead of the longest one: three 40 ms lookups cost 120 ms where 40 ms would do. Nothing forces ' +
      'the order — no later call uses an earlier result — so the wait is pure idle time on every request.',
    howToFix:
      'Start them together: `const [user, orders] = await Promise.all([findUser(id), findOrders(id)]);`. This changes ' +
      'error and ordering semantics: the first rejection wins (the others still run, and their errors are lost), and ' +
      'all of them run even when the first fails — use `Promise.allSettled` when each failure must be handled.',
    notReported: [
      'Writes (their order may matter: foreign keys, hooks, triggers)',
      'Calls that use an earlier result',
      'Calls on one shared transaction (`tx`, `trx`, `queryRunner`, a `$transaction` callback) or on one connection ' +
        '(`client`, `conn`: node-postgres queues its queries, so nothing is gained)',
      'Results stored in shared state (`this.user = await …`, a module variable: running them together changes when ' +
        'and whether it is written)',
      'Project functions that write anything (I/O or state outside themselves)',
      'Awaits already reported as a query or request per loop item',
    ],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'calls',
      scaled: true,
      latency: true,
      why:
        'Promise.all saves all but the longest read, a fixed round trip, unless at least two of the reads grow with the ' +
        'data (a count or an aggregate over a table, a list read without a limit; a read capped by a limit such as ' +
        '`take: 50` is a fixed cost): a warning needs two such reads on a request path',
    },
    fix: 'suggestion',
    fixForm: '`Promise.all`',
    scope: { skip: ['tests', 'scripts', 'migrations', 'build-config'] },
    rewrites: {
      except: {
        rename: "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 2 is not reported",
        'strip-types':
          'not yet: part of what it recognises comes from type annotations, and the `.js` twin has none (invalid example 2 is not reported)',
      },
    },
    messages: {
      sequential: {
        message:
          '{{count}} independent {{what}} are awaited one after another ({{operations}}): each waits for the previous ' + 'round trip.',
        note:
          'Start them together with Promise.all — this changes error and ordering semantics: the first rejection wins, and ' +
          'all of them run even if one fails.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { prisma } from './db';

export async function dashboard(userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  const orders = await prisma.order.findMany({ where: { userId } });
  return { user, orders };
}`,
          errors: [{ messageId: 'sequential', line: 4, column: 3 }],
        },
        {
          code: `export async function page(slug: string) {
  const article = await fetch(\`/api/articles/\${slug}\`).then((r) => r.json());
  const comments = await fetch(\`/api/articles/\${slug}/comments\`).then((r) => r.json());
  const related = await fetch(\`/api/related?slug=\${slug}\`).then((r) => r.json());
  return { article, comments, related };
}`,
          errors: [{ messageId: 'sequential', line: 2, column: 3 }],
        },
        {
          code: `import { Repository } from 'typeorm';

export class ReportService {
  constructor(private readonly users: Repository<User>, private readonly invoices: Repository<Invoice>) {}

  async summary(accountId: number) {
    const members = await this.users.countBy({ accountId });
    const unpaid = await this.invoices.findBy({ accountId, paid: false });
    return { members, unpaid };
  }
}`,
          errors: [{ messageId: 'sequential', line: 7, column: 5 }],
        },
      ],
      valid: [
        `import { prisma } from './db';

// The second query uses the first one's result.
export async function withTeam(userId: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const team = await prisma.team.findUnique({ where: { id: user.teamId } });
  return { user, team };
}`,
        `import { prisma } from './db';

// Writes keep their order: the order row must exist before its lines.
export async function place(cart: Cart) {
  const order = await prisma.order.create({ data: { userId: cart.userId } });
  await prisma.orderLine.createMany({ data: cart.lines.map((l) => ({ ...l, orderId: order.id })) });
}`,
        `import { prisma } from './db';

// One transaction: its queries share a connection and must not interleave.
export async function transfer(from: string, to: string) {
  return prisma.$transaction(async (tx) => {
    const source = await tx.account.findUnique({ where: { id: from } });
    const target = await tx.account.findUnique({ where: { id: to } });
    return { source, target };
  });
}`,
        `import { Pool } from 'pg';

const pool = new Pool();

// One connection: node-postgres queues its queries, so Promise.all would gain nothing.
export async function stats() {
  const client = await pool.connect();
  try {
    const users = await client.query('SELECT count(*) FROM users');
    const orders = await client.query('SELECT count(*) FROM orders');
    return { users: users.rows[0], orders: orders.rows[0] };
  } finally {
    client.release();
  }
}`,
        `import { prisma } from './db';

// Something runs between the awaits.
export async function audited(id: string) {
  const before = await prisma.doc.findUnique({ where: { id } });
  log('read', id);
  const after = await prisma.doc.findUnique({ where: { id } });
  return before === after;
}`,
        `import { prisma } from './db';

// Already concurrent.
export async function both(id: string) {
  const [user, posts] = await Promise.all([prisma.user.findUnique({ where: { id } }), prisma.post.findMany({ where: { authorId: id } })]);
  return { user, posts };
}`,
        `import axios from 'axios';

// POST then GET: the write must land before the read.
export async function save(item: Item) {
  const created = await axios.post('/api/items', item);
  const list = await axios.get('/api/items');
  return { created, list };
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      Block(block) {
        // Allocates nothing for the (many) blocks without two awaited statements in a row.
        if (!hasAdjacentAwaits(block.statements)) return;
        let run: Member[] | undefined;
        for (const statement of block.statements) {
          const member = memberOf(statement, file);
          if (!member) {
            if (run && run.length >= 2) report(run, context.report, file);
            run = undefined;
            continue;
          }
          if (run && !independent(run, member)) {
            if (run.length >= 2) report(run, context.report, file);
            run = undefined;
          }
          (run ??= []).push(member);
        }
        if (run && run.length >= 2) report(run, context.report, file);
      },
    };
  },
});

/** `x = await …` / `const x = await …`: the shape of a member, by syntax alone. */
function isAwaitStatement(statement: ts.Statement): boolean {
  if (ts.isVariableStatement(statement)) {
    const declaration = statement.declarationList.declarations[0];
    return (
      statement.declarationList.declarations.length === 1 &&
      !!declaration.initializer &&
      ts.isAwaitExpression(skipParens(declaration.initializer))
    );
  }
  if (ts.isExpressionStatement(statement)) {
    const expression = skipParens(statement.expression);
    return (
      ts.isBinaryExpression(expression) &&
      expression.operatorToken.kind === SK.EqualsToken &&
      ts.isAwaitExpression(skipParens(expression.right))
    );
  }
  return false;
}

/** Two awaited statements in a row: the cheap test before anything is resolved. */
function hasAdjacentAwaits(statements: readonly ts.Statement[]): boolean {
  for (let i = 1; i < statements.length; i++) if (isAwaitStatement(statements[i]) && isAwaitStatement(statements[i - 1])) return true;
  return false;
}

/** `const x = await <read>;`, `let { data } = await <GET>;`, `x = await <read>;` — a read-only round trip, alone in its statement. */
function memberOf(statement: ts.Statement, file: FileFacts): Member | undefined {
  let awaited: ts.AwaitExpression | ts.Expression;
  let names: string[];
  let declarationKind: Member['declarationKind'];
  let declaration: ts.VariableDeclaration | undefined;
  if (ts.isVariableStatement(statement)) {
    const list = statement.declarationList;
    if (list.declarations.length !== 1) return undefined;
    declaration = list.declarations[0];
    if (!declaration.initializer) return undefined;
    awaited = skipParens(declaration.initializer);
    if (!ts.isAwaitExpression(awaited)) return undefined;
    names = boundNames(declaration.name);
    const flags = list.flags;
    declarationKind =
      flags & ts.NodeFlags.Const
        ? 'const'
        : flags & ts.NodeFlags.Let
          ? 'let'
          : flags & (ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)
            ? undefined
            : 'var';
    if (declarationKind === undefined) return undefined;
  } else if (ts.isExpressionStatement(statement)) {
    const expression = skipParens(statement.expression);
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== SK.EqualsToken) return undefined;
    awaited = skipParens(expression.right);
    if (!ts.isAwaitExpression(awaited)) return undefined;
    names = [...referencedNames(expression.left), ...thisPaths(expression.left)];
  } else {
    return undefined;
  }
  const inline = awaitedClientCall(awaited.expression, file);
  const found = inline ?? helperRead(awaited.expression, file);
  if (!found) return undefined;
  const { call, client } = found;
  if (!isReadOnly(client)) return undefined;
  if (containsAwait(awaited.expression)) return undefined;
  if (client.transaction || transactionAround(statement, file)) return undefined;
  // `this.user = await …`, `cache = await …`: state other code sees; running the reads together changes when (and whether) it is written.
  if (
    !declaration &&
    ts.isExpressionStatement(statement) &&
    writesShared((skipParens(statement.expression) as ts.BinaryExpression).left, statement)
  )
    return undefined;
  // Already a query or request per loop item: query-in-loop / request-in-loop say it better.
  if (perItemCall(call, client, file)) return undefined;
  return { statement, await: awaited, call, client, names, declarationKind, declaration, helper: !inline };
}

/**
 * `await fetchJson(url)`, `await this.users.findById(id)`: a project function whose only I/O is
 * reads (queries, GET requests) and that writes no state outside itself — as independent as a
 * read written inline. Its operation is named by the call as written.
 */
function helperRead(expression: ts.Expression, file: FileFacts): { call: ClientCallNode; client: ClientCall } | undefined {
  const inner = skipParens(expression);
  if (!ts.isCallExpression(inner)) return undefined;
  const callee = skipParens(inner.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const io = callIo(inner, file);
  if (!io || !io.summary.readOnly) return undefined;
  const first = io.summary.first;
  // One connection behind the helper (a pg Client, a transaction): its queries queue anyway.
  if (first.singleConnection || first.transaction) return undefined;
  const handle = ts.isPropertyAccessExpression(callee) ? file.textOf(callee.expression) : undefined;
  return { call: inner, client: { ...first, operation: `${compact(file.textOf(inner.expression), 40)}(…)`, handle } };
}

/** True when an assignment target is state that outlives the function: `this.x`, a module-level or closed-over variable. */
function writesShared(target: ts.Expression, at: ts.Node): boolean {
  const root = chainRoot(target);
  if (!root) return true;
  if (root.kind === SK.ThisKeyword) return true;
  const declaration = lookup((root as ts.Identifier).text, root);
  if (!declaration) return true;
  const fn = enclosingFunction(at);
  return !fn || !isInside(declaration.id, fn);
}

function isReadOnly(client: ClientCall): boolean {
  if (client.kind === 'http') return client.httpMethod === 'GET' || client.httpMethod === 'HEAD';
  if (client.kind !== 'query') return false;
  if (client.raw) return client.statement === 'SELECT' || client.statement === 'WITH';
  return true;
}

function containsAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(current)) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(current)) return;
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** `this.user` for `this.user.id`: the `this` fields an expression reads or writes, as names. */
function thisPaths(node: ts.Node): string[] {
  const paths: string[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isPropertyAccessExpression(current) && current.expression.kind === SK.ThisKeyword) {
      paths.push(`this.${current.name.text}`);
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return paths;
}

/** No earlier result is used, and the calls do not queue on one connection. */
function independent(run: readonly Member[], next: Member): boolean {
  const used = new Set([...referencedNames(next.await.expression), ...thisPaths(next.await.expression)]);
  for (const member of run) {
    if (member.names.some((name) => used.has(name))) return false;
    const handle = member.client.handle;
    if (handle !== undefined && handle === next.client.handle) {
      const last = handle.replace(/^this\./, '');
      if (member.client.singleConnection || next.client.singleConnection || CONNECTION_NAME.test(last)) return false;
    }
  }
  return true;
}

function report(run: readonly Member[], emit: RuleContext['report'], file: FileFacts): void {
  const kinds = new Set(run.map((member) => (member.client.kind === 'http' ? 'http' : 'query')));
  const what = kinds.size === 2 ? 'queries and requests' : kinds.has('http') ? 'requests' : 'queries';
  const counts = new Map<string, number>();
  for (const member of run) counts.set(member.client.operation, (counts.get(member.client.operation) ?? 0) + 1);
  const operations = [...counts].map(([operation, count]) => (count > 1 ? `${operation} ×${count}` : operation));
  const first = run[0].statement;
  const last = run[run.length - 1].statement;
  const fix = promiseAllFix(run, file);
  const scale = growingRead(run, file);
  emit({
    start: file.start(first),
    end: last.end,
    messageId: 'sequential',
    data: { count: run.length, what, operations: operations.join(', ') },
    fixes: fix ? [fix] : [],
    ...(scale ? { evidence: { scale } } : {}),
  });
}

/** Methods whose cost grows with the rows they read to answer: counts and aggregates (Prisma, TypeORM, Mongoose, Sequelize, knex). */
const AGGREGATES = new Set(['count', 'countBy', 'aggregate', 'groupBy', 'countDocuments', 'sum', 'average', 'avg', 'min', 'max', '$count']);
/** The same in SQL: `SELECT count(*)`, `sum(…)`, `GROUP BY`. */
const SQL_AGGREGATE = /\b(count|sum|avg)\s*\(|\bgroup\s+by\b/i;

/**
 * Whether the saving Promise.all makes grows with the data. Running the reads together saves all but the longest
 * one, so it grows only when at least TWO of them read growing rows: a count or an aggregate over a table or over
 * the events one record keeps gaining (its cost grows with the rows it reads; over one record's children, a team's
 * members, nothing says it does), or a list read without a limit (facts/scale.ts). One growing read beside lookups
 * saves the lookups' fixed round trips; a read capped by a limit (`take: 50`) is a fixed cost however large the
 * table. Undefined when nothing is known of any read: every one is a lookup of a row.
 */
function growingRead(run: readonly Member[], file: FileFacts): ScaleFact | undefined {
  const growing: ScaleFact[] = [];
  // What else was found: one record's children (unknown) says more than a capped read (bounded).
  let children: ScaleFact | undefined;
  let capped: ScaleFact | undefined;
  for (const member of run) {
    const fact = readScale(member, file);
    if (fact?.scale === 'grows') growing.push(fact);
    else if (fact?.scale === 'bounded') capped ??= fact;
    else if (fact?.reason) children ??= fact;
  }
  if (growing.length >= 2) {
    // Five counts of one table say it once: `… grows with them (×5)`.
    const times = new Map<string | undefined, number>();
    for (const fact of growing) times.set(fact.reason, (times.get(fact.reason) ?? 0) + 1);
    const said = [...times].map(([reason, count]) => (count > 1 ? `${reason} (×${count})` : reason));
    // Two reads across whole tables grow anywhere; reads a filter selects grow only on a request path (evidence.ts).
    const filtered = growing.filter((fact) => !fact.filtered).length < 2;
    return {
      scale: 'grows',
      reason: `${growing.length} of the overlapped reads grow with the data, so Promise.all saves a growing cost: ${said.join('; ')}`,
      ...(filtered && { filtered }),
    };
  }
  if (growing.length === 1)
    return {
      scale: 'unknown',
      reason: `only one of the overlapped reads grows (${growing[0].reason}): Promise.all saves the others' time, a fixed round trip`,
    };
  return children ?? capped;
}

/** How the rows one read of the run touches scale: capped by a limit (bounded), counted or listed (grows), one record's children (unknown). */
function readScale(member: Member, file: FileFacts): ScaleFact | undefined {
  const { client } = member;
  if (client.kind === 'query' && !member.helper) {
    const limit = limitOf(member.call, client);
    if (limit)
      return {
        scale: 'bounded',
        reason: `${client.operation}() reads at most ${limit.value ?? 'a page of'} rows (${limit.text}): a fixed cost however large the table`,
      };
  }
  if (client.kind === 'query') {
    const aggregate =
      (client.method !== undefined && AGGREGATES.has(client.method)) ||
      (client.raw === true && SQL_AGGREGATE.test(file.textOf(member.call)));
    // SQL's own filter is read only for a WHERE: a raw aggregate counts as reading across the table, or across what its WHERE selects.
    if (aggregate)
      return client.raw === true
        ? {
            scale: 'grows',
            reason: `${client.operation} counts or aggregates rows: its cost grows with them`,
            ...(isFilteredRead(member.call, client, undefined) && { filtered: true }),
          }
        : aggregatedRows(member.call, client);
  }
  const name = member.declaration && ts.isIdentifier(member.declaration.name) ? member.declaration.name : member.await;
  const fact = dataScale(name, file);
  return fact.scale === 'grows' ? fact : undefined;
}

/**
 * `const a = await x(); const b = await y();` → `const [a, b] = await Promise.all([x(), y()]);`,
 * when every statement declares with the same keyword, the type annotations are all there or all
 * absent, and no comment sits between the statements (it would be lost).
 */
function promiseAllFix(run: readonly Member[], file: FileFacts): FixSpec | undefined {
  const kind = run[0].declarationKind;
  if (!kind || kind === 'var' || run.some((member) => member.declarationKind !== kind || !member.declaration)) return undefined;
  const typed = run.filter((member) => member.declaration!.type).length;
  if (typed !== 0 && typed !== run.length) return undefined;
  const text = file.text;
  for (let i = 1; i < run.length; i++) {
    const between = text.slice(run[i - 1].statement.end, file.start(run[i].statement));
    if (/\/\/|\/\*/.test(between)) return undefined;
  }
  const names = run.map((member) => file.textOf(member.declaration!.name));
  const types = typed ? `: [${run.map((member) => file.textOf(member.declaration!.type!)).join(', ')}]` : '';
  const calls = run.map((member) => file.textOf(member.await.expression));
  const first = run[0].statement;
  const indent = indentationAt(text, file.start(first));
  const newline = newlineOf(text);
  const head = `${kind} [${names.join(', ')}]${types} = await Promise.all(`;
  const oneLine = `${head}[${calls.join(', ')}]);`;
  const multiLine = calls.some((call) => /[\r\n]/.test(call)) || indent.length + oneLine.length > 110;
  const newText = multiLine
    ? `${head}[${newline}${calls.map((call) => `${indent}  ${call},`).join(newline)}${newline}${indent}]);`
    : oneLine;
  return {
    title: 'Start them together with Promise.all (the first rejection wins; all run even if one fails)',
    kind: 'suggestion',
    edits: [{ start: file.start(first), end: run[run.length - 1].statement.end, newText }],
  };
}
