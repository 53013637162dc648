/**
 * A rule tester after ESLint's RuleTester: a rule's cases say exactly what they expect. An invalid
 * case lists every report (`errors`: messageId, line and column, optionally end and data), in
 * document order, and the code after the safe fixes (`output`) — or, without `output`, that no
 * safe fix is offered. A valid case is not reported at all. On top of RuleTester, a case with a
 * safe fix can prove it by running the code before and after (`sameBehaviour`).
 *
 *   const tester = ruleTester('shift-in-loop');
 *   tester.run({
 *     valid: ['...'],
 *     invalid: [{ code: '...', errors: [{ messageId: 'shift', line: 1, column: 40 }] }],
 *   });
 *   const [finding] = await tester.invalid({ code, errors }); // inside a test, for further checks
 */
import { expect, it } from 'vitest';
import type { AnalyzerOptions } from '../../src/analyzers/engine';
import type { Finding, MessageData, Severity } from '../../src/analyzers/finding';
import type { ExpectedReport } from '../../src/analyzers/rule';
import { applySafeFixes, findings, projectFindings, ruleNamed, shownText } from './analyze';
import { expectSameBehaviour } from './behaviour';

export interface ValidCase {
  /** The test's name (default: the code). */
  name?: string;
  code: string;
  /** Where the code pretends to live (`scripts/`, `app/api/route.ts`… matter to some rules). */
  filename?: string;
  /** Other files of a small in-memory project, for facts that read imported modules. */
  files?: Record<string, string>;
  options?: Omit<AnalyzerOptions, 'rules' | 'onlyRules'>;
}

export interface ExpectedError extends ExpectedReport {
  /** Values the message was filled with; the keys given must match, others are not checked. */
  data?: MessageData;
  /** The severity the evidence gave the finding (checked only when given). */
  severity?: Severity;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The code after every safe fix, applied as `--fix` does. Absent: no safe fix is offered. */
  output?: string;
  /** Runs `entry` of the code and of `output` on each of `inputs` and asserts the same outcome. */
  sameBehaviour?: { entry: string; inputs: unknown[][] };
}

export interface RuleTester {
  /** One `it` per case, named by `name` or the code. */
  run(cases: { valid?: Array<string | ValidCase>; invalid?: InvalidCase[] }): void;
  /** Asserts an invalid case; resolves to its findings for what a test checks beyond them. */
  invalid(testCase: InvalidCase): Promise<Finding[]>;
  /** Asserts that the rule stays quiet on the case. */
  valid(testCase: string | ValidCase): void;
}

export function ruleTester(ruleId: string): RuleTester {
  const messageIds = Object.keys(ruleNamed(ruleId).meta.messages);

  const analyse = (testCase: ValidCase): Finding[] => {
    const filename = testCase.filename ?? 'example.ts';
    const options = { ...testCase.options, rule: ruleId };
    const found = testCase.files
      ? projectFindings({ ...testCase.files, [filename]: testCase.code }, filename, ruleId, testCase.options)
      : findings(testCase.code, { ...options, filename });
    for (const finding of found) expect(finding.rule).toBe(ruleId);
    return found;
  };

  const invalid = async (testCase: InvalidCase): Promise<Finding[]> => {
    for (const error of testCase.errors) {
      if (!messageIds.includes(error.messageId)) {
        throw new Error(`${ruleId} has no message "${error.messageId}"; its messages are ${messageIds.join(', ')}`);
      }
    }
    expect(testCase.errors.length, 'an invalid case expects at least one report').toBeGreaterThan(0);
    const found = analyse(testCase);
    // Each report as the expectation writes it: optional fields only when the expectation has them.
    const actual = found.map((finding, index) => {
      const wanted: Partial<ExpectedError> = testCase.errors[index] ?? {};
      const { start, end } = finding.range;
      return {
        messageId: finding.messageId,
        line: start.line,
        column: start.column,
        ...(wanted.endLine !== undefined ? { endLine: end.line } : {}),
        ...(wanted.endColumn !== undefined ? { endColumn: end.column } : {}),
        ...(wanted.data ? { data: pick(finding.data, Object.keys(wanted.data)) } : {}),
        ...(wanted.severity !== undefined ? { severity: finding.severity } : {}),
      };
    });
    expect(actual, withLineNumbers(testCase.code)).toEqual(testCase.errors);
    // The message and its note, as an editor with one string shows them: neither may keep a `{{name}}`.
    for (const finding of found) expect(shownText(finding), 'a placeholder left unfilled').not.toMatch(/\{\{/);

    const filename = testCase.filename;
    if (testCase.output !== undefined) {
      expect(testCase.output, '`output` equals the code: omit it when no safe fix applies').not.toBe(testCase.code);
      expect(testCase.files, 'safe fixes are applied to single files').toBeUndefined();
      expect(applySafeFixes(testCase.code, ruleId, filename)).toBe(testCase.output);
    } else {
      const safe = found.flatMap((finding) => finding.fixes).filter((fix) => fix.safe);
      expect(
        safe.map((fix) => fix.title),
        'a safe fix is offered: give the case its `output`',
      ).toEqual([]);
    }
    if (testCase.sameBehaviour) {
      if (testCase.output === undefined) throw new Error('`sameBehaviour` compares the code with its `output`: give both');
      await expectSameBehaviour(testCase.code, testCase.output, testCase.sameBehaviour.entry, testCase.sameBehaviour.inputs);
    }
    return found;
  };

  const valid = (testCase: string | ValidCase): void => {
    const found = analyse(typeof testCase === 'string' ? { code: testCase } : testCase);
    expect(
      found.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.messageId}: ${f.message}`),
      'a valid case is reported',
    ).toEqual([]);
  };

  const run: RuleTester['run'] = ({ valid: validCases = [], invalid: invalidCases = [] }) => {
    const validObjects = validCases.map((c) => (typeof c === 'string' ? { code: c } : c));
    const seen = new Set<string>();
    for (const testCase of [...validObjects, ...invalidCases]) {
      const key = JSON.stringify([testCase.code, testCase.filename, testCase.files, testCase.options]);
      if (seen.has(key)) throw new Error(`a duplicate case: ${testCase.name ?? testCase.code}`);
      seen.add(key);
    }
    for (const testCase of validObjects) it(testCase.name ?? testCase.code, () => valid(testCase));
    for (const testCase of invalidCases) {
      it(testCase.name ?? testCase.code, async () => {
        await invalid(testCase);
      });
    }
  };

  return { run, invalid, valid };
}

function pick(data: MessageData, keys: readonly string[]): MessageData {
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(data, key)).map((key) => [key, data[key]]));
}

/** The code with line numbers, so a failing position can be checked by eye. */
function withLineNumbers(code: string): string {
  const numbered = code.split('\n').map((line, index) => `${String(index + 1).padStart(3)} | ${line}`);
  return `\n${numbered.join('\n')}`;
}
