/**
 * What a name, member or expression holds, as far as clients go: an import of a client library,
 * an instance made from one, a typed parameter or class member, a Nest injection, a transaction
 * callback's handle, or a telling name. Library modules interpret method calls on the values.
 */
import { ts } from '../../ts';
import { calleeName, constantString, isFunctionLike, skipParens } from '../ast';
import { lookup } from '../dataflow';
import type { ImportOrigin } from '../imports';
import { HTTP_LIBRARIES, httpCall, httpInvoke } from './http';
import { knexCall, knexInvoke, objectionCall } from './knex';
import {
  callReceiving,
  decoratorsOf,
  deeper,
  entityName,
  isLowerFirst,
  SK,
  v,
  type ClientCallNode,
  type Ctx,
  type StepResult,
  type Val,
} from './model';
import { mongodbCall, mongooseCall, mongooseMember } from './mongo';
import { drizzleCall, drizzleMember, dynamoCall, postgresCall, sqliteCall, supabaseCall } from './others';
import { prismaCall, prismaMember } from './prisma';
import { redisCall } from './redis';
import { sequelizeCall, sequelizeMember } from './sequelize';
import { rawOp, sqlOfCall, sqlOfTemplate } from './sql';
import { typeormCall, typeormMember, typeormModuleCall, TYPEORM_FACTORIES } from './typeorm';

/** Which client library a module specifier is. User modules are judged by their path. */
export function libOfModule(module: string): string | undefined {
  if (module === '@prisma/client' || module.startsWith('@prisma/client/') || /(^|\/)\.prisma\/client/.test(module)) return 'prisma';
  switch (module) {
    case 'typeorm':
    case '@nestjs/typeorm':
      return 'typeorm';
    case 'sequelize':
    case 'sequelize-typescript':
    case '@nestjs/sequelize':
      return 'sequelize';
    case 'mongoose':
    case '@nestjs/mongoose':
      return 'mongoose';
    case 'mongodb':
      return 'mongodb';
    case 'knex':
      return 'knex';
    case 'objection':
      return 'objection';
    case 'pg':
    case 'pg-pool':
      return 'pg';
    case 'mysql':
    case 'mysql2':
    case 'mysql2/promise':
      return 'mysql2';
    case 'ioredis':
    case 'redis':
    case '@redis/client':
    case '@upstash/redis':
    case '@nestjs-modules/ioredis':
    case '@liaoliaots/nestjs-redis':
      return 'redis';
    case 'axios':
      return 'axios';
    case 'got':
      return 'got';
    case 'ky':
    case 'ky-universal':
      return 'ky';
    case 'undici':
      return 'undici';
    case 'node-fetch':
    case 'cross-fetch':
    case 'isomorphic-fetch':
    case 'isomorphic-unfetch':
    case 'make-fetch-happen':
    case 'unfetch':
      return 'node-fetch';
    case 'ofetch':
      return 'ofetch';
    case 'superagent':
      return 'superagent';
    case '@nestjs/axios':
      return 'nest-http';
    case '@supabase/supabase-js':
      return 'supabase';
    case 'postgres':
      return 'postgres';
    case '@vercel/postgres':
      return 'vercel-postgres';
    case '@neondatabase/serverless':
      return 'neon';
    case '@aws-sdk/client-dynamodb':
    case '@aws-sdk/lib-dynamodb':
      return 'dynamodb';
    case 'better-sqlite3':
    case 'bun:sqlite':
    case 'sqlite':
      return 'sqlite';
    default:
      if (module === 'drizzle-orm' || module.startsWith('drizzle-orm/')) return 'drizzle';
      return undefined;
  }
}

