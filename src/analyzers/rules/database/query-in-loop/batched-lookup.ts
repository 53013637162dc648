/**
 * The by-key lookups query-in-loop can rewrite into one batched read: a call that looks one row up
 * by one key and nothing else. How each library writes that call, fetches every row for a list of
 * keys, and keys a fetched row is its descriptor's `batching.lookup` (facts/libraries); the loop,
 * statement and key-depends-on-the-item conditions stay in the rule, the same for every library.
 */
import { ts } from '../../../ts';
import { skipParens } from '../../../facts/ast';
import type { ClientCall } from '../../../facts/clients';
import type { FileFacts } from '../../../facts/fileFacts';
import type { BatchedLookup } from '../../../facts/libraries/library';
import { library } from '../../../facts/libraries/registry';

/** The batched form of `call`, when its library knows one for a lookup written exactly so. */
export function batchedLookup(call: ts.CallExpression, client: ClientCall, file: FileFacts): BatchedLookup | undefined {
  // The call itself is the lookup: not `User.findById(id).lean()`, whose outer call the client fact names.
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== client.method) return undefined;
  const batching = library(client.library)?.batching;
  // The filter and nothing else (options change what comes back), unless the library names its entity first.
  if (call.arguments.length === 0 || call.arguments.length > (batching?.lookupArguments ?? 1)) return undefined;
  return batching?.lookup?.(call, client, file);
}
