/**
 * activate() wired to a small fake of the VS Code API (helpers/fakeVscode.ts) and the real
 * analysis worker (dist/worker.js): what a user sees — diagnostics, quick fixes in order, fix-all,
 * the scan command, settings — without an editor. The real-editor run is the e2e suite's job.
 * Waits end when the fake's recorded state changes, never after a fixed time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Request } from '../../src/worker/protocol';
import { bundles, ROOT, tempDir, writeFiles } from './helpers/bundle';
import * as vscode from './helpers/fakeVscode';
import { Gate } from './helpers/gate';
import { activate } from '../../src/extension';
import { BLOCKING_READ } from '../cli/helpers';

// Hoisted above the imports by vitest; the factory runs when src/extension first asks for 'vscode'.
vi.mock('vscode', () => vscode);

// A blocking read per listed file on a request path: an info (a warning only when a profile measures it hot).
const BLOCKING = BLOCKING_READ;
const FIXED = BLOCKING.replace('fs.readFileSync', 'await fs.promises.readFile');
const CLEAN = 'export const answer = 42;\n';
const { until } = vscode;

let workspace: string;
let context: { subscriptions: Array<{ dispose(): unknown }>; extensionPath: string; asAbsolutePath(p: string): string };

/** The extension as installed in `extensionDir`: the repository, whose dist/worker.js the global setup keeps current. */
function extensionContext(extensionDir = ROOT): typeof context {
  return { subscriptions: [], extensionPath: extensionDir, asAbsolutePath: (p) => path.join(extensionDir, p) };
}

beforeAll(() => {
  workspace = tempDir('ext-ws');
  writeFiles(workspace, { 'src/open.ts': BLOCKING, 'src/other.ts': BLOCKING, 'src/clean.ts': CLEAN, 'src/later.ts': BLOCKING });
});

afterAll(() => {
  fs.rmSync(workspace, { recursive: true, force: true });
});

beforeEach(() => {
  vscode.reset();
  vscode.state.folders = [{ uri: vscode.Uri.file(workspace), name: 'ws', index: 0 }];
  context = extensionContext();
});

afterEach(() => {
  for (const subscription of context.subscriptions) subscription.dispose();
});

const file = (name: string) => path.join(workspace, 'src', name);
const diagnosticsOf = (name: string) => vscode.state.diagnostics.get(file(name));
const token = { isCancellationRequested: false, onCancellationRequested: () => new vscode.Disposable() };

function document(name: string, text = fs.readFileSync(file(name), 'utf8')): vscode.FakeDocument {
  return new vscode.FakeDocument(file(name), text);
}

async function codeActions(doc: vscode.FakeDocument, only?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const [{ provider }] = vscode.state.codeActionProviders;
  const diagnostics = vscode.state.diagnostics.get(doc.uri.fsPath) ?? [];
  const range = diagnostics[0]?.range ?? new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, 0));
  return (await provider.provideCodeActions(doc, range, { diagnostics, only, triggerKind: 1 }, token)) as vscode.CodeAction[];
}

/** Activates and waits until the worker is ready (its rules known). */
async function start(): Promise<void> {
  activate(context as never);
  await until(() => expect(vscode.state.log.some((l) => l.includes('analysis worker ready'))).toBe(true));
}

/**
 * The analyze requests the extension sends its worker during `action` and after the typing pause
 * that follows it — the pause runs on fake timers and is ended at once, so nothing sent later is
 * missed, however slow the machine.
 */
function analyzeRequestsAfter(action: () => void): Request[] {
  const posted = vi.spyOn(Worker.prototype, 'postMessage');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    action();
    vi.runOnlyPendingTimers();
    return posted.mock.calls.map(([message]) => message as Request).filter((message) => message.type === 'analyze');
  } finally {
    vi.useRealTimers();
    posted.mockRestore();
  }
}

