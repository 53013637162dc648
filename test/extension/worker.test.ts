/**
 * The analysis worker for real: dist/worker.js (kept up to date by the global setup), started in
 * a worker thread and driven with raw protocol messages.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundles, tempDir, writeFiles } from './helpers/bundle';
import { Gate } from './helpers/gate';
import { ProtocolDriver } from './helpers/protocolDriver';
import { BLOCKING_READ, run, workspace as cliWorkspace } from '../cli/helpers';

// A blocking read per listed file on a request path: a warning (the route is what makes it one).
const BLOCKING = BLOCKING_READ;
const FIXED = BLOCKING.replace('fs.readFileSync', 'await fs.promises.readFile');
const CLEAN = `export function add(a: number, b: number) {
  return a + b;
}
`;
const NO_SETTINGS = { rules: {}, exclude: [] };

const { worker: workerPath, crashingRuleWorker: crashingRuleWorkerPath, gatedWorker: gatedWorkerPath } = bundles();
let dir: string;

beforeAll(() => {
  dir = tempDir('worker');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('analysis worker', () => {
  let driver: ProtocolDriver;
  let workspace: string;

  beforeAll(() => {
    driver = new ProtocolDriver(workerPath);
    workspace = tempDir('worker-ws');
  });

  afterAll(async () => {
    await driver.terminate();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('is bundled without VS Code: the worker runs where there is no editor API', () => {
    expect(fs.readFileSync(workerPath, 'utf8')).not.toMatch(/require\(["']vscode["']\)/);
  });

  it('says ready first, with each rule and its documentation link', async () => {
    const ready = await driver.next('ready');
    expect(driver.received[0]).toBe(ready);
    const rule = ready.rules.find((r) => r.id === 'sync-io-in-async');
    expect(rule).toMatchObject({ category: 'sync-io', fix: 'safe' });
    expect(rule?.docsUrl).toMatch(/^https:\/\/.+\/docs\/rules\/sync-io-in-async\.md$/);
  });

  it('answers analyze with the findings of that version, as offsets into that text', async () => {
    driver.send({ type: 'configure', folders: [], fallback: NO_SETTINGS });
    const file = path.join(workspace, 'a.ts');
    driver.send({ type: 'analyze', path: file, version: 7, text: BLOCKING });
    const answer = await driver.next('findings', (m) => m.path === file && m.version === 7);
    expect(answer.findings).toHaveLength(1);
    const [finding] = answer.findings;
    expect(finding.rule).toBe('sync-io-in-async');
    expect(BLOCKING.slice(finding.start, finding.end)).toContain('fs.readFileSync');
    expect(finding.fixes.some((fix) => fix.safe)).toBe(true);
  });

  it('logs and ignores messages it does not understand, then goes on', async () => {
    const from = driver.received.length;
    driver.send({ type: 'launchRockets' });
    driver.send({ type: 'analyze', path: 42 });
    const file = path.join(workspace, 'after-junk.ts');
    driver.send({ type: 'analyze', path: file, version: 1, text: BLOCKING });
    await driver.next('findings', (m) => m.path === file, { from });
    const logs = driver.all('log').map((m) => m.message);
    expect(logs).toContainEqual(expect.stringContaining('unknown message type "launchRockets"'));
    expect(logs).toContainEqual(expect.stringContaining('invalid "path"'));
  });

  it('answers the newest of several versions queued together, and never an older one after it', async () => {
    const file = path.join(workspace, 'typing.ts');
    const from = driver.received.length;
    for (let version = 1; version <= 5; version++)
      driver.send({ type: 'analyze', path: file, version, text: version < 5 ? CLEAN : BLOCKING });
    const last = await driver.next('findings', (m) => m.path === file && m.version === 5, { from });
    expect(last.findings).toHaveLength(1);
    const versions = driver.received.slice(from).flatMap((m) => (m.type === 'findings' && m.path === file ? [m.version] : []));
    expect(versions.at(-1)).toBe(5);
    expect([...versions].sort()).toEqual(versions);
  });

  it('lets settings override .perflensrc.json rule by rule, and honours exclude and ignore globs', async () => {
    const folder = path.join(workspace, 'project');
    writeFiles(folder, { '.perflensrc.json': JSON.stringify({ rules: { 'sync-io-in-async': 'off' }, ignore: ['legacy/**'] }) });
    const analyse = async (file: string, version: number): Promise<number> => {
      const from = driver.received.length;
      driver.send({ type: 'analyze', path: path.join(folder, file), version, text: BLOCKING });
      return (await driver.next('findings', (m) => m.version === version && m.path === path.join(folder, file), { from })).findings.length;
    };

    driver.send({ type: 'configure', folders: [{ path: folder, ...NO_SETTINGS }], fallback: NO_SETTINGS });
    expect(await analyse('src/a.ts', 1)).toBe(0);

    driver.send({
      type: 'configure',
      folders: [{ path: folder, rules: { 'sync-io-in-async': 'error' }, exclude: ['generated/**'] }],
      fallback: NO_SETTINGS,
    });
    const from = driver.received.length;
    driver.send({ type: 'analyze', path: path.join(folder, 'src/a.ts'), version: 2, text: BLOCKING });
    const answer = await driver.next('findings', (m) => m.version === 2 && m.path === path.join(folder, 'src/a.ts'), { from });
    // The setting is the rule's severity; the evidence lowers it (a blocking read is an info until a profile measures it).
    expect(answer.findings.map((f) => [f.configuredSeverity, f.severity])).toEqual([['error', 'info']]);
    expect(await analyse('generated/b.ts', 3)).toBe(0);
    expect(await analyse('legacy/c.ts', 4)).toBe(0);
    // Outside the folder the fallback settings apply: the rule is on again.
    expect(await analyse('../elsewhere.ts', 5)).toBe(1);
  });

  it('reports a broken .perflensrc.json as a notification-worthy log line and keeps the settings', async () => {
    const folder = path.join(workspace, 'broken-config');
    writeFiles(folder, { '.perflensrc.json': '{ "rules": { "no-such-rule": "error" } }' });
    const from = driver.received.length;
    driver.send({ type: 'configure', folders: [{ path: folder, ...NO_SETTINGS }], fallback: NO_SETTINGS });
    const log = await driver.next('log', (m) => m.message.includes('no-such-rule'), { from });
    expect(log).toMatchObject({ level: 'error', notify: true });
    driver.send({ type: 'analyze', path: path.join(folder, 'a.ts'), version: 1, text: BLOCKING });
    expect((await driver.next('findings', (m) => m.path === path.join(folder, 'a.ts'), { from })).findings).toHaveLength(1);
  });

  it('on close, forgets the overlay; with reanalyze it analyses the file on disk (version null)', async () => {
    driver.send({ type: 'configure', folders: [], fallback: NO_SETTINGS });
    const file = path.join(workspace, 'on-disk.ts');
    fs.writeFileSync(file, CLEAN);
    driver.send({ type: 'analyze', path: file, version: 3, text: BLOCKING });
    await driver.next('findings', (m) => m.path === file && m.version === 3);
    const from = driver.received.length;
    driver.send({ type: 'close', path: file, reanalyze: true });
    const disk = await driver.next('findings', (m) => m.path === file && m.version === null, { from });
    expect(disk.findings).toEqual([]);
  });

  it('with a CPU profile loaded, answers the open documents again with their functions’ time and the measurement', async () => {
    driver.send({ type: 'configure', folders: [], fallback: NO_SETTINGS });
    // Plain JavaScript: nothing says how many words there are, so the includes in the loop is an info from code alone.
    const text = `function unique(words) {
  const kept = [];
  for (const word of words) {
    if (!kept.includes(word)) kept.push(word);
  }
  return kept;
}
module.exports = { unique };
`;
    const file = path.join(workspace, 'words.js');
    driver.send({ type: 'analyze', path: file, version: 1, text });
    const before = await driver.next('findings', (m) => m.path === file && m.version === 1);
    expect(before.findings.map((f) => [f.rule, f.severity, f.hotness])).toEqual([['lookup-in-loop', 'info', null]]);

    let from = driver.received.length;
    const profile = {
      totalMs: 1000,
      // V8 places a function at its parameters' `(`: line 1, column 16 for `unique`.
      functions: [{ name: 'unique', path: file, line: 1, column: 16, selfMs: 900, totalMs: 950 }],
      lines: [{ path: file, line: 4, selfMs: 880 }],
    };
    driver.send({ type: 'profile', profile, hotShare: 0.05 });
    const weighed = await driver.next('findings', (m) => m.path === file, { from });
    const [hot] = weighed.findings;
    expect(hot.severity).toBe('warning');
    expect(hot.hotness).toEqual({ selfMs: 900, totalMs: 950, share: 0.95 });
    expect(hot.evidence.measured).toEqual({ share: 0.88, ms: 880 });
    expect(hot.evidence.reasons[0]).toBe("measured: 88.0% of this run's time on this line (880.0 ms)");

    from = driver.received.length;
    driver.send({ type: 'profile', profile: null, hotShare: 0.05 });
    const cleared = await driver.next('findings', (m) => m.path === file, { from });
    expect(cleared.findings.map((f) => [f.severity, f.hotness, f.evidence.measured])).toEqual([['info', null, undefined]]);

    from = driver.received.length;
    driver.send({ type: 'profile', profile: { ...profile, lines: 'many' }, hotShare: 0.05 });
    driver.send({ type: 'profile', profile, hotShare: 2 });
    await driver.next('log', (m) => /invalid "hotShare"/.test(m.message), { from });
    expect(driver.all('log').some((m) => /invalid "profile"/.test(m.message))).toBe(true);
  });

  it('fixAll applies every safe fix and returns one minimal edit against the text it was given', async () => {
    const file = path.join(workspace, 'fix-me.ts');
    driver.send({ type: 'fixAll', id: 101, path: file, version: 4, text: BLOCKING });
    const result = await driver.next('fixAllResult', (m) => m.id === 101);
    expect(result).toMatchObject({ path: file, version: 4, applied: 1 });
    expect(result.edits).toHaveLength(1);
    const [edit] = result.edits;
    expect(BLOCKING.slice(0, edit.start) + edit.newText + BLOCKING.slice(edit.end)).toBe(FIXED);
    expect(edit.end - edit.start).toBeLessThan(BLOCKING.length / 4);
  });

  it('fixAll refuses text that does not parse', async () => {
    driver.send({ type: 'fixAll', id: 102, path: path.join(workspace, 'broken.ts'), version: 1, text: `${BLOCKING}\nexport function (` });
    const result = await driver.next('fixAllResult', (m) => m.id === 102);
    expect(result.edits).toEqual([]);
    expect(result.refused).toMatch(/does not parse/);
  });
});

describe('workspace scan', () => {
  let driver: ProtocolDriver;
  let workspace: string;

  beforeAll(async () => {
    driver = new ProtocolDriver(workerPath);
    workspace = tempDir('scan');
    await driver.next('ready');
  });

  afterAll(async () => {
    await driver.terminate();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('reports every file (findings or not) with progress, honouring .gitignore and exclude', async () => {
    const folder = path.join(workspace, 'small');
    writeFiles(folder, {
      '.gitignore': 'ignored/\n',
      'src/a.ts': BLOCKING,
      'src/b.ts': CLEAN,
      'src/nested/c.js': BLOCKING.replace(': string', ''),
      'ignored/d.ts': BLOCKING,
      'generated/e.ts': BLOCKING,
      'src/binary.ts': 'const x = 1;\0\0\0',
      'README.md': '# not code',
    });
    driver.send({ type: 'configure', folders: [{ path: folder, rules: {}, exclude: ['generated/'] }], fallback: NO_SETTINGS });
    driver.send({ type: 'scan', id: 1, folders: [folder] });
    const done = await driver.next('scanDone', (m) => m.id === 1);
    expect(done).toMatchObject({ cancelled: false, done: 4, total: 4 });
    expect(done.skipped.map((s) => path.relative(folder, s.file))).toEqual([path.join('src', 'binary.ts')]);

    const progress = driver.all('scanProgress').filter((m) => m.id === 1);
    expect(progress[0]).toMatchObject({ done: 0, total: 4 });
    expect(progress.map((m) => m.done)).toEqual([...progress.map((m) => m.done)].sort((a, b) => a - b));
    const results = progress.flatMap((m) => m.results);
    const byFile = Object.fromEntries(results.map((r) => [path.relative(folder, r.path).split(path.sep).join('/'), r.findings.length]));
    expect(byFile).toEqual({ 'src/a.ts': 1, 'src/b.ts': 0, 'src/nested/c.js': 1, 'src/binary.ts': 0 });
  });

  it('stops between two files when cancelled: the file being analysed is the last one', async () => {
    // The gated worker (the real server plus a rule that can hold it at one file) stops at
    // src/m0005.ts; the cancel is sent while it is there, so where the scan ends is known exactly.
    const gate = new Gate(dir);
    const gated = new ProtocolDriver(gatedWorkerPath);
    try {
      const folder = path.join(workspace, 'large');
      const files: Record<string, string> = {};
      for (let i = 0; i < 20; i++)
        files[`src/m${String(i).padStart(4, '0')}.ts`] = `${i === 5 ? gate.marker : ''}${i % 3 === 0 ? BLOCKING : CLEAN}`;
      writeFiles(folder, files);
      const gateFile = path.join(folder, 'src', 'm0005.ts');
      gated.send({ type: 'configure', folders: [{ path: folder, ...NO_SETTINGS }], fallback: NO_SETTINGS });
      gated.send({ type: 'scan', id: 2, folders: [folder] });
      await gated.next('log', (m) => m.message === `test gate reached: ${gateFile}`);
      gated.send({ type: 'cancelScan', id: 2 });
      gate.open();
      const done = await gated.next('scanDone', (m) => m.id === 2);
      expect(done.cancelled).toBe(true);
      expect(done.total).toBe(20);
      expect(done.done).toBe(6);
      // Every file counted as done was also reported, the gated one last.
      const reported = gated
        .all('scanProgress')
        .filter((m) => m.id === 2)
        .flatMap((m) => m.results);
      expect(reported).toHaveLength(done.done);
      expect(reported.at(-1)?.path).toBe(gateFile);
    } finally {
      gate.dispose();
      await gated.terminate();
    }
  });
});

describe('a rule that throws', () => {
  it('becomes one log line naming rule and file; the other rules report and the worker lives on', async () => {
    const driver = new ProtocolDriver(crashingRuleWorkerPath);
    try {
      const file = path.join(dir, 'victim.ts');
      driver.send({ type: 'configure', folders: [], fallback: NO_SETTINGS });
      driver.send({ type: 'analyze', path: file, version: 1, text: BLOCKING });
      const first = await driver.next('findings', (m) => m.version === 1);
      expect(first.findings.map((f) => f.rule)).toEqual(['sync-io-in-async']);
      driver.send({ type: 'analyze', path: file, version: 2, text: `${BLOCKING}\n` });
      await driver.next('findings', (m) => m.version === 2);

      const crashes = driver.all('log').filter((m) => m.message.includes('always-throws'));
      expect(crashes).toHaveLength(1);
      expect(crashes[0].message).toContain('fixture rule exploded');
      expect(crashes[0].message).toContain(file);
      expect(driver.exitCode).toBeUndefined();
    } finally {
      await driver.terminate();
    }
  });
});

describe('cross-file evidence in the editor', () => {
  const SERVICE = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function listOwners(orders: Array<{ ownerId: string }>) {
  for (const order of orders) {
    await prisma.user.findUnique({ where: { id: order.ownerId } });
  }
}
`;
  const ROUTE = `import express from 'express';
import { PrismaClient } from '@prisma/client';
import { listOwners } from '../services/orders';
const prisma = new PrismaClient();
export const router = express.Router();
router.get('/owners', async (req, res) => {
  res.json(await listOwners(await prisma.order.findMany()));
});
`;

  it('once the folder is listed, an open file gets the evidence of its callers in other files: the same as the CLI’s', async () => {
    const root = cliWorkspace({ 'services/orders.ts': SERVICE, 'routes/orders.ts': ROUTE });
    const cli = run(['scan', '--format', 'json', '--min-severity', 'info', '--rule', 'query-in-loop', '.'], { cwd: root });
    const [scanned] = (JSON.parse(cli.stdout) as { findings: Array<{ evidence: unknown; severity: string }> }).findings;
    expect(scanned).toMatchObject({ severity: 'warning', evidence: { scale: 'grows', context: 'request' } });

    const driver = new ProtocolDriver(workerPath);
    try {
      await driver.next('ready');
      driver.send({ type: 'configure', folders: [{ path: root, rules: {}, exclude: [] }], fallback: NO_SETTINGS });
      const file = path.join(root, 'services/orders.ts');
      driver.send({ type: 'analyze', path: file, version: 1, text: SERVICE });
      // The first answer does not wait for the folder's files: this file's own facts only.
      const first = await driver.next('findings', (m) => m.path === file && m.version === 1);
      const queries = (message: typeof first) => message.findings.filter((finding) => finding.rule === 'query-in-loop');
      expect(queries(first)[0].evidence).toMatchObject({ scale: 'unknown', context: 'unknown' });
      // Then once more, with the callers the listed folder shows.
      const second = await driver.next('findings', (m) => m.path === file && m.version === 1 && m !== first);
      expect(queries(second)[0].evidence).toEqual(scanned.evidence);
      expect(queries(second)[0].severity).toBe(scanned.severity);

      // An edit in the open route file is seen at once: a route that passes five rows makes the data bounded.
      const route = path.join(root, 'routes/orders.ts');
      driver.send({ type: 'analyze', path: route, version: 1, text: ROUTE.replace('findMany()', 'findMany({ take: 5 })') });
      await driver.next('findings', (m) => m.path === route && m.version === 1);
      driver.send({ type: 'analyze', path: file, version: 2, text: `${SERVICE}\n` });
      const third = await driver.next('findings', (m) => m.path === file && m.version === 2);
      expect(queries(third)).toEqual([]);
    } finally {
      await driver.terminate();
    }
  });
});
