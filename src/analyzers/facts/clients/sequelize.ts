/** Sequelize: model statics (`User.findByPk`), `sequelize.models.X`, raw `sequelize.query`. */
import type { ts } from '../../ts';
import { constantString } from '../ast';
import {
  argumentsOf,
  firstKey,
  o,
  objectProperty,
  set,
  v,
  type ClientCallNode,
  type Op,
  type Step,
  type StepResult,
  type Val,
} from './model';
import { rawOp, sqlOfCall } from './sql';

export const SEQUELIZE_READ = set('findByPk', 'findOne', 'findAll', 'findAndCountAll', 'count', 'max', 'min', 'sum', 'aggregate');
export const SEQUELIZE_WRITE = set(
  'create',
  'bulkCreate',
  'update',
  'destroy',
  'upsert',
  'findOrCreate',
  'findCreateFind',
  'increment',
  'decrement',
  'restore',
  'truncate',
);
export const SEQUELIZE_DISTINCTIVE = set('findByPk', 'findAll', 'findAndCountAll', 'bulkCreate', 'findOrCreate', 'findCreateFind');
export const SEQUELIZE_MODULES = ['sequelize', 'sequelize-typescript', '@nestjs/sequelize'];

export function sequelizeMember(val: Val, name: string): Val | undefined {
  if (val.role === 'client' && name === 'models') return { lib: 'sequelize', role: 'db' };
  if (val.role === 'db') return { lib: 'sequelize', role: 'model', model: name };
  return undefined;
}

export function sequelizeCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  if (val.role === 'client') {
    if (name === 'query') return rawOp('sequelize', name, anchor, sqlOfCall(call), val);
    if (name === 'model' || name === 'define')
      return v({ lib: 'sequelize', role: 'model', model: args?.[0] ? constantString(args[0]) : undefined });
    return undefined;
  }
  if (val.role === 'model') {
    if (SEQUELIZE_READ.has(name)) return o({ lib: 'sequelize', kind: 'query', method: name, anchor, model: val.model });
    if (SEQUELIZE_WRITE.has(name)) return o({ lib: 'sequelize', kind: 'write', method: name, anchor, model: val.model });
  }
  return undefined;
}

export function sequelizeKey(op: Op, _steps: Step[], args: readonly ts.Expression[] | undefined): string | undefined {
  if (op.method === 'findByPk') return 'id';
  return firstKey(objectProperty(args?.[0], 'where')) ?? firstKey(args?.[0]);
}

export function sequelizeBatched(op: Op, k: string, ks: string): string | undefined {
  const read = op.kind === 'query';
  if (op.raw) return read ? `query with WHERE ${k} IN (:${ks})` : 'multi-row statement';
  if (op.method === 'count') return `count({ where: { ${k}: ${ks} }, group: ['${k}'] })`;
  if (read) return `findAll({ where: { ${k}: ${ks} } })`;
  if (op.method === 'create') return 'bulkCreate([...])';
  if (op.method === 'update') return `update(values, { where: { ${k}: ${ks} } }) when the values are the same`;
  if (op.method === 'destroy') return `destroy({ where: { ${k}: ${ks} } })`;
  if (op.method === 'upsert') return 'bulkCreate([...], { updateOnDuplicate: [...] })';
  if (op.method === 'findOrCreate') return 'bulkCreate([...], { ignoreDuplicates: true })';
  return undefined;
}

/** Sequelize or Mongoose, when the call alone cannot tell which. */
export function ormBatched(op: Op, k: string, ks: string): string {
  if (op.kind === 'query')
    return `bulk query by an id list — findAll({ where: { ${k}: ${ks} } }) (Sequelize) or find({ ${k}: { $in: ${ks} } }) (Mongoose)`;
  if (op.method === 'create') return 'bulkCreate([...]) (Sequelize) or insertMany([...]) (Mongoose)';
  return `bulk update by an id list (Sequelize: where: { ${k}: ${ks} }; Mongoose: { ${k}: { $in: ${ks} } })`;
}
