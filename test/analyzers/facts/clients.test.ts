import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from '../../../src/analyzers/ts';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectHost } from '../../../src/analyzers/project';
import { awaitedClientCall, clientCall, transactionAround, type ClientCall } from '../../../src/analyzers/facts/clients';
import { FileFacts } from '../../../src/analyzers/facts/fileFacts';
import { libraries } from '../../../src/analyzers/facts/libraries/registry';
import { batchingOf } from '../../../src/analyzers/facts/batching';
import { rulesById } from '../../helpers/rules';
import { hereCall } from '../../helpers/here';

function factsOf(code: string, fileName = '/virtual/src/example.ts'): FileFacts {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return new FileFacts(fileName, code, sourceFile);
}

/** Every client call in `code`, in source order. */
function clientsIn(code: string, fileName?: string): ClientCall[] {
  const facts = factsOf(code, fileName);
  const found: ClientCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const client = clientCall(node, facts);
      if (client) found.push(client);
    }
    ts.forEachChild(node, visit);
  };
  visit(facts.sourceFile);
  return found;
}

/** The one client call in `code` (fails when there are none or several). */
function one(code: string, fileName?: string): ClientCall {
  const found = clientsIn(code, fileName);
  expect(
    found.map((c) => c.operation),
    code,
  ).toHaveLength(1);
  return found[0];
}

function none(code: string, fileName?: string): void {
  expect(
    clientsIn(code, fileName).map((c) => `${c.library}: ${c.operation}`),
    code,
  ).toEqual([]);
}

const op = (c: ClientCall): string => `${c.library} ${c.kind} ${c.operation}`;

describe('clientCall: Prisma', () => {
  it('a module-level new PrismaClient()', () => {
    const c = one(`import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function f(id: number) { return prisma.customer.findUnique({ where: { id } }); }`);
    expect(c).toMatchObject({
      library: 'prisma',
      kind: 'query',
      operation: 'prisma.customer.findUnique',
      model: 'customer',
      key: 'id',
      handle: 'prisma',
    });
    expect(c.batched).toBe('findMany({ where: { id: { in: ids } } })');
  });

  it('the Next.js global singleton, an imported instance, this.prisma, ctx.prisma', () => {
    expect(
      op(
        one(`import { PrismaClient } from '@prisma/client';
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
async function f() { await prisma.user.count(); }`),
      ),
    ).toBe('prisma query prisma.user.count');
    expect(op(one(`import { prisma } from '@/lib/prisma';\nasync function f() { await prisma.post.create({ data: {} }); }`))).toBe(
      'prisma write prisma.post.create',
    );
    expect(
      op(
        one(`import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';
@Injectable() export class UsersService {
  constructor(private readonly prisma: PrismaService) {}
  find(id: string) { return this.prisma.user.delete({ where: { id } }); }
}`),
      ),
    ).toBe('prisma write this.prisma.user.delete');
    expect(
      op(
        one(
          `export const resolvers = { Query: { user: (_: unknown, args: { id: string }, ctx: Context) => ctx.prisma.user.update({ where: { id: args.id }, data: {} }) } };`,
        ),
      ),
    ).toBe('prisma write ctx.prisma.user.update');
  });

  it('distinctive delegate methods are evidence on their own; generic ones are not', () => {
    expect(op(one(`import { db } from '~/server/db';\nasync function f() { return db.post.findMany({ where: { authorId: 1 } }); }`))).toBe(
      'prisma query db.post.findMany',
    );
    none(`import { db } from '~/server/db';\nasync function f() { return db.post.create({ data: {} }); }`);
  });

  it('$transaction callbacks give a transaction client; $queryRaw tagged templates are queries', () => {
    const [create, raw] = clientsIn(`import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
async function f() {
  await prisma.$transaction(async (tx) => { await tx.order.create({ data: {} }); });
  await prisma.$queryRaw\`SELECT * FROM "User" WHERE id = \${1}\`;
}`);
    expect(create).toMatchObject({ operation: 'tx.order.create', kind: 'write', transaction: 'tx' });
    expect(raw).toMatchObject({ operation: 'prisma.$queryRaw', kind: 'query', raw: true, statement: 'SELECT' });
  });

  it('already-batched forms are marked', () => {
    const [a, b] = clientsIn(`import { prisma } from './prisma';
async function f(ids: number[]) { await prisma.user.findMany({ where: { id: { in: ids } } }); await prisma.user.createMany({ data: [] }); }`);
    expect(a.alreadyBatched).toBe(true);
    expect(b.alreadyBatched).toBe(true);
  });

  it('prisma.$connect and $transaction are not queries themselves', () => {
    none(
      `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nasync function f() { await prisma.$connect(); await prisma.$transaction([]); }`,
    );
  });
});

