/**
 * What every `perflens` command shares, and nothing heavy: the injected I/O, the exit statuses, how a
 * failure becomes one printable line, help and version, and the binding to the real process. Both
 * the full CLI (main.ts: scan, fix) and the light one (light.ts: profile, help, version — no
 * TypeScript, no rules) are built on it.
 */
import { ConfigError } from '../analyzers/config';
import { ProfileError } from '../profiles/errors';
import { UsageError, type Command } from './args';
import { printableLines, stderrLine } from './format/terminal';
import { ProfileUsageError } from './profileArgs';
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

/** `perflens help …`, `--help`, `--version`. */
export function runInfo(command: Extract<Command, { kind: 'help' | 'version' }>, io: CliIo): number {
  io.stdout(command.kind === 'help' ? helpText(command.topic) : `${VERSION}\n`);
  return EXIT_CLEAN;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** The failures every command may end with, said in one line: a usage, a config, a profile that cannot be read. */
export const EXPECTED_ERRORS: readonly ErrorClass[] = [UsageError, ConfigError, ProfileUsageError, ProfileError];

/**
 * One line on stderr and exit status 2: `expected` failures as their message, anything else as an internal error.
 * Messages may quote multi-line input (JSON.parse quotes the config it choked on): stderrLine shows its breaks as `\n`.
 */
export function fail(error: unknown, io: CliIo, debug: boolean, expected: readonly ErrorClass[] = EXPECTED_ERRORS): number {
  const message = (error instanceof Error ? error.message : String(error)).trim() || 'unknown error';
  if (expected.some((kind) => error instanceof kind)) {
    io.stderr(stderrLine(message));
  } else {
    const hint = debug ? '' : ' (set PERFLENS_DEBUG=1 for the stack trace)';
    io.stderr(stderrLine(`internal error: ${message}${hint}`));
    if (debug && error instanceof Error && error.stack) io.stderr(`${printableLines(error.stack)}\n`);
  }
  return EXIT_USAGE;
}

export function isDebug(env: CliIo['env']): boolean {
  const value = env.PERFLENS_DEBUG;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Runs `run` on this process's arguments and streams, and sets its exit status. */
export function runAsProcess(run: (argv: readonly string[], io: CliIo) => Promise<number>): void {
  // `perflens scan | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_CLEAN);
    process.stderr.write(`perflens: cannot write the output: ${error.code ?? error.message}\n`);
    process.exit(EXIT_USAGE);
  });
  void run(process.argv.slice(2), {
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
