/**
 * Severity from a measurement: where the code alone could not size a finding's cost (a sync call's file, a list of
 * unknown length in untyped JavaScript), a CPU profile of a run can. A finding of a rule whose cost is time on the
 * JavaScript thread (`meta.evidence.cpu`) gets the share of the run its lines took; at or above the hot share it rises
 * to the severity the configuration gives the rule, and in a file the run executed but a function it never sampled it
 * drops a level — that run did not need it. Rules whose cost is waiting (a query per item, awaits in turn, a held
 * lock) are left as they are: a CPU profile does not see time spent waiting for a database.
 */
import * as path from 'node:path';
import type { Finding, Severity } from '../analyzers/finding';
import type { EvidencePolicy } from '../analyzers/rule';
import { round } from '../profiles/round';
import { formatShare, formatWeight } from '../profileView/format';
import type { TimeProfile } from './functionTimes';

/** What counts as hot by default: 5 % of the run's time on a finding's lines. */
export const DEFAULT_HOT_SHARE = 0.05;

export interface MeasureOptions {
  /** The rule's evidence policy (`cpu` decides whether a CPU profile measures its cost). */
  policyOf: (rule: string) => EvidencePolicy | undefined;
  /** A fraction of the run's time, 0–1; default DEFAULT_HOT_SHARE. */
  hotShare?: number;
}

/**
 * Least to most severe. Not derived from finding.ts's SEVERITIES: the extension host loads this file (through
 * settings.ts) and takes no values from the engine (test/extension/bundle.test.ts).
 */
const LEVELS: readonly Severity[] = ['info', 'warning', 'error'];

export interface Measured {
  /** In the order given, each with `evidence.measured`, a reason saying what was measured, and its severity. */
  findings: Finding[];
  /** How many rose (hot lines) and how many dropped a level (a function the run never sampled). */
  raised: number;
  lowered: number;
}

/**
 * Weighs each finding whose rule's cost is CPU time by the profile. Expects `hotness` already set by rankByHotness
 * (a finding it left at `null` lies in no sampled function).
 */
export function weighByProfile(findings: readonly Finding[], profile: TimeProfile, options: MeasureOptions): Measured {
  const hotShare = options.hotShare ?? DEFAULT_HOT_SHARE;
  const lineTime = new Map<string, Map<number, number>>();
  for (const { path: file, line, selfMs } of profile.lines) {
    const key = path.resolve(file);
    let lines = lineTime.get(key);
    if (!lines) lineTime.set(key, (lines = new Map()));
    lines.set(line, (lines.get(line) ?? 0) + selfMs);
  }
  const ranFiles = new Set(profile.functions.filter((fn) => fn.totalMs > 0).map((fn) => path.resolve(fn.path)));

  let raised = 0;
  let lowered = 0;
  const weighed = findings.map((finding) => {
    if (!options.policyOf(finding.rule)?.cpu || profile.totalMs <= 0) return finding;
    const file = path.resolve(finding.file);
    const lines = lineTime.get(file);
    let ms = 0;
    let where: string;
    if (lines) {
      for (let line = finding.range.start.line; line <= finding.range.end.line; line++) ms += lines.get(line) ?? 0;
      where = finding.range.start.line === finding.range.end.line ? 'this line' : 'these lines';
    } else {
      // A format without lines (a trace without line ticks, speedscope): the function's own code is the nearest measure.
      ms = finding.hotness?.selfMs ?? 0;
      where = "its function's own code";
    }
    const share = ms / profile.totalMs;
    const measured = { share: round(share, 6), ms: round(ms) };
    let severity = finding.severity;
    let reason: string;
    if (share >= hotShare) {
      if (rank(finding.configuredSeverity) > rank(severity)) severity = finding.configuredSeverity;
      reason = `measured: ${formatShare(ms, profile.totalMs)} of this run's time on ${where} (${formatWeight(ms, 'ms')})`;
    } else if (finding.hotness === null && ranFiles.has(file)) {
      severity = LEVELS[Math.max(0, rank(severity) - 1)];
      reason = 'measured: the profiled run executed this file but never this function';
    } else {
      reason = `measured: ${formatShare(ms, profile.totalMs)} of this run's time on ${where}, under the hot share of ${formatShare(hotShare, 1)}`;
    }
    if (rank(severity) > rank(finding.severity)) raised++;
    if (rank(severity) < rank(finding.severity)) lowered++;
    return { ...finding, severity, evidence: { ...finding.evidence, measured, reasons: [reason, ...finding.evidence.reasons] } };
  });
  return { findings: weighed, raised, lowered };
}

function rank(severity: Severity): number {
  return LEVELS.indexOf(severity);
}
