/**
 * `--format json`: the object DESIGN's contract describes, key for key. Positions are 1-based,
 * paths relative to the working directory with `/`. `skipped`, an error's `rule`, a finding's
 * `note`, `messageId` and `evidence`, `fixed`, `hidden`, `suppressed` and `unusedSuppressions` are
 * additions documented in docs/DESIGN.md.
 */
import type { Evidence, Hotness, Range } from '../../analyzers/finding';
import { displayPath } from '../paths';
import type { ScanReport } from '../scan';
import { VERSION } from '../version';

export interface JsonFinding {
  rule: string;
  category: string;
  severity: string;
  message: string;
  /** What to do, when the rule says; absent otherwise. */
  note?: string;
  messageId: string;
  file: string;
  range: Range;
  impact: string;
  effort: string;
  fixes: Array<{ title: string; safe: boolean }>;
  hotness: Hotness | null;
  /** Why the severity is what it is: scale, context, batchable, reasons. */
  evidence: Evidence;
}

export interface JsonReport {
  tool: 'perflens';
  version: string;
  files: number;
  durationMs: number;
  findings: JsonFinding[];
  errors: Array<{ file: string; message: string; rule?: string }>;
  skipped: Array<{ file: string; reason: string }>;
  /** Findings below `--min-severity`, by severity: left out of `findings` and of the exit status. Present only when some are. */
  hidden?: Partial<Record<'error' | 'warning' | 'info', number>>;
  /** With `--fix`: the files written and the safe fixes in them; files with safe fixes left unchanged (each has an `errors` entry). */
  fixed?: { files: number; fixes: number; unchanged: number };
  /** With a suppressions file: the findings it suppressed (left out of `findings`). */
  suppressed?: number;
  /** With a suppressions file: recorded findings that no longer occur; `reason` when the whole entry is gone. */
  unusedSuppressions?: Array<{ file: string; rule: string; count: number; reason?: string }>;
}

function toJsonReport(report: ScanReport): JsonReport {
  const where = (file: string): string => displayPath(file, report.cwd);
  return {
    tool: 'perflens',
    version: VERSION,
    files: report.files,
    durationMs: Math.round(report.durationMs),
    findings: report.findings.map((finding) => ({
      rule: finding.rule,
      category: finding.category,
      severity: finding.severity,
      message: finding.message,
      ...(finding.note !== undefined ? { note: finding.note } : {}),
      messageId: finding.messageId,
      file: where(finding.file),
      range: { start: { ...finding.range.start }, end: { ...finding.range.end } },
      impact: finding.impact,
      effort: finding.effort,
      fixes: finding.fixes.map((fix) => ({ title: fix.title, safe: fix.safe })),
      hotness: finding.hotness,
      evidence: evidenceOf(finding.evidence),
    })),
    errors: report.errors.map((error) =>
      error.rule
        ? { file: where(error.file), message: error.message, rule: error.rule }
        : { file: where(error.file), message: error.message },
    ),
    skipped: report.skipped.map((skipped) => ({ file: where(skipped.file), reason: skipped.reason })),
    ...(report.hidden ? { hidden: { ...report.hidden } } : {}),
    ...(report.fixed ? { fixed: { files: report.fixed.files, fixes: report.fixed.fixes, unchanged: report.fixed.unchanged } } : {}),
    ...(report.suppressions
      ? {
          suppressed: report.suppressions.suppressed.length,
          unusedSuppressions: report.suppressions.unused.map((entry) => ({
            file: where(entry.file),
            rule: entry.rule,
            count: entry.count,
            ...(entry.reason ? { reason: entry.reason } : {}),
          })),
        }
      : {}),
  };
}

/** A copy in the contract's key order; `batchable` only when known, `measured` only with a CPU profile that measures the rule's cost. */
export function evidenceOf(evidence: Evidence): Evidence {
  return {
    scale: evidence.scale,
    context: evidence.context,
    ...(evidence.batchable !== undefined ? { batchable: evidence.batchable } : {}),
    reasons: [...evidence.reasons],
    ...(evidence.measured ? { measured: { ...evidence.measured } } : {}),
  };
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
