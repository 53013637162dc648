/** TypeORM: repositories, entity managers, data sources, query runners, query builders, ActiveRecord entities. */
import { ts } from '../../ts';
import { referencedNames, skipParens } from '../ast';
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
} from '../clients/model';
import { rawOp, sqlText } from '../clients/sql';
import type { Library } from './library';
import { asIs, byField, importedName, oneKey, usesImportFrom, whereOnly } from './lookup';

const READ = set(
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
const WRITE = set(
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
const DISTINCTIVE = set('findOneBy', 'findBy', 'findOneByOrFail', 'findAndCountBy', 'countBy', 'existsBy');
const QUERY_BUILDER_TERMINAL = set(
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
const QUERY_BUILDER_WRITE = set('insert', 'update', 'delete', 'softDelete', 'restore', 'relation');
const REPOSITORY_FACTORIES = ['getRepository', 'getTreeRepository', 'getMongoRepository', 'getCustomRepository'];
const FACTORIES = [...REPOSITORY_FACTORIES, 'getManager', 'getConnection', 'createConnection'];
const MODULES = ['typeorm', '@nestjs/typeorm'];

const dataSource: Val = { lib: 'typeorm', role: 'datasource' };

function member(val: Val, name: string): Val | undefined {
  if (name === 'manager' && (val.role === 'datasource' || val.role === 'queryRunner' || val.role === 'repository')) {
    return { lib: 'typeorm', role: 'manager', tx: val.role === 'queryRunner' ? 'queryRunner' : val.tx, single: val.single };
  }
  return undefined;
}

function call(val: Val, name: string, node: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(node);
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
    if (READ.has(name)) return o({ lib: 'typeorm', kind: 'query', method: name, anchor, model, tx: val.tx });
    if (WRITE.has(name)) return o({ lib: 'typeorm', kind: 'write', method: name, anchor, model, tx: val.tx });
  }
  return undefined;
}

/** Module-level factories: `getRepository(User)`, also through `import * as typeorm`. */
function factoryCall(name: string, node: ClientCallNode): StepResult {
  const first = argumentsOf(node)?.[0];
  if (REPOSITORY_FACTORIES.includes(name)) return v({ lib: 'typeorm', role: 'repository', model: first ? entityName(first) : undefined });
  if (name === 'getManager') return v({ lib: 'typeorm', role: 'manager' });
  return undefined;
}

function isManagerCall(steps: readonly Step[], op: Op): boolean {
  // manager.findOne(User, { where }) — the entity comes first.
  const first = argumentsOf(steps[op.anchor].call)?.[0];
  return !!first && ts.isIdentifier(skipParens(first)) && /^[A-Z]/.test((skipParens(first) as ts.Identifier).text);
}

/** The repository's model from its name: `UserRepository` → `User`. */
function repositoryModel(name: string): string | undefined {
  const match = /^(.+?)Repo(sitory)?$/i.exec(name);
  return match ? match[1] : undefined;
}

export const typeorm: Library = {
  id: 'typeorm',
  limits: {
    options: ['take'],
    steps: ['take', 'limit'],
    oneRow: [
      'findOne',
      'findOneBy',
      'findOneOrFail',
      'findOneByOrFail',
      'getOne',
      'getOneOrFail',
      'count',
      'countBy',
      'exists',
      'exist',
      'existsBy',
    ],
    // A QueryBuilder's `.where('o.userId = :userId', { userId })` writes its condition as SQL text.
    filters: { options: ['where'], objectArguments: true, steps: ['where', 'andWhere'] },
  },
  modules: MODULES,
  client: {
    anchors: [...READ, ...WRITE, 'createQueryBuilder', 'query'],
    imported: ({ name, module, whole }) => {
      if (name === 'DataSource' || name === 'Connection') return { lib: 'typeorm', role: 'class', name: 'DataSource' };
      if (FACTORIES.includes(name)) return { lib: 'typeorm', role: 'fn', name };
      return whole ? { lib: 'typeorm', role: 'module', module } : undefined;
    },
    hints: {
      // `import { AppDataSource } from './data-source'`, `import dataSource from '../database/typeorm'`.
      projectImport: (module, local) => {
        if (/^[a-z_$]/.test(local)) return /data-?source/i.test(module) && /source/i.test(local) ? dataSource : undefined;
        return /DataSource$/.test(local) && /data-?source|typeorm|database|db/i.test(module) ? dataSource : undefined;
      },
    },
    construct: (made) => (made.role === 'class' ? dataSource : undefined),
    invoke: (fn, node) => {
      if (fn.role !== 'fn' || !fn.name) return undefined;
      if (fn.name === 'getConnection' || fn.name === 'createConnection') return v(dataSource);
      return factoryCall(fn.name, node);
    },
    member,
    call,
    moduleCall: (_val, name, node) => factoryCall(name, node),
    typeReference: ({ right, model, fromLibrary, unimported, facts }) => {
      if (!fromLibrary && !(unimported && facts.imports.importsAny((module) => MODULES.includes(module)))) return undefined;
      if (right === 'Repository' || right === 'TreeRepository' || right === 'MongoRepository')
        return { lib: 'typeorm', role: 'repository', model };
      if (right === 'EntityManager' || right === 'MongoEntityManager') return { lib: 'typeorm', role: 'manager' };
      if (right === 'DataSource' || right === 'Connection') return dataSource;
      if (right === 'QueryRunner') return { lib: 'typeorm', role: 'queryRunner', single: true };
      return undefined;
    },
    decorators: {
      InjectRepository: (model) => ({ lib: 'typeorm', role: 'repository', model }),
      InjectEntityManager: () => ({ lib: 'typeorm', role: 'manager' }),
      InjectDataSource: () => dataSource,
      InjectConnection: (_model, module) => (module === '@nestjs/typeorm' ? dataSource : undefined),
    },
    subclass: ({ name, fromLibrary }, className) =>
      fromLibrary && name === 'BaseEntity' ? { lib: 'typeorm', role: 'model', model: className, name: 'entity' } : undefined,
    self: ({ name, model, fromLibrary }) =>
      fromLibrary && name !== undefined && /Repository$/.test(name) ? { lib: 'typeorm', role: 'repository', model } : undefined,
    // ActiveRecord statics and repositories by name.
    byShape: ({ method, anchor, steps, plainPrefix, isModelReceiver, imports }) => {
      if (!plainPrefix || anchor < 1) return undefined;
      const receiver = steps[anchor - 1];
      const modelish = isModelReceiver(anchor - 1);
      if (DISTINCTIVE.has(method) && (modelish || /Repo(sitory)?$/i.test(receiver.name)))
        return { lib: 'typeorm', kind: 'query', method, anchor, model: modelish ? receiver.name : undefined };
      if ((READ.has(method) || WRITE.has(method)) && /Repo(sitory)?$/.test(receiver.name) && imports(MODULES))
        return { lib: 'typeorm', kind: READ.has(method) ? 'query' : 'write', method, anchor, model: repositoryModel(receiver.name) };
      return undefined;
    },
    byType: {
      modules: MODULES,
      path: /\/node_modules\/typeorm\//,
      methods: new Set([...READ, ...WRITE]),
      value: (name, model) => {
        if (/^(Repository|TreeRepository|MongoRepository)$/.test(name)) return { lib: 'typeorm', role: 'repository', model };
        if (/^(EntityManager|MongoEntityManager)$/.test(name)) return { lib: 'typeorm', role: 'manager', model };
        return undefined;
      },
    },
    // A query builder runs only at a terminal call; `insert()`/`update()`/`delete()` make it a write.
    finish: (op, rest) => {
      if (!rest.some((name) => QUERY_BUILDER_TERMINAL.has(name))) return undefined;
      if (rest.some((name) => QUERY_BUILDER_WRITE.has(name))) op.kind = 'write';
      return op;
    },
    lookupKey: (op, steps, args) => {
      const manager = isManagerCall(steps, op);
      const target = /^(find|findOne|findOneOrFail|count|exist|exists|findAndCount)$/.test(op.method)
        ? objectProperty(args?.[op.model && manager ? 1 : 0], 'where')
        : undefined;
      return firstKey(target) ?? firstKey(args?.[manager ? 1 : 0]);
    },
    rawSql: { modules: ['typeorm'], driver: false },
  },
  batching: {
    methods: ['findByIds'],
    text: /\bIn\s*\(/,
    lists: { calls: [{ name: 'In', argument: 0 }] },
    describe: (op, k, ks) => {
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
    },
    // `findOneBy({ key: x })` or `findOne({ where: { key: x } })` → `findBy({ key: In(keys) })`; a missing row is null.
    lookupForm: 'TypeORM `findBy` + `In`',
    lookup: (node, client, file) => {
      if (client.method !== 'findOneBy' && client.method !== 'findOne') return undefined;
      const argument = node.arguments[0];
      const match = oneKey(client.method === 'findOne' ? whereOnly(argument) : argument);
      // `{ id: Equal(x) }`, `{ id: Not(x) }`: an operator from typeorm, not a value rows can be keyed by.
      if (!match || usesImportFrom(referencedNames(match.keyExpression), 'typeorm', file)) return undefined;
      const operator = importedName(file, 'typeorm', 'In');
      if (!operator) return undefined;
      const { key } = match;
      return {
        ...match,
        batchedMethod: 'findBy',
        fetchAll: (receiver, keys) => `${receiver}.findBy({ ${key}: ${operator.name}(${keys}) })`,
        rowKey: (row) => byField(row, key),
        lookupKey: asIs,
        missing: 'null',
        edits: operator.edits,
      };
    },
  },
  transactions: {
    callbacks: ['transaction', 'runInTransaction'],
    handle: {
      methods: ['transaction', 'runInTransaction'],
      value: (name) => ({ lib: 'typeorm', role: 'manager', tx: name }),
      parameter: /^(manager|em|entityManager|transactionalEntityManager)$/,
      imported: (facts) => facts.imports.imports('typeorm'),
    },
    unmanaged: [{ method: 'startTransaction', bound: false, commit: 'commitTransaction', rollback: 'rollbackTransaction', generic: true }],
    ends: { commit: ['commitTransaction'], rollback: ['rollbackTransaction'], release: ['release'] },
  },
  relations: {
    rowsOf: ['typeorm'],
    // `await order.customer`: a lazy relation, one query per row.
    awaitedProperty: {
      inFile: (facts) => facts.imports.importsAny((m) => m === 'typeorm' || m === '@nestjs/typeorm' || /repositor|entit/i.test(m)),
      batched: (relation) => `relations: { ${relation}: true } (or a leftJoinAndSelect) in the query that loaded them`,
    },
  },
};
