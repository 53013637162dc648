import { describe, expect, it } from 'vitest';
import { FileFacts } from '../../../src/analyzers/facts/fileFacts';
import { guardedToRunOnce, longLivedTarget, repetitionOf } from '../../../src/analyzers/facts/lifetime';
import { enclosingFunction } from '../../../src/analyzers/facts/ast';
import { hereCall, parseExample } from '../../helpers/here';

function parse(code: string, fileName = '/a.tsx') {
  const sourceFile = parseExample(code, fileName);
  return { here: hereCall(sourceFile), file: new FileFacts(fileName, code, sourceFile) };
}

describe('repetition', () => {
  it.each([
    ['a loop', `for (const x of xs) here();`, 'loop'],
    ['a request handler', `import express from 'express';\nconst app = express();\napp.get('/', (req, res) => { here(); });`, 'handler'],
    ['a function called from a loop', `function f() { here(); }\nfor (const x of xs) f();`, 'called-repeatedly'],
    ['a function handed to map', `function f() { here(); }\nxs.map(f);`, 'called-repeatedly'],
    ['an effect with dependencies', `useEffect(() => { here(); }, [a]);`, 'effect'],
    ['an effect without a dependency list', `useEffect(() => { here(); });`, 'effect'],
  ])('%s', (_name, code, kind) => {
    const { here, file } = parse(code);
    expect(repetitionOf(here, file)?.kind).toBe(kind);
  });

  it.each([
    ['module level', `here();`],
    ['a function nothing repeats', `export function f() { here(); }`],
    ['an effect that runs once per mount', `useEffect(() => { here(); }, []);`],
  ])('%s does not repeat', (_name, code) => {
    const { here, file } = parse(code);
    expect(repetitionOf(here, file)).toBeUndefined();
  });
});

describe('long-lived targets', () => {
  it.each([
    ['process', `here(process);`, 'global'],
    ['document.body', `here(document.body);`, 'global'],
    ['a module-level emitter', `const bus = new E();\nfunction f() { here(bus); }`, 'module'],
    ['an import', `import { bus } from './bus';\nfunction f() { here(bus); }`, 'imported'],
  ])('%s', (_name, code, kind) => {
    const { here } = parse(code);
    expect(longLivedTarget(here.arguments[0])).toBe(kind);
  });

  it.each([
    ['a local', `function f() { const e = new E(); here(e); }`],
    ['this', `class C { m() { here(this); } }`],
    ['a call result', `here(getEmitter().x);`],
  ])('%s is not long-lived', (_name, code) => {
    const { here } = parse(code);
    expect(longLivedTarget(here.arguments[0])).toBeUndefined();
  });
});

describe('once-guards', () => {
  it('sees a flag guard and a listener-count check', () => {
    const flag = parse(`let done = false;\nfunction f() { if (!done) { done = true; here(); } }`);
    expect(guardedToRunOnce(flag.here, enclosingFunction(flag.here)!)).toBe(true);
    const count = parse(`function f() { if (process.listenerCount('exit') === 0) here(); }`);
    expect(guardedToRunOnce(count.here, enclosingFunction(count.here)!)).toBe(true);
    const none = parse(`function f(x: boolean) { if (x) here(); }`);
    expect(guardedToRunOnce(none.here, enclosingFunction(none.here)!)).toBe(false);
  });
});
