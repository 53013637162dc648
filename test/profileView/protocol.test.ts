/** The page ⇄ host protocol: each side's validator, and the model's trip in chunks. */
import { describe, expect, it } from 'vitest';
import type { ViewData } from '../../src/profileView/data';
import { ModelAssembler, modelMessages } from '../../src/profileView/modelChunks';
import { parseHostMessage, parsePageMessage, type HostMessage } from '../../src/profileView/protocol';
import { viewData } from './helpers';

describe('messages from the page', () => {
  it('accepts each kind', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'openSource', url: '/app/src/main.ts', line: 12, column: 3, focus: false },
      { type: 'select', fn: 4 },
      { type: 'error', message: 'the canvas could not be created' },
    ])
      expect(parsePageMessage(message)).toEqual(message);
  });

  it('says what is wrong with one that does not fit', () => {
    expect(parsePageMessage({ type: 'openSource', url: '/app/x.ts', line: 3, column: 1 })).toBe(
      'message "openSource" has a missing or invalid "focus"',
    );
    expect(parsePageMessage({ type: 'openSource', url: '/app/x.ts', column: 1, focus: true })).toBe(
      'message "openSource" has a missing or invalid "line"',
    );
    expect(parsePageMessage({ type: 'openSource', url: '/app/x.ts', line: -1, column: 1, focus: true })).toBe(
      'message "openSource" has a missing or invalid "line"',
    );
    expect(parsePageMessage({ type: 'select', fn: 1.5 })).toBe('message "select" has a missing or invalid "fn"');
    expect(parsePageMessage({ type: 'runScript' })).toBe('unknown message type "runScript"');
    expect(parsePageMessage({ type: 'toString' })).toBe('unknown message type "toString"');
    expect(parsePageMessage('ready')).toBe('not a message object with a "type"');
    expect(parsePageMessage(null)).toBe('not a message object with a "type"');
  });
});

describe('messages from the host', () => {
  const start = {
    type: 'modelStart',
    id: 1,
    summary: { format: 'cpuprofile', unit: 'ms', total: 12, samples: 3, notes: [] },
    functionCount: 2,
    nodeCount: 2,
  };

  it('accepts each kind', () => {
    for (const message of [
      start,
      {
        type: 'modelFunctions',
        id: 1,
        offset: 0,
        functions: [{ name: '<img src=x onerror=alert(1)>', file: 'a.js', path: '/a.js', line: 1, column: 1 }],
      },
      { type: 'modelNodes', id: 1, offset: 0, parent: Int32Array.of(-1), fn: Int32Array.of(0), self: Float64Array.of(2) },
      { type: 'modelEnd', id: 1 },
      { type: 'select', fn: 0 },
      { type: 'error', message: 'not a profile: text that is neither JSON nor folded stacks' },
    ])
      expect(parseHostMessage(message)).toEqual(message);
  });

  it('refuses a function whose name is not text, and node arrays that are not typed arrays', () => {
    expect(parseHostMessage({ type: 'modelFunctions', id: 1, offset: 0, functions: [{ name: { html: '<b>' }, line: 1, column: 1 }] })).toBe(
      'message "modelFunctions" has a missing or invalid "functions"',
    );
    expect(parseHostMessage({ type: 'modelNodes', id: 1, offset: 0, parent: [-1], fn: Int32Array.of(0), self: Float64Array.of(1) })).toBe(
      'message "modelNodes" has a missing or invalid "parent"',
    );
    expect(parseHostMessage({ ...start, summary: { ...start.summary, unit: 'furlongs' } })).toBe(
      'message "modelStart" has a missing or invalid "summary"',
    );
  });
});

