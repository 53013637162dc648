/** Runs the CLI in-process against throw-away workspaces. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';
import type { Rule } from '../../src/analyzers/rule';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
  rules?: readonly Rule[];
}

export function run(argv: string[], options: RunOptions): CliRun {
  let stdout = '';
  let stderr = '';
  const code = runCli(
    argv,
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      cwd: options.cwd,
      isTTY: options.isTTY ?? false,
      env: options.env ?? {},
    },
    options.rules ? { rules: options.rules } : {},
  );
  return { code, stdout, stderr };
}

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A folder holding `files` (text or bytes), marked as a git repository root so that .gitignore
 * files above it (and configs in the temp folder) cannot leak in. Removed after each test.
 */
export function workspace(files: Record<string, string | Buffer>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-cli-')));
  created.push(root);
  fs.mkdirSync(path.join(root, '.git'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

export function read(root: string, name: string): string {
  return fs.readFileSync(path.join(root, name), 'utf8');
}

/** One-line `perflens: …` on stderr, and nothing that looks like a stack frame. */
export function expectOneLineError(result: CliRun): string {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1 || !lines[0].startsWith('perflens: ') || /^\s+at /m.test(result.stderr)) {
    throw new Error(`expected one "perflens: …" line on stderr, got:\n${result.stderr}`);
  }
  return lines[0];
}

/**
 * Async code with a blocking read per file of a listing, run by a route (growing data on a request path: a warning),
 * that sync-io-in-async fixes safely; the loop opens on the signature's line so that the read stays at 4:16, where
 * the tests look for it.
 */
export const BLOCKING_READ = `import fs from 'node:fs';

export async function loadTemplates(pages: Map<string, string>) { for (const name of await fs.promises.readdir('templates')) {
  const html = fs.readFileSync(\`templates/\${name}.html\`, 'utf8');
  pages.set(name, html);
}}
import express from 'express';
express().get('/templates', async (req, res) => {
  await loadTemplates(new Map());
  res.end();
});
`;

export const FIXED_READ = BLOCKING_READ.replace('fs.readFileSync(', 'await fs.promises.readFile(');

/** A blocking call per entry of a listing, run by a route, the rule reports without a fix (at 4:16, as the read). */
export const BLOCKING_EXEC = `import { execSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
export async function currentCommits(commits: string[]) { for (const repo of await readdir('repos')) {
  commits.push(execSync(\`git -C repos/\${repo} rev-parse HEAD\`).toString().trim());
}}
import express from 'express';
express().get('/commits', async (req, res) => {
  await currentCommits([]);
  res.end();
});
`;

export const CLEAN = `export async function load(path: string) {
  return path.length;
}
`;
