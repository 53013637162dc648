/** The pure halves of code actions: which actions in which order, and offsets → positions. */
import { describe, expect, it } from 'vitest';
import type { Fix } from '../../src/analyzers/finding';
import { disableNextLineEdit } from '../../src/codeActions/disableComment';
import { toPositionedEdits } from '../../src/codeActions/edits';
import { planCodeActions, type DiagnosticEntry } from '../../src/codeActions/plan';
import { findingRange } from '../../src/views/findingRange';

const safe: Fix = {
  title: 'Await fs.promises.readFile',
  safe: true,
  edits: [{ start: 10, end: 25, newText: 'await fs.promises.readFile' }],
};
const unsafe: Fix = { title: 'Batch into one findMany', safe: false, edits: [{ start: 40, end: 60, newText: 'findMany()' }] };

function entry(overrides: Partial<DiagnosticEntry> = {}): DiagnosticEntry {
  return { rule: 'sync-io-in-async', line: 3, fixes: [safe], docsUrl: 'https://docs.test/sync-io-in-async', version: 5, ...overrides };
}

describe('planCodeActions', () => {
  it('orders fix → suggestion → disable for this line → documentation, with their titles', () => {
    const actions = planCodeActions([entry({ fixes: [unsafe, safe] })], 5);
    expect(actions.map((a) => [a.kind, a.title])).toEqual([
      ['fix', 'Await fs.promises.readFile'],
      ['suggestion', 'Suggestion: Batch into one findMany'],
      ['disable', 'Disable sync-io-in-async for this line'],
      ['docs', 'Show documentation for sync-io-in-async'],
    ]);
  });

  it('keeps each diagnostic’s actions together, in the order of the diagnostics', () => {
    const actions = planCodeActions(
      [entry(), entry({ rule: 'query-in-loop', line: 8, fixes: [unsafe], docsUrl: 'https://docs.test/q' })],
      5,
    );
    expect(actions.map((a) => `${a.kind}:${a.diagnostic}`)).toEqual([
      'fix:0',
      'disable:0',
      'docs:0',
      'suggestion:1',
      'disable:1',
      'docs:1',
    ]);
  });

  it('offers no fix or suggestion once the document changed since the analysis, but still disable and docs', () => {
    const actions = planCodeActions([entry({ fixes: [safe, unsafe] })], 6);
    expect(actions.map((a) => a.kind)).toEqual(['disable', 'docs']);
  });

  it('offers no fix for findings read from disk (a workspace scan)', () => {
    expect(planCodeActions([entry({ version: null })], 1).map((a) => a.kind)).toEqual(['disable', 'docs']);
  });

  it('says "disable" once per rule and line, and "documentation" once per rule', () => {
    const actions = planCodeActions([entry(), entry({ fixes: [] }), entry({ line: 9, fixes: [] })], 5);
    expect(actions.map((a) => (a.kind === 'disable' ? `disable@${a.line}` : a.kind))).toEqual(['fix', 'disable@3', 'docs', 'disable@9']);
  });

  it('skips fixes without edits and documentation without a link', () => {
    const actions = planCodeActions([entry({ fixes: [{ title: 'nothing', safe: true, edits: [] }], docsUrl: undefined })], 5);
    expect(actions.map((a) => a.kind)).toEqual(['disable']);
  });
});

/** positionAt for plain text, as a TextDocument does it (\n, \r\n and \r end lines). */
function documentOf(text: string, version: number) {
  return {
    version,
    positionAt(offset: number) {
      const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
      const lines = before.split(/\r\n|\r|\n/);
      return { line: lines.length - 1, character: lines[lines.length - 1].length };
    },
  };
}

