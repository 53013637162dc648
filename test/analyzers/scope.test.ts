/**
 * A rule's `meta.scope` is applied by the engine: where it does not apply, the rule's check() is
 * never called. The fake rules below throw when called, so a call shows up as an error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analyzers/engine';
import type { FileKind } from '../../src/analyzers/facts/fileKinds';
import { defineRule, type Rule, type RuleScope } from '../../src/analyzers/rule';
import { virtualPath } from '../helpers/analyze';

function throwingRule(scope: RuleScope): Rule {
  return defineRule({
    meta: {
      id: 'throws-when-run',
      category: 'complexity',
      description: 'Throws when the engine runs it.',
      why: 'To prove where it runs.',
      howToFix: 'Nothing.',
      impact: 'low',
      effort: 'low',
      fix: 'none',
      scope,
      messages: { never: { message: 'never' } },
      examples: { invalid: [], valid: [] },
    },
    check() {
      throw new Error('check() was called');
    },
  });
}

/** True when the engine called the rule's check() on `fileName`. */
function ran(scope: RuleScope, fileName: string, code = 'export const a = 1;\n'): boolean {
  const analyzer = new Analyzer({ rules: [throwingRule(scope)] });
  const { errors } = analyzer.analyzeText(fileName, code);
  return errors.some((error) => error.rule === 'throws-when-run' && error.message.includes('check() was called'));
}

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-scope-')));
fs.writeFileSync(path.join(base, 'package.json'), JSON.stringify({ name: 'some-cli', bin: { some: 'cli.js' } }));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A file of each kind, and the code it needs to be one. */
const EXAMPLES: Record<FileKind, { fileName: string; code?: string }> = {
  tests: { fileName: virtualPath('src/orders.test.ts') },
  scripts: { fileName: virtualPath('scripts/backfill.ts') },
  migrations: { fileName: virtualPath('src/20220722000000-backfill.ts') },
  'build-config': { fileName: virtualPath('vite.config.ts') },
  'worker-threads': { fileName: virtualPath('src/thumbs.worker.ts') },
  'tool-packages': { fileName: path.join(base, 'src', 'index.ts') },
  'build-tool-importers': { fileName: virtualPath('src/plugin.ts'), code: `import { build } from 'esbuild';\nexport const a = build;\n` },
};

describe('the engine applies scope.skip', () => {
  it.each(Object.entries(EXAMPLES) as Array<[FileKind, { fileName: string; code?: string }]>)(
    'a rule that skips %s is not run on one, and is run on application code',
    (kind, { fileName, code }) => {
      expect(ran({ skip: [kind] }, fileName, code)).toBe(false);
      expect(ran({ skip: [kind] }, virtualPath('src/orders.ts'))).toBe(true);
    },
  );

  it('a rule that skips tests is not run on *.test.ts, and one that skips nothing is', () => {
    expect(ran({ skip: ['tests'] }, virtualPath('src/orders.test.ts'))).toBe(false);
    expect(ran({}, virtualPath('src/orders.test.ts'))).toBe(true);
  });
});

describe('the engine applies scope.triggers and scope.requires', () => {
  it('a rule whose trigger text is missing is not run', () => {
    expect(ran({ triggers: ['.sort('] }, virtualPath('src/a.ts'), 'export const xs = [2, 1];\n')).toBe(false);
  });

  it('one trigger of several is enough', () => {
    expect(ran({ triggers: ['.sort(', '.toSorted('] }, virtualPath('src/a.ts'), 'export const xs = [2, 1].toSorted();\n')).toBe(true);
  });

  it('requires must match as well as a trigger', () => {
    const scope: RuleScope = { triggers: ['setInterval'], requires: /readFile/ };
    expect(ran(scope, virtualPath('src/a.ts'), 'setInterval(() => 1, 10);\n')).toBe(false);
    expect(ran(scope, virtualPath('src/a.ts'), 'readFile("x");\n')).toBe(false);
    expect(ran(scope, virtualPath('src/a.ts'), 'readFile("x"); setInterval(() => 1, 10);\n')).toBe(true);
  });

  it('a global pattern gives the same answer on every file', () => {
    const analyzer = new Analyzer({ rules: [throwingRule({ requires: /readFile/g })] });
    const runs = [1, 2, 3].map(() => analyzer.analyzeText(virtualPath('src/a.ts'), 'readFile("x");\n').errors.length);
    expect(runs).toEqual([1, 1, 1]);
  });
});
