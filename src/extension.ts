/**
 * activate(): wiring only. The engine lives in a worker thread (dist/worker.js); this file
 * connects it to diagnostics, code actions, commands and settings. No analysis logic here, and
 * nothing that loads ts-morph: the extension host's main thread stays light and responsive.
 */
import * as vscode from 'vscode';
import { PerfLensCodeActions, SHOW_DOCUMENTATION_COMMAND } from './codeActions/provider';
import { DiagnosticsView } from './views/diagnostics';
import { CLEAR_PROFILE_COMMAND, LoadedProfile, TOGGLE_HEAT_COMMAND } from './views/loadedProfile';
import { openProfileCommand, PROFILE_VIEW_TYPE, ProfileEditorProvider } from './views/profileEditor';
import { PROFILE_FILE_COMMAND, ProfileRunner, STOP_PROFILING_COMMAND } from './views/profileRun';
import { ANALYZED_LANGUAGES, LiveAnalysis } from './views/liveAnalysis';
import { HOT_SHARE_SETTING, hotShareOf } from './settings';
import { scanWorkspace } from './views/scanWorkspace';
import { SettingsReader } from './views/settingsReader';
import { AnalysisWorker } from './worker/client';
import type { LogLevel, MeasuredProfile, RuleInfo } from './worker/protocol';

/** Everything the commands and providers share, built once per activation. */
interface PerfLens {
  log: vscode.LogOutputChannel;
  client: AnalysisWorker;
  live: LiveAnalysis;
  runner: ProfileRunner;
}

/** Every command, from one map: each one behaves defined when the worker is not running. */
const COMMANDS: Record<string, (perflens: PerfLens) => (...args: unknown[]) => unknown> = {
  'perflens.scanWorkspace': (perflens) => () => scanWorkspace(perflens),
  'perflens.restartWorker':
    ({ client, log }) =>
    () => {
      log.info('restarting the analysis worker (by command)');
      client.restart();
    },
  'perflens.showOutput':
    ({ log }) =>
    () =>
      log.show(true),
  [PROFILE_FILE_COMMAND]:
    ({ runner }) =>
    (uri?: unknown) =>
      runner.profileFile(uri),
  [STOP_PROFILING_COMMAND]:
    ({ runner }) =>
    () =>
      runner.stop(),
  [SHOW_DOCUMENTATION_COMMAND]: () => (url: unknown) => {
    // Only our own documentation links: the argument comes from a code action, but a command can be run by anyone.
    if (typeof url === 'string' && /^https:\/\//.test(url)) return vscode.env.openExternal(vscode.Uri.parse(url));
    return undefined;
  },
};

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const log = vscode.window.createOutputChannel('PerfLens', { log: true });
  context.subscriptions.push(log);
  try {
    const measurement = new LoadedMeasurement();
    context.subscriptions.push(measurement);
    wireProfileView(context, log, measurement);
    // In a workspace not trusted, only profiles are shown (reading a file runs nothing); analysis
    // starts once the user trusts it. package.json declares this as limited support.
    if (vscode.workspace.isTrusted === false) waitForTrust(context, log, measurement);
    else wire(context, log, measurement);
  } catch (error) {
    // Shown, not swallowed: a PerfLens that silently does nothing is worse than an error.
    const message = error instanceof Error ? error.message : String(error);
    log.error(`activation failed: ${error instanceof Error && error.stack ? error.stack : message}`);
    void vscode.window.showErrorMessage(`PerfLens failed to start: ${message}`, 'Show Output').then((choice) => {
      if (choice) log.show(true);
    });
    throw error;
  }
  // Wall time stretches when the machine is busy; the CPU time the extension host's process spent
  // meanwhile (all its threads, so an upper bound of activate()'s own) is the cost PerfLens adds.
  const cpu = process.cpuUsage(cpuAtStart);
  log.info(`activated in ${Math.round(performance.now() - started)} ms (${Math.round((cpu.user + cpu.system) / 1000)} ms CPU)`);
}

export function deactivate(): void {
  // Everything is in context.subscriptions (the worker included), disposed by VS Code.
}

/**
 * Restricted Mode: the analysis commands say why they wait instead of being missing ("command not
 * found"), until the user trusts the workspace; then they give way to the real ones.
 */
function waitForTrust(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, measurement: LoadedMeasurement): void {
  log.info('the workspace is not trusted: analysis waits for trust; the profile view works');
  const waiting = Object.keys(COMMANDS).map((id) =>
    vscode.commands.registerCommand(id, () => {
      if (id === 'perflens.showOutput') return log.show(true);
      if (id === PROFILE_FILE_COMMAND || id === STOP_PROFILING_COMMAND)
        return vscode.window.showInformationMessage(
          'PerfLens runs a program only in a trusted workspace: profiling a file runs its code, and this workspace is in Restricted Mode. Profiles you recorded open in the meantime.',
        );
      return vscode.window.showInformationMessage(
        'PerfLens analyses code once you trust this workspace (it is in Restricted Mode). Profiles open in the meantime.',
      );
    }),
  );
  context.subscriptions.push(
    ...waiting,
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const command of waiting) command.dispose();
      wire(context, log, measurement);
    }),
  );
}

