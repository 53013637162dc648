/**
 * "Can the per-item work become one batched call without changing behaviour?" Not when an
 * iteration needs the previous one's result (a parent id, a running cursor or total assigned in
 * the loop and read by the next iteration's call), nor when each item has its own error path (a
 * try/catch around the call inside the loop: one failure would fail the whole batch).
 */
import { ts } from '../ts';
import { isWriteReference } from './ast';
import { contains, references, resolve } from './dataflow';
import type { Iteration } from './loops';

export interface BatchingFact {
  batchable: boolean;
  /** Why not, in one sentence. */
  reason?: string;
}

export function batchingOf(call: ts.Node, iteration: Iteration): BatchingFact {
  const loop = iteration.node;
  const carried = carriedVariable(call, loop);
  if (carried)
    return {
      batchable: false,
      reason: `each iteration needs the previous one's result (\`${carried}\` is set in the loop and read by the next call)`,
    };
  for (let node: ts.Node | undefined = call.parent; node && node !== loop; node = node.parent) {
    if (ts.isTryStatement(node) && contains(node.tryBlock, call) && (node.catchClause || node.finallyBlock))
      return { batchable: false, reason: 'each item has its own error handling (a try/catch around the call in the loop)' };
  }
  return { batchable: true };
}

/** A variable declared outside `loop`, assigned inside it, and read by `call`: a value carried from one iteration to the next. */
function carriedVariable(call: ts.Node, loop: ts.Node): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && !isWriteReference(node)) {
      const declaration = resolve(node);
      if (
        declaration &&
        (declaration.kind === 'let' || declaration.kind === 'var') &&
        !contains(loop, declaration.node) &&
        references(declaration).some((reference) => reference !== node && isWriteReference(reference) && contains(loop, reference))
      )
        found = declaration.name;
    }
    ts.forEachChild(node, visit);
  };
  visit(call);
  return found;
}
