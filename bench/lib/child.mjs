// Runs a Node program in a child process and reports what it cost: CPU time (user + system,
// all threads) and peak resident memory, measured by the child itself (usage-probe.mjs).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
const PROBE = new URL('./usage-probe.mjs', import.meta.url).href;

/**
 * @param {string[]} args arguments after `node` (a script and its arguments)
 * @param {{ cwd: string }} options
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string,
 *   cpuMs: number, userMs: number, systemMs: number, maxRssBytes: number, wallMs: number }>}
 */
export async function measureNode(args, { cwd }) {
  const usageFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-bench-')), 'usage.json');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PROBE, ...args], {
    cwd,
    env: { ...process.env, PERFLENS_BENCH_USAGE: usageFile, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  const { code, signal } = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  const wallMs = performance.now() - started;
  let usage;
  try {
    usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  } catch {
    throw new Error(
      `node ${args.join(' ').slice(0, 120)}… left no usage report (exit ${code ?? signal})\n${Buffer.concat(stderr).toString().slice(-2000)}`,
    );
  } finally {
    fs.rmSync(path.dirname(usageFile), { recursive: true, force: true });
  }
  return {
    code,
    signal,
    stdout: Buffer.concat(stdout).toString(),
    stderr: Buffer.concat(stderr).toString(),
    cpuMs: usage.userMs + usage.systemMs,
    userMs: usage.userMs,
    systemMs: usage.systemMs,
    maxRssBytes: usage.maxRssBytes,
    wallMs,
  };
}
