/**
 * `perflens profile --run -- COMMAND…`: runs COMMAND to its end with the profiler of profiles/record.ts preloaded,
 * then hands back the profile of the busiest process. COMMAND's own output goes to stderr so that `--format json` on
 * stdout stays parseable.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { ProfileError } from '../profiles/errors';
import { pickRecording, prepareRecording, type Recording } from '../profiles/record';

export interface RunRecording extends Recording {
  /** COMMAND's exit status (null when a signal ended it). */
  status: number | null;
  signal: string | null;
}

export function recordCpuProfile(
  command: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  forward: (text: string) => void,
): RunRecording {
  const setup = prepareRecording({ ...process.env, ...env });
  const result = spawnSync(command[0], command.slice(1), {
    cwd,
    env: setup.env,
    stdio: ['inherit', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.stdout?.length) forward(result.stdout.toString());
  if (result.stderr?.length) forward(result.stderr.toString());
  if (result.error) {
    fs.rmSync(setup.directory, { recursive: true, force: true });
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new ProfileError(
      code === 'ENOENT' ? `cannot run ${command[0]}: command not found` : `cannot run ${command[0]}: ${code ?? result.error.message}`,
    );
  }
  return { ...pickRecording(setup.directory, command[0]), status: result.status, signal: result.signal };
}