describe('clientCall: TypeORM', () => {
  it('a Nest repository injected with @InjectRepository and typed Repository<User>', () => {
    const c = one(`import { Repository } from 'typeorm';
import { InjectRepository } from '@nestjs/typeorm';
export class UsersService {
  constructor(@InjectRepository(User) private readonly userRepository: Repository<User>) {}
  get(id: number) { return this.userRepository.findOneBy({ id }); }
}`);
    expect(c).toMatchObject({
      library: 'typeorm',
      kind: 'query',
      operation: 'this.userRepository.findOneBy',
      model: 'User',
      key: 'id',
      batched: 'findBy({ id: In(ids) })',
    });
  });

  it('getRepository(X), dataSource.getRepository(X), manager.save, query builders', () => {
    const found = clientsIn(`import { DataSource, getRepository } from 'typeorm';
export const AppDataSource = new DataSource({ type: 'postgres' });
async function f(id: number) {
  await getRepository(User).findOne({ where: { id } });
  await AppDataSource.getRepository(Order).save({ id });
  await AppDataSource.manager.findOne(User, { where: { id } });
  await AppDataSource.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id }).getOne();
  const qb = AppDataSource.createQueryBuilder().select('u').from(User, 'u');
}`);
    expect(found.map(op)).toEqual([
      'typeorm query getRepository(User).findOne',
      'typeorm write AppDataSource.getRepository(Order).save',
      'typeorm query AppDataSource.manager.findOne',
      'typeorm query AppDataSource.getRepository(User)….getOne()',
    ]);
    expect(found[2].model).toBe('User');
  });

  it('a queryRunner is a transaction on one connection', () => {
    const [c] = clientsIn(`import { DataSource } from 'typeorm';
const ds = new DataSource({});
async function f() { const queryRunner = ds.createQueryRunner(); await queryRunner.manager.save(x); }`);
    expect(c).toMatchObject({ kind: 'write', transaction: 'queryRunner', singleConnection: true });
  });

  it('ActiveRecord statics with TypeORM-only names; find on arrays is not TypeORM', () => {
    expect(op(one(`import { User } from './entities/user';\nasync function f() { return User.findOneBy({ id: 1 }); }`))).toBe(
      'typeorm query User.findOneBy',
    );
    none(`import { Repository } from 'typeorm';\nfunction f(users: User[]) { return users.find((u) => u.id === 1); }`);
  });
});

describe('clientCall: Sequelize', () => {
  it('findByPk on an imported model is evidence on its own', () => {
    const c = one(`const { Order } = require('../models');\nasync function f(id) { return Order.findByPk(id); }`, '/virtual/src/a.js');
    expect(c).toMatchObject({
      library: 'sequelize',
      kind: 'query',
      operation: 'Order.findByPk',
      key: 'id',
      batched: 'findAll({ where: { id: ids } })',
    });
  });

  it('generic names need the file to import sequelize, or the model to come from a models folder', () => {
    expect(
      op(
        one(
          `import { Op } from 'sequelize';\nimport { User } from './user-store';\nasync function f() { return User.findOne({ where: { email: 'a' } }); }`,
        ),
      ),
    ).toBe('sequelize query User.findOne');
    none(`import { User } from './user-store';\nasync function f() { return User.create({}); }`);
    // Outline-style path aliases: the models folder says it; `{ where }` says Sequelize.
    expect(
      op(one(`import { Notification } from '@server/models';\nasync function f() { return Notification.findOne({ where: { id: 1 } }); }`)),
    ).toBe('sequelize query Notification.findOne');
    // Sequelize or Mongoose cannot be told from `create` alone: both batched forms are named.
    expect(one(`import { Notification } from '@server/models';\nasync function f() { return Notification.create({}); }`)).toMatchObject({
      library: 'orm',
      kind: 'write',
      batched: 'bulkCreate([...]) (Sequelize) or insertMany([...]) (Mongoose)',
    });
  });

  it('db.User.findAll (sequelize-cli) and sequelize.define models', () => {
    expect(op(one(`const db = require('../models');\nasync function f() { return db.User.findAll(); }`, '/virtual/src/a.js'))).toBe(
      'sequelize query db.User.findAll',
    );
    expect(
      op(
        one(`import { Sequelize, DataTypes } from 'sequelize';
const sequelize = new Sequelize('sqlite::memory:');
const Tag = sequelize.define('Tag', { name: DataTypes.STRING });
async function f() { await Tag.create({ name: 'x' }, { transaction: t }); }`),
      ),
    ).toBe('sequelize write Tag.create');
  });

  it('{ transaction: t } marks a transaction', () => {
    const c = one(
      `import { Model } from 'sequelize';\nclass User extends Model {}\nasync function f(t) { await User.update({ a: 1 }, { where: { id: 1 }, transaction: t }); }`,
    );
    expect(c.transaction).toBe('t');
  });

  it('Math.max and a local array are not models', () => {
    none(`import { Op } from 'sequelize';\nconst Rows = [1, 2];\nfunction f() { return Math.max(1, 2) + Rows.find((r) => r === 1)!; }`);
  });
});

