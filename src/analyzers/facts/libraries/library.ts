/**
 * The descriptor of one library: everything PerfLens knows about it, in one place. A descriptor
 * answers questions; it never walks the syntax tree on its own. The engine (facts/clients,
 * facts/transactions, the rules) walks, resolves names and asks every descriptor in the registry's
 * order — the first answer wins. Every section is optional: a lock library has only `lock`, an
 * HTTP client only `client`, a database client usually `client`, `batching` and `transactions`.
 *
 * A value flows through a chain like this (`prisma.user.findUnique(…)`):
 *   `imported('PrismaClient')` → a class; `construct` → a client; `member('user')` → a model;
 *   `call('findUnique')` → an operation `{ kind: 'query', method: 'findUnique', model: 'user' }`.
 * Values (`Val`) and operations (`Op`) carry the library's `id` in `lib`; the engine sends each
 * question about a value to the descriptor whose `id` it carries.
 */
import type { ts } from '../../ts';
import type { FileFacts } from '../fileFacts';
import type { ClientCall, ClientCallNode, Ctx, Op, Step, StepResult, Val } from '../clients/model';
import type { TextEdit } from '../../finding';

export interface Library {
  /** The name values and findings carry (`ClientCall.library`): `prisma`, `pg`, `axios`, `async-mutex`. */
  id: string;
  /** Packages whose import is this library: their exact names, or a test for a family (`drizzle-orm/*`). */
  modules?: readonly string[] | ((module: string) => boolean);
  /** How a client of the library is recognised, and what its calls do. */
  client?: ClientKnowledge;
  /** The batched forms a per-item call should become. */
  batching?: BatchingKnowledge;
  /** How its reads cap their rows (facts/scale.ts: a read without a limit returns every matching row). */
  limits?: LimitKnowledge;
  /** How its transactions are opened and what their handles are. */
  transactions?: TransactionKnowledge;
  /** Relations its rows load lazily, one query per row. */
  relations?: RelationKnowledge;
  /** A lock or concurrency limiter. */
  lock?: LockKnowledge;
  /** An e-mail sender: these methods, on something imported from it, send a message over the network. */
  mail?: {
    methods: readonly string[];
    /** In a file that imports it, these methods send mail whatever the receiver. */ anyReceiver?: readonly string[];
  };
}

/** An import binding, as a descriptor sees it. */
interface Imported {
  /** The export: a name, `default`, or `*` (a namespace, or `require(…)` of the whole module). */
  name: string;
  /** The local name it is bound to ('' for a bare `require(…)`). */
  local: string;
  module: string;
  /** `default` or `*`: the module's main export. */
  whole: boolean;
}

/** A type reference: `Repository<User>`, `Knex.Transaction`, `PoolClient`. */
export interface TypeReference {
  /** The qualifier of a qualified name (`Knex` in `Knex.Transaction`). */
  left?: string;
  /** The type's own name. */
  right: string;
  /** The first type argument, when it is a plain name: `User` in `Repository<User>`. */
  model?: string;
  /** True when the name is imported from this library. */
  fromLibrary: boolean;
  /** True when the name is not imported at all (a global, or declared in the file). */
  unimported: boolean;
  facts: FileFacts;
}

/** A class's `extends` clause, as a descriptor sees it. */
export interface BaseClass {
  /** The value of the base class expression, when it resolves to one. */
  value?: Val;
  /** The base class's name, when it is a plain name. */
  name?: string;
  /** The first type argument of the base, when it is a plain name: `User` in `Repository<User>`. */
  model?: string;
  /** True when the base is imported from this library. */
  fromLibrary: boolean;
}

