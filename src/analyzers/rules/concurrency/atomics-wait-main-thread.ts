import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { dottedName, enclosingFunction, referencedNames, skipParens, skipParensUp } from '../../facts/ast';

export default defineRule({
  meta: {
    id: 'atomics-wait-main-thread',
    category: 'concurrency',
    description:
      '`Atomics.wait` outside a worker thread: it blocks the main thread, and with it the event loop, until notified ' + 'or timed out.',
    why:
      '`Atomics.wait` puts the calling thread to sleep. In a worker that is the point; on the main thread of a Node server it ' +
      'freezes the event loop — no request, timer or socket is served until the wait ends — and browsers refuse it outright ' +
      '(a TypeError on the main thread). Used as a synchronous `sleep`, every call costs its full duration to every client.',
    howToFix:
      'On the main thread, wait asynchronously: `await Atomics.waitAsync(view, index, value).value` or `await ' +
      'setTimeout(ms)` from `node:timers/promises`. Keep `Atomics.wait` for worker threads (where it is reported by ' +
      'nobody).',
    notReported: ['Code under `if (!isMainThread)`'],
    impact: 'high',
    effort: 'medium',
    evidence: {
      basis: 'claim',
      cpu: true,
      why: 'blocking the main thread is the problem wherever it runs',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'migrations', 'build-config', 'worker-threads'] },
    messages: {
      mainThread: {
        message:
          'Atomics.wait blocks the main thread until it is notified or times out: the event loop stops for the whole wait ' +
          '(browsers throw).',
        note: 'Use await Atomics.waitAsync(…).value or await setTimeout(ms), or wait in a worker thread.',
      },
    },
    examples: {
      invalid: [
        {
          code: `const view = new Int32Array(new SharedArrayBuffer(4));

export function sleepSync(ms: number) {
  Atomics.wait(view, 0, 0, ms);
}`,
          errors: [{ messageId: 'mainThread', line: 4, column: 3 }],
        },
        {
          code: `export function waitForResult(shared: Int32Array) {
  Atomics.wait(shared, 0, 0);
  return shared[1];
}`,
          errors: [{ messageId: 'mainThread', line: 2, column: 3 }],
        },
      ],
      valid: [
        `import { parentPort, workerData } from 'node:worker_threads';

// A worker thread: blocking here is what workers are for.
const view = new Int32Array(workerData.buffer);
parentPort!.on('message', () => {
  Atomics.wait(view, 0, 0);
});`,
        `import { isMainThread } from 'node:worker_threads';

export function block(view: Int32Array) {
  if (!isMainThread) Atomics.wait(view, 0, 0);
}`,
        `export async function waitForResult(shared: Int32Array) {
  await Atomics.waitAsync(shared, 0, 0).value;
  return shared[1];
}`,
        `// A table of atomics (emscripten, polyfills): its callers decide where it runs.
export const LE_ATOMICS_WAIT = (heap: Int32Array, offset: number, value: number, timeout: number) => Atomics.wait(heap, offset, value, timeout);`,
      ],
    },
  },
  check(context) {
    return {
      CallExpression(call) {
        if (dottedName(call.expression) !== 'Atomics.wait') return;
        if (guardedOffMainThread(call) || isShim(call)) return;
        context.report({ node: call, messageId: 'mainThread' });
      },
    };
  },
});

/**
 * A wrapper that only hands its own parameters to `Atomics.wait` (an emscripten or polyfill table of
 * atomics): where it runs is decided by its callers, not here.
 */
function isShim(call: ts.CallExpression): boolean {
  const fn = enclosingFunction(call);
  if (!fn || !fn.body || call.arguments.length === 0) return false;
  // The wait's result is what the wrapper returns…
  const outer = skipParensUp(call);
  const returned = (outer.parent && ts.isReturnStatement(outer.parent)) || fn.body === outer;
  if (!returned) return false;
  // …and every argument comes from the wrapper's parameters.
  const parameters = new Set<string>();
  for (const parameter of fn.parameters) if (ts.isIdentifier(parameter.name)) parameters.add(parameter.name.text);
  return call.arguments.every((argument) => [...referencedNames(argument)].some((name) => parameters.has(name)));
}

/** Inside `if (!isMainThread)`, or in the else branch of `if (isMainThread)`. */
function guardedOffMainThread(node: ts.Node): boolean {
  for (let child: ts.Node = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (!ts.isIfStatement(parent) && !ts.isConditionalExpression(parent)) continue;
    const condition = skipParens(ts.isIfStatement(parent) ? parent.expression : parent.condition);
    const whenTrue = ts.isIfStatement(parent) ? parent.thenStatement : parent.whenTrue;
    const whenFalse = ts.isIfStatement(parent) ? parent.elseStatement : parent.whenFalse;
    const negated = ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken;
    const tested = negated ? dottedName(skipParens((condition as ts.PrefixUnaryExpression).operand)) : dottedName(condition);
    if (!tested || !/(^|\.)isMainThread$/.test(tested)) continue;
    if (negated && child === whenTrue) return true;
    if (!negated && child === whenFalse) return true;
  }
  return false;
}
