// Scan suite: PerfLens's CLI against ESLint (typescript-eslint's parser, four syntax rules) on the
// same few thousand real files from node_modules, each tool in its own process, measured by CPU
// time and peak RSS — with a parse-only process as the floor neither can go below.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measureNode } from '../lib/child.mjs';
import { nodeModulesCorpus } from '../lib/corpus.mjs';
import { fixed, integer, megabytes, ratio, table } from '../lib/format.mjs';

const MIN_FILES = 3_000;
const TARGET_SPEEDUP = 3;

export const description = 'PerfLens CLI vs ESLint + typescript-eslint on the JS/TS files of node_modules';

/** @param {import('../run.mjs').SuiteContext} context */
export async function run(context) {
  const { root, cacheDir, engine, progress } = context;
  const corpus = nodeModulesCorpus(root, engine().MAX_FILE_BYTES);
  const listFile = path.join(cacheDir, 'scan-files.txt');
  fs.writeFileSync(listFile, `${corpus.files.join('\n')}\n`);
  progress(`corpus: ${integer(corpus.files.length)} files, ${integer(corpus.lines)} lines, ${megabytes(corpus.bytes)}`);

  progress('parse only (ts.createSourceFile per file)…');
  const parse = await measureNode([path.join('bench', 'drivers', 'parse.mjs'), context.engineBundle, listFile], { cwd: root });
  const parseSummary = expectJson(parse, 'the parse-only driver');

  progress('PerfLens: node dist/cli.js scan --format json <files>…');
  // The paths go on the command line, as a user or a CI step would pass them.
  const perflens = await measureNode([path.join('dist', 'cli.js'), 'scan', '--format', 'json', ...corpus.files], { cwd: root });
  if (perflens.code !== 0 && perflens.code !== 1) {
    throw new Error(`perflens scan exited ${perflens.code ?? perflens.signal}: ${perflens.stderr.trim().split('\n')[0] ?? ''}`);
  }
  const report = JSON.parse(perflens.stdout);
  const ruleCrashes = report.errors.filter((error) => error.rule);
  const perflensSummary = {
    files: report.files,
    findings: report.findings.length,
    parseErrors: report.errors.length - ruleCrashes.length,
    skipped: report.skipped.length,
    ruleCrashes: ruleCrashes.length,
    findingsByRule: countBy(report.findings, (finding) => finding.rule),
    crashesByRule: countBy(ruleCrashes, (error) => error.rule),
  };

  progress('ESLint: bench/drivers/eslint.mjs <files>…');
  const eslint = await measureNode([path.join('bench', 'drivers', 'eslint.mjs'), listFile], { cwd: root });
  const eslintSummary = expectJson(eslint, 'the ESLint driver');

  const rate = (files, run) => files / (run.cpuMs / 1000);
  const perflensRate = rate(corpus.files.length, perflens);
  const eslintRate = rate(corpus.files.length, eslint);
  const parseRate = rate(corpus.files.length, parse);
  const speedup = perflensRate / eslintRate;

  const row = (name, files, findings, parseErrors, run) => [
    name,
    integer(files),
    findings === undefined ? '—' : integer(findings),
    integer(parseErrors),
    fixed(run.cpuMs / 1000),
    integer(rate(corpus.files.length, run)),
    megabytes(run.maxRssBytes),
    fixed(run.wallMs / 1000),
  ];
  const output = table(
    ['tool', 'files', 'findings', 'parse errors', 'CPU s', 'files/CPU-s', 'peak RSS', 'wall s'],
    [
      row('PerfLens (perflens scan)', perflensSummary.files, perflensSummary.findings, perflensSummary.parseErrors, perflens),
      row(
        `ESLint ${eslintSummary.rules.length} rules (ts parser)`,
        eslintSummary.files,
        eslintSummary.problems,
        eslintSummary.parseErrors,
        eslint,
      ),
      row('parse only (floor)', parseSummary.files, undefined, parseSummary.parseErrors, parse),
    ],
  );

  const notes = [
    `corpus: ${integer(corpus.files.length)} files (${formatCounts(corpus.byExtension)}), ${integer(corpus.lines)} lines, ${megabytes(corpus.bytes)}; list in ${path.relative(root, listFile)}`,
    `ESLint rules: ${eslintSummary.rules.join(', ')}`,
    `PerfLens CPU is ${ratio(perflens.cpuMs / parse.cpuMs)} the parse-only floor; peak RSS PerfLens/ESLint ${ratio(perflens.maxRssBytes / eslint.maxRssBytes)}`,
  ];
  if (perflensSummary.files + perflensSummary.skipped !== corpus.files.length) {
    notes.push(
      `PerfLens accounted for ${integer(perflensSummary.files + perflensSummary.skipped)} of the ${integer(corpus.files.length)} files given`,
    );
  }
  if (eslintSummary.parseErrors > 0) notes.push(`ESLint parse errors, first: ${path.relative(root, eslintSummary.parseErrorSamples[0])}`);
  if (perflensSummary.skipped > 0) notes.push(`PerfLens skipped ${perflensSummary.skipped} file(s) (see results.json)`);
  if (Object.keys(perflensSummary.findingsByRule).length > 0)
    notes.push(`findings by rule: ${formatCounts(perflensSummary.findingsByRule)}`);
  if (perflensSummary.ruleCrashes > 0)
    notes.push(`rule crashes: ${formatCounts(perflensSummary.crashesByRule)} (first: ${ruleCrashes[0].file}: ${ruleCrashes[0].message})`);

  return {
    output,
    notes,
    checks: [
      {
        name: 'corpus size',
        value: integer(corpus.files.length),
        target: `≥ ${integer(MIN_FILES)} files`,
        pass: corpus.files.length >= MIN_FILES,
      },
      {
        name: 'PerfLens/ESLint files per CPU-second',
        value: ratio(speedup),
        target: `≥ ${TARGET_SPEEDUP}×`,
        pass: speedup >= TARGET_SPEEDUP,
      },
      {
        name: 'rules that crashed on real code',
        value: String(Object.keys(perflensSummary.crashesByRule).length),
        target: '0',
        pass: perflensSummary.ruleCrashes === 0,
      },
    ],
    data: {
      corpus: { files: corpus.files.length, lines: corpus.lines, bytes: corpus.bytes, byExtension: corpus.byExtension },
      perflens: {
        ...measurement(perflens),
        ...perflensSummary,
        filesPerCpuSecond: perflensRate,
        skippedFiles: report.skipped,
        crashes: ruleCrashes.slice(0, 20),
      },
      eslint: { ...measurement(eslint), ...eslintSummary, filesPerCpuSecond: eslintRate },
      parseOnly: { ...measurement(parse), ...parseSummary, filesPerCpuSecond: parseRate },
      speedup,
    },
  };
}

function expectJson(run, what) {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code ?? run.signal}: ${run.stderr.trim().split('\n').slice(0, 3).join(' ')}`);
  return JSON.parse(run.stdout);
}

function measurement(run) {
  return { cpuMs: run.cpuMs, userMs: run.userMs, systemMs: run.systemMs, maxRssBytes: run.maxRssBytes, wallMs: run.wallMs };
}

function countBy(items, key) {
  const counts = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function formatCounts(counts) {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, count]) => `${name} ${integer(count)}`)
    .join(', ');
}
