/**
 * Relations loaded from one entity at a time — the N+1 an ORM hides behind a property or a
 * getter: Sequelize association getters (`await post.getAuthor()`, `countComments()`), TypeORM
 * lazy relations (`await order.customer`), Mongoose `populate` on one document
 * (`await post.populate('author')`).
 *
 * The receiver must be a row the ORM returned: an item of a collection that a recognised query
 * produced in the same function (`const posts = await Post.findAll()`, then `for (const post of
 * posts)`), or — for the names only an ORM instance has (`populate`, a Sequelize `getX` in a file
 * that uses Sequelize models) — an item of any collection in a file importing that ORM. A user's
 * own getter on a plain object is not a query.
 */
import { ts } from '../ts';
import { calleeName, skipParens } from './ast';
import { awaitedClientCall, type ClientCall } from './clients';
import { lookup } from './dataflow';
import type { FileFacts } from './fileFacts';
import { iterationsAround, type Iteration } from './loops';

export interface RelationLoad {
  /** The call (getter, populate) or the awaited property access (lazy relation). */
  node: ts.CallExpression | ts.PropertyAccessExpression;
  library: 'sequelize' | 'typeorm' | 'mongoose';
  /** How messages name it: `post.getAuthor()`, `order.customer`, `post.populate('author')`. */
  operation: string;
  /** The association as written: `Author`, `customer`, `'author'`. */
  relation: string;
  /** The batched form to name in messages. */
  batched: string;
}

const SEQUELIZE_GETTER = /^(get|count|has)([A-Z]\w*)$/;

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
  return source.library === 'orm' ? 'sequelize-or-mongoose' : source.library;
}

function isItem(name: string, at: ts.Node): boolean {
  return iterationOf(name, at) !== undefined;
}

/** `post.getAuthor()`, `post.populate('author')` where `post` is a row of an ORM query (or, for populate, any loop item in a Mongoose file). */
export function relationCall(call: ts.CallExpression, facts: FileFacts): RelationLoad | undefined {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const getter = SEQUELIZE_GETTER.exec(method);
  if (!getter && method !== 'populate') return undefined;
  const receiver = skipParens(callee.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  const imports = facts.imports;
  if (getter) {
    const library = rowLibrary(receiver.text, call, facts);
    const sequelizeFile = imports.importsAny((m) => m === 'sequelize' || m === 'sequelize-typescript');
    if (
      library !== 'sequelize' &&
      library !== 'sequelize-or-mongoose' &&
      !(sequelizeFile && library === undefined && isItem(receiver.text, call))
    )
      return undefined;
    // Mongoose documents have get(path); only Sequelize spells associations getX().
    const association = getter[2];
    const verb = getter[1];
    return {
      node: call,
      library: 'sequelize',
      operation: `${receiver.text}.${method}()`,
      relation: association,
      batched:
        verb === 'count'
          ? `one count({ where: { <foreign key>: ids }, group: ['<foreign key>'] }) for all of them`
          : `include: [${association}] in the query that loaded them (or one findAll({ where: { <foreign key>: ids } }) grouped by key)`,
    };
  }
  // populate: on a document, not the Model.populate(docs, …) batch form.
  if (call.arguments.length === 0 || call.arguments.length > 2) return undefined;
  const library = rowLibrary(receiver.text, call, facts);
  const mongooseFile = imports.importsAny((m) => m === 'mongoose' || m === '@nestjs/mongoose');
  if (
    library !== 'mongoose' &&
    library !== 'sequelize-or-mongoose' &&
    !(mongooseFile && library === undefined && isItem(receiver.text, call))
  )
    return undefined;
  const path = facts.textOf(call.arguments[0]);
  return {
    node: call,
    library: 'mongoose',
    operation: `${receiver.text}.populate(${path.length <= 24 ? path : '…'})`,
    relation: path,
    batched: `one populate(${path.length <= 24 ? path : '…'}) on the query that loaded them, or Model.populate(docs, ${path.length <= 24 ? path : '…'}) for the whole array`,
  };
}

/** `await order.customer` where `order` is a row of a TypeORM query: a lazy relation, one query per row. */
export function lazyRelation(awaited: ts.AwaitExpression, facts: FileFacts): RelationLoad | undefined {
  const access = skipParens(awaited.expression);
  if (!ts.isPropertyAccessExpression(access)) return undefined;
  const receiver = skipParens(access.expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  if (!facts.imports.importsAny((m) => m === 'typeorm' || m === '@nestjs/typeorm' || /repositor|entit/i.test(m))) return undefined;
  if (rowLibrary(receiver.text, awaited, facts) !== 'typeorm') return undefined;
  const relation = access.name.text;
  return {
    node: access,
    library: 'typeorm',
    operation: `${receiver.text}.${relation}`,
    relation,
    batched: `relations: { ${relation}: true } (or a leftJoinAndSelect) in the query that loaded them`,
  };
}
