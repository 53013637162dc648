/** Message templates in SARIF's placeholder syntax, and the arguments that fill them back to our text. */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/analyzers/registry';
import { defineRule, renderMessage } from '../../src/analyzers/rule';
import { messageArguments, messageStrings, sarifText } from '../../src/cli/format/sarifMessages';
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
    messages: {
      call: { message: 'call {{fn}}({ id: {{ id }} }) then {{fn}} again{{missing}}.', note: 'Batch {{fn}} over {{ids}}.' },
      plain: { message: 'no placeholders.' },
    },
    examples: { invalid: [], valid: [] },
  },
  check: () => ({}),
});

describe('SARIF message strings', () => {
  it('joins message and note as message.text does, numbers placeholders in order of first use and doubles literal braces', () => {
    expect(messageStrings(rule)).toEqual({
      call: { text: 'call {0}({{ id: {1} }}) then {0} again{2}. Batch {0} over {3}.' },
      plain: { text: 'no placeholders.' },
    });
  });

  it('fills them with the data; a placeholder without data stays as written, as in our own text', () => {
    const data = { fn: 'find', id: 3, ids: 'ids' };
    const args = messageArguments(rule, 'call', data);
    expect(args).toEqual(['find', '3', '{{missing}}', 'ids']);
    const { message, note } = renderMessage(rule.meta.messages.call, data);
    expect(renderSarifMessage(messageStrings(rule).call.text, args)).toBe(sarifText(message, note));
    expect(messageArguments(rule, 'plain', data)).toEqual([]);
  });

  it('gives every message of every rule a well-formed SARIF message string', () => {
    for (const { meta } of allRules) {
      const strings = messageStrings({ meta, check: () => ({}) });
      expect(Object.keys(strings)).toEqual(Object.keys(meta.messages));
      for (const [id, { message, note }] of Object.entries(meta.messages)) {
        const args = messageArguments({ meta, check: () => ({}) }, id, {});
        expect(renderSarifMessage(strings[id].text, args), `${meta.id}/${id}`).toBe(sarifText(message, note));
      }
    }
  });
});
