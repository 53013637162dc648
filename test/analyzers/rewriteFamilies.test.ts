/**
 * Each rewrite family of the harness, proved on small runnable snippets: the rewritten code differs, and runs to the
 * same values and the same logged side effects on the same inputs (test/helpers/behaviour.ts); where a family must
 * not apply (a Map's loop, a body that returns), it offers no variant.
 */
import { describe, expect, it } from 'vitest';
import { expectSameBehaviour, loadModule } from '../helpers/behaviour';
import { REWRITES } from '../helpers/rewrites/index';
import type { Snippet } from '../helpers/rewrites/source';
import type { RewriteFamily } from '../../src/analyzers/rule';

function variants(family: RewriteFamily, code: string, filename = 'example.ts'): Snippet[] {
  return REWRITES[family]({ filename, code, files: {} });
}

async function provesEach(family: RewriteFamily, code: string, entry: string, inputs: unknown[][], count: number): Promise<Snippet[]> {
  const found = variants(family, code);
  expect(found).toHaveLength(count);
  for (const variant of found) {
    const packages = Object.fromEntries(
      Object.entries(variant.files).map(([name, text]) => [`./${name.replace(/\.[jt]s$/, '')}`, loadModule(text)]),
    );
    await expectSameBehaviour(code, variant.code, entry, inputs, packages);
  }
  return found;
}

describe('extract', () => {
  it('extracts a loop list into a const and inlines a const read once by the next statement', async () => {
    const code = `export function run(graph: Record<string, string[]>, key: string) {
  const out: string[] = [];
  for (const x of graph[key] ?? []) out.push(x);
  const edges = graph[key] ?? [];
  for (const y of edges) out.push(y + '!');
  return out;
}`;
    const [extracted, inlined] = await provesEach(
      'extract',
      code,
      'run',
      [
        [{ a: ['1', '2'] }, 'a'],
        [{}, 'b'],
      ],
      2,
    );
    expect(extracted.code).toContain('const items = graph[key] ?? [];');
    expect(inlined.code).toContain("for (const y of graph[key] ?? []) out.push(y + '!');");
  });

  it('does not inline a const read twice', () => {
    expect(
      variants('extract', 'export function f(a: number[]) {\n  const b = a;\n  for (const x of b) log.push(x + b.length);\n}'),
    ).toEqual([]);
  });
});

describe('loop-forms', () => {
  const code = `export function run(list: number[]) {
  const out: number[] = [];
  for (const x of list) {
    if (x < 0) continue;
    for (const y of [1, 2]) out.push(x * y);
  }
  return out;
}`;
  it('writes a for…of as an index for and a while (continue kept); not as forEach, whose body would jump out', async () => {
    const found = await provesEach('loop-forms', code, 'run', [[[3, -1, 4]], [[]]], 3);
    expect(found.map((v) => v.code.includes('while ('))).toContain(true);
    expect(found.map((v) => v.code.includes('list.forEach('))).not.toContain(true);
  });

  it('writes a forEach over an array as a for…of, and back', async () => {
    const forEach = 'export function run(list: string[]) {\n  list.forEach((x) => log.push(x));\n}';
    await provesEach('loop-forms', forEach, 'run', [[['a', 'b']]], 1);
  });

  it('leaves loops over what is not shown to be an array (a Map iterates entries, its forEach values)', () => {
    expect(variants('loop-forms', 'export function run(m: Map<string, number>) {\n  for (const e of m) log.push(e);\n}')).toEqual([]);
  });
});

describe('reduce', () => {
  it('writes a reduce as a loop accumulation, and a loop accumulation as a reduce', async () => {
    const code = `export function run(list: number[]) {
  const total = list.reduce((sum, x) => sum + x * 2, 0);
  let count = 0;
  for (const x of list) count += x > 1 ? 1 : 0;
  return [total, count];
}`;
    await provesEach('reduce', code, 'run', [[[1, 2, 3]], [[]]], 2);
  });

  it('leaves a reduce without an initial value (it throws on an empty list, a loop does not)', () => {
    expect(variants('reduce', 'export const f = (a: number[]) => {\n  const t = a.reduce((s, x) => s + x);\n  return t;\n};')).toEqual([]);
  });
});

