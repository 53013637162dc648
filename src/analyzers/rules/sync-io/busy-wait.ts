import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, dottedName, isFunctionLike, referencedNames, skipParens } from '../../facts/ast';
import { lookup } from '../../facts/dataflow';

export default defineRule({
  meta: {
    id: 'busy-wait',
    category: 'sync-io',
    description: 'A loop that spins, doing nothing but reading the clock, until a deadline passes: a synchronous sleep.',
    why:
      '`while (Date.now() < end) {}` keeps the thread at 100% CPU for the whole wait and blocks the event loop: no request is ' +
      'answered, no timer fires, no I/O completes until it ends. A 200 ms "sleep" in a request path stalls every other request by ' +
      '200 ms, and the spinning core is unavailable to anything else on the machine.',
    howToFix:
      'Wait without blocking: `await setTimeout(ms)` from `node:timers/promises` (or `await new Promise((r) => ' +
      'setTimeout(r, ms))`). Code that really must block (a synchronous API) belongs in a worker thread, where ' +
      '`Atomics.wait` sleeps without spinning.',
    notReported: [
      'Loops that do work each pass (polling a condition that other code changes is not possible in a synchronous loop ' + 'anyway)',
    ],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'claim',
      cpu: true,
      why: 'a spinning loop burns a core and blocks the thread wherever it runs',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'migrations', 'build-config', 'worker-threads', 'tool-packages'] },
    messages: {
      spin: {
        message:
          'This loop spins on {{clock}} until a deadline passes: it blocks the event loop and burns a CPU core for the ' + 'whole wait.',
        note: 'Use await setTimeout(ms) from node:timers/promises instead.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export function sleep(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
}`,
          errors: [{ messageId: 'spin', line: 3, column: 3 }],
        },
        {
          code: `export function pause(ms) {
  const start = performance.now();
  do {
    // wait
  } while (performance.now() - start < ms);
}`,
          errors: [{ messageId: 'spin', line: 3, column: 3 }],
        },
        {
          code: `export function waitUntil(deadline: number) {
  for (;;) {
    if (new Date().getTime() >= deadline) break;
  }
}`,
          errors: [{ messageId: 'spin', line: 2, column: 3 }],
        },
      ],
      valid: [
        `import { setTimeout as sleep } from 'node:timers/promises';

export async function pause(ms: number) {
  await sleep(ms);
}`,
        `// Work is done on every pass: a time-boxed loop, not a sleep.
export function crunch(items: Item[], budgetMs: number) {
  const end = Date.now() + budgetMs;
  let i = 0;
  while (i < items.length && Date.now() < end) process(items[i++]);
  return i;
}`,
        {
          code: `export function sleep(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
}`,
          filename: 'test/helpers/sleep.ts',
        },
      ],
    },
  },
  check(context) {
    const check = (loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement): void => {
      const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
      const clock = spinsOn(loop, condition);
      if (clock) context.report({ node: loop, messageId: 'spin', data: { clock } });
    };
    return { WhileStatement: check, DoStatement: check, ForStatement: check };
  },
});

const CLOCK_CALLS = new Set(['Date.now', 'performance.now', 'process.hrtime', 'process.hrtime.bigint', 'process.uptime']);

/** `Date.now()`, `performance.now()`, `new Date().getTime()`, `+new Date()`, `process.hrtime.bigint()` as written, or undefined. */
function clockRead(node: ts.Node): string | undefined {
  if (ts.isCallExpression(node)) {
    const name = dottedName(node.expression);
    if (name && CLOCK_CALLS.has(name)) return `${name}()`;
    if ((calleeName(node) === 'getTime' || calleeName(node) === 'valueOf') && ts.isPropertyAccessExpression(node.expression)) {
      const target = skipParens(node.expression.expression);
      if (
        ts.isNewExpression(target) &&
        ts.isIdentifier(target.expression) &&
        target.expression.text === 'Date' &&
        !target.arguments?.length
      )
        return 'new Date().getTime()';
    }
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && !node.arguments?.length)
    return 'new Date()';
  return undefined;
}

/**
 * The clock a loop spins on: the clock is read in its condition (or in an `if (…) break` that is
 * the whole body), and nothing else happens — no call, await, yield or assignment but to locals
 * that only hold the clock.
 */
function spinsOn(loop: ts.IterationStatement, condition: ts.Expression | undefined): string | undefined {
  let clock = condition ? findClock(condition) : undefined;
  let body: ts.Statement | undefined = loop.statement;
  // while (now - start < ms) { now = Date.now(); }
  if (!clock && condition && body) clock = clockAssignedTo(body, referencedNames(condition));
  if (!clock) {
    // for (;;) { if (Date.now() >= deadline) break; }
    const statements = body && ts.isBlock(body) ? body.statements : body ? [body] : [];
    if (statements.length !== 1 || !ts.isIfStatement(statements[0])) return undefined;
    const exit = statements[0];
    const then =
      ts.isBlock(exit.thenStatement) && exit.thenStatement.statements.length === 1 ? exit.thenStatement.statements[0] : exit.thenStatement;
    if (!ts.isBreakStatement(then) || exit.elseStatement) return undefined;
    if (condition && !(condition.kind === ts.SyntaxKind.TrueKeyword)) return undefined;
    clock = findClock(exit.expression);
    if (!clock || hasEffects(exit.expression)) return undefined;
    body = undefined;
  }
  if (condition && hasEffects(condition)) return undefined;
  if (ts.isForStatement(loop) && loop.incrementor && hasEffects(loop.incrementor)) return undefined;
  if (body && !isIdle(body)) return undefined;
  return clock;
}

/** The clock a body reads into a name the condition tests: `now = Date.now()`. */
function clockAssignedTo(body: ts.Statement, tested: ReadonlySet<string>): string | undefined {
  const statements = ts.isBlock(body) ? body.statements : [body];
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = skipParens(statement.expression);
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = skipParens(expression.left);
    if (ts.isIdentifier(left) && tested.has(left.text)) {
      const clock = findClock(expression.right);
      if (clock) return clock;
    }
  }
  return undefined;
}

function findClock(node: ts.Node): string | undefined {
  let found: string | undefined;
  const visit = (current: ts.Node): void => {
    if (found) return;
    found = clockRead(current);
    if (!found) ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** True when the expression calls something other than a clock, awaits, or writes anything but plain locals. */
function hasEffects(node: ts.Node): boolean {
  let effects = false;
  const visit = (current: ts.Node): void => {
    if (effects) return;
    if (isFunctionLike(current)) return;
    if (ts.isCallExpression(current) || ts.isNewExpression(current)) {
      if (!clockRead(current)) {
        effects = true;
        return;
      }
    } else if (ts.isAwaitExpression(current) || ts.isYieldExpression(current) || ts.isDeleteExpression(current)) {
      effects = true;
      return;
    } else if (
      ts.isBinaryExpression(current) &&
      current.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      current.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      const left = skipParens(current.left);
      if (!ts.isIdentifier(left) || !lookup(left.text, left)) {
        effects = true;
        return;
      }
    } else if (ts.isPrefixUnaryExpression(current) || ts.isPostfixUnaryExpression(current)) {
      if (current.operator === ts.SyntaxKind.PlusPlusToken || current.operator === ts.SyntaxKind.MinusMinusToken) {
        effects = true;
        return;
      }
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return effects;
}

/** An empty body, an empty statement, or only comments and reads of the clock into locals. */
function isIdle(body: ts.Statement): boolean {
  if (ts.isEmptyStatement(body)) return true;
  if (ts.isBlock(body)) return body.statements.every((statement) => isIdle(statement));
  if (ts.isExpressionStatement(body)) return !hasEffects(body.expression) && findClock(body.expression) !== undefined;
  return false;
}
