/** The MongoDB driver: `client.db().collection('users')`, and the sessions its transactions run on (Mongoose's too). */
import type { ts } from '../../ts';
import { constantString } from '../ast';
import { argumentsOf, firstKey, o, set, v, type Op, type Step } from '../clients/model';
import type { Library } from './library';

const READ = set('find', 'findOne', 'countDocuments', 'estimatedDocumentCount', 'distinct', 'aggregate');
const WRITE = set(
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'bulkWrite',
);

/** The key a MongoDB or Mongoose call looks documents up by: `_id` for `findById`, else the filter's first field. */
export function mongoKey(op: Op, _steps: readonly Step[], args: readonly ts.Expression[] | undefined): string | undefined {
  if (/ById/.test(op.method)) return '_id';
  return firstKey(args?.[0]);
}

/** The batched form of a MongoDB or Mongoose call. */
export function mongoBatched(op: Op, k: string, ks: string): string {
  if (op.method === 'populate') return 'populate() on the whole array of documents';
  if (op.method === 'countDocuments')
    return `aggregate([{ $match: { ${k}: { $in: ${ks} } } }, { $group: { _id: '$${k}', count: { $sum: 1 } } }])`;
  if (op.kind === 'query') return `find({ ${k}: { $in: ${ks} } })${op.lib === 'mongodb' ? '.toArray()' : ''}`;
  if (op.method === 'create' || op.method === 'insertOne') return 'insertMany([...])';
  if (/^(deleteOne|findByIdAndDelete|findOneAndDelete|findByIdAndRemove|findOneAndRemove)$/.test(op.method))
    return `deleteMany({ ${k}: { $in: ${ks} } })`;
  return 'bulkWrite([...]) (or updateMany with $in when the update is the same)';
}

export const mongodb: Library = {
  id: 'mongodb',
  limits: {
    options: ['limit'],
    steps: ['limit'],
    oneRow: ['findOne', 'findOneAndUpdate', 'countDocuments', 'estimatedDocumentCount'],
    filters: { objectArguments: true },
  },
  modules: ['mongodb'],
  client: {
    anchors: [...READ, ...WRITE],
    imported: ({ name, module, whole }) => {
      if (name === 'MongoClient') return { lib: 'mongodb', role: 'class', name: 'MongoClient' };
      return whole ? { lib: 'mongodb', role: 'module', module } : undefined;
    },
    construct: (made) => (made.role === 'class' ? { lib: 'mongodb', role: 'client' } : undefined),
    call: (val, name, node, anchor) => {
      const args = argumentsOf(node);
      if (val.role === 'client' && name === 'db') return v({ lib: 'mongodb', role: 'db' });
      if (val.role === 'class' && name === 'connect') return v({ lib: 'mongodb', role: 'client' });
      if (val.role === 'db' && name === 'collection')
        return v({ lib: 'mongodb', role: 'collection', model: args?.[0] ? constantString(args[0]) : undefined });
      if (val.role === 'collection') {
        if (READ.has(name)) return o({ lib: 'mongodb', kind: 'query', method: name, anchor, model: val.model });
        if (WRITE.has(name)) return o({ lib: 'mongodb', kind: 'write', method: name, anchor, model: val.model });
      }
      return undefined;
    },
    typeReference: ({ right, model, fromLibrary }) => {
      if (!fromLibrary) return undefined;
      if (right === 'MongoClient') return { lib: 'mongodb', role: 'client' };
      if (right === 'Db') return { lib: 'mongodb', role: 'db' };
      if (right === 'Collection') return { lib: 'mongodb', role: 'collection', model };
      return undefined;
    },
    lookupKey: mongoKey,
  },
  batching: {
    methods: ['insertMany', 'bulkWrite'],
    text: /\$in\b/,
    lists: { properties: ['$in'] },
    describe: mongoBatched,
    transactionArguments: { options: ['session'], steps: ['session'] },
  },
  // Sessions: `session.withTransaction(async () => …)`, or `session.startTransaction()` … `commitTransaction()`.
  transactions: {
    callbacks: ['withTransaction'],
    anyReceiver: ['withTransaction'],
    receiverIsHandle: ['withTransaction'],
    handle: { methods: ['withTransaction'] },
    unmanaged: [
      { method: 'startTransaction', bound: false, commit: 'commitTransaction', rollback: 'abortTransaction', receiver: /session/i },
    ],
    ends: { commit: ['commitTransaction'], rollback: ['abortTransaction'], release: ['endSession'] },
  },
};
