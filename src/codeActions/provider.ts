/**
 * PerfLens code actions: per diagnostic, the quick fixes in the order `planCodeActions` decides,
 * and `source.fixAll.perflens` (every safe fix, applied repeatedly by the worker).
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, ruleOf, type DiagnosticsView } from '../views/diagnostics';
import type { AnalysisWorker } from '../worker/client';
import { disableNextLineEdit } from './disableComment';
import { toPositionedEdits } from './edits';
import { planCodeActions, type DiagnosticEntry, type PlannedAction } from './plan';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('perflens');
export const SHOW_DOCUMENTATION_COMMAND = 'perflens.showDocumentation';
const FIX_ALL_TITLE = 'Fix all safe PerfLens problems';

export interface CodeActionDependencies {
  diagnostics: DiagnosticsView;
  client: AnalysisWorker;
  docsUrl(rule: string): string | undefined;
  /** Documents PerfLens analyses (enabled, on disk, a JS/TS language). */
  accepts(document: vscode.TextDocument): boolean;
  log(message: string): void;
}

export class PerfLensCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly dependencies: CodeActionDependencies) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    if (!this.dependencies.accepts(document)) return [];
    const actions: vscode.CodeAction[] = [];
    if (!context.only || context.only.intersects(vscode.CodeActionKind.QuickFix)) {
      actions.push(...this.quickFixes(document, context.diagnostics));
    }
    // Fix-all is a source action: offered when asked for (on save, "Fix All", the Source Action menu).
    if (context.only?.contains(FIX_ALL_KIND)) {
      const fixAll = await this.fixAll(document, token);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  private quickFixes(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
    const ours: vscode.Diagnostic[] = [];
    const entries: DiagnosticEntry[] = [];
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const rule = ruleOf(diagnostic);
      if (rule === undefined) continue;
      const stored = this.dependencies.diagnostics.lookup(document.uri, diagnostic);
      ours.push(diagnostic);
      entries.push({
        rule,
        line: diagnostic.range.start.line,
        fixes: stored?.finding.fixes ?? [],
        docsUrl: this.dependencies.docsUrl(rule),
        version: stored?.version ?? null,
      });
    }
    const actions: vscode.CodeAction[] = [];
    for (const planned of planCodeActions(entries, document.version)) {
      const action = this.toCodeAction(document, planned);
      if (!action) continue;
      action.diagnostics = [ours[planned.diagnostic]];
      actions.push(action);
    }
    return actions;
  }

  private toCodeAction(document: vscode.TextDocument, planned: PlannedAction): vscode.CodeAction | undefined {
    const action = new vscode.CodeAction(planned.title, vscode.CodeActionKind.QuickFix);
    switch (planned.kind) {
      case 'fix':
      case 'suggestion': {
        const edits = toPositionedEdits(planned.edits, planned.version, document);
        if (!edits) return undefined;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of edits) action.edit.replace(document.uri, new vscode.Range(edit.start, edit.end), edit.newText);
        action.isPreferred = planned.kind === 'fix';
        return action;
      }
      case 'disable': {
        if (planned.line >= document.lineCount) return undefined;
        const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
        const previous = planned.line > 0 ? document.lineAt(planned.line - 1).text : undefined;
        const insert = disableNextLineEdit(planned.rule, planned.line, document.lineAt(planned.line).text, previous, eol);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.insert(document.uri, new vscode.Position(insert.line, insert.character), insert.text);
        return action;
      }
      case 'docs':
        action.command = { command: SHOW_DOCUMENTATION_COMMAND, title: planned.title, arguments: [planned.url] };
        return action;
    }
  }

  private async fixAll(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeAction | undefined> {
    const shown = this.dependencies.diagnostics.current(document.uri);
    // The findings of this very version say whether there is anything to fix: skip the round trip.
    if (shown && shown.version === document.version && !shown.findings.some((finding) => finding.fixes.some((fix) => fix.safe))) {
      return undefined;
    }
    let result;
    try {
      result = await this.dependencies.client.fixAll(document.uri.fsPath, document.version, document.getText());
    } catch (error) {
      this.dependencies.log(`fix-all of ${document.uri.fsPath} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (token.isCancellationRequested) return undefined;
    if (result.refused) this.dependencies.log(`fix-all of ${document.uri.fsPath}: ${result.refused}`);
    const edits = toPositionedEdits(result.edits, result.version, document);
    if (!edits || edits.length === 0) return undefined;
    const action = new vscode.CodeAction(FIX_ALL_TITLE, FIX_ALL_KIND);
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of edits) action.edit.replace(document.uri, new vscode.Range(edit.start, edit.end), edit.newText);
    return action;
  }
}
