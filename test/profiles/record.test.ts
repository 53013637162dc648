/**
 * profiles/record.ts: the preload records a program that ends by itself, one that is stopped (a server: SIGINT, as
 * the editor's Stop sends), and leaves a program's own signal handler in charge. Each run is a real `node` process;
 * the test waits for the program to say it is running rather than for a time.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '../../src/profiles/errors';
import { pickRecording, prepareRecording } from '../../src/profiles/record';
import { tempDir } from './helpers';

function script(text: string): string {
  const file = path.join(tempDir('perflens-record-src-'), 'program.js');
  fs.writeFileSync(file, text);
  return file;
}

/** Starts `file` under the recorder, sends `signal` once it printed "ready", and resolves with how it ended. */
function runUntilReady(
  file: string,
  signal: NodeJS.Signals,
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready') && !child.killed) child.kill(signal);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('recording a Node.js program', () => {
  it('a program that ends by itself leaves its profile', () => {
    const setup = prepareRecording(process.env);
    const result = spawnSync(process.execPath, [script('let x = 0; for (let i = 0; i < 1e6; i++) x += i; console.log(x > 0);')], {
      env: setup.env,
    });
    expect(result.status).toBe(0);
    const recording = pickRecording(setup.directory, 'node');
    expect(JSON.parse(fs.readFileSync(recording.file, 'utf8')).nodes.length).toBeGreaterThan(0);
    fs.rmSync(setup.directory, { recursive: true, force: true });
  });

  it('a server stopped with SIGINT (the editor’s Stop) exits 130 and leaves its profile', async () => {
    const setup = prepareRecording(process.env);
    const server = script("setInterval(() => {}, 1000); console.log('ready');");
    const { code } = await runUntilReady(server, 'SIGINT', setup.env);
    expect(code).toBe(130);
    expect(fs.readdirSync(setup.directory).filter((name) => name.endsWith('.cpuprofile'))).toHaveLength(1);
    fs.rmSync(setup.directory, { recursive: true, force: true });
  });

  it('a program with its own SIGTERM handler keeps it: its handler runs, and its profile is still written when it exits', async () => {
    const setup = prepareRecording(process.env);
    const own = script(
      "process.on('SIGTERM', () => { console.log('cleaning up'); setTimeout(() => process.exit(7), 20); });\n" +
        "setInterval(() => {}, 1000); console.log('ready');",
    );
    const { code, out } = await runUntilReady(own, 'SIGTERM', setup.env);
    expect(code).toBe(7);
    expect(out).toContain('cleaning up');
    expect(fs.readdirSync(setup.directory).filter((name) => name.endsWith('.cpuprofile'))).toHaveLength(1);
    fs.rmSync(setup.directory, { recursive: true, force: true });
  });

  it('a command that starts no Node.js process is refused, and its folder removed', () => {
    const setup = prepareRecording(process.env);
    expect(() => pickRecording(setup.directory, 'true')).toThrow(ProfileError);
    expect(fs.existsSync(setup.directory)).toBe(false);
  });
});
