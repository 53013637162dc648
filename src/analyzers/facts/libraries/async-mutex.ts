/** async-mutex: `Mutex` and `Semaphore` — `runExclusive(cb)`, or `acquire()` and a release. */
import { numberArgument } from './locking';
import type { Library, LockKind } from './library';

const mutex: LockKind = { kind: 'Mutex', permits: 1 };

export const asyncMutex: Library = {
  id: 'async-mutex',
  modules: ['async-mutex'],
  lock: {
    made: (exported, _isNew, args) => {
      // withTimeout(new Mutex(), 500), tryAcquire(mutex): the lock is the first argument.
      if (exported === 'withTimeout' || exported === 'tryAcquire') return args[0] ? { wraps: args[0] } : undefined;
      if (exported === 'Mutex') return mutex;
      if (exported === 'Semaphore') return { kind: 'Semaphore', permits: numberArgument(args[0]) };
      return undefined;
    },
    typed: (exported) => {
      if (exported === 'Mutex' || exported === 'MutexInterface') return mutex;
      if (exported === 'Semaphore' || exported === 'SemaphoreInterface') return { kind: 'Semaphore' };
      return undefined;
    },
    byType: { path: /\/async-mutex\//, kind: (name) => (/Semaphore/.test(name) ? { kind: 'Semaphore' } : mutex) },
    // `this.mutex.runExclusive(…)` on an instance made in another file.
    byName: { method: 'runExclusive', name: /mutex|lock/i, unless: /sem|limit|queue|pool/i, kind: mutex },
    callback: { method: 'runExclusive', from: 0, to: 1 },
    acquire: { methods: ['acquire'], release: (handle, lock) => (handle ? `${handle}()` : `${lock}.release()`) },
    display: (lock) => lock,
    saferForm: (lock) => `, or use ${lock}.runExclusive(async () => …)`,
  },
};
