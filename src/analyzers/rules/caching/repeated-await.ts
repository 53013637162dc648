import { ts } from '../../ts';
import { defineRule } from '../../rule';
import {
  calleeName,
  chainRoot,
  enclosingFunction,
  isFunctionLike,
  isWriteReference,
  skipParens,
  skipParensUp,
  type FunctionLike,
} from '../../facts/ast';
import { isValueReference, resolve, type Declaration } from '../../facts/dataflow';
import { clientCall, sqlOfCall, sqlWrites, type ClientCallNode } from '../../facts/clients';
import type { FileFacts } from '../../facts/fileFacts';
import { compact } from '../../facts/phrases';

/** Names of calls that only look something up: a second identical one should give the same answer. */
const READ_NAME = /^(get|find|fetch|load|read|query|select|list|count|lookup|retrieve|search|exists|has|describe|stat|head)([A-Z_0-9]|$)/;
/** Names of calls that change something: after one of them, asking again is deliberate. */
const WRITE_NAME =
  /^(save|update|create|insert|delete|del|remove|set|put|post|patch|write|send|upsert|destroy|add|push|increment|decrement|incr|decr|reset|clear|flush|commit|rollback|invalidate|refresh|reload|sync|emit|publish|dispatch|mutate|apply|exec|execute|run|process|handle|start|stop|close|open|connect|disconnect|login|logout|register|enqueue|lock|unlock|acquire|release|wait|sleep|delay|retry|poll|upload|download|move|copy|rename|mkdir|unlink|rm|touch|append|replace|merge|import|seed|migrate|drop|truncate|kill|restart|trigger|notify|mark|assign|attach|detach|approve|cancel|confirm|submit|grant|revoke)/i;

interface AwaitedCall {
  await: ts.AwaitExpression;
  call: ts.CallExpression;
  key: string;
  statement: ts.Statement;
  /** The name the first result is kept in (`user` of `const user = await getUser(id)`). */
  result?: string;
}

