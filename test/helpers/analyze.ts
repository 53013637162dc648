import { Analyzer, type AnalyzerOptions } from '../../src/analyzers/engine';
import type { Finding } from '../../src/analyzers/finding';
import { applySafeFixesRepeatedly } from '../../src/analyzers/fixes';
import { syntaxErrors } from '../../src/analyzers/project';
import { rulesById } from './rules';
import type { Rule } from '../../src/analyzers/rule';

/** Where in-memory test files pretend to live: no tsconfig above it, nothing on disk. */
const VIRTUAL_ROOT = '/virtual-perflens-test';

export function virtualPath(filename = 'example.ts'): string {
  return `${VIRTUAL_ROOT}/${filename}`;
}

export function ruleNamed(id: string): Rule {
  const rule = rulesById.get(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** The whole text a finding shows: what is wrong and why, then what to do (as SARIF and the CLI print it). */
export function shownText(finding: Finding): string {
  return finding.note === undefined ? finding.message : `${finding.message} ${finding.note}`;
}

/** Findings of one rule (or all) on `code`. */
export function findings(code: string, options: { rule?: string; filename?: string } & AnalyzerOptions = {}): Finding[] {
  const analyzer = new Analyzer({ syntaxErrors: 'skip', ...options, rules: options.rule ? [ruleNamed(options.rule)] : options.rules });
  const result = analyzer.analyzeText(virtualPath(options.filename), code);
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.findings;
}

/** The text after applying every safe fix of `rule`, repeatedly, as `--fix` does. */
export function applySafeFixes(code: string, rule: string, filename?: string): string {
  const analyzer = new Analyzer({ rules: [ruleNamed(rule)], syntaxErrors: 'analyze' });
  const file = virtualPath(filename);
  const result = applySafeFixesRepeatedly(code, (text) => {
    const analysis = analyzer.analyzeText(file, text);
    const parses = syntaxErrors(analyzer.host.parse(file, text)).length === 0;
    return { fixes: analysis.findings.flatMap((f) => f.fixes), parses };
  });
  if (result.refused) throw new Error(result.refused);
  return result.text;
}

/**
 * Findings of one rule on `entry` of a small in-memory project: every file is an editor overlay
 * under the virtual root, so cross-file facts (what an imported function does) can read the others.
 */
export function projectFindings(files: Record<string, string>, entry: string, rule: string, options: AnalyzerOptions = {}): Finding[] {
  const analyzer = new Analyzer({ syntaxErrors: 'skip', ...options, rules: [ruleNamed(rule)] });
  for (const [name, text] of Object.entries(files)) analyzer.host.setOverlay(virtualPath(name), text);
  // The files make the project, as a scan's files do: "who calls this?" looks in all of them.
  analyzer.host.setProjectFiles(Object.keys(files).map(virtualPath));
  const result = analyzer.analyzeText(virtualPath(entry), files[entry]);
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.findings;
}
