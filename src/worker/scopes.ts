/**
 * Which settings apply to a file: the workspace folder that holds it (the innermost, for nested
 * folders), its `.perflensrc.json`, and the editor settings on top, rule by rule. Each scope has
 * its own Analyzer (the rule set and severities are fixed per Analyzer); all of them share one
 * ProjectHost, so open documents' overlays and the type-checking projects exist once.
 */
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { ConfigError, findConfigFile, loadConfigFile, type PerfLensConfig } from '../analyzers/config';
import { Analyzer } from '../analyzers/engine';
import type { ProjectHost } from '../analyzers/project';
import type { Rule } from '../analyzers/rule';
import type { ConfigureRequest, ScopeSettings } from './protocol';

export interface Scope {
  /** The workspace folder, or undefined for files outside every folder. */
  folder: string | undefined;
  analyzer: Analyzer;
  /** The settings' exclude globs, for pruning folders during a scan. */
  exclude: string[];
  /** Excluded by the settings or by the config file's `ignore`. */
  isExcluded(file: string): boolean;
}

export interface ScopeEnvironment {
  host: ProjectHost;
  rules: readonly Rule[];
  log(level: 'info' | 'warn' | 'error', message: string, notify?: boolean): void;
}

export class Scopes {
  private folders: Scope[] = [];
  private fallback: Scope;

  constructor(private readonly environment: ScopeEnvironment) {
    this.fallback = this.createScope(undefined, { rules: {}, exclude: [] });
  }

  configure(request: ConfigureRequest): void {
    this.folders = request.folders
      .map((folder) => this.createScope(path.resolve(folder.path), folder))
      // Innermost first, so a nested folder's settings win for its files.
      .sort((a, b) => (b.folder?.length ?? 0) - (a.folder?.length ?? 0));
    this.fallback = this.createScope(undefined, request.fallback);
  }

  scopeFor(file: string): Scope {
    const absolute = path.resolve(file);
    return this.folders.find((scope) => scope.folder !== undefined && isInside(scope.folder, absolute)) ?? this.fallback;
  }

  private createScope(folder: string | undefined, settings: ScopeSettings): Scope {
    const fileConfig = folder ? this.readConfigFile(folder) : undefined;
    const config: PerfLensConfig = {
      rules: { ...fileConfig?.rules, ...settings.rules },
      ignore: fileConfig?.ignore ?? [],
      root: fileConfig?.root ?? folder ?? path.parse(process.cwd()).root,
    };
    const analyzer = new Analyzer({
      rules: this.environment.rules,
      config,
      // The editor shows findings while the user is mid-edit: analyse the recovered tree.
      syntaxErrors: 'analyze',
      host: this.environment.host,
      log: (message) => this.environment.log('warn', message),
    });
    const matchers: Array<{ base: string | undefined; matcher: Ignore }> = [];
    if (settings.exclude.length > 0) matchers.push({ base: folder, matcher: ignore().add(settings.exclude) });
    if (config.ignore.length > 0) matchers.push({ base: config.root, matcher: ignore().add(config.ignore) });
    return {
      folder,
      analyzer,
      exclude: settings.exclude,
      isExcluded: (file) => matchers.some(({ base, matcher }) => matches(matcher, base, path.resolve(file))),
    };
  }

  private readConfigFile(folder: string): PerfLensConfig | undefined {
    const file = findConfigFile(folder);
    if (!file) return undefined;
    try {
      return loadConfigFile(file, new Set(this.environment.rules.map((rule) => rule.meta.id)));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.environment.log('error', `${error.message} — the file is ignored until it is fixed; the editor settings still apply.`, true);
      return undefined;
    }
  }
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** gitignore semantics relative to `base`; with no base (files outside every folder), the path from the root. */
function matches(matcher: Ignore, base: string | undefined, file: string): boolean {
  const relative = base ? path.relative(base, file) : path.relative(path.parse(file).root, file);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return false;
  return matcher.ignores(relative.split(path.sep).join('/'));
}
