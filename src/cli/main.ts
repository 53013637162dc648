/**
 * The `perflens` command (bundled to dist/cli.js). `runCli` does the work against an injected
 * stdout/stderr/cwd/env so that tests run it in-process; the wrapper at the bottom binds it to
 * the real process. Every failure ends here as one line on stderr and exit status 2; what that line
 * quotes (paths, names, input) is made printable, so it cannot drive the terminal or add lines.
 */
import * as path from 'node:path';
import { ConfigError } from '../analyzers/config';
import { InputError } from '../analyzers/files';
import { allRules } from '../analyzers/registry';
import type { Rule } from '../analyzers/rule';
import { loadTimeProfile, rankByHotness } from '../fusion/hotness';
import { ProfileError } from '../profiles/errors';
import { parseCommand, UsageError, type Command, type ScanCommand } from './args';
import { useColor } from './format/color';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { printableLines, stderrLine } from './format/terminal';
import { formatText } from './format/text';
import { runProfileCommand } from './profile';
import { ProfileUsageError } from './profileArgs';
import { applyMinSeverity, runScan, type ScanOptions, type ScanReport } from './scan';
import { openSuppressions, settleSuppressions, SuppressionsError, unusedMessage, type SuppressionsFile } from './suppressions';
import { helpText } from './usage';
import { VERSION } from './version';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Whether stdout is a terminal (text output is coloured only then). */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Standard input, opened only by a command that reads it (`perflens profile -`). */
  stdin?: () => NodeJS.ReadableStream;
}

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
    return fail(error, io, debug);
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
    return fail(error, io, debug);
  }
}

function runSync(command: Exclude<Command, { kind: 'profile' }>, rules: readonly Rule[], io: CliIo, debug: boolean): number {
  switch (command.kind) {
    case 'help':
      io.stdout(helpText(command.topic));
      return EXIT_CLEAN;
    case 'version':
      io.stdout(`${VERSION}\n`);
      return EXIT_CLEAN;
    case 'scan':
      return scan(command, rules, io, debug);
  }
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
  report.findings = await rankByHotness(report.findings, profile);
  report.profile = { file: profileFile, totalMs: profile.totalMs, notes: profile.notes };
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

const EXPECTED_ERRORS = [UsageError, InputError, ConfigError, ProfileUsageError, ProfileError, SuppressionsError];

/** Messages may quote multi-line input (JSON.parse quotes the config it choked on): stderrLine shows its breaks as `\n`. */
function fail(error: unknown, io: CliIo, debug: boolean): number {
  const message = (error instanceof Error ? error.message : String(error)).trim() || 'unknown error';
  if (EXPECTED_ERRORS.some((kind) => error instanceof kind)) {
    io.stderr(stderrLine(message));
  } else {
    const hint = debug ? '' : ' (set PERFLENS_DEBUG=1 for the stack trace)';
    io.stderr(stderrLine(`internal error: ${message}${hint}`));
    if (debug && error instanceof Error && error.stack) io.stderr(`${printableLines(error.stack)}\n`);
  }
  return EXIT_USAGE;
}

function isDebug(env: CliIo['env']): boolean {
  const value = env.PERFLENS_DEBUG;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function main(): void {
  // `perflens scan | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_CLEAN);
    process.stderr.write(`perflens: cannot write the output: ${error.code ?? error.message}\n`);
    process.exit(EXIT_USAGE);
  });
  void runCliAsync(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    stdin: () => process.stdin,
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
