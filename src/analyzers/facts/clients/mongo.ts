/** Mongoose (models, `populate`) and the MongoDB driver (`db.collection('x')`). */
import type { ts } from '../../ts';
import { constantString } from '../ast';
import { argumentsOf, entityName, firstKey, o, set, v, type ClientCallNode, type Op, type Step, type StepResult, type Val } from './model';

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
export const MONGOOSE_DISTINCTIVE = set(
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
export const MONGOOSE_MODULES = ['mongoose', '@nestjs/mongoose'];

const MONGODB_READ = set('find', 'findOne', 'countDocuments', 'estimatedDocumentCount', 'distinct', 'aggregate');
export const MONGODB_WRITE = set(
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

export function mongooseMember(val: Val, name: string): Val | undefined {
  if (val.role === 'module' && name === 'connection') return { lib: 'mongoose', role: 'client' };
  if ((val.role === 'client' || val.role === 'module') && name === 'models') return { lib: 'mongoose', role: 'db' };
  if (val.role === 'db') return { lib: 'mongoose', role: 'model', model: name };
  return undefined;
}

export function mongooseCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  if (val.role === 'client') {
    if (name === 'model') return v({ lib: 'mongoose', role: 'model', model: args?.[0] ? entityName(args[0]) : undefined });
    return undefined;
  }
  if (val.role === 'model') {
    if (MONGOOSE_READ.has(name)) return o({ lib: 'mongoose', kind: 'query', method: name, anchor, model: val.model });
    if (MONGOOSE_WRITE.has(name)) return o({ lib: 'mongoose', kind: 'write', method: name, anchor, model: val.model });
  }
  return undefined;
}

export function mongodbCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  const args = argumentsOf(call);
  if (val.role === 'client' && name === 'db') return v({ lib: 'mongodb', role: 'db' });
  if (val.role === 'class' && name === 'connect') return v({ lib: 'mongodb', role: 'client' });
  if (val.role === 'db' && name === 'collection')
    return v({ lib: 'mongodb', role: 'collection', model: args?.[0] ? constantString(args[0]) : undefined });
  if (val.role === 'collection') {
    if (MONGODB_READ.has(name)) return o({ lib: 'mongodb', kind: 'query', method: name, anchor, model: val.model });
    if (MONGODB_WRITE.has(name)) return o({ lib: 'mongodb', kind: 'write', method: name, anchor, model: val.model });
  }
  return undefined;
}

export function mongoKey(op: Op, _steps: Step[], args: readonly ts.Expression[] | undefined): string | undefined {
  if (/ById/.test(op.method)) return '_id';
  return firstKey(args?.[0]);
}

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