describe('the model in chunks', () => {
  const data = viewData('main;parse;tokenize 4\nmain;parse 2\nmain;render 3\nidle 1\nmain;render;parse 2\n');

  const assemble = (messages: Iterable<HostMessage>, assembler = new ModelAssembler()): Array<ViewData | string | undefined> =>
    Array.from(messages, (message) => {
      // Each message crosses as the page would receive it: a structured clone, checked.
      const parsed = parseHostMessage(structuredClone(message));
      if (typeof parsed === 'string') return parsed;
      if (parsed.type === 'select' || parsed.type === 'error') return `unexpected ${parsed.type}`;
      return assembler.accept(parsed);
    });

  it('arrives whole, in as many messages as the chunk sizes make', () => {
    const messages = [...modelMessages(data, 7, { nodes: 2, functions: 2 })];
    // 6 nodes (main, parse, tokenize, render, parse, idle) in 3 chunks, 5 functions in 3; plus start and end.
    expect(data.tree.parent.length).toBe(6);
    expect(data.functions.length).toBe(5);
    expect(messages.map((message) => message.type)).toEqual([
      'modelStart',
      ...Array(3).fill('modelFunctions'),
      ...Array(3).fill('modelNodes'),
      'modelEnd',
    ]);
    const results = assemble(messages);
    expect(results.slice(0, -1)).toEqual(Array(messages.length - 1).fill(undefined));
    expect(results.at(-1)).toEqual(data);
  });

  it('drops the chunks of an older model that arrive after a newer one started', () => {
    const assembler = new ModelAssembler();
    const older = [...modelMessages(data, 1, { nodes: 3, functions: 10 })];
    const newer = [...modelMessages(data, 2, { nodes: 3, functions: 10 })];
    // Each is start, functions, two node chunks, end.
    const results = assemble(
      [older[0], older[1], newer[0], older[2], newer[1], newer[2], older[3], newer[3], older[4], newer[4]],
      assembler,
    );
    expect(results.filter((result) => result !== undefined)).toEqual([data]);
  });

  it('refuses a node that names no function, a tree out of preorder, and a model cut short', () => {
    const broken = (edit: (messages: HostMessage[]) => void): unknown[] => {
      const messages = [...modelMessages(data, 3, { nodes: 100, functions: 100 })];
      edit(messages);
      return assemble(messages).filter((result) => result !== undefined);
    };
    const nodes = (messages: HostMessage[]) =>
      messages.find((message) => message.type === 'modelNodes') as Extract<HostMessage, { type: 'modelNodes' }>;
    expect(broken((messages) => (nodes(messages).fn[2] = 5))).toEqual(['model 3: node 2 names no function']);
    // Preorder: main 0, parse 1, tokenize 2, render 3, parse 4, idle 5. At node 4 the open path is
    // main, render: tokenize is closed, and a node cannot be its own parent.
    expect(broken((messages) => (nodes(messages).parent[4] = 2))).toEqual(['model 3: the call tree is not in preorder at node 4']);
    expect(broken((messages) => (nodes(messages).parent[1] = 1))).toEqual(['model 3: the call tree is not in preorder at node 1']);
    expect(broken((messages) => (nodes(messages).self[0] = Number.NaN))).toEqual(['model 3: node 0 has an invalid weight']);
    expect(broken((messages) => messages.splice(messages.length - 2, 1))).toEqual([
      'model 3: ended with 5 of 5 functions and 0 of 6 nodes',
    ]);
    expect(broken((messages) => messages.splice(1, 1))).toEqual(['model 3: ended with 0 of 5 functions and 6 of 6 nodes']);
  });

  it('refuses a model that announces more than any profile holds, before allocating it', () => {
    const [start] = modelMessages(data, 6);
    const assembler = new ModelAssembler();
    expect(
      assemble([{ ...start, nodeCount: 2 ** 40 } as HostMessage, ...[...modelMessages(data, 6)].slice(1)], assembler).filter(Boolean),
    ).toEqual([`model 6: announces ${2 ** 40} nodes and 5 functions, more than a profile of 1 GB holds`]);
  });

  it('refuses a chunk out of order, once, and takes the next model', () => {
    const messages = [...modelMessages(data, 4, { nodes: 2, functions: 100 })];
    // start, functions, nodes 0–1, nodes 2–3, nodes 4–5, end: the second node chunk goes missing.
    messages.splice(3, 1);
    const assembler = new ModelAssembler();
    expect(assemble(messages, assembler).filter((result) => result !== undefined)).toEqual(['model 4: nodes out of order']);
    expect(assemble(modelMessages(data, 5), assembler).at(-1)).toEqual(data);
  });
});
