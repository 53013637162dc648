import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'listener-leak';
const tester = ruleTester(rule);
const express = `import express from 'express';\nconst app = express();\n`;

describe('listener-leak reports', () => {
  it.each([
    [
      'process.on in a request handler',
      `${express}app.get('/', (req, res) => { process.on('exit', () => console.log(req.url)); res.end(); });`,
      [{ messageId: 'leak', line: 3, column: 30 }],
    ],
    [
      'window.addEventListener in an effect with dependencies and no cleanup',
      `import { useEffect } from 'react';\nexport function useW(cb: () => void) { useEffect(() => { window.addEventListener('resize', () => cb()); }, [cb]); }`,
      [{ messageId: 'effect', line: 2, column: 58 }],
    ],
    [
      'an effect that runs on every render (no dependency list)',
      `import { useEffect } from 'react';\nexport function useW(cb: () => void) { useEffect(() => { document.addEventListener('keydown', () => cb()); }); }`,
      [{ messageId: 'effect', line: 2, column: 58 }],
    ],
    [
      'a module-level emitter in a loop',
      `import { EventEmitter } from 'node:events';\nconst bus = new EventEmitter();\nexport function track(jobs: string[]) { for (const j of jobs) bus.on('done', () => console.log(j)); }`,
      [{ messageId: 'leak', line: 3, column: 63 }],
    ],
    [
      'a function called from a loop of the file',
      `function watch(name: string) { process.on('SIGINT', () => console.log(name)); }\nexport function all(names: string[]) { for (const n of names) watch(n); }`,
      [{ messageId: 'leak', line: 1, column: 32 }],
    ],
    [
      'one listener per constant signal, in a request handler',
      `${express}app.get('/', (req, res) => { ['SIGINT', 'SIGTERM'].forEach((s) => process.on(s, () => res.end())); });`,
      [{ messageId: 'leak', line: 3, column: 67 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('names the target and what repeats', async () => {
    const [finding] = await tester.invalid({
      code: `${express}app.get('/', (req, res) => { process.on('exit', () => console.log(req.url)); res.end(); });`,
      errors: [{ messageId: 'leak', line: 3, column: 30 }],
    });
    expect(finding.message).toContain('`process`');
    expect(finding.message).toContain('request handler');
  });
});

describe('listener-leak stays quiet', () => {
  it.each([
    ['registered at start-up', `process.on('SIGTERM', () => process.exit(0));`],
    ['inside a function nothing shows to repeat', `export function init() { process.on('SIGTERM', () => process.exit(0)); }`],
    [
      'removed by the effect cleanup',
      `import { useEffect } from 'react';\nexport function useW(cb: () => void) { useEffect(() => { window.addEventListener('resize', cb); return () => window.removeEventListener('resize', cb); }, [cb]); }`,
    ],
    [
      'an effect that runs once per mount',
      `import { useEffect } from 'react';\nexport function useW(cb: () => void) { useEffect(() => { window.addEventListener('resize', () => cb()); }, []); }`,
    ],
    ['once', `${express}app.get('/', (req, res) => { process.once('exit', () => res.end()); });`],
    [
      '{ once: true } and { signal }',
      `${express}app.get('/', (req, res) => { const c = new AbortController(); window.addEventListener('a', () => res.end(), { once: true }); window.addEventListener('b', () => res.end(), { signal: c.signal }); });`,
    ],
    [
      'a listener on an object created per call',
      `import http from 'node:http';\nexport function ping(urls: string[]) { for (const u of urls) { const req = http.get(u); req.on('error', () => undefined); } }`,
    ],
    [
      'a caller\\u2019s callback handed through',
      `export function onExit(cb: () => void) { process.on('exit', cb); }\nexport function many(cbs: Array<() => void>) { for (const cb of cbs) onExit(cb); }`,
    ],
    [
      'removed elsewhere in the file',
      `${express}const h = () => undefined;\napp.get('/', (req, res) => { process.on('exit', h); res.end(); });\napp.get('/stop', (req, res) => { process.off('exit', h); res.end(); });`,
    ],
    [
      'guarded to run once',
      `let installed = false;\n${express}app.get('/', (req, res) => { if (!installed) { installed = true; process.on('exit', () => undefined); } res.end(); });`,
    ],
    // commander's subcommand launcher: one forwarding listener per signal of a constant list.
    [
      'one listener per item of a constant list',
      `export function forward(child: { kill(s: string): void }) { const signals = ['SIGUSR1', 'SIGTERM', 'SIGINT']; signals.forEach((signal) => { process.on(signal, () => child.kill(signal)); }); }`,
    ],
    [
      'one listener per item of an inline list',
      `export function forward(child: { kill(s: string): void }) { for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal)); }`,
    ],
    [
      'in a test file',
      { code: `${express}app.get('/', (req, res) => { process.on('exit', () => undefined); res.end(); });`, filename: 'server.test.ts' },
    ],
  ])('%s', (_name, input) => {
    const { code, filename } = typeof input === 'string' ? { code: input, filename: undefined } : input;
    expect(findings(code, { rule, filename })).toEqual([]);
  });
});
