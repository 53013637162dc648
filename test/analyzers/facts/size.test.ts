import { ts } from '../../../src/analyzers/ts';
import { describe, expect, it } from 'vitest';
import { fixedLength, hasRecordName, isSmallList, scaleOf } from '../../../src/analyzers/facts/sizes';
import { resolve } from '../../../src/analyzers/facts/dataflow';
import { hereCall, parseExample } from '../../helpers/here';

/** The argument of the `here(…)` call in `code`. */
function marked(code: string): ts.Expression {
  return hereCall(parseExample(code)).arguments[0];
}

describe('size evidence: small lists', () => {
  it.each([
    ['a short inline literal', `here(['a', 'b']);`],
    ['a named literal of 20 items built once', `const K = [${Array.from({ length: 20 }, (_, i) => `'k${i}'`).join(', ')}];\nhere(K);`],
    ['a short literal grown by literal pushes outside loops', `const m = ['a']; if (Math.random()) m.push('b');\nhere(m);`],
    ['an imported UPPER_CASE constant', `import { METHODS } from './m';\nhere(METHODS);`],
    ['a list read from options', `declare const options: { allow: string[] };\nhere(options.allow);`],
    ['the values of an enum', `enum E { A = 'a', B = 'b' }\nhere(Object.values(E));`],
    ['a chain from a PascalCase import', `import { Limits } from './limits';\nhere(Limits.imageTypes);`],
    ['a class field with a short literal', `class C { skip = ['a', 'b']; m() { here(this.skip); } }`],
    ['path segments', `declare const p: string;\nconst parts = p.split('/');\nhere(parts);`],
    ['a handful-domain name', `declare const hiddenColumns: string[];\nhere(hiddenColumns);`],
    [
      'an escaped const literal (size evidence, not a proof)',
      `const L = ['a', 'b'];\npick(L);\nhere(L);\ndeclare function pick(x: unknown): void;`,
    ],
  ])('%s', (_name, code) => {
    expect(isSmallList(marked(code))).toBe(true);
    expect(scaleOf(marked(code))).toBe('small');
  });

  it.each([
    ['a long inline literal', `here([${Array.from({ length: 9 }, (_, i) => i).join(', ')}]);`],
    ['a named literal of 40 items', `const K = [${Array.from({ length: 40 }, (_, i) => i).join(', ')}];\nhere(K);`],
    [
      'a list pushed to in a loop',
      `const seen: string[] = []; for (const x of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) seen.push(String(x));\nhere(seen);`,
    ],
    ['an empty class field (a store that fills up)', `class C { seen: string[] = []; m() { here(this.seen); } }`],
    ['a split on commas', `declare const csv: string;\nhere(csv.split(','));`],
  ])('%s is not small', (_name, code) => {
    expect(isSmallList(marked(code))).toBe(false);
  });

  it('counts literal elements and literal pushes', () => {
    const node = marked(`const m = ['a', 'b']; m.push('c', 'd');\nhere(m);`) as ts.Identifier;
    expect(fixedLength(resolve(node)!)).toBe(4);
    const grown = marked(`const m = ['a']; for (const x of xs) m.push(x);\nhere(m);\ndeclare const xs: string[];`) as ts.Identifier;
    expect(fixedLength(resolve(grown)!)).toBeUndefined();
  });

  it('a literal push inside a callback runs as often as the callback: no fixed length; the same push beside the list counts', () => {
    const inCallback = marked(
      `const m: string[] = []; onTick(() => { m.push('x'); });\nhere(m);\ndeclare function onTick(f: () => void): void;`,
    );
    expect(fixedLength(resolve(inCallback as ts.Identifier)!)).toBeUndefined();
    const beside = marked(`const m: string[] = []; m.push('x');\nhere(m);`);
    expect(fixedLength(resolve(beside as ts.Identifier)!)).toBe(1);
  });
});

describe('size evidence: large lists', () => {
  it.each([
    ['an awaited result', `async function f() { const rows = await q(); here(rows); }\ndeclare function q(): Promise<unknown[]>;`],
    [
      'a map of an awaited result',
      `async function f() { const all = await q(); const ids = all.map((r) => r); here(ids); }\ndeclare function q(): Promise<unknown[]>;`,
    ],
    ['lines of a text', `declare const text: string;\nhere(text.split('\\n'));`],
    ['JSON.parse', `declare const body: string;\nhere(JSON.parse(body));`],
    ['a record name', `declare const orders: unknown[];\nhere(orders);`],
    ['ids', `declare const selectedElementIds: string[];\nhere(selectedElementIds);`],
    ['a getter named for records', `declare function getUsers(): unknown[];\nhere(getUsers());`],
    ['a list on a store', `declare const store: { documents: unknown[] };\nhere(store.documents);`],
    [
      'a list filled per item of a large one, under any name',
      `declare const text: string;\nconst v = [];\nfor (const line of text.split('\\n')) v.push(line.trim());\nhere(v);`,
    ],
  ])('%s', (_name, code) => {
    expect(scaleOf(marked(code))).toBe('large');
  });

  it('a list filled in a loop over a short or unknown list says nothing more than its start', () => {
    expect(scaleOf(marked(`const v = [];\nfor (const k of ['a', 'b']) v.push(k);\nhere(v);`))).not.toBe('large');
    expect(scaleOf(marked(`declare const list: string[];\nconst v = [];\nfor (const k of list) v.push(k);\nhere(v);`))).not.toBe('large');
  });

  it.each([
    ['a generic name', `declare const list: unknown[];\nhere(list);`],
    ['a list of one record\u2019s children', `declare const link: { tagIds: string[] };\nhere(link.tagIds);`],
  ])('%s has no evidence of size', (_name, code) => {
    expect(scaleOf(marked(code))).toBeUndefined();
  });

  it('sizes Promise.all by the promises it is given', () => {
    expect(scaleOf(marked(`async function f(a: Promise<number>, b: Promise<number>) { here(await Promise.all([a, b])); }`))).toBe('small');
    expect(scaleOf(marked(`async function f(ps: Promise<number>[]) { here(await Promise.all(ps)); }`))).toBeUndefined();
  });

  it('reads record names by their last word', () => {
    expect(hasRecordName(marked(`declare const newEventsWithGroup: unknown[];\nhere(newEventsWithGroup);`))).toBe(false);
    expect(hasRecordName(marked(`declare const enrolledPartnerIds: unknown[];\nhere(enrolledPartnerIds);`))).toBe(true);
    expect(hasRecordName(marked(`declare const MIME_TYPES: unknown[];\nhere(MIME_TYPES);`))).toBe(false);
  });
});
