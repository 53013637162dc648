// The precision study's sampler (docs/precision/evidence-round-1.md): draws findings of real
// applications at random for a reviewer to judge blind to their severity, then scores the verdicts.
//
//   node scripts/precision-sample.mjs draw --out DIR [--seed N] [--warnings 40] [--infos 20] [--cap N] [--reuse] APP_ROOT...
//     Scans each APP_ROOT from its own root (`node dist/cli.js scan --format json --min-severity info .`,
//     the built CLI of this checkout, or the one PERFLENS_CLI names; raw output kept as DIR/scans/<app>.json, reused with --reuse),
//     pools the findings of all apps (one per app, file, rule and start position), and draws the
//     warnings and the infos separately with a seeded PRNG (mulberry32; default seed 20261207):
//     stratified by category — every category present gets min(3, its size) findings, the rest is
//     shared in proportion to what is left of each category (largest remainder), and each category
//     is drawn by a seeded Fisher–Yates shuffle of its findings sorted by app, file, line, column, rule.
//     `--cap N`: no application gives more than N of the warnings (or of the infos) — a category's
//     shuffled findings are taken in order, passing over those of an application already at N; a
//     shortfall is filled from the other categories' findings left over, in a seeded shuffle, under
//     the same cap (round 1 drew 19 of 40 warnings from one application: the sample measured it).
//     The drawn findings are shuffled together and numbered F01…, so the order says nothing of severity.
//     Writes DIR/sheet.md (id, app, file:line, rule, message, note and 15 lines of code — no severity,
//     no evidence), DIR/key.json (id → severity, evidence, where) and DIR/verdicts.md (a table to fill).
//     The same roots, the same CLI build and the same seed draw the same sample.
//
//   node scripts/precision-sample.mjs score --out DIR
//     Joins DIR/verdicts.md (rows `| F01 | worth | tag | why |`; verdict worth, not or unsure; tag: for
//     a warning not worth fixing the reason — small-data, once-only, not-batchable, rare-path,
//     wrong-facts, other —, for an info worth fixing the evidence that was missing) with DIR/key.json
//     and prints, in markdown: the share worth fixing among warnings and among infos (unsure left out of
//     both counts), the verdicts with their severity, the warnings not worth fixing by reason and the
//     infos worth fixing by missing evidence.
//
// Keep DIR outside the project: the sheet quotes the applications' code.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom as mulberry32, shuffle } from '../bench/lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.PERFLENS_CLI ?? path.join(root, 'dist', 'cli.js');
const SEVERITIES = ['warning', 'info'];
const FEW = 3;
const CONTEXT_LINES = 7;

