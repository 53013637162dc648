/**
 * The whole `perflens` command, scan and fix with the engine (bundled to dist/cli-scan.js, which
 * dist/cli.js loads only for them: bin.ts). `runCli` does the work against an injected
 * stdout/stderr/cwd/env so that tests run it in-process. Every failure ends as one line on stderr and
 * exit status 2; what that line quotes (paths, names, input) is made printable, so it cannot drive the
 * terminal or add lines.
 */
import * as path from 'node:path';
import { InputError } from '../analyzers/files';
import { allRules } from '../analyzers/registry';
import type { Rule } from '../analyzers/rule';
import { loadTimeProfile, rankByHotness } from '../fusion/hotness';
import { weighByProfile } from '../fusion/measured';
import { parseCommand, type Command, type ScanCommand } from './args';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXPECTED_ERRORS, fail, isDebug, runAsProcess, runInfo, type CliIo } from './common';
import { useColor } from './format/color';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { printableLines, stderrLine } from './format/terminal';
import { formatText } from './format/text';
import { runProfileCommand } from './profile';
import { applyMinSeverity, runScan, type ScanOptions, type ScanReport } from './scan';
import { openSuppressions, settleSuppressions, SuppressionsError, unusedMessage, type SuppressionsFile } from './suppressions';

export type { CliIo } from './common';

/** A scan's own failures besides the common ones: input that cannot be read, a bad suppressions file. */
const SCAN_ERRORS = [...EXPECTED_ERRORS, InputError, SuppressionsError];

export interface CliOptions {
  /** The rules to run instead of the shipped ones (tests use rules of their own). */
  rules?: readonly Rule[];
}

/**
 * Runs every command but `profile` and `scan --profile` synchronously (scan, fix, help, version).
 * Those read sources with web-tree-sitter, whose WebAssembly loads asynchronously: use runCliAsync.
 */
export function runCli(argv: readonly string[], io: CliIo, options: CliOptions = {}): number {
  const debug = isDebug(io.env);
  try {
    const rules = options.rules ?? allRules;
    const command = parseCommand(argv, rules);
    if (command.kind === 'profile' || (command.kind === 'scan' && command.profile !== undefined)) {
      throw new Error('runCli cannot run profile or scan --profile: they are asynchronous (call runCliAsync)');
    }
    return runSync(command, rules, io, debug);
  } catch (error) {
    return fail(error, io, debug, SCAN_ERRORS);
  }
}

/** Every command, `profile` included; what the `perflens` binary runs. */
export async function runCliAsync(argv: readonly string[], io: CliIo, options: CliOptions = {}): Promise<number> {
  const debug = isDebug(io.env);
  try {
    const rules = options.rules ?? allRules;
    const command = parseCommand(argv, rules);
    if (command.kind === 'profile') return await runProfileCommand(command, io);
    if (command.kind === 'scan' && command.profile !== undefined) return await scanRanked(command, command.profile, rules, io, debug);
    return runSync(command, rules, io, debug);
  } catch (error) {
    return fail(error, io, debug, SCAN_ERRORS);
  }
}

function runSync(command: Exclude<Command, { kind: 'profile' }>, rules: readonly Rule[], io: CliIo, debug: boolean): number {
  return command.kind === 'scan' ? scan(command, rules, io, debug) : runInfo(command, io);
}

function scan(command: ScanCommand, rules: readonly Rule[], io: CliIo, debug: boolean): number {
  // Read before the scan: a bad suppressions file stops it before anything is fixed or written.
  const suppressions = openSuppressions(command.suppressions, io.cwd);
  const report = runScan(scanOptions(command, rules, io, debug));
  return finish(command, report, suppressions, rules, io);
}

/** `scan --profile FILE`: the profile is read first (a bad one stops before the scan), then the findings are ranked by it. */
async function scanRanked(command: ScanCommand, profileFile: string, rules: readonly Rule[], io: CliIo, debug: boolean): Promise<number> {
  const profile = loadTimeProfile(path.resolve(io.cwd, profileFile), io.cwd);
  const suppressions = openSuppressions(command.suppressions, io.cwd);
  const report = runScan(scanOptions(command, rules, io, debug));
  const policies = new Map(rules.map((rule) => [rule.meta.id, rule.meta.evidence]));
  const measured = weighByProfile(await rankByHotness(report.findings, profile), profile, {
    policyOf: (id) => policies.get(id),
    hotShare: command.hotShare,
  });
  report.findings = measured.findings;
  report.profile = {
    file: profileFile,
    totalMs: profile.totalMs,
    notes: profile.notes,
    raised: measured.raised,
    lowered: measured.lowered,
  };
  return finish(command, report, suppressions, rules, io);
}

/**
 * Records, prunes and applies the suppressions file (after `--fix`: as ESLint, safe fixes are applied
 * to suppressed findings too), hides findings below `--min-severity`, prints the report and decides
 * the exit status (1: a finding was shown): as ESLint, recorded
 * findings that no longer occur end the run with status 2 unless --pass-on-unpruned-suppressions.
 */
function finish(
  command: ScanCommand,
  report: ScanReport,
  suppressions: SuppressionsFile | undefined,
  rules: readonly Rule[],
  io: CliIo,
): number {
  const note = suppressions
    ? settleSuppressions(suppressions, report, {
        flags: command.suppressions,
        knownRules: new Set(rules.map((rule) => rule.meta.id)),
      })
    : undefined;
  // After the suppressions, which count every finding whatever its severity (the evidence may move one between warning and info).
  applyMinSeverity(report, command.minSeverity);
  io.stdout(render(command, report, io));
  if (note) io.stderr(stderrLine(note));
  if (report.suppressions && report.suppressions.unused.length > 0 && !command.suppressions.passOnUnpruned) {
    io.stderr(stderrLine(unusedMessage(report.suppressions, io.cwd)));
    return EXIT_USAGE;
  }
  return report.findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

function scanOptions(command: ScanCommand, rules: readonly Rule[], io: CliIo, debug: boolean): ScanOptions {
  return {
    cwd: io.cwd,
    paths: command.paths,
    rules,
    onlyRules: command.rules,
    onlyCategories: command.categories,
    configFile: command.config,
    fix: command.fix,
    // Rule crashes already land in the report's errors; the log adds stacks and notes for debugging.
    // They span lines (a stack under its message): the breaks are kept, every other control escaped.
    log: debug ? (message) => io.stderr(`perflens: ${printableLines(message)}\n`) : () => undefined,
  };
}

function render(command: ScanCommand, report: ScanReport, io: CliIo): string {
  switch (command.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'text':
      return formatText(report, { color: useColor(io) });
  }
}

if (require.main === module) runAsProcess(runCliAsync);
