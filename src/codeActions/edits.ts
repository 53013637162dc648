/**
 * The one place where the engine's offset edits become editor positions (as vscode-eslint's
 * `createTextEdit`): only against the document version the offsets were computed on.
 */
import type { TextEdit } from '../analyzers/finding';

export interface VersionedDocument<P> {
  version: number;
  positionAt(offset: number): P;
}

export interface PositionedEdit<P> {
  start: P;
  end: P;
  newText: string;
}

/**
 * The edits as positions in `document`, or undefined when they cannot be trusted: the document
 * is no longer the version analysed, or the edits are malformed (inverted or overlapping).
 */
export function toPositionedEdits<P>(
  edits: readonly TextEdit[],
  analysedVersion: number | null,
  document: VersionedDocument<P>,
): Array<PositionedEdit<P>> | undefined {
  if (analysedVersion === null || analysedVersion !== document.version) return undefined;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < sorted.length; i++) {
    const edit = sorted[i];
    if (!Number.isInteger(edit.start) || !Number.isInteger(edit.end) || edit.start < 0 || edit.end < edit.start) return undefined;
    if (i > 0 && sorted[i - 1].end > edit.start) return undefined;
  }
  return sorted.map((edit) => ({ start: document.positionAt(edit.start), end: document.positionAt(edit.end), newText: edit.newText }));
}
