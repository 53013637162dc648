/**
 * Findings → the Problems panel. Keeps, per file, which finding each diagnostic came from and
 * the document version it was computed on, so code actions can find the fixes again (VS Code
 * hands providers copies of the diagnostics, so they are matched by content, not identity).
 */
import * as vscode from 'vscode';
import type { Finding, Severity } from '../analyzers/finding';
import { formatShare, formatWeight } from '../profileView/format';
import { findingRange } from './findingRange';

export const DIAGNOSTIC_SOURCE = 'PerfLens';

export interface StoredFinding {
  finding: Finding;
  /** Document version analysed; null for a file read from disk. */
  version: number | null;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class DiagnosticsView implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('perflens');
  private readonly byUri = new Map<string, { version: number | null; findings: Finding[]; byKey: Map<string, Finding> }>();

  /** @param docsUrl the documentation page of a rule, when the worker named one */
  constructor(private readonly docsUrl: (rule: string) => string | undefined) {}

  show(uri: vscode.Uri, findings: readonly Finding[], version: number | null, document?: vscode.TextDocument): void {
    const byKey = new Map<string, Finding>();
    const diagnostics = findings.map((finding) => {
      const { start, end } = findingRange(finding, version, document, (line, character) => new vscode.Position(line, character));
      const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end), diagnosticMessage(finding), SEVERITY[finding.severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      const url = this.docsUrl(finding.rule);
      diagnostic.code = url ? { value: finding.rule, target: vscode.Uri.parse(url) } : finding.rule;
      byKey.set(keyOf(diagnostic), finding);
      return diagnostic;
    });
    this.collection.set(uri, diagnostics);
    this.byUri.set(uri.toString(), { version, findings: [...findings], byKey });
  }

  delete(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.byUri.delete(uri.toString());
  }

  clear(): void {
    this.collection.clear();
    this.byUri.clear();
  }

  /** The finding behind a diagnostic VS Code passed back to a code action provider. */
  lookup(uri: vscode.Uri, diagnostic: vscode.Diagnostic): StoredFinding | undefined {
    const entry = this.byUri.get(uri.toString());
    const finding = entry?.byKey.get(keyOf(diagnostic));
    return entry && finding ? { finding, version: entry.version } : undefined;
  }

  /** Everything shown for `uri`, with the version it was computed on. */
  current(uri: vscode.Uri): { version: number | null; findings: readonly Finding[] } | undefined {
    const entry = this.byUri.get(uri.toString());
    return entry && { version: entry.version, findings: entry.findings };
  }

  dispose(): void {
    this.collection.dispose();
    this.byUri.clear();
  }
}

/**
 * A diagnostic has one string: what is wrong, then on its own line what to do, then the evidence
 * behind the severity, then — with a CPU profile loaded — its function's time (the hover shows every line; the Problems
 * panel's row starts with the message).
 */
function diagnosticMessage(finding: Finding): string {
  const lines = [finding.message];
  if (finding.note !== undefined) lines.push(finding.note);
  if (finding.evidence.reasons.length > 0) lines.push(`Evidence: ${finding.evidence.reasons.join('; ')}.`);
  const hot = finding.hotness;
  if (hot) {
    lines.push(
      `Profile: its function took ${formatWeight(hot.totalMs, 'ms')} (${formatShare(hot.share, 1)}) of the loaded run, ${formatWeight(hot.selfMs, 'ms')} in its own code.`,
    );
  }
  return lines.join('\n');
}

export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'string') return code;
  if (typeof code === 'object' && code !== null && typeof code.value === 'string') return code.value;
  return undefined;
}

function keyOf(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${ruleOf(diagnostic)}\n${start.line}:${start.character}-${end.line}:${end.character}\n${diagnostic.message}`;
}
