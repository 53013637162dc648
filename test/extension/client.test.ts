/**
 * The host side of the worker (src/worker/client.ts): stale answers are dropped, a crash is
 * logged, notified once and survived by one automatic restart that re-sends the configuration
 * and the open documents. Driven with a real worker thread running a deterministic stand-in
 * engine (fixtures/echoWorker.ts), and with the real worker for scans. Waits end on the client's
 * callbacks, never after a fixed time.
 */
import * as fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalysisWorker, WorkerStoppedError, type CrashReport } from '../../src/worker/client';
import type { FindingsResponse } from '../../src/worker/protocol';
import { Changes } from '../helpers/changes';
import { bundles, tempDir, writeFiles } from './helpers/bundle';
import { Gate } from './helpers/gate';

const { echoWorker: echoWorkerPath, worker: realWorkerPath, gatedWorker: gatedWorkerPath } = bundles();
let dir: string;

beforeAll(() => {
  dir = tempDir('client');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function harness(workerPath: string, options: { restartDelayMs?: number } = {}) {
  const findings: FindingsResponse[] = [];
  const logs: string[] = [];
  const crashes: CrashReport[] = [];
  let ready = 0;
  const changes = new Changes();
  const record = <T>(list: T[], item: T): void => {
    list.push(item);
    changes.changed();
  };
  const client = new AnalysisWorker({
    workerPath,
    log: (level, message) => record(logs, `${level}: ${message}`),
    onFindings: (result) => record(findings, result),
    onReady: () => {
      ready++;
      changes.changed();
    },
    onCrash: (report) => record(crashes, report),
    restartDelayMs: options.restartDelayMs ?? 50,
  });
  /** Resolves once `assertion` passes, re-checked at every callback of the client. */
  const until = (assertion: () => void): Promise<void> => changes.until(assertion);
  return { client, findings, logs, crashes, readyCount: () => ready, until };
}

let clients: AnalysisWorker[] = [];
afterEach(() => {
  for (const client of clients) client.dispose();
  clients = [];
  vi.useRealTimers();
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
    await h.until(() => expect(h.findings.map((f) => f.version)).toContain(2));
    // The echo worker answers every version in order: v1's answer came first and was dropped.
    expect(h.findings.map((f) => [f.version, f.findings[0]?.range.start.line])).toEqual([[2, 2]]);
  });

  it('drops answers for closed documents, and disk answers for documents that are open', async () => {
    const h = started(harness(echoWorkerPath));
    h.client.analyze('/w/closed.ts', 1, 'slow');
    h.client.close('/w/closed.ts', false);
    h.client.analyze('/w/open.ts', 5, 'slow');
    h.client.close('/w/scanned.ts', true);
    await h.until(() => expect(h.findings.map((f) => f.path)).toContain('/w/scanned.ts'));
    await h.until(() => expect(h.findings.map((f) => f.path)).toContain('/w/open.ts'));
    expect(h.findings.map((f) => [f.path, f.version])).toEqual([
      ['/w/open.ts', 5],
      ['/w/scanned.ts', null],
    ]);
  });

  it('logs and ignores answers that do not fit the protocol', async () => {
    const h = started(harness(echoWorkerPath));
    h.client.analyze('/w/x.ts', 1, 'JUNK');
    h.client.analyze('/w/x.ts', 2, 'slow');
    await h.until(() => expect(h.findings).toHaveLength(1));
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
    await h.until(() => expect(h.findings).toHaveLength(1));

    // Settled into a value right away, so the rejection is never "unhandled" while we wait.
    const pendingFix = h.client.fixAll('/w/a.ts', 1, 'slow').then(
      () => 'resolved',
      (error: unknown) => error,
    );
    h.client.analyze('/w/b.ts', 1, 'CRASH');
    await h.until(() => expect(h.crashes).toHaveLength(1));
    expect(h.crashes[0]).toMatchObject({ willRestart: true, notify: true });
    expect(h.crashes[0].reason).toContain('echo worker crashed on purpose');
    expect(h.logs.filter((l) => l.startsWith('error: the analysis worker crashed'))).toHaveLength(1);
    expect(await pendingFix).toBeInstanceOf(WorkerStoppedError);
    expect(h.client.running).toBe(false);
    await expect(h.client.fixAll('/w/a.ts', 1, 'slow')).rejects.toThrow(/restarting/);

    // Typed during the back-off: the restart sends this newest text, not the one that crashed.
    h.client.analyze('/w/b.ts', 2, 'still slow');
    await h.until(() => expect(h.readyCount()).toBe(2));
    await h.until(() => expect(h.findings.map((f) => `${f.path}@${f.version}`)).toEqual(['/w/a.ts@1', '/w/a.ts@1', '/w/b.ts@2']));
    expect(h.logs.filter((l) => l === 'info: configured 1 folders')).toHaveLength(2);
  });

  it('gives up after the second crash without a second notification; a manual restart resets both', async () => {
    // The back-off runs on fake timers (real again after each test): the test ends it by hand, and
    // sees that after the second crash no restart is scheduled at all.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = started(harness(echoWorkerPath));
    h.client.analyze('/w/b.ts', 1, 'CRASH');
    await h.until(() => expect(h.crashes).toHaveLength(1));
    // Re-sent after the automatic restart, it crashes the new worker too.
    vi.runOnlyPendingTimers();
    await h.until(() => expect(h.crashes).toHaveLength(2));
    expect(h.crashes.map((c) => [c.willRestart, c.notify])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(h.logs.at(-1)).toMatch(/not restarted again; run "PerfLens: Restart Analysis Worker"/);
    expect(vi.getTimerCount()).toBe(0);
    expect(h.readyCount()).toBe(2);
    await expect(h.client.scan(['/w'])).rejects.toThrow(/not running/);

    h.client.close('/w/b.ts', false);
    h.client.analyze('/w/c.ts', 1, 'slow');
    h.client.restart();
    await h.until(() => expect(h.findings.map((f) => f.path)).toEqual(['/w/c.ts']));
    h.client.analyze('/w/c.ts', 2, 'CRASH');
    await h.until(() => expect(h.crashes).toHaveLength(3));
    expect(h.crashes[2]).toMatchObject({ willRestart: true, notify: true });
  });
});

describe('scans through the client (real worker)', () => {
  it('streams results and progress, and an aborted signal cancels the scan', async () => {
    const workspace = tempDir('client-scan');
    const gate = new Gate(dir);
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 400; i++)
        files[`m${i}.js`] = `${i === 1 ? gate.marker : ''}export async function f${i}() { return require('fs').readFileSync('x'); }\n`;
      writeFiles(workspace, files);
      const h = started(harness(realWorkerPath));
      h.client.configure({ folders: [{ path: workspace, rules: {}, exclude: [] }], fallback: { rules: {}, exclude: [] } });

      const progress: Array<[number, number]> = [];
      const results: string[] = [];
      const complete = await h.client.scan([workspace], {
        onProgress: (done, total) => progress.push([done, total]),
        onResults: (r) => results.push(...r.map((x) => x.path)),
      });
      expect(complete).toMatchObject({ cancelled: false, done: 400, total: 400 });
      expect(complete.findings).toBeGreaterThan(0);
      expect(new Set(results).size).toBe(400);
      expect(progress.at(-1)).toEqual([400, 400]);

      // The same scan on the gated worker (fixtures/gatedWorker.ts), which cannot get past m1.js
      // before the gate opens: cancelled on the first progress report (0 done) and the gate opened
      // only then, it sees the cancel between two files, however fast it is.
      const gated = started(harness(gatedWorkerPath));
      gated.client.configure({ folders: [{ path: workspace, rules: {}, exclude: [] }], fallback: { rules: {}, exclude: [] } });
      const abort = new AbortController();
      const onProgress = (): void => {
        abort.abort();
        gate.open();
      };
      const summary = await gated.client.scan([workspace], { signal: abort.signal, onProgress });
      expect(summary.cancelled).toBe(true);
      expect(summary.done).toBeLessThan(400);
    } finally {
      gate.dispose();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });
});
