/** async-lock: `lock.acquire(key, async () => …)`, one holder per key. */
import type { Library } from './library';

export const asyncLock: Library = {
  id: 'async-lock',
  modules: ['async-lock'],
  lock: {
    made: (_exported, isNew) => (isNew ? { kind: 'AsyncLock', permits: 1 } : undefined),
    typed: () => ({ kind: 'AsyncLock', permits: 1 }),
    byType: { path: /\/async-lock\//, kind: () => ({ kind: 'AsyncLock', permits: 1 }) },
    callback: { method: 'acquire', key: true, from: 1, to: 2 },
    display: (lock, keyText) => (keyText ? `${lock} (key ${keyText})` : lock),
  },
};
