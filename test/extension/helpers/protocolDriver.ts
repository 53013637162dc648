/** Drives a worker thread with raw protocol messages and waits for the answers it expects. */
import { Worker } from 'node:worker_threads';
import type { Request, Response } from '../../../src/worker/protocol';

export class ProtocolDriver {
  readonly received: Response[] = [];
  private waiters: Array<{ test: (message: Response) => boolean; resolve: (message: Response) => void }> = [];
  private readonly worker: Worker;
  exitCode: number | undefined;

  constructor(workerPath: string) {
    this.worker = new Worker(workerPath);
    this.worker.on('message', (message: Response) => {
      this.received.push(message);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test(message)) return true;
        waiter.resolve(message);
        return false;
      });
    });
    this.worker.on('exit', (code) => {
      this.exitCode = code;
    });
  }

  send(request: Request | Record<string, unknown>): void {
    this.worker.postMessage(request);
  }

  /** The first message (already received or still to come, after `from`) that passes `test`. */
  next<T extends Response['type']>(
    type: T,
    test: (message: Extract<Response, { type: T }>) => boolean = () => true,
    { from = 0, timeoutMs = 20_000 }: { from?: number; timeoutMs?: number } = {},
  ): Promise<Extract<Response, { type: T }>> {
    const matches = (message: Response): boolean => message.type === type && test(message as Extract<Response, { type: T }>);
    const already = this.received.slice(from).find(matches);
    if (already) return Promise.resolve(already as Extract<Response, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test: matches,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message as Extract<Response, { type: T }>);
        },
      });
    });
  }

  all<T extends Response['type']>(type: T): Array<Extract<Response, { type: T }>> {
    return this.received.filter((message): message is Extract<Response, { type: T }> => message.type === type);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
