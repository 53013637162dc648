import { describe, expect, it } from 'vitest';
import { findings, projectFindings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'uncleared-interval';
const tester = ruleTester(rule);
const express = `import express from 'express';\nconst app = express();\n`;

describe('uncleared-interval reports', () => {
  it.each([
    [
      'a discarded handle in an effect with dependencies',
      `import { useEffect } from 'react';\nexport function useTick(ms: number, cb: () => void) { useEffect(() => { setInterval(cb, ms); }, [ms, cb]); }`,
      [{ messageId: 'discarded', line: 2, column: 73 }],
    ],
    [
      'a kept handle never cleared, in a request handler',
      `${express}app.get('/', (req, res) => { const t = setInterval(() => console.log(req.url), 1000); res.json({ t: String(t) }); });`,
      [{ messageId: 'neverCleared', line: 3, column: 40 }],
    ],
    [
      'a timer per instance, in a constructor',
      `export class Poller { n = 0; constructor() { setInterval(() => { this.n++; }, 1000); } }`,
      [{ messageId: 'instance', line: 1, column: 46 }],
    ],
    [
      'window.setInterval in a loop',
      `export function watchAll(ids: string[]) { for (const id of ids) window.setInterval(() => console.log(id), 1000); }`,
      [{ messageId: 'discarded', line: 1, column: 65 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('says the instance stays alive when the callback uses this', async () => {
    const [finding] = await tester.invalid({
      code: `export class Poller { n = 0; constructor() { setInterval(() => { this.n++; }, 1000); } }`,
      errors: [{ messageId: 'instance', line: 1, column: 46 }],
    });
    expect(finding.message).toContain('`this`');
  });
});

describe('uncleared-interval stays quiet', () => {
  it.each([
    ['module level, once per process', `setInterval(() => undefined, 60000).unref();`],
    [
      'cleared by the effect cleanup',
      `import { useEffect } from 'react';\nexport function useTick(ms: number, cb: () => void) { useEffect(() => { const t = setInterval(cb, ms); return () => clearInterval(t); }, [ms, cb]); }`,
    ],
    [
      'a class that clears its timer',
      `export class P { t: ReturnType<typeof setInterval>; constructor() { this.t = setInterval(() => undefined, 1000); } close() { clearInterval(this.t); } }`,
    ],
    [
      'a handle returned to the caller',
      `export function start(ids: string[]) { return ids.map((id) => setInterval(() => console.log(id), 1000)); }`,
    ],
    ['a function nothing shows to repeat', `export function startMetrics() { setInterval(() => undefined, 1000); }`],
    [
      'a shadowed setInterval',
      `export function f(ids: string[], setInterval: (f: () => void) => void) { for (const id of ids) setInterval(() => console.log(id)); }`,
    ],
    [
      'an effect that runs once per mount',
      `import { useEffect } from 'react';\nexport function useTick(cb: () => void) { useEffect(() => { setInterval(cb, 1000); }, []); }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});

describe('uncleared-interval: a class constructed once per process', () => {
  const manager = `export class Manager {
  private pending = new Map<string, number>();
  constructor() {
    setInterval(() => this.pending.clear(), 60_000);
  }
}
`;
  const local = manager.replace('export class', 'class');

  it.each([
    ['constructed at module level in its own file', `${local}export const manager = new Manager();`],
    [
      'constructed once at top level in plain JavaScript, assigned later',
      `${local.replace('<string, number>', '')}let shared;\nshared = new Manager();\nmodule.exports = { shared };`,
    ],
  ])('not reported: %s', (_name, code) => {
    expect(findings(code, { rule, filename: code.includes('module.exports') ? 'lib/manager.js' : 'lib/manager.ts' })).toEqual([]);
  });

  it('not reported: constructed at top level of the one file that imports it', () => {
    const found = projectFindings(
      {
        'lib/manager.ts': manager,
        'lib/index.ts': `import { Manager } from './manager';\nexport const manager = new Manager();\n`,
      },
      'lib/manager.ts',
      rule,
    );
    expect(found).toEqual([]);
  });

  it('not reported: the module’s default export is the one instance, and its importers use that instance under the class’s name', () => {
    const found = projectFindings(
      {
        'lib/visual.ts': `${local}export default new Manager();\n`,
        'lib/routes.ts': `import Manager from './visual';\nexport function overview() {\n  return Manager.pending;\n}\n`,
      },
      'lib/visual.ts',
      rule,
    );
    expect(found).toEqual([]);
  });

  it('reported: the class itself is the default export, so an importer may build more', async () => {
    await tester.invalid({
      code: `${local}export default Manager;\nexport const manager = new Manager();\n`,
      filename: 'lib/manager.ts',
      files: { 'lib/other.ts': `import Manager from './manager';\nexport function handle() {\n  return new Manager();\n}\n` },
      errors: [{ messageId: 'instance', line: 4, column: 5 }],
    });
  });

  it.each([
    [
      'constructed per request in another file',
      `import { Manager } from './manager';\nexport function handle() {\n  return new Manager();\n}\n`,
    ],
    [
      'constructed at top level, but in a loop',
      `import { Manager } from './manager';\nexport const managers = [1, 2].map(() => new Manager());\n`,
    ],
    ['handed to a factory as a value', `import { Manager } from './manager';\nexport const providers = [Manager];\n`],
    [
      'extended by a subclass',
      `import { Manager } from './manager';\nexport class Child extends Manager {}\nexport const child = new Child();\n`,
    ],
    ['imported under another name', `import { Manager as M } from './manager';\nexport function make() {\n  return new M();\n}\n`],
  ])('reported: %s', async (_name, other) => {
    await tester.invalid({
      code: manager,
      filename: 'lib/manager.ts',
      files: { 'lib/other.ts': other },
      errors: [{ messageId: 'instance', line: 4, column: 5 }],
    });
  });

  it('reported: one top-level instance, another built in a function of the same file', async () => {
    await tester.invalid({
      code: `${local}export const manager = new Manager();\nexport function fresh() {\n  return new Manager();\n}`,
      errors: [{ messageId: 'instance', line: 4, column: 5 }],
    });
  });

  it('reported: exported and built at top level, but the project’s other files are not known (the editor before listing)', async () => {
    await tester.invalid({
      code: `${manager}export const manager = new Manager();`,
      errors: [{ messageId: 'instance', line: 4, column: 5 }],
    });
  });
});
