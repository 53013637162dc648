/**
 * `--format text` (the default), laid out like ESLint's "stylish": one block per file with
 * aligned `line:col  severity  message note (evidence)  rule` rows (the note, what to do, and the evidence's reasons, dimmed), a summary, and — never silently dropped —
 * the files that could not be analysed or were skipped, each with its reason. Paths, messages and
 * reasons quote the user's input: they go through `printable` (in `where`, `rows` and `table`)
 * before they are padded or coloured, so that no name can drive the terminal or forge a row.
 */
import type { Finding, Severity } from '../../analyzers/finding';
import { displayPath } from '../paths';
import type { ScanReport } from '../scan';
import { palette, type Palette } from './color';
import { amount } from './profileText';
import { printable } from './terminal';

export function formatText(report: ScanReport, options: { color: boolean }): string {
  const style = palette(options.color);
  const out: string[] = [];
  const where = (file: string): string => printable(displayPath(file, report.cwd));

  if (report.profile && report.findings.length > 0) out.push(...rankingHeader(report, style), '');
  for (const [file, findings] of groupByFile(report.findings)) {
    out.push(style.underline(where(file)));
    out.push(...rows(findings, style));
    out.push('');
  }

  if (report.findings.length > 0) {
    out.push(...summary(report.findings, style));
  } else {
    out.push(style.green(`✔ No performance problems found in ${plural(report.files, 'file')}.`));
  }
  if (report.hidden) out.push(style.dim(hiddenSummary(report.hidden)));
  if (report.fixed) out.push(fixSummary(report.fixed, style));
  if (report.suppressions) out.push(suppressedSummary(report.suppressions, report.cwd, style));

  if (report.errors.length > 0) {
    out.push('', style.red(`Could not fully analyse ${plural(new Set(report.errors.map((e) => e.file)).size, 'file')}:`));
    out.push(
      ...table(
        report.errors.map((error) => [where(error.file), error.message]),
        style,
      ),
    );
  }
  if (report.skipped.length > 0) {
    out.push('', style.yellow(`Skipped ${plural(report.skipped.length, 'file')}:`));
    out.push(
      ...table(
        report.skipped.map((skipped) => [where(skipped.file), skipped.reason]),
        style,
      ),
    );
  }
  if (report.profile && report.profile.notes.length > 0) {
    out.push('', style.yellow('Profile notes:'), ...report.profile.notes.map((note) => `  ${style.dim(printable(note))}`));
  }
  return `${out.join('\n')}\n`;
}

/** With a suppressions file: how many findings it kept out of the report, and whether all its counts were reached. */
function suppressedSummary(applied: NonNullable<ScanReport['suppressions']>, cwd: string, style: Palette): string {
  const file = printable(displayPath(applied.file, cwd));
  const stale = applied.unused.reduce((sum, entry) => sum + entry.count, 0);
  const line = `${plural(applied.suppressed.length, 'finding')} suppressed by ${file}${stale > 0 ? `; ${stale} recorded no longer ${stale === 1 ? 'occurs' : 'occur'}` : ''}.`;
  return stale > 0 ? style.yellow(line) : style.dim(line);
}

/** `7 infos hidden (the size of their data or where they run is unknown): show them with --min-severity info.` */
function hiddenSummary(hidden: NonNullable<ScanReport['hidden']>): string {
  const parts = (['warning', 'info'] as const)
    .filter((severity) => hidden[severity])
    .map((severity) => plural(hidden[severity]!, severity));
  const lowest = hidden.info ? 'info' : 'warning';
  return `  ${parts.join(' and ')} hidden (the size of their data or where they run is unknown): show them with --min-severity ${lowest}.`;
}

/** With --fix: what was written, and — never as "nothing to apply" — the files left unchanged. */
function fixSummary({ fixes, files, unchanged }: NonNullable<ScanReport['fixed']>, style: Palette): string {
  if (unchanged > 0) {
    const applied = fixes === 0 ? 'Applied no safe fix' : `Applied ${plural(fixes, 'safe fix', 'safe fixes')} in ${plural(files, 'file')}`;
    return style.yellow(`${applied}; ${plural(unchanged, 'file')} with safe fixes left unchanged (reasons below).`);
  }
  return fixes === 0 ? 'No safe fixes to apply.' : `Applied ${plural(fixes, 'safe fix', 'safe fixes')} in ${plural(files, 'file')}.`;
}

