/**
 * Recording a CPU profile of a command: a profiler preloaded into every Node.js process the command starts, through
 * NODE_OPTIONS=--require (so `node app.js`, `npm test` and `npx vitest` all work, child processes too — Node refuses
 * `--cpu-prof` in NODE_OPTIONS); afterwards the busiest process's profile is the recording. vscode-free: the CLI
 * (`perflens profile --run`) runs the command to its end, the editor ("PerfLens: Profile File") until it ends or the
 * user stops it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileError } from './errors';

/** A folder for one recording, and the environment that makes a command record into it. */
export interface RecordingSetup {
  directory: string;
  env: Record<string, string | undefined>;
}

export interface Recording {
  /** The chosen .cpuprofile (inside `directory`). */
  file: string;
  directory: string;
  /** The other processes profiled, when the command started several. */
  others: number;
}

/** Makes the recording's folder and preload; `env` is the command's environment with the profiler added. */
export function prepareRecording(env: Readonly<Record<string, string | undefined>>): RecordingSetup {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-run-'));
  const preload = path.join(directory, 'perflens-record.cjs');
  fs.writeFileSync(preload, PRELOAD);
  const nodeOptions = [env.NODE_OPTIONS, `--require=${JSON.stringify(preload)}`].filter(Boolean).join(' ');
  return { directory, env: { ...env, NODE_OPTIONS: nodeOptions, PERFLENS_RECORD_DIR: directory } };
}

/**
 * The busiest process's profile of a finished recording (the largest file). Throws a ProfileError, after removing the
 * folder, when the command ran no Node.js process.
 */
export function pickRecording(directory: string, program: string): Recording {
  const profiles = fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ file: path.join(directory, name), size: fs.statSync(path.join(directory, name)).size }))
    .sort((a, b) => b.size - a.size);
  if (profiles.length === 0) {
    fs.rmSync(directory, { recursive: true, force: true });
    throw new ProfileError(`${program} ran no Node.js process: only Node.js processes are recorded (through NODE_OPTIONS)`);
  }
  return { file: profiles[0].file, directory, others: profiles.length - 1 };
}

/**
 * Loaded into each Node.js process the command starts: the inspector's profiler runs from start-up to exit (1 ms
 * sampling, like --cpu-prof), and the profile is written when the process exits. On the main thread the inspector
 * answers synchronously, so this works inside the 'exit' handler. SIGINT and SIGTERM (the editor's Stop) end a
 * program that does not handle them itself through `process.exit`, so that the profile is written; a program that
 * handles them keeps its own behaviour.
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
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    const stop = () => { if (process.listenerCount(signal) === 1) process.exit(code); };
    process.on(signal, stop);
  }
}
`;
