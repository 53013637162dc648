// Recall on real performance fixes (issue 14; docs/precision/real-fixes.md): for every entry of
// bench/fixes/corpus.json — a fix a maintainer made, as a pointer (repository, fix commit, its parent,
// path, the slow lines, category) — scans the file as it was before the fix and counts the fix found
// when a finding overlaps its slow lines. The crude peers (ESLint's `no-await-in-loop` and
// eslint-plugin-n's `no-sync`, bench/fixes/eslint.config.mjs) are scored on the same files the same way.
//
//   node scripts/fix-recall.mjs [run] [--json] [--margin N] [--only F001,F002] [--no-eslint] [--corpus FILE]
//     Prints a table (per entry: found or not, the rule and severity that found it, whether ESLint
//     flags it) and recall overall, by category and for the tuning and held-out splits, for PerfLens
//     and for ESLint, then the fixes ESLint flags and PerfLens misses. `--json`: the same as one JSON
//     object on stdout. `--margin N` (default 2): a finding counts when it overlaps the slow lines
//     widened by N lines on each side — the slow lines are where the fix's diff changed the code,
//     and a rule may report the statement or loop header a line or two around them; the strict
//     count (margin 0) is printed beside it.
//
//   node scripts/fix-recall.mjs split [--seed N] [--corpus FILE]
//     Marks the held-out third and rewrites the corpus: the fix commits, in the order they first
//     appear, are shuffled by a seeded Fisher–Yates (mulberry32, default seed 20261208) and the first
//     round(commits / 3) are held out, with every entry of theirs (one fix never straddles the split).
//
// Where things are (environment):
//   PERFLENS_MIRRORS      mirrors root (default /work/.mirror): <owner>+<name>/repo, a bare git directory
//                         with the history (<owner>+<name> itself may be the git directory)
//   PERFLENS_FIXES_CACHE  where the trees before each fix are written (default /tmp/perflens-fixes):
//                         <owner>+<name>@<parent sha, 12>/, reused across runs
//   PERFLENS_CLI          the PerfLens CLI to run (default dist/cli.js of this checkout)
//
// A tree is `git archive <parent>` of the package that holds the file (the nearest directory with a
// package.json, else the repository root), limited to JavaScript, TypeScript and JSON files: mirrors
// may lack large binary blobs, and PerfLens reads nothing else. PerfLens runs from that package's
// root on the one file: `scan --format json --min-severity info <file>`. A missing mirror or commit,
// a tree that cannot be written or a scan that fails is reported on its entry, not as a crash; such
// entries are left out of the recall (the summary says how many).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom as mulberry32, shuffle } from '../bench/lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ESLINT_CONFIG = path.join(root, 'bench', 'fixes', 'eslint.config.mjs');
const CATEGORIES = ['database', 'complexity', 'sync-io', 'concurrency', 'caching', 'memory'];
const SOURCE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'json'];
const MARKER = '.perflens-fixes.json';
const DEFAULT_SEED = 20261208;

