/**
 * The one place that reads `perflens.*` from VS Code: per workspace folder (the settings are
 * resource-scoped), cached until the configuration changes, each problem logged once.
 */
import * as vscode from 'vscode';
import { parseSettings, SETTINGS_SECTION, type PerfLensSettings } from '../settings';

export class SettingsReader {
  private readonly cache = new Map<string, PerfLensSettings>();
  private readonly reported = new Set<string>();
  private knownRules: ReadonlySet<string> | undefined;

  constructor(private readonly warn: (message: string) => void) {}

  /** Rule ids become checkable once the worker has said which rules exist. */
  setKnownRules(ids: Iterable<string>): void {
    this.knownRules = new Set(ids);
    this.invalidate();
  }

  invalidate(): void {
    this.cache.clear();
    // A problem still there after a change is worth one more line: the user just edited settings.
    this.reported.clear();
  }

  /** The settings for `uri`'s workspace folder, or the window's for files outside every folder. */
  for(uri: vscode.Uri | undefined): PerfLensSettings {
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    const key = folder?.uri.toString() ?? '';
    const cached = this.cache.get(key);
    if (cached) return cached;
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri ?? null);
    const { settings, problems } = parseSettings((name) => configuration.get(name), this.knownRules);
    for (const problem of problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.warn(`${problem}${folder ? ` (workspace folder ${folder.name})` : ''}`);
    }
    this.cache.set(key, settings);
    return settings;
  }
}
