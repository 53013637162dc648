/**
 * The rewrite harness: every rule's documented examples, reported and quiet, through each family of
 * semantics-preserving rewrites (test/helpers/rewrites/), must keep their verdict — the same message ids, counted.
 * A rule that does not see through a family yet says so in `meta.rewrites.except` with its reason; the test then
 * checks that the family still changes a verdict, so an exception cannot outlive its cause.
 * `npm run rewrites` prints the invariance table (docs/precision/rewrites.md).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/analyzers/registry';
import { REWRITE_FAMILIES, type RewriteFamily } from '../../src/analyzers/rule';
import { runFamily, type FamilyOutcome } from '../helpers/rewrites/verdict';

const FAMILIES = Object.keys(REWRITE_FAMILIES) as RewriteFamily[];
const table = new Map<string, Map<RewriteFamily, FamilyOutcome>>();

describe.each(allRules.map((rule) => [rule.meta.id, rule] as const))('%s under rewrites', (id, rule) => {
  it.each(FAMILIES)('%s', (family) => {
    const outcome = runFamily(rule, family);
    if (!table.has(id)) table.set(id, new Map());
    table.get(id)!.set(family, outcome);
    const reason = rule.meta.rewrites?.except[family];
    const shown = outcome.failures.map((f) => `${f.example}: [${f.before.join(', ')}] → [${f.after.join(', ')}]\n${f.snippet.code}`);
    if (reason === undefined) expect(shown, `${id} changes its verdict under ${family}`).toEqual([]);
    else expect(outcome.fail, `${id} declares ${family} an exception but keeps every verdict: remove it`).toBeGreaterThan(0);
  });
});

afterAll(() => {
  if (process.env.REWRITE_TABLE !== '1' || table.size === 0) return;
  const cell = (o: FamilyOutcome | undefined): string => (o ? `${o.pass} / ${o.fail} / ${o.notApplicable}` : '');
  const lines = [`| rule | ${FAMILIES.join(' | ')} |`, `|---|${FAMILIES.map(() => '---').join('|')}|`];
  const totals = new Map<RewriteFamily, FamilyOutcome>(FAMILIES.map((f) => [f, { pass: 0, fail: 0, notApplicable: 0, failures: [] }]));
  for (const [id, byFamily] of [...table].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| ${id} | ${FAMILIES.map((f) => cell(byFamily.get(f))).join(' | ')} |`);
    for (const f of FAMILIES) {
      const o = byFamily.get(f);
      const t = totals.get(f)!;
      if (o) {
        t.pass += o.pass;
        t.fail += o.fail;
        t.notApplicable += o.notApplicable;
      }
    }
  }
  lines.push(`| **all rules** | ${FAMILIES.map((f) => `**${cell(totals.get(f))}**`).join(' | ')} |`);
  console.log(`\nInvariance per rule and family: pass / fail / not applicable (examples × variants)\n\n${lines.join('\n')}\n`);
});
