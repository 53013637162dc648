/**
 * Issue 10: `--fix` never loses or silently changes a user's file. After every write that fails
 * or is refused, the original is byte for byte what it was, nothing else appears beside it, and
 * the report says "left unchanged: <why>". A full disk and a crash mid-write are real: a small
 * tmpfs, and the built CLI under `ulimit -f` in a child process (`npm run build` first when
 * running this file alone; `npm test` builds before vitest).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validSarif } from '../helpers/sarif';
import { rulesById } from '../helpers/rules';
import { defineRule, type Rule } from '../../src/analyzers/rule';
import { CHANGED_ON_DISK, replaceFile, TEMP_MARKER } from '../../src/cli/replaceFile';
import { shrink } from '../cli/fakeRules';
import { BLOCKING_READ, FIXED_READ, read, run, workspace } from '../cli/helpers';

const syncIo = rulesById.get('sync-io-in-async') as Rule;
const CLI = path.resolve(__dirname, '../../dist/cli.js');
const isRoot = process.getuid?.() === 0;

interface JsonReport {
  findings: Array<{ rule: string }>;
  errors: Array<{ file: string; message: string }>;
  fixed?: { files: number; fixes: number; unchanged: number };
}

function fixJson(cwd: string, paths: string[] = [], rules: readonly Rule[] = [syncIo]): { code: number; json: JsonReport } {
  // The blocking reads are infos until a profile measures them: listed with --min-severity info.
  const result = run(['fix', '--format', 'json', '--min-severity', 'info', ...paths], { cwd, rules });
  expect(result.stderr).toBe('');
  return { code: result.code, json: JSON.parse(result.stdout) as JsonReport };
}

/** Every regular file under `dir` with its bytes: what is there, and nothing else (no temporary copy). */
function contents(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = path.join(dir, name);
    if (fs.lstatSync(file).isFile()) files[name] = fs.readFileSync(file);
  }
  return files;
}

/** BLOCKING_READ (one safe fix) grown past `bytes` with a comment. */
function largeBlockingRead(bytes: number): string {
  const line = `// ${'padding '.repeat(12)}\n`;
  return `${line.repeat(Math.ceil(bytes / line.length))}${BLOCKING_READ}`;
}

describe('--fix on a full disk', () => {
  it('leaves the file byte-identical and says why', (context) => {
    const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      fs.rmdirSync(mount);
      const reason = `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || `mount exited ${mounted.status}`).trim()})`;
      console.warn(`skipped the disk-full case: ${reason}`);
      context.skip(reason);
    }
    try {
      const root = path.join(mount, 'work');
      fs.mkdirSync(path.join(root, '.git'), { recursive: true });
      const original = Buffer.from(largeBlockingRead(8 * 1024));
      fs.writeFileSync(path.join(root, 'a.ts'), original);
      fillUp(path.join(mount, 'filler'));
      expect(fs.statfsSync(mount).bavail).toBe(0);

      const { code, json } = fixJson(root);

      expect(contents(root)).toEqual({ 'a.ts': original });
      expect(json.errors).toEqual([
        { file: 'a.ts', message: 'left unchanged: could not write the fixed copy beside it: ENOSPC: no space left on device' },
      ]);
      expect(json.findings.map((finding) => finding.rule)).toEqual(['sync-io-in-async']);
      expect(json.fixed).toEqual({ files: 0, fixes: 0, unchanged: 1 });
      expect(code).toBe(1);
    } finally {
      spawnSync('umount', [mount]);
      fs.rmdirSync(mount);
    }
  });
});

function fillUp(file: string): void {
  const fd = fs.openSync(file, 'w');
  const page = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, page);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

describe('--fix in the built CLI, as another process', () => {
  beforeAll(() => {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does it before vitest)');
  });

  it('keeps the original intact when a file-size limit stops the write half-way (a crash mid-write)', () => {
    const root = workspace({ 'big.ts': largeBlockingRead(8 * 1024) });
    const original = fs.readFileSync(path.join(root, 'big.ts'));
    // 6 blocks of 1 KB: the fixed copy (over 8 KB) cannot be written whole. Node ignores
    // SIGXFSZ, so the write fails with EFBIG and PerfLens removes its temporary copy itself.
    const result = spawnSync(
      'bash',
      ['-c', 'ulimit -f 6 && exec "$@"', 'bash', process.execPath, CLI, 'fix', '--format', 'json', '--min-severity', 'info', 'big.ts'],
      { cwd: root, encoding: 'utf8' },
    );

    expect(contents(root)).toEqual({ 'big.ts': original });
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as JsonReport;
    expect(json.errors).toEqual([
      { file: 'big.ts', message: 'left unchanged: could not write the fixed copy beside it: EFBIG: file too large' },
    ]);
    expect(json.fixed).toEqual({ files: 0, fixes: 0, unchanged: 1 });
    expect(result.status).toBe(1);
  });

  it('leaves a file alone when its owner cannot be kept, or when the user may not write it', (context) => {
    if (!isRoot) context.skip('needs root, to run the CLI as another user');
    const root = workspace({ 'readonly.ts': BLOCKING_READ, 'shared.ts': BLOCKING_READ });
    // Run as nobody in a folder anyone may write: renaming over root's files would be allowed.
    fs.chmodSync(root, 0o777);
    fs.chmodSync(path.join(root, 'shared.ts'), 0o666);
    fs.chmodSync(path.join(root, 'readonly.ts'), 0o644);
    const before = contents(root);

    const result = spawnSync(process.execPath, [CLI, 'fix', '--format', 'json'], { cwd: root, encoding: 'utf8', uid: 65534, gid: 65534 });

    expect(contents(root)).toEqual(before);
    for (const name of ['readonly.ts', 'shared.ts']) expect(fs.statSync(path.join(root, name)).uid).toBe(0);
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as JsonReport).errors).toEqual([
      { file: 'readonly.ts', message: 'left unchanged: cannot write it: EACCES: permission denied' },
      { file: 'shared.ts', message: 'left unchanged: could not keep its owner (uid 0, gid 0): EPERM: operation not permitted' },
    ]);
  });
});

