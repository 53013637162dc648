/** The flame chart in time order: laid out from the recording's timeline, and carried to the page. */
import { describe, expect, it } from 'vitest';
import { timelineLayout, visibleNodes, nodeAt } from '../../src/profileView/flame';
import { ModelAssembler, modelMessages } from '../../src/profileView/modelChunks';
import { parseHostMessage, type HostMessage, type ModelTimelineMessage } from '../../src/profileView/protocol';
import { boxes, viewData, viewTree } from './helpers';

const frames = [
  { name: 'main', file: 'app.js' },
  { name: 'work', file: 'app.js' },
  { name: 'lodash', file: 'node_modules/lodash/index.js' },
  { name: 'sum', file: 'app.js' },
];
const speedscope = (samples: number[][], weights: number[]) =>
  viewData({
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [{ type: 'sampled', name: 'run', unit: 'milliseconds', startValue: 0, endValue: 100, samples, weights }],
  });

describe('the timeline layout', () => {
  // main → work, main, main → work, main → lodash → sum: `work` is called twice, so it is two frames.
  const data = speedscope([[0, 1], [0, 1], [0], [0, 1], [0, 2, 3]], [1, 1, 2, 3, 4]);

  it('draws each call where it happened: a function called, left and called again is two frames', () => {
    const layout = timelineLayout(viewTree(data), data.timeline!);
    expect(boxes(layout, data)).toEqual(['main 0+11@0', 'work 0+2@1', 'work 4+3@1', 'lodash 7+4@1', 'sum 7+4@2']);
    expect(Array.from(layout.self)).toEqual([2, 2, 3, 0, 4]);
    // Preorder with subtree ends, as every layout: main holds all, lodash holds sum.
    expect(Array.from(layout.end)).toEqual([5, 2, 3, 5, 5]);
    expect(layout.timed).toBe(true);
    expect(layout.span).toBe(11);
  });

  it('folds hidden frames into their caller: the callee stays where it ran, under the nearest visible caller', () => {
    const layout = timelineLayout(viewTree(data, true), data.timeline!);
    expect(boxes(layout, data)).toEqual(['main 0+11@0', 'work 0+2@1', 'work 4+3@1', 'sum 7+4@1']);
  });

  it('leaves a gap for time no visible frame holds, so that x stays time', () => {
    // (idle) at the top level: hidden under "My code only", with no caller to fold into.
    const idle = viewData({
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2, 3] },
        { id: 2, callFrame: { functionName: 'main', scriptId: '1', url: 'file:///app.js', lineNumber: 0, columnNumber: 0 }, children: [] },
        { id: 3, callFrame: { functionName: '(idle)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [] },
      ],
      startTime: 0,
      endTime: 4000,
      samples: [2, 3, 3, 2],
      timeDeltas: [0, 1000, 1000, 1000],
    });
    expect(boxes(timelineLayout(viewTree(idle, true), idle.timeline!), idle)).toEqual(['main 0+1@0', 'main 3+1@0']);
    expect(boxes(timelineLayout(viewTree(idle), idle.timeline!), idle)).toEqual(['main 0+1@0', '(idle) 1+2@0', 'main 3+1@0']);
  });

  it('hit-tests and culls like the other layouts', () => {
    const layout = timelineLayout(viewTree(data), data.timeline!);
    expect(data.functions[layout.fn[nodeAt(layout, 5, 1)]].name).toBe('work');
    // Between the two calls of work, row 1 is empty: main was running its own code.
    expect(nodeAt(layout, 3, 1)).toBe(-1);
    expect(Array.from(visibleNodes(layout, 0, 11, 11, 2.5), (node) => data.functions[layout.fn[node]].name)).toEqual([
      'main',
      'work',
      'lodash',
      'sum',
    ]);
  });
});

describe('the timeline on its way to the page', () => {
  const data = speedscope([[0, 1], [0], [0, 1], [0], [0, 1]], [1, 2, 3, 4, 5]);
  const assemble = (messages: Iterable<HostMessage>) => {
    const assembler = new ModelAssembler();
    let result: ReturnType<ModelAssembler['accept']>;
    for (const message of messages) {
      const parsed = parseHostMessage(structuredClone(message));
      if (typeof parsed === 'string') return parsed;
      result = assembler.accept(parsed as Parameters<ModelAssembler['accept']>[0]);
      if (typeof result === 'string') return result;
    }
    return result;
  };

  it('arrives whole, cut in chunks', () => {
    const messages = [...modelMessages(data, 1, { nodes: 2, functions: 2 })];
    expect(messages.filter((message) => message.type === 'modelTimeline')).toHaveLength(3);
    const received = assemble(messages);
    expect(typeof received === 'object' && received.timeline).toEqual(data.timeline);
  });

  it('is refused when a run names no node, weighs less than nothing, or is missing', () => {
    const broken = (change: (message: ModelTimelineMessage) => void) => {
      const messages = [...modelMessages(data, 2)];
      change(messages.find((message): message is ModelTimelineMessage => message.type === 'modelTimeline')!);
      return assemble(messages);
    };
    expect(broken((message) => (message.node[1] = 99))).toBe('model 2: timeline run 1 names no node');
    expect(broken((message) => (message.weight[0] = -1))).toBe('model 2: timeline run 0 has an invalid weight');
    const cut = [...modelMessages(data, 3)].filter((message) => message.type !== 'modelTimeline');
    expect(assemble(cut)).toBe(
      `model 3: ended with 4 of 4 functions, ${data.tree.parent.length} of ${data.tree.parent.length} nodes and 0 of 5 timeline runs`,
    );
  });

  it('is refused when the start did not announce it', () => {
    const messages = [...modelMessages(data, 4)].map((message) => {
      if (message.type !== 'modelStart') return message;
      const { timelineRuns: _runs, ...start } = message;
      return start;
    });
    expect(assemble(messages)).toBe('model 4: a timeline that was not announced');
  });
});
