/**
 * The command line, parsed into a command or refused with one line that says what is wrong.
 * node:util's parseArgs splits the words; the checks (unknown flags, missing values, rule ids,
 * categories, formats) are ours so that every message is short and names the fix.
 */
import { parseArgs } from 'node:util';
import { CATEGORIES, SEVERITIES, type Category, type Severity } from '../analyzers/finding';
import type { Rule } from '../analyzers/rule';
import { didYouMean } from '../analyzers/suggest';
import { parseProfileCommand, type ProfileCommand } from './profileArgs';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

const COMMANDS = ['scan', 'fix', 'profile', 'help'] as const;
const HELP_TOPICS = ['scan', 'fix', 'profile'] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number] | undefined;

/** `scan, fix, profile, or help`: every choice, so that a message never leaves one out. */
const oneOf = (choices: readonly string[]): string => new Intl.ListFormat('en', { type: 'disjunction' }).format(choices);

export interface ScanCommand {
  kind: 'scan';
  /** `fix` when invoked as `perflens fix`; help text and messages name it. */
  name: 'scan' | 'fix';
  paths: string[];
  format: Format;
  fix: boolean;
  rules: string[];
  categories: Category[];
  config?: string;
  /** `--profile FILE`: rank the findings by the time this CPU profile spent in their functions. */
  profile?: string;
  /**
   * `--hot-share PERCENT` (with `--profile`, default 5): a finding of a rule whose cost is CPU time whose lines took at
   * least this share of the profiled run rises to its configured severity (src/fusion/measured.ts). A fraction, 0–1.
   */
  hotShare?: number;
  /** `--min-severity`: the least severe findings shown and counted for the exit status (default `warning`). */
  minSeverity: Severity;
  /** The suppressions file's flags (ESLint's bulk suppressions, src/cli/suppressions.ts). */
  suppressions: SuppressionFlags;
}

export interface SuppressionFlags {
  /** `--suppress-all` (every rule that ran) or `--suppress-rule ID…`: record today's findings in the file. */
  record?: 'all' | string[];
  /** `--prune-suppressions`: lower the recorded counts to what is found now. */
  prune: boolean;
  /** `--suppressions-location FILE` (default: perflens-suppressions.json in the working directory). */
  location?: string;
  /** `--pass-on-unpruned-suppressions`: recorded findings that no longer occur do not end the scan with status 2. */
  passOnUnpruned: boolean;
}

export type Command = { kind: 'help'; topic: HelpTopic } | { kind: 'version' } | ScanCommand | ProfileCommand;

/** A command line that cannot be run as given (exit status 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

const SCAN_OPTIONS = {
  format: { type: 'string' },
  fix: { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  config: { type: 'string' },
  profile: { type: 'string' },
  'hot-share': { type: 'string' },
  'suppress-all': { type: 'boolean' },
  'suppress-rule': { type: 'string', multiple: true },
  'suppressions-location': { type: 'string' },
  'prune-suppressions': { type: 'boolean' },
  'pass-on-unpruned-suppressions': { type: 'boolean' },
  'min-severity': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type OptionName = keyof typeof SCAN_OPTIONS;

/** `rules` are the rules this build ships (tests pass their own): `--rule` must name one of them. */
export function parseCommand(argv: readonly string[], rules: readonly Rule[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`missing command: expected ${oneOf(COMMANDS)} (see perflens --help)`);
  if (first === '--help' || first === '-h') return { kind: 'help', topic: undefined };
  if (first === '--version') return { kind: 'version' };
  switch (first) {
    case 'scan':
    case 'fix':
      return parseScan(first, rest, rules);
    case 'help':
      return { kind: 'help', topic: helpTopic(rest[0]) };
    case 'profile':
      return parseProfileCommand(rest);
    default:
      if (first.startsWith('-')) throw new UsageError(`unknown option ${first} before the command (see perflens --help)`);
      throw new UsageError(`unknown command "${first}"${didYouMean(first, COMMANDS)}: expected ${oneOf(COMMANDS)} (see perflens --help)`);
  }
}

function helpTopic(word: string | undefined): HelpTopic {
  if (word === undefined || (HELP_TOPICS as readonly string[]).includes(word)) return word as HelpTopic;
  throw new UsageError(`no help for "${word}"${didYouMean(word, HELP_TOPICS)}: expected ${oneOf(HELP_TOPICS)} (perflens help COMMAND)`);
}

