import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'repeated-await';
const tester = ruleTester(rule);
const db = `interface Db { findUser(id: string): Promise<{ n: string }>; listPosts(id: string): Promise<string[]>; updateUser(id: string, d: object): Promise<void>; }\n`;

describe('repeated-await reports', () => {
  it.each([
    [
      'the same read twice with a read in between',
      `${db}export async function f(db: Db, id: string) { const a = await db.findUser(id); const p = await db.listPosts(id); const b = await db.findUser(id); return [a, p, b]; }`,
      [{ messageId: 'repeated', line: 2, column: 124 }],
    ],
    [
      'the same read twice, the first discarded',
      `${db}export async function f(db: Db, id: string) { await db.findUser(id); return await db.findUser(id); }`,
      [{ messageId: 'repeated', line: 2, column: 77 }],
    ],
    [
      'an assignment then a declaration',
      `${db}export async function f(db: Db, id: string) { let a; a = await db.findUser(id); const b = await db.findUser(id); return [a, b]; }`,
      [{ messageId: 'repeated', line: 2, column: 91 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });

  it('names the first result to reuse', async () => {
    const [finding] = await tester.invalid({
      code: `${db}export async function f(db: Db, id: string) { const user = await db.findUser(id); const again = await db.findUser(id); return [user, again]; }`,
      errors: [{ messageId: 'repeated', line: 2, column: 97 }],
    });
    expect(shownText(finding)).toContain('Reuse `user`');
  });
});

describe('repeated-await stays quiet', () => {
  it.each([
    [
      'a write in between',
      `${db}export async function f(db: Db, id: string) { const a = await db.findUser(id); await db.updateUser(id, {}); const b = await db.findUser(id); return [a, b]; }`,
    ],
    [
      'different arguments',
      `${db}export async function f(db: Db, a: string, b: string) { return [await db.findUser(a), await db.findUser(b)]; }`,
    ],
    [
      'an argument reassigned in between',
      `${db}export async function f(db: Db, id: string) { let c = id; const a = await db.findUser(c); c = a.n; const b = await db.findUser(c); return b; }`,
    ],
    [
      'different branches',
      `${db}export async function f(db: Db, id: string, x: boolean) { if (x) { return await db.findUser(id); } else { return await db.findUser(id); } }`,
    ],
    [
      'a polling loop',
      `${db}export async function f(db: Db, id: string) { let u = await db.findUser(id); while (!u.n) { u = await db.findUser(id); } return u; }`,
    ],
    [
      'an unknown awaited call in between',
      `${db}declare function step(): Promise<void>;\nexport async function f(db: Db, id: string) { const a = await db.findUser(id); await step(); const b = await db.findUser(id); return [a, b]; }`,
    ],
    [
      'a first call inside a condition',
      `${db}export async function f(db: Db, id: string, x: boolean) { const a = x && (await db.findUser(id)); const b = await db.findUser(id); return [a, b]; }`,
    ],
    [
      'calls that are not reads',
      `declare function send(id: string): Promise<void>;\nexport async function f(id: string) { await send(id); await send(id); }`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
