/**
 * `--fix` for one file on disk: apply the safe fixes until nothing changes, and write the
 * result back only when it differs and still parses — keeping the file's byte order mark and
 * line endings, so that a fix shows up in a diff as the lines it changed and nothing else.
 * A file that cannot be written back byte for byte outside the fixes, or not safely (see
 * replaceFile), is left unchanged and the reason lands in the file's errors.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import type { Analyzer, FileAnalysis } from '../analyzers/engine';
import type { Fix } from '../analyzers/finding';
import { applySafeFixesRepeatedly } from '../analyzers/fixes';
import { syntaxErrors } from '../analyzers/project';
import { CHANGED_ON_DISK, replaceFile, type ReplaceOutcome } from './replaceFile';

export interface FixOutcome {
  /** The analysis of the text as it now is (fixed or not): what is left to report. */
  analysis: FileAnalysis;
  text: string;
  /** Safe fixes applied over all passes (0 when nothing was written). */
  applied: number;
  written: boolean;
  /** Safe fixes were found but the file was not written; the reason is in `analysis.errors`. */
  leftUnchanged: boolean;
}

const BOM = '\uFEFF';
const BOM_BYTES = Buffer.from(BOM);

/** `text` is the file's content as readSourceFile returns it: decoded, without a byte order mark. */
export function fixFile(analyzer: Analyzer, file: string, text: string): FixOutcome {
  const eol = /\r\n|\r|\n/.exec(text)?.[0] ?? '\n';
  let first: FileAnalysis | undefined;
  let analysed: { text: string; analysis: FileAnalysis } | undefined;
  let passes = 0;
  const loop = applySafeFixesRepeatedly(text, (current) => {
    passes++;
    const analysis = analyzer.analyzeText(file, current);
    first ??= analysis;
    analysed = { text: current, analysis };
    // A fresh parse of exactly this text decides: never trust the analysis to have noticed.
    const parses = syntaxErrors(analyzer.host.parse(file, current)).length === 0;
    return { fixes: analysis.findings.flatMap((finding) => finding.fixes).map((fix) => withLineEnding(fix, eol)), parses };
  });
  // The loop analyses the text it was given before anything else.
  const original = first!;
  const leaveUnchanged = (reason: string): FixOutcome => {
    original.errors.push({ file, message: `left unchanged: ${reason}` });
    return { analysis: original, text, applied: 0, written: false, leftUnchanged: true };
  };

  if (loop.text === text) {
    // A file that did not parse before any fix already carries its syntax error in the analysis;
    // after more than one pass, safe fixes were there and every one of them was refused.
    if (loop.refused && passes > 1) return leaveUnchanged(loop.refused);
    return { analysis: original, text, applied: 0, written: false, leftUnchanged: false };
  }

  const write = writeFixed(file, text, loop.text);
  if (!write.written) return leaveUnchanged(write.reason);
  const analysis = analysed && analysed.text === loop.text ? analysed.analysis : analyzer.analyzeText(file, loop.text);
  if (loop.refused) analysis.errors.push({ file, message: `--fix stopped: ${loop.refused}` });
  return { analysis, text: loop.text, applied: loop.applied, written: true, leftUnchanged: false };
}

/**
 * Reads the file's bytes once, now that there is something to write: they must be exactly what
 * was analysed (`text`, plus the byte order mark it had), or writing `fixed` would change bytes
 * outside the fixes — invalid UTF-8 comes back from decoding as U+FFFD.
 */
function writeFixed(file: string, text: string, fixed: string): ReplaceOutcome {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { written: false, reason: `cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const bom = bytes.subarray(0, BOM_BYTES.length).equals(BOM_BYTES) ? BOM : '';
  if (!Buffer.from(bom + text).equals(bytes)) {
    if (isUtf8(bytes)) return { written: false, reason: CHANGED_ON_DISK };
    const at = firstInvalidUtf8Byte(bytes);
    const line = bytes.toString('latin1', 0, at).split(/\r\n|\r|\n/).length;
    const byte = `0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')}`;
    return {
      written: false,
      reason: `not valid UTF-8 (byte ${byte} at line ${line}), so writing it back would change bytes outside the fix`,
    };
  }
  return replaceFile(file, Buffer.from(bom + fixed), { expected: bytes });
}

/**
 * Where the first invalid sequence starts in bytes that are not valid UTF-8. Up to there, decoding
 * and re-encoding give the same bytes; there the decoder put U+FFFD (EF BF BD), and which of its
 * three bytes is the first to differ from the original says how far back the sequence began.
 */
function firstInvalidUtf8Byte(bytes: Buffer): number {
  const reencoded = Buffer.from(bytes.toString('utf8'));
  let differs = 0;
  while (differs < bytes.length && bytes[differs] === reencoded[differs]) differs++;
  return differs - [0xef, 0xbf, 0xbd].indexOf(reencoded[differs]);
}

/** Line breaks a fix inserts follow the file's own (the first one in it), so CRLF files stay CRLF. */
function withLineEnding(fix: Fix, eol: string): Fix {
  if (!fix.edits.some((edit) => /[\r\n]/.test(edit.newText))) return fix;
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, newText: edit.newText.replace(/\r\n|\r|\n/g, eol) })) };
}
