/** Recordings kept in .perflens/profiles/ and summed up in .perflens/history.jsonl (issue 15: "keep what was recorded"). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoresPerflens, keepRecording, keptName } from '../../src/profiles/keep';
import { tempDir } from './helpers';

const at = (seconds: number) => new Date(2026, 11, 8, 0, 30, seconds);

describe('keptName', () => {
  it('says when (local time, as Node names its own profiles) and what ran', () => {
    expect(keptName(['/usr/local/bin/node', 'app.js'], at(12))).toBe('20261208-003012-node-app.js.cpuprofile');
    expect(keptName(['npx', 'vitest', 'run', '--reporter=dot', 'src/a b.ts'], at(5))).toBe(
      '20261208-003005-npx-vitest-run-reporter-dot-src-a-b.ts.cpuprofile',
    );
  });

  it('keeps names short and safe on every file system', () => {
    const name = keptName(['node', 'x'.repeat(200)], at(0));
    expect(name.length).toBeLessThanOrEqual('20261208-003000-'.length + 60 + '.cpuprofile'.length);
    expect(keptName(['../../etc/passwd'], at(0))).toBe('20261208-003000-passwd.cpuprofile');
    expect(keptName(['«»'], at(0))).toBe('20261208-003000-run.cpuprofile');
  });
});

describe('keepRecording', () => {
  const recording = (dir: string, text: string): string => {
    const file = path.join(dir, `${text}.cpuprofile`);
    fs.writeFileSync(file, text);
    return file;
  };

  it('copies the recording under its name, and says whether it is the first in the workspace', () => {
    const root = tempDir();
    const source = recording(tempDir(), 'one');
    const kept = keepRecording(source, { root, command: ['node', 'app.js'], when: at(1), keep: 20 });
    expect(kept).toEqual({
      file: path.join(root, '.perflens', 'profiles', '20261208-003001-node-app.js.cpuprofile'),
      pruned: 0,
      first: true,
    });
    expect(fs.readFileSync(kept.file, 'utf8')).toBe('one');
    expect(keepRecording(source, { root, command: ['node', 'app.js'], when: at(2), keep: 20 }).first).toBe(false);
  });

  it('gives a second recording in the same second its own name', () => {
    const root = tempDir();
    const source = recording(tempDir(), 'run');
    const first = keepRecording(source, { root, command: ['node', 'a.js'], when: at(3), keep: 20 });
    const second = keepRecording(source, { root, command: ['node', 'a.js'], when: at(3), keep: 20 });
    expect(path.basename(first.file)).toBe('20261208-003003-node-a.js.cpuprofile');
    expect(path.basename(second.file)).toBe('20261208-003003-2-node-a.js.cpuprofile');
  });

  it('keeps the newest `keep` recordings, and never a file it did not name', () => {
    const root = tempDir();
    const dir = path.join(root, '.perflens', 'profiles');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'mine.cpuprofile'), 'the user put it here');
    const source = recording(tempDir(), 'run');
    const keep = (seconds: number) => keepRecording(source, { root, command: ['node', 'a.js'], when: at(seconds), keep: 2 });
    keep(10);
    keep(11);
    // Within one second: -2 comes after the first.
    keep(11);
    expect(keep(12).pruned).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual([
      '20261208-003011-2-node-a.js.cpuprofile',
      '20261208-003012-node-a.js.cpuprofile',
      'mine.cpuprofile',
    ]);
  });

  it('leaves no part of a copy that failed, and says why', () => {
    const root = tempDir();
    expect(() => keepRecording(path.join(root, 'gone.cpuprofile'), { root, command: ['node'], when: at(0), keep: 20 })).toThrow(/ENOENT/);
    expect(fs.readdirSync(path.join(root, '.perflens', 'profiles'))).toEqual([]);
  });
});

describe('ignoresPerflens', () => {
  it('reads .gitignore, and says nothing outside a git work tree without one', () => {
    const root = tempDir();
    expect(ignoresPerflens(root)).toBeUndefined();
    fs.mkdirSync(path.join(root, '.git'));
    expect(ignoresPerflens(root)).toBe(false);
    fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules\n.perflens-old\n');
    expect(ignoresPerflens(root)).toBe(false);
    for (const line of ['.perflens', '.perflens/', '/.perflens/', '  /.perflens  '])
      expect(ignoresPerflens((fs.writeFileSync(path.join(root, '.gitignore'), `dist\r\n${line}\r\n`), root))).toBe(true);
  });
});