describe('clientCall: Mongoose and the MongoDB driver', () => {
  it('models from mongoose.model and imported models', () => {
    const found = clientsIn(`import mongoose from 'mongoose';
const User = mongoose.model('User', new mongoose.Schema({}));
async function f(id: string) {
  await User.findById(id).populate('posts').lean();
  await User.countDocuments({ team: id });
}`);
    expect(found.map(op)).toEqual(['mongoose query User.findById', 'mongoose query User.countDocuments']);
    expect(found[0].batched).toBe('find({ _id: { $in: ids } })');
  });

  it('Nest @InjectModel with Model<T>', () => {
    expect(
      op(
        one(`import { Model } from 'mongoose';
import { InjectModel } from '@nestjs/mongoose';
export class CatsService {
  constructor(@InjectModel(Cat.name) private catModel: Model<CatDocument>) {}
  one(id: string) { return this.catModel.findOne({ _id: id }).exec(); }
}`),
      ),
    ).toBe('mongoose query this.catModel.findOne');
  });

  it('the native driver: client.db().collection().findOne', () => {
    const c = one(`import { MongoClient } from 'mongodb';
const client = new MongoClient(url);
async function f(id) { return client.db('shop').collection('orders').findOne({ orderId: id }); }`);
    expect(c).toMatchObject({ library: 'mongodb', kind: 'query', model: 'orders', key: 'orderId' });
    expect(c.batched).toBe('find({ orderId: { $in: orderIds } }).toArray()');
  });

  it('a lower-case receiver named like a model is not one', () => {
    none(`import mongoose from 'mongoose';\nfunction f(users: { findById(id: string): unknown }) { return users.findById('1'); }`);
  });
});

describe('clientCall: knex', () => {
  it('db = knex(config); answered once, at the end of the builder chain', () => {
    const c = one(
      `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nasync function f(id: number) { return db('users').where({ id }).first(); }`,
    );
    expect(c).toMatchObject({
      library: 'knex',
      kind: 'query',
      operation: "db('users').where(…).first()",
      model: 'users',
      key: 'id',
      handle: 'db',
    });
    expect(c.batched).toBe("whereIn('id', ids)");
  });

  it('inserts are writes; whereIn is batched; a trx from knex.transaction', () => {
    const found = clientsIn(
      `const knex = require('knex')({ client: 'pg' });
async function f(ids) {
  await knex('audit').insert({ at: Date.now() });
  await knex('users').whereIn('id', ids).select('name');
  await knex.transaction(async (trx) => { await trx('orders').where('id', 1).update({ paid: true }); });
}`,
      '/virtual/src/a.js',
    );
    expect(found.map(op)).toEqual([
      "knex write knex('audit').insert(…)",
      "knex query knex('users').whereIn(…).select('name')",
      "knex write trx('orders').where(…).update(…)",
    ]);
    expect(found[1].alreadyBatched).toBe(true);
    expect(found[2].transaction).toBe('trx');
  });

  it('jQuery and other table-like calls are not knex', () => {
    none(`function f() { return $('div').first(); }`);
    none(`function f(db: Storage) { return db('users').toUpperCase(); }`);
  });
});

describe('clientCall: pg and mysql2', () => {
  it('pool.query, a connected client is a single connection', () => {
    const found = clientsIn(`import { Pool } from 'pg';
const pool = new Pool();
async function f(id: number) {
  const client = await pool.connect();
  await client.query('SELECT * FROM users WHERE id = $1', [id]);
  await pool.query({ text: 'UPDATE users SET seen = now() WHERE id = $1', values: [id] });
}`);
    expect(found.map(op)).toEqual(['pg query client.query', 'pg write pool.query']);
    expect(found[0]).toMatchObject({
      singleConnection: true,
      statement: 'SELECT',
      key: 'id',
      batched: 'query with WHERE id = ANY($1) (an array parameter)',
    });
    expect(found[1].singleConnection).toBeUndefined();
  });

  it('mysql2/promise pools and connections', () => {
    const found = clientsIn(`import mysql from 'mysql2/promise';
const pool = mysql.createPool({});
async function f(id: number) {
  const [rows] = await pool.execute('SELECT * FROM orders WHERE customer_id = ?', [id]);
  const conn = await mysql.createConnection({});
  await conn.query('DELETE FROM carts WHERE id = ?', [id]);
}`);
    expect(found.map(op)).toEqual(['mysql2 query pool.execute', 'mysql2 write conn.query']);
    expect(found[1].singleConnection).toBe(true);
  });

  it('SQL text is evidence whatever the receiver; a non-SQL string is not', () => {
    expect(op(one(`class Repo { async byId(id: number) { return this.query('SELECT * FROM users WHERE id = $1', [id]); } }`))).toBe(
      'sql query this.query',
    );
    none(`function f(search: Search) { return search.query('select a colour'); }`);
  });

  it('raw SQL without a readable key gets shape advice, not a made-up column', () => {
    const c = one(
      `import { Pool } from 'pg';\nconst pool = new Pool();\nasync function f(t: string) { return pool.query(\`SELECT * FROM "pg_enum" WHERE "typname" = '\${t}'\`); }`,
    );
    expect(c.key).toBeUndefined();
    expect(c.batched).toBe('query for all of them (an IN list, = ANY($1), or a join)');
  });

  it('BEGIN/COMMIT are statements, not queries of data', () => {
    const [begin] = clientsIn(
      `import { Client } from 'pg';\nconst client = new Client();\nasync function f() { await client.query('BEGIN'); }`,
    );
    expect(begin).toMatchObject({ statement: 'BEGIN', kind: 'write' });
  });
});

