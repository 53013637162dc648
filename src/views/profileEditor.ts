/**
 * The profile view as a read-only custom editor: VS Code opens it for the profile file types
 * package.json lists (as an option, never the default) and for "PerfLens: Open Profile…". The file
 * is read in a worker of its own (profileLoad/), the page gets the model in chunks (ProfileSession),
 * and "open the source" opens the function's file beside the view.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadInWorker } from '../profileLoad/client';
import type { ViewData } from '../profileView/data';
import type { LineWeight } from '../profileView/lineHeat';
import { profileViewHtml } from './profileHtml';
import { ProfileSession } from './profileSession';
import { sourceFileOf } from './profileSource';

export const PROFILE_VIEW_TYPE = 'perflens.profileView';

export interface ProfileEditorOptions {
  extensionUri: vscode.Uri;
  /** dist/profileWorker.js */
  workerPath: string;
  log: vscode.LogOutputChannel;
  /** A profile was read: it becomes the editor's loaded profile (status bar, line heat). */
  onLoaded(file: string, data: ViewData, lines: LineWeight[]): void;
}

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly options: ProfileEditorOptions) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const { extensionUri, log } = this.options;
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    const file = document.uri.fsPath;
    const roots = sourceRoots(file);
    const session = new ProfileSession({
      post: (message) => webview.postMessage(message),
      openSource: (url, line, column, focus) => void openSource({ url, line, column, focus }, roots, log),
      log: (level, message) => log[level](message),
    });
    const closed = new AbortController();
    panel.onDidDispose(() => {
      closed.abort();
      session.dispose();
    });
    webview.onDidReceiveMessage((message: unknown) => session.receive(message));
    webview.html = profileViewHtml({
      script: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      style: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'profileView.css')).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      title: path.basename(file),
    });

    if (document.uri.scheme !== 'file') {
      session.loaded({ error: `PerfLens reads profiles from local files; ${document.uri.toString()} is not one` });
      return;
    }
    const started = performance.now();
    void loadInWorker(this.options.workerPath, { file, root: roots[0], readRoots: roots }, closed.signal).then((outcome) => {
      if ('error' in outcome) log.warn(`profile ${file}: ${outcome.error}`);
      else {
        log.info(`profile ${file} read in ${Math.round(performance.now() - started)} ms (${outcome.data.tree.parent.length} nodes)`);
        this.options.onLoaded(file, outcome.data, outcome.lines);
      }
      session.loaded(outcome);
    });
  }
}

/**
 * "PerfLens: Open Profile…": any file, in the profile view (whatever its name: the format is
 * read from the content).
 */
export async function openProfileCommand(uri?: unknown): Promise<void> {
  let target = uri instanceof vscode.Uri ? uri : undefined;
  if (!target) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Open Profile',
      title: 'PerfLens: Open Profile',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    target = picked?.[0];
  }
  if (target) await vscode.commands.executeCommand('vscode.openWith', target, PROFILE_VIEW_TYPE);
}

/**
 * Where the profile's relative names are resolved and the only folders it may make us read: the
 * workspace folder that holds it first, then the others; a profile outside every folder also
 * reads next to itself.
 */
function sourceRoots(file: string): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const holder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath;
  const roots = holder ? [holder, ...folders.filter((folder) => folder !== holder)] : [path.dirname(file), ...folders];
  return roots;
}

/**
 * Shows a frame's source beside the view in the preview tab, as the Explorer does: a click shows it
 * and leaves the focus in the view, so the keyboard and the next click carry on there; a
 * double-click or Enter (`focus`) moves into it.
 */
async function openSource(
  { url, line, column, focus }: { url: string; line: number; column: number; focus: boolean },
  roots: string[],
  log: vscode.LogOutputChannel,
): Promise<void> {
  const file = sourceFileOf(url, roots, isFile);
  if (!file) {
    // Not an error worth a notification: frames of Node's internals or another machine have no file here.
    log.info(`no local file for ${url}: not opened`);
    return;
  }
  const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(file), {
      viewColumn: vscode.ViewColumn.Beside,
      selection: new vscode.Range(position, position),
      preview: true,
      preserveFocus: !focus,
    });
  } catch (error) {
    log.warn(`could not open ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