interface ClientKnowledge {
  /**
   * Method names that can start one of its operations (`findUnique`, `query`, `get`): the cheap
   * filter every call passes before anything is resolved. Continuations (`lean`, `json`) are not.
   */
  anchors?: Iterable<string>;
  /** Anchors a fixed set cannot list (node-redis's camelCase commands). */
  isAnchor?(name: string): boolean;
  /** Names that may be the client when called directly: `knex('users')`, `fetch(url)`, `sql\`…\``. */
  calledRoots?: readonly string[];
  /** Names that hold the library without being declared: `fetch`, `window`. */
  globals?: Readonly<Record<string, Val>>;
  /** What an import binding of one of `modules` holds. */
  imported?(binding: Imported): Val | undefined;
  /** Names that say a value is this client when nothing else does. */
  hints?: ClientHints;
  /** `new X(…)` of a class (or module) value of this library. */
  construct?(made: Val): Val | undefined;
  /** Calling a value directly: `knex('users')`, `drizzle(pool)`, `fetch(url)`. */
  invoke?(fn: Val, call: ts.CallExpression, anchor: number, ctx: Ctx): StepResult;
  /** A tagged template run on a value: postgres.js `sql\`SELECT …\``. */
  tag?(val: Val, node: ts.TaggedTemplateExpression, anchor: number): StepResult;
  /** A property of a value: `prisma.user`, `dataSource.manager`, `db.query`. */
  member?(val: Val, name: string): Val | undefined;
  /** A method call on a value: an operation, or the value it returns (`dataSource.getRepository(User)`). */
  call?(val: Val, name: string, call: ClientCallNode, anchor: number, ctx: Ctx): StepResult;
  /** A call on the module namespace that `member` did not answer: `mongoose.model('User')`. */
  moduleCall?(val: Val, name: string, call: ts.CallExpression): StepResult;
  /** A declared type that names one of its values. */
  typeReference?(type: TypeReference): Val | undefined;
  /** Nest injection decorators: `@InjectRepository(User)`. Called with the first argument's entity name and the decorator's module. */
  decorators?: Readonly<Record<string, (model: string | undefined, module: string | undefined) => Val | undefined>>;
  /** What a class that extends one of its classes is: `class User extends Model` (a model). */
  subclass?(base: BaseClass, name: string | undefined): Val | undefined;
  /** What `this` is inside a class that extends one of its classes: `extends PrismaClient` (a client). */
  self?(base: BaseClass): Val | undefined;
  /** Recognition by shape, when the chain's root says nothing: `x.user.findUnique(…)`, `User.findByPk(…)`. */
  byShape?(shape: Shape): Op | undefined;
  /** Recognition by the receiver's declared type (the type checker), the last resort. */
  byType?: TypedClient;
  /** Builders: the rest of the chain decides the kind, and whether it runs at all (undefined: built, not run). */
  finish?(op: Op, rest: readonly string[]): Op | undefined;
  /** The key a per-item lookup is made by: `id` in `findUnique({ where: { id } })`. */
  lookupKey?(op: Op, steps: readonly Step[], args: readonly ts.Expression[] | undefined): string | undefined;
  /** Raw SQL sent through an import of one of these modules is this library's (`pg` for `pool.query('SELECT …')`). */
  rawSql?: { modules: readonly string[]; driver: boolean };
}

export interface ClientHints {
  /** A variable, member or parameter with a name like this holds the client: `/prisma/i`, `/^knex$/`. */
  name?: RegExp;
  /** A named member may also be called as the client: `ctx.knex('users')`. */
  callable?: boolean;
  /** A project module whose path says it exports the client: `@/lib/prisma`, `../redis`. */
  module?: RegExp;
  /** A monorepo package named after it (`@acme/prisma`) exports the client too. */
  workspacePackage?: boolean;
  /** Any other project import that holds one of its values (`AppDataSource` from `./data-source`). */
  projectImport?(module: string, local: string): Val | undefined;
}

/** What a recogniser by shape sees: the chain, and the first call after its root. */
export interface Shape {
  steps: Step[];
  /** The index of the first call after the root, or -1. */
  anchor: number;
  /** The name, call and arguments at the anchor. */
  method: string;
  call?: ClientCallNode;
  args?: ts.NodeArray<ts.Expression>;
  /** No call before the anchor: `a.b.c(…)`, not `a().b(…)`. */
  plainPrefix: boolean;
  /** A root that is called (`db('users')…`, `this.knex('users')…`): the index of that step, else -1. */
  tableCall: number;
  ctx: Ctx;
  /** Is the step at `index` plausibly a model class (imported, a class that extends one, `db.User`)? */
  isModelReceiver(index: number): boolean;
  /** The chain's root is imported from a models or entities folder. */
  fromModelsFolder(): boolean;
  /** The file imports one of these modules. */
  imports(modules: readonly string[]): boolean;
  /** `this.<method>(…)` where the class declares (or inherits from the project) a method of that name. */
  callsOwnMethod(): boolean;
  /** The library raw SQL in this file goes through (`pg`, `mysql2`, …, `sql` when nothing says). */
  sqlLibrary(): string;
}

