import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileFacts } from '../../../src/analyzers/facts/fileFacts';
import { FILE_KINDS, type FileKind } from '../../../src/analyzers/facts/fileKinds';
import { ts } from '../../../src/analyzers/ts';

/** Every kind `fileName` (with `text`) is of. */
function kindsOf(fileName: string, text = ''): FileKind[] {
  const facts = new FileFacts(fileName, text, ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true));
  return FILE_KINDS.filter((kind) => facts.is(kind));
}

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-kinds-')));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A package with the given package.json under the temporary folder; gives a file name inside it. */
function inPackage(name: string, manifest: object, relative = 'src/index.ts'): string {
  const root = path.join(base, name);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest));
  return path.join(root, relative);
}

describe('file kinds', () => {
  it('tests, by folder or by name', () => {
    expect(kindsOf('/p/src/a.test.ts')).toContain('tests');
    expect(kindsOf('/p/__tests__/a.ts')).toContain('tests');
    expect(kindsOf('/p/src/Button.stories.tsx')).toContain('tests');
    expect(kindsOf('/p/src/testing.ts')).toEqual([]);
    expect(kindsOf('/virtual-perflens-test/example.ts')).toEqual([]);
  });

  it('scripts: a #! line, a script folder, a build script by name', () => {
    expect(kindsOf('/p/src/cli.ts', '#!/usr/bin/env node\n')).toEqual(['scripts']);
    expect(kindsOf('/p/scripts/backfill.ts')).toEqual(['scripts']);
    expect(kindsOf('/p/postinstall.mjs')).toEqual(['scripts']);
  });

  it('migrations and seeds, by folder, timestamp or name; their folders are scripts too', () => {
    expect(kindsOf('/p/migrations/001-init.ts')).toEqual(['scripts', 'migrations']);
    expect(kindsOf('/p/src/20220722000000-backfill.ts')).toEqual(['migrations']);
    expect(kindsOf('/p/src/runMigrations.ts')).toEqual(['migrations']);
    expect(kindsOf('/p/src/seedUsers.ts')).toEqual(['migrations']);
  });

  it('a file of a routes folder is a route whatever a word in its name or a folder below says', () => {
    expect(kindsOf('/p/app/routes/admin.api.v1.migrate-queues.ts')).toEqual([]);
    expect(kindsOf('/p/app/routes/seed-demo.tsx')).toEqual([]);
    expect(kindsOf('/p/src/app/api/migrations/route.ts')).toEqual([]);
    expect(kindsOf('/p/pages/api/tools/release.ts')).toEqual([]);
    expect(kindsOf('/p/src/routes/admin/migrate/+server.ts')).toEqual([]);
    // The same words outside a routes folder still say what the file is.
    expect(kindsOf('/p/app/lib/migrate-queues.ts')).toEqual(['migrations']);
    expect(kindsOf('/p/app/migrations/001-queues.ts')).toEqual(['scripts', 'migrations']);
    expect(kindsOf('/p/src/tools/release.ts')).toEqual(['scripts']);
  });

  it('build config, by name', () => {
    expect(kindsOf('/p/vite.config.ts')).toEqual(['build-config']);
    expect(kindsOf('/p/webpack.prod.js')).toEqual(['build-config']);
    expect(kindsOf('/p/src/config.ts')).toEqual([]);
  });

  it('worker threads, by name or by what the file uses', () => {
    expect(kindsOf('/p/src/resize.ts', `import { parentPort } from 'node:worker_threads';`)).toEqual(['worker-threads']);
    expect(kindsOf('/p/src/thumbs.worker.ts')).toEqual(['worker-threads']);
    // A web worker's folder; a server's queue workers/ folder is not one (its jobs run on that process's event loop).
    expect(kindsOf('/p/src/app/web-workers/python/worker/core.ts')).toEqual(['worker-threads']);
    expect(kindsOf('/p/src/app/pythonWebWorker/worker/core.ts')).toEqual(['worker-threads']);
    expect(kindsOf('/p/src/workers/email.ts')).toEqual([]);
    expect(kindsOf('/p/src/pool.ts', `import { Worker } from 'node:worker_threads'; new Worker('./w.js');`)).toEqual([]);
  });

  it('files that import a bundler or dev server', () => {
    expect(kindsOf('/p/src/plugin.ts', `import type { ViteDevServer } from 'vite';`)).toEqual(['build-tool-importers']);
    expect(kindsOf('/p/src/app.ts', `import express from 'express';`)).toEqual([]);
  });

  it('tool packages, from the nearest package.json', () => {
    expect(kindsOf(inPackage('a-cli', { name: 'a-cli', bin: { a: 'bin.js' } }))).toEqual(['tool-packages']);
    expect(kindsOf(inPackage('plugin', { name: 'plugin', dependencies: { vite: '5' } }))).toEqual(['tool-packages']);
    // A server that ships a bin to start it is still a server.
    expect(kindsOf(inPackage('server', { name: 'server', bin: 'start.js', dependencies: { express: '4' } }))).toEqual([]);
    expect(kindsOf(inPackage('library', { name: 'library' }))).toEqual([]);
  });
});
