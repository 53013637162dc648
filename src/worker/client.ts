/**
 * The extension host's side of the analysis worker: starts dist/worker.js, sends requests,
 * drops stale answers, and survives a crash by restarting the worker once (after a back-off)
 * and re-sending the configuration and every open document. No VS Code here: the extension
 * passes callbacks, tests drive it with a real worker.
 */
import { Worker } from 'node:worker_threads';
import type { FileError, SkippedFile, TextEdit } from '../analyzers/finding';
import {
  parseResponse,
  type ConfigureRequest,
  type MeasuredProfile,
  type ProfileRequest,
  type FileResult,
  type FindingsResponse,
  type LogLevel,
  type Request,
  type Response,
  type RuleInfo,
} from './protocol';

export interface CrashReport {
  reason: string;
  willRestart: boolean;
  /** True for the first crash since the worker was (re)started by hand: the one worth a notification. */
  notify: boolean;
}

export interface AnalysisWorkerOptions {
  workerPath: string;
  log(level: LogLevel, message: string): void;
  /** Fresh results only: answers for a document version older than the newest sent never arrive here. */
  onFindings(result: FindingsResponse): void;
  onReady?(rules: RuleInfo[], startMs: number): void;
  onCrash?(report: CrashReport): void;
  /** A worker log line that deserves a notification (a broken `.perflensrc.json`). */
  onNotify?(message: string): void;
  /** Back-off before the automatic restart (default 1 s). */
  restartDelayMs?: number;
  /** Automatic restarts before giving up (default 1); a manual restart resets the budget. */
  maxRestarts?: number;
}

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
  onResults?(results: FileResult[]): void;
}

export interface ScanSummary {
  done: number;
  total: number;
  cancelled: boolean;
  durationMs: number;
  findings: number;
  errors: FileError[];
  skipped: SkippedFile[];
}

export interface FixAllResult {
  version: number;
  edits: TextEdit[];
  applied: number;
  refused?: string;
}

/**
 * Raised to callers waiting on a worker that stopped (crashed, restarted or disposed).
 * @internal exported for test/extension/client.test.ts
 */
export class WorkerStoppedError extends Error {
  override name = 'WorkerStoppedError';
}

interface PendingScan {
  options: ScanOptions;
  findings: number;
  resolve(summary: ScanSummary): void;
  reject(error: Error): void;
  detach(): void;
}

interface PendingFixAll {
  resolve(result: FixAllResult): void;
  reject(error: Error): void;
}

type State = 'running' | 'restarting' | 'stopped' | 'disposed';

export class AnalysisWorker {
  private worker: Worker | undefined;
  private state: State = 'stopped';
  private startedAt = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private restartsLeft: number;
  private crashesSinceManualStart = 0;
  private lastError: string | undefined;
  private configuration: ConfigureRequest | undefined;
  private profile: ProfileRequest | undefined;
  /** The newest text sent per open document: what staleness is judged by and what a restart re-sends. */
  private readonly open = new Map<string, { version: number; text: string }>();
  private nextId = 1;
  private readonly scans = new Map<number, PendingScan>();
  private readonly fixes = new Map<number, PendingFixAll>();

  constructor(private readonly options: AnalysisWorkerOptions) {
    this.restartsLeft = options.maxRestarts ?? 1;
  }

  get running(): boolean {
    return this.state === 'running';
  }

  start(): void {
    if (this.state === 'disposed') throw new WorkerStoppedError('the analysis worker was disposed');
    this.spawn();
  }

  /** Restart by hand (a command): the automatic-restart budget and the notification are reset. */
  restart(): void {
    if (this.state === 'disposed') return;
    this.stopWorker('the analysis worker was restarted');
    this.restartsLeft = this.options.maxRestarts ?? 1;
    this.crashesSinceManualStart = 0;
    this.spawn();
  }

  /** The newest version of an open document sent for analysis. */
  sentVersion(path: string): number | undefined {
    return this.open.get(path)?.version;
  }

  /** The CPU profile findings are weighed by from now on (null: none); kept, and sent again to a restarted worker. */
  setProfile(profile: MeasuredProfile | null, hotShare: number): void {
    this.profile = profile ? { type: 'profile', profile, hotShare } : undefined;
    this.send({ type: 'profile', profile, hotShare });
  }

  configure(request: Omit<ConfigureRequest, 'type'>): void {
    this.configuration = { type: 'configure', ...request };
    this.send(this.configuration);
  }

  analyze(path: string, version: number, text: string): void {
    this.open.set(path, { version, text });
    this.send({ type: 'analyze', path, version, text });
  }

  close(path: string, reanalyze: boolean): void {
    this.open.delete(path);
    this.send({ type: 'close', path, reanalyze });
  }

