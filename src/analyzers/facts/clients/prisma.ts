/** Prisma: model delegates (`prisma.user.findUnique`), raw queries, interactive transactions. */
import type { ts } from '../../ts';
import { firstKey, o, objectProperty, set, type ClientCallNode, type Op, type Step, type StepResult, type Val } from './model';
import { rawOp, sqlOfCall } from './sql';

export const PRISMA_READ = set(
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
export const PRISMA_WRITE = set(
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
export const PRISMA_DISTINCTIVE = set(
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
export const PRISMA_RAW_READ = set('$queryRaw', '$queryRawUnsafe', '$queryRawTyped');
export const PRISMA_RAW_WRITE = set('$executeRaw', '$executeRawUnsafe', '$runCommandRaw');

export function prismaMember(val: Val, name: string): Val | undefined {
  if (val.role === 'client' && !name.startsWith('$')) return { ...val, role: 'model', model: name };
  return undefined;
}

export function prismaCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  if (val.role === 'client') {
    if (PRISMA_RAW_READ.has(name)) return rawOp('prisma', name, anchor, sqlOfCall(call), val, 'query');
    if (PRISMA_RAW_WRITE.has(name)) return rawOp('prisma', name, anchor, sqlOfCall(call), val, 'write');
    return undefined;
  }
  if (val.role === 'model') {
    if (PRISMA_READ.has(name)) return o({ lib: 'prisma', kind: 'query', method: name, anchor, model: val.model, tx: val.tx });
    if (PRISMA_WRITE.has(name)) return o({ lib: 'prisma', kind: 'write', method: name, anchor, model: val.model, tx: val.tx });
  }
  return undefined;
}

export function prismaKey(_op: Op, _steps: Step[], args: readonly ts.Expression[] | undefined): string | undefined {
  return firstKey(objectProperty(args?.[0], 'where'));
}

export function prismaBatched(op: Op, k: string, ks: string): string | undefined {
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
}
