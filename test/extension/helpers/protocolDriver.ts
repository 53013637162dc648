/**
 * Drives a worker thread with raw protocol messages and waits for the answers it expects. A wait
 * ends with the answer, or fails when the worker dies — never after a fixed time: on a busy
 * machine an answer may take long, and a hang is what the test runner's own limit is for.
 */
import { Worker } from 'node:worker_threads';
import type { Request, Response } from '../../../src/worker/protocol';

interface Waiter {
  test: (message: Response) => boolean;
  resolve: (message: Response) => void;
  reject: (error: Error) => void;
}

export class ProtocolDriver {
  readonly received: Response[] = [];
  private waiters: Waiter[] = [];
  private readonly worker: Worker;
  private error: Error | undefined;
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
    this.worker.on('error', (error) => {
      this.error = error;
    });
    this.worker.on('exit', (code) => {
      this.exitCode = code;
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.died());
    });
  }

  send(request: Request | Record<string, unknown>): void {
    this.worker.postMessage(request);
  }

  /** The first message (already received or still to come, after `from`) that passes `test`. */
  next<T extends Response['type']>(
    type: T,
    test: (message: Extract<Response, { type: T }>) => boolean = () => true,
    { from = 0 }: { from?: number } = {},
  ): Promise<Extract<Response, { type: T }>> {
    const matches = (message: Response): boolean => message.type === type && test(message as Extract<Response, { type: T }>);
    const already = this.received.slice(from).find(matches);
    if (already) return Promise.resolve(already as Extract<Response, { type: T }>);
    if (this.exitCode !== undefined) return Promise.reject(this.died());
    return new Promise((resolve, reject) => {
      this.waiters.push({ test: matches, resolve: (message) => resolve(message as Extract<Response, { type: T }>), reject });
    });
  }

  all<T extends Response['type']>(type: T): Array<Extract<Response, { type: T }>> {
    return this.received.filter((message): message is Extract<Response, { type: T }> => message.type === type);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private died(): Error {
    return new Error(
      `the worker exited (code ${this.exitCode})${this.error ? `: ${this.error.stack ?? this.error.message}` : ''} before the awaited message`,
    );
  }
}