export default defineRule({
  meta: {
    id: 'repeated-await',
    category: 'caching',
    description:
      'The same read — an awaited call with the same arguments — made twice in one function with nothing in between ' +
      'that could change its answer.',
    why:
      'Every awaited lookup is a round trip: a query, a request, a file read. Asking the same question twice in one ' +
      'function, with nothing written in between, doubles the latency and the load on the database or service for an ' +
      'answer the function already has — typically when two parts of a handler each load "the current user".',
    howToFix:
      'Keep the first result in a variable and reuse it. If the second call is meant to see a change, make the write ' +
      'that causes it visible between the two (calls that write — save, update, delete, send… — already silence this ' +
      'rule).',
    notReported: [
      'Calls with different arguments',
      'Calls in different branches',
      'Polling loops',
      'A second read after a call the engine knows writes, whatever its name: an ORM create/update/delete, raw SQL whose ' +
        'statement is an INSERT, UPDATE, DELETE or DDL (written inline, held by a `const`, built by pg-format `format(…)`), ' +
        '`$executeRaw`',
      'A second read in the `catch` of a `try` that awaits something not known to be a read (select; the insert fails on a ' +
        'unique conflict; select again): the failure is news, the answer may differ',
    ],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'calls',
      scaled: true,
      why: 'the second round trip is paid each time the code runs, a fixed cost unless what it reads grows',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['await'] },
    rewrites: {
      except: {
        'strip-types':
          'not yet: part of what it recognises comes from type annotations, and the `.js` twin has none (invalid example 0 is not reported)',
      },
    },
    messages: {
      repeated: {
        message:
          '`await {{call}}` repeats the identical call made at line {{line}} of this function, and nothing in between can ' +
          'change its answer: a second round trip for the same result.',
        note: '{{reuse}}',
      },
    },
    examples: {
      invalid: [
        {
          code: `export async function profile(db: Db, id: string) {
  const user = await db.findUser(id);
  const posts = await db.listPosts(id);
  const again = await db.findUser(id);
  return { name: user.name, posts, avatar: again.avatar };
}

interface Db {
  findUser(id: string): Promise<{ name: string; avatar: string }>;
  listPosts(id: string): Promise<string[]>;
}`,
          errors: [{ messageId: 'repeated', line: 4, column: 17 }],
        },
      ],
      valid: [
        `// A write in between: reading again is deliberate.
export async function rename(db: Db, id: string, name: string) {
  const before = await db.findUser(id);
  await db.updateUser(id, { name });
  const after = await db.findUser(id);
  return [before, after];
}

interface Db {
  findUser(id: string): Promise<unknown>;
  updateUser(id: string, data: object): Promise<void>;
}`,
        `// Different arguments.
export async function pair(db: { findUser(id: string): Promise<unknown> }, a: string, b: string) {
  return [await db.findUser(a), await db.findUser(b)];
}`,
        `// The object it reads is handed to another call in between, which may change it.
export async function lookup(config: Config, packageFiles: PackageFile[]) {
  const before = await fetchVulnerabilities(config, packageFiles);
  await fetchUpdates(config, packageFiles);
  const after = await fetchVulnerabilities(config, packageFiles);
  return { before, after };
}`,
        `// The argument changes in between.
export async function walk(db: { findNode(id: string): Promise<{ next: string }> }, id: string) {
  let current = id;
  const first = await db.findNode(current);
  current = first.next;
  const second = await db.findNode(current);
  return second;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const byFunction = new Map<FunctionLike, Map<string, AwaitedCall>>();
    return {
      AwaitExpression(node) {
        const call = skipParens(node.expression);
        if (!ts.isCallExpression(call)) return;
        const name = calleeName(call);
        if (name === undefined || !READ_NAME.test(name) || WRITE_NAME.test(name)) return;
        const root = chainRoot(call.expression);
        if (root && ts.isIdentifier(root) && root.text === 'Promise') return;
        const fn = enclosingFunction(node);
        if (!fn) return;
        const statement = wholeStatement(node);
        const key = file.textOf(call);
        let calls = byFunction.get(fn);
        if (!calls) byFunction.set(fn, (calls = new Map()));
        const earlier = calls.get(key);
        // Only an await that makes up its own statement surely ran once that statement is done: it can be the first of a pair.
        if (statement) calls.set(key, { await: node, call, key, statement: statement.statement, result: statement.result });
        if (!earlier) return;
        const current: AwaitedCall = { await: node, call, key, statement: statement?.statement ?? earlier.statement };
        if (!alwaysBefore(earlier.statement, node) || changedBetween(earlier, current, fn, file)) return;
        const line = file.lines.range(file.start(earlier.await), earlier.await.end).start.line;
        context.report({
          node,
          messageId: 'repeated',
          data: {
            call: compact(file.textOf(call), 50),
            line,
            reuse: earlier.result ? `Reuse \`${earlier.result}\`.` : 'Keep the first result in a variable and reuse it.',
          },
          // What the repeated read returns decides what the second round trip costs: one row is a fixed amount.
          evidence: { collection: node },
        });
      },
    };
  },
});

/**
 * The statement the await makes up by itself — `await f();`, `const x = await f();`,
 * `x = await f();`, `return await f();` — so it surely ran once the statement completed.
 */
function wholeStatement(node: ts.AwaitExpression): { statement: ts.Statement; result?: string } | undefined {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  if (!parent) return undefined;
  if (ts.isExpressionStatement(parent)) return { statement: parent };
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer) {
    const statement = parent.parent?.parent;
    if (statement && ts.isVariableStatement(statement))
      return { statement, result: ts.isIdentifier(parent.name) ? parent.name.text : undefined };
  }
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === outer &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.parent &&
    ts.isExpressionStatement(parent.parent)
  ) {
    return {
      statement: parent.parent,
      result: ts.isIdentifier(skipParens(parent.left)) ? (skipParens(parent.left) as ts.Identifier).text : undefined,
    };
  }
  return undefined;
}

/** `first` is a statement of a block that also holds `later` further down: whenever `later` runs, `first` ran before. */
function alwaysBefore(first: ts.Statement, later: ts.Node): boolean {
  const block = first.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block) || ts.isModuleBlock(block))) return false;
  if (later.pos < first.end || later.end > block.end) return false;
  // Not across a loop boundary: `later` must not sit in a loop that `first` is outside of (a poll).
  for (let current = later.parent; current && current !== block; current = current.parent) {
    if (ts.isIterationStatement(current, false) || isFunctionLike(current)) return false;
  }
  return true;
}

/**
 * A call the engine knows changes data, whatever its name: a client write (an ORM create/update/delete, a
 * raw `$executeRaw`), or SQL whose statement writes (`client.query(insertSql)` with `const insertSql =
 * 'INSERT …'`, pg-format's `format('INSERT …', rows)`).
 */