function fail(message) {
  console.error(`precision-sample: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const options = { command, seed: 20261207, warnings: 40, infos: 20, cap: Infinity, reuse: false, roots: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => rest[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--out') options.out = path.resolve(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--warnings') options.warnings = Number(value());
    else if (arg === '--infos') options.infos = Number(value());
    else if (arg === '--cap') options.cap = Number(value());
    else if (arg === '--reuse') options.reuse = true;
    else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else options.roots.push(path.resolve(arg));
  }
  if (command !== 'draw' && command !== 'score') fail('usage: precision-sample.mjs draw|score --out DIR [options] [APP_ROOT...]');
  if (!options.out) fail('--out DIR is required (keep it outside the project)');
  if (options.cap !== Infinity && !(Number.isInteger(options.cap) && options.cap > 0))
    fail(`--cap needs a whole number above 0: ${options.cap}`);
  for (const n of [options.seed, options.warnings, options.infos]) if (!Number.isInteger(n) || n < 0) fail(`not a whole number: ${n}`);
  if (command === 'draw' && options.roots.length === 0) fail('draw needs at least one APP_ROOT');
  return options;
}

/** The findings of one application, scanned from its root (or read back from an earlier scan). */
function scanApp(appRoot, out, reuse) {
  const app = path.basename(appRoot);
  const saved = path.join(out, 'scans', `${app}.json`);
  if (!(reuse && fs.existsSync(saved))) {
    const run = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', '--min-severity', 'info', '.'], {
      cwd: appRoot,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (run.error) fail(`cannot run ${cli}: ${run.error.message}`);
    if (run.status !== 0 && run.status !== 1) fail(`scan of ${appRoot} failed (exit ${run.status ?? run.signal})`);
    fs.mkdirSync(path.dirname(saved), { recursive: true });
    fs.writeFileSync(saved, run.stdout);
  }
  const report = JSON.parse(fs.readFileSync(saved, 'utf8'));
  return report.findings.map((finding) => ({ app, appRoot, finding }));
}

function where({ app, finding }) {
  return `${app}/${finding.file}:${finding.range.start.line}:${finding.range.start.column}`;
}

function compareFindings(a, b) {
  return (
    a.app.localeCompare(b.app) ||
    a.finding.file.localeCompare(b.finding.file) ||
    a.finding.range.start.line - b.finding.range.start.line ||
    a.finding.range.start.column - b.finding.range.start.column ||
    a.finding.rule.localeCompare(b.finding.rule)
  );
}

/** How many to draw from each stratum: a few of each, the rest in proportion to what is left. */
function allocate(sizes, total) {
  const names = Object.keys(sizes).sort();
  const take = Object.fromEntries(names.map((name) => [name, 0]));
  let left = Math.min(
    total,
    names.reduce((sum, name) => sum + sizes[name], 0),
  );
  for (let round = 0; round < FEW && left > 0; round++) {
    for (const name of names) {
      if (left > 0 && take[name] < sizes[name]) {
        take[name]++;
        left--;
      }
    }
  }
  const spare = names.map((name) => ({ name, room: sizes[name] - take[name] }));
  const room = spare.reduce((sum, s) => sum + s.room, 0);
  if (left > 0 && room > 0) {
    const shares = spare.map((s) => ({ ...s, exact: (left * s.room) / room }));
    let given = 0;
    for (const s of shares) {
      const whole = Math.min(s.room, Math.floor(s.exact));
      take[s.name] += whole;
      given += whole;
    }
    const byRemainder = [...shares].sort(
      (a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.name.localeCompare(b.name),
    );
    for (const s of byRemainder) {
      if (given >= left) break;
      if (take[s.name] < sizes[s.name]) {
        take[s.name]++;
        given++;
      }
    }
  }
  return take;
}

function snippet({ appRoot, finding }) {
  let lines;
  try {
    lines = fs.readFileSync(path.join(appRoot, finding.file), 'utf8').split(/\r?\n/);
  } catch (error) {
    return `(cannot read the file: ${error.message})`;
  }
  const at = finding.range.start.line;
  const first = Math.max(1, at - CONTEXT_LINES);
  const last = Math.min(lines.length, at + CONTEXT_LINES);
  const out = [];
  for (let n = first; n <= last; n++) out.push(`${n === at ? '>' : ' '}${String(n).padStart(5)}  ${lines[n - 1]}`);
  return out.join('\n');
}

function draw(options) {
  const pooled = new Map();
  for (const appRoot of options.roots) {
    for (const item of scanApp(appRoot, options.out, options.reuse)) pooled.set(`${where(item)} ${item.finding.rule}`, item);
  }
  const all = [...pooled.values()].sort(compareFindings);
  const random = mulberry32(options.seed);
  const drawn = [];
  const summary = [];
  for (const severity of SEVERITIES) {
    const wanted = severity === 'warning' ? options.warnings : options.infos;
    const strata = {};
    for (const item of all.filter((i) => i.finding.severity === severity)) (strata[item.finding.category] ??= []).push(item);
    const take = allocate(Object.fromEntries(Object.entries(strata).map(([name, items]) => [name, items.length])), wanted);
    const perApp = new Map();
    const underCap = (item) => (perApp.get(item.app) ?? 0) < options.cap;
    const pick = (item) => perApp.set(item.app, (perApp.get(item.app) ?? 0) + 1);
    const drawnHere = [];
    const leftOver = [];
    for (const name of Object.keys(take).sort()) {
      let taken = 0;
      for (const item of shuffle(strata[name], random)) {
        if (taken < take[name] && underCap(item)) {
          pick(item);
          drawnHere.push(item);
          taken++;
        } else leftOver.push(item);
      }
      summary.push(`${severity} ${name}: ${taken} of ${strata[name].length}`);
    }
    const short = Math.min(wanted, all.filter((i) => i.finding.severity === severity).length) - drawnHere.length;
    if (short > 0) {
      const filled = [];
      for (const item of shuffle(leftOver.sort(compareFindings), random)) {
        if (filled.length < short && underCap(item)) {
          pick(item);
          filled.push(item);
        }
      }
      drawnHere.push(...filled);
      summary.push(`${severity}: ${filled.length} more from the other categories to fill the sample under the cap`);
    }
    drawn.push(...drawnHere);
  }
  const sample = shuffle(drawn, random).map((item, i) => ({ id: `F${String(i + 1).padStart(2, '0')}`, ...item }));

  const sheet = [
    `# Judging sheet (seed ${options.seed})`,
    '',
    'Judge each finding by /work/shared/notes/precision-standard.md reading the code (and its callers). Severity and evidence are in key.json: do not open it before the verdicts are written.',
    '',
  ];
  for (const { id, app, appRoot, finding } of sample) {
    sheet.push(
      `## ${id} — ${app}/${finding.file}:${finding.range.start.line} — ${finding.rule}`,
      '',
      `${finding.message}`,
      '',
      finding.note ? `Note: ${finding.note}\n` : '',
      '```',
      snippet({ appRoot, finding }),
      '```',
      '',
    );
  }
  const key = Object.fromEntries(
    sample.map(({ id, app, finding }) => [
      id,
      {
        app,
        file: finding.file,
        line: finding.range.start.line,
        rule: finding.rule,
        category: finding.category,
        severity: finding.severity,
        evidence: finding.evidence,
      },
    ]),
  );
  const verdicts = ['| id | verdict | tag | why |', '|---|---|---|---|', ...sample.map(({ id }) => `| ${id} |  |  |  |`)];
  fs.mkdirSync(options.out, { recursive: true });
  fs.writeFileSync(path.join(options.out, 'sheet.md'), sheet.join('\n'));
  fs.writeFileSync(
    path.join(options.out, 'key.json'),
    `${JSON.stringify({ seed: options.seed, cap: Number.isFinite(options.cap) ? options.cap : null, population: counts(all), key }, null, 2)}\n`,
  );
  const verdictFile = path.join(options.out, 'verdicts.md');
  if (!fs.existsSync(verdictFile)) fs.writeFileSync(verdictFile, `${verdicts.join('\n')}\n`);
  console.log(
    `pooled ${all.length} findings of ${options.roots.length} apps; drew ${sample.length} (seed ${options.seed}${Number.isFinite(options.cap) ? `, at most ${options.cap} per app and severity` : ''})`,
  );
  for (const line of summary) console.log(`  ${line}`);
  console.log(`wrote ${path.join(options.out, 'sheet.md')}, key.json and verdicts.md`);
}