describe('clientCall: Redis', () => {
  it('ioredis and node-redis (camelCase commands)', () => {
    const found = clientsIn(`import Redis from 'ioredis';
import { createClient } from 'redis';
const redis = new Redis();
const client = createClient();
async function f(key: string) { await redis.get(key); await client.hGetAll(key); await redis.set(key, '1'); await redis.mget('a', 'b'); }`);
    expect(found.map(op)).toEqual([
      'redis query redis.get',
      'redis query client.hGetAll',
      'redis write redis.set',
      'redis query redis.mget',
    ]);
    expect(found[0].batched).toBe('mget(keys)');
    expect(found[3].alreadyBatched).toBe(true);
  });

  it('a Map or cache object is not Redis', () => {
    none(`const cache = new Map<string, number>();\nfunction f(k: string) { return cache.get(k); }`);
    none(`import Redis from 'ioredis';\nfunction f(store: Map<string, string>) { return store.get('k'); }`);
  });
});

describe('clientCall: HTTP', () => {
  it('global fetch (GET unless init says otherwise), not a shadowed one', () => {
    const found = clientsIn(`async function f(u: string) { await fetch(u); await fetch(u, { method: 'post' }); await fetch(u, init); }`);
    expect(found.map((c) => c.httpMethod)).toEqual(['GET', 'POST', undefined]);
    none(`async function f(fetch: (u: string) => Promise<unknown>) { await fetch('/x'); }`);
    none(`import { fetch } from './api';\nasync function f() { await fetch('/x'); }`);
  });

  it('axios default, methods and instances', () => {
    const found = clientsIn(`import axios from 'axios';
const api = axios.create({ baseURL: '/api' });
async function f() { await axios.get('/a'); await api.post('/b', {}); await axios({ url: '/c', method: 'delete' }); }`);
    expect(found.map((c) => `${c.library} ${c.operation} ${c.httpMethod}`)).toEqual([
      'axios axios.get GET',
      'axios api.post POST',
      'axios axios DELETE',
    ]);
  });

  it('got, ky, undici, node-fetch, superagent', () => {
    const found = clientsIn(`import got from 'got';
import ky from 'ky';
import { request } from 'undici';
import nodeFetch from 'node-fetch';
import superagent from 'superagent';
async function f(u: string) {
  await got(u).json();
  await ky.get(u).json();
  await request(u);
  await nodeFetch(u);
  await superagent.get(u);
}`);
    expect(found.map((c) => `${c.library} ${c.operation}`)).toEqual([
      'got got',
      'ky ky.get',
      'undici request',
      'node-fetch nodeFetch',
      'superagent superagent.get',
    ]);
  });

  it('awaitedClientCall looks through .then and firstValueFrom', () => {
    const code = `import { HttpService } from '@nestjs/axios';
export class S { constructor(private http: HttpService) {}
  async a() { await fetch('/x').then((r) => r.json()); await firstValueFrom(this.http.get('/y')); } }`;
    const facts = factsOf(code);
    const awaited: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isAwaitExpression(node)) awaited.push(awaitedClientCall(node.expression, facts)?.client.operation ?? '-');
      ts.forEachChild(node, visit);
    };
    visit(facts.sourceFile);
    expect(awaited).toEqual(['fetch', 'this.http.get']);
  });

  it('an HTTP server route is not a request', () => {
    none(`import express from 'express';\nconst app = express();\napp.get('/x', (req, res) => res.send('ok'));`);
  });
});

describe('clientCall: other drivers', () => {
  it('supabase, postgres.js, DynamoDB', () => {
    const found = clientsIn(`import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
const supabase = createClient(url, key);
const sql = postgres(url);
async function f(id: number) {
  await supabase.from('profiles').select('*').eq('id', id).single();
  await sql\`select * from users where id = \${id}\`;
  await dynamo.send(new GetItemCommand({ TableName: 't', Key: {} }));
}`);
    expect(found.map(op)).toEqual([
      "supabase query supabase.from('profiles').select('*').eq(…).single()",
      'postgres query sql',
      'dynamodb query dynamo.send',
    ]);
    expect(found[2].batched).toBe('BatchGetItemCommand (100 keys a call)');
  });
});