function writes(node: ClientCallNode, file: FileFacts): boolean {
  return clientCall(node, file)?.kind === 'write' || sqlWrites(sqlOfCall(node));
}

/** A client read whose operation is known: raw SQL whose text cannot be told could be anything. */
function isKnownRead(node: ClientCallNode, file: FileFacts): boolean {
  const client = clientCall(node, file);
  return client?.kind === 'query' && !(client.raw === true && client.statement === undefined);
}

/**
 * `later` is in the `catch` of a `try` that starts after `first` and awaits something the engine cannot show
 * is a read (select; the insert fails on a unique conflict; select again): the failure is the news, and the
 * second answer may differ from the first.
 */
function retriedAfterFailure(first: AwaitedCall, later: AwaitedCall, file: FileFacts): boolean {
  for (let current: ts.Node | undefined = later.await.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return false;
    if (!ts.isCatchClause(current)) continue;
    const attempt = (current.parent as ts.TryStatement).tryBlock;
    if (attempt.pos < first.await.end) return false;
    let unknown = false;
    const visit = (node: ts.Node): void => {
      if (unknown || isFunctionLike(node)) return;
      if (ts.isAwaitExpression(node)) {
        const awaited = skipParens(node.expression);
        const known =
          (ts.isCallExpression(awaited) || ts.isTaggedTemplateExpression(awaited)) &&
          (file.textOf(awaited) === later.key || isKnownRead(awaited, file));
        if (!known) unknown = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(attempt);
    if (unknown) return true;
  }
  return false;
}

/**
 * `argument` is one of `names` as it is — an object or list the callee may change —, not a value read from it nor a
 * value its declaration types as a string, number, boolean or bigint (which no callee can change).
 */
function handsOn(argument: ts.Expression, names: ReadonlySet<Declaration>): boolean {
  const inner = skipParens(argument);
  if (!ts.isIdentifier(inner)) return false;
  const declaration = resolve(inner);
  if (declaration === undefined || !names.has(declaration)) return false;
  const node = declaration.node;
  const type = (ts.isParameter(node) || ts.isVariableDeclaration(node)) && node.type;
  return !(type && PRIMITIVE_TYPES.has(type.kind));
}

const PRIMITIVE_TYPES = new Set([
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.BigIntKeyword,
]);

/** Between the two calls: a name the call reads is reassigned, handed to an awaited call, or a call that writes is made. */
function changedBetween(first: AwaitedCall, later: AwaitedCall, fn: FunctionLike, file: FileFacts): boolean {
  if (retriedAfterFailure(first, later, file)) return true;
  const names = new Set<Declaration>();
  const collect = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isValueReference(node)) {
      const declaration = resolve(node);
      if (declaration) names.add(declaration);
      return;
    }
    ts.forEachChild(node, collect);
  };
  collect(later.call);
  const start = first.await.end;
  const end = later.await.pos;
  let changed = false;
  const visit = (node: ts.Node): void => {
    if (changed || node.end <= start || node.pos >= end) return;
    if (ts.isIdentifier(node) && isWriteReference(node)) {
      const declaration = resolve(node);
      if (declaration && names.has(declaration)) changed = true;
    }
    if ((ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) && node.pos >= start && writes(node, file)) changed = true;
    if (ts.isCallExpression(node) && node.pos >= start) {
      const name = calleeName(node);
      // An awaited call handed an object the second call reads may change it (`fetchUpdates(config, packageFiles)`
      // between two `fetchVulnerabilities(config, packageFiles)`), whatever its name says.
      const awaitedCall = skipParensUp(node).parent;
      if (awaitedCall && ts.isAwaitExpression(awaitedCall) && node.arguments.some((argument) => handsOn(argument, names))) changed = true;
      if (name === undefined || WRITE_NAME.test(name) || !READ_NAME.test(name)) {
        // Any awaited call that is not a plain read may have changed what the second call sees.
        const awaited = skipParensUp(node).parent;
        if (name === undefined || WRITE_NAME.test(name) || (awaited && ts.isAwaitExpression(awaited))) changed = true;
      }
    }
    if (
      ts.isBinaryExpression(node) &&
      node.pos >= start &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      // A write through a property the call reads (`ctx.user = …` before `getUser(ctx.id)`).
      const target = file.textOf(skipParens(node.left));
      if (file.textOf(later.call).includes(target)) changed = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return changed;
}