export function isUserModule(module: string): boolean {
  return /^(\.|@\/|~\/|#|src\/|app\/|lib\/|server\/)/.test(module);
}

/** A name that says what it holds: `prisma`, `this.prismaService`, `ctx.prisma`, `redisClient`, `knex`. */
export function hintValue(name: string): Val | undefined {
  if (/prisma/i.test(name)) return { lib: 'prisma', role: 'client' };
  if (/redis/i.test(name)) return { lib: 'redis', role: 'client' };
  if (name === 'knex') return { lib: 'knex', role: 'client' };
  if (/^supabase/i.test(name)) return { lib: 'supabase', role: 'client' };
  return undefined;
}

/** The value an import binding holds. */
function importValue(origin: ImportOrigin, localName: string): Val | undefined {
  const { module, imported } = origin;
  const lib = libOfModule(module);
  const whole = imported === '*' || imported === 'default';
  if (!lib) {
    // A monorepo's own package (`import { prisma } from '@documenso/prisma'`) is read like a project module,
    // but only for what its name says it holds.
    if (
      /^@[\w.-]+\/[\w.-]*(prisma|db|database|redis|knex|drizzle)[\w.-]*$/i.test(module) &&
      isLowerFirst(localName) &&
      /prisma|db|database|redis|knex|drizzle|client/i.test(localName)
    ) {
      if (/prisma/i.test(module)) return { lib: 'prisma', role: 'client' };
      if (/redis/i.test(module)) return { lib: 'redis', role: 'client' };
      if (/knex/i.test(module)) return { lib: 'knex', role: 'client' };
      if (/drizzle/i.test(module)) return { lib: 'drizzle', role: 'client' };
      return hintValue(localName);
    }
    if (!isUserModule(module) || !isLowerFirst(localName)) {
      if (isUserModule(module) && /^App?DataSource$|DataSource$/.test(localName) && /data-?source|typeorm|database|db/i.test(module))
        return { lib: 'typeorm', role: 'datasource' };
      return undefined;
    }
    // import { prisma } from '@/lib/prisma'; import redis from '../redis'; import db from './knex'
    if (/prisma/i.test(module)) return { lib: 'prisma', role: 'client' };
    if (/redis/i.test(module)) return { lib: 'redis', role: 'client' };
    if (/knex/i.test(module)) return { lib: 'knex', role: 'client' };
    if (/supabase/i.test(module)) return { lib: 'supabase', role: 'client' };
    if (/drizzle/i.test(module)) return { lib: 'drizzle', role: 'client' };
    if (/data-?source/i.test(module) && /source/i.test(localName)) return { lib: 'typeorm', role: 'datasource' };
    return hintValue(localName);
  }
  const named = (name: string): boolean => imported === name;
  switch (lib) {
    case 'prisma':
      if (named('PrismaClient')) return { lib, role: 'class', name: 'PrismaClient' };
      if (named('Prisma') || !isLowerFirst(localName)) return undefined;
      return { lib, role: 'client' };
    case 'typeorm':
      if (named('DataSource') || named('Connection')) return { lib, role: 'class', name: 'DataSource' };
      if (TYPEORM_FACTORIES.includes(imported)) {
        return { lib, role: 'fn', name: imported };
      }
      return whole ? { lib, role: 'module', module } : undefined;
    case 'sequelize':
      if (named('Sequelize')) return { lib, role: 'class', name: 'Sequelize' };
      if (named('Model')) return { lib, role: 'class', name: 'Model' };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'mongoose':
      if (named('model')) return { lib, role: 'fn', name: 'model' };
      if (named('Model')) return { lib, role: 'class', name: 'Model' };
      if (named('createConnection')) return { lib, role: 'fn', name: 'createConnection' };
      return whole || named('mongoose') ? { lib, role: 'module', module } : undefined;
    case 'mongodb':
      if (named('MongoClient')) return { lib, role: 'class', name: 'MongoClient' };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'knex':
      return whole || named('knex') ? { lib, role: 'fn', name: 'knex' } : undefined;
    case 'objection':
      return named('Model') ? { lib, role: 'class', name: 'Model' } : undefined;
    case 'pg':
      if (named('Pool')) return { lib, role: 'class', name: 'Pool' };
      if (named('Client')) return { lib, role: 'class', name: 'Client' };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'mysql2':
      if (['createPool', 'createConnection', 'createPoolCluster'].includes(imported)) return { lib, role: 'fn', name: imported };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'redis':
      if (named('createClient') || named('createCluster')) return { lib, role: 'fn', name: imported };
      if (named('Redis') || named('Cluster') || whole) return { lib, role: 'class', name: 'Redis' };
      return undefined;
    case 'axios':
      return whole || named('axios') ? { lib, role: 'fn', name: 'axios' } : undefined;
    case 'got':
      return whole || named('got') ? { lib, role: 'fn', name: 'got' } : undefined;
    case 'ky':
      return whole || named('ky') ? { lib, role: 'fn', name: 'ky' } : undefined;
    case 'undici':
      if (named('request') || named('fetch')) return { lib, role: 'fn', name: imported };
      if (named('Client') || named('Pool') || named('Agent')) return { lib, role: 'class', name: imported };
      return whole ? { lib, role: 'module', module } : undefined;
    case 'node-fetch':
      return whole || named('fetch') ? { lib, role: 'fn', name: 'fetch' } : undefined;
    case 'ofetch':
      return named('ofetch') || named('$fetch') || whole ? { lib, role: 'fn', name: 'ofetch' } : undefined;
    case 'superagent':
      return whole ? { lib, role: 'fn', name: 'superagent' } : undefined;
    case 'drizzle':
      return named('drizzle') ? { lib, role: 'fn', name: 'drizzle' } : undefined;
    case 'supabase':
      return named('createClient') ? { lib, role: 'fn', name: 'createClient' } : undefined;
    case 'postgres':
      return whole ? { lib, role: 'fn', name: 'postgres' } : undefined;
    case 'vercel-postgres':
      if (named('sql')) return { lib: 'postgres', role: 'client' };
      if (named('db') || named('createPool') || named('createClient'))
        return named('db') ? { lib: 'pg', role: 'client' } : { lib: 'pg', role: 'fn', name: imported };
      return undefined;
    case 'neon':
      return named('neon') ? { lib: 'postgres', role: 'fn', name: 'postgres' } : undefined;
    case 'sqlite':
      // better-sqlite3's default export, bun:sqlite's Database, node:sqlite's DatabaseSync (npm 'sqlite' is async: not this).
      if (module === 'sqlite') return named('DatabaseSync') ? { lib, role: 'class', name: 'Database' } : undefined;
      if (whole || named('Database')) return { lib, role: 'class', name: 'Database' };
      return undefined;
    case 'dynamodb':
      if (imported.endsWith('Command')) return { lib, role: 'command', name: imported };
      if (named('DynamoDBClient') || named('DynamoDBDocumentClient') || named('DynamoDB')) return { lib, role: 'class', name: imported };
      return undefined;
    default:
      return undefined;
  }
}

/** `new X(…)` */
function construct(base: Val | undefined): Val | undefined {
  if (!base) return undefined;
  if (base.role === 'module') {
    // const Sequelize = require('sequelize'); new Sequelize(…)   /   new Redis() from a default import
    if (base.lib === 'sequelize') return { lib: base.lib, role: 'client' };
    return undefined;
  }
  if (base.role !== 'class') return undefined;
  switch (base.lib) {
    case 'prisma':
      return { lib: 'prisma', role: 'client' };
    case 'typeorm':
      return { lib: 'typeorm', role: 'datasource' };
    case 'sequelize':
      return base.name === 'Sequelize' ? { lib: 'sequelize', role: 'client' } : undefined;
    case 'mongodb':
      return { lib: 'mongodb', role: 'client' };
    case 'pg':
      return base.name === 'Client' ? { lib: 'pg', role: 'client', single: true } : { lib: 'pg', role: 'client' };
    case 'redis':
      return { lib: 'redis', role: 'client' };
    case 'undici':
      return { lib: 'undici', role: 'client' };
    case 'dynamodb':
      return { lib: 'dynamodb', role: 'client' };
    case 'sqlite':
      return { lib: 'sqlite', role: 'client' };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolution of names, members and expressions

export function nameValue(name: string, at: ts.Node, ctx: Ctx): Val | undefined {
  if (ctx.depth > 5) return undefined;
  const declaration = lookup(name, at);
  if (!declaration) {
    if (name === 'fetch') return { lib: 'fetch', role: 'fn', name: 'fetch' };
    if (name === '$fetch') return { lib: 'ofetch', role: 'fn', name: 'ofetch' };
    if (name === 'window' || name === 'globalThis' || name === 'self') return { lib: 'global', role: 'global' };
    return undefined;
  }
  const { facts } = ctx;
  switch (declaration.kind) {
    case 'import': {
      const origin = facts.imports.get(name);
      return origin ? importValue(origin, name) : undefined;
    }
    case 'parameter':
      return parameterValue(declaration.node as ts.ParameterDeclaration, name, ctx);
    case 'const':
    case 'let':
    case 'var':
    case 'using': {
      if (ts.isSourceFile(declaration.scope)) {
        // const pg = require('pg'); const { Pool } = require('pg')
        const origin = facts.imports.get(name);
        if (origin && !origin.instanceOf) {
          const value = importValue(origin, name);
          if (value) return value;
        }
      }
      if (declaration.type) {
        const typed = typeNodeValue(declaration.type, ctx);
        if (typed) return typed;
      }
      if (declaration.initializer) {
        const value = exprValue(declaration.initializer, deeper(ctx));
        if (value) return value;
      }
      return hintValue(name);
    }
    case 'class':
      return classValue(declaration.node as ts.ClassDeclaration, deeper(ctx));
    default:
      return undefined;
  }
}

function parameterValue(parameter: ts.ParameterDeclaration, name: string, ctx: Ctx): Val | undefined {
  if (parameter.type) {
    const typed = typeNodeValue(parameter.type, ctx);
    if (typed) return typed;
  }
  const decorated = decoratorValue(parameter, ctx);
  if (decorated) return decorated;
  const fn = parameter.parent;
  if (fn && isFunctionLike(fn)) {
    const tx = transactionParameterValue(fn, parameter, name, ctx);
    if (tx) return tx;
  }
  if (parameter.initializer) {
    const value = exprValue(parameter.initializer, deeper(ctx));
    if (value) return value;
  }
  return hintValue(name);
}

const TRANSACTION_METHODS: ReadonlySet<string> = new Set([
  'transaction',
  'transactional',
  'withTransaction',
  'runInTransaction',
  'begin',
  'tx',
  'task',
]);

/** `prisma.$transaction(async (tx) => …)`, `knex.transaction(async (trx) => …)`, `dataSource.transaction(async (manager) => …)`. */
function transactionParameterValue(fn: ts.Node, parameter: ts.ParameterDeclaration, name: string, ctx: Ctx): Val | undefined {
  const call = callReceiving(fn);
  if (!call) return undefined;
  const method = calleeName(call);
  if (method === undefined) return undefined;
  const first = (fn as ts.FunctionLikeDeclaration).parameters[0];
  if (first !== parameter) return undefined;
  if (method === '$transaction') return { lib: 'prisma', role: 'client', tx: name };
  if (!TRANSACTION_METHODS.has(method)) return undefined;
  const receiver = ts.isPropertyAccessExpression(skipParens(call.expression))
    ? (skipParens(call.expression) as ts.PropertyAccessExpression).expression
    : undefined;
  const owner = receiver ? exprValue(receiver, deeper(ctx)) : undefined;
  const lib = owner?.lib ?? guessTransactionLibrary(name, ctx.facts);
  switch (lib) {
    case 'knex':
      return { lib: 'knex', role: 'client', tx: name };
    case 'typeorm':
      return { lib: 'typeorm', role: 'manager', tx: name };
    case 'sequelize':
      return { lib: 'sequelize', role: 'transaction', tx: name };
    case 'drizzle':
      return { lib: 'drizzle', role: 'client', tx: name };
    case 'postgres':
      return { lib: 'postgres', role: 'client', tx: name };
    case 'mikro-orm':
      return undefined;
    default:
      return undefined;
  }
}

function guessTransactionLibrary(name: string, facts: Ctx['facts']): string | undefined {
  if (name === 'trx') return 'knex';
  if (/^(manager|em|entityManager|transactionalEntityManager)$/.test(name)) return 'typeorm';
  if (facts.imports.importsAny((m) => m === 'drizzle-orm' || m.startsWith('drizzle-orm/'))) return 'drizzle';
  if (facts.imports.imports('knex')) return 'knex';
  if (facts.imports.imports('typeorm')) return 'typeorm';
  if (facts.imports.imports('sequelize') || facts.imports.imports('sequelize-typescript')) return 'sequelize';
  return undefined;
}

/** Nest injection: `@InjectRepository(User) repo`, `@InjectModel(Cat.name) model`, `@InjectRedis() redis`. */
function decoratorValue(node: ts.Node, ctx: Ctx): Val | undefined {
  for (const decorator of decoratorsOf(node)) {
    const expression = decorator.expression;
    if (!ts.isCallExpression(expression)) continue;
    const name = calleeName(expression);
    const first = expression.arguments[0];
    const model = first ? entityName(first) : undefined;
    const module = name ? ctx.facts.imports.get(name)?.module : undefined;
    switch (name) {
      case 'InjectRepository':
        return { lib: 'typeorm', role: 'repository', model };
      case 'InjectEntityManager':
        return { lib: 'typeorm', role: 'manager' };
      case 'InjectDataSource':
        return { lib: 'typeorm', role: 'datasource' };
      case 'InjectModel':
        if (module === '@nestjs/sequelize') return { lib: 'sequelize', role: 'model', model };
        return { lib: 'mongoose', role: 'model', model };
      case 'InjectRedis':
        return { lib: 'redis', role: 'client' };
      case 'InjectKnex':
        return { lib: 'knex', role: 'client' };
      case 'InjectConnection':
        if (module === '@nestjs/typeorm') return { lib: 'typeorm', role: 'datasource' };
        if (module && /knex/.test(module)) return { lib: 'knex', role: 'client' };
        return undefined;
      default:
        break;
    }
  }
  return undefined;
}

/** Types that name a client: `PrismaClient`, `Repository<User>`, `Knex.Transaction`, `PoolClient`, `Redis`. */
function typeNodeValue(type: ts.TypeNode, ctx: Ctx): Val | undefined {
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) {
    for (const part of type.types) {
      const value = typeNodeValue(part, ctx);
      if (value) return value;
    }
    return undefined;
  }
  if (ts.isTypeQueryNode(type) && ts.isIdentifier(type.exprName)) return nameValue(type.exprName.text, type, deeper(ctx));
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const typeName = type.typeName;
  const left = ts.isQualifiedName(typeName) && ts.isIdentifier(typeName.left) ? typeName.left.text : undefined;
  const right = ts.isQualifiedName(typeName) ? typeName.right.text : typeName.text;
  const origin = ctx.facts.imports.get(left ?? right);
  const lib = origin ? libOfModule(origin.module) : undefined;
  const argument = type.typeArguments?.[0];
  const model = argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName) ? argument.typeName.text : undefined;
  const imports = ctx.facts.imports;
  const typeormFile = lib === 'typeorm' || (!origin && (imports.imports('typeorm') || imports.imports('@nestjs/typeorm')));
  if (/^(Extended)?Prisma(Client|Service)$|PrismaService$/.test(right) || (lib === 'prisma' && right === 'PrismaClient'))
    return { lib: 'prisma', role: 'client' };
  if (lib === 'prisma' && right === 'TransactionClient') return { lib: 'prisma', role: 'client', tx: 'tx' };
  if (typeormFile) {
    if (right === 'Repository' || right === 'TreeRepository' || right === 'MongoRepository')
      return { lib: 'typeorm', role: 'repository', model };
    if (right === 'EntityManager' || right === 'MongoEntityManager') return { lib: 'typeorm', role: 'manager' };
    if (right === 'DataSource' || right === 'Connection') return { lib: 'typeorm', role: 'datasource' };
    if (right === 'QueryRunner') return { lib: 'typeorm', role: 'queryRunner', single: true };
  }
  switch (lib) {
    case 'knex':
      if (right === 'Knex' || (left === 'Knex' && right !== 'Transaction')) return { lib, role: 'client' };
      if (right === 'Transaction') return { lib, role: 'client', tx: 'trx' };
      return undefined;
    case 'pg':
      if (right === 'Pool') return { lib, role: 'client' };
      if (right === 'PoolClient' || right === 'Client') return { lib, role: 'client', single: true };
      return undefined;
    case 'mysql2':
      if (right === 'Pool' || right === 'PoolCluster') return { lib, role: 'client' };
      if (right === 'PoolConnection' || right === 'Connection') return { lib, role: 'client', single: true };
      return undefined;
    case 'redis':
      return /^(Redis|Cluster|RedisClientType|RedisClusterType|RedisClient)$/.test(right) ? { lib, role: 'client' } : undefined;
    case 'mongoose':
      return right === 'Model' ? { lib, role: 'model', model } : undefined;
    case 'mongodb':
      if (right === 'MongoClient') return { lib, role: 'client' };
      if (right === 'Db') return { lib, role: 'db' };
      if (right === 'Collection') return { lib, role: 'collection', model };
      return undefined;
    case 'sequelize':
      if (right === 'Sequelize') return { lib, role: 'client' };
      if (right === 'ModelStatic' || right === 'ModelCtor') return { lib, role: 'model', model };
      return undefined;
    case 'axios':
      return right === 'AxiosInstance' || right === 'AxiosStatic' ? { lib, role: 'fn', name: 'axios' } : undefined;
    case 'got':
      return right === 'Got' ? { lib, role: 'fn', name: 'got' } : undefined;
    case 'ky':
      return right === 'KyInstance' ? { lib, role: 'fn', name: 'ky' } : undefined;
    case 'nest-http':
      return right === 'HttpService' ? { lib, role: 'client' } : undefined;
    case 'drizzle':
      return /Database$/.test(right) ? { lib, role: 'client' } : undefined;
    case 'supabase':
      return right === 'SupabaseClient' ? { lib, role: 'client' } : undefined;
    case 'dynamodb':
      return /^DynamoDB(Document)?Client$/.test(right) ? { lib, role: 'client' } : undefined;
    case 'sqlite':
      return /^(Database|DatabaseSync)$/.test(right) ? { lib, role: 'client' } : undefined;
    default:
      return undefined;
  }
}

/** `class User extends Model`, `class UserRepository extends Repository<User>`, `class PrismaService extends PrismaClient`. */
function classValue(declaration: ts.ClassLikeDeclaration, ctx: Ctx): Val | undefined {
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0];
  if (!heritage) return undefined;
  const base = exprValue(heritage.expression, deeper(ctx));
  const name = declaration.name?.text;
  if (base?.role === 'class') {
    if (base.lib === 'sequelize' && base.name === 'Model') return { lib: 'sequelize', role: 'model', model: name };
    if (base.lib === 'mongoose' && base.name === 'Model') return { lib: 'mongoose', role: 'model', model: name };
    if (base.lib === 'objection') return { lib: 'objection', role: 'model', model: name };
  }
  const baseName = ts.isIdentifier(heritage.expression) ? heritage.expression.text : undefined;
  const origin = baseName ? ctx.facts.imports.get(baseName) : undefined;
  if (origin && libOfModule(origin.module) === 'typeorm' && baseName === 'BaseEntity')
    return { lib: 'typeorm', role: 'model', model: name, name: 'entity' };
  if (origin && libOfModule(origin.module) === 'sequelize' && baseName === 'Model') return { lib: 'sequelize', role: 'model', model: name };
  return undefined;
}

