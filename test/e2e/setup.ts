/**
 * Global setup of `npm run test:e2e`: the .vsix to test (built by `npm run package` when there is
 * none), then one fresh, isolated code-server for the whole run with the .vsix installed into it.
 * Each test opens its own window (a fresh extension host) on its own copy of a fixture workspace.
 * At the end the server's own log and the extension host logs are kept in test-results/e2e/logs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from './harness/codeServer';
import { RESULTS_DIR, ROOT } from './harness/workbench';

export interface ProvidedServer {
  url: string;
  /** The server's temporary folder: workspaces are copied into it. */
  root: string;
  userDataDir: string;
  vsix: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    codeServer: ProvidedServer;
  }
}

function vsixPath(): string {
  if (process.env.PERFLENS_VSIX) return path.resolve(process.env.PERFLENS_VSIX);
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(ROOT, `perflens-${version}.vsix`);
  if (!fs.existsSync(vsix)) {
    console.log(`[e2e] ${path.basename(vsix)} is missing: npm run package`);
    const built = spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run package failed');
  }
  return vsix;
}

/** The part of vitest's TestProject the setup uses (vitest/node is ESM-only; this file is not). */
interface Project {
  provide(key: 'codeServer', value: ProvidedServer): void;
}

export default async function setup(project: Project): Promise<() => Promise<void>> {
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const vsix = vsixPath();
  const logFile = path.join(RESULTS_DIR, 'code-server.log');
  const started = Date.now();
  const server = await startCodeServer({ vsix, logFile });
  console.log(`[e2e] code-server ${server.url} up in ${Date.now() - started} ms, testing ${path.relative(ROOT, vsix)}`);
  project.provide('codeServer', { url: server.url, root: server.root, userDataDir: server.userDataDir, vsix });

  return async () => {
    await server.stop();
    const logs = path.join(server.userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(RESULTS_DIR, 'logs'), { recursive: true });
    fs.rmSync(server.root, { recursive: true, force: true });
  };
}