describe('clientCall: Drizzle', () => {
  const DRIZZLE = `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nimport { users } from './schema';\nconst db = drizzle(process.env.DATABASE_URL!);\n`;

  it('reads through the query builder and the relational API, keyed by the eq() column', () => {
    const found = clientsIn(`${DRIZZLE}async function f(id: number, email: string) {
  await db.select().from(users).where(eq(users.id, id));
  await db.query.users.findFirst({ where: eq(users.email, email) });
  await db.$count(users);
}`);
    expect(found.map(op)).toEqual([
      'drizzle query db.select().from(users).where(…)',
      'drizzle query db.query.users.findFirst',
      'drizzle query db.$count(users)',
    ]);
    expect(found[0]).toMatchObject({ model: 'users', key: 'id', handle: 'db', batched: 'select(…) with inArray(users.id, ids)' });
    expect(found[1]).toMatchObject({ model: 'users', key: 'email', batched: 'findMany(…) with inArray(users.email, emails)' });
  });

  it('writes: insert, update, delete; raw SQL through execute', () => {
    const found = clientsIn(`${DRIZZLE}import { sql } from 'drizzle-orm';
async function f(id: number) {
  await db.insert(users).values({ name: 'Ada' });
  await db.update(users).set({ name: 'Ada' }).where(eq(users.id, id));
  await db.delete(users).where(eq(users.id, id));
  await db.execute(sql\`select 1\`);
}`);
    expect(found.map(op)).toEqual([
      'drizzle write db.insert(users).values(…)',
      'drizzle write db.update(users).set(…).where(…)',
      'drizzle write db.delete(users).where(…)',
      'drizzle query db.execute',
    ]);
    expect(found.map((c) => c.batched)).toEqual([
      'insert(users).values([...rows])',
      'update(users)….where(inArray(users.id, ids))',
      'delete(users)….where(inArray(users.id, ids))',
      'query for all of them (an IN list, = ANY($1), or a join)',
    ]);
  });

  it('instances made with drizzle({ client }), typed NodePgDatabase, or exported by the project', () => {
    expect(
      one(
        `import { drizzle } from 'drizzle-orm/postgres-js';\nconst db = drizzle({ client: sql });\nexport const f = () => db.select().from(users);`,
      ).library,
    ).toBe('drizzle');
    expect(
      one(
        `import type { NodePgDatabase } from 'drizzle-orm/node-postgres';\nexport class Repo { constructor(private readonly db: NodePgDatabase) {}\n  byId(id: number) { return this.db.select().from(users).where(eq(users.id, id)); } }`,
      ),
    ).toMatchObject({ library: 'drizzle', handle: 'this.db', key: 'id' });
    expect(one(`import { db } from '../drizzle';\nexport const f = () => db.query.posts.findMany();`)).toMatchObject({
      library: 'drizzle',
      model: 'posts',
    });
  });

  it('a transaction callback gives its handle; inArray is already batched', () => {
    const found = clientsIn(`${DRIZZLE}import { inArray } from 'drizzle-orm';
async function f(ids: number[]) {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ seen: true }).where(eq(users.id, ids[0]));
  });
  await db.select().from(users).where(inArray(users.id, ids));
}`);
    expect(found.map((c) => [c.operation, c.transaction, c.alreadyBatched])).toEqual([
      ['tx.update(users).set(…).where(…)', 'tx', undefined],
      ['db.select().from(users).where(…)', undefined, true],
    ]);
  });

  it("db.query.x.findFirst without drizzle-orm in the file is nobody's", () => {
    none(`export const f = (db: Db) => db.query.users.findFirst({ where: { id: 1 } });`);
  });
});

