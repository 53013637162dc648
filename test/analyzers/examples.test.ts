/**
 * Every rule's documented examples are its first tests, held to the rule tester's standard: each
 * invalid example is reported exactly as its `errors` say (messageId, line, column), each valid one
 * not at all, and an example's `output` is what the safe fixes produce (without one, none is safe).
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/analyzers/registry';
import { ruleTester } from '../helpers/ruleTester';

describe.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s examples', (id, rule) => {
  const tester = ruleTester(id);
  const { invalid } = rule.meta.examples;
  const valid = rule.meta.examples.valid.map((e) => (typeof e === 'string' ? { code: e } : e));

  it('has at least one example of each kind', () => {
    expect(invalid.length).toBeGreaterThan(0);
    expect(valid.length).toBeGreaterThan(0);
  });

  it.each(invalid.map((example, i) => [i, example] as const))('reports invalid example %i', async (_i, example) => {
    const found = await tester.invalid(example);
    for (const finding of found) {
      // What and why, then what to do: whole sentences each, shown one after the other where there is one string.
      expect(finding.message).toMatch(/\.$/);
      if (finding.note !== undefined) expect(finding.note).toMatch(/^[A-Z`](?![^]*\{\{)[^]*\.$/);
    }
  });

  it.each(valid.map((example, i) => [i, example] as const))('stays quiet on valid example %i', (_i, example) => {
    tester.valid(example);
  });
});
