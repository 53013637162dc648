/**
 * Rules made for the CLI's tests: each reacts to one identifier name and does one thing a real
 * rule might do (a fix that breaks the syntax, one that needs several passes, one that inserts a
 * line break, a suggestion, a crash).
 */
import { ts } from '../../src/analyzers/ts';
import { defineRule, type FixSpec, type Rule } from '../../src/analyzers/rule';
import type { FixKind } from '../../src/analyzers/finding';

function identifierRule(
  id: string,
  fix: FixKind,
  name: RegExp,
  fixOf: (identifier: ts.Identifier, start: number) => FixSpec | undefined,
  note?: string,
): Rule {
  return defineRule({
    meta: {
      id,
      category: 'caching',
      description: `Test rule ${id}.`,
      why: 'Because the test says so.',
      howToFix: 'Rename it.',
      impact: 'low',
      effort: 'low',
      fix,
      messages: { found: { message: '{{name}} found by ' + id, note } },
      examples: { invalid: [], valid: [] },
    },
    check(context) {
      return {
        Identifier(identifier) {
          if (!name.test(identifier.text)) return;
          const start = identifier.getStart();
          const spec = fixOf(identifier, start);
          context.report({ node: identifier, messageId: 'found', data: { name: identifier.text }, fixes: spec ? [spec] : [] });
        },
      };
    },
  });
}

/** `breakMe` → `breakMe(`: a "safe" fix whose output does not parse. */
export const breaksSyntax = identifierRule('breaks-syntax', 'safe', /^breakMe$/, (identifier, start) => ({
  title: 'Break it',
  kind: 'safe',
  edits: [{ start, end: identifier.end, newText: 'breakMe(' }],
}));

/** `xxxx` → `xxx` → `xx` → `x`: one step a pass, so stable only after several passes. */
export const shrink = identifierRule('shrink', 'safe', /^xx+$/, (identifier, start) => ({
  title: 'Drop one x',
  kind: 'safe',
  edits: [{ start, end: identifier.end, newText: identifier.text.slice(1) }],
}));

/** `splitHere` → `first;\nsecond`: a fix that inserts a line break. */
export const splitLine = identifierRule('split-line', 'safe', /^splitHere$/, (identifier, start) => ({
  title: 'Split the line',
  kind: 'safe',
  edits: [{ start, end: identifier.end, newText: 'first;\nsecond' }],
}));

/** `suggestMe` → `suggested`, offered only as a suggestion; its message has a note. */
export const suggestion = identifierRule(
  'suggestion',
  'suggestion',
  /^suggestMe$/,
  (identifier, start) => ({
    title: 'Rename it',
    kind: 'suggestion',
    edits: [{ start, end: identifier.end, newText: 'suggested' }],
  }),
  'Rename {{name}}.',
);

/** Throws on `boom`. */
export const crashes = identifierRule('crashes', 'none', /^boom$/, () => {
  throw new Error('kaboom');
});

/** `makeBreak` → `breakMe`: harmless itself, but hands breaks-syntax something to break on the next pass. */
export const leadsToBreak = identifierRule('leads-to-break', 'safe', /^makeBreak$/, (identifier, start) => ({
  title: 'Rename it',
  kind: 'safe',
  edits: [{ start, end: identifier.end, newText: 'breakMe' }],
}));

/** Reports every `marked`, without a fix: as many findings as the code has, for counting. */
export const marked = identifierRule('marked', 'none', /^marked$/, () => undefined);
