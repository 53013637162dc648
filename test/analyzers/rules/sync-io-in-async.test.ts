import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applySafeFixes, findings } from '../../helpers/analyze';
import { expectSameBehaviour } from '../../helpers/behaviour';

const rule = 'sync-io-in-async';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-sync-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sync-io-in-async safe fix keeps behaviour', () => {
  it('readFileSync / statSync / mkdirSync / writeFileSync / readdirSync → fs.promises', async () => {
    const before = `
import fs from 'node:fs';
import path from 'node:path';
export async function run(dir: string, name: string, body: string) {
  fs.mkdirSync(path.join(dir, 'out'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'out', name), body);
  const text = fs.readFileSync(path.join(dir, 'out', name), 'utf8');
  const size = fs.statSync(path.join(dir, 'out', name)).size;
  const names = fs.readdirSync(path.join(dir, 'out')).sort();
  log.push(text.length);
  return { text, size, names };
}`;
    const after = applySafeFixes(before, rule);
    expect(after).toContain('await fs.promises.mkdir(');
    expect(after).toContain('(await fs.promises.stat(path.join(dir, \'out\', name))).size');
    expect(after).not.toMatch(/Sync\(/);
    await expectSameBehaviour(before, after, 'run', [
      [dir, 'a.txt', 'hello'],
      [dir, 'b.txt', ''],
      [dir, 'ü.txt', 'x'.repeat(100_000)],
    ]);
  });

  it('keeps the error a missing file throws', async () => {
    const before = `
import * as fs from 'fs';
export async function run(file: string) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    return 'failed: ' + (error as NodeJS.ErrnoException).code;
  }
}`;
    const after = applySafeFixes(before, rule);
    await expectSameBehaviour(before, after, 'run', [[path.join(dir, 'missing.txt')], [dir]]);
  });
});

describe('sync-io-in-async offers no safe fix where the promise form differs', () => {
  it.each([
    ['a file descriptor argument', `import fs from 'fs';\nexport async function f(fd: number) { return fs.readFileSync(fd); }`],
    ['statSync with throwIfNoEntry', `import fs from 'fs';\nexport async function f(p: string) { return fs.statSync(p, { throwIfNoEntry: false }); }`],
    ['existsSync (no promise twin)', `import fs from 'fs';\nexport async function f(p: string) { return fs.existsSync(p); }`],
    ['a nested non-async callback', `import fs from 'fs';\nexport async function f(ps: string[]) { return ps.map((p) => fs.readFileSync(p, 'utf8')); }`],
    ['a named import', `import { readFileSync } from 'fs';\nexport async function f(p: string) { return readFileSync(p, 'utf8'); }`],
  ])('%s', (_name, code) => {
    const safe = findings(code, { rule }).flatMap((f) => f.fixes).filter((fix) => fix.safe);
    expect(safe).toEqual([]);
  });

  it('still reports the call in a synchronous callback (it runs inside the async function)', () => {
    const code = `import fs from 'fs';\nexport async function f(ps: string[]) { return ps.map((p) => fs.readFileSync(p, 'utf8')); }`;
    expect(findings(code, { rule })).toHaveLength(1);
  });
});