describe('--fix on a file that is not valid UTF-8', () => {
  it('leaves a Latin-1 comment byte for byte, naming the byte and its line', () => {
    const original = Buffer.from(`// Café: the menu template\n${BLOCKING_READ}`, 'latin1');
    const root = workspace({ 'menu.ts': original });
    const { code, json } = fixJson(root);
    expect(contents(root)).toEqual({ 'menu.ts': original });
    expect(json.errors).toEqual([
      {
        file: 'menu.ts',
        message: 'left unchanged: not valid UTF-8 (byte 0xE9 at line 1), so writing it back would change bytes outside the fix',
      },
    ]);
    expect(json.findings.map((finding) => finding.rule)).toEqual(['sync-io-in-async']);
    expect(code).toBe(1);
  });

  it("leaves a Latin-1 string ('na\\xefve') byte for byte: its value must not change", () => {
    const original = Buffer.from(BLOCKING_READ.replace('\n\nexport', "\n\nexport const label = 'naïve';\nexport"), 'latin1');
    const root = workspace({ 'label.ts': original });
    const { json } = fixJson(root);
    expect(contents(root)).toEqual({ 'label.ts': original });
    expect(json.errors).toEqual([
      {
        file: 'label.ts',
        message: 'left unchanged: not valid UTF-8 (byte 0xEF at line 3), so writing it back would change bytes outside the fix',
      },
    ]);
  });
});

describe('--fix and the file behind the name', () => {
  it('writes a symbolic link through to its target: the link stays a link', () => {
    const root = workspace({ 'real/load.ts': BLOCKING_READ });
    fs.symlinkSync('real/load.ts', path.join(root, 'link.ts'));
    const { json } = fixJson(root, ['link.ts']);
    expect(fs.lstatSync(path.join(root, 'link.ts')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(root, 'link.ts'))).toBe('real/load.ts');
    expect(contents(root)).toEqual({ 'real/load.ts': Buffer.from(FIXED_READ) });
    expect(json.errors).toEqual([]);
    expect(json.fixed).toEqual({ files: 1, fixes: 1, unchanged: 0 });
  });

  it('leaves a hard-linked file unchanged: a rename would cut off its other name', () => {
    const root = workspace({ 'load.ts': BLOCKING_READ });
    fs.mkdirSync(path.join(root, 'backup'));
    fs.linkSync(path.join(root, 'load.ts'), path.join(root, 'backup/load.ts.orig'));
    const { json } = fixJson(root, ['load.ts']);
    expect(contents(root)).toEqual({ 'backup/load.ts.orig': Buffer.from(BLOCKING_READ), 'load.ts': Buffer.from(BLOCKING_READ) });
    expect(fs.statSync(path.join(root, 'load.ts')).nlink).toBe(2);
    expect(json.errors).toEqual([
      { file: 'load.ts', message: 'left unchanged: it has 2 hard links; replacing it would cut off the other names' },
    ]);
  });

  it("keeps the file's mode and its owner", (context) => {
    if (!isRoot) context.skip('needs root, to give the file another owner');
    const root = workspace({ 'load.ts': BLOCKING_READ });
    const file = path.join(root, 'load.ts');
    fs.chownSync(file, 4242, 4343);
    fs.chmodSync(file, 0o640);
    const { json } = fixJson(root);
    expect(read(root, 'load.ts')).toBe(FIXED_READ);
    const stat = fs.statSync(file);
    expect({ mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid }).toEqual({ mode: 0o640, uid: 4242, gid: 4343 });
    expect(json.fixed).toEqual({ files: 1, fixes: 1, unchanged: 0 });
  });
});

