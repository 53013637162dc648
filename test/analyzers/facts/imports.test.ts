import { ts } from '../../../src/analyzers/ts';
import { describe, expect, it } from 'vitest';
import { ImportTable, isShadowed } from '../../../src/analyzers/facts/imports';

function table(code: string): ImportTable {
  return new ImportTable(ts.createSourceFile('/a.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
}

describe('ImportTable', () => {
  it('maps import forms to their module and imported name', () => {
    const t = table(`
import fs from 'node:fs';
import * as cp from 'child_process';
import { readFileSync as read, statSync } from 'fs';
import zlib = require('zlib');
const crypto = require('crypto');
const { execSync } = require('node:child_process');
const promises = require('fs').promises;
`);
    expect(t.get('fs')).toEqual({ module: 'fs', imported: 'default' });
    expect(t.get('cp')).toEqual({ module: 'child_process', imported: '*' });
    expect(t.get('read')).toEqual({ module: 'fs', imported: 'readFileSync' });
    expect(t.get('statSync')).toEqual({ module: 'fs', imported: 'statSync' });
    expect(t.get('zlib')).toEqual({ module: 'zlib', imported: '*' });
    expect(t.get('crypto')).toEqual({ module: 'crypto', imported: '*' });
    expect(t.get('execSync')).toEqual({ module: 'child_process', imported: 'execSync' });
    expect(t.get('promises')).toEqual({ module: 'fs', imported: 'promises' });
    expect(t.imports('fs')).toBe(true);
    expect(t.imports('path')).toBe(false);
  });

  it('knows module-level instances made from imports', () => {
    const t = table(`
import { PrismaClient } from '@prisma/client';
import pg from 'pg';
import knex from 'knex';
import { createClient } from 'redis';
const prisma = new PrismaClient();
const pool = new pg.Pool();
const db = knex({ client: 'pg' });
const redis = await createClient().connect();
const local = new Map();
`);
    expect(t.get('prisma')).toEqual({ module: '@prisma/client', imported: 'PrismaClient', instanceOf: 'PrismaClient' });
    expect(t.get('pool')).toEqual({ module: 'pg', imported: 'default', instanceOf: 'Pool' });
    expect(t.get('db')).toEqual({ module: 'knex', imported: 'default', instanceOf: 'knex' });
    expect(t.get('redis')).toEqual({ module: 'redis', imported: 'createClient', instanceOf: 'createClient' });
    expect(t.get('local')).toBeUndefined();
  });

  it('sees a parameter or local declaration shadowing an import', () => {
    const code = `import fs from 'fs';\nfunction a(fs) { here(); }\nfunction b() { const fs = {}; here(); }\nfunction c() { here(); }`;
    const sourceFile = ts.createSourceFile('/a.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const markers: ts.Node[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.getText() === 'here') markers.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    expect(markers.map((m) => isShadowed('fs', m))).toEqual([true, true, false]);
  });
});
