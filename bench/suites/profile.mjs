// Profile suite: loading a big real .cpuprofile (tsc type-checking a large project, sampled every
// 100 µs) and a 30 MB Chrome trace, against the floor every viewer pays — JSON.parse of the same
// file — and the peak memory of a process that only parses it. Then callers/callees and
// bottom-up queries on the loaded profile. Each job runs in its own process, three times,
// interleaved; the medians are compared (CPU time, since the machine is small and shared).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measureNode } from '../lib/child.mjs';
import { buildProfileEngine } from '../lib/build-profile-engine.mjs';
import { fixed, integer, megabytes, ratio, table } from '../lib/format.mjs';
import { profileWorkload } from '../lib/profile-workload.mjs';
import { median } from '../lib/stats.mjs';

const RUNS = 3;
const TARGET_LOAD = 1.5;
const TARGET_RSS = 1.5;
const TARGET_TRACE = 2;
const TARGET_QUERY_MS = 1000;

export const description = 'profile load + aggregation vs JSON.parse, peak RSS vs a parse-only process, queries, a 30 MB Chrome trace';

/** @param {import('../run.mjs').SuiteContext} context */
export async function run(context) {
  const { root, cacheDir, progress } = context;
  const workload = profileWorkload(root, cacheDir, progress);
  const engine = await buildProfileEngine(root, cacheDir);
  const driver = path.join('bench', 'lib', 'profile-driver.mjs');

  const job = async (mode, file) => {
    const measured = await measureNode([driver, mode, file, engine, root], { cwd: root });
    if (measured.code !== 0)
      throw new Error(
        `${mode} ${path.basename(file)} exited ${measured.code ?? measured.signal}: ${measured.stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
    return { ...JSON.parse(measured.stdout), maxRssBytes: measured.maxRssBytes, processCpuMs: measured.cpuMs };
  };
  /** RUNS × (parse, load), interleaved so that a burst of load on the machine hits both. */
  const compare = async (file, label) => {
    const parses = [];
    const loads = [];
    for (let round = 0; round < RUNS; round++) {
      progress(`${label}: JSON.parse, then PerfLens load (${round + 1}/${RUNS})…`);
      parses.push(await job('parse', file));
      loads.push(await job('load', file));
    }
    const pick = (runs, key) => median(runs.map((one) => one[key]));
    return {
      bytes: fs.statSync(file).size,
      parse: { cpuMs: pick(parses, 'cpuMs'), wallMs: pick(parses, 'wallMs'), rss: pick(parses, 'maxRssBytes') },
      load: { cpuMs: pick(loads, 'cpuMs'), wallMs: pick(loads, 'wallMs'), rss: pick(loads, 'maxRssBytes') },
      summary: loads[0],
    };
  };

  const cpu = await compare(workload.cpuprofile, 'cpuprofile');
  const trace = await compare(workload.trace, 'Chrome trace');
  progress('callers/callees and bottom-up on the big profile…');
  const queries = (await job('queries', workload.cpuprofile)).queries;
  progress('perflens profile --format json end to end…');
  const cli = await measureNode([path.join('dist', 'cli.js'), 'profile', workload.cpuprofile, '--format', 'json', '--top', '50'], {
    cwd: root,
  });
  if (cli.code !== 0) throw new Error(`perflens profile exited ${cli.code}: ${cli.stderr.trim()}`);

  const row = (name, result) => [
    `${name} (${megabytes(result.bytes)})`,
    fixed(result.parse.cpuMs / 1000, 2),
    fixed(result.load.cpuMs / 1000, 2),
    ratio(result.load.cpuMs / result.parse.cpuMs),
    fixed(result.parse.wallMs / 1000, 2),
    fixed(result.load.wallMs / 1000, 2),
    megabytes(result.parse.rss),
    megabytes(result.load.rss),
    ratio(result.load.rss / result.parse.rss),
  ];
  const worst = queries.reduce((max, query) => Math.max(max, query.callersMs, query.bottomUpMs), 0);
  const output = [
    table(
      [
        'profile',
        'JSON.parse CPU s',
        'PerfLens CPU s',
        'ratio',
        'parse wall s',
        'PerfLens wall s',
        'parse-only RSS',
        'PerfLens RSS',
        'ratio',
      ],
      [row('tsc .cpuprofile', cpu), row('Chrome trace', trace)],
    ),
    '',
    table(
      ['function (callers/callees, bottom-up)', 'tree nodes', 'callers+callees ms', 'bottom-up ms'],
      queries.map((query) => [query.name.slice(0, 40), integer(query.nodes), fixed(query.callersMs), fixed(query.bottomUpMs)]),
    ),
  ].join('\n');

  const notes = [
    `cpuprofile: ${integer(cpu.summary.nodes)} nodes, ${integer(cpu.summary.frames)} frames, ${integer(cpu.summary.functions)} functions, ${integer(cpu.summary.samples)} samples, ${fixed(cpu.summary.total / 1000)} s profiled`,
    `trace: ${integer(trace.summary.nodes)} nodes, ${integer(trace.summary.samples)} samples on the main thread`,
    `PerfLens = read + parse + build the model + resolve frames (source maps, paths) + self/total per function and line; JSON.parse = read + JSON.parse; medians of ${RUNS} interleaved runs, CPU time of that phase in each process`,
    `perflens profile --format json --top 50 end to end (bundle start-up, tree-sitter ranges): ${fixed(cli.cpuMs / 1000, 2)} s CPU, ${megabytes(cli.maxRssBytes)} peak RSS`,
    `inputs cached in ${path.relative(root, path.dirname(workload.cpuprofile))}${workload.made.length > 0 ? ' (made in this run)' : ''}`,
  ];
  const checks = [
    {
      name: 'cpuprofile load + aggregation vs JSON.parse (CPU)',
      value: ratio(cpu.load.cpuMs / cpu.parse.cpuMs),
      target: `≤ ${TARGET_LOAD}×`,
      pass: cpu.load.cpuMs <= TARGET_LOAD * cpu.parse.cpuMs,
    },
    {
      name: 'cpuprofile peak RSS vs a parse-only process',
      value: ratio(cpu.load.rss / cpu.parse.rss),
      target: `≤ ${TARGET_RSS}×`,
      pass: cpu.load.rss <= TARGET_RSS * cpu.parse.rss,
    },
    {
      name: 'slowest callers/callees or bottom-up query',
      value: `${fixed(worst)} ms`,
      target: `< ${TARGET_QUERY_MS} ms`,
      pass: worst < TARGET_QUERY_MS,
    },
    {
      name: '30 MB Chrome trace load vs JSON.parse (CPU)',
      value: ratio(trace.load.cpuMs / trace.parse.cpuMs),
      target: `≤ ${TARGET_TRACE}×`,
      pass: trace.load.cpuMs <= TARGET_TRACE * trace.parse.cpuMs,
    },
  ];
  return { output, notes, checks, data: { cpuprofile: cpu, trace, queries, cli: { cpuMs: cli.cpuMs, maxRssBytes: cli.maxRssBytes } } };
}