/** What `this` is inside a class: a repository (`extends Repository<User>`) or a Prisma client (`extends PrismaClient`). */
export function selfValue(declaration: ts.ClassLikeDeclaration, ctx: Ctx): Val | undefined {
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === SK.ExtendsKeyword)?.types[0];
  if (!heritage || !ts.isIdentifier(heritage.expression)) return undefined;
  const origin = ctx.facts.imports.get(heritage.expression.text);
  const lib = origin ? libOfModule(origin.module) : undefined;
  const model =
    heritage.typeArguments?.[0] && ts.isTypeReferenceNode(heritage.typeArguments[0]) && ts.isIdentifier(heritage.typeArguments[0].typeName)
      ? heritage.typeArguments[0].typeName.text
      : undefined;
  if (lib === 'typeorm' && /Repository$/.test(heritage.expression.text)) return { lib, role: 'repository', model };
  if (lib === 'prisma' && heritage.expression.text === 'PrismaClient') return { lib, role: 'client' };
  return undefined;
}

export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) return current;
    // `this` inside a non-arrow function that is not a method is not the class instance.
    if ((ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) && !ts.isMethodDeclaration(current)) return undefined;
  }
  return undefined;
}

/** `this.x`: a property declaration, a constructor parameter property, or `this.x = …` in the constructor. */
export function memberValue(declaration: ts.ClassLikeDeclaration, name: string, ctx: Ctx): Val | undefined {
  if (ctx.depth > 5) return undefined;
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name) {
      if (member.type) {
        const typed = typeNodeValue(member.type, ctx);
        if (typed) return typed;
      }
      const decorated = decoratorValue(member, ctx);
      if (decorated) return decorated;
      if (member.initializer) {
        const value = exprValue(member.initializer, deeper(ctx));
        if (value) return value;
      }
      return hintValue(name);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length) {
          return parameterValue(parameter, name, ctx);
        }
      }
      const assigned = member.body?.statements.find(
        (statement) =>
          ts.isExpressionStatement(statement) &&
          ts.isBinaryExpression(statement.expression) &&
          statement.expression.operatorToken.kind === SK.EqualsToken &&
          ts.isPropertyAccessExpression(statement.expression.left) &&
          statement.expression.left.expression.kind === SK.ThisKeyword &&
          statement.expression.left.name.text === name,
      );
      if (assigned) {
        const value = exprValue(((assigned as ts.ExpressionStatement).expression as ts.BinaryExpression).right, deeper(ctx));
        if (value) return value;
      }
    }
  }
  return hintValue(name);
}

