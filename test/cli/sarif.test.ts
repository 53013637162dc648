/** `--format sarif`: valid against the official SARIF 2.1.0 schema, and complete enough to act on. */
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { renderSarifMessage, validSarif } from '../helpers/sarif';
import { version } from '../../package.json';
import { docsUrl } from '../../src/analyzers/registry';
import { rulesById } from '../helpers/rules';
import type { Rule } from '../../src/analyzers/rule';
import { BLOCKING_EXEC, BLOCKING_READ, read, run, workspace } from './helpers';
import { crashes, shrink, suggestion } from './fakeRules';

const syncIo = rulesById.get('sync-io-in-async') as Rule;
const rules = [syncIo, shrink, suggestion, crashes];

function sarif(argv: string[], cwd: string): { code: number; log: Sarif.Log } {
  // Infos too: --min-severity filters SARIF as it does every format.
  const result = run(['scan', '--format', 'sarif', '--min-severity', 'info', ...argv], { cwd, rules });
  expect(result.stderr).toBe('');
  return { code: result.code, log: validSarif(result.stdout) };
}

function everything(): string {
  return workspace({
    'src/load.ts': BLOCKING_READ,
    'src/exec.ts': BLOCKING_EXEC,
    'src/my file.ts': 'export const suggestMe = 1;\nexport const xx = 2;\n',
    'src/broken.ts': 'const x = {;\n',
    'src/crash.ts': 'export function boom() {}\n',
    'src/blob.js': Buffer.from([0]),
    '.perflensrc.json': '{ "rules": { "shrink": "info", "suggestion": "error" } }',
  });
}