describe('clientCall: MikroORM', () => {
  const MIKRO = `import { MikroORM, EntityManager, EntityRepository } from '@mikro-orm/postgresql';\n`;
  const EM = `${MIKRO}async function f(em: EntityManager, id: number, ids: number[], user: User) {\n`;

  it('reads on the entity manager (entity first), keyed by the filter or the primary key', () => {
    const found = clientsIn(`${EM}  await em.findOne(User, { id });
  await em.findOne(User, id);
  await em.findOneOrFail(User, { email: 'a@b.c' });
  await em.find(User, { team: id });
  await em.findAll(User);
  await em.findAndCount(User, { team: id });
  await em.findByCursor(User, {}, { first: 10 });
  await em.count(User, { team: id });
  await em.refresh(user);
  await em.populate(user, ['books']);
}`);
    expect(found.map(op)).toEqual([
      'mikro-orm query em.findOne',
      'mikro-orm query em.findOne',
      'mikro-orm query em.findOneOrFail',
      'mikro-orm query em.find',
      'mikro-orm query em.findAll',
      'mikro-orm query em.findAndCount',
      'mikro-orm query em.findByCursor',
      'mikro-orm query em.count',
      'mikro-orm query em.refresh',
      'mikro-orm query em.populate',
    ]);
    expect(found.map((c) => [c.model, c.key])).toEqual([
      ['User', 'id'],
      ['User', 'id'],
      ['User', 'email'],
      ['User', 'team'],
      ['User', undefined],
      ['User', 'team'],
      ['User', undefined],
      ['User', 'team'],
      [undefined, undefined],
      [undefined, undefined],
    ]);
    expect(found[0]).toMatchObject({ handle: 'em', batched: 'find(…) with { id: { $in: ids } }' });
    expect(found[7].batched).toBe("query builder with .where({ team: { $in: teams } }).groupBy('team')");
    expect(found[9].batched).toBe('populate() on the whole array of entities');
  });

  it('writes that reach the database; persist, remove, assign, create and getReference only change the unit of work', () => {
    const found = clientsIn(`${EM}  em.persist(user);
  em.remove(user);
  em.assign(user, { name: 'Ada' });
  em.create(User, { name: 'Ada' });
  em.getReference(User, id);
  await em.flush();
  await em.persist(user).flush();
  await em.persist(user, true);
  await em.persistAndFlush(user);
  await em.removeAndFlush(user);
  await em.insert(User, { name: 'Ada' });
  await em.nativeInsert(User, { name: 'Ada' });
  await em.nativeUpdate(User, { id }, { name: 'Ada' });
  await em.nativeDelete(User, { id });
  await em.upsert(User, { email: 'a@b.c' });
  await em.insertMany(User, [{ name: 'Ada' }]);
  await em.upsertMany(User, [{ email: 'a@b.c' }]);
}`);
    expect(found.map(op)).toEqual([
      'mikro-orm write em.flush',
      'mikro-orm write em.persist(user).flush',
      'mikro-orm write em.persist',
      'mikro-orm write em.persistAndFlush',
      'mikro-orm write em.removeAndFlush',
      'mikro-orm write em.insert',
      'mikro-orm write em.nativeInsert',
      'mikro-orm write em.nativeUpdate',
      'mikro-orm write em.nativeDelete',
      'mikro-orm write em.upsert',
      'mikro-orm write em.insertMany',
      'mikro-orm write em.upsertMany',
    ]);
    expect(found.map((c) => c.batched)).toEqual([
      'flush() after the loop (change or persist() each entity in it)',
      'flush() after the loop (change or persist() each entity in it)',
      'flush() after the loop (persist() each entity in it)',
      'flush() after the loop (persist() each entity in it)',
      'flush() after the loop (remove() each entity in it)',
      'insertMany([...rows])',
      'insertMany([...rows])',
      'nativeUpdate(…) with { id: { $in: ids } } when the data is the same',
      'nativeDelete(…) with { id: { $in: ids } }',
      'upsertMany([...rows])',
      undefined,
      undefined,
    ]);
    expect(found.slice(-2).map((c) => c.alreadyBatched)).toEqual([true, true]);
  });

  it('repositories: em.getRepository(User), typed, Nest-injected, and this in a custom repository', () => {
    expect(one(`${EM}  await em.getRepository(User).findOne({ email: 'a@b.c' });\n}`)).toMatchObject({
      library: 'mikro-orm',
      operation: 'em.getRepository(User).findOne',
      model: 'User',
      key: 'email',
      batched: 'find(…) with { email: { $in: emails } }',
    });
    const nest = clientsIn(`${MIKRO}import { InjectRepository } from '@mikro-orm/nestjs';
export class UserService {
  constructor(
    private readonly em: EntityManager,
    @InjectRepository(User) private readonly users: EntityRepository<User>,
  ) {}
  async f(id: number) {
    await this.em.findOne(User, { id });
    await this.users.findOne({ id });
  }
}`);
    expect(nest.map((c) => [op(c), c.model, c.key])).toEqual([
      ['mikro-orm query this.em.findOne', 'User', 'id'],
      ['mikro-orm query this.users.findOne', 'User', 'id'],
    ]);
    // Untyped (JavaScript-style) Nest injection: the decorator's module says whose repository it is.
    expect(
      one(`import { InjectRepository } from '@mikro-orm/nestjs';
export class UserService {
  constructor(@InjectRepository(User) users) { this.users = users; }
  async f(id) { return this.users.findOne({ id }); }
}`),
    ).toMatchObject({ library: 'mikro-orm', model: 'User' });
    expect(
      one(`import { InjectRepository } from '@nestjs/typeorm';
export class UserService {
  constructor(@InjectRepository(User) users) { this.users = users; }
  async f(id) { return this.users.findOneBy({ id }); }
}`).library,
    ).toBe('typeorm');
    const custom = clientsIn(`${MIKRO}export class UserRepository extends EntityRepository<User> {
  async byTeam(team: number) { return this.find({ team }); }
  async save() { await this.getEntityManager().flush(); }
}`);
    expect(custom.map((c) => [op(c), c.model])).toEqual([
      ['mikro-orm query this.find', 'User'],
      ['mikro-orm write this.getEntityManager().flush', undefined],
    ]);
  });

  it('the entity manager of MikroORM.init, initSync, new MikroORM, a fork, RequestContext; in JavaScript too', () => {
    expect(
      clientsIn(`import { MikroORM, RequestContext } from '@mikro-orm/core';
const orm = await MikroORM.init(config);
const sync = MikroORM.initSync(config);
const made = new MikroORM(config);
async function f(id: number) {
  await orm.em.findOne(User, { id });
  await sync.em.fork().flush();
  await made.em.getRepository(User).count();
  await RequestContext.getEntityManager()!.findOne(User, id);
}`).map(op),
    ).toEqual([
      'mikro-orm query orm.em.findOne',
      'mikro-orm write sync.em.fork().flush',
      'mikro-orm query made.em.getRepository(User).count',
      'mikro-orm query RequestContext.getEntityManager().findOne',
    ]);
    expect(
      op(
        one(
          `const { MikroORM } = require('@mikro-orm/sqlite');
async function main(ids) {
  const orm = await MikroORM.init(config);
  const em = orm.em.fork();
  return em.find(Book, { author: ids[0] });
}`,
          '/virtual/src/main.js',
        ),
      ),
    ).toBe('mikro-orm query em.find');
  });

  it('an em the file cannot resolve, by its name and entity argument, in a file that imports MikroORM', () => {
    expect(
      clientsIn(`import { wrap } from '@mikro-orm/core';
export const DI = {} as any;
async function f(id: number, user: User) {
  await DI.em.findOne(User, { id });
  await DI.em.flush();
  DI.em.persist(user);
  wrap(user).assign({ id });
}`).map(op),
    ).toEqual(['mikro-orm query DI.em.findOne', 'mikro-orm write DI.em.flush']);
    none(`async function f(em: Em, id: number) { await em.findOne(User, { id }); await em.flush(); }`);
  });

  it('query builders run at getResult / getSingleResult / execute; raw SQL through execute, the connection, knex', () => {
    const found = clientsIn(`${EM}  await em.createQueryBuilder(User).where({ id }).getSingleResult();
  await em.qb(User).select('*').where({ team: id }).getResultList();
  await em.createQueryBuilder(User).update({ seen: true }).where({ id }).execute();
  em.createQueryBuilder(User).where({ id });
  await em.execute('SELECT * FROM users WHERE id = ?', [id]);
  await em.getConnection().execute('DELETE FROM users WHERE id = ?', [id]);
  await em.getKnex()('users').where({ id });
  const knex = em.getKnex();
  await knex('users').where({ id }).first();
}`);
    expect(found.map(op)).toEqual([
      'mikro-orm query em.createQueryBuilder(User).where(…).getSingleResult()',
      "mikro-orm query em.qb(User).select('*').where(…).getResultList()",
      'mikro-orm write em.createQueryBuilder(User).update(…).where(…).execute()',
      'mikro-orm query em.execute',
      'mikro-orm write em.getConnection().execute',
      "knex query knex('users').where(…).first()",
    ]);
    expect(found.map((c) => [c.model, c.key])).toEqual([
      ['User', 'id'],
      ['User', 'team'],
      ['User', 'id'],
      [undefined, 'id'],
      [undefined, 'id'],
      ['users', 'id'],
    ]);
    expect(found[0].batched).toBe('query builder with .where({ id: { $in: ids } })');
    expect(found[3]).toMatchObject({ raw: true, statement: 'SELECT', batched: 'query with WHERE id IN (…)' });
  });

  it('em.transactional gives its handle; $in is already batched', () => {
    const found = clientsIn(`${EM}  await em.transactional(async (tx) => {
    await tx.nativeUpdate(User, { id }, { seen: true });
  });
  await em.find(User, { id: { $in: ids } });
}`);
    expect(found.map((c) => [c.operation, c.transaction, c.alreadyBatched])).toEqual([
      ['tx.nativeUpdate', 'tx', undefined],
      ['em.find', undefined, true],
    ]);
  });
});

