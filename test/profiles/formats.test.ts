/**
 * Every other format, each made here from real data: a Chrome trace built around a real Node
 * trace recording, a recorded .heapprofile, speedscope and folded files converted from a recorded
 * .cpuprofile, pprof written with pprof-format and recorded with @datadog/pprof. Figures are
 * checked against sums computed in the test from the raw data.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile as PprofProfile, Sample, StringTable, ValueType } from 'pprof-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/profiles/load';
import {
  buildProgram,
  lineOf,
  perflens,
  programSources,
  readCpuProfile,
  recordNode,
  reportSelf,
  sampleDurations,
  sampleStacks,
  selfMsByName,
  tempDir,
  type CpuProfileJson,
} from './helpers';

let root: string;
let raw: CpuProfileJson;
let traceEvents: Array<Record<string, unknown>>;

beforeAll(() => {
  root = tempDir();
  const script = buildProgram(root, programSources());
  // One run recorded twice over: the CPU profile, and Node's own trace events (threads, GC).
  const traceDir = tempDir('perflens-trace-');
  const profile = recordNode(
    script,
    [
      '--cpu-prof',
      '--cpu-prof-interval',
      '250',
      '--trace-event-categories',
      'node,v8',
      `--trace-event-file-pattern=${traceDir}/trace.json`,
    ],
    '.cpuprofile',
    root,
  );
  raw = readCpuProfile(profile);
  traceEvents = (JSON.parse(fs.readFileSync(path.join(traceDir, 'trace.json'), 'utf8')) as { traceEvents: Array<Record<string, unknown>> })
    .traceEvents;
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, content);
  return file;
}

async function report(file: string, ...args: string[]) {
  const result = await perflens(['profile', file, '--format', 'json', ...args], root);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** The CPU profile as Profile + ProfileChunk events (parent links, chunks of 100 samples). */
function profileEvents(profile: CpuProfileJson, pid: number, tid: number, id: string): Array<Record<string, unknown>> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const events: Array<Record<string, unknown>> = [
    {
      args: { data: { startTime: profile.startTime } },
      cat: 'disabled-by-default-v8.cpu_profiler',
      id,
      name: 'Profile',
      ph: 'P',
      pid,
      tid,
      ts: profile.startTime,
    },
  ];
  const nodes = profile.nodes.map((node) => ({
    callFrame: node.callFrame,
    id: node.id,
    ...(parent.has(node.id) ? { parent: parent.get(node.id) } : {}),
  }));
  for (let at = 0, chunk = 0; at < profile.samples.length || chunk * 200 < nodes.length; at += 100, chunk++) {
    const cpuProfile: Record<string, unknown> = { samples: profile.samples.slice(at, at + 100) };
    const chunkNodes = nodes.slice(chunk * 200, chunk * 200 + 200);
    if (chunkNodes.length > 0) cpuProfile.nodes = chunkNodes;
    events.push({
      args: { data: { cpuProfile, timeDeltas: profile.timeDeltas.slice(at, at + 100) } },
      cat: 'disabled-by-default-v8.cpu_profiler',
      id,
      name: 'ProfileChunk',
      ph: 'P',
      pid,
      tid,
      ts: profile.startTime,
    });
  }
  return events;
}

