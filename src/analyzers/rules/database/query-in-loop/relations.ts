/**
 * Relations loaded from one entity at a time — the N+1 an ORM hides behind a property or a
 * getter: Sequelize association getters (`await post.getAuthor()`, `countComments()`), TypeORM
 * lazy relations (`await order.customer`), Mongoose `populate` on one document
 * (`await post.populate('author')`). Which methods and properties load relations is each
 * library's knowledge (facts/libraries: `relations`).
 *
 * The receiver must be a row the ORM returned: an item of a collection that a recognised query
 * produced in the same function (`const posts = await Post.findAll()`, then `for (const post of
 * posts)`), or — for the names only an ORM instance has (`populate`, a Sequelize `getX` in a file
 * that uses Sequelize models) — an item of any collection in a file importing that ORM. A user's
 * own getter on a plain object is not a query.
 */
import { ts } from '../../../ts';
import { calleeName, skipParens } from '../../../facts/ast';
import { awaitedClientCall, type ClientCall } from '../../../facts/clients';
import { lookup } from '../../../facts/dataflow';
import type { FileFacts } from '../../../facts/fileFacts';
import type { RelationLoadShape } from '../../../facts/libraries/library';
import { relational } from '../../../facts/libraries/registry';
import { iterationsAround, type Iteration } from '../../../facts/loops';

export interface RelationLoad extends RelationLoadShape {
  /** The call (getter, populate) or the awaited property access (lazy relation). */
  node: ts.CallExpression | ts.PropertyAccessExpression;
  /** The library whose rows load it. */
  library: string;
}

/** The loop or callback whose variable `name` is, and the collection it walks. */
function iterationOf(name: string, at: ts.Node): Iteration | undefined {
  for (const iteration of iterationsAround(at)) {
    const isReduce = iteration.kind === 'callback' && (iteration.method === 'reduce' || iteration.method === 'reduceRight');
    const item = isReduce ? iteration.variables[1] : iteration.variables[0];
    if (item === name) return iteration;
  }
  return undefined;
}

/** The ORM query a collection came from: `await Post.findAll()` as the collection, or a local it was stored in. */
function collectionSource(collection: ts.Expression | undefined, facts: FileFacts, depth = 0): ClientCall | undefined {
  if (!collection || depth > 3) return undefined;
  let inner = skipParens(collection);
  if (ts.isAwaitExpression(inner)) inner = skipParens(inner.expression);
  if (ts.isCallExpression(inner)) {
    const found = awaitedClientCall(inner, facts);
    if (found) return found.client;
    // posts.filter(…), posts.slice(…): the same rows.
    const name = calleeName(inner);
    const callee = skipParens(inner.expression);
    if (name && /^(filter|slice|sort|reverse|concat|toSorted|toReversed)$/.test(name) && ts.isPropertyAccessExpression(callee))
      return collectionSource(callee.expression, facts, depth + 1);
    return undefined;
  }
  if (ts.isIdentifier(inner)) {
    const declaration = lookup(inner.text, inner);
    if (declaration && (declaration.kind === 'const' || declaration.kind === 'let') && declaration.initializer)
      return collectionSource(declaration.initializer, facts, depth + 1);
  }
  return undefined;
}

/** The library whose rows the item named `name` (at `at`) is, from where its collection came. */
function rowLibrary(name: string, at: ts.Node, facts: FileFacts): string | undefined {
  const iteration = iterationOf(name, at);
  if (!iteration) return undefined;
  const source = collectionSource(iteration.collection, facts);
  if (!source || source.kind !== 'query') return undefined;
  return source.library;
}

function isItem(name: string, at: ts.Node): boolean {
  return iterationOf(name, at) !== undefined;
}

/** `post.getAuthor()`, `post.populate('author')` where `post` is a row of an ORM query (or any loop item in a file of that ORM). */
export function relationCall(call: ts.CallExpression, facts: FileFacts): RelationLoad | undefined {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = skipParens(callee.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  for (const { id, relations } of relational) {
    const shape = relations.call?.(callee.name.text, call, receiver.text, facts);
    if (!shape) continue;
    const library = rowLibrary(receiver.text, call, facts);
    const rows = library !== undefined && relations.rowsOf.includes(library);
    if (!rows && !(library === undefined && relations.anyItemIn?.(facts) && isItem(receiver.text, call))) return undefined;
    return { node: call, library: id, ...shape };
  }
  return undefined;
}

/** `await order.customer` where `order` is a row of a TypeORM query: a lazy relation, one query per row. */
export function lazyRelation(awaited: ts.AwaitExpression, facts: FileFacts): RelationLoad | undefined {
  const access = skipParens(awaited.expression);
  if (!ts.isPropertyAccessExpression(access)) return undefined;
  const receiver = skipParens(access.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  for (const { id, relations } of relational) {
    const property = relations.awaitedProperty;
    if (!property?.inFile(facts)) continue;
    const library = rowLibrary(receiver.text, awaited, facts);
    if (library === undefined || !relations.rowsOf.includes(library)) continue;
    const relation = access.name.text;
    return {
      node: access,
      library: id,
      operation: `${receiver.text}.${relation}`,
      relation,
      batched: property.batched(relation),
    };
  }
  return undefined;
}
