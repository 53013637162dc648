import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileFacts } from '../../../src/analyzers/facts/fileFacts';
import type { FileKind } from '../../../src/analyzers/facts/fileKinds';
import { projectPath } from '../../../src/analyzers/facts/paths';
import { Analyzer } from '../../../src/analyzers/engine';
import { ts } from '../../../src/analyzers/ts';
import { ruleNamed } from '../../helpers/analyze';

// A project cloned under folders named like tooling conventions: `tools/` and `build/`.
const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-paths-')));
const project = path.join(base, 'tools', 'build', 'shop');
fs.mkdirSync(path.join(project, 'src'), { recursive: true });
fs.mkdirSync(path.join(project, 'scripts'), { recursive: true });
fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "shop" }');
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** Whether the file is of `kind`, as the engine decides it. */
function is(kind: FileKind, fileName: string): boolean {
  return new FileFacts(fileName, '', ts.createSourceFile(fileName, '', ts.ScriptTarget.Latest, true)).is(kind);
}

describe('projectPath', () => {
  it('is relative to the nearest package.json or .git, with / separators', () => {
    expect(projectPath(path.join(project, 'src', 'a.ts'))).toBe('src/a.ts');
    expect(projectPath(path.join(project, 'scripts', 'seed.ts'))).toBe('scripts/seed.ts');
  });

  it('is the whole path when there is no project root', () => {
    expect(projectPath('/no-such-root-perflens/scripts/x.ts')).toBe('/no-such-root-perflens/scripts/x.ts');
  });
});

describe('conventions are matched inside the project, not on the absolute path', () => {
  it('a project under tools/build/ is not tooling; its own scripts/ folder is', () => {
    expect(is('scripts', path.join(project, 'src', 'a.ts'))).toBe(false);
    expect(is('scripts', path.join(project, 'scripts', 'seed.ts'))).toBe(true);
  });

  it('so its async code is still analysed', () => {
    const analyzer = new Analyzer({ rules: [ruleNamed('sync-io-in-async')] });
    const code = `import fs from 'node:fs';\nexport async function load(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n`;
    expect(analyzer.analyzeText(path.join(project, 'src', 'a.ts'), code).findings).toHaveLength(1);
    expect(analyzer.analyzeText(path.join(project, 'scripts', 'a.ts'), code).findings).toHaveLength(0);
  });
});

describe('one notion of test code for every rule', () => {
  const inProject = (relative: string) => path.join(project, relative);
  it.each([
    'specs/checkout.ts',
    'playwright/login.ts',
    'src/Button.stories.tsx',
    '__fixtures__/orders.ts',
    'src/sum.bench.ts',
    'test/a.ts',
    'src/a.spec.ts',
  ])('%s is test code for every rule alike', (relative) => {
    expect(is('tests', inProject(relative))).toBe(true);
  });

  it.each(['src/testing.ts', 'src/specification.ts', 'src/routes/stories.ts'])('%s is application code', (relative) => {
    for (const kind of ['tests', 'scripts', 'migrations', 'build-config'] as const) expect(is(kind, inProject(relative))).toBe(false);
  });

  it('a package of the project that is itself a test runner’s folder (e2e/package.json) is test code throughout', () => {
    const e2e = path.join(project, 'e2e');
    fs.mkdirSync(path.join(e2e, 'helpers'), { recursive: true });
    fs.writeFileSync(path.join(e2e, 'package.json'), '{ "name": "shop-e2e" }');
    expect(projectPath(path.join(e2e, 'helpers', 'tunnel.ts'))).toBe('helpers/tunnel.ts');
    expect(is('tests', path.join(e2e, 'helpers', 'tunnel.ts'))).toBe(true);
    expect(is('tests', path.join(e2e, 'mock-rss-server.ts'))).toBe(true);
    // The app beside it is not, nor is a project whose own root folder happens to be called `test`.
    expect(is('tests', path.join(project, 'src', 'server.ts'))).toBe(false);
    const alone = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-alone-'))), 'test');
    fs.mkdirSync(path.join(alone, 'src'), { recursive: true });
    fs.writeFileSync(path.join(alone, 'package.json'), '{ "name": "test" }');
    try {
      expect(is('tests', path.join(alone, 'src', 'server.ts'))).toBe(false);
    } finally {
      fs.rmSync(path.dirname(alone), { recursive: true, force: true });
    }
  });

  it('scripts and migrations keep their own meaning on top of it', () => {
    expect(is('scripts', inProject('scripts/backfill.ts'))).toBe(true);
    expect(is('tests', inProject('scripts/backfill.ts'))).toBe(false);
    expect(is('migrations', inProject('migrations/001-init.ts'))).toBe(true);
    expect(is('tests', inProject('migrations/001-init.ts'))).toBe(false);
  });
});