describe('Chrome trace (Trace Event format)', () => {
  it('reads the main thread among several, from the object form, with the self times of its samples', async () => {
    const main = traceEvents.find(
      (event) => event.name === 'thread_name' && (event.args as { name: string }).name === 'JavaScriptMainThread',
    ) as { pid: number; tid: number };
    const worker = traceEvents.find(
      (event) => event.name === 'thread_name' && (event.args as { name: string }).name !== 'JavaScriptMainThread',
    ) as { pid: number; tid: number };
    // A second, smaller profile on another thread: it must be listed, not shown.
    const small: CpuProfileJson = { ...raw, samples: raw.samples.slice(0, 5), timeDeltas: raw.timeDeltas.slice(0, 5) };
    const events = [
      ...traceEvents.slice(0, 10),
      ...profileEvents(small, worker.pid, worker.tid, '0x2'),
      ...profileEvents(raw, main.pid, main.tid, '0x1'),
      ...traceEvents.slice(10),
    ];
    const json = await report(write('run.trace.json', JSON.stringify({ traceEvents: events, metadata: { source: 'test' } })));
    expect(json.format).toBe('trace');
    expect(json.samples).toBe(raw.samples.length);
    expect(json.threads).toHaveLength(2);
    expect(json.threads.find((thread: { selected: boolean }) => thread.selected).name).toContain('JavaScriptMainThread');
    // Traces carry no end time: the last sample adds nothing.
    const expected = selfMsByName(raw, 'none');
    const self = reportSelf(json);
    for (const name of ['heavyWork', 'lightWork']) expect(self.get(name)).toBeCloseTo(expected.get(name) as number, 2);
    expect(json.functions.find((fn: { name: string }) => fn.name === 'heavyWork')).toMatchObject({ file: 'src/work.ts', line: 1 });
  });

  it('reads the bare array form, even without its closing bracket', () => {
    const events = [...traceEvents, ...profileEvents(raw, 1, 1, '0x1')];
    const text = JSON.stringify(events);
    const profile = parseProfile(Buffer.from(`${text.slice(0, -1)},\n`));
    expect(profile.format).toBe('trace');
    expect(profile.samples).toBe(raw.samples.length);
  });

  it('says so when a trace has no CPU profile', async () => {
    const result = await perflens(['profile', write('plain.trace.json', JSON.stringify({ traceEvents }))], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^perflens: the trace has \d+ events but no CPU profile/);
  });
});

describe('V8 .heapprofile', () => {
  it('gives each function the bytes its nodes hold, unit bytes', async () => {
    const script = write(
      'alloc.js',
      `globalThis.keep = [];
function allocateBig() { for (let i = 0; i < 2000; i++) globalThis.keep.push({ big: new Array(512).fill(i) }); }
function allocateSmall() { for (let i = 0; i < 500; i++) globalThis.keep.push({ small: new Array(128).fill(i) }); }
allocateBig();
allocateSmall();
// Still alive when the profile is written at exit.
setTimeout(() => globalThis.keep.length, 20);
`,
    );
    const file = recordNode(script, ['--heap-prof', '--heap-prof-interval', '4096'], '.heapprofile', root);
    const head = (JSON.parse(fs.readFileSync(file, 'utf8')) as { head: HeapNode }).head;
    interface HeapNode {
      callFrame: { functionName: string };
      selfSize: number;
      children: HeapNode[];
    }
    const expected = new Map<string, number>();
    const walk = (node: HeapNode): void => {
      expected.set(node.callFrame.functionName, (expected.get(node.callFrame.functionName) ?? 0) + node.selfSize);
      node.children.forEach(walk);
    };
    walk(head);
    const json = await report(file);
    expect(json).toMatchObject({ format: 'heapprofile', unit: 'bytes' });
    const self = reportSelf(json);
    expect(self.get('allocateBig')).toBe(expected.get('allocateBig'));
    expect(self.get('allocateSmall')).toBe(expected.get('allocateSmall'));
    expect(expected.get('allocateBig') as number).toBeGreaterThan(expected.get('allocateSmall') as number);
  });
});

