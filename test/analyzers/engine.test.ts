import { describe, expect, it } from 'vitest';
import { Analyzer, analyze } from '../../src/analyzers/engine';
import { syntaxIndexOf } from '../../src/analyzers/facts/syntaxIndex';
import { defineRule, type Rule } from '../../src/analyzers/rule';
import { virtualPath } from '../helpers/analyze';

/** Reports every call to `slow()`. */
const slowCall = defineRule({
  meta: {
    id: 'slow-call',
    category: 'complexity',
    description: 'Calls slow().',
    why: 'It is slow.',
    howToFix: 'Do not.',
    impact: 'low',
    effort: 'low',
    fix: 'suggestion',
    messages: { slow: { message: '{{name}}() is slow' } },
    examples: { invalid: [{ code: 'slow()', errors: [{ messageId: 'slow', line: 1, column: 1 }] }], valid: ['fast()'] },
  },
  check(context) {
    return {
      CallExpression(call) {
        if (call.expression.getText() === 'slow') {
          context.report({
            node: call,
            messageId: 'slow',
            data: { name: 'slow' },
            fixes: [{ title: 'Use fast', kind: 'safe', edits: [] }],
          });
        }
      },
    };
  },
});

/** Throws on every call — must not take the other rules down. */
const crashing = defineRule({
  meta: { ...slowCall.meta, id: 'crashing', messages: { never: { message: 'never' } } },
  check() {
    return {
      CallExpression() {
        throw new Error('boom');
      },
    };
  },
});

function run(code: string, rules: Rule[], options: ConstructorParameters<typeof Analyzer>[0] = {}) {
  const logs: string[] = [];
  const analyzer = new Analyzer({ rules, log: (m) => logs.push(m), ...options });
  return { ...analyzer.analyzeText(virtualPath('a.ts'), code), logs };
}

describe('Analyzer', () => {
  it('reports with 1-based ranges, offsets, the rule meta and a formatted message', () => {
    const { findings } = run('const a = 1;\n  slow();\n', [slowCall]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      rule: 'slow-call',
      category: 'complexity',
      severity: 'warning',
      message: 'slow() is slow',
      range: { start: { line: 2, column: 3 }, end: { line: 2, column: 9 } },
      impact: 'low',
      effort: 'low',
      hotness: null,
    });
    expect('const a = 1;\n  slow();\n'.slice(finding.start, finding.end)).toBe('slow()');
  });

  it('never lets a fix claim more certainty than the rule declares', () => {
    const { findings } = run('slow()', [slowCall]);
    expect(findings[0].fixes).toEqual([{ title: 'Use fast', safe: false, edits: [] }]);
  });

  it('isolates a rule that throws: logged with rule and file, the others still report', () => {
    const { findings, errors, logs } = run('slow(); slow();', [crashing, slowCall]);
    expect(findings.map((f) => f.rule)).toEqual(['slow-call', 'slow-call']);
    expect(errors).toEqual([{ file: virtualPath('a.ts'), rule: 'crashing', message: 'rule crashing failed: boom' }]);
    expect(logs.join('\n')).toMatch(/rule crashing failed: boom \(in .*a\.ts\)/);
  });

  it('applies config severities and turns rules off', () => {
    expect(run('slow()', [slowCall], { config: { rules: { 'slow-call': 'error' }, ignore: [], root: '/' } }).findings[0].severity).toBe(
      'error',
    );
    expect(run('slow()', [slowCall], { config: { rules: { 'slow-call': 'off' }, ignore: [], root: '/' } }).findings).toEqual([]);
    // Asking for the rule by id runs it even when the config turned it off.
    expect(
      run('slow()', [slowCall], { config: { rules: { 'slow-call': 'off' }, ignore: [], root: '/' }, onlyRules: ['slow-call'] }).findings,
    ).toHaveLength(1);
  });

  it('filters by rule id and category', () => {
    expect(run('slow()', [slowCall], { onlyRules: ['other'] }).findings).toEqual([]);
    expect(run('slow()', [slowCall], { onlyCategories: ['database'] }).findings).toEqual([]);
    expect(run('slow()', [slowCall], { onlyCategories: ['complexity'] }).findings).toHaveLength(1);
  });

  it('treats broken syntax as an error by default and analyses the recovered tree on request', () => {
    const broken = 'slow();\nfunction (\n';
    const skipped = run(broken, [slowCall]);
    expect(skipped.findings).toEqual([]);
    expect(skipped.errors[0].message).toMatch(/^syntax error at 2:10: /);
    expect(run(broken, [slowCall], { syntaxErrors: 'analyze' }).findings).toHaveLength(1);
  });

  it('skips binary and oversized text with a reason instead of parsing it', () => {
    expect(run('slow()\0', [slowCall]).skipped?.reason).toMatch(/binary/);
    expect(run(`slow();${' '.repeat(1024 * 1024)}`, [slowCall]).skipped?.reason).toMatch(/larger than 1024 KB/);
  });

  it('analyses every supported extension, JSX in .js included (as TypeScript does)', () => {
    const jsx = 'const el = <div onClick={() => slow()} />;';
    const typed = 'const el = <T,>(x: T) => slow();';
    for (const [name, code] of [
      ['a.ts', typed],
      ['a.mts', typed],
      ['a.cts', typed],
      ['a.tsx', jsx],
      ['a.js', jsx],
      ['a.jsx', jsx],
      ['a.mjs', jsx],
      ['a.cjs', jsx],
    ]) {
      const analyzer = new Analyzer({ rules: [slowCall] });
      const result = analyzer.analyzeText(virtualPath(name), code);
      expect(result.errors, name).toEqual([]);
      expect(result.findings, name).toHaveLength(1);
    }
  });

  it('gathers files, findings and skipped files over many inputs', () => {
    const result = analyze(
      [
        { file: virtualPath('a.ts'), text: 'slow()' },
        { file: virtualPath('b.ts'), text: 'fine()' },
        { file: virtualPath('c.bin.ts'), text: '\0' },
      ],
      { rules: [slowCall] },
    );
    expect(result.files).toBe(2);
    expect(result.findings).toHaveLength(1);
    expect(result.skipped).toHaveLength(1);
  });
});

