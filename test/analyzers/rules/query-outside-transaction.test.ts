import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'query-outside-transaction';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);
const PRISMA = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;

describe('query-outside-transaction reports', () => {
  it('a write through the client that opened the transaction', async () => {
    const code = `${PRISMA}async function f(id: string) { await prisma.$transaction(async (tx) => { await prisma.order.update({ where: { id }, data: { paid: true } }); }); }`;
    await tester.invalid({ code, errors: [{ messageId: 'write', line: 3, column: 80 }] });
    expect(messages(code)).toEqual([
      'prisma.order.update runs inside prisma.$transaction but not through tx: it takes another connection, is not rolled back with the transaction, and waits on any row the transaction has locked (a deadlock when the pool runs dry). Use tx instead.',
    ]);
  });

  it('a read, with its own message', async () => {
    const [read] = await tester.invalid({
      code: `${PRISMA}async function f(id: string) { await prisma.$transaction(async (tx) => { await tx.order.update({ where: { id }, data: { paid: true } }); return prisma.order.findUnique({ where: { id } }); }); }`,
      errors: [{ messageId: 'read', line: 3, column: 145 }],
    });
    expect(read.message).toContain("does not see the transaction's own writes");
  });

  it.each([
    [
      'TypeORM: a repository next to the manager',
      `import { DataSource, Repository } from 'typeorm';\nexport class S { constructor(private ds: DataSource, private users: Repository<User>) {}\n  async f(user: User) { await this.ds.transaction(async (manager) => { await manager.save(user); await this.users.update({ id: user.id }, { active: true }); }); } }`,
      [{ messageId: 'write', line: 3, column: 104 }],
    ],
    [
      'Mongoose: a call without the session next to one with it',
      `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nconst Log = mongoose.model('Log', schema);\nasync function f(session) { await session.withTransaction(async () => { await User.create([{ name: 'a' }], { session }); await Log.create([{ msg: 'x' }]); }); }`,
      [{ messageId: 'write', line: 4, column: 128 }],
    ],
    [
      'inside a map callback run in the transaction',
      `${PRISMA}async function f(ids: string[]) { await prisma.$transaction(async (tx) => { await tx.batch.create({ data: {} }); await Promise.all(ids.map((id) => prisma.item.update({ where: { id }, data: {} }))); }); }`,
      [{ messageId: 'write', line: 3, column: 148 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('query-outside-transaction stays quiet', () => {
  it.each([
    [
      'everything through tx',
      `${PRISMA}async function f(id: string) { await prisma.$transaction(async (tx) => { await tx.a.update({ where: { id }, data: {} }); await tx.b.update({ where: { id }, data: {} }); }); }`,
    ],
    [
      'the batch form (no callback)',
      `${PRISMA}async function f(id: string) { await prisma.$transaction([prisma.a.delete({ where: { id } }), prisma.b.delete({ where: { id } })]); }`,
    ],
    [
      'Sequelize without a handle parameter (CLS)',
      `import { Sequelize } from 'sequelize';\nconst sequelize = new Sequelize('x');\nasync function f(User) { await sequelize.transaction(async () => { await User.create({}); }); }`,
    ],
    [
      'a handle that is never used (the author relies on something else)',
      `import { DataSource } from 'typeorm';\nasync function f(ds: DataSource, repo) { await ds.transaction(async (manager) => { await repo.save({}); }); }`,
    ],
    [
      'HTTP calls (lock-across-await reports those)',
      `${PRISMA}async function f() { await prisma.$transaction(async (tx) => { await tx.a.create({ data: {} }); await fetch('https://x'); }); }`,
    ],
    [
      'a callback scheduled for after the transaction',
      `${PRISMA}async function f() { await prisma.$transaction(async (tx) => { await tx.a.create({ data: {} }); process.nextTick(() => prisma.b.create({ data: {} })); }); }`,
    ],
  ])('%s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });
});
