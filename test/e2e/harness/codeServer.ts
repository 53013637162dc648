/**
 * A code-server of our own per run: isolated state under a temporary folder (config, data,
 * cache, user data, extensions), the PerfLens .vsix installed with --install-extension, bound to
 * 127.0.0.1 (webviews need a secure context), started in its own process group and killed as a
 * group. See shared/notes/real-vscode.md for why each flag and setting is there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { HUNG_MS } from '../../helpers/hung';

export interface CodeServerOptions {
  vsix: string;
  /** Workspace trust on (only the trust test wants it): no --disable-workspace-trust, trust enabled in settings. */
  workspaceTrust?: boolean;
  /** More user settings, on top of the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Where the server's output goes (appended), for post-mortems. */
  logFile?: string;
}

export interface RunningCodeServer {
  url: string;
  /** The temporary folder holding all of this server's state. */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  /** URL that opens `folder` in a fresh window. */
  folderUrl(folder: string): string;
  stop(): Promise<void>;
}

/** Settings that take noise and flakiness out of the workbench. */
const QUIET_SETTINGS: Record<string, unknown> = {
  // Essential: otherwise a quick fix is saved to disk behind the test's back.
  'files.autoSave': 'off',
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.surveys.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.codeLens': false,
  // TypeScript's own diagnostics (a fixture imports packages that are not installed) would
  // crowd the Problems panel, and their late arrival cancels a pending quick-fix menu.
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
};

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  // The installer is plain JS (an ES module) so that .ci/run and developers can run it on its own.
  const { install } = await import('../../../scripts/e2e-install.mjs');
  const installation = install();
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-e2e-server-')));
  const dirs = {
    config: path.join(root, 'config'),
    data: path.join(root, 'data'),
    cache: path.join(root, 'cache'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dirs.config, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const settings = { ...QUIET_SETTINGS, 'security.workspace.trust.enabled': options.workspaceTrust === true, ...options.settings };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...withoutNpmVariables(process.env),
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    PATH: `${installation.nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  const common = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const log = (text: string) => options.logFile && fs.appendFileSync(options.logFile, text);

  // Installing is what a user does: `code --install-extension perflens-0.1.0.vsix`. Exit 1 on failure.
  const installed = spawnSync(installation.node, [installation.codeServer, ...common, '--install-extension', options.vsix, '--force'], {
    env,
    encoding: 'utf8',
    timeout: HUNG_MS,
  });
  log(`$ code-server --install-extension ${options.vsix}\n${installed.stdout}${installed.stderr}\n`);
  if (installed.status !== 0) {
    throw new Error(`code-server --install-extension ${options.vsix} failed (${installed.status}): ${installed.stdout}${installed.stderr}`);
  }

  const port = await freePort();
  const args = [
    installation.codeServer,
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--reconnection-grace-time',
    '10',
  ];
  // detached: the server leads its own process group (setsid), so the extension host, the
  // TypeScript servers and the PerfLens worker all go when the group is killed.
  const child = spawn(installation.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child);
  try {
    await waitForHealth(url, child, HUNG_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    root,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(folder)}`,
    stop,
  };
}

function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_/i.test(key) || key === 'NODE_OPTIONS' || key === 'INIT_CWD' || key.startsWith('VITEST') || key === 'NODE_ENV') continue;
    clean[key] = value;
  }
  return clean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `code-server exited (${signal ?? code}) before it was healthy`));
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Stragglers of the group (a TypeScript server, the worker) get no second chance.
  kill('SIGKILL');
}
