/**
 * Which function's call runs a node: what tells a lookup table built in the same call as the
 * loop (rebuilt every time) from one built once, looking through array callbacks that run
 * during the call that receives them.
 */
import { ts } from '../../../ts';
import { isFunctionLike, type FunctionLike } from '../../../facts/ast';
import { syntacticKind } from '../../../facts/collections';
import { iterationOfCallback } from '../../../facts/loops';

/**
 * The function whose call runs `node`: the enclosing function, looking through callbacks that
 * `runsNow(fn)` says are invoked synchronously and only during the call that receives them
 * (e.g. `array.forEach(cb)`). Undefined at module level.
 */
export function executionOwner(node: ts.Node, runsNow?: (fn: FunctionLike) => boolean): FunctionLike | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionLike(current)) continue;
    if (runsNow && runsNow(current)) continue;
    return current;
  }
  return undefined;
}

/**
 * True when `fn` is a callback of an array iteration method on something syntax shows is an
 * array (`[…].forEach(fn)`, `ids.map(fn)` with `ids` an array): it runs during that call only,
 * never later. Use as `executionOwner`'s `runsNow`.
 */
export function runsDuringArrayCall(fn: ts.Node): boolean {
  const iteration = iterationOfCallback(fn);
  if (!iteration?.collection) return false;
  if (iteration.method === 'from') return true;
  return syntacticKind(iteration.collection) === 'array';
}
