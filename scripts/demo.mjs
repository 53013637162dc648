// `npm run demo` (after `npm run build`): PerfLens on the bundled example service,
// examples/shop-api — an Express + Prisma API with a few real performance problems of each
// kind and look-alikes that are fine. Prints the findings as `perflens scan` shows them and a
// one-line summary. Findings are the point of a demo, so they do not fail it: the exit status
// is 0 when the scan ran and 2 only when the scan itself could not run.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = 'examples/shop-api';
const cli = path.join(root, 'dist', 'cli.js');

/** Runs `perflens ARGS` from the repository root; stops the demo if the CLI reports a failure. */
function perflens(args, { show }) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    // Keep the CLI's colours when the demo itself runs in a terminal.
    env: process.stdout.isTTY && process.env.FORCE_COLOR === undefined ? { ...process.env, FORCE_COLOR: '1' } : process.env,
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
perflens(['scan', example], { show: true });
const report = JSON.parse(perflens(['scan', '--format', 'json', example], { show: false }));
// In DESIGN's order of categories, so the summary reads the same way every time.
const byCategory = new Map(['complexity', 'database', 'sync-io', 'concurrency', 'caching', 'memory', 'network'].map((category) => [category, 0]));
for (const finding of report.findings) byCategory.set(finding.category, (byCategory.get(finding.category) ?? 0) + 1);
const categories = [...byCategory].filter(([, count]) => count > 0).map(([category, count]) => `${category} ${count}`).join(' · ');
console.log(
  `\nSummary: ${report.findings.length} finding(s) in ${report.files} files${categories ? ` (${categories})` : ''}` +
    `${report.errors.length > 0 ? `, ${report.errors.length} error(s)` : ''} — ${example}/README.md says why each one is there.`,
);

// Part 2 — runtime profiles belongs here: record a CPU profile of the example under load with
// `perflens profile --run`, then rank the findings above by the time their code really spent.
