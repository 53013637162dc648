import { describe, expect, it } from 'vitest';
import { ts } from '../../../src/analyzers/ts';
import { syntacticKind } from '../../../src/analyzers/facts/collections';
import { hereCall, parseExample } from '../../helpers/here';

/** The argument of the `here(…)` call in `code`, parsed as `fileName` (JavaScript for `.js`). */
function marked(code: string, fileName = '/a.js'): ts.Expression {
  return hereCall(parseExample(code, fileName)).arguments[0];
}

describe('an array, where plain JavaScript shows one', () => {
  it.each([
    ['a JSDoc @param', `/** @param {string[]} ids */\nfunction f(ids) { here(ids); }`],
    ['a JSDoc @param in Closure style', `/** @param {Array.<string>} ids */\nfunction f(ids) { here(ids); }`],
    ['a JSDoc @type', `/** @type {Array<{ id: string }>} */\nconst rows = load();\nhere(rows);`],
    ['a push on it', `function f(all, x) { all.push(x); here(all); }`],
    ['a search with a callback on it', `function f(users, id) { here(users); return users.find((u) => u.id === id); }`],
    ['what a function of the file returns', `function words(t) { return t.split(' '); }\nconst all = words(text);\nhere(all);`],
    ['what an arrow of the file returns, on every path', `const pick = (a, k) => (k ? a.filter(Boolean) : []);\nhere(pick(xs, 1));`],
    [
      'what an async function returns, awaited',
      `async function load() { return Object.keys(await get()); }\nasync function f() { here(await load()); }`,
    ],
  ])('%s', (_name, code) => {
    expect(syntacticKind(marked(code))).toBe('array');
  });

  it.each([
    ['a parameter only searched (a string has includes too)', `function f(ids, id) { here(ids); return ids.includes(id); }`],
    ['a `find` given a filter object: a query', `function f(Model) { here(Model); return Model.find({ active: true }); }`],
    ['an async function called without await: a promise', `async function load() { return []; }\nhere(load());`],
    ['a function that returns an array on one path only', `function f(a) { if (a) return []; return a; }\nhere(f(x));`],
    ['a JSDoc string', `/** @param {string} s */\nfunction f(s) { here(s); }`],
  ])('unknown or not an array: %s', (_name, code) => {
    expect(syntacticKind(marked(code))).not.toBe('array');
  });

  it('reads usage only where there are no types to read: an annotated TypeScript parameter keeps its annotation', () => {
    expect(syntacticKind(marked(`function f(all: Queue, x: number) { all.push(x); here(all); }`, '/a.ts'))).toBeUndefined();
    expect(syntacticKind(marked(`function f(all, x) { all.push(x); here(all); }`, '/a.ts'))).toBeUndefined();
  });
});