export function exprValue(expression: ts.Expression, ctx: Ctx): Val | undefined {
  if (ctx.depth > 6) return undefined;
  let e = skipParens(expression);
  if (ts.isAwaitExpression(e)) e = skipParens(e.expression);
  if (ts.isIdentifier(e)) return nameValue(e.text, e, ctx);
  if (ts.isPropertyAccessExpression(e)) {
    const object = skipParens(e.expression);
    if (object.kind === SK.ThisKeyword) {
      const cls = enclosingClass(object);
      return cls ? memberValue(cls, e.name.text, deeper(ctx)) : hintValue(e.name.text);
    }
    const base = exprValue(object, deeper(ctx));
    const result = base ? member(base, e.name.text) : undefined;
    return result ?? hintValue(e.name.text);
  }
  if (ts.isNewExpression(e)) return construct(exprValue(e.expression, deeper(ctx)));
  if (ts.isCallExpression(e)) {
    const callee = skipParens(e.expression);
    if (ts.isIdentifier(callee) && callee.text === 'require') {
      const specifier = constantString(e.arguments[0]);
      return specifier === undefined ? undefined : importValue({ module: specifier.replace(/^node:/, ''), imported: '*' }, '');
    }
    if (ts.isIdentifier(callee)) {
      const result = invoke(nameValue(callee.text, callee, deeper(ctx)), e, ctx);
      return result && 'val' in result ? result.val : undefined;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const object = skipParens(callee.expression);
      const base = object.kind === SK.ThisKeyword ? selfOf(object, ctx) : exprValue(object, deeper(ctx));
      if (!base) return undefined;
      const result = callMember(base, callee.name.text, e, ctx);
      return result && 'val' in result ? result.val : undefined;
    }
    return undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === SK.QuestionQuestionToken || op === SK.BarBarToken) return exprValue(e.left, deeper(ctx)) ?? exprValue(e.right, deeper(ctx));
    return undefined;
  }
  if (ts.isConditionalExpression(e)) return exprValue(e.whenTrue, deeper(ctx)) ?? exprValue(e.whenFalse, deeper(ctx));
  return undefined;
}

