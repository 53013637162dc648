import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'captured-buffer';
const tester = ruleTester(rule);

describe('captured-buffer reports', () => {
  it.each([
    [
      'an interval reading a file buffer\u2019s length',
      `import { readFileSync } from 'node:fs';\nexport function w(p: string) { const data = readFileSync(p); setInterval(() => console.log(data.length), 1000); }`,
      [{ messageId: 'captured', line: 2, column: 92 }],
    ],
    [
      'a process listener reading a body\u2019s byteLength',
      `export async function d(url: string) { const body = await (await fetch(url)).arrayBuffer(); process.on('exit', () => console.log(body.byteLength)); }`,
      [{ messageId: 'captured', line: 1, column: 130 }],
    ],
    [
      'an allocation captured by a listener on a module-level emitter',
      `import { EventEmitter } from 'node:events';\nconst bus = new EventEmitter();\nexport function a(n: number) { const buf = Buffer.alloc(n); bus.on('stats', () => console.log(buf.length)); }`,
      [{ messageId: 'captured', line: 3, column: 95 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('captured-buffer stays quiet', () => {
  it.each([
    [
      'only the size captured',
      `import { readFileSync } from 'node:fs';\nexport function w(p: string) { const size = readFileSync(p).length; setInterval(() => console.log(size), 1000); }`,
    ],
    [
      'the contents used',
      `import { readFileSync } from 'node:fs';\nexport function w(p: string) { const page = readFileSync(p); setInterval(() => console.log(page.toString('utf8')), 1000); }`,
    ],
    [
      'a one-shot timeout',
      `import { readFileSync } from 'node:fs';\nexport function w(p: string) { const d = readFileSync(p); setTimeout(() => console.log(d.length), 1000); }`,
    ],
    [
      'a listener on an object created per call',
      `import { readFileSync } from 'node:fs';\nimport { EventEmitter } from 'node:events';\nexport function w(p: string) { const d = readFileSync(p); const e = new EventEmitter(); e.on('x', () => console.log(d.length)); return e; }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