describe('activation', () => {
  it('registers exactly the commands package.json contributes, the code action provider, and logs how long it took', async () => {
    await start();
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }> };
    };
    expect([...vscode.state.commands.keys()].sort()).toEqual(manifest.contributes.commands.map((c) => c.command).sort());
    const [registration] = vscode.state.codeActionProviders;
    expect(registration.metadata.providedCodeActionKinds?.map((k) => k.value)).toEqual(['quickfix', 'source.fixAll.perflens']);
    expect(vscode.state.log.find((l) => /^info: activated in \d+ ms \(\d+ ms CPU\)$/.test(l))).toBeDefined();
    expect(vscode.state.log.find((l) => /^info: analysis worker ready in \d+ ms \(\d+ rules\)$/.test(l))).toBeDefined();
  });

  it('shows an activation failure to the user instead of swallowing it', () => {
    const broken = {
      ...context,
      asAbsolutePath: () => {
        throw new Error('no extension folder');
      },
    };
    expect(() => activate(broken as never)).toThrow('no extension folder');
    expect(vscode.state.messages).toContainEqual({ level: 'error', text: 'PerfLens failed to start: no extension folder' });
    context.subscriptions.push(...broken.subscriptions);
  });
});

describe('diagnostics', () => {
  it('appear for documents open at activation and opened later, with source, code link, severity and range', async () => {
    const open = document('open.ts');
    vscode.state.documents.push(open);
    await start();
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));
    const [diagnostic] = diagnosticsOf('open.ts')!;
    expect(diagnostic.source).toBe('PerfLens');
    expect(diagnostic.severity).toBe(vscode.DiagnosticSeverity.Information);
    // One string for the message and, on its own line, the note (what to do).
    expect(diagnostic.message).toMatch(/^fs\.readFileSync blocks the event loop[^\n]*\.\nUse await fs\.promises\.readFile/);
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    expect(code.value).toBe('sync-io-in-async');
    expect(code.target.toString()).toMatch(/\/docs\/rules\/sync-io-in-async\.md$/);
    const offset = BLOCKING.indexOf('fs.readFileSync');
    expect(diagnostic.range.start).toEqual(open.positionAt(offset));
    expect(diagnostic.range.start).toEqual({ line: 3, character: 15 });

    vscode.editor.open(document('later.ts'));
    await until(() => expect(diagnosticsOf('later.ts')).toHaveLength(1));
  });

  it('follow edits after a quiet period; with run: onSave only on save', async () => {
    await start();
    const doc = document('open.ts');
    vscode.editor.open(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));

    vscode.editor.type(doc, CLEAN);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(0));

    vscode.editor.configure({ 'perflens.run': 'onSave' });
    expect(analyzeRequestsAfter(() => vscode.editor.type(doc, BLOCKING))).toEqual([]);
    expect(diagnosticsOf('open.ts')).toHaveLength(0);
    vscode.editor.save(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));
  });

  it('are cleared when the document closes, and everywhere when perflens.enable turns false', async () => {
    await start();
    const a = document('open.ts');
    const b = document('later.ts');
    vscode.editor.open(a);
    vscode.editor.open(b);
    await until(() => expect(diagnosticsOf('later.ts')).toHaveLength(1));
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));
    vscode.editor.close(b);
    expect(diagnosticsOf('later.ts')).toBeUndefined();

    vscode.editor.configure({ 'perflens.enable': false });
    expect(diagnosticsOf('open.ts')).toBeUndefined();
    expect(analyzeRequestsAfter(() => vscode.editor.type(a, `${BLOCKING}\n`))).toEqual([]);
    expect(diagnosticsOf('open.ts')).toBeUndefined();
    expect(await codeActions(a)).toEqual([]);
  });

  it('use the severity of perflens.rules, and log an unknown rule id once', async () => {
    await start();
    const doc = document('open.ts');
    vscode.editor.open(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));
    vscode.editor.configure({ 'perflens.rules': { 'sync-io-in-async': 'off' } });
    await until(() => expect(diagnosticsOf('open.ts')).toEqual([]));
    // The setting is the rule's severity, which the evidence lowers: an info here (src/analyzers/evidence.ts).
    vscode.editor.configure({ 'perflens.rules': { 'sync-io-in-async': 'error', 'no-such-rule': 'warning' } });
    vscode.editor.type(doc, `${BLOCKING}// more\n`);
    await until(() => expect(diagnosticsOf('open.ts')?.[0]?.range.start.line).toBe(3));
    expect(diagnosticsOf('open.ts')?.[0]?.severity).toBe(vscode.DiagnosticSeverity.Information);
    expect(vscode.state.log.filter((l) => l.includes('no-such-rule'))).toEqual([
      'warn: perflens.rules: ignored unknown rule "no-such-rule" (workspace folder ws)',
    ]);
  });
});

