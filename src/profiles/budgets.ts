/**
 * Performance budgets (issue 15): limits a profile must stay within, set under "budgets" in
 * `.perflensrc.json`, checked by `perflens profile` (exit 1 on a breach, for CI).
 *
 *   "budgets": {
 *     "totalMs": 2000,                              the profile's total time
 *     "busiestStretchMs": 50,                       the longest stretch without (idle): event-loop blocking
 *     "gcPercent": 5,                               (garbage collector)'s share of the total
 *     "functionSelfPercent": { "hotLoop": 20 },     a function's self share (every function of that name)
 *     "fileSelfPercent": { "src/legacy/**": 10 }    the self share of the functions in files a glob matches
 *   }
 *
 * No budget applies until one is set. vscode-free and TypeScript-free: the profile path stays light.
 */
import * as path from 'node:path';
import ignore from 'ignore';
import type { Hotspots } from './hotspots';
import type { Profile } from './model';
import type { ResolvedFunction } from './resolve';

export interface Budgets {
  totalMs?: number;
  busiestStretchMs?: number;
  gcPercent?: number;
  functionSelfPercent?: Record<string, number>;
  fileSelfPercent?: Record<string, number>;
}

const TIME_KEYS = ['totalMs', 'busiestStretchMs'] as const;
const SHARE_KEYS = ['gcPercent'] as const;
const SHARE_MAPS = ['functionSelfPercent', 'fileSelfPercent'] as const;
const KEYS: readonly string[] = [...TIME_KEYS, ...SHARE_KEYS, ...SHARE_MAPS];

/** `value` (the "budgets" key of a config at `where`) as Budgets, or the one-line reason it is not. */
export function parseBudgets(value: unknown, where: string): Budgets | string {
  if (!isObject(value)) return `${where}: "budgets" must be an object with any of ${KEYS.join(', ')}`;
  const budgets: Budgets = {};
  for (const [key, entry] of Object.entries(value)) {
    if ((TIME_KEYS as readonly string[]).includes(key)) {
      if (typeof entry !== 'number' || !Number.isFinite(entry) || entry < 0)
        return `${where}: budget "${key}" must be a number of milliseconds ≥ 0 (got ${JSON.stringify(entry)})`;
      budgets[key as (typeof TIME_KEYS)[number]] = entry;
    } else if ((SHARE_KEYS as readonly string[]).includes(key)) {
      const problem = percentProblem(entry, `budget "${key}"`, where);
      if (problem) return problem;
      budgets[key as (typeof SHARE_KEYS)[number]] = entry as number;
    } else if ((SHARE_MAPS as readonly string[]).includes(key)) {
      if (!isObject(entry) || Object.keys(entry).length === 0)
        return `${where}: budget "${key}" must be an object of ${key === 'fileSelfPercent' ? 'glob' : 'function name'} → percent`;
      for (const [subject, limit] of Object.entries(entry)) {
        const problem = percentProblem(limit, `budget "${key}" of "${subject}"`, where);
        if (problem) return problem;
      }
      budgets[key as (typeof SHARE_MAPS)[number]] = { ...(entry as Record<string, number>) };
    } else return `${where}: unknown budget "${key}" (expected ${KEYS.join(', ')})`;
  }
  return budgets;
}

