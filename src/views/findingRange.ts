/**
 * Where a finding sits in the editor. With the analysed version still open, its offsets go
 * through the document's own `positionAt` (the editor's idea of lines wins); otherwise — a file
 * from a workspace scan, or a document edited since — the engine's 1-based line/column, which
 * describe the analysed text.
 */
import type { Finding } from '../analyzers/finding';
import type { VersionedDocument } from '../codeActions/edits';

export function findingRange<P>(
  finding: Pick<Finding, 'start' | 'end' | 'range'>,
  analysedVersion: number | null,
  document: VersionedDocument<P> | undefined,
  position: (line: number, character: number) => P,
): { start: P; end: P } {
  if (document && analysedVersion !== null && document.version === analysedVersion) {
    return { start: document.positionAt(finding.start), end: document.positionAt(finding.end) };
  }
  const { start, end } = finding.range;
  return { start: position(start.line - 1, start.column - 1), end: position(end.line - 1, end.column - 1) };
}
