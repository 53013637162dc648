/** TypeORM: repositories, entity managers, data sources, query runners, query builders, ActiveRecord entities. */
import { ts } from '../../ts';
import { skipParens } from '../ast';
import {
  argumentsOf,
  entityName,
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
import { rawOp, sqlText } from './sql';

export const TYPEORM_READ = set(
  'find',
  'findBy',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findAndCount',
  'findAndCountBy',
  'findByIds',
  'count',
  'countBy',
  'exist',
  'exists',
  'existsBy',
  'sum',
  'average',
  'minimum',
  'maximum',
  'preload',
);
export const TYPEORM_WRITE = set(
  'save',
  'insert',
  'update',
  'upsert',
  'delete',
  'remove',
  'softDelete',
  'softRemove',
  'restore',
  'recover',
  'increment',
  'decrement',
  'clear',
  'updateAll',
  'deleteAll',
);
/** TypeORM-only names (repository and ActiveRecord entity statics). */
export const TYPEORM_DISTINCTIVE = set('findOneBy', 'findBy', 'findOneByOrFail', 'findAndCountBy', 'countBy', 'existsBy');
export const TYPEORM_QB_TERMINAL = set(
  'getOne',
  'getOneOrFail',
  'getMany',
  'getRawOne',
  'getRawMany',
  'getRawAndEntities',
  'getCount',
  'getManyAndCount',
  'getExists',
  'execute',
  'stream',
);
export const TYPEORM_QB_WRITE = set('insert', 'update', 'delete', 'softDelete', 'restore', 'relation');
export const TYPEORM_FACTORIES = [
  'getRepository',
  'getTreeRepository',
  'getMongoRepository',
  'getCustomRepository',
  'getManager',
  'getConnection',
  'createConnection',
];

export function typeormMember(val: Val, name: string): Val | undefined {
  if (name === 'manager' && (val.role === 'datasource' || val.role === 'queryRunner' || val.role === 'repository')) {
    return { lib: 'typeorm', role: 'manager', tx: val.role === 'queryRunner' ? 'queryRunner' : val.tx, single: val.single };
  }
  return undefined;
}

export function typeormCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  if (
    name === 'getRepository' ||
    name === 'getTreeRepository' ||
    name === 'getMongoRepository' ||
    name === 'withRepository' ||
    name === 'getCustomRepository'
  ) {
    if (val.role === 'datasource' || val.role === 'manager' || val.role === 'queryRunner') {
      return v({ lib: 'typeorm', role: 'repository', model: args?.[0] ? entityName(args[0]) : undefined, tx: val.tx, single: val.single });
    }
    return undefined;
  }
  if (name === 'createQueryBuilder') {
    const model = val.role === 'repository' ? val.model : args?.[0] ? entityName(args[0]) : undefined;
    return o({ lib: 'typeorm', kind: 'query', method: 'createQueryBuilder', anchor, model, builder: true, tx: val.tx });
  }
  if (
    name === 'query' &&
    (val.role === 'datasource' || val.role === 'manager' || val.role === 'queryRunner' || val.role === 'repository')
  ) {
    return rawOp('typeorm', name, anchor, args?.[0] ? sqlText(args[0]) : undefined, val);
  }
  if (val.role === 'datasource' && name === 'createQueryRunner')
    return v({ lib: 'typeorm', role: 'queryRunner', tx: 'queryRunner', single: true });
  if (val.role === 'repository' || val.role === 'manager' || (val.role === 'model' && val.name === 'entity')) {
    const model = val.role === 'manager' ? (args?.[0] ? entityName(args[0]) : undefined) : val.model;
    if (TYPEORM_READ.has(name)) return o({ lib: 'typeorm', kind: 'query', method: name, anchor, model, tx: val.tx });
    if (TYPEORM_WRITE.has(name)) return o({ lib: 'typeorm', kind: 'write', method: name, anchor, model, tx: val.tx });
  }
  return undefined;
}

/** Module-level factories: `getRepository(User)` through `import * as typeorm`. */
export function typeormModuleCall(name: string, call: ts.CallExpression): StepResult {
  if (['getRepository', 'getTreeRepository', 'getMongoRepository', 'getCustomRepository'].includes(name)) {
    return v({ lib: 'typeorm', role: 'repository', model: call.arguments[0] ? entityName(call.arguments[0]) : undefined });
  }
  if (name === 'getManager') return v({ lib: 'typeorm', role: 'manager' });
  return undefined;
}

function isManagerCall(steps: Step[], op: Op): boolean {
  // manager.findOne(User, { where }) — the entity comes first.
  const first = argumentsOf(steps[op.anchor].call)?.[0];
  return !!first && ts.isIdentifier(skipParens(first)) && /^[A-Z]/.test((skipParens(first) as ts.Identifier).text);
}

export function typeormKey(op: Op, steps: Step[], args: readonly ts.Expression[] | undefined): string | undefined {
  const manager = isManagerCall(steps, op);
  const target = /^(find|findOne|findOneOrFail|count|exist|exists|findAndCount)$/.test(op.method)
    ? objectProperty(args?.[op.model && manager ? 1 : 0], 'where')
    : undefined;
  return firstKey(target) ?? firstKey(args?.[manager ? 1 : 0]);
}

export function typeormBatched(op: Op, k: string, ks: string): string | undefined {
  const read = op.kind === 'query';
  if (op.raw) return read ? `query with WHERE ${k} IN (…)` : 'multi-row statement';
  if (op.method === 'createQueryBuilder')
    return read ? `query builder with .where('${k} IN (:...${ks})', { ${ks} })` : `query builder with .whereInIds(${ks})`;
  if (op.method === 'count' || op.method === 'countBy') return `query builder with GROUP BY ${k}`;
  if (read) return `findBy({ ${k}: In(${ks}) })`;
  if (op.method === 'save') return 'save([...entities])';
  if (op.method === 'insert') return 'insert([...rows])';
  if (op.method === 'upsert') return 'upsert([...rows], [conflict columns])';
  if (op.method === 'update') return `update({ ${k}: In(${ks}) }, values) when the values are the same`;
  if (op.method === 'delete' || op.method === 'softDelete') return `${op.method}({ ${k}: In(${ks}) })`;
  if (op.method === 'remove' || op.method === 'softRemove') return `${op.method}([...entities])`;
  return undefined;
}

/** The repository's model from its name: `UserRepository` → `User`. */
export function repositoryModel(name: string): string | undefined {
  const match = /^(.+?)Repo(sitory)?$/i.exec(name);
  return match ? match[1] : undefined;
}