describe('--fix when the file changes while PerfLens works', () => {
  it('does not replace a file whose bytes changed after the temporary copy was written', () => {
    const root = workspace({ 'a.ts': 'before\n' });
    const file = path.join(root, 'a.ts');
    const outcome = replaceFile(file, Buffer.from('fixed\n'), {
      expected: Buffer.from('before\n'),
      beforeReplace: () => fs.writeFileSync(file, 'saved by the editor\n'),
    });
    expect(outcome).toEqual({ written: false, reason: CHANGED_ON_DISK });
    expect(contents(root)).toEqual({ 'a.ts': Buffer.from('saved by the editor\n') });
  });

  it('keeps what an editor saved during the analysis, and says so', () => {
    const root = workspace({ 'load.ts': BLOCKING_READ });
    const saved = `${BLOCKING_READ}// saved by the editor\n`;
    const { json } = fixJson(root, [], [syncIo, savesDuringAnalysis(path.join(root, 'load.ts'), saved)]);
    expect(contents(root)).toEqual({ 'load.ts': Buffer.from(saved) });
    expect(json.errors).toEqual([{ file: 'load.ts', message: `left unchanged: ${CHANGED_ON_DISK}` }]);
  });

  it('names its temporary copy recognisably, beside the file', () => {
    const root = workspace({ 'a.ts': 'before\n' });
    let during: string[] = [];
    replaceFile(path.join(root, 'a.ts'), Buffer.from('fixed\n'), {
      expected: Buffer.from('before\n'),
      beforeReplace: () => (during = fs.readdirSync(root)),
    });
    expect(during.filter((name) => name !== '.git' && name !== 'a.ts')).toEqual([
      expect.stringMatching(new RegExp(`^\\.a\\.ts${TEMP_MARKER.replace('.', '\\.')}\\d+-[0-9a-f]{8}\\.tmp$`)),
    ]);
    expect(contents(root)).toEqual({ 'a.ts': Buffer.from('fixed\n') });
  });
});

/** A rule that, the first time it runs, stands in for an editor saving the file on disk. */
function savesDuringAnalysis(file: string, saved: string): Rule {
  let done = false;
  return defineRule({
    meta: {
      id: 'saves-during-analysis',
      category: 'caching',
      description: 'Test rule: an editor saves the file while PerfLens analyses it.',
      why: 'Because the test says so.',
      howToFix: 'Nothing to fix.',
      impact: 'low',
      effort: 'low',
      fix: 'none',
      messages: {},
      examples: { invalid: [], valid: [] },
    },
    check() {
      if (!done) fs.writeFileSync(file, saved);
      done = true;
      return {};
    },
  });
}

describe('--fix reports what it wrote and what it left unchanged', () => {
  /** Two files fixed (1 and 2 safe fixes), one hard-linked and left unchanged. */
  function mixed(): string {
    const root = workspace({ 'a.ts': BLOCKING_READ, 'b.ts': 'export const xxx = 1;\n', 'linked.ts': BLOCKING_READ });
    fs.linkSync(path.join(root, 'linked.ts'), path.join(root, 'linked.ts.orig'));
    return root;
  }

  it('json: "fixed" counts the files written and their fixes; the refused file is in errors', () => {
    const root = mixed();
    const { json } = fixJson(root, [], [syncIo, shrink]);
    expect(json.fixed).toEqual({ files: 2, fixes: 3, unchanged: 1 });
    expect(json.errors).toEqual([
      { file: 'linked.ts', message: 'left unchanged: it has 2 hard links; replacing it would cut off the other names' },
    ]);
    expect(read(root, 'linked.ts')).toBe(BLOCKING_READ);
  });

  it('json: no "fixed" without --fix', () => {
    const root = workspace({ 'a.ts': BLOCKING_READ });
    const json = JSON.parse(run(['scan', '--format', 'json'], { cwd: root, rules: [syncIo] }).stdout) as object;
    expect(json).not.toHaveProperty('fixed');
  });

  it('text: counts the fixes applied and the files left unchanged, never "No safe fixes to apply"', () => {
    const root = mixed();
    const { stdout } = run(['fix'], { cwd: root, rules: [syncIo, shrink] });
    expect(stdout).toContain('\nApplied 3 safe fixes in 2 files; 1 file with safe fixes left unchanged (reasons below).\n');
    expect(stdout).toContain('\n  linked.ts  left unchanged: it has 2 hard links; replacing it would cut off the other names\n');
    expect(stdout).not.toContain('No safe fixes to apply');
  });

  it('text: says so when no fix at all could be written', () => {
    const root = workspace({ 'linked.ts': BLOCKING_READ });
    fs.linkSync(path.join(root, 'linked.ts'), path.join(root, 'linked.ts.orig'));
    const { stdout } = run(['fix'], { cwd: root, rules: [syncIo] });
    expect(stdout).toContain('\nApplied no safe fix; 1 file with safe fixes left unchanged (reasons below).\n');
    expect(stdout).not.toContain('No safe fixes to apply');
  });

  it('sarif: still a valid log, the refused file a notification', () => {
    const result = run(['fix', '--format', 'sarif'], { cwd: mixed(), rules: [syncIo, shrink] });
    const log = validSarif(result.stdout);
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'left unchanged: it has 2 hard links; replacing it would cut off the other names' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'linked.ts', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });
});
