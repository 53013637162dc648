import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, chainRoot, isFunctionLike, referencedNames, skipParens } from '../../facts/ast';
import { clientCall, type ClientCall, type ClientCallNode } from '../../facts/clients';
import type { FileFacts } from '../../facts/fileFacts';
import { chainedTransactions, transactionCallbackMethods } from '../../facts/libraries/registry';
import { transactionCallbackOf, type TransactionCallback } from '../../facts/transactions';

export default defineRule({
  meta: {
    id: 'query-outside-transaction',
    category: 'database',
    description:
      'A query or write inside a transaction callback that goes through the global client instead of the transaction ' +
      'handle, so it runs outside the transaction.',
    why:
      'A transaction is one connection. `prisma.user.update(…)` inside `prisma.$transaction(async (tx) => …)` takes a second ' +
      "connection from the pool: the write is not rolled back with the transaction, a read does not see the transaction's own " +
      'writes, and a write to a row the transaction has locked waits for the transaction — which waits for it. Under load every ' +
      'pooled connection can end up held by a transaction waiting for a second one: the pool deadlocks until timeouts fire.',
    howToFix:
      'Run every statement of the unit of work through the handle the callback receives: `tx.user.update(…)` (Prisma), ' +
      "`trx('users')…` (knex), `manager.getRepository(User)` / `manager.save(…)` (TypeORM), `{ transaction: t }` " +
      '(Sequelize), `{ session }` (Mongoose). If a call must not be part of the transaction (an audit log that has to ' +
      'survive a rollback), move it before or after the transaction.',
    notReported: ['Sequelize with CLS (callbacks without a `t` parameter)'],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'claim',
      why: 'a write outside its transaction is a correctness problem whatever the size of the data',
      everywhere: true,
    },
    fix: 'none',
    scope: { skip: ['tests', 'migrations'] },
    rewrites: {
      except: {
        rename: "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 2 is not reported",
      },
    },
    messages: {
      write: {
        message:
          '{{operation}} runs inside {{transaction}} but not through {{handle}}: it takes another connection, is not ' +
          'rolled back with the transaction, and waits on any row the transaction has locked (a deadlock when the pool ' +
          'runs dry).',
        note: 'Use {{handle}} instead.',
      },
      read: {
        message:
          '{{operation}} runs inside {{transaction}} but not through {{handle}}: it takes a second connection and does not ' +
          "see the transaction's own writes.",
        note: 'Use {{handle}} instead.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function transfer(from: string, to: string, amount: number) {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: amount } } });
    await prisma.account.update({ where: { id: to }, data: { balance: { increment: amount } } });
  });
}`,
          errors: [{ messageId: 'write', line: 8, column: 11 }],
        },
        {
          code: `import knex from 'knex';

const db = knex({ client: 'pg' });

export async function archive(id: number) {
  await db.transaction(async (trx) => {
    const row = await trx('orders').where({ id }).first();
    await db('archive').insert(row);
    await trx('orders').where({ id }).del();
  });
}`,
          errors: [{ messageId: 'write', line: 8, column: 11 }],
        },
        {
          code: `const { sequelize, User, Profile } = require('../models');

async function register(data) {
  return sequelize.transaction(async (t) => {
    const user = await User.create(data, { transaction: t });
    await Profile.create({ userId: user.id });
    return user;
  });
}`,
          filename: 'src/services/users.js',
          errors: [{ messageId: 'write', line: 6, column: 11 }],
        },
      ],
      valid: [
        `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function transfer(from: string, to: string, amount: number) {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: from }, data: { balance: { decrement: amount } } });
    await tx.account.update({ where: { id: to }, data: { balance: { increment: amount } } });
  });
}`,
        {
          code: `const { sequelize, User, Profile } = require('../models');

// Sequelize with CLS: callbacks without a handle pass the transaction implicitly.
async function register(data) {
  return sequelize.transaction(async () => {
    const user = await User.create(data);
    await Profile.create({ userId: user.id });
  });
}`,
          filename: 'src/services/users.js',
        },
        `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

