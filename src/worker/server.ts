/**
 * The worker side of the protocol: one ProjectHost with an overlay per open document, the
 * scopes' analyzers, and the requests served in order. Nothing here knows about VS Code; the
 * worker entry (src/worker.ts) connects it to `parentPort`, tests can connect it to anything.
 */
import * as path from 'node:path';
import type { FileAnalysis } from '../analyzers/engine';
import { describeFailure } from '../analyzers/failures';
import type { FileError, Finding, SkippedFile } from '../analyzers/finding';
import { discoverFiles } from '../analyzers/files';
import { applySafeFixesRepeatedly } from '../analyzers/fixes';
import { ProjectHost, syntaxErrors } from '../analyzers/project';
import { allRules, docsUrl } from '../analyzers/registry';
import type { EvidencePolicy, Rule } from '../analyzers/rule';
import type { ts } from '../analyzers/ts';
import { locateInSource } from '../fusion/astFunctions';
import { withHotness, type ProfiledFunction, type TimeProfile } from '../fusion/functionTimes';
import { weighByProfile } from '../fusion/measured';
import {
  parseRequest,
  type AnalyzeRequest,
  type FileResult,
  type FixAllRequest,
  type LogLevel,
  type ProfileRequest,
  type Response,
  type ScanRequest,
} from './protocol';
import { Scopes } from './scopes';
import { minimalEdit } from './textDiff';

export interface WorkerServerOptions {
  post(message: Response): void;
  /** The rule set (default: every registered rule). */
  rules?: readonly Rule[];
  /** How often a scan reports progress, at most (ms). */
  progressIntervalMs?: number;
}

/** Lines already logged; a rule that crashes on every keystroke is said once. */
const MAX_REMEMBERED_LOG_LINES = 2000;

export class WorkerServer {
  private readonly host: ProjectHost;
  private readonly scopes: Scopes;
  private readonly rules: readonly Rule[];
  /** The newest text per open document not analysed yet; older versions queued behind it are skipped. */
  private readonly pending = new Map<string, AnalyzeRequest>();
  private drainScheduled = false;
  private readonly scans = new Map<number, { cancelled: boolean }>();
  private readonly logged = new Set<string>();
  /** Workspace folders whose files were listed (or are about to be) for "who calls this?" across files. */
  private readonly listedFolders = new Set<string>();
  private readonly projectFiles = new Set<string>();
  /** The last text analysed of each open document and what was answered, to answer again when cross-file facts arrive. */
  private readonly open = new Map<string, { request: AnalyzeRequest; answer: string }>();
  /** The CPU profile loaded in the editor: every answer's findings are weighed by it. */
  private measure: { profile: TimeProfile; hotShare: number; functionsByFile: Map<string, ProfiledFunction[]> } | undefined;
  private readonly policies: Map<string, EvidencePolicy | undefined>;

  constructor(private readonly options: WorkerServerOptions) {
    this.rules = options.rules ?? allRules;
    this.policies = new Map(this.rules.map(({ meta }) => [meta.id, meta.evidence]));
    this.host = new ProjectHost({ onNote: (message) => this.log('info', message) });
    this.scopes = new Scopes({ host: this.host, rules: this.rules, log: (level, message, notify) => this.log(level, message, notify) });
    this.post({
      type: 'ready',
      rules: this.rules.map(({ meta }) => ({
        id: meta.id,
        category: meta.category,
        description: meta.description,
        fix: meta.fix,
        docsUrl: docsUrl(meta.id),
      })),
    });
  }

