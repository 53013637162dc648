/**
 * The timeline each format records: which node was on top of the stack, run after run, in time
 * order. Handwritten profiles whose runs are known, and a recorded one checked against its own
 * samples.
 */
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/profiles/load';
import type { Profile } from '../../src/profiles/model';
import { buildProgram, programSources, readCpuProfile, recordNode, sampleDurations, sampleStacks, tempDir } from './helpers';

/** Each run as `name weight`: the run's node named by its frame. */
function runs(profile: Profile): string[] {
  const { timeline, tree, frames } = profile;
  if (!timeline) throw new Error('no timeline');
  return Array.from(timeline.node, (node, at) => `${frames[tree.frame[node]].name} ${timeline.weight[at]}`);
}

const frame = (functionName: string) => ({
  functionName,
  scriptId: '1',
  url: functionName.startsWith('(') ? '' : 'file:///app/a.js',
  lineNumber: 0,
  columnNumber: 0,
});
/** (root) → main → work, and (root) → (idle). */
const NODES = [
  { id: 1, callFrame: frame('(root)'), children: [2, 3] },
  { id: 2, callFrame: frame('main'), children: [4] },
  { id: 3, callFrame: frame('(idle)'), children: [] },
  { id: 4, callFrame: frame('work'), children: [] },
];
const cpuprofile = (samples: number[], timeDeltas: number[], endTime: number) =>
  Buffer.from(JSON.stringify({ nodes: NODES, startTime: 0, endTime, samples, timeDeltas }));

describe('V8 .cpuprofile', () => {
  it('keeps the samples in their order, each as long as until the next, and merges a node sampled in a row', () => {
    const profile = parseProfile(cpuprofile([2, 4, 4, 2, 3, 4], [0, 1000, 1000, 1000, 1000, 1000], 6000));
    expect(runs(profile)).toEqual(['main 1', 'work 2', 'main 1', '(idle) 1', 'work 1']);
  });

  it('puts samples recorded out of order in time order, as their durations are', () => {
    // Times 0, 2000, 1000: the third sample came second.
    const profile = parseProfile(cpuprofile([2, 4, 3], [0, 2000, -1000], 3000));
    expect(runs(profile)).toEqual(['main 1', '(idle) 1', 'work 1']);
  });

  it('leaves out samples that lasted no time: they neither draw nor split the run around them', () => {
    const profile = parseProfile(cpuprofile([4, 3, 4], [0, 1000, 0], 3000));
    expect(runs(profile)).toEqual(['work 3']);
  });

  it('has none when the profile was saved with hit counts only', () => {
    const profile = parseProfile(
      Buffer.from(JSON.stringify({ nodes: NODES.map((node) => ({ ...node, hitCount: 2 })), startTime: 0, endTime: 8000 })),
    );
    expect(profile.timeline).toBeUndefined();
  });

  it("on a recorded profile, is exactly its samples' stacks in order, each weighing its duration", () => {
    const root = tempDir();
    const raw = readCpuProfile(
      recordNode(buildProgram(root, programSources()), ['--cpu-prof', '--cpu-prof-interval', '250'], '.cpuprofile', root),
    );
    const profile = parseProfile(Buffer.from(JSON.stringify(raw)));
    // Computed here from the raw file, the way a reader of the format would: samples by timestamp (V8 records a
    // few out of order), those that lasted no time left out, consecutive samples of one stack merged.
    const stacks = sampleStacks(raw);
    const durations = sampleDurations(raw);
    let time = raw.startTime;
    const stamps = raw.timeDeltas.map((delta) => (time += delta));
    const inTimeOrder = stamps.map((_, at) => at).sort((a, b) => stamps[a] - stamps[b] || a - b);
    const expected: Array<[string, number]> = [];
    inTimeOrder.forEach((at) => {
      const stack = stacks[at];
      if (durations[at] <= 0) return;
      const key = stack.join(';');
      const last = expected[expected.length - 1];
      if (last && last[0] === key) last[1] += durations[at];
      else expected.push([key, durations[at]]);
    });
    const { timeline, tree, frames } = profile;
    const stackOf = (node: number): string => {
      const names: string[] = [];
      for (let at = node; at >= 0; at = tree.parent[at]) names.unshift(frames[tree.frame[at]].name || '(anonymous)');
      return names.join(';');
    };
    const actual = Array.from(timeline!.node, (node, at): [string, number] => [stackOf(node), timeline!.weight[at]]);
    expect(actual.map(([stack]) => stack)).toEqual(expected.map(([stack]) => stack));
    actual.forEach(([, weight], at) => expect(weight).toBeCloseTo(expected[at][1], 6));
    // The timeline and the tree hold the same time.
    expect(timeline!.weight.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(profile.total, 6);
  });
});

describe('Chrome trace', () => {
  it('reads the runs from the ProfileChunk samples, in order', () => {
    const event = (name: string, data: object) => ({
      name,
      ph: 'P',
      pid: 1,
      tid: 1,
      id: '0x1',
      ts: 0,
      cat: 'disabled-by-default-v8.cpu_profiler',
      args: { data },
    });
    const nodes = NODES.map(({ children: _children, ...node }) => ({
      ...node,
      ...(node.id === 2 || node.id === 3 ? { parent: 1 } : node.id === 4 ? { parent: 2 } : {}),
    }));
    const trace = {
      traceEvents: [
        event('Profile', { startTime: 0 }),
        event('ProfileChunk', { cpuProfile: { nodes, samples: [2, 4, 4] }, timeDeltas: [0, 1000, 1000] }),
        event('ProfileChunk', { cpuProfile: { samples: [3, 2] }, timeDeltas: [1000, 2000] }),
      ],
    };
    // A trace carries no end time: the last sample lasts no time.
    expect(runs(parseProfile(Buffer.from(JSON.stringify(trace))))).toEqual(['main 1', 'work 2', '(idle) 2']);
  });
});

describe('speedscope', () => {
  const shared = { frames: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] };
  const file = (profile: object) =>
    Buffer.from(JSON.stringify({ $schema: 'https://www.speedscope.app/file-format-schema.json', shared, profiles: [profile] }));

  it('sampled: the samples in the order listed, with their weights', () => {
    const profile = parseProfile(
      file({
        type: 'sampled',
        name: 'p',
        unit: 'milliseconds',
        startValue: 0,
        endValue: 10,
        samples: [[0], [0, 1], [0, 1], [0, 2]],
        weights: [1, 2, 3, 4],
      }),
    );
    expect(runs(profile)).toEqual(['a 1', 'b 5', 'c 4']);
  });

  it('evented: each stretch between events goes to the frame on top', () => {
    const events = [
      { type: 'O', frame: 0, at: 0 },
      { type: 'O', frame: 1, at: 1 },
      { type: 'C', frame: 1, at: 3 },
      { type: 'O', frame: 1, at: 4 },
      { type: 'C', frame: 1, at: 6 },
      { type: 'C', frame: 0, at: 7 },
    ];
    const profile = parseProfile(file({ type: 'evented', name: 'p', unit: 'milliseconds', startValue: 0, endValue: 7, events }));
    expect(runs(profile)).toEqual(['a 1', 'b 2', 'a 1', 'b 2', 'a 1']);
  });
});

describe('formats that keep no order', () => {
  it('folded stacks have no timeline', () => {
    expect(parseProfile(Buffer.from('main;work 3\nmain 1\n')).timeline).toBeUndefined();
  });
});