describe('code actions', () => {
  it('offer the fix, disable for this line and documentation, in that order; the fix is gone once the text changed', async () => {
    await start();
    const doc = document('open.ts');
    vscode.editor.open(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));

    const actions = await codeActions(doc);
    expect(actions.map((a) => [a.title, a.kind?.value, a.isPreferred ?? false])).toEqual([
      ['Use await fs.promises.readFile(…)', 'quickfix', true],
      ['Disable sync-io-in-async for this line', 'quickfix', false],
      ['Show documentation for sync-io-in-async', 'quickfix', false],
    ]);
    const [fix, disable, docs] = actions;
    expect(fix.diagnostics).toEqual(diagnosticsOf('open.ts'));
    expect(vscode.applyEdit(doc, fix.edit!)).toBe(FIXED);
    expect(vscode.applyEdit(doc, disable.edit!)).toBe(
      BLOCKING.replace('  const html', '  // perflens-disable-next-line sync-io-in-async\n  const html'),
    );
    await vscode.commands.executeCommand(docs.command!.command, ...(docs.command!.arguments ?? []));
    expect(vscode.state.opened).toEqual([expect.stringMatching(/\/docs\/rules\/sync-io-in-async\.md$/)]);

    doc.setText(`// edited\n${BLOCKING}`);
    expect((await codeActions(doc)).map((a) => a.title)).toEqual([
      'Disable sync-io-in-async for this line',
      'Show documentation for sync-io-in-async',
    ]);
  });

  it('source.fixAll.perflens applies every safe fix; quick-fix requests do not get it', async () => {
    await start();
    const doc = document('open.ts');
    vscode.editor.open(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));

    const [fixAll] = await codeActions(doc, vscode.CodeActionKind.SourceFixAll);
    expect(fixAll.kind?.value).toBe('source.fixAll.perflens');
    expect(vscode.applyEdit(doc, fixAll.edit!)).toBe(FIXED);
    expect((await codeActions(doc, vscode.CodeActionKind.QuickFix)).map((a) => a.kind?.value)).not.toContain('source.fixAll.perflens');

    const clean = document('clean.ts');
    vscode.editor.open(clean);
    await until(() => expect(diagnosticsOf('clean.ts')).toEqual([]));
    expect(await codeActions(clean, vscode.CodeActionKind.SourceFixAll)).toEqual([]);
  });
});