function fail(message) {
  console.error(`fix-recall: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { command: 'run', json: false, margin: 2, only: null, eslint: true, seed: DEFAULT_SEED };
  options.corpus = path.join(root, 'bench', 'fixes', 'corpus.json');
  const args = [...argv];
  if (args[0] === 'run' || args[0] === 'split') options.command = args.shift();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      if (i + 1 >= args.length) fail(`${arg} needs a value`);
      return args[++i];
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--no-eslint') options.eslint = false;
    else if (arg === '--margin') options.margin = Number(value());
    else if (arg === '--only') options.only = new Set(value().split(','));
    else if (arg === '--corpus') options.corpus = path.resolve(value());
    else if (arg === '--seed') options.seed = Number(value());
    else fail(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.margin) || options.margin < 0) fail('--margin takes a whole number of lines');
  if (!Number.isInteger(options.seed)) fail('--seed takes an integer');
  return options;
}

function readCorpus(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`cannot read the corpus ${file}: ${error.message}`);
  }
}

/** One entry a line: the file stays readable and a change to one entry is a one-line diff. */
function writeCorpus(file, entries) {
  fs.writeFileSync(file, `[\n${entries.map((entry) => `  ${JSON.stringify(entry)}`).join(',\n')}\n]\n`);
}

// ---------------------------------------------------------------------------------------------
// split

function split(options) {
  const entries = readCorpus(options.corpus);
  const commits = [...new Set(entries.map((entry) => `${entry.repo}@${entry.commit}`))];
  const heldOut = new Set(shuffle(commits, mulberry32(options.seed)).slice(0, Math.round(commits.length / 3)));
  for (const entry of entries) entry.heldOut = heldOut.has(`${entry.repo}@${entry.commit}`);
  writeCorpus(options.corpus, entries);
  const held = entries.filter((entry) => entry.heldOut).length;
  console.log(
    `seed ${options.seed}: ${heldOut.size} of ${commits.length} fix commits held out, ${held} of ${entries.length} entries; wrote ${options.corpus}`,
  );
}

// ---------------------------------------------------------------------------------------------
// trees before the fix

function git(gitDir, args, options = {}) {
  return spawnSync('git', [`--git-dir=${gitDir}`, ...args], { maxBuffer: 2 ** 31 - 1, ...options });
}

function mirrorOf(mirrors, repo) {
  const base = path.join(mirrors, repo.replace('/', '+'));
  for (const candidate of [path.join(base, 'repo'), base]) {
    if (fs.existsSync(path.join(candidate, 'HEAD')) && fs.existsSync(path.join(candidate, 'objects'))) return candidate;
  }
  return null;
}

/** The nearest directory at or above the file's that has a package.json at `commit` ('' = the repository root). */
function packageRoot(gitDir, commit, file) {
  let dir = path.posix.dirname(file);
  for (;;) {
    const manifest = dir === '.' ? 'package.json' : `${dir}/package.json`;
    if (git(gitDir, ['cat-file', '-e', `${commit}:${manifest}`]).status === 0) return dir === '.' ? '' : dir;
    if (dir === '.') return '';
    dir = path.posix.dirname(dir);
  }
}

function archiveInto(gitDir, commit, pathspecs, dir) {
  const archived = git(gitDir, ['archive', '--format=tar', commit, '--', ...pathspecs]);
  if (archived.status !== 0) return `git archive failed: ${String(archived.stderr).trim().split('\n')[0]}`;
  fs.mkdirSync(dir, { recursive: true });
  const extracted = spawnSync('tar', ['-x', '-C', dir], { input: archived.stdout, maxBuffer: 2 ** 31 - 1 });
  if (extracted.status !== 0) return `tar failed: ${String(extracted.stderr).trim().split('\n')[0]}`;
  return null;
}

/**
 * Writes the package holding `entry.path` as it was at `entry.parent` under the cache (once per
 * repository, parent and package) and returns where to run from, or `{ error }`.
 */
function materialise(entry, mirrors, cache) {
  const gitDir = mirrorOf(mirrors, entry.repo);
  if (!gitDir) return { status: 'no-mirror', error: `no mirror of ${entry.repo} under ${mirrors}` };
  if (git(gitDir, ['cat-file', '-e', `${entry.parent}^{commit}`]).status !== 0) {
    return { status: 'no-commit', error: `${entry.repo} has no commit ${entry.parent}` };
  }
  if (git(gitDir, ['cat-file', '-e', `${entry.parent}:${entry.path}`]).status !== 0) {
    return { status: 'no-file', error: `${entry.path} is not in ${entry.repo}@${entry.parent.slice(0, 12)}` };
  }
  const pkg = packageRoot(gitDir, entry.parent, entry.path);
  const tree = path.join(cache, `${entry.repo.replace('/', '+')}@${entry.parent.slice(0, 12)}`);
  const markerFile = path.join(tree, MARKER);
  const marker = fs.existsSync(markerFile) ? JSON.parse(fs.readFileSync(markerFile, 'utf8')) : { packages: {} };
  if (!(pkg in marker.packages)) {
    const prefix = pkg ? `${pkg}/` : '';
    // One pathspec per extension the package has (git archive fails on a pathspec matching nothing).
    const listed = git(gitDir, ['ls-tree', '-r', '--name-only', '-z', entry.parent, '--', pkg || '.']);
    const files = String(listed.stdout).split('\0');
    const present = new Set(files.map((file) => path.posix.extname(file).slice(1)));
    const pathspecs = SOURCE_EXTENSIONS.filter((extension) => present.has(extension)).map(
      (extension) => `:(glob)${prefix}**/*.${extension}`,
    );
    let error = archiveInto(gitDir, entry.parent, pathspecs, tree);
    let scope = 'package';
    if (error && present.has('json')) {
      // A data file missing from the mirror (large JSON blobs are often left out): code and manifests only.
      const manifests = [`:(glob)${prefix}**/package.json`];
      if (files.some((file) => /(^|\/)tsconfig[^/]*\.json$/.test(file))) manifests.push(`:(glob)${prefix}**/tsconfig*.json`);
      const codeOnly = pathspecs.filter((spec) => !spec.endsWith('.json')).concat(manifests);
      if (!archiveInto(gitDir, entry.parent, codeOnly, tree)) {
        scope = 'package without data JSON';
        error = null;
      }
    }
    if (error) {
      // A blob missing from the mirror: fall back to the file and its package.json alone.
      const only = [entry.path, `${prefix}package.json`].filter(
        (file) => git(gitDir, ['cat-file', '-e', `${entry.parent}:${file}`]).status === 0,
      );
      const retry = archiveInto(gitDir, entry.parent, only, tree);
      if (retry) return { status: 'no-tree', error: `${error}; ${retry}` };
      scope = `file only (${error})`;
    }
    marker.packages[pkg] = scope;
    fs.writeFileSync(markerFile, JSON.stringify(marker, null, 2));
  }
  const scope = marker.packages[pkg];
  if (!fs.existsSync(path.join(tree, entry.path))) {
    // The package was written as "file only" for another entry: add this entry's file.
    const error = archiveInto(gitDir, entry.parent, [entry.path], tree);
    if (error) return { status: 'no-tree', error };
  }
  return { cwd: path.join(tree, pkg), file: path.posix.relative(pkg, entry.path), scope };
}

// ---------------------------------------------------------------------------------------------
// the two tools

function overlaps(start, end, [first, last], margin) {
  return start <= last + margin && end >= first - margin;
}

const scans = new Map();

function scanWithPerflens(cli, cwd, file) {
  const key = `${cwd}\0${file}`;
  if (!scans.has(key)) {
    const result = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', '--min-severity', 'info', file], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 2 ** 30,
    });
    let parsed = null;
    if (result.status === 0 || result.status === 1) {
      try {
        parsed = JSON.parse(result.stdout);
      } catch {
        parsed = null;
      }
    }
    scans.set(
      key,
      parsed
        ? { findings: parsed.findings ?? [], errors: parsed.errors ?? [], skipped: parsed.skipped ?? [] }
        : { error: `the CLI ended with status ${result.status}: ${(result.stderr || result.stdout || '').trim().split('\n')[0]}` },
    );
  }
  return scans.get(key);
}

async function lintWithPeers(cwd, file) {
  const { ESLint } = await import('eslint');
  const { PEER_RULES } = await import(ESLINT_CONFIG);
  const eslint = new ESLint({ cwd, overrideConfigFile: ESLINT_CONFIG, cache: false, errorOnUnmatchedPattern: false });
  const [result] = await eslint.lintFiles([file]);
  if (!result) return { error: 'ESLint did not lint the file' };
  const fatal = result.messages.find((message) => message.fatal);
  if (fatal) return { error: `ESLint could not parse it: ${fatal.message} (line ${fatal.line})` };
  const ignored = result.messages.find((message) => message.ruleId === null && /ignored/i.test(message.message));
  if (ignored) return { error: `ESLint ignored it: ${ignored.message}` };
  return {
    messages: result.messages
      .filter((message) => PEER_RULES.includes(message.ruleId))
      .map((message) => ({ rule: message.ruleId, start: message.line, end: message.endLine ?? message.line })),
  };
}

// ---------------------------------------------------------------------------------------------
// run

const SEVERITY_ORDER = ['error', 'warning', 'info'];

async function evaluate(entry, options, env) {
  const out = {
    id: entry.id,
    repo: entry.repo,
    commit: entry.commit,
    path: entry.path,
    lines: entry.lines,
    category: entry.category,
    heldOut: entry.heldOut,
    status: 'ok',
    perflens: null,
    eslint: null,
    note: '',
  };
  const tree = materialise(entry, env.mirrors, env.cache);
  if (tree.error) return { ...out, status: tree.status, note: tree.error };
  if (tree.scope !== 'package') out.note = `tree: ${tree.scope}`;

  const scan = scanWithPerflens(env.cli, tree.cwd, tree.file);
  if (scan.error) return { ...out, status: 'scan-failed', note: scan.error };
  const inFile = scan.findings.filter((finding) => path.posix.normalize(finding.file) === path.posix.normalize(tree.file));
  const hits = inFile
    .filter((finding) => overlaps(finding.range.start.line, finding.range.end.line, entry.lines, options.margin))
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const strict = hits.filter((finding) => overlaps(finding.range.start.line, finding.range.end.line, entry.lines, 0));
  out.perflens = {
    found: hits.length > 0,
    foundStrict: strict.length > 0,
    rule: hits[0]?.rule ?? null,
    severity: hits[0]?.severity ?? null,
    hits: hits.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      start: finding.range.start.line,
      end: finding.range.end.line,
    })),
    findingsInFile: inFile.length,
  };
  if (scan.skipped.length > 0 || scan.errors.length > 0) {
    out.note = [out.note, `scan: ${JSON.stringify([...scan.skipped, ...scan.errors]).slice(0, 160)}`].filter(Boolean).join('; ');
  }

  if (options.eslint) {
    const lint = await lintWithPeers(tree.cwd, tree.file);
    if (lint.error) {
      out.eslint = { found: false, error: lint.error, rules: [] };
      out.note = [out.note, lint.error].filter(Boolean).join('; ');
    } else {
      const flagged = lint.messages.filter((message) => overlaps(message.start, message.end, entry.lines, options.margin));
      out.eslint = {
        found: flagged.length > 0,
        foundStrict: flagged.some((message) => overlaps(message.start, message.end, entry.lines, 0)),
        rules: [...new Set(flagged.map((message) => message.rule))],
        messagesInFile: lint.messages.length,
      };
    }
  }
  return out;
}

function ratio(part, whole) {
  return { found: part, of: whole, recall: whole === 0 ? null : Math.round((part / whole) * 1000) / 1000 };
}

function summarise(results, tool, key = 'found') {
  const scored = results.filter((result) => result.status === 'ok' && result[tool]);
  const count = (list) => ratio(list.filter((result) => result[tool][key]).length, list.length);
  const byCategory = {};
  for (const category of CATEGORIES) byCategory[category] = count(scored.filter((result) => result.category === category));
  return {
    overall: count(scored),
    byCategory,
    tuning: count(scored.filter((result) => !result.heldOut)),
    heldOut: count(scored.filter((result) => result.heldOut)),
  };
}

function percent({ found, of, recall }) {
  return recall === null ? `– (0)` : `${(recall * 100).toFixed(0)} % (${found}/${of})`;
}

function printText(report) {
  const yes = (value) => (value === null || value === undefined ? '–' : value ? 'yes' : 'no');
  const lines = [];
  lines.push(`| id | repo | category | split | PerfLens | rule (severity) | ESLint | note |`);
  lines.push(`|---|---|---|---|---|---|---|---|`);
  for (const result of report.entries) {
    const perflens = result.perflens;
    lines.push(
      `| ${result.id} | ${result.repo} | ${result.category} | ${result.heldOut ? 'held-out' : 'tuning'} | ${
        result.status === 'ok' ? yes(perflens.found) + (perflens.found && !perflens.foundStrict ? ' (±margin)' : '') : result.status
      } | ${perflens?.rule ? `${perflens.rule} (${perflens.severity})` : ''} | ${
        result.eslint ? yes(result.eslint.found) + (result.eslint.rules.length ? ` ${result.eslint.rules.join(', ')}` : '') : '–'
      } | ${result.note.replaceAll('|', '\\|')} |`,
    );
  }
  lines.push('');
  const tools = [['PerfLens', report.summary.perflens, report.summary.perflensStrict]];
  if (report.summary.eslint) tools.push(['ESLint (no-await-in-loop, n/no-sync)', report.summary.eslint, report.summary.eslintStrict]);
  lines.push(`Recall (a finding within ±${report.margin} lines of the slow lines; strict = overlapping them):`);
  lines.push('');
  lines.push(`| | ${tools.map(([name]) => name).join(' | ')} |`);
  lines.push(`|---|${tools.map(() => '---').join('|')}|`);
  const row = (label, pick) => `| ${label} | ${tools.map(([, summary]) => percent(pick(summary))).join(' | ')} |`;
  lines.push(row('overall', (summary) => summary.overall));
  lines.push(`| overall, strict | ${tools.map(([, , strict]) => percent(strict.overall)).join(' | ')} |`);
  for (const category of CATEGORIES) lines.push(row(category, (summary) => summary.byCategory[category]));
  lines.push(row('tuning split', (summary) => summary.tuning));
  lines.push(row('held-out split', (summary) => summary.heldOut));
  lines.push('');
  const notScored = report.entries.filter((result) => result.status !== 'ok');
  if (notScored.length > 0)
    lines.push(`Not scored (left out of the recall): ${notScored.map((result) => `${result.id} ${result.status}`).join(', ')}`);
  if (report.summary.eslint) {
    lines.push(`ESLint flags, PerfLens misses: ${report.eslintOnly.length === 0 ? 'none' : report.eslintOnly.join(', ')}`);
  }
  console.log(lines.join('\n'));
}

async function run(options) {
  const env = {
    mirrors: process.env.PERFLENS_MIRRORS || '/work/.mirror',
    cache: process.env.PERFLENS_FIXES_CACHE || '/tmp/perflens-fixes',
    cli: process.env.PERFLENS_CLI ? path.resolve(process.env.PERFLENS_CLI) : path.join(root, 'dist', 'cli.js'),
  };
  if (!fs.existsSync(env.cli)) fail(`no CLI at ${env.cli} (npm run build, or set PERFLENS_CLI)`);
  const corpus = readCorpus(options.corpus).filter((entry) => !options.only || options.only.has(entry.id));
  const entries = [];
  for (const entry of corpus) {
    entries.push(await evaluate(entry, options, env));
    if (!options.json) process.stderr.write(`\r${entries.length}/${corpus.length} ${entry.id}   `);
  }
  if (!options.json) process.stderr.write('\n');
  const summary = { perflens: summarise(entries, 'perflens'), perflensStrict: summarise(entries, 'perflens', 'foundStrict') };
  if (options.eslint) {
    summary.eslint = summarise(entries, 'eslint');
    summary.eslintStrict = summarise(entries, 'eslint', 'foundStrict');
  }
  const eslintOnly = entries
    .filter((result) => result.status === 'ok' && result.eslint?.found && !result.perflens.found)
    .map((result) => result.id);
  const report = {
    corpus: path.relative(root, options.corpus) || options.corpus,
    margin: options.margin,
    cli: env.cli,
    summary,
    eslintOnly,
    entries,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printText(report);
}

const options = parseArgs(process.argv.slice(2));
if (options.command === 'split') split(options);
else await run(options);