describe('clientCall: precision', () => {
  it('array, Map and user-object methods named like queries are not queries', () => {
    none(`function f(items: Item[], byId: Map<number, Item>) {
  const a = items.find((i) => i.id === 1);
  const b = items.filter(Boolean).map((i) => i.id);
  byId.get(1); byId.set(2, a!); byId.delete(3);
  const list = [...items]; list.count; return { a, b };
}`);
    none(`const service = { findUnique: (id: number) => id };\nfunction f() { return service.findUnique(1); }`);
    none(
      `class Store { find(id: number) { return id; } save() {} }\nconst store = new Store();\nfunction f() { store.find(1); store.save(); }`,
    );
    none(`function f(loader: DataLoader<number, User>) { return loader.load(1); }`);
  });

  it('inner links of a chain are not answered separately', () => {
    expect(
      clientsIn(
        `import knex from 'knex';\nconst db = knex({});\nasync function f() { return db('a').where({ id: 1 }).orderBy('x').limit(1); }`,
      ),
    ).toHaveLength(1);
  });
});

describe('transactionAround', () => {
  function around(code: string): string | undefined {
    const facts = factsOf(code);
    return transactionAround(hereCall(facts.sourceFile), facts)?.handle;
  }

  it('callbacks, opened transactions, BEGIN', () => {
    expect(around(`prisma.$transaction(async (tx) => { for (const x of xs) here(); });`)).toBe('tx');
    expect(around(`sequelize.transaction(async (t) => { here(); });`)).toBe('t');
    expect(around(`async function f() { await queryRunner.startTransaction(); here(); }`)).toBe('queryRunner');
    expect(around(`async function f() { const trx = await knex.transaction(); here(); }`)).toBe('trx');
    expect(around(`async function f() { await client.query('BEGIN'); here(); }`)).toBe('client');
    expect(around(`async function f() { here(); await client.query('BEGIN'); }`)).toBeUndefined();
    expect(around(`async function f() { here(); }`)).toBeUndefined();
  });

  it('MikroORM: em.transactional, and em.begin() on an entity manager until commit', () => {
    expect(around(`orm.em.transactional(async (em) => { for (const x of xs) here(); });`)).toBe('em');
    expect(around(`async function f() { await em.begin(); here(); await em.commit(); }`)).toBe('em');
    expect(around(`async function f() { await this.em.begin(); here(); }`)).toBe('this.em');
    // `begin()` on anything else is not MikroORM's.
    expect(around(`async function f() { await parser.begin(); here(); }`)).toBeUndefined();
  });
});