function selfOf(node: ts.Node, ctx: Ctx): Val | undefined {
  const cls = enclosingClass(node);
  return cls ? selfValue(cls, ctx) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Transitions: a member of a value, a call of a value, a method call on a value

export function member(val: Val, name: string): Val | undefined {
  if (val.role === 'module' && val.module) {
    const imported = importValue({ module: val.module, imported: name }, name);
    if (imported) return imported;
  }
  if (val.role === 'global') return name === 'fetch' ? { lib: 'fetch', role: 'fn', name: 'fetch' } : undefined;
  switch (val.lib) {
    case 'prisma':
      return prismaMember(val, name);
    case 'typeorm':
      return typeormMember(val, name);
    case 'sequelize':
      return sequelizeMember(val, name);
    case 'mongoose':
      return mongooseMember(val, name);
    case 'drizzle':
      return drizzleMember(val, name);
    default:
      return undefined;
  }
}

/** Calling a value directly: `fetch(url)`, `knex('users')`, `getRepository(User)`, `sql\`…\``, `knex(config)`. */
export function invoke(val: Val | undefined, call: ClientCallNode, _ctx: Ctx, anchor = 0): StepResult {
  if (!val) return undefined;
  if (ts.isTaggedTemplateExpression(call)) {
    if (val.lib === 'postgres' && val.role === 'client') return rawOp('postgres', 'sql', anchor, sqlOfTemplate(call.template), val);
    return undefined;
  }
  if (val.role === 'fn') {
    switch (val.name) {
      case 'fetch':
      case 'ofetch':
      case 'axios':
      case 'got':
      case 'ky':
      case 'superagent':
      case 'request':
        return httpInvoke(val, call, anchor);
      case 'knex':
        return v({ lib: 'knex', role: 'client' });
      case 'getRepository':
      case 'getTreeRepository':
      case 'getMongoRepository':
      case 'getCustomRepository':
      case 'getManager':
        return typeormModuleCall(val.name, call);
      case 'getConnection':
      case 'createConnection':
        if (val.lib === 'mysql2') return v({ lib: 'mysql2', role: 'client', single: true });
        return v({ lib: val.lib, role: val.lib === 'mongoose' ? 'client' : 'datasource' });
      case 'model':
        return v({ lib: 'mongoose', role: 'model', model: call.arguments[0] ? entityName(call.arguments[0]) : undefined });
      case 'createPool':
      case 'createPoolCluster':
      case 'createClient':
      case 'createCluster':
        return v({ lib: val.lib, role: 'client' });
      case 'drizzle':
        return v({ lib: 'drizzle', role: 'client' });
      case 'postgres':
        return v({ lib: 'postgres', role: 'client' });
      default:
        return undefined;
    }
  }
  if (val.role === 'client' && val.lib === 'knex') return knexInvoke(val, call, anchor);
  return undefined;
}

/** A method call on a value: `repo.findOneBy(…)`, `pool.query(…)`, `axios.get(…)`, `dataSource.getRepository(User)`. */
export function callMember(val: Val, name: string, call: ClientCallNode, ctx: Ctx, anchor = 0): StepResult {
  if (val.role === 'module' || val.role === 'global') {
    const fn = member(val, name);
    if (fn) return invoke(fn, call, ctx, anchor);
    if (val.role === 'module') return moduleCall(val, name, call);
    return undefined;
  }
  if (HTTP_LIBRARIES.has(val.lib)) return httpCall(val, name, call, anchor);
  switch (val.lib) {
    case 'prisma':
      return prismaCall(val, name, call, anchor);
    case 'typeorm':
      return typeormCall(val, name, call, anchor);
    case 'sequelize':
      return sequelizeCall(val, name, call, anchor);
    case 'mongoose':
      return mongooseCall(val, name, call, anchor);
    case 'mongodb':
      return mongodbCall(val, name, call, anchor);
    case 'knex':
      return knexCall(val, name, call, anchor);
    case 'objection':
      return objectionCall(val, name, anchor);
    case 'pg':
    case 'mysql2':
      if (val.role === 'fn' || val.role === 'class') return undefined;
      if (name === 'query' || name === 'execute') return rawOp(val.lib, name, anchor, sqlOfCall(call), val);
      if (name === 'connect' || name === 'getConnection') return v({ lib: val.lib, role: 'client', single: true });
      if (name === 'promise') return v(val);
      return undefined;
    case 'redis':
      return redisCall(val, name, anchor);
    case 'drizzle':
      return drizzleCall(val, name, call, anchor);
    case 'supabase':
      return supabaseCall(val, name, call, anchor);
    case 'postgres':
      return postgresCall(val, name, call, anchor);
    case 'dynamodb':
      return dynamoCall(val, name, call, anchor, ctx);
    case 'sqlite':
      return sqliteCall(val, name, call, anchor);
    default:
      return undefined;
  }
}

/** `mysql.createPool(…)`, `pg.Pool` is a member; `mongoose.model('User')`; `axios.get` through `import * as axios`. */
function moduleCall(val: Val, name: string, call: ClientCallNode): StepResult {
  if (!ts.isCallExpression(call)) return undefined;
  if (val.lib === 'mongoose' && name === 'model')
    return v({ lib: 'mongoose', role: 'model', model: call.arguments[0] ? entityName(call.arguments[0]) : undefined });
  if (val.lib === 'mysql2' && (name === 'createPool' || name === 'createPoolCluster')) return v({ lib: 'mysql2', role: 'client' });
  if (val.lib === 'mysql2' && name === 'createConnection') return v({ lib: 'mysql2', role: 'client', single: true });
  if (val.lib === 'redis' && (name === 'createClient' || name === 'createCluster')) return v({ lib: 'redis', role: 'client' });
  if (val.lib === 'typeorm') return typeormModuleCall(name, call);
  return undefined;
}
