/**
 * `perflens profile` as a table to read: the heaviest functions by self weight with their total,
 * share and location; the hottest lines; with --baseline, before → after and the change.
 * Names, files and notes come from the profile: every cell of `table`, and each of them on the
 * regression and note lines, goes through `printable` so that none can drive the terminal.
 */
import { describeBudget } from '../../profiles/budgets';
import type { ProfileUnit } from '../../profiles/model';
import type { ProfileReport, ReportRow } from '../profile';
import { printable } from './terminal';

export function formatProfileText(report: ProfileReport): string {
  const { profile, run } = report;
  const unit = profile.unit;
  const total = run.hotspots.total;
  const out: string[] = [];
  const shown =
    report.rows.length < report.functionCount
      ? `top ${report.rows.length} of ${count(report.functionCount)} functions`
      : `${count(report.functionCount)} functions`;
  // Counted in samples, the total is the sample count: say it once.
  const samples = unit === 'samples' && run.hotspots.samples === total ? '' : ` · ${count(run.hotspots.samples)} samples`;
  out.push(`${profile.format} · ${amount(total, unit)}${samples} · ${shown}${report.diff ? ' by change' : ' by self'}`);
  out.push('');

  if (report.diff) {
    const diff = report.diff;
    out.push(
      `total ${amount(diff.before.total, unit)} → ${amount(diff.after.total, unit)} (${signedPercent(diff.before.total, diff.after.total)})`,
    );
    out.push('');
    out.push(
      table(
        [`before ${unitLabel(unit)}`, `after ${unitLabel(unit)}`, 'change', '%', 'function', 'location'],
        report.rows.map((row) => {
          const change = row.change;
          const before = change?.before?.self ?? 0;
          const after = change?.after?.self ?? 0;
          return [
            number(before, unit),
            number(after, unit),
            signed(after - before, unit),
            signedPercent(before, after),
            row.fn.name,
            location(row),
          ];
        }),
        2,
      ),
    );
  } else {
    out.push(
      table(
        [`self ${unitLabel(unit)}`, 'share', `total ${unitLabel(unit)}`, 'share', 'function', 'location'],
        report.rows.map((row) => {
          const self = row.hotspot?.self ?? 0;
          const inclusive = row.hotspot?.total ?? 0;
          return [number(self, unit), percent(self, total), number(inclusive, unit), percent(inclusive, total), row.fn.name, location(row)];
        }),
        2,
      ),
    );
  }

  const lines = run.hotspots.lines.slice(0, Math.min(10, report.top ?? 10));
  if (lines.length > 0) {
    out.push('');
    out.push('hot lines');
    out.push(
      table(
        [`self ${unitLabel(unit)}`, 'share', 'line'],
        lines.map((line) => {
          const where = run.resolution.lines[line.id];
          return [number(line.self, unit), percent(line.self, total), `${where.file}:${where.line}`];
        }),
        1,
      ),
    );
  }
  if (report.regressions) {
    out.push('');
    if (report.regressions.length === 0) out.push(`no regression over ${report.maxRegression}% beyond sampling noise`);
    else {
      out.push(`regressions over ${report.maxRegression}% (beyond sampling noise):`);
      for (const found of report.regressions) {
        out.push(
          `  ${printable(found.name)}${found.file ? ` (${printable(found.file)})` : ''}: ${amount(found.before, unit)} → ${amount(found.after, unit)} (${signedPercent(found.before, found.after)})`,
        );
      }
    }
  }
  if (report.budgets) {
    out.push('', 'budgets (.perflensrc.json):');
    for (const check of report.budgets) out.push(`  ${check.breached ? 'EXCEEDED' : 'ok      '}  ${printable(describeBudget(check))}`);
  }
  for (const note of report.notes) out.push(`note: ${printable(note)}`);
  return `${out.join('\n')}\n`;
}

function location(row: ReportRow): string {
  const fn = row.fn;
  if (!fn.file) return '';
  if (fn.line <= 0) return fn.file;
  const end = row.range && row.range.end.line !== fn.line ? `-${row.range.end.line}` : '';
  return `${fn.file}:${fn.line}${end}`;
}

/**
 * Rows of cells; the first `numeric` columns are right-aligned, the rest left-aligned. Cells are
 * made printable before they are measured, so an escaped name keeps its column in line.
 */
function table(header: string[], rawRows: string[][], textFrom: number): string {
  const numeric = header.length - textFrom;
  const rows = rawRows.map((row) => row.map(printable));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        column < numeric ? cell.padStart(widths[column]) : column === cells.length - 1 ? cell : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((text) => `  ${text}`).join('\n');
}

function unitLabel(unit: ProfileUnit): string {
  return unit === 'ms' ? 'ms' : unit === 'bytes' ? 'bytes' : 'samples';
}

function number(value: number, unit: ProfileUnit): string {
  return unit === 'ms'
    ? value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    : Math.round(value).toLocaleString('en-US');
}

/** `1,849.2 ms`, `12,288 bytes`: a weight with its unit, as every PerfLens table writes it. */
export function amount(value: number, unit: ProfileUnit): string {
  return `${number(value, unit)} ${unitLabel(unit)}`;
}

function signed(value: number, unit: ProfileUnit): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${number(Math.abs(value), unit)}`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}

function signedPercent(before: number, after: number): string {
  if (before === 0) return after === 0 ? '±0%' : 'new';
  const change = ((after - before) / before) * 100;
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change).toFixed(1)}%`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