describe('clientCall: the type checker decides last', () => {
  // A project on disk whose node_modules holds (a sliver of) typeorm's declarations.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-clients-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', noEmit: true } }),
  );
  fs.mkdirSync(path.join(dir, 'node_modules', 'typeorm'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'node_modules', 'typeorm', 'package.json'),
    JSON.stringify({ name: 'typeorm', version: '0.3.0', types: 'index.d.ts' }),
  );
  fs.writeFileSync(
    path.join(dir, 'node_modules', 'typeorm', 'index.d.ts'),
    `export declare class Repository<T> { findOneBy(where: Partial<T>): Promise<T | null>; find(): Promise<T[]>; }
export declare class DataSource { getRepository<T>(entity: new () => T): Repository<T>; }`,
  );
  const code = `import { DataSource } from 'typeorm';
class User { id = 1 }
declare const dataSource: DataSource;
function usersRepository() { return dataSource.getRepository(User); }
export async function load(ids: number[], users: User[]) {
  const store = usersRepository();
  for (const id of ids) await store.findOneBy({ id });
  return users.find((u) => u.id === 1);
}`;
  const file = path.join(dir, 'src', 'users.ts');

  function withTypes(types: boolean): ClientCall[] {
    const host = new ProjectHost();
    const facts = new FileFacts(file, code, host.parse(file, code), types ? () => host.typeFacts(file, code) : undefined);
    const found: ClientCall[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const client = clientCall(node, facts);
        if (client) found.push(client);
      }
      ts.forEachChild(node, visit);
    };
    visit(facts.sourceFile);
    return found;
  }

  it('recognises a repository only its type reveals', () => {
    expect(withTypes(true).map(op)).toEqual(['typeorm query store.findOneBy']);
    expect(withTypes(true)[0].model).toBe('User');
  });

  it('without types, the syntax alone cannot tell (and says nothing)', () => {
    expect(withTypes(false)).toEqual([]);
  });
});

describe('the library registry', () => {
  it('lists every descriptor module of facts/libraries, each under its own id', async () => {
    const folder = path.resolve(__dirname, '../../../src/analyzers/facts/libraries');
    const shared = new Set(['library.ts', 'registry.ts', 'lookup.ts', 'locking.ts']);
    const listed = new Set<unknown>(libraries);
    for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.ts') && !shared.has(name))) {
      const descriptors = Object.values(await import(path.join(folder, file))).filter(
        (value) => typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string',
      );
      expect(descriptors, `${file} exports one descriptor`).toHaveLength(1);
      expect(listed.has(descriptors[0]), `${file} is listed in registry.ts`).toBe(true);
    }
    expect(new Set(libraries.map((entry) => entry.id)).size).toBe(libraries.length);
  });

  it("names every batched lookup in query-in-loop's docs, from the descriptors", () => {
    for (const { id, batching } of libraries) {
      if (batching?.lookup) expect(batching.lookupForm?.trim(), `${id} says how its batched lookup reads`).toBeTruthy();
    }
    const fixForm = rulesById.get('query-in-loop')?.meta.fixForm ?? '';
    for (const form of ['Prisma `findMany`', 'TypeORM `findBy` + `In`', 'Drizzle `findMany` + `inArray`', 'MikroORM `find` + `$in`'])
      expect(fixForm).toContain(form);
  });
});

describe('schema statements (DDL) in raw SQL', () => {
  /** Why the first call in a loop over `code`'s statement cannot be batched, when DDL is the reason (its verb). */
  const statementOf = (code: string): string | undefined => {
    const facts = factsOf(`for (const t of tables) {\n  ${code};\n}`);
    let found: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
      if (!found && (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node))) found = node;
      ts.forEachChild(node, visit);
    };
    visit(facts.sourceFile);
    const reason = batchingOf(found!, facts.iteration(found!)!).reason;
    return /^DDL runs per object: no set-based form \((.+)\)$/.exec(reason ?? '')?.[1];
  };

  it.each([
    ['db.query(`CREATE UNIQUE INDEX IF NOT EXISTS "i_${t}" ON "${t}" (id)`)', 'CREATE UNIQUE INDEX'],
    ["db.query('ALTER TABLE events DETACH PARTITION ' + name)", 'ALTER TABLE'],
    ['sql`-- keep it small\n drop materialized view ${v}`', 'DROP MATERIALIZED VIEW'],
    ["db.query('GRANT SELECT ON ' + t + ' TO reader')", 'GRANT'],
    ["db.query('REINDEX TABLE ' + t)", 'REINDEX'],
    ["db.query('COMMENT ON TABLE x IS \\'y\\'')", 'COMMENT ON'],
  ])('%s is DDL', (code, verb) => {
    expect(statementOf(code)).toBe(verb);
  });

  it.each([
    "llm.complete('Analyze the following review and answer in one word')",
    "logger.info('Create a report for each team')",
    "db.query('DELETE FROM sessions WHERE id = $1', [id])",
    "db.query('SELECT * FROM grants WHERE created_at > $1', [since])",
  ])('%s is not DDL', (code) => {
    expect(statementOf(code)).toBeUndefined();
  });
});
