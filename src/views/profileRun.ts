/**
 * "PerfLens: Profile File": runs a JavaScript file of the workspace with Node's CPU profiler (profiles/record.ts, the
 * same preload as `perflens profile --run`), keeps the profile in `.perflens/profiles/` and opens it in the profile
 * view — line heat in the editors, and the findings weighed by it. A notification shows the run with a Cancel button
 * (the run is ended and its profile discarded); "PerfLens: Stop Profiling" — also the status bar item shown while it
 * runs — ends a program that would not end by itself (a server) and keeps what was recorded. Its output goes to the
 * PerfLens output channel. Only in a trusted workspace: running a file runs its code (extension.ts refuses it before).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_KEEP, ignoresPerflens, keepRecording, PERFLENS_DIR, PROFILES_DIR } from '../profiles/keep';
import { pickRecording, prepareRecording } from '../profiles/record';
import { KEEP_SETTING } from '../settings';
import { PROFILE_VIEW_TYPE } from './profileEditor';

export const PROFILE_FILE_COMMAND = 'perflens.profileFile';
export const STOP_PROFILING_COMMAND = 'perflens.stopProfiling';

/** What this command runs with Node; TypeScript needs a build or a loader whose lines map back (not yet: said so). */
const RUNNABLE = /\.(?:js|mjs|cjs)$/i;

interface Run {
  child: ChildProcess;
  /** How the run is to end: 'stop' keeps the profile, 'cancel' discards it. */
  ending?: 'stop' | 'cancel';
}

export class ProfileRunner implements vscode.Disposable {
  private run: Run | undefined;
  /** Made at the first run, not at activation. */
  private status: vscode.StatusBarItem | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Profiles `target` (a file URI), or the active editor's file. */
  async profileFile(target?: unknown): Promise<void> {
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('PerfLens: open a JavaScript file of the workspace to profile it.');
      return;
    }
    if (!RUNNABLE.test(uri.fsPath)) {
      void vscode.window.showInformationMessage(
        `PerfLens: Profile File runs JavaScript with Node. For ${path.basename(uri.fsPath)}, profile the JavaScript it is built to, with its source maps: the profile then points at the TypeScript lines.`,
      );
      return;
    }
    if (this.run) {
      void vscode.window.showInformationMessage(
        'PerfLens: a profile is being recorded already. Stop it first ("PerfLens: Stop Profiling").',
      );
      return;
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const root = folder?.uri.fsPath ?? path.dirname(uri.fsPath);
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString());
    if (document?.isDirty) await document.save();
    await this.record(uri.fsPath, root);
  }

  /** Ends the run in progress and keeps its profile. */
  stop(): void {
    const run = this.run;
    if (!run) {
      void vscode.window.showInformationMessage('PerfLens: no profile is being recorded.');
      return;
    }
    run.ending ??= 'stop';
    run.child.kill('SIGINT');
  }

  dispose(): void {
    if (this.run) {
      this.run.ending = 'cancel';
      this.run.child.kill('SIGKILL');
    }
    this.status?.dispose();
  }

  private async record(file: string, root: string): Promise<void> {
    const setup = prepareRecording(process.env);
    const command = ['node', path.relative(root, file) || file];
    const started = new Date();
    let exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error };
    try {
      exit = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `PerfLens: profiling ${path.basename(file)}`, cancellable: true },
        (progress, token) =>
          new Promise((resolve) => {
            this.log.info(`profiling: ${command.join(' ')} (in ${root})`);
            const child = spawn(command[0], command.slice(1), { cwd: root, env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
            const run: Run = { child };
            this.run = run;
            const status = this.statusItem();
            status.text = '$(debug-stop) Stop profiling';
            status.tooltip = `PerfLens: stop ${path.basename(file)} and open what was recorded`;
            status.show();
            progress.report({ message: 'running… Cancel discards the run; "Stop Profiling" keeps it.' });
            token.onCancellationRequested(() => {
              run.ending ??= 'cancel';
              child.kill('SIGKILL');
            });
            child.stdout?.on('data', (chunk: Buffer) => this.log.info(chunk.toString().trimEnd()));
            child.stderr?.on('data', (chunk: Buffer) => this.log.warn(chunk.toString().trimEnd()));
            child.on('error', (error) => resolve({ code: null, signal: null, error }));
            child.on('close', (code, signal) => resolve({ code, signal }));
          }),
      );
    } finally {
      const ending = this.run?.ending;
      this.run = undefined;
      this.status?.hide();
      if (ending === 'cancel') fs.rmSync(setup.directory, { recursive: true, force: true });
    }
    if (exit.error) {
      fs.rmSync(setup.directory, { recursive: true, force: true });
      const missing = (exit.error as NodeJS.ErrnoException).code === 'ENOENT';
      void vscode.window.showErrorMessage(`PerfLens: cannot run node${missing ? ': it is not on the PATH' : `: ${exit.error.message}`}.`);
      return;
    }
    if (!fs.existsSync(setup.directory)) {
      void vscode.window.showInformationMessage(`PerfLens: the run of ${path.basename(file)} was cancelled; nothing was kept.`);
      return;
    }
    await this.keepAndOpen(setup.directory, command, root, started, exit);
  }

  private async keepAndOpen(
    directory: string,
    command: string[],
    root: string,
    when: Date,
    exit: { code: number | null; signal: NodeJS.Signals | null },
  ): Promise<void> {
    let kept: string;
    let first: boolean;
    try {
      const recording = pickRecording(directory, command[0]);
      const keep = vscode.workspace.getConfiguration('perflens').get<number>(KEEP_SETTING, DEFAULT_KEEP);
      ({ file: kept, first } = keepRecording(recording.file, { root, command, when, keep: keepCount(keep) }));
    } catch (error) {
      void vscode.window.showErrorMessage(
        `PerfLens: could not keep the profile in ${PROFILES_DIR}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
    const how =
      exit.code === 0 || exit.signal === 'SIGINT' || exit.code === 130 ? '' : ` (it exited with ${exit.signal ?? `code ${exit.code}`})`;
    this.log.info(`profile kept: ${kept}${how}`);
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(kept), PROFILE_VIEW_TYPE);
    void vscode.window.setStatusBarMessage(`PerfLens: profile kept in ${path.relative(root, kept)}${how}`, 10_000);
    if (first && ignoresPerflens(root) === false) void this.offerToIgnore(root);
  }

  private statusItem(): vscode.StatusBarItem {
    if (!this.status) {
      this.status = vscode.window.createStatusBarItem('perflens.profiling', vscode.StatusBarAlignment.Left, 100);
      this.status.name = 'PerfLens Profiling';
      this.status.command = STOP_PROFILING_COMMAND;
    }
    return this.status;
  }

  /** The first recording kept in a workspace under git: offer to keep `.perflens/` out of it. */
  private async offerToIgnore(root: string): Promise<void> {
    const choice = await vscode.window.showInformationMessage(
      `PerfLens keeps recorded profiles in ${PERFLENS_DIR}/. Add it to .gitignore?`,
      'Add to .gitignore',
    );
    if (choice !== 'Add to .gitignore') return;
    const file = path.join(root, '.gitignore');
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    fs.appendFileSync(file, `${before === '' || before.endsWith('\n') ? '' : '\n'}${PERFLENS_DIR}/\n`);
  }
}

/** `perflens.profile.keep`: how many recordings `.perflens/profiles/` keeps; anything unusable is the default. */
function keepCount(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : DEFAULT_KEEP;
}