/** With --profile: what the order means, and how many findings the profile reached. */
function rankingHeader(report: ScanReport, style: Palette): string[] {
  const profile = report.profile!;
  const reached = report.findings.filter((finding) => finding.hotness).length;
  const lines = [
    style.bold(
      `Ranked by ${printable(profile.file)} (${amount(profile.totalMs, 'ms')} profiled): ${reached} of ${plural(report.findings.length, 'finding')} in code it ran, hottest first.`,
    ),
    style.dim('  Time is that of the function around each finding, callees included; files in the order of their hottest finding.'),
  ];
  if (profile.raised > 0 || profile.lowered > 0) {
    const moved = [
      profile.raised > 0
        ? `${plural(profile.raised, 'finding')} rose to ${profile.raised === 1 ? 'its' : 'their'} configured severity (hot lines)`
        : '',
      profile.lowered > 0 ? `${plural(profile.lowered, 'finding')} dropped a level (code this run never sampled)` : '',
    ].filter(Boolean);
    lines.push(style.dim(`  Measured: ${moved.join('; ')}.`));
  }
  // The usual reason: a profile of built code whose source maps were not written or not found.
  if (reached === 0 && report.findings.length > 0) {
    lines.push(
      style.yellow(
        '  The profile ran none of the code with findings: was it recorded from these sources (with source maps for built code)?',
      ),
    );
  }
  return lines;
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.file);
    if (group) group.push(finding);
    else groups.set(finding.file, [finding]);
  }
  return groups;
}

const SEVERITY_STYLE: Record<Severity, keyof Palette> = { error: 'red', warning: 'yellow', info: 'blue' };

/**
 * Location and severity are padded on the plain text, then coloured, so that escape codes never
 * skew the alignment. Messages are whole sentences of very different lengths: padding them to
 * the longest would push short rows' rule ids far to the right, so the rule follows its message.
 */
function rows(findings: readonly Finding[], style: Palette): string[] {
  const cells = findings.map((finding) => ({
    location: `${finding.range.start.line}:${finding.range.start.column}`,
    severity: finding.severity,
    message: printable(finding.message),
    note: finding.note === undefined ? '' : printable(finding.note),
    evidence: finding.evidence.reasons.length === 0 ? '' : printable(`(${finding.evidence.reasons.join('; ')})`),
    rule: finding.rule,
    hot: finding.hotness ? `${amount(finding.hotness.totalMs, 'ms')} · ${(finding.hotness.share * 100).toFixed(1)}%` : '',
  }));
  const width = {
    location: Math.max(...cells.map((cell) => cell.location.length)),
    severity: Math.max(...cells.map((cell) => cell.severity.length)),
  };
  return cells.map(
    (cell) =>
      `  ${style.dim(cell.location.padEnd(width.location))}  ${style[SEVERITY_STYLE[cell.severity]](cell.severity.padEnd(width.severity))}  ` +
      `${cell.message}${cell.note ? ` ${style.dim(cell.note)}` : ''}${cell.evidence ? ` ${style.dim(cell.evidence)}` : ''}  ${style.dim(cell.rule)}${cell.hot ? `  ${style.bold(cell.hot)}` : ''}`,
  );
}

function summary(findings: readonly Finding[], style: Palette): string[] {
  const count = (severity: Severity): number => findings.filter((finding) => finding.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  const colour = errors > 0 ? style.red : warnings > 0 ? style.yellow : style.blue;
  const lines = [
    colour(
      style.bold(
        `✖ ${plural(findings.length, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')})`,
      ),
    ),
  ];
  const fixable = findings.filter((finding) => finding.fixes.some((fix) => fix.safe)).length;
  if (fixable > 0) lines.push(colour(`  ${fixable} of them ${fixable === 1 ? 'is' : 'are'} fixable with the --fix option.`));
  return lines;
}

/** `file  reason` rows; the files come from `where`, already printable. */
function table(entries: ReadonlyArray<[string, string]>, style: Palette): string[] {
  const width = Math.max(...entries.map(([file]) => file.length));
  return entries.map(([file, reason]) => `  ${file.padEnd(width)}  ${style.dim(printable(reason))}`);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