function percentProblem(value: unknown, what: string, where: string): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100) return undefined;
  return `${where}: ${what} must be a percentage from 0 to 100 (got ${JSON.stringify(value)})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One budget checked: what was measured against its limit. */
export interface BudgetCheck {
  budget: keyof Budgets;
  /** The function name or glob a map's budget is for; absent for the others. */
  subject?: string;
  limit: number;
  actual: number;
  unit: 'ms' | '%';
  breached: boolean;
}

/** A budget that cannot be checked on this profile (a time on a heap profile, a stretch without a timeline). */
export class BudgetError extends Error {
  override name = 'BudgetError';
}

/**
 * Checks every budget set against `profile`. `configRoot`: the folder the file globs are relative to.
 * A limit is breached when the measured value is above it (a limit of 0 forbids any).
 */
export function checkBudgets(
  budgets: Budgets,
  profile: Profile,
  hotspots: Hotspots,
  functions: readonly ResolvedFunction[],
  configRoot: string,
): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  const total = hotspots.total;
  const share = (weight: number): number => (total > 0 ? (weight * 100) / total : 0);
  const add = (budget: keyof Budgets, limit: number, actual: number, unit: 'ms' | '%', subject?: string): void => {
    // Above the limit beyond floating-point rounding: a share of exactly the limit stays within it.
    const check: BudgetCheck = { budget, limit, actual, unit, breached: actual - limit > 1e-9 * Math.max(1, limit) };
    if (subject !== undefined) check.subject = subject;
    checks.push(check);
  };
  const needsTime = (budget: keyof Budgets): void => {
    if (profile.unit !== 'ms')
      throw new BudgetError(`budget "${budget}" is a time, and this ${profile.format} profile is in ${profile.unit}`);
  };

  if (budgets.totalMs !== undefined) {
    needsTime('totalMs');
    add('totalMs', budgets.totalMs, total, 'ms');
  }
  if (budgets.busiestStretchMs !== undefined) {
    needsTime('busiestStretchMs');
    add('busiestStretchMs', budgets.busiestStretchMs, busiestStretch(profile), 'ms');
  }
  if (budgets.gcPercent !== undefined) {
    let gc = 0;
    for (const hotspot of hotspots.functions) if (isPseudo(functions[hotspot.id], '(garbage collector)')) gc += hotspot.self;
    add('gcPercent', budgets.gcPercent, share(gc), '%');
  }
  for (const [name, limit] of Object.entries(budgets.functionSelfPercent ?? {})) {
    let self = 0;
    for (const hotspot of hotspots.functions) if (functions[hotspot.id].name === name) self += hotspot.self;
    add('functionSelfPercent', limit, share(self), '%', name);
  }
  for (const [glob, limit] of Object.entries(budgets.fileSelfPercent ?? {})) {
    const matcher = ignore().add(glob);
    let self = 0;
    for (const hotspot of hotspots.functions) {
      const file = relativeFile(functions[hotspot.id], configRoot);
      if (file !== undefined && matcher.ignores(file)) self += hotspot.self;
    }
    add('fileSelfPercent', limit, share(self), '%', glob);
  }
  return checks;
}

/** `totalMs 2,412.0 ms > 2,000 ms`, `functionSelfPercent of hotLoop 61.2% > 20%`. */
export function describeBudget(check: BudgetCheck): string {
  const value = (amount: number): string =>
    check.unit === 'ms' ? `${amount.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms` : `${Number(amount.toFixed(1))}%`;
  return `${check.budget}${check.subject === undefined ? '' : ` of ${check.subject}`} ${value(check.actual)} ${check.breached ? '>' : '≤'} ${value(check.limit)}`;
}

/**
 * The longest stretch of the timeline with no `(idle)` sample: time the thread never went back to its
 * event loop, so everything else waiting on it waited that long. Needs the order of samples in time.
 */
function busiestStretch(profile: Profile): number {
  const { timeline, tree, frames } = profile;
  if (!timeline)
    throw new BudgetError(`budget "busiestStretchMs" needs samples in time order, and this ${profile.format} profile has none`);
  let longest = 0;
  let stretch = 0;
  for (let run = 0; run < timeline.node.length; run++) {
    const frame = frames[tree.frame[timeline.node[run]]];
    if (frame.url === '' && frame.name === '(idle)') stretch = 0;
    else {
      stretch += timeline.weight[run];
      if (stretch > longest) longest = stretch;
    }
  }
  return longest;
}

function isPseudo(fn: ResolvedFunction, name: string): boolean {
  return fn.file === undefined && fn.name === name;
}

/** A function's file relative to `root` with `/`, as gitignore-style globs match; undefined outside it or with no file. */
function relativeFile(fn: ResolvedFunction, root: string): string | undefined {
  const absolute = fn.path ?? (fn.file !== undefined && path.isAbsolute(fn.file) ? fn.file : undefined);
  if (absolute === undefined) return fn.file !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(fn.file) ? fn.file : undefined;
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}
