/**
 * The host side of the worker (src/worker/client.ts): stale answers are dropped, a crash is
 * logged, notified once and survived by one automatic restart that re-sends the configuration
 * and the open documents. Driven with a real worker thread running a deterministic stand-in
 * engine (fixtures/echoWorker.ts), and with the real worker for scans.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalysisWorker, WorkerStoppedError, type CrashReport } from '../../src/worker/client';
import type { FindingsResponse } from '../../src/worker/protocol';
import { bundle, buildWorker, tempDir, writeFiles } from './helpers/bundle';

let dir: string;
let echoWorkerPath: string;
let realWorkerPath: string;

beforeAll(async () => {
  dir = tempDir('client');
  echoWorkerPath = path.join(dir, 'echo-worker.js');
  await bundle('test/extension/fixtures/echoWorker.ts', echoWorkerPath);
  realWorkerPath = await buildWorker(dir);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function harness(workerPath: string, options: { restartDelayMs?: number } = {}) {
  const findings: FindingsResponse[] = [];
  const logs: string[] = [];
  const crashes: CrashReport[] = [];
  let ready = 0;
  const client = new AnalysisWorker({
    workerPath,
    log: (level, message) => logs.push(`${level}: ${message}`),
    onFindings: (result) => findings.push(result),
    onReady: () => ready++,
    onCrash: (report) => crashes.push(report),
    restartDelayMs: options.restartDelayMs ?? 50,
  });
  return { client, findings, logs, crashes, readyCount: () => ready };
}

let clients: AnalysisWorker[] = [];
afterEach(() => {
  for (const client of clients) client.dispose();
  clients = [];
});

function started<T extends ReturnType<typeof harness>>(h: T): T {
  clients.push(h.client);
  h.client.start();
  return h;
}

describe('stale answers', () => {
  it('drops the answer for a version older than the newest sent', async () => {
    const h = started(harness(echoWorkerPath));
    h.client.analyze('/w/a.ts', 1, 'slow\n');
    h.client.analyze('/w/a.ts', 2, 'fine\nslow\n');
    await vi.waitFor(() => expect(h.findings.map((f) => f.version)).toContain(2));
    // The echo worker answers every version in order: v1's answer came first and was dropped.
    expect(h.findings.map((f) => [f.version, f.findings[0]?.range.start.line])).toEqual([[2, 2]]);
  });

  it('drops answers for closed documents, and disk answers for documents that are open', async () => {
    const h = started(harness(echoWorkerPath));
    h.client.analyze('/w/closed.ts', 1, 'slow');
    h.client.close('/w/closed.ts', false);
    h.client.analyze('/w/open.ts', 5, 'slow');
    h.client.close('/w/scanned.ts', true);
    await vi.waitFor(() => expect(h.findings.map((f) => f.path)).toContain('/w/scanned.ts'));
    await vi.waitFor(() => expect(h.findings.map((f) => f.path)).toContain('/w/open.ts'));
    expect(h.findings.map((f) => [f.path, f.version])).toEqual([
      ['/w/open.ts', 5],
      ['/w/scanned.ts', null],
    ]);
  });

  it('logs and ignores answers that do not fit the protocol', async () => {
    const h = started(harness(echoWorkerPath));
    h.client.analyze('/w/x.ts', 1, 'JUNK');
    h.client.analyze('/w/x.ts', 2, 'slow');
    await vi.waitFor(() => expect(h.findings).toHaveLength(1));
    expect(h.logs).toEqual([
      'warn: ignored a message from the analysis worker: unknown message type "gossip"',
      'warn: ignored a message from the analysis worker: message "findings" has a missing or invalid "path"',
    ]);
  });
});

describe('crashes', () => {
  it('logs, notifies once, restarts after the back-off and re-sends configuration and open documents', async () => {
    const h = started(harness(echoWorkerPath, { restartDelayMs: 200 }));
    h.client.configure({ folders: [{ path: '/w', rules: {}, exclude: [] }], fallback: { rules: {}, exclude: [] } });
    h.client.analyze('/w/a.ts', 1, 'slow');
    await vi.waitFor(() => expect(h.findings).toHaveLength(1));

    // Settled into a value right away, so the rejection is never "unhandled" while we wait.
    const pendingFix = h.client.fixAll('/w/a.ts', 1, 'slow').then(() => 'resolved', (error: unknown) => error);
    h.client.analyze('/w/b.ts', 1, 'CRASH');
    await vi.waitFor(() => expect(h.crashes).toHaveLength(1));
    expect(h.crashes[0]).toMatchObject({ willRestart: true, notify: true });
    expect(h.crashes[0].reason).toContain('echo worker crashed on purpose');
    expect(h.logs.filter((l) => l.startsWith('error: the analysis worker crashed'))).toHaveLength(1);
    expect(await pendingFix).toBeInstanceOf(WorkerStoppedError);
    expect(h.client.running).toBe(false);
    await expect(h.client.fixAll('/w/a.ts', 1, 'slow')).rejects.toThrow(/restarting/);

    // Typed during the back-off: the restart sends this newest text, not the one that crashed.
    h.client.analyze('/w/b.ts', 2, 'still slow');
    await vi.waitFor(() => expect(h.readyCount()).toBe(2));
    await vi.waitFor(() => expect(h.findings.map((f) => `${f.path}@${f.version}`)).toEqual(['/w/a.ts@1', '/w/a.ts@1', '/w/b.ts@2']));
    expect(h.logs.filter((l) => l === 'info: configured 1 folders')).toHaveLength(2);
  });

  it('gives up after the second crash without a second notification; a manual restart resets both', async () => {
    const h = started(harness(echoWorkerPath));
    h.client.analyze('/w/b.ts', 1, 'CRASH');
    // Re-sent after the automatic restart, it crashes the new worker too.
    await vi.waitFor(() => expect(h.crashes).toHaveLength(2));
    expect(h.crashes.map((c) => [c.willRestart, c.notify])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(h.logs.at(-1)).toMatch(/not restarted again; run "PerfLens: Restart Analysis Worker"/);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.readyCount()).toBe(2);
    await expect(h.client.scan(['/w'])).rejects.toThrow(/not running/);

    h.client.close('/w/b.ts', false);
    h.client.analyze('/w/c.ts', 1, 'slow');
    h.client.restart();
    await vi.waitFor(() => expect(h.findings.map((f) => f.path)).toEqual(['/w/c.ts']));
    h.client.analyze('/w/c.ts', 2, 'CRASH');
    await vi.waitFor(() => expect(h.crashes).toHaveLength(3));
    expect(h.crashes[2]).toMatchObject({ willRestart: true, notify: true });
  });
});

describe('scans through the client (real worker)', () => {
  it('streams results and progress, and an aborted signal cancels the scan', async () => {
    const workspace = tempDir('client-scan');
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 400; i++) files[`m${i}.js`] = `export async function f${i}() { return require('fs').readFileSync('x'); }\n`;
      writeFiles(workspace, files);
      const h = started(harness(realWorkerPath));
      h.client.configure({ folders: [{ path: workspace, rules: {}, exclude: [] }], fallback: { rules: {}, exclude: [] } });

      const progress: Array<[number, number]> = [];
      const results: string[] = [];
      const complete = await h.client.scan([workspace], { onProgress: (done, total) => progress.push([done, total]), onResults: (r) => results.push(...r.map((x) => x.path)) });
      expect(complete).toMatchObject({ cancelled: false, done: 400, total: 400 });
      expect(complete.findings).toBeGreaterThan(0);
      expect(new Set(results).size).toBe(400);
      expect(progress.at(-1)).toEqual([400, 400]);

      const abort = new AbortController();
      // Cancelled on the first progress report (0 done): the worker sees it between two files.
      const cancelled = h.client.scan([workspace], { signal: abort.signal, onProgress: () => abort.abort() });
      const summary = await cancelled;
      expect(summary.cancelled).toBe(true);
      expect(summary.done).toBeLessThan(400);
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});
