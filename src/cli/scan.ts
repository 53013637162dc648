/**
 * `perflens scan`: find the files, analyse each one (fixing it first with `--fix`), and gather
 * what every output format needs. A file that cannot be read or parsed is recorded and the scan
 * goes on; only a bad path or a bad config stops it (InputError, ConfigError → exit status 2).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, emptyConfig, findConfigFile, loadConfigFile, type PerfLensConfig } from '../analyzers/config';
import { Analyzer, type FileAnalysis } from '../analyzers/engine';
import type { Category, FileError, Finding, Severity, SkippedFile } from '../analyzers/finding';
import { describeFailure } from '../analyzers/failures';
import { discoverFiles, InputError, readSourceFile, scannablePath } from '../analyzers/files';
import type { Rule } from '../analyzers/rule';
import { LineIndex } from '../analyzers/text';
import { isShownAt } from '../settings';
import { fixFile } from './fixFile';
import type { AppliedSuppressions } from './suppressions';

export interface ScanOptions {
  /** The working directory: relative paths and the nearest config are found from here. */
  cwd: string;
  /** Files or folders; none means the working directory. */
  paths: readonly string[];
  rules: readonly Rule[];
  onlyRules: readonly string[];
  onlyCategories: readonly Category[];
  /** `--config`; without it each scanned path follows the nearest `.perflensrc.json` at or above it. */
  configFile?: string;
  fix: boolean;
  log: (message: string) => void;
}

export interface ScanReport {
  cwd: string;
  /** Files analysed (not counting skipped ones). */
  files: number;
  durationMs: number;
  findings: Finding[];
  errors: FileError[];
  skipped: SkippedFile[];
  /** The rules that ran (SARIF lists them). */
  rules: readonly Rule[];
  /** Line maps of the files whose findings carry edits: SARIF gives each replacement a line and column. */
  lines: ReadonlyMap<string, LineIndex>;
  /** Set with `--fix`: files written and the fixes in them; files with safe fixes left unchanged (each has its reason in `errors`). */
  fixed?: { files: number; fixes: number; unchanged: number };
  /** Set with `--profile`: the findings are ranked by it, hottest first. */
  profile?: {
    file: string;
    totalMs: number;
    notes: string[];
    /** Findings about CPU work the profile raised (their lines hot) and lowered (a function it never sampled). */
    raised: number;
    lowered: number;
  };
  /** Every file analysed (not skipped, not unreadable), with the ids of the rules that ran on it. */
  ran: Map<string, ReadonlySet<string>>;
  /** Set when a suppressions file applied: `findings` then holds only the findings reported. */
  suppressions?: AppliedSuppressions;
  /** Findings below `--min-severity`, left out of `findings` (and of the exit status), by severity. */
  hidden?: Partial<Record<Severity, number>>;
}

/** Keeps the findings at or above `min`; counts the others in `report.hidden` (set only when some are hidden). */
export function applyMinSeverity(report: ScanReport, min: Severity): void {
  const hidden: Partial<Record<Severity, number>> = {};
  report.findings = report.findings.filter((finding) => {
    if (isShownAt(finding.severity, min)) return true;
    hidden[finding.severity] = (hidden[finding.severity] ?? 0) + 1;
    return false;
  });
  if (Object.keys(hidden).length > 0) report.hidden = hidden;
}

