/**
 * `perflens profile` command lines, parsed into a ProfileCommand or refused with one line:
 *   perflens profile FILE [--format text|json] [--top N] [--baseline FILE [--max-regression PCT]]
 *                         [--root DIR] [--thread NAME] [--sample-type TYPE]
 *   perflens profile [options] [--keep N] --run -- COMMAND [ARGS…]
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../analyzers/suggest';

export const PROFILE_FORMATS = ['text', 'json'] as const;
export type ProfileOutputFormat = (typeof PROFILE_FORMATS)[number];

export interface ProfileCommand {
  kind: 'profile';
  /** The profile to read; undefined with `run`. */
  file: string | undefined;
  /** `--run -- COMMAND…`: the command to record. */
  run: string[] | undefined;
  format: ProfileOutputFormat;
  /** Rows to show; undefined: the default of the format (text 20, json all). */
  top: number | undefined;
  baseline: string | undefined;
  maxRegression: number | undefined;
  root: string | undefined;
  thread: string | undefined;
  sampleType: string | undefined;
  /** `--keep N`: how many recordings `.perflens/profiles/` keeps (0: none); undefined: the default. */
  keep: number | undefined;
}

const OPTIONS = {
  format: { type: 'string' },
  top: { type: 'string' },
  baseline: { type: 'string' },
  'max-regression': { type: 'string' },
  root: { type: 'string' },
  thread: { type: 'string' },
  'sample-type': { type: 'string' },
  keep: { type: 'string' },
  run: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Options that take a number: `--top -1` must reach the number check ("got -1"), not read as a missing value. */
const NUMERIC_OPTIONS: ReadonlySet<OptionName> = new Set(['top', 'max-regression', 'keep']);
const NEGATIVE_NUMBER = /^-\.?\d/;

export class ProfileUsageError extends Error {
  override name = 'UsageError';
}

export function parseProfileCommand(args: readonly string[]): ProfileCommand | { kind: 'help'; topic: 'profile' } {
  // Everything after the first `--` is the command to record, options included.
  const terminator = args.indexOf('--');
  const own = terminator >= 0 ? args.slice(0, terminator) : [...args];
  const commandWords = terminator >= 0 ? args.slice(terminator + 1) : undefined;
  const { tokens } = parseArgs({ args: own, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const strings: Partial<Record<OptionName, string>> = {};
  const flags = new Set<OptionName>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    if (!(token.name in OPTIONS)) {
      const known = Object.keys(OPTIONS).map((option) => `--${option}`);
      throw new ProfileUsageError(`unknown option ${token.rawName}${didYouMean(token.rawName, known)} (see perflens profile --help)`);
    }
    const option = token.name as OptionName;
    if (OPTIONS[option].type === 'boolean') {
      if (token.value !== undefined) throw new ProfileUsageError(`${token.rawName} takes no value (got "${token.value}")`);
      flags.add(option);
      continue;
    }
    if (token.value === undefined || token.value === '' || (!token.inlineValue && looksLikeAnOption(option, token.value))) {
      throw new ProfileUsageError(`${token.rawName} needs a value (see perflens profile --help)`);
    }
    if (strings[option] !== undefined && strings[option] !== token.value) {
      throw new ProfileUsageError(`${token.rawName} given twice with different values (${strings[option]}, ${token.value})`);
    }
    strings[option] = token.value;
  }
  if (flags.has('help')) return { kind: 'help', topic: 'profile' };

  let run: string[] | undefined;
  if (flags.has('run')) {
    if (!commandWords || commandWords.length === 0)
      throw new ProfileUsageError('--run needs a command after "--", e.g. perflens profile --run -- node app.js');
    if (positionals.length > 0) throw new ProfileUsageError(`give a profile FILE or --run -- COMMAND, not both (got ${positionals[0]})`);
    run = commandWords;
  } else {
    if (commandWords) throw new ProfileUsageError('a command after "--" needs --run (perflens profile --run -- COMMAND)');
    if (positionals.length === 0)
      throw new ProfileUsageError('missing profile FILE (or --run -- COMMAND to record one): see perflens profile --help');
    if (positionals.length > 1)
      throw new ProfileUsageError(`one profile at a time (got ${positionals.join(', ')}); compare two with --baseline`);
  }

  const format = strings.format ?? 'text';
  if (!(PROFILE_FORMATS as readonly string[]).includes(format)) {
    throw new ProfileUsageError(`unknown format "${format}"${didYouMean(format, PROFILE_FORMATS)}: expected ${PROFILE_FORMATS.join(', ')}`);
  }
  let top: number | undefined;
  if (strings.top !== undefined) {
    top = Number(strings.top);
    if (!Number.isInteger(top) || top < 1) throw new ProfileUsageError(`--top needs a whole number of rows ≥ 1 (got "${strings.top}")`);
  }
  let maxRegression: number | undefined;
  if (strings['max-regression'] !== undefined) {
    maxRegression = Number(strings['max-regression'].replace(/%$/, ''));
    if (!Number.isFinite(maxRegression) || maxRegression < 0) {
      throw new ProfileUsageError(`--max-regression needs a percentage ≥ 0, e.g. 10 (got "${strings['max-regression']}")`);
    }
    if (strings.baseline === undefined) throw new ProfileUsageError('--max-regression compares with a baseline: add --baseline FILE');
  }
  let keep: number | undefined;
  if (strings.keep !== undefined) {
    if (!run) throw new ProfileUsageError('--keep says how many recordings to keep: it goes with --run -- COMMAND');
    keep = Number(strings.keep);
    if (!Number.isInteger(keep) || keep < 0) throw new ProfileUsageError(`--keep needs a whole number ≥ 0 (got "${strings.keep}")`);
  }
  return {
    kind: 'profile',
    file: run ? undefined : positionals[0],
    run,
    format: format as ProfileOutputFormat,
    top,
    baseline: strings.baseline,
    maxRegression,
    root: strings.root,
    thread: strings.thread,
    sampleType: strings['sample-type'],
    keep,
  };
}

/**
 * `--top --format json` would otherwise read "--format" as the number of rows. A thread may be
 * named anything, and a negative number is a (wrong) value for a number, not another option.
 */
function looksLikeAnOption(option: OptionName, value: string): boolean {
  if (!value.startsWith('-') || option === 'thread') return false;
  return !(NUMERIC_OPTIONS.has(option) && NEGATIVE_NUMBER.test(value));
}
