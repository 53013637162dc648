/** Bad input of every kind: exit 2 with one line that says what is wrong — no stack, no hang. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesRead } from '../helpers/bytesRead';
import { oneLineError, perflens, tempDir } from './helpers';

let root: string;

beforeAll(() => {
  root = tempDir();
});

const frame = (name: string) => ({ functionName: name, scriptId: '1', url: 'file:///app.js', lineNumber: 1, columnNumber: 1 });
const valid = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2] },
    { id: 2, callFrame: frame('work'), children: [] },
  ],
  startTime: 0,
  endTime: 2000,
  samples: [2, 2],
  timeDeltas: [0, 1000],
};

async function expectRefused(name: string, content: string | Buffer, message: RegExp): Promise<void> {
  const file = path.join(root, name);
  fs.writeFileSync(file, content);
  const result = await perflens(['profile', name], root);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(oneLineError(result)).toMatch(message);
}

describe('perflens profile refuses bad input with one line', () => {
  it('truncated JSON', async () => {
    const text = JSON.stringify(valid);
    await expectRefused(
      'cut.cpuprofile',
      text.slice(0, text.length / 2),
      /^perflens: truncated JSON: the file ends in the middle of the profile$/,
    );
  });

  it('a binary file', async () => {
    const bytes = Buffer.alloc(4096);
    for (let at = 0; at < bytes.length; at++) bytes[at] = (at * 7919 + 13) % 251;
    await expectRefused('random.bin', bytes, /^perflens: not a profile: a binary file that is neither pprof \(protobuf\) nor gzip$/);
  });

  it('an empty file', async () => {
    await expectRefused('empty.cpuprofile', '', /^perflens: the file is empty$/);
  });

  it('JSON that is not a profile', async () => {
    await expectRefused(
      'package.json',
      JSON.stringify({ name: 'x', version: '1.0.0' }),
      /^perflens: JSON, but not a profile \(keys "name", "version"\): expected a V8 CPU profile/,
    );
    await expectRefused('numbers.json', '[1, 2, 3]', /^perflens: JSON, but not a profile: an array that is not a list of trace events$/);
  });

  it('text that is neither JSON nor folded stacks', async () => {
    await expectRefused(
      'notes.txt',
      'hello world\nthis is not a profile\n',
      /^perflens: not a profile: text that is neither JSON nor folded stacks/,
    );
  });

  it('invalid JSON, with the offset', async () => {
    await expectRefused('bad.cpuprofile', '{"nodes": [ {"id": 1,, } ] }', /^perflens: invalid JSON at byte 21: expected a key, found ","$/);
  });

  it('a 2 GB file, refused before reading it (a sparse file: no 2 GB on disk)', async () => {
    const file = path.join(root, 'huge.cpuprofile');
    fs.writeFileSync(file, '{"nodes":');
    fs.truncateSync(file, 2 * 1024 ** 3);
    const before = bytesRead();
    const result = await perflens(['profile', 'huge.cpuprofile'], root);
    expect(result.code).toBe(2);
    expect(oneLineError(result)).toBe(`perflens: ${file} is 2.0 GB: larger than the 1.0 GB a profile may have`);
    // Not read: meanwhile this process read a sliver of it at most (where the system counts).
    if (before !== undefined) expect((bytesRead() as number) - before).toBeLessThan(16 * 1024 ** 2);
    fs.rmSync(file);
  });

  it('nodes that reference missing ids', async () => {
    const missingChild = { ...valid, nodes: [{ ...valid.nodes[0], children: [2, 99] }, valid.nodes[1]] };
    await expectRefused(
      'child.cpuprofile',
      JSON.stringify(missingChild),
      /^perflens: profile node 1 lists child 99, which is not in the profile$/,
    );
    const missingSample = { ...valid, samples: [2, 42] };
    await expectRefused(
      'sample.cpuprofile',
      JSON.stringify(missingSample),
      /^perflens: sample 2 points at node 42, which is not in the profile$/,
    );
  });

  it('nodes that form a cycle', async () => {
    const cycle = {
      ...valid,
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [] },
        { id: 2, callFrame: frame('a'), children: [3] },
        { id: 3, callFrame: frame('b'), children: [2] },
      ],
      samples: [3, 2],
    };
    await expectRefused(
      'cycle.cpuprofile',
      JSON.stringify(cycle),
      /^perflens: the profile's call tree has a cycle: node \d is its own ancestor$/,
    );
    const self = { ...valid, nodes: [{ ...valid.nodes[0], children: [1] }] };
    await expectRefused(
      'self.cpuprofile',
      JSON.stringify(self),
      /^perflens: the profile's call tree has a cycle: node 1 is its own child$/,
    );
  });

  it('a trace chunk whose node names a missing parent', async () => {
    const trace = {
      traceEvents: [
        { name: 'Profile', ph: 'P', pid: 1, tid: 1, id: '0x1', ts: 0, args: { data: { startTime: 0 } } },
        {
          name: 'ProfileChunk',
          ph: 'P',
          pid: 1,
          tid: 1,
          id: '0x1',
          ts: 0,
          args: {
            data: {
              cpuProfile: {
                nodes: [
                  { id: 1, callFrame: frame('(root)') },
                  { id: 2, callFrame: frame('a'), parent: 7 },
                ],
                samples: [2],
              },
              timeDeltas: [5],
            },
          },
        },
      ],
    };
    await expectRefused('broken.trace.json', JSON.stringify(trace), /^perflens: profile node 2 has parent 7, which is not in the profile$/);
  });

  it('deep nesting and a pprof that is no pprof, without a stack overflow', async () => {
    await expectRefused('deep.json', `{"x":${'['.repeat(100000)}`, /^perflens: invalid JSON at byte \d+: nested too deeply$/);
    await expectRefused(
      'fake.pb.gz',
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]),
      /^perflens: the file is gzip-compressed but truncated, corrupt, or larger than 1 GB unpacked$/,
    );
  });

  it('a missing file, a folder, and bad options', async () => {
    expect(oneLineError(await perflens(['profile', 'nope.cpuprofile'], root))).toBe(
      `perflens: no such file: ${path.join(root, 'nope.cpuprofile')}`,
    );
    expect(oneLineError(await perflens(['profile', '.'], root))).toBe(`perflens: ${root} is a folder, not a profile`);
    expect(oneLineError(await perflens(['profile'], root))).toBe(
      'perflens: missing profile FILE (or --run -- COMMAND to record one): see perflens profile --help',
    );
    expect(oneLineError(await perflens(['profile', 'x', '--top', '0'], root))).toBe(
      'perflens: --top needs a whole number of rows ≥ 1 (got "0")',
    );
    expect(oneLineError(await perflens(['profile', 'x', '--fromat', 'json'], root))).toBe(
      'perflens: unknown option --fromat (did you mean "--format"?) (see perflens profile --help)',
    );
    expect(oneLineError(await perflens(['profile', 'x', '--format', 'sarif'], root))).toBe(
      'perflens: unknown format "sarif": expected text, json',
    );
    expect(oneLineError(await perflens(['profile', 'x', '--max-regression', '5'], root))).toBe(
      'perflens: --max-regression compares with a baseline: add --baseline FILE',
    );
    expect(oneLineError(await perflens(['profile', '--run'], root))).toBe(
      'perflens: --run needs a command after "--", e.g. perflens profile --run -- node app.js',
    );
    fs.writeFileSync(path.join(root, 'good.cpuprofile'), JSON.stringify(valid));
    fs.writeFileSync(path.join(root, 'empty.folded'), '');
    expect(oneLineError(await perflens(['profile', 'good.cpuprofile', '--baseline', 'empty.folded'], root))).toBe(
      'perflens: --baseline empty.folded: the file is empty',
    );
  });
});