export interface TypedClient {
  /** Only files that import one of these are asked. */
  modules: readonly string[];
  /** Only for methods the client has. */
  methods: ReadonlySet<string>;
  /** The declaration file of the receiver's type must match. */
  path: RegExp;
  /** The value of a receiver whose type has this name (undefined: not this client). */
  value(typeName: string, model: string | undefined): Val | undefined;
}

/**
 * How a library's reads say how many rows they return. A library without this section is read with
 * generic lists (facts/scale.ts GENERIC_LIMITS): options and steps many clients share.
 */
export interface LimitKnowledge {
  /** Options of a read that cap its rows: Prisma's `take`, Sequelize's `limit` (`findAll({ limit: 10 })`). */
  options?: readonly string[];
  /** Builder steps that cap rows: knex's `.limit(n)`, TypeORM's `.take(n)`; `first` without arguments is one row. */
  steps?: readonly string[];
  /** Reads of one row or one number (`findUnique`, `findOne`, `count`): what they return is not a list. */
  oneRow?: readonly string[];
  /**
   * Where a read's filter is written, so facts/scale.ts can tell one parent record's rows (`{ teamId }`)
   * from a slice of the whole table (`{ status: 'OPEN' }`). Without it only the generic `where` option is read.
   */
  filters?: FilterKnowledge;
  /** Reads of an index range `(key, start, stop)`: Redis `zrange(key, 0, 9)` reads 10 entries, a stop of -1 the whole list. */
  ranges?: readonly string[];
}

export interface FilterKnowledge {
  /** Options whose value is the filter: Prisma's and Sequelize's `where` (`findMany({ where: { teamId } })`). */
  options?: readonly string[];
  /** The read's own object arguments are filters: MongoDB's `find({ userId })`, TypeORM's `findBy({ userId })`. */
  objectArguments?: boolean;
  /**
   * Builder steps that filter: knex's `.where('user_id', id)` / `.where({ user_id: id })`, Kysely's
   * `.where('user_id', '=', id)`, Supabase's `.eq('user_id', id)`, Drizzle's `.where(eq(t.userId, id))`.
   */
  steps?: readonly string[];
  /** Calls that compare a column to one value (Drizzle's `eq(t.userId, id)`), and calls that join conditions with AND (`and(…)`). */
  equals?: readonly string[];
  all?: readonly string[];
  /** The read's first argument is a key: one built from an id (`` `user:${userId}:tokens` ``) names one record's entries. */
  keyedByArgument?: boolean;
  /** Reads that select by their arguments, not by a filter object: Redis `zrangebyscore(key, since, now)`, a score or time range. */
  selecting?: readonly string[];
}

