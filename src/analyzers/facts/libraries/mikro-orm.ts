/** MikroORM: `em.transactional(async (em) => …)` runs the callback in a transaction. */
import type { Library } from './library';

export const mikroOrm: Library = {
  id: 'mikro-orm',
  transactions: { callbacks: ['transactional'], handle: { methods: ['transactional'] } },
};
