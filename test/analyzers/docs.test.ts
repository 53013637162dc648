/**
 * docs/rules/ is generated from the rules' meta. This test fails when a doc is stale or
 * missing; `npm run docs` (UPDATE_DOCS=1) rewrites them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRuleDoc, renderRuleIndex } from '../../src/analyzers/docs';
import { allRules } from '../../src/analyzers/registry';

const docsDir = path.resolve(__dirname, '../../docs/rules');
const update = process.env.UPDATE_DOCS === '1';

function check(file: string, expected: string): void {
  const target = path.join(docsDir, file);
  if (update) {
    fs.mkdirSync(docsDir, { recursive: true });
    fs.writeFileSync(target, expected);
    return;
  }
  const actual = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  expect(actual, `${file} is stale: run \`npm run docs\``).toBe(expected);
}

describe('rule docs', () => {
  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s.md is current', (id, rule) => {
    check(`${id}.md`, renderRuleDoc(rule));
  });

  it('README.md (the index) is current', () => {
    check('README.md', renderRuleIndex(allRules));
  });

  it('has no doc for a rule that no longer exists', () => {
    const known = new Set(allRules.map((rule) => `${rule.meta.id}.md`));
    const present = fs.existsSync(docsDir) ? fs.readdirSync(docsDir).filter((f) => f.endsWith('.md') && f !== 'README.md') : [];
    expect(present.filter((f) => !known.has(f))).toEqual([]);
  });
});

describe('rule meta', () => {
  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s lives in rules/<category>/<id>.ts or <id>/index.ts', (id, rule) => {
    const base = path.resolve(__dirname, `../../src/analyzers/rules/${rule.meta.category}/${id}`);
    expect(fs.existsSync(`${base}.ts`) || fs.existsSync(path.join(base, 'index.ts'))).toBe(true);
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(rule.meta.description).toMatch(/\.$/);
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
  });
});