  fixAll(path: string, version: number, text: string): Promise<FixAllResult> {
    if (!this.running) return Promise.reject(new WorkerStoppedError(this.notRunningReason()));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.fixes.set(id, { resolve, reject });
      this.send({ type: 'fixAll', id, path, version, text });
    });
  }

  scan(folders: string[], options: ScanOptions = {}): Promise<ScanSummary> {
    if (!this.running) return Promise.reject(new WorkerStoppedError(this.notRunningReason()));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.send({ type: 'cancelScan', id });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const detach = (): void => options.signal?.removeEventListener('abort', onAbort);
      this.scans.set(id, { options, findings: 0, resolve, reject, detach });
      this.send({ type: 'scan', id, folders });
      if (options.signal?.aborted) onAbort();
    });
  }

  dispose(): void {
    this.stopWorker('the analysis worker was disposed');
    this.state = 'disposed';
  }

  private spawn(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.startedAt = performance.now();
    const worker = new Worker(this.options.workerPath, { name: 'perflens-analysis' });
    this.worker = worker;
    this.state = 'running';
    worker.on('message', (message: unknown) => {
      if (this.worker === worker) this.receive(message);
    });
    worker.on('messageerror', (error) => this.options.log('warn', `unreadable message from the analysis worker: ${error.message}`));
    worker.on('error', (error) => {
      // Always followed by 'exit'; remember the cause so the crash report can name it.
      this.lastError = error.stack ?? error.message;
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.crashed(this.lastError ?? `exited with code ${code}`);
    });
    if (this.configuration) this.post(this.configuration);
    if (this.profile) this.post(this.profile);
    for (const [path, { version, text }] of this.open) this.post({ type: 'analyze', path, version, text });
  }

  private crashed(reason: string): void {
    this.worker = undefined;
    this.lastError = undefined;
    this.failPending(`the analysis worker stopped: ${reason.split('\n', 1)[0]}`);
    this.crashesSinceManualStart++;
    const willRestart = this.restartsLeft > 0;
    this.state = willRestart ? 'restarting' : 'stopped';
    const delay = this.options.restartDelayMs ?? 1000;
    this.options.log(
      'error',
      `the analysis worker crashed: ${reason}\n` +
        (willRestart ? `restarting it in ${delay} ms` : 'it is not restarted again; run "PerfLens: Restart Analysis Worker" to try again'),
    );
    this.options.onCrash?.({ reason: reason.split('\n', 1)[0], willRestart, notify: this.crashesSinceManualStart === 1 });
    if (willRestart) {
      this.restartsLeft--;
      this.restartTimer = setTimeout(() => {
        if (this.state === 'restarting') this.spawn();
      }, delay);
    }
  }

  private stopWorker(reason: string): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    this.state = 'stopped';
    this.failPending(reason);
    if (worker) void worker.terminate();
  }

  private failPending(reason: string): void {
    const error = new WorkerStoppedError(reason);
    for (const scan of this.scans.values()) {
      scan.detach();
      scan.reject(error);
    }
    this.scans.clear();
    for (const fix of this.fixes.values()) fix.reject(error);
    this.fixes.clear();
  }

  private notRunningReason(): string {
    if (this.state === 'restarting') return 'the analysis worker is restarting after a crash; try again in a moment';
    if (this.state === 'disposed') return 'the analysis worker was disposed';
    return 'the analysis worker is not running; run "PerfLens: Restart Analysis Worker"';
  }

  private send(request: Request): void {
    if (this.state === 'running') this.post(request);
    // Otherwise the request is not lost: configuration and open documents are re-sent by spawn().
  }

  private post(request: Request): void {
    this.worker?.postMessage(request);
  }

  private receive(message: unknown): void {
    const response = parseResponse(message);
    if (typeof response === 'string') {
      this.options.log('warn', `ignored a message from the analysis worker: ${response}`);
      return;
    }
    this.dispatch(response);
  }

  private dispatch(response: Response): void {
    switch (response.type) {
      case 'ready':
        this.options.onReady?.(response.rules, Math.round(performance.now() - this.startedAt));
        return;
      case 'findings':
        if (this.isFresh(response)) this.options.onFindings(response);
        return;
      case 'scanProgress': {
        const scan = this.scans.get(response.id);
        if (!scan) return;
        for (const result of response.results) scan.findings += result.findings.length;
        if (response.results.length > 0) scan.options.onResults?.(response.results);
        scan.options.onProgress?.(response.done, response.total);
        return;
      }
      case 'scanDone': {
        const scan = this.scans.get(response.id);
        if (!scan) return;
        this.scans.delete(response.id);
        scan.detach();
        const { done, total, cancelled, durationMs, errors, skipped } = response;
        scan.resolve({ done, total, cancelled, durationMs, errors, skipped, findings: scan.findings });
        return;
      }
      case 'fixAllResult': {
        const fix = this.fixes.get(response.id);
        if (!fix) return;
        this.fixes.delete(response.id);
        const { version, edits, applied, refused } = response;
        fix.resolve({ version, edits, applied, ...(refused !== undefined ? { refused } : {}) });
        return;
      }
      case 'failed': {
        const error = new Error(response.message);
        const scan = this.scans.get(response.id);
        if (scan) {
          this.scans.delete(response.id);
          scan.detach();
          scan.reject(error);
        }
        const fix = this.fixes.get(response.id);
        if (fix) {
          this.fixes.delete(response.id);
          fix.reject(error);
        }
        return;
      }
      case 'log':
        this.options.log(response.level, response.message);
        if (response.notify) this.options.onNotify?.(response.message);
        return;
    }
  }

  /**
   * An answer counts only for the newest version sent of a document still open; a disk
   * analysis (version null) only for a document that is not open.
   */
  private isFresh(response: FindingsResponse): boolean {
    const open = this.open.get(response.path);
    if (response.version === null) return open === undefined;
    return open !== undefined && open.version === response.version;
  }
}
