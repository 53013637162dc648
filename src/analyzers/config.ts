/**
 * `.perflensrc.json`: per-rule severity, ignore globs, and the budgets `perflens profile` checks
 * (src/profiles/budgets.ts).
 *
 *   { "rules": { "query-in-loop": "error", "lookup-in-loop": "off" }, "ignore": ["generated/**"],
 *     "budgets": { "totalMs": 2000 } }
 *
 * A bad config is a usage error with one line that says what is wrong (exit 2 in the CLI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile } from '../io/regularFile';
import { parseBudgets, type Budgets } from '../profiles/budgets';
import type { Severity } from './finding';
import { didYouMean } from './suggest';

const CONFIG_FILE_NAME = '.perflensrc.json';

export type RuleSetting = Severity | 'off';
/** @internal exported for test/extension/settings.test.ts, which checks that package.json offers the same values */
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

export interface PerfLensConfig {
  rules: Record<string, RuleSetting>;
  /** gitignore-style patterns, relative to the config's folder. */
  ignore: string[];
  /** The folder the ignore patterns are relative to. */
  root: string;
  /** The file the config came from, when there is one. */
  source?: string;
  /** Limits a profile must stay within; absent until the user sets one. */
  budgets?: Budgets;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function emptyConfig(root: string): PerfLensConfig {
  return { rules: {}, ignore: [], root };
}

/**
 * Checks a parsed config object; `knownRules` catches typos in rule ids (undefined: `perflens profile`,
 * which reads only the budgets and does not load the rules).
 * @internal exported for test/analyzers/config.test.ts
 */
export function validateConfig(value: unknown, where: string, root: string, knownRules: ReadonlySet<string> | undefined): PerfLensConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${where}: expected a JSON object with "rules", "ignore" and/or "budgets"`);
  }
  const config = emptyConfig(root);
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$schema') continue;
    if (key === 'rules') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new ConfigError(`${where}: "rules" must be an object of rule id → ${RULE_SETTINGS.join('|')}`);
      }
      for (const [rule, setting] of Object.entries(entry as Record<string, unknown>)) {
        if (knownRules && !knownRules.has(rule)) {
          throw new ConfigError(`${where}: unknown rule "${rule}"${didYouMean(rule, knownRules)}`);
        }
        if (typeof setting !== 'string' || !RULE_SETTINGS.includes(setting as RuleSetting)) {
          throw new ConfigError(`${where}: rule "${rule}" must be one of ${RULE_SETTINGS.join(', ')} (got ${JSON.stringify(setting)})`);
        }
        config.rules[rule] = setting as RuleSetting;
      }
      continue;
    }
    if (key === 'ignore') {
      if (!Array.isArray(entry) || entry.some((pattern) => typeof pattern !== 'string')) {
        throw new ConfigError(`${where}: "ignore" must be an array of glob strings`);
      }
      config.ignore = entry as string[];
      continue;
    }
    if (key === 'budgets') {
      const budgets = parseBudgets(entry, where);
      if (typeof budgets === 'string') throw new ConfigError(budgets);
      config.budgets = budgets;
      continue;
    }
    throw new ConfigError(`${where}: unknown key "${key}" (expected "rules", "ignore" or "budgets")`);
  }
  return config;
}

/** A config is a few hundred bytes; one past this is not a config. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function loadConfigFile(file: string, knownRules: ReadonlySet<string> | undefined): PerfLensConfig {
  const read = readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES });
  if ('refused' in read) {
    const { refused } = read;
    throw new ConfigError(
      `cannot read config ${file}: ${refused.kind === 'missing' || refused.kind === 'unreadable' ? refused.code : `it is ${refused.reason}`}`,
    );
  }
  const text = read.bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`${file}: invalid JSON (${(error as Error).message})`);
  }
  const config = validateConfig(parsed, file, path.dirname(path.resolve(file)), knownRules);
  config.source = path.resolve(file);
  return config;
}

/** The nearest `.perflensrc.json` at or above `directory`, if any. */
export function findConfigFile(directory: string): string | undefined {
  let current = path.resolve(directory);
  for (;;) {
    const candidate = path.join(current, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
