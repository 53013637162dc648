/** Prisma: model delegates (`prisma.user.findUnique`), raw queries, interactive and batch transactions. */
import { firstKey, isLowerFirst, o, objectProperty, set, type Val } from '../clients/model';
import { rawOp, sqlOfCall } from '../clients/sql';
import type { Library } from './library';
import { asIs, byField, oneKey, whereOnly } from './lookup';

const READ = set(
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'findRaw',
  'aggregateRaw',
);
const WRITE = set(
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
);
/** Names only a Prisma model delegate has: with the `x.model.method(…)` shape they are evidence on their own. */
const DISTINCTIVE = set(
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'createMany',
  'createManyAndReturn',
  'updateMany',
  'updateManyAndReturn',
  'deleteMany',
  'upsert',
  'aggregate',
  'groupBy',
);
const RAW_READ = set('$queryRaw', '$queryRawUnsafe', '$queryRawTyped');
const RAW_WRITE = set('$executeRaw', '$executeRawUnsafe', '$runCommandRaw');

/** `x.mongoQueryRunner.updateMany(…)`: a name that is a client or runner itself, not a Prisma model delegate. */
const NOT_A_DELEGATE = /(Runner|Manager|Repository|Repo|Service|Client|Connection|Collection|Model|Db|Database|Driver|Adapter|Store|Api)$/;

const client = (tx?: string): Val => (tx ? { lib: 'prisma', role: 'client', tx } : { lib: 'prisma', role: 'client' });

export const prisma: Library = {
  id: 'prisma',
  limits: {
    options: ['take'],
    oneRow: ['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'count', 'aggregate'],
    filters: { options: ['where'] },
  },
  modules: (module) => module === '@prisma/client' || module.startsWith('@prisma/client/') || /(^|\/)\.prisma\/client/.test(module),
  client: {
    anchors: [...READ, ...WRITE, ...RAW_READ, ...RAW_WRITE],
    imported: ({ name, local }) => {
      if (name === 'PrismaClient') return { lib: 'prisma', role: 'class', name: 'PrismaClient' };
      if (name === 'Prisma' || !isLowerFirst(local)) return undefined;
      return client();
    },
    hints: { name: /prisma/i, module: /prisma/i, workspacePackage: true },
    construct: (made) => (made.role === 'class' ? client() : undefined),
    member: (val, name) => (val.role === 'client' && !name.startsWith('$') ? { ...val, role: 'model', model: name } : undefined),
    call: (val, name, call, anchor) => {
      if (val.role === 'client') {
        if (RAW_READ.has(name)) return rawOp('prisma', name, anchor, sqlOfCall(call), val, 'query');
        if (RAW_WRITE.has(name)) return rawOp('prisma', name, anchor, sqlOfCall(call), val, 'write');
        return undefined;
      }
      if (val.role === 'model') {
        if (READ.has(name)) return o({ lib: 'prisma', kind: 'query', method: name, anchor, model: val.model, tx: val.tx });
        if (WRITE.has(name)) return o({ lib: 'prisma', kind: 'write', method: name, anchor, model: val.model, tx: val.tx });
      }
      return undefined;
    },
    // `PrismaService` (Nest's usual wrapper) is a client whether or not its name is imported.
    typeReference: ({ right, fromLibrary }) => {
      if (/^(Extended)?Prisma(Client|Service)$|PrismaService$/.test(right) || (fromLibrary && right === 'PrismaClient')) return client();
      if (fromLibrary && right === 'TransactionClient') return client('tx');
      return undefined;
    },
    self: ({ name, fromLibrary }) => (fromLibrary && name === 'PrismaClient' ? client() : undefined),
    byShape: (shape) => {
      const { method, anchor, steps, call } = shape;
      // $queryRaw anywhere; x.user.findUnique(…): the delegate shape with a Prisma-only method.
      if (call && (RAW_READ.has(method) || RAW_WRITE.has(method))) {
        const result = rawOp('prisma', method, anchor, sqlOfCall(call), client(), RAW_READ.has(method) ? 'query' : 'write');
        return result && 'op' in result ? result.op : undefined;
      }
      if (
        shape.plainPrefix &&
        anchor >= 2 &&
        DISTINCTIVE.has(method) &&
        isLowerFirst(steps[anchor - 1].name) &&
        !NOT_A_DELEGATE.test(steps[anchor - 1].name) &&
        // `db.query.users.findFirst(…)` is Drizzle's relational API, not a delegate named `query`.
        (steps[anchor - 2].name !== 'query' || !(method === 'findFirst' || method === 'findMany'))
      )
        return { lib: 'prisma', kind: READ.has(method) ? 'query' : 'write', method, anchor, model: steps[anchor - 1].name };
      return undefined;
    },
    lookupKey: (_op, _steps, args) => firstKey(objectProperty(args?.[0], 'where')),
  },
  batching: {
    methods: ['createMany', 'createManyAndReturn'],
    text: /(^|[^\w$.])(in|hasSome|hasEvery)\s*:/,
    lists: { properties: ['in', 'hasSome', 'hasEvery'] },
    describe: (op, k, ks) => {
      const read = op.kind === 'query';
      if (op.raw) return read ? `query with WHERE ${k} = ANY(${'$'}{${ks}}) (or IN (${'$'}{Prisma.join(${ks})}))` : 'multi-row statement';
      if (op.method === 'count') return `groupBy({ by: ['${k}'], where: { ${k}: { in: ${ks} } }, _count: true })`;
      if (op.method === 'aggregate') return `groupBy({ by: ['${k}'], where: { ${k}: { in: ${ks} } }, … })`;
      if (read) return `findMany({ where: { ${k}: { in: ${ks} } } })`;
      if (op.method === 'create') return 'createMany({ data: [...] })';
      if (op.method === 'update' || op.method === 'updateMany')
        return `updateMany({ where: { ${k}: { in: ${ks} } }, data }) when the data is the same, or one $transaction([...]) batch`;
      if (op.method === 'delete' || op.method === 'deleteMany') return `deleteMany({ where: { ${k}: { in: ${ks} } } })`;
      if (op.method === 'upsert') return '$transaction([...upserts]) batch, or createMany({ data, skipDuplicates: true }) for inserts';
      return undefined;
    },
    // Prisma's dataloader turns the findUnique calls started in one tick into one query.
    batchedInOneTick: ['findUnique', 'findUniqueOrThrow'],
    batchTransactions: ['$transaction'],
    // `findUnique({ where: { key: x } })` → `findMany({ where: { key: { in: keys } } })`; a missing row is null.
    lookupForm: 'Prisma `findMany`',
    lookup: (call, client) => {
      if (client.method !== 'findUnique') return undefined;
      const match = oneKey(whereOnly(call.arguments[0]));
      if (!match) return undefined;
      const { key } = match;
      return {
        ...match,
        batchedMethod: 'findMany',
        fetchAll: (receiver, keys) => `${receiver}.findMany({ where: { ${key}: { in: ${keys} } } })`,
        rowKey: (row) => byField(row, key),
        lookupKey: asIs,
        missing: 'null',
        edits: [],
      };
    },
  },
  transactions: {
    callbacks: ['$transaction'],
    anyReceiver: ['$transaction'],
    handle: { methods: ['$transaction'], distinctive: true, value: (name) => client(name) },
  },
};
