/** Mongoose: models (`User.findById`), `mongoose.model('User')`, `populate` on one document. */
import { argumentsOf, entityName, o, set, v, type Val } from '../clients/model';
import type { Library } from './library';
import { isLiteralObject, oneKey } from './lookup';
import { mongoBatched, mongoKey } from './mongodb';

export const MONGOOSE_READ = set(
  'find',
  'findOne',
  'findById',
  'countDocuments',
  'estimatedDocumentCount',
  'exists',
  'distinct',
  'aggregate',
  'populate',
);
export const MONGOOSE_WRITE = set(
  'create',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findByIdAndUpdate',
  'findOneAndDelete',
  'findByIdAndDelete',
  'findOneAndRemove',
  'findByIdAndRemove',
  'findOneAndReplace',
  'bulkWrite',
  'bulkSave',
);
const DISTINCTIVE = set(
  'findById',
  'findByIdAndUpdate',
  'findByIdAndDelete',
  'findByIdAndRemove',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'countDocuments',
  'estimatedDocumentCount',
  'insertMany',
);
const MODULES = ['mongoose', '@nestjs/mongoose'];

const model = (name?: string): Val => ({ lib: 'mongoose', role: 'model', model: name });

export const mongoose: Library = {
  id: 'mongoose',
  limits: {
    options: ['limit'],
    steps: ['limit'],
    oneRow: ['findOne', 'findById', 'findByIdAndUpdate', 'findOneAndUpdate', 'countDocuments', 'estimatedDocumentCount', 'exists'],
    filters: { objectArguments: true, steps: ['where'] },
  },
  modules: MODULES,
  client: {
    anchors: [...MONGOOSE_READ, ...MONGOOSE_WRITE],
    imported: ({ name, module, whole }) => {
      if (name === 'model') return { lib: 'mongoose', role: 'fn', name: 'model' };
      if (name === 'Model') return { lib: 'mongoose', role: 'class', name: 'Model' };
      if (name === 'createConnection') return { lib: 'mongoose', role: 'fn', name: 'createConnection' };
      return whole || name === 'mongoose' ? { lib: 'mongoose', role: 'module', module } : undefined;
    },
    invoke: (fn, call) => {
      if (fn.role !== 'fn') return undefined;
      if (fn.name === 'model') return v(model(call.arguments[0] ? entityName(call.arguments[0]) : undefined));
      if (fn.name === 'getConnection' || fn.name === 'createConnection') return v({ lib: 'mongoose', role: 'client' });
      return undefined;
    },
    member: (val, name) => {
      if (val.role === 'module' && name === 'connection') return { lib: 'mongoose', role: 'client' };
      if ((val.role === 'client' || val.role === 'module') && name === 'models') return { lib: 'mongoose', role: 'db' };
      if (val.role === 'db') return model(name);
      return undefined;
    },
    call: (val, name, node, anchor) => {
      const args = argumentsOf(node);
      if (val.role === 'client') return name === 'model' ? v(model(args?.[0] ? entityName(args[0]) : undefined)) : undefined;
      if (val.role === 'model') {
        if (MONGOOSE_READ.has(name)) return o({ lib: 'mongoose', kind: 'query', method: name, anchor, model: val.model });
        if (MONGOOSE_WRITE.has(name)) return o({ lib: 'mongoose', kind: 'write', method: name, anchor, model: val.model });
      }
      return undefined;
    },
    moduleCall: (_val, name, call) =>
      name === 'model' ? v(model(call.arguments[0] ? entityName(call.arguments[0]) : undefined)) : undefined,
    typeReference: ({ right, model: entity, fromLibrary }) => (fromLibrary && right === 'Model' ? model(entity) : undefined),
    // After Sequelize's: an `@InjectModel` from anywhere but @nestjs/sequelize is Mongoose's.
    decorators: { InjectModel: (entity) => model(entity) },
    subclass: ({ value }, className) =>
      value?.role === 'class' && value.lib === 'mongoose' && value.name === 'Model' ? model(className) : undefined,
    // Model statics: a Mongoose-only method, or any model method in a file that imports Mongoose.
    byShape: ({ method, anchor, steps, plainPrefix, isModelReceiver, imports }) => {
      if (!plainPrefix || anchor < 1 || !isModelReceiver(anchor - 1)) return undefined;
      if (DISTINCTIVE.has(method) || ((MONGOOSE_READ.has(method) || MONGOOSE_WRITE.has(method)) && imports(MODULES)))
        return { lib: 'mongoose', kind: MONGOOSE_READ.has(method) ? 'query' : 'write', method, anchor, model: steps[anchor - 1].name };
      return undefined;
    },
    byType: {
      modules: MODULES,
      path: /\/node_modules\/mongoose\//,
      methods: new Set([...MONGOOSE_READ, ...MONGOOSE_WRITE]),
      value: (name, entity) => (name === 'Model' ? model(entity) : undefined),
    },
    lookupKey: mongoKey,
  },
  batching: {
    methods: ['insertMany', 'bulkWrite', 'bulkSave'],
    describe: mongoBatched,
    /**
     * `findById(x)` or `findOne({ key: x })` → `find({ key: { $in: keys } })`. Rows and keys are
     * matched by their string: Mongoose casts a query value to the field's type, so an ObjectId (an
     * object two lookups of the same id do not share) — in `_id` or in a reference such as
     * `{ user: u._id }` — or a number given as text finds its row, and the Map must match it too.
     */
    lookupForm: 'Mongoose `find` + `$in`',
    lookup: (call, client) => {
      if (client.method !== 'findById' && client.method !== 'findOne') return undefined;
      const argument = call.arguments[0];
      const match = client.method === 'findById' ? { key: '_id', keyExpression: argument } : oneKey(argument);
      if (!match || isLiteralObject(match.keyExpression)) return undefined;
      const { key } = match;
      return {
        ...match,
        batchedMethod: 'find',
        fetchAll: (receiver, keys) => `${receiver}.find({ ${key}: { $in: ${keys} } })`,
        rowKey: (row) => `String(${row}.${key})`,
        lookupKey: (text) => `String(${text})`,
        missing: 'null',
        edits: [],
      };
    },
  },
  relations: {
    rowsOf: ['mongoose', 'orm'],
    // `post.populate('author')` on one document — not `Model.populate(docs, …)`, the batch form.
    call: (method, call, row, facts) => {
      if (method !== 'populate' || call.arguments.length === 0 || call.arguments.length > 2) return undefined;
      const path = facts.textOf(call.arguments[0]);
      const shown = path.length <= 24 ? path : '…';
      return {
        operation: `${row}.populate(${shown})`,
        relation: path,
        batched: `one populate(${shown}) on the query that loaded them, or Model.populate(docs, ${shown}) for the whole array`,
      };
    },
    anyItemIn: (facts) => facts.imports.importsAny((m) => m === 'mongoose' || m === '@nestjs/mongoose'),
  },
};