describe('Scan Workspace', () => {
  it('fills the Problems panel for files never opened, reports progress, and keeps scan results when a scanned file closes', async () => {
    await start();
    const doc = document('open.ts');
    vscode.editor.open(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));
    vscode.editor.type(doc, CLEAN);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(0));

    const summary = (await vscode.commands.executeCommand('perflens.scanWorkspace')) as { done: number; total: number; cancelled: boolean };
    expect(summary).toMatchObject({ done: 4, total: 4, cancelled: false });
    expect(diagnosticsOf('other.ts')).toHaveLength(1);
    expect(diagnosticsOf('later.ts')).toHaveLength(1);
    expect(diagnosticsOf('clean.ts')).toBeUndefined();
    // The open document keeps showing its editor text (clean now), not the file on disk.
    expect(diagnosticsOf('open.ts')).toHaveLength(0);
    expect(vscode.state.progress.at(-1)?.message).toBe('4/4 files');
    expect(vscode.state.progress.reduce((sum, p) => sum + (p.increment ?? 0), 0)).toBeCloseTo(100);
    expect(vscode.state.messages).toContainEqual({ level: 'info', text: 'PerfLens: scanned 4 files, 2 findings.' });

    // Closed without saving: the file on disk (with the problem) is what the Problems panel shows now.
    vscode.editor.close(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toHaveLength(1));
  });

  it('run as the command that activates PerfLens, waits for the configured worker and honours perflens.exclude', async () => {
    // Found in a real VS Code: the scan reached the worker before its configuration, so
    // excluded files were scanned and reported.
    vscode.state.settings = { 'perflens.exclude': ['src/other.ts'] };
    activate(context as never);
    const summary = (await vscode.commands.executeCommand('perflens.scanWorkspace')) as { done: number; total: number; cancelled: boolean };
    expect(summary).toMatchObject({ done: 3, total: 3, cancelled: false });
    expect(diagnosticsOf('other.ts')).toBeUndefined();
    expect(diagnosticsOf('open.ts')).toHaveLength(1);
    expect(vscode.state.progress[0]?.message).toBe('starting the analysis worker…');
  });

  it('shows only findings at or above perflens.minSeverity, in open files and scanned ones, and all of them again when it is lowered', async () => {
    vscode.state.settings = { 'perflens.rules': { 'sync-io-in-async': 'info' }, 'perflens.minSeverity': 'warning' };
    await start();
    const doc = document('open.ts');
    vscode.editor.open(doc);
    await until(() => expect(diagnosticsOf('open.ts')).toEqual([]));

    await vscode.commands.executeCommand('perflens.scanWorkspace');
    expect(diagnosticsOf('other.ts')).toBeUndefined();
    expect(diagnosticsOf('later.ts')).toBeUndefined();
    expect(vscode.state.messages).toContainEqual({
      level: 'info',
      text: 'PerfLens: scanned 4 files, 0 findings (3 below perflens.minSeverity hidden).',
    });

    vscode.editor.configure({ 'perflens.minSeverity': 'info' });
    for (const name of ['other.ts', 'later.ts'])
      expect(diagnosticsOf(name)?.map((d) => d.severity)).toEqual([vscode.DiagnosticSeverity.Information]);
    await until(() => expect(diagnosticsOf('open.ts')?.map((d) => d.severity)).toEqual([vscode.DiagnosticSeverity.Information]));

    vscode.editor.configure({ 'perflens.minSeverity': 'error' });
    expect(diagnosticsOf('other.ts')).toBeUndefined();
    await until(() => expect(diagnosticsOf('open.ts')).toEqual([]));
  });

  it('stops when the progress notification is cancelled', async () => {
    // With the gated worker (fixtures/gatedWorker.ts), which cannot get past m1.ts before the gate
    // opens, and the gate opened only once the notification was cancelled: the worker sees the
    // cancel between two files, however fast it is.
    const large = tempDir('ext-large');
    const gate = new Gate(tempDir('ext-gate'));
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 500; i++) files[`m${i}.ts`] = `${i === 1 ? gate.marker : ''}${BLOCKING}`;
      writeFiles(large, files);
      vscode.state.folders = [{ uri: vscode.Uri.file(large), name: 'large', index: 0 }];
      context = extensionContext(bundles().gatedExtension);
      await start();
      vscode.state.cancelNextProgress = true;
      const scanning = vscode.commands.executeCommand('perflens.scanWorkspace') as Promise<{ cancelled: boolean; done: number }>;
      await until(() => expect(vscode.state.progress.length).toBeGreaterThan(0));
      gate.open();
      const summary = await scanning;
      expect(summary.cancelled).toBe(true);
      expect(summary.done).toBeLessThan(500);
      expect(vscode.state.messages.at(-1)?.text).toMatch(/^PerfLens: scan cancelled after \d+ of 500 files/);
      expect(vscode.state.diagnostics.size).toBe(summary.done);
    } finally {
      gate.dispose();
      fs.rmSync(large, { recursive: true, force: true });
      fs.rmSync(path.dirname(gate.fifo), { recursive: true, force: true });
    }
  });
});