describe('speedscope', () => {
  it('reads a sampled profile: self weight per leaf frame', async () => {
    const stacks = sampleStacks(raw);
    const names = [...new Set(stacks.flat())];
    const durations = sampleDurations(raw);
    const file = write(
      'run.speedscope.json',
      JSON.stringify({
        $schema: 'https://www.speedscope.app/file-format-schema.json',
        shared: { frames: names.map((name) => ({ name })) },
        profiles: [
          {
            type: 'sampled',
            name: 'main',
            unit: 'milliseconds',
            startValue: 0,
            endValue: 1,
            samples: stacks.map((stack) => stack.map((name) => names.indexOf(name))),
            weights: durations,
          },
        ],
      }),
    );
    const json = await report(file);
    expect(json).toMatchObject({ format: 'speedscope', unit: 'ms', samples: stacks.length });
    const expected = new Map<string, number>();
    stacks.forEach((stack, at) => expected.set(stack[stack.length - 1], (expected.get(stack[stack.length - 1]) ?? 0) + durations[at]));
    const self = reportSelf(json);
    for (const name of ['heavyWork', 'lightWork']) expect(self.get(name)).toBeCloseTo(expected.get(name) as number, 2);
  });

  it('reads an evented profile in microseconds, and picks the active profile', async () => {
    const file = write(
      'evented.speedscope.json',
      JSON.stringify({
        $schema: 'https://www.speedscope.app/file-format-schema.json',
        shared: { frames: [{ name: 'outer', file: 'lib/a.js', line: 3 }, { name: 'inner' }] },
        activeProfileIndex: 1,
        profiles: [
          {
            type: 'evented',
            name: 'other',
            unit: 'microseconds',
            startValue: 0,
            endValue: 1,
            events: [
              { type: 'O', at: 0, frame: 1 },
              { type: 'C', at: 1, frame: 1 },
            ],
          },
          {
            type: 'evented',
            name: 'main',
            unit: 'microseconds',
            startValue: 0,
            endValue: 10000,
            events: [
              { type: 'O', at: 0, frame: 0 },
              { type: 'O', at: 2000, frame: 1 },
              { type: 'C', at: 5000, frame: 1 },
              { type: 'C', at: 10000, frame: 0 },
            ],
          },
        ],
      }),
    );
    const json = await report(file);
    expect(json.total).toBe(10);
    expect(json.functions).toEqual([
      expect.objectContaining({ name: 'outer', file: 'lib/a.js', line: 3, self: 7, total: 10 }),
      expect.objectContaining({ name: 'inner', file: null, self: 3, total: 3 }),
    ]);
    expect(json.threads.map((thread: { name: string }) => thread.name)).toEqual(['other', 'main']);
  });
});

describe('folded stacks', () => {
  it('counts samples per leaf frame, from stacks folded here', async () => {
    const counts = new Map<string, number>();
    for (const stack of sampleStacks(raw)) counts.set(stack.join(';'), (counts.get(stack.join(';')) ?? 0) + 1);
    const file = write('run.folded', [...counts].map(([stack, count]) => `${stack} ${count}`).join('\n'));
    const json = await report(file);
    expect(json).toMatchObject({ format: 'folded', unit: 'samples', samples: raw.samples.length, total: raw.samples.length });
    const expected = new Map<string, number>();
    for (const [stack, count] of counts) {
      const leaf = stack.split(';').pop() as string;
      expected.set(leaf, (expected.get(leaf) ?? 0) + count);
    }
    expect(reportSelf(json).get('heavyWork')).toBe(expected.get('heavyWork'));
    expect(reportSelf(json).get('lightWork')).toBe(expected.get('lightWork'));
  });

  it('places frames known by file:line in their enclosing function, in another language (Python)', async () => {
    const python = `import math


def compute(n):
    total = 0
    for i in range(n):
        total += math.sqrt(i)
    return total


def main():
    return compute(10)
`;
    write('app.py', python);
    const file = write('py.folded', `main (app.py:12);compute (app.py:7) 30\nmain (app.py:12);compute (app.py:6) 10\nmain (app.py:12) 5\n`);
    const json = await report(file);
    const compute = json.functions.find((fn: { name: string }) => fn.name === 'compute');
    expect(compute).toMatchObject({ file: 'app.py', line: lineOf(python, 'def compute'), self: 40, total: 40 });
    expect(compute.range.end.line).toBe(lineOf(python, 'return total'));
    expect(json.functions.find((fn: { name: string }) => fn.name === 'main')).toMatchObject({
      line: lineOf(python, 'def main'),
      self: 5,
      total: 45,
    });
    expect(json.lines[0]).toEqual({ file: 'app.py', line: 7, self: 30, total: 30 });
    expect(json.lines.find((line: { line: number }) => line.line === 12)).toEqual({ file: 'app.py', line: 12, self: 5, total: 45 });
  });
});

