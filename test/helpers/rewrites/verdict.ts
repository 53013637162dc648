/**
 * What the rewrite harness compares: a rule's verdict on a snippet — the message ids it reports, counted, over every
 * file of the snippet's in-memory project (a helper moved out takes its findings with it; positions may move).
 */
import { Analyzer } from '../../../src/analyzers/engine';
import { syntaxErrors } from '../../../src/analyzers/project';
import type { Rule, RewriteFamily } from '../../../src/analyzers/rule';
import { virtualPath } from '../analyze';
import { REWRITES } from './index';
import type { Snippet } from './source';

function verdict(rule: Rule, snippet: Snippet): string[] {
  const analyzer = new Analyzer({ syntaxErrors: 'skip', rules: [rule] });
  const files: Record<string, string> = { ...snippet.files, [snippet.filename]: snippet.code };
  for (const [name, text] of Object.entries(files)) {
    // A rewrite that breaks the syntax is a bug of the rewrite, not a finding about the rule.
    const errors = syntaxErrors(analyzer.host.parse(virtualPath(name), text));
    if (errors.length > 0) throw new Error(`a rewrite left a syntax error in ${name}: ${String(errors[0].messageText)}\n${text}`);
    analyzer.host.setOverlay(virtualPath(name), text);
  }
  analyzer.host.setProjectFiles(Object.keys(files).map(virtualPath));
  const ids: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const result = analyzer.analyzeText(virtualPath(name), text);
    if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('; '));
    ids.push(...result.findings.map((finding) => finding.messageId));
  }
  return ids.sort();
}

export interface FamilyOutcome {
  pass: number;
  fail: number;
  /** Examples the family has no site in. */
  notApplicable: number;
  /** Each failing variant: which example, what the rule said before and after, the rewritten code. */
  failures: Array<{ example: string; before: string[]; after: string[]; snippet: Snippet }>;
}

/** Every example of the rule through one family: a variant passes when the verdict is the example's own. */
export function runFamily(rule: Rule, family: RewriteFamily): FamilyOutcome {
  const outcome: FamilyOutcome = { pass: 0, fail: 0, notApplicable: 0, failures: [] };
  const { invalid, valid } = rule.meta.examples;
  const examples = [
    ...invalid.map((e, i) => ({ label: `invalid example ${i}`, code: e.code, filename: e.filename })),
    ...valid.map((e, i) =>
      typeof e === 'string' ? { label: `valid example ${i}`, code: e, filename: undefined } : { label: `valid example ${i}`, ...e },
    ),
  ];
  for (const example of examples) {
    const snippet: Snippet = { filename: example.filename ?? 'example.ts', code: example.code, files: {} };
    const variants = REWRITES[family](snippet);
    if (variants.length === 0) {
      outcome.notApplicable++;
      continue;
    }
    const before = verdict(rule, snippet);
    for (const variant of variants) {
      const after = verdict(rule, variant);
      if (after.join() === before.join()) outcome.pass++;
      else {
        outcome.fail++;
        outcome.failures.push({ example: example.label, before, after, snippet: variant });
      }
    }
  }
  return outcome;
}
