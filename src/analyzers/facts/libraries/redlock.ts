/** Redlock: a lock held in Redis — `redlock.using(resources, ttl, async () => …)`, or `acquire()` and `release()`. */
import type { Library } from './library';

export const redlock: Library = {
  id: 'redlock',
  modules: ['redlock'],
  lock: {
    made: (_exported, isNew) => (isNew ? { kind: 'Redlock', permits: 1 } : undefined),
    typed: () => ({ kind: 'Redlock', permits: 1 }),
    byType: { path: /\/redlock\//, kind: () => ({ kind: 'Redlock', permits: 1 }) },
    callback: { method: 'using', key: true, from: 1 },
    acquire: {
      methods: ['acquire', 'lock'],
      key: true,
      release: (handle, lock) => (handle ? `await ${handle}.release()` : `${lock}.release()`),
    },
    display: (_lock, keyText) => (keyText ? `the Redlock lock on ${keyText}` : 'a Redlock lock'),
    saferForm: () => ', or use redlock.using(…)',
    expires: true,
  },
};
