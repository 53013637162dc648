/** p-limit: `const limit = pLimit(1); limit(() => …)` — with a concurrency of 1, a lock. */
import { numberArgument } from './locking';
import type { Library } from './library';

export const pLimit: Library = {
  id: 'p-limit',
  modules: ['p-limit'],
  lock: {
    made: (_exported, isNew, args) => (isNew ? undefined : { kind: 'pLimit', permits: numberArgument(args[0]) }),
    typed: () => ({ kind: 'pLimit' }),
    calledDirectly: true,
    callback: { from: 0, to: 1 },
    display: (lock) => `${lock} (concurrency 1)`,
  },
};
