/**
 * Issue 14's corpus of real performance fixes (bench/fixes/corpus.json) and the runner that scores
 * recall on it (scripts/fix-recall.mjs): the corpus is pointers of a sane shape with a reproducible
 * held-out third, and the runner materialises trees from a mirror, tells found from missed by line
 * overlap, scores ESLint's pair the same way and reports a missing mirror or commit on its entry. The
 * runner's part uses a small mirror made here with `git init` and a stand-in CLI — no network, no
 * real mirrors.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts', 'fix-recall.mjs');
const CORPUS = path.join(ROOT, 'bench', 'fixes', 'corpus.json');
const TRIAGE = path.join(ROOT, 'bench', 'fixes', 'triage.tsv');
const CATEGORIES = ['database', 'complexity', 'sync-io', 'concurrency', 'caching', 'memory'];

interface Entry {
  id: string;
  repo: string;
  commit: string;
  parent: string;
  path: string;
  lines: [number, number];
  category: string;
  what: string;
  heldOut: boolean;
}

interface Result {
  id: string;
  status: string;
  note: string;
  perflens: { found: boolean; foundStrict: boolean; rule: string | null; severity: string | null } | null;
  eslint: { found: boolean; rules: string[] } | null;
}

interface Report {
  summary: {
    perflens: { overall: { found: number; of: number }; heldOut: { of: number }; byCategory: Record<string, { of: number }> };
    eslint: { overall: { found: number; of: number } };
  };
  eslintOnly: string[];
  entries: Result[];
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const corpus: Entry[] = JSON.parse(fs.readFileSync(CORPUS, 'utf8'));

describe('bench/fixes/corpus.json', () => {
  it('holds at least 60 entries from at least 8 repositories, none giving more than 15', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const perRepo = new Map<string, number>();
    for (const entry of corpus) perRepo.set(entry.repo, (perRepo.get(entry.repo) ?? 0) + 1);
    expect(perRepo.size).toBeGreaterThanOrEqual(8);
    for (const [repo, count] of perRepo) expect(count, repo).toBeLessThanOrEqual(15);
  });

  it('has unique ids, known categories, full commit ids and sane line ranges — pointers, no code', () => {
    expect(new Set(corpus.map((entry) => entry.id)).size).toBe(corpus.length);
    for (const entry of corpus) {
      expect(Object.keys(entry).sort(), entry.id).toEqual(
        ['category', 'commit', 'heldOut', 'id', 'lines', 'parent', 'path', 'repo', 'what'].sort(),
      );
      expect(entry.id).toMatch(/^F\d{3}$/);
      expect(entry.repo, entry.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(entry.commit, entry.id).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.parent, entry.id).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.parent, entry.id).not.toBe(entry.commit);
      expect(entry.path, entry.id).toMatch(/^[^/].*\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/);
      expect(CATEGORIES, entry.id).toContain(entry.category);
      const [first, last] = entry.lines;
      expect(Number.isInteger(first) && Number.isInteger(last), entry.id).toBe(true);
      expect(first, entry.id).toBeGreaterThanOrEqual(1);
      expect(last, entry.id).toBeGreaterThanOrEqual(first);
      expect(last - first, entry.id).toBeLessThan(80);
      expect(typeof entry.heldOut, entry.id).toBe('boolean');
      // One line of what was wrong, in words: no code block, no newline.
      expect(entry.what.length, entry.id).toBeGreaterThan(20);
      expect(entry.what.length, entry.id).toBeLessThan(260);
      expect(entry.what, entry.id).not.toMatch(/\n|```/);
    }
  });

  it('holds out about a third, whole fix commits at a time, exactly as the recorded seed draws it', () => {
    const held = corpus.filter((entry) => entry.heldOut).length;
    expect(held / corpus.length).toBeGreaterThan(0.25);
    expect(held / corpus.length).toBeLessThan(0.42);
    const byCommit = new Map<string, Set<boolean>>();
    for (const entry of corpus) byCommit.set(entry.commit, (byCommit.get(entry.commit) ?? new Set()).add(entry.heldOut));
    for (const [commit, splits] of byCommit) expect(splits.size, commit).toBe(1);

    const copy = path.join(tempDir('perflens-corpus-'), 'corpus.json');
    fs.writeFileSync(copy, JSON.stringify(corpus.map((entry) => ({ ...entry, heldOut: false }))));
    const split = spawnSync(process.execPath, [SCRIPT, 'split', '--corpus', copy], { encoding: 'utf8' });
    expect(split.status, split.stderr).toBe(0);
    const redrawn: Entry[] = JSON.parse(fs.readFileSync(copy, 'utf8'));
    expect(redrawn.map((entry) => entry.heldOut)).toEqual(corpus.map((entry) => entry.heldOut));
  });

  it('agrees with the triage record: every confirmed hit is an entry and every entry a confirmed hit', () => {
    const rows = fs
      .readFileSync(TRIAGE, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .slice(1)
      .map((line) => line.split('\t'));
    const confirmed = new Set(rows.filter((row) => row[3] === 'confirmed').map((row) => `${row[1]}@${row[2]}`));
    const entries = new Set(corpus.map((entry) => `${entry.repo}@${entry.commit.slice(0, 7)}`));
    expect([...entries].sort()).toEqual([...confirmed].sort());
    for (const row of rows)
      expect(['confirmed', 'not-perf', 'test-only', 'feature', 'too-big', 'unclear', 'render', 'non-js']).toContain(row[3]);
  });
});

/** A git repository `acme/shop` with one fix, cloned bare into a mirrors folder laid out as the runner expects. */
function fakeMirror(): { mirrors: string; parent: string; fix: string } {
  const base = tempDir('perflens-fixes-mirror-');
  const work = path.join(base, 'work');
  fs.mkdirSync(path.join(work, 'src'), { recursive: true });
  const gitIn = (...args: string[]) => {
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
      cwd: work,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  gitIn('init', '-q');
  fs.writeFileSync(path.join(work, 'package.json'), '{ "name": "shop" }\n');
  // Lines 1–9 filler, 10–12 the block the stand-in CLI reports, 20 an await in a loop, 25 a *Sync call.
  const lines = Array.from({ length: 30 }, (_, i) => `// line ${i + 1}`);
  lines[9] = 'export async function load(db, ids) {';
  lines[10] = '  return db.all();';
  lines[11] = '}';
  lines[18] = 'export async function each(db, ids) {';
  lines[19] = '  for (const id of ids) await db.find(id);';
  lines[20] = '}';
  lines[23] = "import * as fs from 'node:fs';";
  lines[24] = "export const read = () => fs.readFileSync('x', 'utf8');";
  fs.writeFileSync(path.join(work, 'src', 'app.js'), `${lines.join('\n')}\n`);
  gitIn('add', '-A');
  gitIn('commit', '-q', '-m', 'before');
  const parent = gitIn('rev-parse', 'HEAD');
  fs.appendFileSync(path.join(work, 'src', 'app.js'), '// fixed\n');
  gitIn('commit', '-q', '-am', 'perf: the fix');
  const fix = gitIn('rev-parse', 'HEAD');
  const mirrors = path.join(base, 'mirrors');
  fs.mkdirSync(mirrors);
  const clone = spawnSync('git', ['clone', '-q', '--bare', work, path.join(mirrors, 'acme+shop', 'repo')], { encoding: 'utf8' });
  if (clone.status !== 0) throw new Error(clone.stderr);
  return { mirrors, parent, fix };
}

/** Stands in for dist/cli.js: one finding on lines 10–12 of whatever file it is asked to scan. */
function fakeCli(dir: string): string {
  const file = path.join(dir, 'fake-cli.mjs');
  fs.writeFileSync(
    file,
    `const target = process.argv[process.argv.length - 1];
process.stdout.write(JSON.stringify({ findings: [{ rule: 'query-in-loop', category: 'database', severity: 'info', file: target,
  range: { start: { line: 10, column: 1 }, end: { line: 12, column: 2 } } }], errors: [], skipped: [] }));
process.exit(1);
`,
  );
  return file;
}

function runner(args: string[], env: Record<string, string>): Report {
  const result = spawnSync(process.execPath, [SCRIPT, '--json', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('scripts/fix-recall.mjs on a fake mirror', () => {
  const { mirrors, parent, fix } = fakeMirror();
  const dir = tempDir('perflens-fixes-run-');
  const cache = path.join(dir, 'cache');
  const env = { PERFLENS_MIRRORS: mirrors, PERFLENS_FIXES_CACHE: cache, PERFLENS_CLI: fakeCli(dir) };
  const entry = (id: string, lines: [number, number], extra: Partial<Entry> = {}): Entry => ({
    id,
    repo: 'acme/shop',
    commit: fix,
    parent,
    path: 'src/app.js',
    lines,
    category: 'database',
    what: 'a stand-in fix for the runner test',
    heldOut: id === 'F003',
    ...extra,
  });
  const corpusFile = path.join(dir, 'corpus.json');
  fs.writeFileSync(
    corpusFile,
    JSON.stringify([
      entry('F001', [14, 15]), // within 2 lines of the finding (10–12): found with the margin only
      entry('F002', [16, 17]), // 4 lines away: missed
      entry('F003', [11, 11]), // inside the finding: found, strictly
      entry('F004', [20, 20], { category: 'concurrency' }), // the await in a loop: ESLint only
      entry('F005', [25, 25], { category: 'sync-io' }), // the readFileSync: ESLint only
      entry('F006', [11, 11], { repo: 'acme/missing' }),
      entry('F007', [11, 11], { parent: 'f'.repeat(40) }),
    ]),
  );

  it('counts a fix found when a finding overlaps its slow lines widened by the margin, and says which were strict', () => {
    const report = runner(['--corpus', corpusFile], env);
    const byId = new Map(report.entries.map((result) => [result.id, result]));
    expect(byId.get('F001')?.perflens).toMatchObject({ found: true, foundStrict: false, rule: 'query-in-loop', severity: 'info' });
    expect(byId.get('F002')?.perflens).toMatchObject({ found: false, foundStrict: false });
    expect(byId.get('F003')?.perflens).toMatchObject({ found: true, foundStrict: true });
    expect(report.summary.perflens.overall).toMatchObject({ found: 2, of: 5 });
    expect(report.summary.perflens.heldOut.of).toBe(1);
    expect(report.summary.perflens.byCategory['sync-io'].of).toBe(1);

    const strict = runner(['--corpus', corpusFile, '--margin', '0', '--no-eslint'], env);
    expect(strict.entries.find((result) => result.id === 'F001')?.perflens?.found).toBe(false);
    expect(strict.entries.every((result) => result.eslint === null)).toBe(true);
  });

  it("scores ESLint's pair on the same lines and lists the fixes it flags that PerfLens misses", () => {
    const report = runner(['--corpus', corpusFile], env);
    const byId = new Map(report.entries.map((result) => [result.id, result]));
    expect(byId.get('F004')?.eslint).toMatchObject({ found: true, rules: ['no-await-in-loop'] });
    expect(byId.get('F005')?.eslint).toMatchObject({ found: true, rules: ['n/no-sync'] });
    expect(byId.get('F003')?.eslint?.found).toBe(false);
    expect(report.summary.eslint.overall).toMatchObject({ found: 2, of: 5 });
    expect(report.eslintOnly).toEqual(['F004', 'F005']);
  });

  it('reports a missing mirror or commit on its entry and leaves it out of the recall', () => {
    const report = runner(['--corpus', corpusFile, '--only', 'F006,F007,F003'], env);
    const byId = new Map(report.entries.map((result) => [result.id, result]));
    expect(byId.get('F006')).toMatchObject({ status: 'no-mirror', perflens: null });
    expect(byId.get('F007')).toMatchObject({ status: 'no-commit', perflens: null });
    expect(report.summary.perflens.overall).toMatchObject({ found: 1, of: 1 });
  });

  it('writes the tree before the fix once per repository and parent, under <owner>+<name>@<sha12>, and reuses it', () => {
    const tree = path.join(cache, `acme+shop@${parent.slice(0, 12)}`);
    expect(fs.readFileSync(path.join(tree, 'src', 'app.js'), 'utf8')).not.toContain('// fixed');
    expect(fs.existsSync(path.join(tree, 'package.json'))).toBe(true);
    expect(fs.readdirSync(cache)).toEqual([`acme+shop@${parent.slice(0, 12)}`]);
    const marker = path.join(tree, '.perflens-fixes.json');
    const before = fs.statSync(marker).mtimeMs;
    runner(['--corpus', corpusFile, '--only', 'F001', '--no-eslint'], env);
    expect(fs.statSync(marker).mtimeMs).toBe(before);
  });

  it('prints a table and the recall as text without --json', () => {
    const result = spawnSync(process.execPath, [SCRIPT, '--corpus', corpusFile], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('| F001 | acme/shop | database | tuning | yes (±margin) | query-in-loop (info) | no |');
    expect(result.stdout).toContain('| F006 | acme/missing | database | tuning | no-mirror |');
    expect(result.stdout).toContain('ESLint flags, PerfLens misses: F004, F005');
  });
});
