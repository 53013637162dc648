/** Message templates in SARIF's placeholder syntax, and the arguments that fill them back to our text. */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/analyzers/registry';
import { defineRule, formatMessage } from '../../src/analyzers/rule';
import { messageArguments, messageStrings } from '../../src/cli/format/sarifMessages';
import { renderSarifMessage } from '../helpers/sarif';

const rule = defineRule({
  meta: {
    id: 'braces',
    category: 'caching',
    description: 'Test rule.',
    why: 'Because.',
    howToFix: 'Not at all.',
    impact: 'low',
    effort: 'low',
    fix: 'none',
    messages: { call: 'call {{fn}}({ id: {{ id }} }) then {{fn}} again{{missing}}', plain: 'no placeholders' },
    examples: { invalid: [], valid: [] },
  },
  check: () => ({}),
});

describe('SARIF message strings', () => {
  it('numbers placeholders in order of first use and doubles literal braces', () => {
    expect(messageStrings(rule)).toEqual({
      call: { text: 'call {0}({{ id: {1} }}) then {0} again{2}' },
      plain: { text: 'no placeholders' },
    });
  });

  it('fills them with the data; a placeholder without data stays as written, as in our own text', () => {
    const data = { fn: 'find', id: 3 };
    const args = messageArguments(rule, 'call', data);
    expect(args).toEqual(['find', '3', '{{missing}}']);
    expect(renderSarifMessage(messageStrings(rule).call.text, args)).toBe(formatMessage(rule.meta.messages.call, data));
    expect(messageArguments(rule, 'plain', data)).toEqual([]);
  });

  it('gives every message of every rule a well-formed SARIF message string', () => {
    for (const { meta } of allRules) {
      const strings = messageStrings({ meta, check: () => ({}) });
      expect(Object.keys(strings)).toEqual(Object.keys(meta.messages));
      for (const id of Object.keys(meta.messages)) {
        const args = messageArguments({ meta, check: () => ({}) }, id, {});
        expect(renderSarifMessage(strings[id].text, args), `${meta.id}/${id}`).toBe(meta.messages[id]);
      }
    }
  });
});