function parseScan(name: 'scan' | 'fix', args: string[], rules: readonly Rule[]): Command {
  // strict: false hands us every token, so that each mistake gets our own one-line message.
  const { tokens } = parseArgs({ args, options: SCAN_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const strings: Partial<Record<OptionName, string[]>> = {};
  const flags = new Set<OptionName>();
  const paths: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      paths.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    if (!(token.name in SCAN_OPTIONS)) {
      const known = Object.keys(SCAN_OPTIONS).map((option) => `--${option}`);
      throw new UsageError(`unknown option ${token.rawName}${didYouMean(token.rawName, known)} (see perflens ${name} --help)`);
    }
    const option = token.name as OptionName;
    if (SCAN_OPTIONS[option].type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value (got "${token.value}")`);
      flags.add(option);
      continue;
    }
    // `--format --fix` would otherwise read "--fix" as the format.
    if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(`${token.rawName} needs a value (see perflens ${name} --help)`);
    }
    (strings[option] ??= []).push(token.value);
  }

  if (flags.has('help')) return { kind: 'help', topic: name };
  if (flags.has('version')) return { kind: 'version' };

  const command: ScanCommand = {
    kind: 'scan',
    name,
    paths,
    format: parseFormat(single(strings, 'format') ?? 'text'),
    fix: name === 'fix' || flags.has('fix'),
    rules: parseRules(strings.rule ?? [], rules),
    categories: parseCategories(strings.category ?? []),
    suppressions: parseSuppressionFlags(strings, flags, rules),
    minSeverity: parseSeverity(single(strings, 'min-severity') ?? 'warning'),
  };
  checkRulesInCategories(command, rules);
  checkSuppressedRulesRun(command, rules);
  const config = single(strings, 'config');
  if (config !== undefined) command.config = config;
  const profile = single(strings, 'profile');
  if (profile !== undefined) {
    // A fix moves lines under the profile's positions: rank first, fix afterwards.
    if (command.fix)
      throw new UsageError(
        `--profile cannot be combined with ${name === 'fix' ? 'perflens fix' : '--fix'}: rank with perflens scan --profile, then fix`,
      );
    command.profile = profile;
  }
  const hotShare = single(strings, 'hot-share');
  if (hotShare !== undefined) {
    if (profile === undefined) throw new UsageError('--hot-share needs --profile: it is the share of a profiled run');
    command.hotShare = parsePercent(hotShare, 'hot-share');
  }
  return command;
}

function single(strings: Partial<Record<OptionName, string[]>>, option: OptionName): string | undefined {
  const values = strings[option];
  if (!values) return undefined;
  if (values.length > 1 && new Set(values).size > 1)
    throw new UsageError(`--${option} given twice with different values (${values.join(', ')})`);
  return values[0];
}

/** `5`, `5%` or `0.5` (percent of the run): a fraction in [0, 1]. */
function parsePercent(value: string, option: OptionName): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(value);
  const percent = match ? Number(match[1]) : Number.NaN;
  if (!Number.isFinite(percent) || percent > 100)
    throw new UsageError(`--${option} "${value}" is not a percentage from 0 to 100 (e.g. --${option} 5)`);
  return percent / 100;
}

function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`unknown format "${value}"${didYouMean(value, FORMATS)}: expected ${FORMATS.join(', ')}`);
}

function parseSeverity(value: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new UsageError(`unknown severity "${value}"${didYouMean(value, SEVERITIES)} for --min-severity: expected ${SEVERITIES.join(', ')}`);
}

/** `--rule a --rule b,c` → [a, b, c]; every id must name a rule. */
function parseRules(values: readonly string[], rules: readonly Rule[], flag = '--rule'): string[] {
  const ids = splitList(values, flag);
  const knownRules = rules.map((rule) => rule.meta.id);
  for (const id of ids) {
    if (!knownRules.includes(id))
      throw new UsageError(`unknown rule "${id}"${didYouMean(id, knownRules) || ' (docs/rules/README.md lists them)'}`);
  }
  return ids;
}

function parseCategories(values: readonly string[]): Category[] {
  const ids = splitList(values, '--category');
  for (const id of ids) {
    if (!(CATEGORIES as readonly string[]).includes(id)) {
      throw new UsageError(`unknown category "${id}"${didYouMean(id, CATEGORIES)}: expected one of ${CATEGORIES.join(', ')}`);
    }
  }
  return ids as Category[];
}

/** `--rule X --category Y` where X is not in Y would silently run nothing: say so instead. */
function checkRulesInCategories(command: ScanCommand, rules: readonly Rule[]): void {
  if (command.rules.length === 0 || command.categories.length === 0) return;
  for (const id of command.rules) {
    const category = rules.find((rule) => rule.meta.id === id)?.meta.category;
    if (category && !command.categories.includes(category)) {
      throw new UsageError(`rule "${id}" is in category ${category}, which --category ${command.categories.join(',')} leaves out`);
    }
  }
}

/** ESLint's combinations: one of record-all, record some rules, or prune, per run. */
function parseSuppressionFlags(
  strings: Partial<Record<OptionName, string[]>>,
  flags: ReadonlySet<OptionName>,
  rules: readonly Rule[],
): SuppressionFlags {
  const all = flags.has('suppress-all');
  const some = strings['suppress-rule'];
  const prune = flags.has('prune-suppressions');
  if (all && some) throw new UsageError('--suppress-all and --suppress-rule cannot be combined: --suppress-all records every rule');
  if (prune && (all || some))
    throw new UsageError(
      `--prune-suppressions cannot be combined with ${all ? '--suppress-all' : '--suppress-rule'}: record or prune, one at a time`,
    );
  const suppressions: SuppressionFlags = { prune, passOnUnpruned: flags.has('pass-on-unpruned-suppressions') };
  if (all) suppressions.record = 'all';
  if (some) suppressions.record = parseRules(some, rules, '--suppress-rule');
  const location = single(strings, 'suppressions-location');
  if (location !== undefined) suppressions.location = location;
  return suppressions;
}

/** `--rule a --suppress-rule b` would record nothing for b: say so instead. */
function checkSuppressedRulesRun(command: ScanCommand, rules: readonly Rule[]): void {
  const { record } = command.suppressions;
  if (!Array.isArray(record)) return;
  for (const id of record) {
    const category = rules.find((rule) => rule.meta.id === id)?.meta.category;
    if (command.rules.length > 0 && !command.rules.includes(id))
      throw new UsageError(`--suppress-rule ${id} names a rule that --rule ${command.rules.join(',')} does not run`);
    if (category && command.categories.length > 0 && !command.categories.includes(category))
      throw new UsageError(
        `--suppress-rule ${id} names a rule of category ${category}, which --category ${command.categories.join(',')} leaves out`,
      );
  }
}

function splitList(values: readonly string[], flag: string): string[] {
  const items = values.flatMap((value) => value.split(',')).map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`${flag} has an empty entry (use ${flag} a,b or repeat ${flag})`);
  return [...new Set(items)];
}