// Work scheduled from the callback runs after it, not inside it.
export async function place(order: Order) {
  await prisma.$transaction(async (tx) => {
    await tx.order.create({ data: order });
    setTimeout(() => prisma.metric.create({ data: { name: 'order' } }), 0);
  });
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const name = calleeName(call);
        if (name === undefined || (!transactionCallbackMethods.has(name) && !chainedTransactions.some((entry) => entry.method === name)))
          return;
        const transaction = transactionCallbackOf(call, file);
        if (!transaction || transaction.handleNames.size === 0) return;
        const found = outsideCall(transaction, file);
        if (!found) return;
        context.report({
          node: found.call,
          messageId: found.client.kind === 'write' ? 'write' : 'read',
          data: { operation: found.client.operation, transaction: transaction.display, handle: transaction.handle },
          // A read through the pool loses nothing: it misses the transaction's own writes, which matters only for rows
          // the transaction wrote (issue 12's round 4: the four reads judged read rows the transaction never touched).
          ...(found.client.kind !== 'write' && {
            evidence: {
              lesser: "a read outside the transaction loses no write: it misses the transaction's own, if it reads what they touched",
            },
          }),
        });
      },
    };
  },
});

/** Callbacks handed to these run after the transaction's callback has returned. */
const DEFERRING = /^(setTimeout|setImmediate|nextTick|queueMicrotask|on|once|afterCommit|afterTransaction)$/;

function goesThroughHandle(client: ClientCall, call: ClientCallNode, handles: ReadonlySet<string>): boolean {
  if (client.transaction !== undefined) return true;
  const root = chainRoot(ts.isCallExpression(call) ? call.expression : call.tag);
  if (root && ts.isIdentifier(root) && handles.has(root.text)) return true;
  // manager.getRepository(User).save(…), Model.create(data, { transaction: t }) written another way: any use of the handle in the call.
  for (const name of referencedNames(call)) if (handles.has(name)) return true;
  return false;
}

/**
 * The first database call in the callback that does not use the transaction, when the callback
 * shows it means to use it: another call goes through the handle, or the call goes through the very
 * client that opened the transaction (`prisma` in `prisma.$transaction(async (tx) => …)`).
 */
function outsideCall(transaction: TransactionCallback, file: FileFacts): { call: ClientCallNode; client: ClientCall } | undefined {
  const inside: Array<{ call: ClientCallNode; client: ClientCall }> = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node !== transaction.callback) {
      // A nested callback runs inside the transaction only if it is not scheduled for later.
      let argument: ts.Node = node;
      while (argument.parent && ts.isParenthesizedExpression(argument.parent)) argument = argument.parent;
      const holder = argument.parent;
      if (!holder || !ts.isCallExpression(holder) || DEFERRING.test(calleeName(holder) ?? '')) return;
    }
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const client = clientCall(node, file);
      if (client && client.kind !== 'http') inside.push({ call: node, client });
    }
    ts.forEachChild(node, visit);
  };
  visit(transaction.callback);
  const handles = transaction.handleNames;
  const usesHandle = inside.some(({ call, client }) => goesThroughHandle(client, call, handles));
  const receiver = skipParens((transaction.call.expression as ts.PropertyAccessExpression).expression ?? transaction.call.expression);
  const opener = chainRoot(receiver);
  const openerName = opener && ts.isIdentifier(opener) ? opener.text : opener ? 'this' : undefined;
  for (const entry of inside) {
    if (goesThroughHandle(entry.client, entry.call, handles)) continue;
    const root = chainRoot(ts.isCallExpression(entry.call) ? entry.call.expression : entry.call.tag);
    const rootName = root && ts.isIdentifier(root) ? root.text : root ? 'this' : undefined;
    const sameClient =
      openerName !== undefined &&
      rootName === openerName &&
      entry.client.handle !== undefined &&
      entry.client.handle === file.textOf(receiver);
    if (usesHandle || sameClient) return entry;
  }
  return undefined;
}
