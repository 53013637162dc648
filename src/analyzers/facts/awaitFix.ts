/**
 * The fix the sync-io rules offer for a blocking fs call inside an async function — `await
 * fs.promises.x(…)` — and how sure it is. The edits (io.ts) keep the call's arguments, result and
 * errors; what the rewrite cannot keep is *when* the call happens. It is `safe` only where no one
 * can tell:
 * - no fix in an 'exit' listener (the process ends before awaited work runs) or a 'beforeExit'
 *   listener (awaited work makes 'beforeExit' fire again, and the listener with it);
 * - a suggestion in a signal, `uncaughtException` or `unhandledRejection` listener: another
 *   listener, or this one, may end the process before the awaited call finishes;
 * - a suggestion when the call sits in a sequence of fs calls on one path (check-then-act,
 *   read-modify-write): another call of the function can now run inside the sequence;
 * - a suggestion when a caller this file shows goes on without waiting (a listener, a timer,
 *   `forEach`, a call without `await`, a constructor) and the call runs before the function's
 *   first `await`: that caller would no longer find it done.
 * A synchronous handler that the caller shows may become async (an Express 5 route handler, see
 * sync-io-in-handler) gets the `async` keyword in the same fix.
 * See docs/safe-fixes.md for the contexts audited and the tests that run them.
 */
import type { FixSpec } from '../rule';
import { enclosingFunction, type FunctionLike } from './ast';
import type { FileFacts } from './fileFacts';
import { awaitPromisesEdits, type SyncIoCall } from './io';
import { samePathSequenceAround } from './pathSequences';
import { awaitsBefore, notWaitingFor } from './unawaited';

/** `Use await fs.promises.readFile(…)`, safe or a suggestion saying why; undefined when there is no fix to offer. */
export function awaitPromisesFix(io: SyncIoCall, facts: FileFacts, options: { becomesAsync?: FunctionLike } = {}): FixSpec | undefined {
  const edits = awaitPromisesEdits(io, facts, options);
  const fn = enclosingFunction(io.call);
  if (!edits || !fn) return undefined;
  const use = `${edits[0].newText.replace(/^\(/, '').replace(/\(.*$/s, '')}(…)`;
  let title = `Use ${use}`;
  if (options.becomesAsync) {
    // `async` goes before `function` or the arrow's parameters (the handler has no modifiers: checked by the caller).
    const at = facts.start(options.becomesAsync);
    edits.push({ start: at, end: at, newText: 'async ' });
    title = `Make the handler async and use ${use}`;
  }
  const callers = notWaitingFor(fn, facts);
  if (callers.some((caller) => caller.kind === 'process-end')) return undefined;
  const suggestion = (why: string): FixSpec => ({ title: `${title} (${why})`, kind: 'suggestion', edits });
  const processEvent = callers.find((caller) => caller.kind === 'process-event');
  if (processEvent)
    return suggestion(
      `in a '${processEvent.event}' listener: process.exit, here or in another listener, can end the process before it finishes`,
    );
  const sequence = samePathSequenceAround(io, facts);
  if (sequence)
    return suggestion(`${sequence.first.display} and ${sequence.last.display} use the same path: another call can now run between them`);
  const caller = callers.find((found) => found.kind === 'caller');
  if (caller?.kind === 'caller' && !awaitsBefore(io.call, fn))
    return suggestion(`${caller.reason}, and what runs next could find the call not done yet`);
  return { title, kind: 'safe', edits };
}