/** Findings per app, severity and rule: the population the sample is drawn from. */
function counts(all) {
  const out = {};
  for (const { app, finding } of all) {
    const bySeverity = ((out[app] ??= {})[finding.severity] ??= {});
    bySeverity[finding.rule] = (bySeverity[finding.rule] ?? 0) + 1;
  }
  return out;
}

function percent(part, whole) {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(0)} %`;
}

function score(options) {
  const { key } = JSON.parse(fs.readFileSync(path.join(options.out, 'key.json'), 'utf8'));
  const verdicts = {};
  for (const line of fs.readFileSync(path.join(options.out, 'verdicts.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (!/^F\d+$/.test(cells[1] ?? '')) continue;
    const [, id, verdict, tag, why] = cells;
    if (!['worth', 'not', 'unsure'].includes(verdict)) fail(`${id}: verdict must be worth, not or unsure (got "${verdict}")`);
    verdicts[id] = { verdict, tag: tag || '—', why: why ?? '' };
  }
  const missing = Object.keys(key).filter((id) => !verdicts[id]);
  if (missing.length > 0) fail(`no verdict for ${missing.join(', ')}`);
  const out = [];
  for (const severity of SEVERITIES) {
    const ids = Object.keys(key).filter((id) => key[id].severity === severity);
    const worth = ids.filter((id) => verdicts[id].verdict === 'worth').length;
    const not = ids.filter((id) => verdicts[id].verdict === 'not').length;
    out.push(
      `- ${severity}s: ${worth} worth fixing, ${not} not, ${ids.length - worth - not} unsure — ${percent(worth, worth + not)} worth fixing`,
    );
  }
  out.push('', '| id | app | where | rule | severity | verdict | tag | why |', '|---|---|---|---|---|---|---|---|');
  for (const id of Object.keys(key).sort()) {
    const k = key[id];
    const v = verdicts[id];
    out.push(`| ${id} | ${k.app} | ${k.file}:${k.line} | ${k.rule} | ${k.severity} | ${v.verdict} | ${v.tag} | ${v.why} |`);
  }
  const tally = (severity, verdict) => {
    const byTag = {};
    for (const id of Object.keys(key).sort()) {
      if (key[id].severity === severity && verdicts[id].verdict === verdict) (byTag[verdicts[id].tag] ??= []).push(id);
    }
    return Object.entries(byTag)
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .map(([tag, ids]) => `| ${tag} | ${ids.length} | ${ids.join(', ')} |`);
  };
  out.push('', 'Warnings not worth fixing, by reason:', '', '| reason | count | ids |', '|---|---|---|', ...tally('warning', 'not'));
  out.push(
    '',
    'Infos worth fixing, by the evidence that was missing:',
    '',
    '| missing evidence | count | ids |',
    '|---|---|---|',
    ...tally('info', 'worth'),
  );
  console.log(out.join('\n'));
}

const options = parseArgs(process.argv.slice(2));
if (options.command === 'draw') draw(options);
else score(options);
