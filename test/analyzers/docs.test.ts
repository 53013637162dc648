/**
 * docs/rules/ and the README's rule table are generated from the rules' meta. This test fails
 * when one is stale or missing; `npm run docs` (UPDATE_DOCS=1) rewrites them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_RULES_BEGIN, README_RULES_END, renderReadmeRules, renderRuleDoc, renderRuleIndex } from '../../src/analyzers/docs';
import { FILE_KIND_DEFINITIONS } from '../../src/analyzers/facts/fileKinds';
import { allRules } from '../../src/analyzers/registry';

const docsDir = path.resolve(__dirname, '../../docs/rules');
const readme = path.resolve(__dirname, '../../README.md');
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

  it("the project README's rule table is current", () => {
    const text = fs.readFileSync(readme, 'utf8');
    const start = text.indexOf(README_RULES_BEGIN);
    const end = text.indexOf(README_RULES_END);
    expect(start, 'README.md has lost its rule table markers').toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const current = text.slice(start, end + README_RULES_END.length);
    const expected = renderReadmeRules(allRules);
    if (update) fs.writeFileSync(readme, text.replace(current, expected));
    else expect(current, 'the README rule table is stale: run `npm run docs`').toBe(expected);
  });

  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s.md lists where it is not reported', (_id, rule) => {
    const doc = renderRuleDoc(rule);
    const section = doc.slice(doc.indexOf('## Not reported'), doc.indexOf('## Turning it off'));
    for (const kind of rule.meta.scope?.skip ?? []) expect(section).toContain(FILE_KIND_DEFINITIONS[kind].label);
    for (const item of rule.meta.notReported ?? []) expect(section).toContain(`- ${item}.`);
    expect(section).toMatch(/^- /m);
  });
});

describe('rule meta', () => {
  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s lives in rules/<category>/<id>.ts or <id>/index.ts', (id, rule) => {
    const base = path.resolve(__dirname, `../../src/analyzers/rules/${rule.meta.category}/${id}`);
    expect(fs.existsSync(`${base}.ts`) || fs.existsSync(path.join(base, 'index.ts'))).toBe(true);
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
  });

  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s says what its fix writes, when it has one', (_id, rule) => {
    const { fix, fixForm } = rule.meta;
    if (fix === 'none') expect(fixForm).toBeUndefined();
    else expect(fixForm?.trim()).toBeTruthy();
  });

  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))(
    '%s has a one-sentence description of at most 160 characters',
    (_id, rule) => {
      const { description } = rule.meta;
      expect(description).toMatch(/\.$/);
      expect(description.slice(0, -1)).not.toMatch(/[.!?]\s/);
      expect(description.length).toBeLessThanOrEqual(160);
    },
  );

  it.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s keeps what it does not report out of howToFix', (_id, rule) => {
    expect(rule.meta.howToFix).not.toMatch(/not reported/i);
    for (const item of rule.meta.notReported ?? []) expect(item).not.toMatch(/\.$/);
  });
});
