/**
 * Imports of a monorepo's own packages and of tsconfig aliases resolve to the project's files (so a
 * helper in one package called from a route in another gets the route's context), and every other
 * package stays a package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/tempTree';
import { Analyzer } from '../../src/analyzers/engine';
import { ProjectHost } from '../../src/analyzers/project';
import { pnpmPackages } from '../../src/analyzers/workspace';
import { ruleNamed } from '../helpers/analyze';

const { root, write } = tempTree('perflens-workspace-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const json = (value: unknown): string => JSON.stringify(value, null, 2);

describe('workspace packages (npm/yarn `workspaces`)', () => {
  const repo = 'npm';
  write(`${repo}/package.json`, json({ name: 'root', private: true, workspaces: ['apps/*', 'packages/*'] }));
  write(`${repo}/packages/lib/package.json`, json({ name: '@acme/lib', main: './index.ts', types: './index.ts' }));
  const libIndex = write(`${repo}/packages/lib/index.ts`, `export * from './orders';\n`);
  const orders = write(`${repo}/packages/lib/server-only/orders.ts`, 'export const listOrders = () => [];\n');
  write(
    `${repo}/packages/db/package.json`,
    json({ name: '@acme/db', exports: { '.': { types: './dist/index.d.ts', import: './src/index.ts' }, './schema': './src/schema.ts' } }),
  );
  const dbIndex = write(`${repo}/packages/db/src/index.ts`, 'export const db = {};\n');
  const schema = write(`${repo}/packages/db/src/schema.ts`, 'export const users = {};\n');
  // `exports` naming a build output that was never built: the source at the subpath is taken.
  write(`${repo}/packages/ui/package.json`, json({ name: '@acme/ui', exports: { './*': './dist/*.js' } }));
  const button = write(`${repo}/packages/ui/src/button.tsx`, 'export const Button = () => null;\n');
  const route = write(`${repo}/apps/web/routes/orders.ts`, '');

  it('a package name and a subpath name its files; its `exports` conditions are TypeScript’s', () => {
    const host = new ProjectHost();
    expect(host.resolveImport(route, '@acme/lib')).toBe(libIndex);
    expect(host.resolveImport(route, '@acme/lib/server-only/orders')).toBe(orders);
    expect(host.resolveImport(route, '@acme/db')).toBe(dbIndex);
    expect(host.resolveImport(route, '@acme/db/schema')).toBe(schema);
    expect(host.resolveImport(route, '@acme/ui/button')).toBe(button);
  });

  it('other packages, and names the workspace does not declare, stay packages', () => {
    const host = new ProjectHost();
    expect(host.resolveImport(route, 'react')).toBeUndefined();
    expect(host.resolveImport(route, '@acme/unknown')).toBeUndefined();
    expect(host.resolveImport(route, '@acme/lib/server-only/missing')).toBeUndefined();
  });

  it('the importer index counts an import by package name', () => {
    const importer = write(`${repo}/apps/web/routes/list.ts`, `import { listOrders } from '@acme/lib/server-only/orders';\n`);
    const host = new ProjectHost();
    host.setProjectFiles([importer, orders]);
    expect(host.importers(orders)).toEqual([importer]);
  });
});

describe('pnpm-workspace.yaml', () => {
  it('reads the top-level packages list, block or flow, quoted or not, with comments', () => {
    expect(pnpmPackages(`packages:\n  - "apps/api"\n  - 'packages/*' # libraries\n  - tools/**\n\ncatalog:\n  - not-a-package\n`)).toEqual([
      'apps/api',
      'packages/*',
      'tools/**',
    ]);
    expect(pnpmPackages(`packages: ['apps/*', "!apps/legacy"]\n`)).toEqual(['apps/*', '!apps/legacy']);
    expect(pnpmPackages('# nothing\n')).toEqual([]);
  });

  it('its packages resolve; a `!` pattern leaves a folder out', () => {
    const repo = 'pnpm';
    write(`${repo}/pnpm-workspace.yaml`, `packages:\n  - "apps/*"\n  - "packages/*"\n  - "!packages/legacy"\n`);
    write(`${repo}/package.json`, json({ name: 'root' }));
    write(
      `${repo}/packages/server/package.json`,
      json({ name: '@app/server', main: './src/index.ts', exports: { '.': './src/index.ts', './db': { import: './src/db/index.ts' } } }),
    );
    const db = write(`${repo}/packages/server/src/db/index.ts`, 'export const db = {};\n');
    write(`${repo}/packages/legacy/package.json`, json({ name: '@app/legacy', main: './index.ts' }));
    write(`${repo}/packages/legacy/index.ts`, 'export {};\n');
    const from = write(`${repo}/apps/api/src/main.ts`, '');
    const host = new ProjectHost();
    expect(host.resolveImport(from, '@app/server/db')).toBe(db);
    expect(host.resolveImport(from, '@app/legacy')).toBeUndefined();
  });
});

describe('tsconfig paths and baseUrl', () => {
  const repo = 'paths';
  write(
    `${repo}/tsconfig.base.json`,
    `{\n  // comments are allowed\n  "compilerOptions": { "paths": { "~/*": ["./app/*"], "@server/*": ["./server/src/*"] } }\n}`,
  );
  write(`${repo}/web/tsconfig.json`, json({ extends: '../tsconfig.base.json', compilerOptions: { strict: true } }));
  write(`${repo}/lib/tsconfig.json`, json({ compilerOptions: { baseUrl: '.' } }));
  const util = write(`${repo}/app/utils/format.ts`, 'export const format = () => "";\n');
  const service = write(`${repo}/server/src/users.ts`, 'export const users = () => [];\n');
  const helper = write(`${repo}/lib/shared/helper.js`, 'exports.helper = () => 1;\n');

  it('an alias of an extended tsconfig resolves relative to the config that declares it', () => {
    const host = new ProjectHost();
    const from = write(`${repo}/web/page.ts`, '');
    expect(host.resolveImport(from, '~/utils/format')).toBe(util);
    expect(host.resolveImport(from, '@server/users')).toBe(service);
    expect(host.resolveImport(from, '@server/missing')).toBeUndefined();
  });

  it('baseUrl alone: a bare path is a project file when it is there, a package otherwise', () => {
    const host = new ProjectHost();
    const from = write(`${repo}/lib/index.ts`, '');
    expect(host.resolveImport(from, 'shared/helper')).toBe(helper);
    expect(host.resolveImport(from, 'lodash')).toBeUndefined();
  });
});

describe('context across workspace packages', () => {
  const repo = 'context';
  write(`${repo}/package.json`, json({ name: 'root', private: true, workspaces: ['apps/*', 'packages/*'] }));
  write(`${repo}/packages/lib/package.json`, json({ name: '@shop/lib', main: './index.ts' }));
  const service = write(
    `${repo}/packages/lib/server-only/owners.ts`,
    `import { prisma } from './prisma';
export async function notifyOwners(ids: string[]) {
  for (const id of ids) {
    await prisma.user.update({ where: { id }, data: { notified: true } });
  }
}
`,
  );
  write(
    `${repo}/packages/lib/server-only/prisma.ts`,
    `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`,
  );

  function analyse(routeText: string) {
    const route = write(`${repo}/apps/web/routes/owners.ts`, routeText);
    const analyzer = new Analyzer({ rules: [ruleNamed('query-in-loop')], syntaxErrors: 'skip' });
    analyzer.host.setProjectFiles([route, service]);
    return analyzer.analyzeFile(service).findings;
  }

  it('a helper of a workspace package called from a route in an app runs on that request', () => {
    const [finding] = analyse(`import express from 'express';
import { notifyOwners } from '@shop/lib/server-only/owners';
export const router = express.Router();
router.post('/owners/notify', async (req, res) => res.json(await notifyOwners(req.body.ids)));
`);
    expect(finding.evidence).toMatchObject({ context: 'request', scale: 'grows' });
    expect(finding.evidence.reasons.at(-1)).toMatch(
      /^runs in the POST \/owners\/notify handler, which calls notifyOwners\(\) in .*apps\/web\/routes\/owners\.ts:4$/,
    );
    // The ids are request input: as many as the client sends, info (evidence.test.ts moves it both ways).
    expect(finding.severity).toBe('info');
  });

  it('called from a script that is no request: the context stays unknown', () => {
    const [finding] = analyse(`import { notifyOwners } from '@shop/lib/server-only/owners';
export async function once(ids: string[]) {
  await notifyOwners(ids);
}
`);
    expect(finding.evidence.context).toBe('unknown');
    expect(finding.evidence.reasons).toContain('no request handler or job found around it or among its callers in the project');
    expect(finding.severity).toBe('info');
  });
});

describe('the importer index, kept up to date', () => {
  it('an edit that adds or removes an import changes the importers at once, and the index version with it', () => {
    const target = write('index/lib/users.ts', 'export const users = () => [];\n');
    const page = write('index/app/page.ts', 'export const page = 1;\n');
    const host = new ProjectHost();
    host.setProjectFiles([target, page]);
    expect(host.importers(target)).toEqual([]);
    const version = host.importersVersion();
    host.setOverlay(page, `import { users } from '../lib/users';\nexport const page = users();\n`);
    expect(host.importers(target)).toEqual([page]);
    expect(host.importersVersion()).toBeGreaterThan(version);
    // Text that keeps the same imports leaves the version alone.
    const after = host.importersVersion();
    host.setOverlay(page, `import { users } from '../lib/users';\nexport const page = users().length;\n`);
    expect(host.importersVersion()).toBe(after);
    // Closing the unsaved document: the disk's text (no import) counts again.
    host.forget(page);
    expect(host.importers(target)).toEqual([]);
    // A file new to the project joins it when opened.
    const fresh = path.join(root, 'index/app/new.ts');
    host.setOverlay(fresh, `import { users } from '../lib/users';\n`);
    expect(host.importers(target)).toEqual([fresh]);
  });
});

describe('bad manifests', () => {
  it('a broken package.json, tsconfig or package manifest leaves those imports unresolved, and nothing throws', () => {
    write('broken/package.json', '{ "workspaces": ["packages/*"], ');
    write('broken/tsconfig.json', '{ "compilerOptions": { "paths": { "~/*": [');
    const from = write('broken/src/a.ts', '');
    const host = new ProjectHost();
    expect(host.resolveImport(from, '~/x')).toBeUndefined();
    expect(host.resolveImport(from, '@broken/lib')).toBeUndefined();

    write('half/package.json', json({ workspaces: ['packages/*'] }));
    write('half/packages/bad/package.json', 'not json');
    write('half/packages/good/package.json', json({ name: 'good', main: 'index.js' }));
    const good = write('half/packages/good/index.js', 'module.exports = {};\n');
    // `exports` of an unexpected shape: TypeScript's resolution gives up, the subpath fallback answers.
    write('half/packages/odd/package.json', json({ name: 'odd', exports: 42 }));
    const odd = write('half/packages/odd/lib/x.ts', 'export {};\n');
    const fromHalf = write('half/app.ts', '');
    expect(host.resolveImport(fromHalf, 'good')).toBe(good);
    expect(host.resolveImport(fromHalf, 'odd/lib/x')).toBe(odd);
  });
});
