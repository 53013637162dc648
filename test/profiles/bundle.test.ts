/**
 * The shipped bundles run with no node_modules anywhere near them: dist/cli.js (profile, help, version)
 * finds web-tree-sitter's .wasm files in tree-sitter/ beside it, and loads dist/cli-scan.js (the engine)
 * beside it only for scan and fix. Each is copied out of the repository and run there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOf, tempDir } from './helpers';

const dist = path.resolve('dist');

describe('dist/cli.js', () => {
  it('places frames in their enclosing function with the grammars copied next to it', () => {
    expect(fs.existsSync(path.join(dist, 'cli.js')), 'dist/cli.js is missing: run npm run build (npm test does)').toBe(true);
    const dir = tempDir();
    fs.copyFileSync(path.join(dist, 'cli.js'), path.join(dir, 'cli.js'));
    fs.cpSync(path.join(dist, 'tree-sitter'), path.join(dir, 'tree-sitter'), { recursive: true });
    const source = `package main

func work(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		total += i * i
	}
	return total
}

func main() {
	println(work(1000))
}
`;
    fs.writeFileSync(path.join(dir, 'main.go'), source);
    fs.writeFileSync(path.join(dir, 'go.folded'), 'main.main (main.go:12);main.work (main.go:6) 9\nmain.main (main.go:12) 1\n');
    const run = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'profile', 'go.folded', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const work = JSON.parse(run.stdout).functions.find((fn: { name: string }) => fn.name === 'main.work');
    expect(work).toMatchObject({ file: 'main.go', line: lineOf(source, 'func work'), self: 9 });
    expect(work.range).toEqual({ start: { line: 3, column: 1 }, end: { line: 9, column: 2 } });
  });

  it('runs help and --version without the engine beside it, and says so, in one line, when scan needs it', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(dist, 'cli.js'), path.join(dir, 'cli.js'));
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(dir, 'cli.js'), ...args], { cwd: dir, encoding: 'utf8' });
    expect(run('--version').stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run('help', 'profile').stdout).toContain('Usage: perflens profile');
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
    const scan = run('scan', 'a.ts');
    expect(scan.status).toBe(2);
    expect(scan.stderr).toBe('perflens: the scan engine (cli-scan.js) is missing next to cli.js: reinstall PerfLens\n');
    fs.copyFileSync(path.join(dist, 'cli-scan.js'), path.join(dir, 'cli-scan.js'));
    const found = run('scan', '--format', 'json', 'a.ts');
    expect(found.status, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({ files: 1, findings: [] });
  });
});
