/**
 * Every rule's documented examples are its first tests: each invalid example is reported
 * exactly as often as it says (once by default), each valid one not at all, and an example's
 * `output` is what the safe fixes produce.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/analyzers/registry';
import { applySafeFixes, findings } from '../helpers/analyze';

describe.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s examples', (id, rule) => {
  const invalid = rule.meta.examples.invalid.map((e) => (typeof e === 'string' ? { code: e } : e));
  const valid = rule.meta.examples.valid.map((e) => (typeof e === 'string' ? { code: e } : e));

  it('has at least one example of each kind', () => {
    expect(invalid.length).toBeGreaterThan(0);
    expect(valid.length).toBeGreaterThan(0);
  });

  it.each(invalid.map((example, i) => [i, example] as const))('reports invalid example %i', (_i, example) => {
    const found = findings(example.code, { rule: id, filename: example.filename });
    expect(
      found.map((f) => f.message),
      example.code,
    ).toHaveLength(example.count ?? 1);
    for (const finding of found) {
      expect(finding.message).not.toMatch(/\{\{/);
      // What and why, then what to do: whole sentences each, shown one after the other where there is one string.
      expect(finding.message).toMatch(/\.$/);
      if (finding.note !== undefined) expect(finding.note).toMatch(/^[A-Z`](?![^]*\{\{)[^]*\.$/);
    }
    if (example.output !== undefined) {
      expect(applySafeFixes(example.code, id, example.filename)).toBe(example.output);
    } else {
      // An example without `output` documents that no safe fix applies.
      expect(
        found.flatMap((f) => f.fixes).filter((fix) => fix.safe),
        'a safe fix exists: add `output` to the example',
      ).toHaveLength(0);
    }
  });

  it.each(valid.map((example, i) => [i, example] as const))('stays quiet on valid example %i', (_i, example) => {
    const found = findings(example.code, { rule: id, filename: example.filename });
    expect(
      found.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.message}`),
      example.code,
    ).toEqual([]);
  });
});