describe('pprof', () => {
  /** The recorded CPU profile written as pprof: [samples/count, cpu/nanoseconds], leaf first. */
  function toPprof(profile: CpuProfileJson): Uint8Array {
    const strings = new StringTable();
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const functions: PprofFunction[] = [];
    const locations: Location[] = [];
    for (const node of profile.nodes) {
      const file = node.callFrame.url.startsWith('file://') ? new URL(node.callFrame.url).pathname : node.callFrame.url;
      functions.push(
        new PprofFunction({
          id: node.id,
          name: strings.dedup(node.callFrame.functionName || '(anonymous)'),
          filename: strings.dedup(file),
          startLine: node.callFrame.lineNumber + 1,
        }),
      );
      locations.push(new Location({ id: node.id, line: [new Line({ functionId: node.id, line: node.callFrame.lineNumber + 1 })] }));
    }
    const durations = sampleDurations(profile);
    const samples = profile.samples.map((id, at) => {
      const stack: number[] = [];
      for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) stack.push(node);
      return new Sample({ locationId: stack, value: [1, Math.round(durations[at] * 1e6)] });
    });
    return new PprofProfile({
      sampleType: [
        new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }),
        new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
      ],
      sample: samples,
      location: locations,
      function: functions,
      stringTable: strings,
    }).encode();
  }

  it('reads pprof written with pprof-format, gzipped and not, with the self times of its samples', async () => {
    const bytes = toPprof(raw);
    const expected = selfMsByName(raw);
    // A sample of no time (two samples in the same microsecond, which a busy machine's recording
    // has) carries no weight in pprof and is not counted.
    const weighed = sampleDurations(raw).filter((ms) => Math.round(ms * 1e6) > 0).length;
    for (const [name, content] of [
      ['run.pb', Buffer.from(bytes)],
      ['run.pb.gz', gzipSync(bytes)],
    ] as const) {
      const json = await report(write(name, content));
      expect(json).toMatchObject({ format: 'pprof', unit: 'ms', samples: weighed });
      const self = reportSelf(json);
      for (const fn of ['heavyWork', 'lightWork']) expect(self.get(fn)).toBeCloseTo(expected.get(fn) as number, 3);
    }
  });

  it('reads a profile recorded by @datadog/pprof', async () => {
    const script = write(
      'dd.js',
      `const pprof = require(${JSON.stringify(path.join(process.cwd(), 'node_modules', '@datadog', 'pprof'))});
function busyLoop(rounds) { let x = 0; for (let round = 0; round < rounds; round++) for (let i = 0; i < 10000; i++) x += Math.sqrt(i); return x; }
pprof.time.start({ intervalMicros: 1000 });
busyLoop(2000);
const profile = pprof.time.stop();
pprof.encode(profile).then((bytes) => require('fs').writeFileSync(process.argv[2], bytes));
`,
    );
    const out = path.join(root, 'dd.pb.gz');
    const run = spawnSync(process.execPath, [script, out], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // Independently: sum the default (last) value of samples whose leaf is busyLoop.
    const decoded = PprofProfile.decode(gunzipSync(fs.readFileSync(out)));
    const strings = decoded.stringTable.strings;
    const fnName = new Map(decoded.function.map((fn) => [String(fn.id), strings[Number(fn.name)]]));
    const leafName = new Map(decoded.location.map((location) => [String(location.id), fnName.get(String(location.line[0].functionId))]));
    const valueIndex = decoded.sampleType.length - 1;
    let busy = 0;
    for (const sample of decoded.sample)
      if (leafName.get(String(sample.locationId[0])) === 'busyLoop') busy += Number(sample.value[valueIndex]);
    const json = await report(out);
    expect(json.format).toBe('pprof');
    expect(busy).toBeGreaterThan(0);
    const factor = strings[Number(decoded.sampleType[valueIndex].unit)] === 'nanoseconds' ? 1e-6 : 1;
    expect(reportSelf(json).get('busyLoop')).toBeCloseTo(busy * factor, 2);
    expect(json.functions.find((fn: { name: string }) => fn.name === 'busyLoop')).toMatchObject({ file: 'dd.js', line: 2 });
  });
});
