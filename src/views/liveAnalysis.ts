/**
 * Keeps diagnostics in step with the editor: open documents are analysed on open, as the user
 * types (debounced per document, with `perflens.run: onType`) and on save; closing a document
 * clears its diagnostics — unless a workspace scan covered the file, whose on-disk state is
 * then analysed again and stays in the Problems panel.
 */
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { Finding, Severity } from '../analyzers/finding';
import { isShownAt } from '../settings';
import type { AnalysisWorker } from '../worker/client';
import type { FileResult, FindingsResponse } from '../worker/protocol';
import { Debouncer } from './debounce';
import type { DiagnosticsView } from './diagnostics';
import type { SettingsReader } from './settingsReader';

export const ANALYZED_LANGUAGES: readonly string[] = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

/** Quiet time after the last keystroke before a document is analysed. */
const TYPING_DEBOUNCE_MS = 300;

function isAnalyzedDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && ANALYZED_LANGUAGES.includes(document.languageId) && !/\.d\.[cm]?ts$/i.test(document.uri.fsPath);
}

export class LiveAnalysis implements vscode.Disposable {
  private started = false;
  private readonly whenStartedPromise: Promise<void>;
  private resolveStarted: () => void = () => {};
  private readonly debouncer = new Debouncer<string>(TYPING_DEBOUNCE_MS);
  /** Open documents we analyse, by file system path (the worker's key). */
  private readonly documents = new Map<string, vscode.TextDocument>();
  /**
   * Files a workspace scan reported on, with every finding of the file on disk (before
   * `perflens.minSeverity`, so that a change of it shows them again); their diagnostics outlive the editor tab.
   */
  private readonly scanned = new Map<string, readonly Finding[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly client: AnalysisWorker,
    private readonly diagnostics: DiagnosticsView,
    private readonly settings: SettingsReader,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => this.opened(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.changed(event)),
      vscode.workspace.onDidSaveTextDocument((document) => this.saved(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.closed(document)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('perflens')) this.refresh();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
    this.whenStartedPromise = new Promise((resolve) => (this.resolveStarted = resolve));
    const watcher = vscode.workspace.createFileSystemWatcher('**/.perflensrc.json');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidChange(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
    );
  }

  /** Called once the worker is ready (rule ids known): configure it and analyse what is open. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.configureWorker();
    for (const document of vscode.workspace.textDocuments) this.opened(document);
    this.resolveStarted();
  }

  /**
   * Resolves once the worker is ready and has its configuration. A request sent before (a scan
   * run as the command that activates PerfLens) would reach a worker that knows no settings yet:
   * no `perflens.exclude`, no per-folder rules.
   */
  whenStarted(): Promise<void> {
    return this.whenStartedPromise;
  }

  get isStarted(): boolean {
    return this.started;
  }

  isTracked(document: vscode.TextDocument): boolean {
    return this.documents.get(document.uri.fsPath) === document;
  }

  /** Workspace folders on disk whose settings leave PerfLens enabled. */
  enabledFolders(): vscode.WorkspaceFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter(
      (folder) => folder.uri.scheme === 'file' && this.settings.for(folder.uri).enable,
    );
  }

  /**
   * Results of a workspace scan: shown for every file not open in an editor (those are analysed live).
   * Returns how many findings are shown and how many `perflens.minSeverity` hides.
   */
  applyScanResults(results: readonly FileResult[]): { shown: number; hidden: number } {
    const counts = { shown: 0, hidden: 0 };
    for (const { path, findings } of results) {
      this.scanned.set(path, findings);
      const uri = vscode.Uri.file(path);
      const settings = this.settings.for(uri);
      if (!settings.enable) continue;
      const shown = shownAt(findings, settings.minSeverity);
      counts.shown += shown.length;
      counts.hidden += findings.length - shown.length;
      if (this.documents.has(path)) continue;
      this.showOnDisk(uri, shown);
    }
    return counts;
  }

  /** After a complete scan of `folders`: files scanned before but gone now (deleted, excluded) lose their diagnostics. */
  finishScan(folders: readonly string[], seen: ReadonlySet<string>): void {
    for (const path of [...this.scanned.keys()]) {
      if (seen.has(path) || !folders.some((folder) => isInside(folder, path))) continue;
      this.scanned.delete(path);
      if (!this.documents.has(path)) this.diagnostics.delete(vscode.Uri.file(path));
    }
  }

