/**
 * The `perflens.*` settings: their typed mirror, their defaults and the one defensive parser
 * every reader goes through (vscode-eslint's checklist). package.json declares the same keys;
 * test/extension/settings.test.ts keeps the two in step.
 *
 * No runtime `vscode` import: the reader passes `WorkspaceConfiguration.get`, tests pass a map.
 * No runtime engine import either (fusion/measured.ts's default is a constant in a module free of the engine): this runs
 * on the extension host's main thread.
 */
import type { RuleSetting } from './analyzers/config';
import type { Severity } from './analyzers/finding';
import { DEFAULT_HOT_SHARE } from './fusion/measured';
import { RULE_SETTING_VALUES } from './worker/protocol';

export const RUN_MODES = ['onType', 'onSave'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** @internal exported for test/extension/settings.test.ts, which checks they are the engine's `SEVERITIES`, most severe first. */
export const MIN_SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Shown at `min`: as severe as `min` or more — `perflens.minSeverity` here, `--min-severity` in the CLI (src/cli/scan.ts). */
export function isShownAt(severity: Severity, min: Severity): boolean {
  return MIN_SEVERITIES.indexOf(severity) <= MIN_SEVERITIES.indexOf(min);
}

export interface PerfLensSettings {
  enable: boolean;
  /** Rule id → severity or `off`; wins over `.perflensrc.json` rule by rule. */
  rules: Record<string, RuleSetting>;
  /** gitignore-style globs relative to the workspace folder. */
  exclude: string[];
  /** `onType`: analyse as the user types (debounced); `onSave`: on open and save only. */
  run: RunMode;
  /** The least severe findings the Problems panel shows (the CLI's `--min-severity`); `info` shows every finding. */
  minSeverity: Severity;
}

export const SETTINGS_SECTION = 'perflens';
/**
 * The profile view's code lenses (`perflens.profile.codeLens`, off by default): a view setting, read by
 * src/views/loadedProfile.ts where the lenses are, not by the analysis settings' parser below.
 */
export const CODE_LENS_SETTING = 'profile.codeLens';
/**
 * `perflens.profile.hotShare` (percent, default 5): what a loaded CPU profile must show on a finding's lines for it to
 * rise to its configured severity (src/fusion/measured.ts). Read by src/extension.ts, which sends it with the profile.
 */
export const HOT_SHARE_SETTING = 'profile.hotShare';
/** `perflens.profile.keep` (default 20): how many recordings "PerfLens: Profile File" keeps (src/views/profileRun.ts). */
export const KEEP_SETTING = 'profile.keep';

/** The setting's value as the fraction the analysis takes; anything unusable is the default, 5 %. */
export function hotShareOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100 ? value / 100 : DEFAULT_HOT_SHARE;
}

/** @internal exported for test/extension/settings.test.ts */
export const DEFAULT_SETTINGS: Readonly<PerfLensSettings> = Object.freeze({
  enable: true,
  rules: {},
  exclude: [],
  run: 'onType',
  minSeverity: 'info',
});

export interface ParsedSettings {
  settings: PerfLensSettings;
  /** One line per setting that held something unusable (that part was ignored). */
  problems: string[];
}

/**
 * Reads the settings through `get` (keys without the `perflens.` prefix). Anything of the wrong
 * type falls back to the default; unknown rule ids and severities are dropped — each setting
 * that needed it yields one problem line.
 */
export function parseSettings(get: (key: string) => unknown, knownRules?: ReadonlySet<string>): ParsedSettings {
  const problems: string[] = [];
  const settings: PerfLensSettings = {
    enable: DEFAULT_SETTINGS.enable,
    rules: {},
    exclude: [],
    run: DEFAULT_SETTINGS.run,
    minSeverity: DEFAULT_SETTINGS.minSeverity,
  };

  const enable = get('enable');
  if (typeof enable === 'boolean') settings.enable = enable;
  else if (enable !== undefined && enable !== null)
    problems.push(`perflens.enable: expected true or false, got ${show(enable)}; using ${DEFAULT_SETTINGS.enable}`);

  const run = get('run');
  if ((RUN_MODES as readonly unknown[]).includes(run)) settings.run = run as RunMode;
  else if (run !== undefined && run !== null)
    problems.push(`perflens.run: expected ${RUN_MODES.join(' or ')}, got ${show(run)}; using ${DEFAULT_SETTINGS.run}`);

  const minSeverity = get('minSeverity');
  if (MIN_SEVERITIES.includes(minSeverity as Severity)) settings.minSeverity = minSeverity as Severity;
  else if (minSeverity !== undefined && minSeverity !== null)
    problems.push(
      `perflens.minSeverity: expected ${MIN_SEVERITIES.join(', ')}, got ${show(minSeverity)}; using ${DEFAULT_SETTINGS.minSeverity}`,
    );

  const exclude = get('exclude');
  if (Array.isArray(exclude)) {
    const ignored = exclude.filter((glob) => typeof glob !== 'string' || glob.trim() === '');
    settings.exclude = exclude.filter((glob): glob is string => typeof glob === 'string' && glob.trim() !== '');
    if (ignored.length > 0) problems.push(`perflens.exclude: ignored ${ignored.map(show).join(', ')} (expected non-empty glob strings)`);
  } else if (exclude !== undefined && exclude !== null) {
    problems.push(`perflens.exclude: expected an array of globs, got ${show(exclude)}; nothing is excluded`);
  }

  const rules = get('rules');
  if (typeof rules === 'object' && rules !== null && !Array.isArray(rules)) {
    const ignored: string[] = [];
    for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
      if (knownRules && !knownRules.has(id)) ignored.push(`unknown rule "${id}"`);
      else if (!(RULE_SETTING_VALUES as readonly unknown[]).includes(value))
        ignored.push(`"${id}": ${show(value)} (expected ${RULE_SETTING_VALUES.join(', ')})`);
      else settings.rules[id] = value as RuleSetting;
    }
    if (ignored.length > 0) problems.push(`perflens.rules: ignored ${ignored.join('; ')}`);
  } else if (rules !== undefined && rules !== null) {
    problems.push(`perflens.rules: expected an object of rule id → ${RULE_SETTING_VALUES.join('|')}, got ${show(rules)}`);
  }

  return { settings, problems };
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
