/**
 * `--fix` for one file on disk: apply the safe fixes until nothing changes, and write the
 * result back only when it differs and still parses — keeping the file's byte order mark and
 * line endings, so that a fix shows up in a diff as the lines it changed and nothing else.
 */
import * as fs from 'node:fs';
import type { Analyzer, FileAnalysis } from '../analyzers/engine';
import type { Fix } from '../analyzers/finding';
import { applySafeFixesRepeatedly } from '../analyzers/fixes';
import { syntaxErrors } from '../analyzers/project';

export interface FixOutcome {
  /** The analysis of the text as it now is (fixed or not): what is left to report. */
  analysis: FileAnalysis;
  text: string;
  /** Safe fixes applied over all passes (0 when nothing was written). */
  applied: number;
  written: boolean;
}

const BOM = '\uFEFF';

/** `text` is the file's content as readSourceFile returns it: decoded, without a byte order mark. */
export function fixFile(analyzer: Analyzer, file: string, text: string): FixOutcome {
  const eol = /\r\n|\r|\n/.exec(text)?.[0] ?? '\n';
  let analysed: { text: string; analysis: FileAnalysis } | undefined;
  let passes = 0;
  const loop = applySafeFixesRepeatedly(text, (current) => {
    passes++;
    const analysis = analyzer.analyzeText(file, current);
    analysed = { text: current, analysis };
    // A fresh parse of exactly this text decides: never trust the analysis to have noticed.
    const parses = syntaxErrors(analyzer.host.parse(file, current)).length === 0;
    return { fixes: analysis.findings.flatMap((finding) => finding.fixes).map((fix) => withLineEnding(fix, eol)), parses };
  });

  const analysis = analysed && analysed.text === loop.text ? analysed.analysis : analyzer.analyzeText(file, loop.text);
  // A file that did not parse before any fix already carries its syntax error in the analysis.
  if (loop.refused && passes > 1) analysis.errors.push({ file, message: `--fix stopped: ${loop.refused}` });
  if (loop.text === text) return { analysis, text, applied: 0, written: false };

  try {
    fs.writeFileSync(file, (startsWithBom(file) ? BOM : '') + loop.text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const original = analyzer.analyzeText(file, text);
    original.errors.push({ file, message: `--fix could not write the fixed file: ${reason}` });
    return { analysis: original, text, applied: 0, written: false };
  }
  return { analysis, text: loop.text, applied: loop.applied, written: true };
}

/** Line breaks a fix inserts follow the file's own (the first one in it), so CRLF files stay CRLF. */
function withLineEnding(fix: Fix, eol: string): Fix {
  if (!fix.edits.some((edit) => /[\r\n]/.test(edit.newText))) return fix;
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, newText: edit.newText.replace(/\r\n|\r|\n/g, eol) })) };
}

/** readSourceFile drops the byte order mark; the file on disk decides whether it comes back. */
function startsWithBom(file: string): boolean {
  const head = Buffer.alloc(3);
  const fd = fs.openSync(file, 'r');
  try {
    return fs.readSync(fd, head, 0, 3, 0) === 3 && head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  } finally {
    fs.closeSync(fd);
  }
}