describe('function-forms', () => {
  it('writes a declaration as an arrow, an arrow as a declaration, a declaration as a method (recursion included)', async () => {
    const code = `function fact(n: number): number {
  return n <= 1 ? 1 : n * fact(n - 1);
}
const twice = (n: number) => n * 2;
export function run(n: number) {
  return [fact(n), twice(n)];
}`;
    const found = await provesEach('function-forms', code, 'run', [[5], [1]], 3);
    expect(found[2].code).toContain('factModule.fact(n - 1)');
  });

  it('leaves a declaration a statement before it calls (a const is not hoisted) and one that says `this`', () => {
    expect(variants('function-forms', 'log.push(f());\nfunction f() {\n  return this;\n}')).toEqual([]);
  });
});

describe('await-then', () => {
  it('writes the rest of a block after an awaited call as its then-callback, and return await as then', async () => {
    const code = `const read = async (x: number) => x + 1;
export async function run(list: number[]) {
  for (const x of list) {
    const y = await read(x);
    log.push(y);
  }
  return await read(0);
}`;
    await provesEach('await-then', code, 'run', [[[1, 2]]], 1);
  });

  it('writes a then-callback as the code after an await', async () => {
    const code = `const read = async (x: number) => x + 1;
async function twice(x: number) {
  return read(x).then((z) => z * 2);
}
export async function run(x: number) {
  log.push(await twice(x));
  await read(x).then(async (y) => {
    log.push(y);
  });
}`;
    const [variant] = await provesEach('await-then', code, 'run', [[1], [5]], 1);
    expect(variant.code).toContain('const y = await read(x);');
    expect(variant.code).toContain('const z = await read(x);');
  });

  it('leaves an await whose block goes on to return (inside a callback the return would mean another thing)', () => {
    const code = 'export async function run(f: () => Promise<number>) {\n  const y = await f();\n  if (y) return 1;\n  log.push(y);\n}';
    expect(variants('await-then', code)).toEqual([]);
  });
});

describe('destructuring', () => {
  it('writes destructuring as property reads (loop variables too), and a property read as destructuring', async () => {
    const code = `export function run(input: { a: number; b: number; rows: Array<{ id: number }> }) {
  const { a, b: c } = input;
  const rows = input.rows;
  for (const { id } of rows) log.push(id);
  return a + c;
}`;
    await provesEach('destructuring', code, 'run', [[{ a: 1, b: 2, rows: [{ id: 7 }] }]], 2);
  });
});

describe('loop-header', () => {
  it('writes `?? []` and optional chaining into a loop header', async () => {
    const code = 'export function run(o: { items: number[] }) {\n  for (const x of o.items) log.push(x);\n}';
    const [variant] = await provesEach('loop-header', code, 'run', [[{ items: [1, 2] }]], 1);
    expect(variant.code).toContain('for (const x of o?.items ?? [])');
  });
});

describe('rename', () => {
  it('renames every local binding, keeping shorthand keys and exported names', async () => {
    const code = `export function run(user: { name: string }) {
  const { name } = user;
  const greeting = { name, upper: name.toUpperCase() };
  return greeting;
}`;
    const [variant] = await provesEach('rename', code, 'run', [[{ name: 'ada' }]], 1);
    expect(variant.code).toContain('export function run(');
    expect(variant.code).not.toMatch(/\bgreeting\b/);
  });
});

describe('move-helper', () => {
  it('moves a helper into helpers.ts with the imports it uses, and imports it back', async () => {
    const code = `import * as path from 'node:path';
function base(file: string) {
  return path.basename(file);
}
export function run(files: string[]) {
  return files.map(base);
}`;
    const [variant] = await provesEach('move-helper', code, 'run', [[['/a/b.txt', 'c.js']]], 1);
    expect(variant.files['helpers.ts']).toContain("import * as path from 'node:path';");
    expect(variant.code).toContain("import { base } from './helpers';");
  });

  it('leaves a helper that uses another binding of its file (that would have to move too)', () => {
    expect(
      variants('move-helper', 'const k = 2;\nfunction h(x: number) {\n  return x * k;\n}\nexport const run = (x: number) => h(x);'),
    ).toEqual([]);
  });
});

describe('strip-types', () => {
  it('is the .js twin: types gone, ES modules kept, same behaviour', async () => {
    const code =
      "import type { Stats } from 'node:fs';\nexport function run(list: Array<{ n: number }>): number {\n  return list.reduce((s: number, x) => s + x.n, 0);\n}";
    const [twin] = await provesEach('strip-types', code, 'run', [[[{ n: 1 }, { n: 2 }]]], 1);
    expect(twin.filename).toBe('example.js');
    expect(twin.code).toContain('export function run(list)');
    expect(twin.code).not.toContain('Stats');
  });
});
