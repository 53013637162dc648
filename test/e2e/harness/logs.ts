/**
 * The extension host logs of the run's code-server: one `exthost<N>/` folder per window under
 * `<user-data-dir>/logs/<session>/`, with VS Code's own `remoteexthost.log` and PerfLens's output
 * channel (`perflens.perflens/PerfLens.log`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ExtensionHostLog {
  dir: string;
  /** VS Code's log of the extension host: activations and their failures. */
  host: string;
  /** PerfLens's output channel, when PerfLens was activated in that window. */
  perflens: string | undefined;
}

export function extensionHostLogs(userDataDir: string): ExtensionHostLog[] {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return [];
  const result: ExtensionHostLog[] = [];
  for (const session of fs.readdirSync(logs)) {
    const sessionDir = path.join(logs, session);
    if (!fs.statSync(sessionDir).isDirectory()) continue;
    for (const entry of fs.readdirSync(sessionDir)) {
      if (!/^exthost\d+$/.test(entry)) continue;
      const dir = path.join(sessionDir, entry);
      const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8') : undefined);
      result.push({ dir, host: read('remoteexthost.log') ?? '', perflens: read(path.join('perflens.perflens', 'PerfLens.log')) });
    }
  }
  return result;
}

/**
 * Lines that say PerfLens went wrong: an `[error]` in its own channel, or a line of the extension
 * host's log at error level (or an activation failure) that names it.
 */
export function perflensErrors(logs: readonly ExtensionHostLog[]): string[] {
  const errors: string[] = [];
  for (const log of logs) {
    const where = path.basename(log.dir);
    for (const line of (log.perflens ?? '').split('\n')) {
      if (/\[error\]/.test(line)) errors.push(`${where}/PerfLens.log: ${line}`);
    }
    const lines = log.host.split('\n');
    lines.forEach((line, index) => {
      const isError = /\[error\]/.test(line) || /Activating extension .* failed/.test(line);
      // An error line's stack follows it: the extension's id or its files may be named there.
      const context = [line, ...lines.slice(index + 1, index + 8).filter((next) => !/^\d{4}-\d\d-\d\d /.test(next))].join('\n');
      if (isError && /perflens/i.test(context)) errors.push(`${where}/remoteexthost.log: ${context}`);
    });
  }
  return errors;
}
