/**
 * sync-io-in-callback's own helper: whether a node runs in the listener of a repeating event or
 * in a setInterval callback. No other rule asks it.
 */
import { ts } from '../../../ts';
import { calleeName, constantString, enclosingFunction, receiverOf, type FunctionLike } from '../../../facts/ast';
import { iterationOfCallback } from '../../../facts/loops';

/** Events that fire over and over while a server runs: a listener for them runs on the hot path. */
const REPEATING_EVENTS =
  /^(data|message|request|connection|upgrade|line|job|task|readable|chunk|packet|frame|record|row|event|tick|batch|delivery|publish|query)$/;
const LISTENER_METHODS = new Set(['on', 'addListener', 'addEventListener', 'prependListener']);

export interface EventCallback {
  fn: FunctionLike;
  /** `the 'message' listener`, `the setInterval callback`. */
  description: string;
  /** The event name, or `interval`. */
  event: string;
}

/**
 * The listener of a repeating event (`socket.on('message', …)`, `stream.on('data', …)`,
 * `queue.on('job', …)`) or the `setInterval` callback that `node` runs in, looking through
 * synchronous iteration callbacks. Listeners of one-off events (`exit`, `SIGINT`, `listening`,
 * `close`) and file watchers (development tooling) are not hot paths and give undefined.
 */
export function enclosingEventCallback(node: ts.Node): EventCallback | undefined {
  let fn = enclosingFunction(node);
  while (fn && iterationOfCallback(fn)) fn = enclosingFunction(fn);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  let argument: ts.Node = fn;
  while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(argument as ts.Expression)) return undefined;
  const method = calleeName(call);
  if (method === 'setInterval' && call.arguments[0] === argument) return { fn, description: 'a setInterval callback', event: 'interval' };
  if (!method || !LISTENER_METHODS.has(method) || !receiverOf(call)) return undefined;
  const event = constantString(call.arguments[0]);
  if (event === undefined || !REPEATING_EVENTS.test(event) || call.arguments[1] !== argument) return undefined;
  return { fn, description: `the '${event}' listener`, event };
}
