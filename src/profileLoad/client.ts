/**
 * The extension host's side of profile loading: a worker thread per profile (dist/profileWorker.js)
 * that reads and aggregates it off the host's main thread, answers once and is ended. No VS Code
 * here: the custom editor calls it, tests drive it with the real worker.
 */
import { Worker } from 'node:worker_threads';
import type { ViewData } from '../profileView/data';
import type { LineWeight } from '../profileView/lineHeat';
import { parseLoadResponse, type LoadRequest } from './protocol';

/** The view's data and the lines' weights, or the one-line reason the profile cannot be shown. */
export type LoadOutcome = { data: ViewData; lines: LineWeight[] } | { error: string };

/**
 * Loads the profile `request` names in a new worker; `signal` ends the worker (the view closed).
 * Never rejects: a crashed or silent worker is an outcome with a reason, shown in the view.
 */
export function loadInWorker(workerPath: string, request: Omit<LoadRequest, 'type'>, signal?: AbortSignal): Promise<LoadOutcome> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerPath, { name: 'perflens-profile' });
    } catch (error) {
      // A worker that cannot even start (its file is missing) is a reason like any other.
      resolve({ error: `PerfLens: the profile worker did not start (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    let settled = false;
    const settle = (outcome: LoadOutcome): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(outcome);
    };
    const onAbort = (): void => settle({ error: 'the profile view was closed' });
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: unknown) => {
      const response = parseLoadResponse(message);
      if (typeof response === 'string') settle({ error: `PerfLens: unreadable answer from the profile worker (${response})` });
      else if (response.type === 'loaded') settle({ data: response.data, lines: response.lines });
      else settle({ error: response.message });
    });
    worker.on('error', (error) => settle({ error: `PerfLens: the profile worker failed (${error.message})` }));
    worker.on('exit', (code) => settle({ error: `PerfLens: the profile worker stopped (exit code ${code}) before answering` }));
    if (signal?.aborted) onAbort();
    else worker.postMessage({ type: 'load', ...request } satisfies LoadRequest);
  });
}
