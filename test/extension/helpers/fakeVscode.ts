/**
 * The few VS Code APIs the extension touches, faked just enough to run activate() in vitest
 * (`vi.mock('vscode', ...)`): events are fired by the test, diagnostics and registrations are
 * recorded. Semantics follow the API docs where the extension depends on them (CodeActionKind
 * containment, line-based positions, document versions); everything else is left out on purpose.
 */
import * as path from 'node:path';
import { Changes } from '../../helpers/changes';

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly callback: () => void = () => undefined) {}
  dispose(): void {
    this.callback();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
    private readonly text: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath, `file://${fsPath}`);
  }
  static parse(value: string): Uri {
    return new Uri(value.split(':')[0], '', value);
  }
  toString(): string {
    return this.text;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position) {
    this.start = start;
    this.end = end;
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: Uri };
  constructor(
    public range: Range,
    public message: string,
    public severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export class WorkspaceEdit {
  readonly edits: Array<{ uri: Uri; range: Range; newText: string }> = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, range, newText });
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.edits.push({ uri, range: new Range(position, position), newText });
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  command?: { command: string; title: string; arguments?: unknown[] };
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  constructor(
    public title: string,
    public kind?: CodeActionKind,
  ) {}
}

export enum EndOfLine {
  LF = 1,
  CRLF = 2,
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

/** A text document whose text the test changes; line handling as VS Code's (\n, \r\n, \r). */
export class FakeDocument {
  version = 1;
  isClosed = false;
  readonly uri: Uri;
  constructor(
    fsPath: string,
    private text: string,
    readonly languageId = 'typescript',
  ) {
    this.uri = Uri.file(fsPath);
  }
  get fileName(): string {
    return this.uri.fsPath;
  }
  get eol(): EndOfLine {
    return this.text.includes('\r\n') ? EndOfLine.CRLF : EndOfLine.LF;
  }
  get lineCount(): number {
    return this.lines().length;
  }
  getText(): string {
    return this.text;
  }
  setText(text: string): void {
    this.text = text;
    this.version++;
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const lines = before.split(/\r\n|\r|\n/);
    return new Position(lines.length - 1, lines[lines.length - 1].length);
  }
  offsetAt(position: Position): number {
    const lines = this.lines();
    let offset = 0;
    for (let line = 0; line < position.line; line++) offset += lines[line].length + this.eolAfter(offset + lines[line].length);
    return offset + position.character;
  }
  lineAt(line: number): { text: string } {
    return { text: this.lines()[line] };
  }
  private lines(): string[] {
    return this.text.split(/\r\n|\r|\n/);
  }
  private eolAfter(offset: number): number {
    return this.text.startsWith('\r\n', offset) ? 2 : 1;
  }
}

/** Applies a WorkspaceEdit's edits for one document to its text (as the editor would). */
export function applyEdit(document: FakeDocument, edit: WorkspaceEdit): string {
  const edits = edit.edits
    .filter((e) => e.uri.toString() === document.uri.toString())
    .map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let text = document.getText();
  for (const e of edits) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

// ------------------------------------------------------------------ recorded state

const changes = new Changes();

/**
 * Resolves once `assertion` passes: checked now and whenever the recorded state changes (a
 * diagnostic set or deleted, a log line, a message, a progress report) — no polling, no time limit.
 */
export function until(assertion: () => void): Promise<void> {
  return changes.until(assertion);
}

export const state = {
  diagnostics: new Map<string, Diagnostic[]>(),
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  codeActionProviders: [] as Array<{
    selector: unknown;
    provider: { provideCodeActions: (...args: unknown[]) => unknown };
    metadata: { providedCodeActionKinds?: CodeActionKind[] };
  }>,
  log: [] as string[],
  messages: [] as Array<{ level: 'error' | 'warning' | 'info'; text: string }>,
  progress: [] as Array<{ message?: string; increment?: number }>,
  opened: [] as string[],
  settings: {} as Record<string, unknown>,
  folders: [] as Array<{ uri: Uri; name: string; index: number }>,
  documents: [] as FakeDocument[],
  cancelNextProgress: false,
};

export const events = {
  open: new EventEmitter<FakeDocument>(),
  change: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
  save: new EventEmitter<FakeDocument>(),
  close: new EventEmitter<FakeDocument>(),
  configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  folders: new EventEmitter<unknown>(),
};

export function reset(): void {
  state.diagnostics.clear();
  state.commands.clear();
  state.codeActionProviders = [];
  state.log = [];
  state.messages = [];
  state.progress = [];
  state.opened = [];
  state.settings = {};
  state.folders = [];
  state.documents = [];
  state.cancelNextProgress = false;
}

/** Test actions, as the editor would perform them. */
export const editor = {
  open(document: FakeDocument): void {
    state.documents.push(document);
    events.open.fire(document);
  },
  type(document: FakeDocument, text: string): void {
    document.setText(text);
    events.change.fire({ document, contentChanges: [{ text }] });
  },
  save(document: FakeDocument): void {
    events.save.fire(document);
  },
  close(document: FakeDocument): void {
    document.isClosed = true;
    state.documents = state.documents.filter((d) => d !== document);
    events.close.fire(document);
  },
  configure(settings: Record<string, unknown>): void {
    state.settings = { ...state.settings, ...settings };
    events.configuration.fire({
      affectsConfiguration: (section) => section === 'perflens' || Object.keys(settings).some((key) => key.startsWith(`${section}.`)),
    });
  },
};

// ------------------------------------------------------------------ the API surface

const logLine = (level: string) => (message: string) => {
  state.log.push(`${level}: ${message}`);
  changes.changed();
};

function showMessage(level: 'error' | 'warning' | 'info', text: string): Promise<undefined> {
  state.messages.push({ level, text });
  changes.changed();
  return Promise.resolve(undefined);
}

export const window = {
  // The profile view is driven end to end in code-server (test/e2e/profile.test.ts); here it is only registered.
  registerCustomEditorProvider: () => new Disposable(),
  createOutputChannel: () => ({
    info: logLine('info'),
    warn: logLine('warn'),
    error: logLine('error'),
    show: () => undefined,
    dispose: () => undefined,
  }),
  showErrorMessage: (text: string) => showMessage('error', text),
  showWarningMessage: (text: string) => showMessage('warning', text),
  showInformationMessage: (text: string) => showMessage('info', text),
  withProgress: async <T>(
    _options: unknown,
    task: (progress: { report(value: { message?: string; increment?: number }): void }, token: unknown) => Promise<T>,
  ): Promise<T> => {
    const cancel = new EventEmitter<void>();
    const token = { isCancellationRequested: false, onCancellationRequested: cancel.event };
    const cancelOnFirstReport = state.cancelNextProgress;
    state.cancelNextProgress = false;
    return task(
      {
        report: (value) => {
          state.progress.push(value);
          if (cancelOnFirstReport && !token.isCancellationRequested) {
            token.isCancellationRequested = true;
            cancel.fire();
          }
          changes.changed();
        },
      },
      token,
    );
  },
};

export const workspace = {
  onDidOpenTextDocument: events.open.event,
  onDidChangeTextDocument: events.change.event,
  onDidSaveTextDocument: events.save.event,
  onDidCloseTextDocument: events.close.event,
  onDidChangeConfiguration: events.configuration.event,
  onDidChangeWorkspaceFolders: events.folders.event,
  get textDocuments() {
    return state.documents;
  },
  get workspaceFolders() {
    return state.folders;
  },
  getWorkspaceFolder(uri: Uri) {
    return state.folders.find((folder) => !path.relative(folder.uri.fsPath, uri.fsPath).startsWith('..'));
  },
  getConfiguration: (section: string) => ({ get: (key: string) => state.settings[`${section}.${key}`] }),
  createFileSystemWatcher: () => {
    const never = new EventEmitter<Uri>();
    return { onDidCreate: never.event, onDidChange: never.event, onDidDelete: never.event, dispose: () => undefined };
  },
};

export const languages = {
  createDiagnosticCollection: () => {
    const changed = <T>(result: T): T => {
      changes.changed();
      return result;
    };
    return {
      set: (uri: Uri, diagnostics: Diagnostic[]) => changed(state.diagnostics.set(uri.fsPath, diagnostics)),
      delete: (uri: Uri) => changed(state.diagnostics.delete(uri.fsPath)),
      clear: () => changed(state.diagnostics.clear()),
      dispose: () => changed(state.diagnostics.clear()),
    };
  },
  registerCodeActionsProvider: (
    selector: unknown,
    provider: { provideCodeActions: (...args: unknown[]) => unknown },
    metadata: { providedCodeActionKinds?: CodeActionKind[] },
  ) => {
    state.codeActionProviders.push({ selector, provider, metadata });
    return new Disposable();
  },
};

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
    if (state.commands.has(id)) throw new Error(`command '${id}' already exists`);
    state.commands.set(id, handler);
    return new Disposable(() => state.commands.delete(id));
  },
  executeCommand: (id: string, ...args: unknown[]) => state.commands.get(id)?.(...args),
};

export const env = {
  openExternal: (uri: Uri) => {
    state.opened.push(uri.toString());
    return Promise.resolve(true);
  },
};