interface BatchingKnowledge {
  /** Methods that already send one statement for many rows or keys: `createMany`, `mget`, `whereIn`. */
  methods?: readonly string[];
  /** Call text that shows the call is already batched: `{ in: ids }`, `$in`, `In(ids)`. */
  text?: RegExp;
  /** Call text says nothing about this client's calls (Redis keys are text): only `methods` count. */
  ignoresText?: boolean;
  /**
   * Where the list of keys of a batched call is written, so a rule can ask whether that list is
   * made per item (`{ in: order.itemIds }` in a loop over orders is still one query per order):
   * object properties whose value is the list (`in`, `$in`, `[Op.in]` as `Op.in`), and calls whose
   * argument at `argument` is the list (`In(ids)`, `inArray(users.id, ids)`, `whereIn('id', ids)`).
   */
  lists?: { properties?: readonly string[]; calls?: ReadonlyArray<{ name: string; argument: number }> };
  /** How a per-item call is written as one call for all items, for messages (`k`: the key, `ks`: the keys). */
  describe?(op: Op, k: string, ks: string): string | undefined;
  /** `describe` also words raw statements whose key is unknown (the default wording names the SQL shape). */
  describesKeylessSql?: boolean;
  /** Methods the client itself batches when called several times in one tick (Prisma's `findUnique`). */
  batchedInOneTick?: readonly string[];
  /** Methods whose argument is a list of operations run as one batch: Prisma's `$transaction([...])`. */
  batchTransactions?: readonly string[];
  /** Options and builder steps that pass a transaction to a call: `{ transaction: t }`, `.transacting(trx)`. */
  transactionArguments?: { options?: readonly string[]; steps?: readonly string[] };
  /** The rewrite of a by-key lookup into one batched read (query-in-loop's suggestion). */
  lookup?(call: ts.CallExpression, client: ClientCall, file: FileFacts): BatchedLookup | undefined;
  /**
   * With `lookup`: the most arguments a call it is asked about may have (default 1: the filter, and no
   * options). An entity-first API says 2 (MikroORM's `em.findOne(User, { id })`) and checks the rest itself.
   */
  lookupArguments?: number;
  /** With `lookup`: that batched read in a few words, for query-in-loop's docs (`Prisma \`findMany\``). */
  lookupForm?: string;
}

/** One row looked up by one key, and how to fetch all of them at once instead. */
export interface BatchedLookup {
  /** The field the row is looked up by: `id`, `email`, `_id`. */
  key: string;
  /** What the per-item call looks it up with: `order.customerId`. */
  keyExpression: ts.Expression;
  /** Other parts of the call the batched read reuses (Drizzle's table in `eq(users.id, …)`): they must not be made in the loop. */
  reused?: readonly ts.Expression[];
  /** The batched call, named in the fix title: `findMany`, `findBy`, `find`, `findAll`. */
  batchedMethod: string;
  /** The batched read for `receiver` (`prisma.customer`) and the keys (`ids`, `orders.map(…)`). */
  fetchAll(receiver: string, keys: string): string;
  /** The Map key of a fetched row: `customer.id`, `String(user._id)`. */
  rowKey(row: string): string;
  /** The Map key the loop looks up with, from the key expression's text. */
  lookupKey(key: string): string;
  /** What the per-item call gives for a key no row has. */
  missing: 'null' | 'undefined';
  /** Edits the batched call needs elsewhere in the file (an import of TypeORM's `In`). */
  edits: TextEdit[];
}

interface TransactionKnowledge {
  /** Methods whose callback runs inside a transaction: `$transaction`, `transaction`, `withTransaction`. */
  callbacks?: readonly string[];
  /**
   * Of `callbacks`, those that mean a transaction on any receiver, with or without a handle
   * parameter (`prisma.$transaction(async () => …)`); the others need a handle parameter or a
   * receiver named like a database.
   */
  anyReceiver?: readonly string[];
  /** The receiver's root is the handle too (a MongoDB session: `session.withTransaction(…)`). */
  receiverIsHandle?: readonly string[];
  /** A callback transaction opened by a call on another call's result: Kysely's `db.transaction().execute(…)`. */
  chained?: { method: string; after: string };
  /** What the first parameter of a callback given to `methods` holds (the transaction handle). */
  handle?: TransactionHandle;
  /** Transactions opened by one call and closed by others. */
  unmanaged?: readonly UnmanagedTransaction[];
  /** Calls on the handle that end it. */
  ends?: { commit?: readonly string[]; rollback?: readonly string[]; release?: readonly string[] };
}

export interface TransactionHandle {
  methods: readonly string[];
  /** The method alone says the library, whatever the receiver (`$transaction`). */
  distinctive?: boolean;
  value?(name: string): Val | undefined;
  /** When the receiver cannot be resolved: a parameter named like this is this library's handle. */
  parameter?: RegExp;
  /** When the receiver cannot be resolved: a file that imports this library means its handle. */
  imported?(facts: FileFacts): boolean;
}