describe('toPositionedEdits', () => {
  const text = 'line one\r\n  fs.readFileSync(p)\nend';

  it('converts offsets of the analysed version into positions', () => {
    const start = text.indexOf('fs.readFileSync');
    const edits = toPositionedEdits(
      [{ start, end: start + 'fs.readFileSync'.length, newText: 'await fs.promises.readFile' }],
      2,
      documentOf(text, 2),
    );
    expect(edits).toEqual([{ start: { line: 1, character: 2 }, end: { line: 1, character: 17 }, newText: 'await fs.promises.readFile' }]);
  });

  it('refuses when the document is no longer the analysed version', () => {
    expect(toPositionedEdits([{ start: 0, end: 4, newText: 'LINE' }], 2, documentOf(text, 3))).toBeUndefined();
    expect(toPositionedEdits([{ start: 0, end: 4, newText: 'LINE' }], null, documentOf(text, 3))).toBeUndefined();
  });

  it('refuses malformed edits: inverted, negative or overlapping', () => {
    const document = documentOf(text, 1);
    expect(toPositionedEdits([{ start: 5, end: 2, newText: '' }], 1, document)).toBeUndefined();
    expect(toPositionedEdits([{ start: -1, end: 2, newText: '' }], 1, document)).toBeUndefined();
    expect(
      toPositionedEdits(
        [
          { start: 0, end: 5, newText: '' },
          { start: 4, end: 6, newText: '' },
        ],
        1,
        document,
      ),
    ).toBeUndefined();
  });

  it('returns edits sorted by position', () => {
    const edits = toPositionedEdits(
      [
        { start: 12, end: 12, newText: 'b' },
        { start: 0, end: 0, newText: 'a' },
      ],
      1,
      documentOf(text, 1),
    );
    expect(edits?.map((e) => e.newText)).toEqual(['a', 'b']);
  });
});

describe('disableNextLineEdit', () => {
  it('inserts the directive above the line with its indentation and the document’s line ending', () => {
    expect(disableNextLineEdit('sync-io-in-async', 4, '    const x = fs.readFileSync(p);', '  async function f() {', '\r\n')).toEqual({
      line: 4,
      character: 0,
      text: '    // perflens-disable-next-line sync-io-in-async\r\n',
    });
  });

  it('works on the first line', () => {
    expect(disableNextLineEdit('r', 0, '\tcall();', undefined, '\n')).toEqual({
      line: 0,
      character: 0,
      text: '\t// perflens-disable-next-line r\n',
    });
  });

  it('adds the rule to a directive already above the line', () => {
    const above = '  // perflens-disable-next-line query-in-loop  ';
    expect(disableNextLineEdit('sync-io-in-async', 7, '  x();', above, '\n')).toEqual({
      line: 6,
      character: above.trimEnd().length,
      text: ', sync-io-in-async',
    });
  });

  it('stacks a new comment rather than editing a directive that carries a reason', () => {
    const edit = disableNextLineEdit('b', 2, 'x();', '// perflens-disable-next-line a -- measured, cold path', '\n');
    expect(edit).toEqual({ line: 2, character: 0, text: '// perflens-disable-next-line b\n' });
  });
});

describe('findingRange', () => {
  const finding = { start: 12, end: 27, range: { start: { line: 2, column: 3 }, end: { line: 2, column: 18 } } };
  const position = (line: number, character: number) => ({ line, character });

  it('uses the document’s positionAt while it is the analysed version', () => {
    const document = { version: 4, positionAt: (offset: number) => ({ line: 100, character: offset }) };
    expect(findingRange(finding, 4, document, position)).toEqual({
      start: { line: 100, character: 12 },
      end: { line: 100, character: 27 },
    });
  });

  it('uses the engine’s 1-based line/column (made 0-based) for disk results and edited documents', () => {
    const expected = { start: { line: 1, character: 2 }, end: { line: 1, character: 17 } };
    expect(findingRange(finding, null, undefined, position)).toEqual(expected);
    expect(findingRange(finding, 4, { version: 5, positionAt: () => ({ line: -1, character: -1 }) }, position)).toEqual(expected);
  });
});
