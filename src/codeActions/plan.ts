/**
 * Which code actions a PerfLens diagnostic offers, and in what order — plain data in, plain
 * data out, so the order users see is tested without an editor. Per diagnostic, as
 * vscode-eslint orders them: safe fix(es) → suggestions → disable for this line → documentation.
 */
import type { Fix, TextEdit } from '../analyzers/finding';

export interface DiagnosticEntry {
  rule: string;
  /** 0-based line the diagnostic starts on, in the document as it is now. */
  line: number;
  fixes: readonly Fix[];
  docsUrl: string | undefined;
  /** The document version the finding's offsets refer to; null when it came from a scan of the file on disk. */
  version: number | null;
}

interface Planned {
  title: string;
  /** Index into the entries: the diagnostic the action resolves. */
  diagnostic: number;
}

export type PlannedAction =
  | (Planned & { kind: 'fix' | 'suggestion'; edits: readonly TextEdit[]; version: number })
  | (Planned & { kind: 'disable'; rule: string; line: number })
  | (Planned & { kind: 'docs'; rule: string; url: string });

const SUGGESTION_PREFIX = 'Suggestion: ';

export function planCodeActions(entries: readonly DiagnosticEntry[], documentVersion: number): PlannedAction[] {
  const actions: PlannedAction[] = [];
  const disabled = new Set<string>();
  const documented = new Set<string>();
  entries.forEach((entry, diagnostic) => {
    // Offsets are only meaningful in the text they were computed on: once the document has
    // changed, a fix could land anywhere, so it is not offered until the new analysis arrives.
    const current = entry.version !== null && entry.version === documentVersion;
    if (current) {
      const version = entry.version as number;
      for (const fix of entry.fixes) {
        if (fix.safe && fix.edits.length > 0) actions.push({ kind: 'fix', title: fix.title, edits: fix.edits, version, diagnostic });
      }
      for (const fix of entry.fixes) {
        if (!fix.safe && fix.edits.length > 0) {
          actions.push({ kind: 'suggestion', title: SUGGESTION_PREFIX + fix.title, edits: fix.edits, version, diagnostic });
        }
      }
    }
    // Two findings of one rule on one line need one comment, not two.
    const lineKey = `${entry.rule}\n${entry.line}`;
    if (!disabled.has(lineKey)) {
      disabled.add(lineKey);
      actions.push({ kind: 'disable', title: `Disable ${entry.rule} for this line`, rule: entry.rule, line: entry.line, diagnostic });
    }
    if (entry.docsUrl !== undefined && !documented.has(entry.rule)) {
      documented.add(entry.rule);
      actions.push({ kind: 'docs', title: `Show documentation for ${entry.rule}`, rule: entry.rule, url: entry.docsUrl, diagnostic });
    }
  });
  return actions;
}
