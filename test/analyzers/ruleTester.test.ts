/** The rule tester fails a case for each way a rule can be wrong, as ESLint's RuleTester does. */
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../helpers/ruleTester';

const shift = ruleTester('shift-in-loop');
const SPLICE = `export function f(rows: string[]) { for (let i = 0; i < rows.length; i++) { if (rows[i] === '') { rows.splice(i, 1); i--; } } return rows; }`;
const reported = { messageId: 'splice', line: 1, column: 99 };

const lookup = ruleTester('lookup-in-loop');
const INCLUDES = `export function f(orderIds: string[], userIds: string[]) { let n = 0; for (const x of orderIds) if (userIds.includes(x)) n++; return n; }`;
const FIXED = `export function f(orderIds: string[], userIds: string[]) { let n = 0; const userIdsSet = new Set(userIds);\nfor (const x of orderIds) if (userIdsSet.has(x)) n++; return n; }`;
const lookupReported = { messageId: 'set', line: 1, column: 101 };

describe('the rule tester', () => {
  it('passes a case that names every report exactly, and returns the findings', async () => {
    const [finding] = await shift.invalid({ code: SPLICE, errors: [reported] });
    expect(finding.rule).toBe('shift-in-loop');
    await lookup.invalid({ code: INCLUDES, errors: [lookupReported], output: FIXED });
  });

  it.each([
    ['another message', [{ ...reported, messageId: 'shift' }]],
    ['another line', [{ ...reported, line: 2 }]],
    ['another column', [{ ...reported, column: 98 }]],
    ['a report too many', [reported, reported]],
    ['another end', [{ ...reported, endLine: 1, endColumn: 100 }]],
    ['other data', [{ ...reported, data: { list: 'other' } }]],
  ])('fails a case that expects %s', async (_name, errors) => {
    await expect(shift.invalid({ code: SPLICE, errors })).rejects.toThrow();
  });

  it('checks the end and the data it is given, and only those', async () => {
    await shift.invalid({ code: SPLICE, errors: [{ ...reported, endLine: 1, endColumn: 116, data: { list: 'rows' } }] });
  });

  it('refuses a message id the rule does not have, and a case that expects no report', async () => {
    await expect(shift.invalid({ code: SPLICE, errors: [{ ...reported, messageId: 'nope' }] })).rejects.toThrow(
      'shift-in-loop has no message "nope"; its messages are shift, unshiftQueue, splice',
    );
    await expect(shift.invalid({ code: 'export const x = 1;', errors: [] })).rejects.toThrow('at least one report');
  });

  it('fails a case with a safe fix but no output, a wrong output, or an output equal to the code', async () => {
    await expect(lookup.invalid({ code: INCLUDES, errors: [lookupReported] })).rejects.toThrow('give the case its `output`');
    await expect(lookup.invalid({ code: INCLUDES, errors: [lookupReported], output: FIXED.replace('Set', 'Set ') })).rejects.toThrow();
    await expect(shift.invalid({ code: SPLICE, errors: [reported], output: SPLICE })).rejects.toThrow('`output` equals the code');
  });

  it('fails a valid case that is reported', () => {
    expect(() => shift.valid(SPLICE)).toThrow('a valid case is reported');
    shift.valid('export const x = 1;');
  });

  it('refuses a duplicate case', () => {
    expect(() => shift.run({ valid: ['export const x = 1;', { code: 'export const x = 1;' }] })).toThrow('a duplicate case');
  });
});