/**
 * The profile view: its custom editor, "PerfLens: Open Profile…", and the loaded profile's status
 * bar item and line heat — made when the first profile is read, not at activation.
 */
/**
 * The CPU profile loaded in the profile view, for the analysis that weighs findings by it: the view may load one
 * before analysis starts (Restricted Mode, or a profile opened first), so the last one is kept.
 */
class LoadedMeasurement implements vscode.Disposable {
  current: MeasuredProfile | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  set(profile: MeasuredProfile | null): void {
    this.current = profile;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function wireProfileView(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, measurement: LoadedMeasurement): void {
  let loaded: LoadedProfile | undefined;
  const loadedProfile = (): LoadedProfile => {
    if (!loaded) {
      loaded = new LoadedProfile((profile) => measurement.set(profile));
      context.subscriptions.push(loaded);
    }
    return loaded;
  };
  const provider = new ProfileEditorProvider({
    extensionUri: context.extensionUri,
    workerPath: context.asAbsolutePath('dist/profileWorker.js'),
    log,
    onLoaded: (file, data, lines) => loadedProfile().load(file, data, lines),
  });
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(PROFILE_VIEW_TYPE, provider, {
      // The page holds the model and its zoom: keep it when the tab is in the background.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('perflens.openProfile', (uri?: unknown) => openProfileCommand(uri)),
    vscode.commands.registerCommand(CLEAR_PROFILE_COMMAND, () => loaded?.clear()),
    vscode.commands.registerCommand(TOGGLE_HEAT_COMMAND, () => loadedProfile().toggleHeat()),
  );
}

function wire(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, measurement: LoadedMeasurement): void {
  const rules = new Map<string, RuleInfo>();
  const docsUrl = (rule: string): string | undefined => rules.get(rule)?.docsUrl;
  const settings = new SettingsReader((message) => log.warn(message));
  const diagnostics = new DiagnosticsView(docsUrl);
  const notified = new Set<string>();

  // The client's callbacks reach the live analysis created right after it (it needs the client).
  const late: { live?: LiveAnalysis } = {};
  const client = new AnalysisWorker({
    workerPath: context.asAbsolutePath('dist/worker.js'),
    log: (level: LogLevel, message: string) => log[level](message),
    onFindings: (result) => late.live?.showFindings(result),
    onReady: (catalogue, ms) => {
      log.info(`analysis worker ready in ${ms} ms (${catalogue.length} rules)`);
      rules.clear();
      for (const rule of catalogue) rules.set(rule.id, rule);
      settings.setKnownRules(rules.keys());
      late.live?.start();
    },
    onCrash: ({ reason, willRestart, notify }) => {
      if (!notify) return;
      const next = willRestart ? 'It is being restarted.' : 'Run "PerfLens: Restart Analysis Worker" to try again.';
      void vscode.window.showErrorMessage(`PerfLens: the analysis worker crashed (${reason}). ${next}`, 'Show Output').then((choice) => {
        if (choice) log.show(true);
      });
    },
    onNotify: (message) => {
      if (notified.has(message)) return;
      notified.add(message);
      void vscode.window.showWarningMessage(`PerfLens: ${message}`);
    },
  });
  const live = new LiveAnalysis(client, diagnostics, settings);
  late.live = live;
  context.subscriptions.push(diagnostics, live, { dispose: () => client.dispose() });

  // Findings weighed by the loaded CPU profile: the worker answers the open documents again with it.
  const sendProfile = (): void =>
    client.setProfile(measurement.current, hotShareOf(vscode.workspace.getConfiguration('perflens').get(HOT_SHARE_SETTING)));
  if (measurement.current) sendProfile();
  context.subscriptions.push(
    measurement.onDidChange(sendProfile),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`perflens.${HOT_SHARE_SETTING}`) && measurement.current) sendProfile();
    }),
  );

  const runner = new ProfileRunner(log);
  context.subscriptions.push(runner);
  const perflens: PerfLens = { log, client, live, runner };
  for (const [id, factory] of Object.entries(COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(perflens)));
  }

  const codeActions = new PerfLensCodeActions({
    diagnostics,
    client,
    docsUrl,
    accepts: (document) => live.isTracked(document) && settings.for(document.uri).enable,
    log: (message) => log.warn(message),
  });
  const selector = ANALYZED_LANGUAGES.map((language) => ({ language, scheme: 'file' }));
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider(selector, codeActions, PerfLensCodeActions.metadata));

  client.start();
}
