// `npm run demo` (after `npm run build`): PerfLens on the bundled example service,
// examples/shop-api — an Express + Prisma API with a few real performance problems of each
// kind and look-alikes that are fine. Prints the findings as `perflens scan` shows them and a
// one-line summary, then profiles the example's CPU-bound code under load and shows the hot
// functions at their .ts lines and the findings the profile measured time on. Findings are the
// point of a demo, so they do not fail it: the exit status is 0 when both halves ran and 2 when
// the scan, the load or the profile could not run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = 'examples/shop-api';
const cli = path.join(root, 'dist', 'cli.js');

/** Runs `perflens ARGS` from the repository root; stops the demo if the CLI reports a failure. */
function perflens(args, { show, env = {} }) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    // Keep the CLI's colours when the demo itself runs in a terminal.
    env: { ...process.env, ...(process.stdout.isTTY && process.env.FORCE_COLOR === undefined ? { FORCE_COLOR: '1' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) {
    console.error(`demo: cannot run ${path.relative(root, cli)}: ${run.error.message}`);
    process.exit(2);
  }
  if (run.status !== 0 && run.status !== 1) {
    console.error(`demo: perflens ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);
    process.exit(2);
  }
  if (show) process.stdout.write(run.stdout);
  return run.stdout;
}

// Part 1 — static analysis: what PerfLens finds by reading the code.
console.log(`PerfLens demo — scanning ${example} (Express + Prisma, no node_modules needed)\n`);
// Infos too (`--min-severity info`): the demo shows every finding with the evidence behind its severity.
perflens(['scan', '--min-severity', 'info', example], { show: true });
const report = JSON.parse(perflens(['scan', '--format', 'json', '--min-severity', 'info', example], { show: false }));
// In DESIGN's order of categories, so the summary reads the same way every time.
const byCategory = new Map(['complexity', 'database', 'sync-io', 'concurrency', 'caching', 'memory'].map((category) => [category, 0]));
for (const finding of report.findings) byCategory.set(finding.category, (byCategory.get(finding.category) ?? 0) + 1);
const categories = [...byCategory]
  .filter(([, count]) => count > 0)
  .map(([category, count]) => `${category} ${count}`)
  .join(' · ');
console.log(
  `\nSummary: ${report.findings.length} finding(s) in ${report.files} files${categories ? ` (${categories})` : ''}` +
    `; ${report.findings.filter((finding) => finding.severity !== 'info').length} with evidence of growing cost on a path that matters, the others info` +
    `${report.errors.length > 0 ? `, ${report.errors.length} error(s)` : ''} — ${example}/README.md says why each one is there.`,
);

// Part 2 — the profile: what the code really spends. The example's CPU-bound services run under a
// seeded load (scripts/demo/shop-load.mjs), bundled with esbuild and source maps the way a real
// build ships them, recorded by `perflens profile --run`, which maps the bundle's frames back to
// the example's .ts lines and keeps the profile in .perflens/profiles/; `perflens scan --profile`
// then ranks part 1's findings by the time the profile spent in the function around each one.
// Inside the repository (scratch/ and .perflens/ are git-ignored): perflens reads the files a
// profile names — the bundle, its source map — only under its root, the working directory. The
// bundle stays in scratch/demo/ after the demo, so that the kept profile can be read again.
const work = path.join(root, 'scratch', 'demo');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
{
  const bundle = path.join(work, 'shop-load.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'scripts', 'demo', 'shop-load.mjs')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // No database in a demo: the few queries the load makes are answered from memory.
    alias: { '@prisma/client': path.join(root, 'scripts', 'demo', 'in-memory-prisma.mjs') },
    logLevel: 'warning',
  });
  console.log(`\nPerfLens demo — profiling ${example} under a synthetic load (perflens profile --run, esbuild bundle with source maps)\n`);
  const kept = path.join(root, '.perflens', 'profiles');
  const before = new Set(fs.existsSync(kept) ? fs.readdirSync(kept) : []);
  perflens(['profile', '--top', '8', '--run', '--', process.execPath, path.relative(root, bundle)], {
    show: true,
    env: { SHOP_CONFIG: path.join(root, example, 'config', 'shop.json') },
  });
  const recorded = fs.readdirSync(kept).find((name) => !before.has(name) && name.endsWith('.cpuprofile'));
  if (recorded === undefined) {
    console.error('demo: the load run kept no profile in .perflens/profiles/');
    process.exit(2);
  }
  const profileFile = path.join(kept, recorded);

  // Where the two meet: `perflens scan --profile` gives each finding the time of the function
  // around it and puts the hottest first; a finding about CPU work whose lines the run spent at
  // least 5% on rises to a warning (the code alone could not say how big its data gets).
  const ranked = JSON.parse(
    perflens(['scan', '--format', 'json', '--min-severity', 'info', '--profile', profileFile, example], { show: false }),
  );
  const key = ({ rule, file, range }) => `${rule} ${file}:${range.start.line}`;
  const fromCode = new Map(report.findings.map((finding) => [key(finding), finding.severity]));
  const measured = ranked.findings.filter((finding) => finding.hotness !== null);
  console.log(
    `\nFindings ranked by the profile — perflens scan --profile (${measured.length} of ${ranked.findings.length} ran under this load; the others are I/O it does not exercise)`,
  );
  for (const finding of measured) {
    const { rule, file, range, hotness, severity } = finding;
    const was = fromCode.get(key(finding));
    const level = was && was !== severity ? `${was} → ${severity}` : severity;
    console.log(
      `  ${hotness.totalMs.toFixed(1).padStart(8)} ms ${(hotness.share * 100).toFixed(1).padStart(5)}%  ${level.padEnd(15)} ${rule.padEnd(20)} ${file}:${range.start.line}`,
    );
  }
  const again = path.relative(root, profileFile);
  console.log(
    `\nThe profile stays in ${again} (its bundle and source map in scratch/demo/); read it again with\n` +
      `  npx perflens profile ${again}\n  npx perflens scan --profile ${again} ${example}`,
  );
}
