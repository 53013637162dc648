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

describe('repeated-await: a write between the reads changes the answer', () => {
  const pg = `import type { PoolClient } from 'pg';
const selectSql = 'SELECT id FROM "Notification" WHERE key = $1';
`;

  it.each([
    [
      'a raw INSERT held by a const, in a try whose catch reads again (a unique conflict)',
      `${pg}const insertSql = 'INSERT INTO "Notification" (key) VALUES ($1) RETURNING id';
export async function upsert(client: PoolClient, key: string) {
  const found = await client.query(selectSql, [key]);
  if (found.rows[0]) return found.rows[0].id;
  try {
    return (await client.query(insertSql, [key])).rows[0].id;
  } catch {
    const again = await client.query(selectSql, [key]);
    return again.rows[0]?.id;
  }
}`,
    ],
    [
      'pg-format builds the INSERT, plain JavaScript, an arrow function',
      `const format = require('pg-format');
const selectSql = 'SELECT id FROM "Notification" WHERE key = $1';
exports.upsert = async (client, key) => {
  const found = await client.query(selectSql, [key]);
  const insertSql = format('INSERT INTO "Notification" (key) VALUES %L', [[key]]);
  try {
    await client.query(insertSql);
  } catch (error) {
    if (error.code !== '23505') throw error;
  }
  const again = await client.query(selectSql, [key]);
  return [found, again];
};`,
    ],
    [
      'a raw UPDATE written inline between two identical selects',
      `${pg}export async function touch(client: PoolClient, key: string) {
  const before = await client.query(selectSql, [key]);
  await client.query('UPDATE "Notification" SET seen = true WHERE key = $1', [key]);
  const after = await client.query(selectSql, [key]);
  return [before, after];
}`,
    ],
    [
      'a Prisma $executeRaw INSERT between two identical finds',
      `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function claim(key: string) {
  const before = await prisma.notification.findFirst({ where: { key } });
  await prisma.$executeRaw\`INSERT INTO "Notification" (key) VALUES (\${key}) ON CONFLICT DO NOTHING\`;
  const after = await prisma.notification.findFirst({ where: { key } });
  return [before, after];
}`,
    ],
    [
      'the read in a catch retried after a call of unknown effect in its try',
      `${pg}export async function claim(client: PoolClient, key: string, statement: string) {
  const found = await client.query(selectSql, [key]);
  try {
    await client.query(statement, [key]);
  } catch {
    return await client.query(selectSql, [key]);
  }
  return found;
}`,
    ],
  ])('not reported: %s', (_name, code) => {
    expect(findings(code, { rule, filename: code.includes('require(') ? 'lib/notify.js' : 'lib/notify.ts' })).toEqual([]);
  });

  it('a SELECT between, or a read in the try, still leaves the second read a repeat: reported', async () => {
    await tester.invalid({
      code: `${pg}export async function twice(client: PoolClient, key: string) {
  const found = await client.query(selectSql, [key]);
  await client.query('SELECT 1 FROM "Setting" WHERE key = $1', [key]);
  const again = await client.query(selectSql, [key]);
  return [found, again];
}`,
      errors: [{ messageId: 'repeated', line: 6, column: 17 }],
    });
    await tester.invalid({
      code: `${pg}export async function twice(client: PoolClient, key: string) {
  const found = await client.query(selectSql, [key]);
  try {
    await client.query('SELECT id FROM "Setting" WHERE key = $1', [key]);
  } catch {
    const again = await client.query(selectSql, [key]);
    return again;
  }
  return found;
}`,
      errors: [{ messageId: 'repeated', line: 8, column: 19 }],
    });
  });
});