  handle(message: unknown): void {
    const request = parseRequest(message);
    if (typeof request === 'string') {
      this.log('warn', `ignored a message from the extension: ${request}`);
      return;
    }
    switch (request.type) {
      case 'configure':
        this.guard('configure', () => this.scopes.configure(request));
        return;
      case 'analyze':
        this.host.setOverlay(request.path, request.text);
        this.pending.set(request.path, request);
        this.scheduleDrain();
        return;
      case 'close':
        this.pending.delete(request.path);
        this.open.delete(request.path);
        this.host.forget(request.path);
        if (request.reanalyze) this.guard(`analysing ${request.path}`, () => this.analyzeFromDisk(request.path));
        return;
      case 'scan':
        this.scan(request).catch((error: unknown) => {
          this.scans.delete(request.id);
          this.post({ type: 'failed', id: request.id, message: describe(error) });
        });
        return;
      case 'cancelScan': {
        const scan = this.scans.get(request.id);
        if (scan) scan.cancelled = true;
        return;
      }
      case 'profile':
        this.guard('loading the profile', () => this.setProfile(request));
        return;
      case 'fixAll':
        try {
          this.fixAll(request);
        } catch (error) {
          this.log('error', `fix-all failed on ${request.path}: ${describe(error, true)}`);
          this.post({ type: 'failed', id: request.id, message: describe(error) });
        }
        return;
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // Let the messages already queued arrive first: typing fast while the worker was busy
    // leaves several versions of a document waiting, and only the newest is worth analysing.
    setImmediate(() => {
      this.drainScheduled = false;
      const batch = [...this.pending.values()];
      this.pending.clear();
      for (const request of batch) this.guard(`analysing ${request.path}`, () => this.analyzeDocument(request));
    });
  }

  private analyzeDocument(request: AnalyzeRequest): void {
    const scope = this.scopes.scopeFor(request.path);
    if (scope.isExcluded(request.path)) {
      this.post({ type: 'findings', path: request.path, version: request.version, findings: [] });
      return;
    }
    const analysis = this.analyse(request.path, () => scope.analyzer.analyzeText(request.path, request.text));
    const findings = this.measured(request.path, analysis.findings, () => this.host.parse(request.path, request.text));
    this.post({ type: 'findings', path: request.path, version: request.version, findings });
    this.open.set(request.path, { request, answer: JSON.stringify(findings) });
    if (scope.folder !== undefined) this.listFolderSoon(scope.folder);
  }

  /**
   * The folder's files become the project's (as a scan's do), after the document's first findings are out: the
   * callers of a function and the context they give are then looked for across files, as the CLI does. Listing
   * happens once per folder; the host indexes imports on the first question and keeps the index up to date as
   * documents change. Open documents are analysed again once, and answered again only when their findings changed.
   */
  private listFolderSoon(folder: string): void {
    if (this.listedFolders.has(folder)) return;
    this.listedFolders.add(folder);
    setImmediate(() =>
      this.guard(`listing ${folder}`, () => {
        const scope = this.scopes.scopeFor(path.join(folder, 'file'));
        const discovery = discoverFiles([folder], { ignore: scope.exclude, ignoreRoot: folder });
        this.addProjectFiles(discovery.files.filter((file) => !this.scopes.scopeFor(file).isExcluded(file)));
        for (const [file, { request, answer }] of this.open) {
          if (this.pending.has(file) || this.scopes.scopeFor(file).folder !== folder) continue;
          this.guard(`analysing ${file}`, () => {
            const analysed = this.analyse(file, () => this.scopes.scopeFor(file).analyzer.analyzeText(file, request.text)).findings;
            const findings = this.measured(file, analysed, () => this.host.parse(file, request.text));
            const again = JSON.stringify(findings);
            if (again === answer) return;
            this.open.set(file, { request, answer: again });
            this.post({ type: 'findings', path: file, version: request.version, findings });
          });
        }
      }),
    );
  }

  private addProjectFiles(files: Iterable<string>): void {
    const before = this.projectFiles.size;
    for (const file of files) this.projectFiles.add(path.resolve(file));
    if (this.projectFiles.size !== before) this.host.setProjectFiles([...this.projectFiles]);
  }

  private analyzeFromDisk(file: string): void {
    const scope = this.scopes.scopeFor(file);
    if (scope.isExcluded(file)) {
      this.post({ type: 'findings', path: file, version: null, findings: [] });
      return;
    }
    const analysis = this.analyse(file, () => scope.analyzer.analyzeFile(file));
    this.post({
      type: 'findings',
      path: file,
      version: null,
      findings: this.measured(file, analysis.findings, () => this.host.moduleFile(file)?.sourceFile),
    });
  }

  /**
   * A profile loaded (or cleared) in the editor: kept for every answer from now on, and the open documents are answered
   * again with it. Files a workspace scan showed keep their findings until the next scan.
   */
  private setProfile(request: ProfileRequest): void {
    if (request.profile === null) {
      this.measure = undefined;
    } else {
      const functionsByFile = new Map<string, ProfiledFunction[]>();
      for (const fn of request.profile.functions) {
        const file = path.resolve(fn.path);
        const list = functionsByFile.get(file);
        if (list) list.push(fn);
        else functionsByFile.set(file, [fn]);
      }
      this.measure = { profile: { ...request.profile, notes: [] }, hotShare: request.hotShare, functionsByFile };
    }
    for (const [file, { request: document }] of this.open) if (!this.pending.has(file)) this.pending.set(file, document);
    this.scheduleDrain();
  }

  /** `findings` with their function's time and the measurement, when a profile is loaded (src/fusion/measured.ts). */
  private measured(file: string, findings: Finding[], sourceFile: () => ts.SourceFile | undefined): Finding[] {
    const measure = this.measure;
    if (!measure || findings.length === 0) return findings;
    const functions = measure.functionsByFile.get(path.resolve(file)) ?? [];
    const source = functions.length > 0 ? sourceFile() : undefined;
    const located = source ? locateInSource(source, file, functions) : [];
    return weighByProfile(withHotness(findings, located, measure.profile.totalMs), measure.profile, {
      policyOf: (rule) => this.policies.get(rule),
      hotShare: measure.hotShare,
    }).findings;
  }

  /**
   * One document's analysis, for the editor: whatever fails in it, the document still gets its
   * answer (no findings), and why is logged — the file's errors (a parser that gave up, code too
   * deeply nested) and a skipped file's reason. Rule crashes are logged by the analyzer itself.
   */
  private analyse(file: string, analyze: () => FileAnalysis): FileAnalysis {
    let analysis: FileAnalysis;
    try {
      analysis = analyze();
    } catch (error) {
      this.log('error', `analysing ${file} failed: ${describe(error, true)}`);
      return { file, findings: [], errors: [] };
    }
    for (const error of analysis.errors) if (!error.rule) this.log('warn', `${error.file}: ${error.message}`);
    if (analysis.skipped) this.log('info', `skipped ${analysis.skipped.file}: ${analysis.skipped.reason}`);
    return analysis;
  }

  private fixAll(request: FixAllRequest): void {
    const scope = this.scopes.scopeFor(request.path);
    const reply = { type: 'fixAllResult', id: request.id, path: request.path, version: request.version } as const;
    if (scope.isExcluded(request.path)) {
      this.post({ ...reply, edits: [], applied: 0 });
      return;
    }
    const result = applySafeFixesRepeatedly(request.text, (text) => ({
      fixes: scope.analyzer.analyzeText(request.path, text).findings.flatMap((finding) => finding.fixes),
      parses: syntaxErrors(this.host.parse(request.path, text)).length === 0,
    }));
    const edit = minimalEdit(request.text, result.text);
    this.post({ ...reply, edits: edit ? [edit] : [], applied: result.applied, ...(result.refused ? { refused: result.refused } : {}) });
  }

  private async scan(request: ScanRequest): Promise<void> {
    const state = { cancelled: false };
    this.scans.set(request.id, state);
    const started = performance.now();
    const errors: FileError[] = [];
    const skipped: SkippedFile[] = [];
    const files = new Set<string>();

    for (const folder of request.folders) {
      const scope = this.scopes.scopeFor(path.join(folder, 'file'));
      let discovery;
      try {
        discovery = discoverFiles([folder], { ignore: scope.exclude, ignoreRoot: folder });
      } catch (error) {
        errors.push({ file: folder, message: describe(error) });
        continue;
      }
      for (const file of discovery.files) if (!this.scopes.scopeFor(file).isExcluded(file)) files.add(file);
      // The scanned files are the project's, as in the CLI: a scan's evidence follows callers across files.
      this.listedFolders.add(path.resolve(folder));
      errors.push(...discovery.errors);
      skipped.push(...discovery.skipped);
      await yieldToEventLoop();
      if (state.cancelled) break;
    }

    this.addProjectFiles(files);
    const total = files.size;
    const interval = this.options.progressIntervalMs ?? 100;
    let done = 0;
    let batch: FileResult[] = [];
    let lastReport = performance.now();
    this.post({ type: 'scanProgress', id: request.id, done, total, results: [] });
    for (const file of files) {
      if (state.cancelled) break;
      try {
        const analysis = this.scopes.scopeFor(file).analyzer.analyzeFile(file);
        if (analysis.skipped) skipped.push(analysis.skipped);
        errors.push(...analysis.errors);
        batch.push({ path: file, findings: this.measured(file, analysis.findings, () => this.host.moduleFile(file)?.sourceFile) });
      } catch (error) {
        errors.push({ file, message: describeFailure(error, 'the analysis') });
        this.log('error', `analysing ${file} failed: ${describe(error, true)}`);
      }
      done++;
      const now = performance.now();
      if (now - lastReport >= interval) {
        this.post({ type: 'scanProgress', id: request.id, done, total, results: batch });
        batch = [];
        lastReport = now;
      }
      // Between files the worker reads its messages: a cancellation or an edit in the
      // editor is served now, not after the whole workspace.
      await yieldToEventLoop();
    }
    if (batch.length > 0) this.post({ type: 'scanProgress', id: request.id, done, total, results: batch });
    this.scans.delete(request.id);
    this.post({
      type: 'scanDone',
      id: request.id,
      done,
      total,
      cancelled: state.cancelled,
      durationMs: Math.round(performance.now() - started),
      errors,
      skipped,
    });
  }

  /** Runs `work`; an unexpected engine error becomes a log line instead of a dead worker. */
  private guard(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.log('error', `${what} failed: ${describe(error, true)}`);
    }
  }

  private log(level: LogLevel, message: string, notify?: boolean): void {
    const key = `${level}:${message.split('\n', 1)[0]}`;
    if (this.logged.has(key)) return;
    if (this.logged.size >= MAX_REMEMBERED_LOG_LINES) this.logged.clear();
    this.logged.add(key);
    this.post({ type: 'log', level, message, ...(notify ? { notify } : {}) });
  }

  private post(message: Response): void {
    this.options.post(message);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function describe(error: unknown, withStack = false): string {
  if (!(error instanceof Error)) return String(error);
  return withStack && error.stack ? error.stack : error.message;
}
