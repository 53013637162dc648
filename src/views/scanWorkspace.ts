/**
 * "PerfLens: Scan Workspace": every analysable file of the enabled workspace folders, with a
 * cancellable progress notification (files done/total); results fill the Problems panel as
 * they arrive, also for files never opened.
 */
import * as vscode from 'vscode';
import type { AnalysisWorker, ScanSummary } from '../worker/client';
import type { LiveAnalysis } from './liveAnalysis';

export interface ScanDependencies {
  client: AnalysisWorker;
  live: LiveAnalysis;
  log: vscode.LogOutputChannel;
}

let running = false;

export async function scanWorkspace({ client, live, log }: ScanDependencies): Promise<ScanSummary | undefined> {
  if (running) {
    void vscode.window.showInformationMessage('PerfLens is already scanning the workspace.');
    return undefined;
  }
  const folders = live.enabledFolders().map((folder) => folder.uri.fsPath);
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('PerfLens: open a folder (with PerfLens enabled) to scan a workspace.');
    return undefined;
  }
  running = true;
  try {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'PerfLens: scanning workspace', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancellation = token.onCancellationRequested(() => abort.abort());
        const seen = new Set<string>();
        let reported = 0;
        const counts = { shown: 0, hidden: 0 };
        try {
          // Run as the command that activates PerfLens, the scan must wait for the worker to be
          // configured: requests are served in order, and one sent now would ignore the settings.
          if (!live.isStarted) {
            progress.report({ message: 'starting the analysis worker…' });
            const cancelled = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
            await Promise.race([live.whenStarted(), cancelled]);
            if (abort.signal.aborted)
              return { done: 0, total: 0, cancelled: true, durationMs: 0, findings: 0, errors: [], skipped: [], ...counts };
          }
          const result = await client.scan(folders, {
            signal: abort.signal,
            onResults: (results) => {
              for (const { path } of results) seen.add(path);
              const applied = live.applyScanResults(results);
              counts.shown += applied.shown;
              counts.hidden += applied.hidden;
            },
            onProgress: (done, total) => {
              const increment = total > 0 ? ((done - reported) / total) * 100 : 0;
              reported = done;
              progress.report({ message: `${done}/${total} files`, increment });
            },
          });
          if (!result.cancelled) live.finishScan(folders, seen);
          return { ...result, ...counts };
        } finally {
          cancellation.dispose();
        }
      },
    );
    report(summary, log);
    return summary;
  } catch (error) {
    log.error(`workspace scan failed: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage(`PerfLens: the workspace scan failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    running = false;
  }
}

/** The worker's summary, with how many findings `perflens.minSeverity` let through and hid. */
type Summary = ScanSummary & { shown: number; hidden: number };

function report(summary: Summary, log: vscode.LogOutputChannel): void {
  const hidden = summary.hidden > 0 ? ` (${summary.hidden} below perflens.minSeverity hidden)` : '';
  const what = `${summary.done}/${summary.total} files, ${summary.findings} findings, ${summary.shown} shown, ${summary.errors.length} errors, ${summary.skipped.length} skipped`;
  log.info(`workspace scan ${summary.cancelled ? 'cancelled' : 'done'} in ${summary.durationMs} ms: ${what}`);
  for (const error of summary.errors) log.warn(`${error.file}: ${error.message}`);
  for (const skipped of summary.skipped) log.info(`skipped ${skipped.file}: ${skipped.reason}`);
  const message = summary.cancelled
    ? `PerfLens: scan cancelled after ${summary.done} of ${summary.total} files (${summary.shown} findings so far${hidden}).`
    : `PerfLens: scanned ${summary.done} files, ${summary.shown} findings${hidden}.`;
  void vscode.window.showInformationMessage(message);
}
