/** Sequelize: model statics (`User.findByPk`), `sequelize.models.X`, raw `sequelize.query`, association getters. */
import { constantString } from '../ast';
import { argumentsOf, firstKey, o, objectProperty, set, v, type Op, type Step, type Val } from '../clients/model';
import { rawOp, sqlOfCall } from '../clients/sql';
import type { ts } from '../../ts';
import type { Library } from './library';
import { asIs, byField, oneKey, whereOnly } from './lookup';

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
const DISTINCTIVE = set('findByPk', 'findAll', 'findAndCountAll', 'bulkCreate', 'findOrCreate', 'findCreateFind');
const MODULES = ['sequelize', 'sequelize-typescript', '@nestjs/sequelize'];

/** `getAuthor()`, `countComments()`, `hasTag()`: Sequelize's association accessors on a row. */
const ASSOCIATION_GETTER = /^(get|count|has)([A-Z]\w*)$/;

const model = (name?: string): Val => ({ lib: 'sequelize', role: 'model', model: name });

/** The key a Sequelize (or Sequelize-like) call looks rows up by. */
export function sequelizeKey(op: Op, _steps: readonly Step[], args: readonly ts.Expression[] | undefined): string | undefined {
  if (op.method === 'findByPk') return 'id';
  return firstKey(objectProperty(args?.[0], 'where')) ?? firstKey(args?.[0]);
}

export const sequelize: Library = {
  id: 'sequelize',
  limits: {
    options: ['limit'],
    oneRow: ['findOne', 'findByPk', 'count', 'max', 'min', 'sum', 'aggregate'],
    filters: { options: ['where'] },
  },
  modules: MODULES,
  client: {
    anchors: [...SEQUELIZE_READ, ...SEQUELIZE_WRITE, 'query'],
    imported: ({ name, module, whole }) => {
      if (name === 'Sequelize') return { lib: 'sequelize', role: 'class', name: 'Sequelize' };
      if (name === 'Model') return { lib: 'sequelize', role: 'class', name: 'Model' };
      return whole ? { lib: 'sequelize', role: 'module', module } : undefined;
    },
    // const Sequelize = require('sequelize'); new Sequelize(…)
    construct: (made) =>
      made.role === 'module' || (made.role === 'class' && made.name === 'Sequelize') ? { lib: 'sequelize', role: 'client' } : undefined,
    member: (val, name) => {
      if (val.role === 'client' && name === 'models') return { lib: 'sequelize', role: 'db' };
      if (val.role === 'db') return model(name);
      return undefined;
    },
    call: (val, name, node, anchor) => {
      const args = argumentsOf(node);
      if (val.role === 'client') {
        if (name === 'query') return rawOp('sequelize', name, anchor, sqlOfCall(node), val);
        if (name === 'model' || name === 'define') return v(model(args?.[0] ? constantString(args[0]) : undefined));
        return undefined;
      }
      if (val.role === 'model') {
        if (SEQUELIZE_READ.has(name)) return o({ lib: 'sequelize', kind: 'query', method: name, anchor, model: val.model });
        if (SEQUELIZE_WRITE.has(name)) return o({ lib: 'sequelize', kind: 'write', method: name, anchor, model: val.model });
      }
      return undefined;
    },
    typeReference: ({ right, model: entity, fromLibrary }) => {
      if (!fromLibrary) return undefined;
      if (right === 'Sequelize') return { lib: 'sequelize', role: 'client' };
      if (right === 'ModelStatic' || right === 'ModelCtor') return model(entity);
      return undefined;
    },
    // Listed before Mongoose: `@InjectModel` is Sequelize's only when it comes from @nestjs/sequelize.
    decorators: { InjectModel: (entity, module) => (module === '@nestjs/sequelize' ? model(entity) : undefined) },
    subclass: ({ value, name, fromLibrary }, className) =>
      (value?.role === 'class' && value.lib === 'sequelize' && value.name === 'Model') || (fromLibrary && name === 'Model')
        ? model(className)
        : undefined,
    // Model statics: a Sequelize-only method, or any model method in a file that imports Sequelize.
    byShape: ({ method, anchor, steps, plainPrefix, isModelReceiver, imports }) => {
      if (!plainPrefix || anchor < 1 || !isModelReceiver(anchor - 1)) return undefined;
      if (DISTINCTIVE.has(method) || ((SEQUELIZE_READ.has(method) || SEQUELIZE_WRITE.has(method)) && imports(MODULES)))
        return { lib: 'sequelize', kind: SEQUELIZE_READ.has(method) ? 'query' : 'write', method, anchor, model: steps[anchor - 1].name };
      return undefined;
    },
    byType: {
      modules: ['sequelize', 'sequelize-typescript'],
      path: /\/node_modules\/sequelize(-typescript)?\//,
      methods: new Set([...SEQUELIZE_READ, ...SEQUELIZE_WRITE]),
      value: (name, entity) => (/^(ModelStatic|ModelCtor|Model)$/.test(name) ? model(entity) : undefined),
    },
    lookupKey: sequelizeKey,
  },
  batching: {
    methods: ['bulkCreate'],
    text: /\[Op\.in\]|\bOp\.in\b/,
    lists: { properties: ['Op.in'] },
    describe: (op, k, ks) => {
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
    },
    transactionArguments: { options: ['transaction'] },
    // `findOne({ where: { key: x } })` → `findAll({ where: { key: keys } })` (an array means IN); a missing row is null.
    lookupForm: 'Sequelize `findAll`',
    lookup: (call, client) => {
      if (client.method !== 'findOne') return undefined;
      const match = oneKey(whereOnly(call.arguments[0]));
      if (!match) return undefined;
      const { key } = match;
      return {
        ...match,
        batchedMethod: 'findAll',
        fetchAll: (receiver, keys) => `${receiver}.findAll({ where: { ${key}: ${keys} } })`,
        rowKey: (row) => byField(row, key),
        lookupKey: asIs,
        missing: 'null',
        edits: [],
      };
    },
  },
  transactions: {
    callbacks: ['transaction'],
    handle: {
      methods: ['transaction'],
      value: (name) => ({ lib: 'sequelize', role: 'transaction', tx: name }),
      imported: (facts) => facts.imports.imports('sequelize') || facts.imports.imports('sequelize-typescript'),
    },
    unmanaged: [{ method: 'transaction', bound: true, commit: 'commit', rollback: 'rollback' }],
    ends: { commit: ['commit'], rollback: ['rollback'] },
  },
  relations: {
    rowsOf: ['sequelize', 'orm'],
    // `post.getAuthor()`: Mongoose documents have get(path) too, but only Sequelize spells associations getX().
    call: (method, _call, row) => {
      const getter = ASSOCIATION_GETTER.exec(method);
      if (!getter) return undefined;
      const association = getter[2];
      return {
        operation: `${row}.${method}()`,
        relation: association,
        batched:
          getter[1] === 'count'
            ? `one count({ where: { <foreign key>: ids }, group: ['<foreign key>'] }) for all of them`
            : `include: [${association}] in the query that loaded them (or one findAll({ where: { <foreign key>: ids } }) grouped by key)`,
      };
    },
    anyItemIn: (facts) => facts.imports.importsAny((m) => m === 'sequelize' || m === 'sequelize-typescript'),
  },
};