export function runScan(options: ScanOptions): ScanReport {
  const started = performance.now();
  const typed = options.paths.length > 0 ? options.paths : ['.'];
  const inputs = typed.map((input) => {
    const absolute = path.resolve(options.cwd, input);
    // Checked here, not left to discoverFiles, so that the message names the path as it was typed;
    // a FIFO, a device or a symbolic link loop is refused with what it is before anything reads it.
    scannablePath(absolute, input);
    return absolute;
  });

  // Each scanned path follows the config nearest to it (or --config): `perflens scan app/` from
  // anywhere applies app/.perflensrc.json, as the editor does for that folder.
  const groups = groupByConfig(inputs, options);
  const work: Array<{ file: string; analyzer: Analyzer; ran: ReadonlySet<string> }> = [];
  const seen = new Set<string>();
  const rules = new Map<string, Rule>();
  const errors: FileError[] = [];
  const skipped: SkippedFile[] = [];
  for (const { config, inputs: groupInputs } of groups) {
    const discovery = discoverFiles(groupInputs, { ignore: config.ignore, ignoreRoot: config.root });
    errors.push(...discovery.errors);
    skipped.push(...discovery.skipped);
    const analyzer = new Analyzer({
      rules: options.rules,
      config,
      onlyRules: options.onlyRules,
      onlyCategories: options.onlyCategories,
      syntaxErrors: 'skip',
      log: options.log,
    });
    // "Who calls this function?" (the context and data of a service called from a route) looks across the scanned files.
    analyzer.host.setProjectFiles(discovery.files);
    for (const rule of analyzer.rules) rules.set(rule.meta.id, rule);
    const ran = new Set(analyzer.rules.map((rule) => rule.meta.id));
    for (const file of discovery.files) {
      if (seen.has(file)) continue;
      seen.add(file);
      work.push({ file, analyzer, ran });
    }
  }
  // "No problems in 0 files" would read as a pass when the paths (or an ignore rule) are wrong.
  if (work.length === 0 && skipped.length === 0 && errors.length === 0) {
    throw new InputError(
      `no JavaScript or TypeScript files to scan in ${typed.join(', ')} (files ignored by .gitignore or the config are left out)`,
    );
  }

  const lines = new Map<string, LineIndex>();
  const report: ScanReport = {
    cwd: options.cwd,
    files: 0,
    durationMs: 0,
    findings: [],
    errors,
    skipped,
    rules: [...rules.values()],
    lines,
    fixed: options.fix ? { files: 0, fixes: 0, unchanged: 0 } : undefined,
    ran: new Map(),
  };

  for (const { file, analyzer, ran } of work) {
    // Last resort: whatever one file does (the analysis already keeps its own failures), the scan goes on.
    try {
      if (scanFile(file, analyzer, options.fix, report, lines)) report.ran.set(file, ran);
    } catch (error) {
      report.files++;
      report.errors.push({ file, message: describeFailure(error, 'the analysis') });
      options.log(`analysing ${file} failed: ${error instanceof Error && error.stack ? error.stack : String(error)}`);
    }
  }
  report.durationMs = performance.now() - started;
  return report;
}

/** Reads, analyses (fixing it first with `--fix`) and records one file; false when it was skipped or could not be read. */
function scanFile(file: string, analyzer: Analyzer, fix: boolean, report: ScanReport, lines: Map<string, LineIndex>): boolean {
  const read = readSourceFile(file);
  if ('skipped' in read) {
    report.skipped.push({ file, reason: read.skipped });
    return false;
  }
  if ('error' in read) {
    report.files++;
    report.errors.push({ file, message: read.error });
    return false;
  }
  let analysis: FileAnalysis;
  let text = read.text;
  if (fix) {
    const outcome = fixFile(analyzer, file, read.text);
    analysis = outcome.analysis;
    text = outcome.text;
    if (report.fixed) {
      if (outcome.written) {
        report.fixed.files++;
        report.fixed.fixes += outcome.applied;
      }
      if (outcome.leftUnchanged) report.fixed.unchanged++;
    }
  } else {
    analysis = analyzer.analyzeText(file, read.text);
  }
  if (analysis.skipped) report.skipped.push(analysis.skipped);
  else report.files++;
  report.findings.push(...analysis.findings);
  report.errors.push(...analysis.errors);
  if (analysis.findings.some((finding) => finding.fixes.some((fix) => fix.edits.length > 0))) lines.set(file, new LineIndex(text));
  return !analysis.skipped;
}

/** The scanned paths grouped by the config that applies to them. */
function groupByConfig(inputs: readonly string[], options: ScanOptions): Array<{ config: PerfLensConfig; inputs: string[] }> {
  if (options.configFile !== undefined) return [{ config: loadConfig(options, options.configFile), inputs: [...inputs] }];
  const groups = new Map<string, { config: PerfLensConfig; inputs: string[] }>();
  for (const input of inputs) {
    const directory = fs.statSync(input).isDirectory() ? input : path.dirname(input);
    const found = findConfigFile(directory);
    const key = found ?? '';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { config: found ? loadConfig(options, found) : emptyConfig(options.cwd), inputs: [] }));
    group.inputs.push(input);
  }
  return [...groups.values()];
}

function loadConfig(options: ScanOptions, file: string): PerfLensConfig {
  const knownRules = new Set(options.rules.map((rule) => rule.meta.id));
  const absolute = path.resolve(options.cwd, file);
  if (!fs.existsSync(absolute)) throw new ConfigError(`no such config file: ${file}`);
  return loadConfigFile(absolute, knownRules);
}
