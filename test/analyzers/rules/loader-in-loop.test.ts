import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'loader-in-loop';
const tester = ruleTester(rule);
const messages = (code: string): string[] => findings(code, { rule }).map(shownText);
const LOADER = `import DataLoader from 'dataloader';\nconst users = new DataLoader(batch);\n`;

describe('loader-in-loop', () => {
  it('says why each key becomes its own batch', async () => {
    const code = `${LOADER}async function f(ids: string[]) { for (const id of ids) await users.load(id); }`;
    await tester.invalid({ code, errors: [{ messageId: 'sequential', line: 3, column: 63 }] });
    expect(messages(code)).toEqual([
      'users.load is awaited once per id: each key waits for the previous batch, so DataLoader runs one batch query per key. Load them together with users.loadMany(keys) or Promise.all(keys.map((key) => users.load(key))).',
    ]);
  });

  it.each([
    [
      'a typed parameter',
      `import DataLoader from 'dataloader';\nasync function f(ids: string[], loader: DataLoader<string, User>) { const out = []; for (const id of ids) out.push(await loader.load(id)); return out; }`,
      [{ messageId: 'sequential', line: 2, column: 122 }],
    ],
    [
      'a loader of the request context',
      `async function f(ids: string[], ctx: Ctx) { for (const id of ids) { const user = await ctx.loaders.user.load(id); use(user); } }`,
      [{ messageId: 'sequential', line: 1, column: 88 }],
    ],
    [
      'a class field in a file using DataLoader',
      `import DataLoader from 'dataloader';\nclass S { userLoader = new DataLoader(batch); async all(ids: string[]) { for (let i = 0; i < ids.length; i++) await this.userLoader.load(ids[i]); } }`,
      [{ messageId: 'sequential', line: 2, column: 117 }],
    ],
    [
      'a reduce chain',
      `${LOADER}function f(ids: string[]) { return ids.reduce(async (previous, id) => { await previous; await users.load(id); }, Promise.resolve()); }`,
      [{ messageId: 'sequential', line: 3, column: 95 }],
    ],
  ])('reports %s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it.each([
    ['Promise.all over map', `${LOADER}function f(ids: string[]) { return Promise.all(ids.map((id) => users.load(id))); }`],
    [
      'forEach(async) (all loads start in one tick)',
      `${LOADER}function f(ids: string[], out: unknown[]) { ids.forEach(async (id) => out.push(await users.load(id))); }`,
    ],
    [
      'loads pushed, then awaited together',
      `${LOADER}async function f(ids: string[]) { const all = []; for (const id of ids) all.push(users.load(id)); return Promise.all(all); }`,
    ],
    [
      'a loop that stops at the first hit',
      `${LOADER}async function f(ids: string[]) { for (const id of ids) { const u = await users.load(id); if (u) return u; } }`,
    ],
    ['loadMany', `${LOADER}async function f(ids: string[]) { return users.loadMany(ids); }`],
    ['a load outside loops', `${LOADER}async function f(id: string) { return users.load(id); }`],
    ['an unrelated .load(…)', `async function f(names: string[], i18n: I18n) { for (const name of names) await i18n.load(name); }`],
  ])('stays quiet: %s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });
});

describe('loader-in-loop sees the loop however it is written', () => {
  it.each([
    ['an index `for`', 'for (let i = 0; i < ids.length; i++) { const id = ids[i];'],
    ['a `while` taking `ids[i++]`', 'let i = 0; while (i < ids.length) { const id = ids[i++];'],
  ])('%s', (_name, loop) => {
    expect(
      findings(`${LOADER}async function f(ids: string[]) { ${loop} await users.load(id); } }`, { rule }).map((f) => f.messageId),
    ).toEqual(['sequential']);
  });
});
