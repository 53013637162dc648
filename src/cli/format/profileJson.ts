/**
 * `perflens profile --format json`: DESIGN's contract — format, unit, total, samples, functions
 * (name, file, line, column, self, total; before/after/delta with --baseline) and lines — plus
 * the documented additions: each function's share and source range, notes, threads, and with a
 * baseline its totals and the regressions found.
 */
import type { SourceRange } from '../../profiles/enclosing';
import type { ProfileReport } from '../profile';
import { round } from '../../profiles/round';

export interface JsonFunction {
  name: string;
  file: string | null;
  line: number | null;
  column: number | null;
  self: number;
  total: number;
  /** self / the profile's total. */
  share: number;
  range: SourceRange | null;
  before?: number;
  after?: number;
  delta?: number;
}

export interface JsonProfileReport {
  format: string;
  unit: string;
  total: number;
  samples: number;
  functions: JsonFunction[];
  lines: Array<{ file: string; line: number; self: number; total: number }>;
  notes: string[];
  threads?: Array<{ name: string; samples: number; selected: boolean }>;
  baseline?: { format: string; total: number; samples: number; delta: number };
  regressions?: Array<{ name: string; file: string | null; before: number; after: number; growth: number | null }>;
  /** Each budget of `.perflensrc.json`, checked; absent when none is set. */
  budgets?: Array<{ budget: string; subject?: string; limit: number; actual: number; unit: 'ms' | '%'; exceeded: boolean }>;
}

function toJsonProfileReport(report: ProfileReport): JsonProfileReport {
  const { profile, run } = report;
  const total = run.hotspots.total;
  const limit = report.top;
  const lines = limit === undefined ? run.hotspots.lines : run.hotspots.lines.slice(0, limit);
  const json: JsonProfileReport = {
    format: profile.format,
    unit: profile.unit,
    total: round(total),
    samples: run.hotspots.samples,
    functions: report.rows.map((row) => {
      const fn: JsonFunction = {
        name: row.fn.name,
        file: row.fn.file ?? null,
        line: row.fn.line > 0 ? row.fn.line : null,
        column: row.fn.column > 0 ? row.fn.column : null,
        self: round(row.hotspot?.self ?? 0),
        total: round(row.hotspot?.total ?? 0),
        share: total > 0 ? round((row.hotspot?.self ?? 0) / total, 6) : 0,
        range: row.range ?? null,
      };
      if (row.change) {
        fn.before = round(row.change.before?.self ?? 0);
        fn.after = round(row.change.after?.self ?? 0);
        fn.delta = round(row.change.delta);
      }
      return fn;
    }),
    lines: lines.map((line) => {
      const where = run.resolution.lines[line.id];
      return { file: where.file, line: where.line, self: round(line.self), total: round(line.total) };
    }),
    notes: report.notes,
  };
  if (profile.threads.length > 0) json.threads = profile.threads;
  if (report.diff && report.baselineProfile) {
    json.baseline = {
      format: report.baselineProfile.format,
      total: round(report.diff.before.total),
      samples: report.diff.before.samples,
      delta: round(report.diff.after.total - report.diff.before.total),
    };
  }
  if (report.regressions) {
    json.regressions = report.regressions.map((found) => ({
      name: found.name,
      file: found.file ?? null,
      before: round(found.before),
      after: round(found.after),
      growth: Number.isFinite(found.growth) ? round(found.growth, 4) : null,
    }));
  }
  if (report.budgets) {
    json.budgets = report.budgets.map(({ budget, subject, limit, actual, unit, breached }) => ({
      budget,
      ...(subject === undefined ? {} : { subject }),
      limit,
      actual: round(actual),
      unit,
      exceeded: breached,
    }));
  }
  return json;
}

export function formatProfileJson(report: ProfileReport): string {
  return `${JSON.stringify(toJsonProfileReport(report), null, 2)}\n`;
}
