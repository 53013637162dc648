/** p-queue: `queue.add(() => …)` — with `{ concurrency: 1 }`, a lock. */
import { numberOption } from './locking';
import type { Library } from './library';

export const pQueue: Library = {
  id: 'p-queue',
  modules: ['p-queue'],
  lock: {
    made: (_exported, isNew, args) =>
      isNew
        ? { kind: 'PQueue', permits: (args[0] ? numberOption(args[0], 'concurrency') : undefined) ?? Number.POSITIVE_INFINITY }
        : undefined,
    typed: () => ({ kind: 'PQueue' }),
    callback: { method: 'add', from: 0, to: 1 },
    display: (lock) => `${lock} (concurrency 1)`,
  },
};