describe('sarif format', () => {
  it('is valid SARIF 2.1.0 for a scan with findings, fixes, errors and skipped files', () => {
    expect(sarif([], everything()).code).toBe(1);
  });

  it('is valid SARIF 2.1.0 for a clean scan', () => {
    const { code, log } = sarif([], workspace({ 'a.ts': 'export const x = 1;\n' }));
    expect(code).toBe(0);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('fails the schema check on a broken log (the validator really validates)', () => {
    const { log } = sarif([], everything());
    (log.runs[0].results as Array<{ level: string }>)[0].level = 'warn';
    expect(() => validSarif(JSON.stringify(log))).toThrow(/invalid SARIF/);
  });

  it('describes the tool and every rule that ran', () => {
    const { log } = sarif([], everything());
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'PerfLens', version, informationUri: 'https://github.com/perflens/perflens' });
    expect(driver.rules?.map((rule) => rule.id)).toEqual(['sync-io-in-async', 'shrink', 'suggestion', 'crashes']);
    expect(driver.rules?.[0]).toEqual({
      id: 'sync-io-in-async',
      name: 'SyncIoInAsync',
      shortDescription: { text: syncIo.meta.description },
      fullDescription: { text: `${syncIo.meta.description} ${syncIo.meta.why}` },
      help: {
        text: expect.stringContaining(syncIo.meta.howToFix),
        markdown: expect.stringContaining(`**How to fix:** ${syncIo.meta.howToFix}`),
      },
      helpUri: docsUrl('sync-io-in-async'),
      messageStrings: { blocking: { text: expect.any(String) } },
      defaultConfiguration: { level: 'warning' },
      properties: { category: 'sync-io', impact: syncIo.meta.impact, effort: syncIo.meta.effort, tags: ['performance', 'sync-io'] },
    });
    expect(driver.rules?.[0].help?.text).toContain(syncIo.meta.why);
    // Where the rule stays quiet: the kinds of file its scope skips, then its own list.
    expect(driver.rules?.[0].help?.text).toContain('Not reported: In tests, scripts, build config, tool packages and build plugins; ');
    expect(driver.rules?.[0].help?.markdown).toContain(`- ${syncIo.meta.notReported?.[0]}`);
  });

  it('gives each result its rule, level, message and a location relative to %SRCROOT%', () => {
    const root = everything();
    const { log } = sarif([], root);
    const run0 = log.runs[0];
    expect(run0.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `file://${root}/` } });
    const results = run0.results ?? [];
    expect(results.map((r) => [r.ruleId, r.level, r.locations?.[0].physicalLocation?.artifactLocation?.uri])).toEqual([
      ['sync-io-in-async', 'note', 'src/exec.ts'],
      ['sync-io-in-async', 'note', 'src/load.ts'],
      ['suggestion', 'error', 'src/my%20file.ts'],
      ['shrink', 'note', 'src/my%20file.ts'],
    ]);
    for (const result of results) {
      expect(run0.tool.driver.rules?.[result.ruleIndex as number].id).toBe(result.ruleId);
      expect(result.locations?.[0].physicalLocation?.artifactLocation?.uriBaseId).toBe('%SRCROOT%');
      expect(result.message.text).toBeTruthy();
    }
    expect(results[1].locations?.[0].physicalLocation?.region).toEqual({ startLine: 4, startColumn: 16, endLine: 4, endColumn: 65 });
    // The note follows the message in the one text viewers show (its first sentence when space is short).
    expect(results[2].message.text).toBe('suggestMe found by suggestion Rename suggestMe.');
    expect(results[3].message.text).toBe('xx found by shrink');
  });

  it("names each result's message by id; the rule's message string filled with the arguments is the text", () => {
    const { log } = sarif([], everything());
    const run0 = log.runs[0];
    const results = run0.results ?? [];
    expect(results.map((r) => [r.ruleId, r.message.id, r.message.arguments])).toEqual([
      ['sync-io-in-async', 'blocking', expect.any(Array)],
      ['sync-io-in-async', 'blocking', expect.any(Array)],
      ['suggestion', 'found', ['suggestMe']],
      ['shrink', 'found', ['xx']],
    ]);
    for (const result of results) {
      const template = run0.tool.driver.rules?.[result.ruleIndex as number].messageStrings?.[result.message.id as string];
      expect(renderSarifMessage(template?.text ?? '', result.message.arguments ?? [])).toBe(result.message.text);
    }
  });

  it("carries the fixes of a finding, by offset and by line/column, and only that finding's", () => {
    const root = everything();
    const { log } = sarif([], root);
    const results = log.runs[0].results ?? [];
    expect(results[0].fixes).toBeUndefined();
    const fix = results[1].fixes?.[0] as Sarif.Fix;
    expect(fix.artifactChanges).toHaveLength(1);
    expect(fix.artifactChanges[0].artifactLocation).toEqual({ uri: 'src/load.ts', uriBaseId: '%SRCROOT%' });
    const [replacement] = fix.artifactChanges[0].replacements;
    const text = read(root, 'src/load.ts');
    const region = replacement.deletedRegion;
    const offset = region.charOffset as number;
    // Applying the replacement by offset gives the fixed code ...
    const fixed = text.slice(0, offset) + (replacement.insertedContent?.text ?? '') + text.slice(offset + (region.charLength as number));
    expect(fixed).toContain("const html = await fs.promises.readFile(`templates/${name}.html`, 'utf8');");
    // ... and line/column say the same place.
    const lines = text.split('\n');
    expect(lines[(region.startLine as number) - 1].slice((region.startColumn as number) - 1)).toMatch(/^fs\.readFileSync\(/);
    // Only the callee is replaced (the arguments keep their text): the region ends after `fs.readFileSync`.
    expect(region.endLine).toBe(4);
    expect(lines[3].slice(0, (region.endColumn as number) - 1)).toMatch(/fs\.readFileSync$/);
    expect(results[2].fixes?.[0].description?.text).toBe('Rename it (suggestion: review before applying)');
  });

  it('reports unreadable and skipped files as tool notifications; a crashed rule marks the run unsuccessful', () => {
    const { log } = sarif([], everything());
    const [invocation] = log.runs[0].invocations ?? [];
    expect(invocation.executionSuccessful).toBe(false);
    const notes = (invocation.toolExecutionNotifications ?? []).map((n) => ({
      level: n.level,
      text: n.message.text,
      uri: n.locations?.[0].physicalLocation?.artifactLocation?.uri,
      rule: n.associatedRule,
    }));
    expect(notes).toEqual([
      { level: 'error', text: 'syntax error at 1:12: Property assignment expected.', uri: 'src/broken.ts', rule: undefined },
      { level: 'error', text: 'rule crashes failed: kaboom', uri: 'src/crash.ts', rule: { id: 'crashes', index: 3 } },
      { level: 'note', text: 'skipped: binary file (contains NUL bytes)', uri: 'src/blob.js', rule: undefined },
    ]);
  });

  it('keeps a syntax error alone from marking the run unsuccessful', () => {
    const { log } = sarif([], workspace({ 'a.ts': 'const x = {;\n' }));
    expect(log.runs[0].invocations?.[0].executionSuccessful).toBe(true);
  });

  it('uses an absolute file URI for a file outside the working directory', () => {
    const root = workspace({ 'outside/a.ts': 'xx;\n', 'cwd/.keep': '' });
    const { log } = sarif(['../outside'], `${root}/cwd`);
    expect(log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation).toEqual({ uri: `file://${root}/outside/a.ts` });
  });
});