describe('the syntax index facts search', () => {
  it('is complete before the first handler runs, and in document order', () => {
    const seen: string[][] = [];
    const probe = defineRule({
      meta: { ...slowCall.meta, id: 'probe' },
      check(context) {
        return {
          CallExpression() {
            seen.push(syntaxIndexOf(context.file.sourceFile).calls.map((call) => call.expression.getText()));
          },
        };
      },
    });
    run('a(); function f() { b(c()); }\nd.e();', [probe]);
    expect(seen[0]).toEqual(['a', 'b', 'c', 'd.e']);
    expect(seen).toHaveLength(4);
  });
});

describe('suppressions', () => {
  const code = (comment: string) => `${comment}\nslow();\nslow(); // perflens-disable-line slow-call\n`;

  it('disable-line silences its own line only', () => {
    const { findings } = run(code(''), [slowCall]);
    expect(findings.map((f) => f.range.start.line)).toEqual([2]);
  });

  it('disable-next-line with and without rule ids, with a reason after --', () => {
    expect(run(code('// perflens-disable-next-line slow-call -- it is fine here'), [slowCall]).findings).toEqual([]);
    expect(run(code('// perflens-disable-next-line'), [slowCall]).findings).toEqual([]);
    expect(run(code('// perflens-disable-next-line other-rule'), [slowCall]).findings).toHaveLength(1);
  });

  it('a block comment disables a rule for the whole file', () => {
    expect(run(`/* perflens-disable slow-call */\nslow();\nslow();`, [slowCall]).findings).toEqual([]);
    expect(run(`/* perflens-disable */\nslow();`, [slowCall]).findings).toEqual([]);
    // The line-comment form is not file-wide (as in ESLint).
    expect(run(`// perflens-disable slow-call\nslow();`, [slowCall]).findings).toHaveLength(1);
  });

  it('ignores directive text inside strings and templates', () => {
    const source = `const s = "// perflens-disable-next-line";\nslow();\nconst t = \`/* perflens-disable */\`;`;
    expect(run(source, [slowCall]).findings).toHaveLength(1);
  });
});
