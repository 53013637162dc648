/** `--fix` / `perflens fix`: safe fixes only, repeated until stable, never an unparsable or needless write. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesById } from '../helpers/rules';
import type { Rule } from '../../src/analyzers/rule';
import { BLOCKING_EXEC, BLOCKING_READ, FIXED_READ, read, run, workspace } from './helpers';
import { breaksSyntax, leadsToBreak, shrink, splitLine, suggestion } from './fakeRules';

const syncIo = rulesById.get('sync-io-in-async') as Rule;
const rules = [syncIo, shrink, splitLine, suggestion, breaksSyntax];

const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

/** Sets a file's modification time far in the past, so that any write shows. */
function age(root: string, name: string): number {
  const past = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(path.join(root, name), past, past);
  return fs.statSync(path.join(root, name)).mtimeMs;
}

describe('--fix', () => {
  it('applies the safe fix of sync-io-in-async and reports nothing left', () => {
    const root = workspace({ 'src/load.ts': BLOCKING_READ });
    const result = run(['scan', '--fix'], { cwd: root, rules });
    expect(read(root, 'src/load.ts')).toBe(FIXED_READ);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('✔ No performance problems found in 1 file.\nApplied 1 safe fix in 1 file.\n');
  });

  it('is what `perflens fix` does', () => {
    const root = workspace({ 'src/load.ts': BLOCKING_READ });
    expect(run(['fix', 'src'], { cwd: root, rules }).code).toBe(0);
    expect(read(root, 'src/load.ts')).toBe(FIXED_READ);
  });

  it('leaves findings without a safe fix alone, reports them, and does not touch their files', () => {
    const root = workspace({ 'exec.ts': BLOCKING_EXEC, 'suggest.ts': 'export const suggestMe = 1;\n' });
    const before = [age(root, 'exec.ts'), age(root, 'suggest.ts')];
    const result = run(['scan', '--fix', '--format', 'json', '--min-severity', 'info'], { cwd: root, rules });
    expect(result.code).toBe(1);
    expect(read(root, 'exec.ts')).toBe(BLOCKING_EXEC);
    expect(read(root, 'suggest.ts')).toBe('export const suggestMe = 1;\n');
    expect([fs.statSync(path.join(root, 'exec.ts')).mtimeMs, fs.statSync(path.join(root, 'suggest.ts')).mtimeMs]).toEqual(before);
    const json = JSON.parse(result.stdout) as { findings: Array<{ rule: string; fixes: Array<{ safe: boolean }> }> };
    expect(json.findings.map((f) => f.rule)).toEqual(['sync-io-in-async', 'suggestion']);
    expect(json.findings[1].fixes).toEqual([{ title: 'Rename it', safe: false }]);
  });

  it('reports the remaining findings at their positions in the fixed text', () => {
    const code = `import fs from 'node:fs';
import { execSync } from 'node:child_process';

export async function both() {
  const text = fs.readFileSync('a.txt', 'utf8') + execSync('ls').toString();
  return text;
}
`;
    const root = workspace({ 'a.ts': code });
    // One blocking call per run, nothing grows: infos, shown here (what is tested is where they are).
    const result = run(['fix', '--format', 'json', '--min-severity', 'info'], { cwd: root, rules });
    const fixed = read(root, 'a.ts');
    // `await` binds tighter than `+`: no parentheses needed.
    expect(fixed).toContain("const text = await fs.promises.readFile('a.txt', 'utf8') + execSync('ls')");
    const json = JSON.parse(result.stdout) as { findings: Array<{ rule: string; range: { start: { line: number; column: number } } }> };
    expect(json.findings).toHaveLength(1);
    const line = fixed.split('\n')[4];
    expect(json.findings[0].range.start).toEqual({ line: 5, column: line.indexOf('execSync(') + 1 });
  });

  it('repeats until nothing changes', () => {
    const root = workspace({ 'a.ts': 'export const xxxxx = 1;\n' });
    const result = run(['fix'], { cwd: root, rules });
    expect(read(root, 'a.ts')).toBe('export const x = 1;\n');
    expect(result.stdout).toContain('Applied 4 safe fixes in 1 file.');
  });

  it('repeats for fixes that overlap in one pass (a blocking call inside another)', () => {
    const code = `import fs from 'node:fs';

export async function copy(target: string) {
  fs.writeFileSync(target + '.out', fs.readFileSync('in.txt'));
}
`;
    const root = workspace({ 'a.ts': code });
    expect(run(['fix'], { cwd: root, rules: [syncIo] }).code).toBe(0);
    expect(read(root, 'a.ts')).toContain("await fs.promises.writeFile(target + '.out', await fs.promises.readFile('in.txt'));");
  });

  it('keeps CRLF line endings, in the file and in the text a fix inserts', () => {
    const root = workspace({ 'a.ts': crlf(BLOCKING_READ), 'b.ts': crlf('export {};\nsplitHere;\n') });
    run(['fix'], { cwd: root, rules });
    expect(read(root, 'a.ts')).toBe(crlf(FIXED_READ));
    expect(read(root, 'b.ts')).toBe(crlf('export {};\nfirst;\nsecond;\n'));
  });

  it('keeps LF line endings when a fix inserts a line break', () => {
    const root = workspace({ 'b.ts': 'export {};\nsplitHere;\n' });
    run(['fix'], { cwd: root, rules });
    expect(read(root, 'b.ts')).toBe('export {};\nfirst;\nsecond;\n');
  });

  it('keeps a UTF-8 byte order mark, and positions do not count it', () => {
    const root = workspace({ 'a.ts': `\uFEFF${BLOCKING_READ}`, 'plain.ts': BLOCKING_READ });
    run(['fix'], { cwd: root, rules });
    const bytes = fs.readFileSync(path.join(root, 'a.ts'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(FIXED_READ);
    // And no byte order mark appears where there was none.
    expect(fs.readFileSync(path.join(root, 'plain.ts'))[0]).toBe(FIXED_READ.charCodeAt(0));
  });

  it('refuses a fix whose result would not parse: the file stays as it was and the refusal is reported', () => {
    const code = 'export const breakMe = 1;\n';
    const root = workspace({ 'a.ts': code });
    const before = age(root, 'a.ts');
    const result = run(['fix', '--format', 'json'], { cwd: root, rules });
    expect(read(root, 'a.ts')).toBe(code);
    expect(fs.statSync(path.join(root, 'a.ts')).mtimeMs).toBe(before);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { findings: Array<{ rule: string }>; errors: unknown[] };
    expect(json.findings.map((f) => f.rule)).toEqual(['breaks-syntax']);
    expect(json.errors).toEqual([{ file: 'a.ts', message: 'left unchanged: a fix produced code that does not parse; it was not applied' }]);
  });

  it('keeps the passes that parsed when a later pass would break the file', () => {
    const root = workspace({ 'a.ts': 'export const makeBreak = 1;\n' });
    const result = run(['fix', '--format', 'json'], { cwd: root, rules: [...rules, leadsToBreak] });
    expect(read(root, 'a.ts')).toBe('export const breakMe = 1;\n');
    const json = JSON.parse(result.stdout) as { findings: Array<{ rule: string }>; errors: unknown[] };
    expect(json.findings.map((f) => f.rule)).toEqual(['breaks-syntax']);
    expect(json.errors).toEqual([{ file: 'a.ts', message: '--fix stopped: a fix produced code that does not parse; it was not applied' }]);
  });

  it('refuses a whole pass when one of its fixes breaks the file, keeping the others for a later run', () => {
    const code = 'export const xxx = 1;\nexport const breakMe = 2;\n';
    const root = workspace({ 'a.ts': code });
    const { stdout } = run(['fix'], { cwd: root, rules });
    expect(read(root, 'a.ts')).toBe(code);
    // Fixes were found and none was written: not "No safe fixes to apply".
    expect(stdout).toContain('\nApplied no safe fix; 1 file with safe fixes left unchanged (reasons below).\n');
    expect(stdout).toContain('\n  a.ts  left unchanged: a fix produced code that does not parse; it was not applied\n');
  });

  it('does not touch a file with a syntax error, and reports that error once', () => {
    const code = 'export const xxx = {;\n';
    const root = workspace({ 'a.ts': code });
    const before = age(root, 'a.ts');
    const result = run(['fix', '--format', 'json'], { cwd: root, rules });
    expect(read(root, 'a.ts')).toBe(code);
    expect(fs.statSync(path.join(root, 'a.ts')).mtimeMs).toBe(before);
    expect((JSON.parse(result.stdout) as { errors: unknown[] }).errors).toEqual([
      { file: 'a.ts', message: expect.stringMatching(/^syntax error at 1:21: /) },
    ]);
  });

  it('never writes a file it did not change', () => {
    const root = workspace({ 'clean.ts': 'export const x = 1;\n' });
    const before = age(root, 'clean.ts');
    expect(run(['fix'], { cwd: root, rules }).stdout).toBe('✔ No performance problems found in 1 file.\nNo safe fixes to apply.\n');
    expect(fs.statSync(path.join(root, 'clean.ts')).mtimeMs).toBe(before);
  });
});
