// Edit-latency suite: how long the editor waits for fresh findings after an edit of a large
// file. The engine runs in this process the way the worker runs it (one Analyzer and one
// ProjectHost kept warm, `syntaxErrors: 'analyze'`, the edited text set as an overlay and
// analysed in full), and each analysis is paired with a bare ts.createSourceFile of the same
// text — the floor any re-analysis pays — so the ratio stays meaningful on a busy machine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { nodeModulesCorpus } from '../lib/corpus.mjs';
import { applyEdit, planEdits } from '../lib/edits.mjs';
import { fixed, integer, ratio, table } from '../lib/format.mjs';
import { buildMonolith } from '../lib/monolith.mjs';
import { median, percentile } from '../lib/stats.mjs';

const EDITS = 50;
const WARM_UP = 10;
const SEED = 0x5eed;
const TARGET_P95_MS = 50;
const SIZE = { minLines: 4_000, maxLines: 5_000 };

export const description = `re-analysis after ${EDITS} edits of a ${integer(SIZE.minLines)}–${integer(SIZE.maxLines)}-line file (in-process engine)`;

/** @param {import('../run.mjs').SuiteContext} context */
export async function run(context) {
  const { root, engine, progress } = context;
  const { ts } = engine();
  const cases = [];

  // An application file: the example service, its sources repeated as namespaces.
  const exampleSources = path.join(root, 'examples', 'shop-api', 'src');
  const monolith = buildMonolith(ts, exampleSources, SIZE);
  cases.push({
    name: 'shop-api monolith (TS)',
    // It pretends to live beside the sources it was built from: same tsconfig, same context.
    file: path.join(exampleSources, 'monolith.ts'),
    text: monolith.text,
    origin: `examples/shop-api/src: ${monolith.sources} files × ${monolith.copies}+ copies in namespaces`,
  });

  // A real large file: the first one of that size in node_modules, in sorted order.
  const corpus = nodeModulesCorpus(root, engine().MAX_FILE_BYTES);
  const real = corpus.files.find((file) => withinSize(fs.readFileSync(path.join(root, file), 'utf8')));
  if (real)
    cases.push({
      name: `${path.basename(path.dirname(real))}/${path.basename(real)} (real)`,
      file: path.join(root, real),
      text: fs.readFileSync(path.join(root, real), 'utf8'),
      origin: real,
    });

  const results = [];
  for (const testCase of cases) {
    progress(`${testCase.name}: ${WARM_UP} warm-up + ${EDITS} measured edits…`);
    results.push(measureCase(engine(), testCase));
  }

  const output = table(
    ['file', 'lines', 'findings', 'analyse p50', 'analyse p95', 'parse p50', 'parse p95', 'p95 ratio', 'wall p95'],
    results.map((r) => [
      r.name,
      integer(r.lines),
      integer(r.findings),
      `${fixed(r.analysis.medianMs)} ms`,
      `${fixed(r.analysis.p95Ms)} ms`,
      `${fixed(r.parse.medianMs)} ms`,
      `${fixed(r.parse.p95Ms)} ms`,
      ratio(r.analysis.p95Ms / r.parse.p95Ms),
      `${fixed(r.analysis.wallP95Ms)} ms`,
    ]),
  );
  return {
    output,
    notes: [
      'times are CPU ms of this process per edit (wall p95 for reference); parse = ts.createSourceFile of the same edited text',
      `edits: ${EDITS} per file after ${WARM_UP} warm-up, each one edit away from the original text the engine analysed just before (untimed), kinds round-robin (insert/delete a character of a name, insert \`await \` before a call, delete a name), seed ${SEED}`,
      ...results.map((r) => `${r.name}: ${r.origin}`),
    ],
    checks: results.map((r) => ({
      name: `edit latency p95, ${r.name}`,
      value: `${fixed(r.analysis.p95Ms)} ms`,
      target: `< ${TARGET_P95_MS} ms`,
      pass: r.analysis.p95Ms < TARGET_P95_MS,
    })),
    data: { edits: EDITS, warmUp: WARM_UP, seed: SEED, files: results },
  };
}

function withinSize(text) {
  const lines = text.split('\n').length;
  return lines >= SIZE.minLines && lines <= SIZE.maxLines;
}

function measureCase({ Analyzer, ProjectHost, scriptKindOf, ts }, { name, file, text, origin }) {
  const host = new ProjectHost();
  const analyzer = new Analyzer({ syntaxErrors: 'analyze', host });
  const kind = scriptKindOf(file);
  const original = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const edits = planEdits(ts, original, WARM_UP + EDITS, SEED);

  const analyse = (edited) => {
    host.setOverlay(file, edited);
    return analyzer.analyzeText(file, edited);
  };
  const findings = analyse(text).findings.length;
  for (const edit of edits.slice(0, WARM_UP)) {
    const edited = applyEdit(text, edit);
    analyse(text);
    analyse(edited);
    ts.createSourceFile(file, edited, ts.ScriptTarget.Latest, true, kind);
  }

  const analysis = { cpu: [], wall: [] };
  const parse = { cpu: [], wall: [] };
  const byKind = {};
  for (const edit of edits.slice(WARM_UP)) {
    const edited = applyEdit(text, edit);
    // The engine last saw the original text, so the timed analysis is exactly one edit away from
    // it, as after a keystroke (the editor's worker re-parses incrementally from its last tree).
    analyse(text);
    const a = timed(() => analyse(edited));
    analysis.cpu.push(a.cpuMs);
    analysis.wall.push(a.wallMs);
    (byKind[edit.kind] ??= []).push(a.cpuMs);
    const p = timed(() => ts.createSourceFile(file, edited, ts.ScriptTarget.Latest, true, kind));
    parse.cpu.push(p.cpuMs);
    parse.wall.push(p.wallMs);
  }
  host.clearOverlay(file);

  const summary = (samples) => ({
    medianMs: median(samples.cpu),
    p95Ms: percentile(samples.cpu, 95),
    maxMs: Math.max(...samples.cpu),
    wallMedianMs: median(samples.wall),
    wallP95Ms: percentile(samples.wall, 95),
    samplesMs: samples.cpu.map((ms) => Math.round(ms * 100) / 100),
  });
  return {
    name,
    origin,
    file,
    lines: text.split('\n').length,
    findings,
    analysis: summary(analysis),
    parse: summary(parse),
    medianByKindMs: Object.fromEntries(Object.entries(byKind).map(([k, samples]) => [k, median(samples)])),
  };
}

/** CPU time (this process, all threads) and wall time of one call. */
function timed(fn) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  fn();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}
