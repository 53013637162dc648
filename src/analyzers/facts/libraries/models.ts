/**
 * A model class imported from a models or entities folder (`import { Notification } from
 * '@server/models'`) whose library the call alone cannot tell: Sequelize or Mongoose (`orm`).
 * Methods only one of them has decide; a `{ where }` argument is Sequelize's shape.
 */
import { objectProperty, type ClientKind } from '../clients/model';
import type { Library } from './library';
import { MONGOOSE_READ, MONGOOSE_WRITE } from './mongoose';
import { SEQUELIZE_READ, SEQUELIZE_WRITE, sequelizeKey } from './sequelize';

export const models: Library = {
  id: 'orm',
  client: {
    byShape: ({ method, anchor, steps, args, plainPrefix, isModelReceiver, fromModelsFolder }) => {
      if (!plainPrefix || anchor < 1 || !isModelReceiver(anchor - 1)) return undefined;
      const sequelize = SEQUELIZE_READ.has(method) || SEQUELIZE_WRITE.has(method);
      const mongoose = MONGOOSE_READ.has(method) || MONGOOSE_WRITE.has(method);
      if ((!sequelize && !mongoose) || !fromModelsFolder()) return undefined;
      const lib =
        sequelize && !mongoose
          ? 'sequelize'
          : mongoose && !sequelize
            ? 'mongoose'
            : objectProperty(args?.[0], 'where')
              ? 'sequelize'
              : 'orm';
      const kind: ClientKind = SEQUELIZE_READ.has(method) || MONGOOSE_READ.has(method) ? 'query' : 'write';
      return { lib, kind, method, anchor, model: steps[anchor - 1].name };
    },
    lookupKey: sequelizeKey,
  },
  batching: {
    describe: (op, k, ks) => {
      if (op.kind === 'query')
        return `bulk query by an id list — findAll({ where: { ${k}: ${ks} } }) (Sequelize) or find({ ${k}: { $in: ${ks} } }) (Mongoose)`;
      if (op.method === 'create') return 'bulkCreate([...]) (Sequelize) or insertMany([...]) (Mongoose)';
      return `bulk update by an id list (Sequelize: where: { ${k}: ${ks} }; Mongoose: { ${k}: { $in: ${ks} } })`;
    },
  },
};