  /** The worker's answer for an open document (already checked for staleness) or a file on disk. */
  showFindings(result: FindingsResponse): void {
    const document = this.documents.get(result.path);
    const uri = document?.uri ?? vscode.Uri.file(result.path);
    const settings = this.settings.for(uri);
    if (!settings.enable) return;
    if (result.version === null) {
      if (!this.scanned.has(result.path)) return;
      this.scanned.set(result.path, result.findings);
    }
    const shown = shownAt(result.findings, settings.minSeverity);
    this.diagnostics.show(uri, shown, result.version, document);
  }

  private showOnDisk(uri: vscode.Uri, findings: readonly Finding[]): void {
    if (findings.length > 0) this.diagnostics.show(uri, findings, null);
    else this.diagnostics.delete(uri);
  }

  private opened(document: vscode.TextDocument): void {
    if (!this.started || !isAnalyzedDocument(document)) return;
    this.documents.set(document.uri.fsPath, document);
    if (this.settings.for(document.uri).enable) this.send(document, true);
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    const document = event.document;
    // A change event without content changes only reports the dirty state flipping.
    if (event.contentChanges.length === 0 || !this.isTracked(document)) return;
    const settings = this.settings.for(document.uri);
    if (!settings.enable || settings.run !== 'onType') return;
    this.debouncer.schedule(document.uri.fsPath, () => this.send(document, false));
  }

  private saved(document: vscode.TextDocument): void {
    if (!this.isTracked(document) || !this.settings.for(document.uri).enable) return;
    this.debouncer.cancel(document.uri.fsPath);
    this.send(document, false);
  }

  private closed(document: vscode.TextDocument): void {
    const path = document.uri.fsPath;
    if (!this.isTracked(document)) return;
    this.debouncer.cancel(path);
    this.documents.delete(path);
    const reanalyze = this.scanned.has(path) && this.settings.for(document.uri).enable;
    this.client.close(path, reanalyze);
    // A scanned file keeps its diagnostics until the analysis of the file on disk replaces them.
    if (!reanalyze) this.diagnostics.delete(document.uri);
  }

  /** Settings, folders or a `.perflensrc.json` changed: re-configure the worker and re-analyse. */
  private refresh(): void {
    this.settings.invalidate();
    if (!this.started) return;
    this.configureWorker();
    for (const document of this.documents.values()) {
      if (this.settings.for(document.uri).enable) {
        this.send(document, true);
      } else {
        this.debouncer.cancel(document.uri.fsPath);
        this.diagnostics.delete(document.uri);
      }
    }
    for (const [path, findings] of [...this.scanned]) {
      const uri = vscode.Uri.file(path);
      const settings = this.settings.for(uri);
      if (settings.enable) {
        // A scanned file not open: what it showed may change with perflens.minSeverity.
        if (!this.documents.has(path)) this.showOnDisk(uri, shownAt(findings, settings.minSeverity));
        continue;
      }
      this.scanned.delete(path);
      if (!this.documents.has(path)) this.diagnostics.delete(uri);
    }
  }

  private configureWorker(): void {
    const folders = (vscode.workspace.workspaceFolders ?? [])
      .filter((folder) => folder.uri.scheme === 'file')
      .map((folder) => {
        const { rules, exclude } = this.settings.for(folder.uri);
        return { path: folder.uri.fsPath, rules, exclude };
      });
    const { rules, exclude } = this.settings.for(undefined);
    this.client.configure({ folders, fallback: { rules, exclude } });
  }

  /** Sends the document's current text, unless this very version was sent already (and `force` is off). */
  private send(document: vscode.TextDocument, force: boolean): void {
    if (document.isClosed) return;
    this.debouncer.cancel(document.uri.fsPath);
    if (!force && this.client.sentVersion(document.uri.fsPath) === document.version) return;
    this.client.analyze(document.uri.fsPath, document.version, document.getText());
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function isInside(folder: string, file: string): boolean {
  const relative = nodePath.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !nodePath.isAbsolute(relative);
}

/** The findings `perflens.minSeverity` lets the Problems panel show. */
function shownAt(findings: readonly Finding[], min: Severity): Finding[] {
  return findings.filter((finding) => isShownAt(finding.severity, min));
}
