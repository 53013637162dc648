/** Objection: models built on knex (`Person.query().findById(id)`), and its unmanaged transactions. */
import { o } from '../clients/model';
import type { Library } from './library';
import { finishKnex, KNEX_BUILDER, knexBatched, knexKey } from './knex';

export const objection: Library = {
  id: 'objection',
  limits: { steps: ['limit', 'first'], oneRow: ['findById', 'findOne', 'first'], filters: { steps: ['where', 'andWhere'] } },
  modules: ['objection'],
  client: {
    imported: ({ name }) => (name === 'Model' ? { lib: 'objection', role: 'class', name: 'Model' } : undefined),
    subclass: ({ value }, className) =>
      value?.role === 'class' && value.lib === 'objection' ? { lib: 'objection', role: 'model', model: className } : undefined,
    call: (val, name, _node, anchor) =>
      val.role === 'model' && name === 'query'
        ? o({ lib: 'objection', kind: 'query', method: 'query', anchor, model: val.model, builder: true })
        : undefined,
    // Person.query().findById(id): a model's query() followed by builder steps only.
    byShape: ({ method, anchor, steps, plainPrefix, isModelReceiver }) =>
      method === 'query' &&
      isModelReceiver(anchor - 1) &&
      plainPrefix &&
      steps.length > anchor + 1 &&
      steps.slice(anchor + 1).every((s) => KNEX_BUILDER.has(s.name))
        ? { lib: 'objection', kind: 'query', method: 'query', anchor, model: steps[anchor - 1].name, builder: true }
        : undefined,
    finish: finishKnex,
    lookupKey: knexKey,
  },
  batching: { describe: knexBatched },
  // const trx = await Person.startTransaction(); … await trx.commit();
  transactions: {
    unmanaged: [{ method: 'startTransaction', bound: true, commit: 'commit', rollback: 'rollback', generic: true }],
    ends: { commit: ['commit'], rollback: ['rollback'] },
  },
};