export interface UnmanagedTransaction {
  /** The call that opens it: `transaction()`, `startTransaction()`, `beginTransaction()`. */
  method: string;
  /** True: the handle is the value the call returns (`const t = await sequelize.transaction()`); false: the receiver. */
  bound: boolean;
  /** How the handle commits and rolls back. */
  commit: string;
  rollback: string;
  /** Only on receivers named like this (`session.startTransaction()`). */
  receiver?: RegExp;
  /**
   * The method's name is common outside databases — `startTransaction()` opens a Sentry tracing span and an editor's
   * undo group too: only in a file that imports this library, or on a receiver named as a query runner is.
   */
  generic?: boolean;
}

interface RelationKnowledge {
  /** Rows that queries of these libraries return are this library's rows (`orm`: Sequelize or Mongoose). */
  rowsOf: readonly string[];
  /** A method called on one row that loads a relation: `post.getAuthor()`, `post.populate('author')`. */
  call?(method: string, call: ts.CallExpression, row: string, facts: FileFacts): RelationLoadShape | undefined;
  /** For `call`: in a file for which this holds, any loop item may be a row (the method name is evidence enough). */
  anyItemIn?(facts: FileFacts): boolean;
  /** An awaited property of a row loads a relation (TypeORM's lazy relations), in files for which `inFile` holds. */
  awaitedProperty?: { inFile(facts: FileFacts): boolean; batched(relation: string): string };
}

export interface RelationLoadShape {
  /** How messages name it: `post.getAuthor()`. */
  operation: string;
  /** The association: `Author`, `'author'`. */
  relation: string;
  /** The batched form to name in messages. */
  batched: string;
}

export interface LockKnowledge {
  /** What a constructor or factory of the library makes: `new Mutex()`, `pLimit(1)`; `wraps`: an argument is the lock (`withTimeout(new Mutex(), 500)`). */
  made?(exported: string, isNew: boolean, args: readonly ts.Expression[]): LockKind | { wraps: ts.Expression } | undefined;
  /** What a declared type of the library is: `mutex: Mutex`. */
  typed?(exported: string): LockKind | undefined;
  /** The type checker's fallback: the declaration file of the receiver's type, and the lock it is. */
  byType?: { path: RegExp; kind(typeName: string): LockKind };
  /** A dotted global that is the lock: `navigator.locks`. */
  global?: { name: RegExp; kind: LockKind };
  /** The lock is called itself, with the work as its argument: `limit(() => …)`. */
  calledDirectly?: boolean;
  /** A `runExclusive` on a receiver named like a mutex is this library's, even when it cannot be resolved. */
  byName?: { method: string; name: RegExp; unless: RegExp; kind: LockKind };
  /** The forms that run a callback while holding the lock. */
  callback?: LockCallback;
  /** The forms that take the lock and hand back a release: `const release = await mutex.acquire()`. */
  acquire?: { methods: readonly string[]; key?: boolean; release(handle: string | undefined, lock: string): string };
  /** How messages name the lock. */
  display(lock: string, keyText: string | undefined, keyed: boolean): string;
  /** The form that cannot leak the lock, suggested when a release is unprotected: `, or use mutex.runExclusive(async () => …)`. */
  saferForm?(lock: string): string;
  /** The lock frees itself after a TTL (Redlock): a leaked lock delays, it does not block forever. */
  expires?: boolean;
}

export interface LockKind {
  /** `Mutex`, `Semaphore`, `AsyncLock`, `Redlock`, `LockManager`, `pLimit`, `PQueue`. */
  kind: string;
  /** How many holders at once, when known: 1 for a mutex, a semaphore's count, a limiter's concurrency. */
  permits?: number;
}

interface LockCallback {
  /** The method (undefined: the lock is called itself). */
  method?: string;
  /** The first argument is the lock's key or resource. */
  key?: boolean;
  /** The callback is the last function among the arguments from `from` up to (not including) `to`. */
  from: number;
  to?: number;
  /** False when the call lets other holders in at the same time (a shared Web Lock). */
  exclusive?(call: ts.CallExpression): boolean;
}
