/**
 * `perflens profile --run -- COMMAND…`: runs COMMAND with a CPU profiler preloaded into every
 * Node.js process through NODE_OPTIONS=--require (so `node app.js`, `npm test` and `npx vitest`
 * all work, child processes too — Node refuses `--cpu-prof` in NODE_OPTIONS), then hands back the
 * profile of the busiest process. COMMAND's own output goes to stderr so that `--format json` on
 * stdout stays parseable.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileError } from '../profiles/errors';

export interface Recording {
  /** The chosen .cpuprofile (inside `directory`). */
  file: string;
  directory: string;
  /** COMMAND's exit status (null when a signal ended it). */
  status: number | null;
  signal: string | null;
  /** The other processes profiled, when COMMAND started several. */
  others: number;
}

export function recordCpuProfile(
  command: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  forward: (text: string) => void,
): Recording {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-run-'));
  const preload = path.join(directory, 'perflens-record.cjs');
  fs.writeFileSync(preload, PRELOAD);
  const nodeOptions = [env.NODE_OPTIONS, `--require=${JSON.stringify(preload)}`].filter(Boolean).join(' ');
  const result = spawnSync(command[0], command.slice(1), {
    cwd,
    env: { ...process.env, ...env, NODE_OPTIONS: nodeOptions, PERFLENS_RECORD_DIR: directory },
    stdio: ['inherit', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.stdout?.length) forward(result.stdout.toString());
  if (result.stderr?.length) forward(result.stderr.toString());
  if (result.error) {
    fs.rmSync(directory, { recursive: true, force: true });
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new ProfileError(
      code === 'ENOENT' ? `cannot run ${command[0]}: command not found` : `cannot run ${command[0]}: ${code ?? result.error.message}`,
    );
  }
  const profiles = fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ file: path.join(directory, name), size: fs.statSync(path.join(directory, name)).size }))
    .sort((a, b) => b.size - a.size);
  if (profiles.length === 0) {
    fs.rmSync(directory, { recursive: true, force: true });
    throw new ProfileError(`${command[0]} ran no Node.js process: --run records Node.js processes (through NODE_OPTIONS)`);
  }
  return { file: profiles[0].file, directory, status: result.status, signal: result.signal, others: profiles.length - 1 };
}

/**
 * Loaded into each Node.js process COMMAND starts: the inspector's profiler runs from start-up to
 * exit (1 ms sampling, like --cpu-prof), and the profile is written when the process exits. On
 * the main thread the inspector answers synchronously, so this works inside the 'exit' handler.
 */
const PRELOAD = `'use strict';
const inspector = require('node:inspector');
const { isMainThread } = require('node:worker_threads');
if (isMainThread && process.env.PERFLENS_RECORD_DIR) {
  const directory = process.env.PERFLENS_RECORD_DIR;
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) require('node:fs').writeFileSync(require('node:path').join(directory, process.pid + '.cpuprofile'), JSON.stringify(result.profile));
    });
  });
}
`;
