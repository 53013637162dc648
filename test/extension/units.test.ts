/** Small pure pieces of the extension side: debouncing, minimal edits, protocol validation. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from '../../src/views/debounce';
import { parseRequest, parseResponse } from '../../src/worker/protocol';
import { minimalEdit } from '../../src/worker/textDiff';

describe('Debouncer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once, after the delay of quiet since the last call for that key', () => {
    const debouncer = new Debouncer<string>(300);
    const runs: string[] = [];
    debouncer.schedule('a', () => runs.push('a1'));
    vi.advanceTimersByTime(200);
    debouncer.schedule('a', () => runs.push('a2'));
    vi.advanceTimersByTime(299);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(['a2']);
    expect(debouncer.has('a')).toBe(false);
  });

  it('keeps keys independent: typing in one document never delays another', () => {
    const debouncer = new Debouncer<string>(300);
    const runs: string[] = [];
    debouncer.schedule('a', () => runs.push('a'));
    vi.advanceTimersByTime(250);
    debouncer.schedule('b', () => runs.push('b'));
    vi.advanceTimersByTime(50);
    expect(runs).toEqual(['a']);
    vi.advanceTimersByTime(250);
    expect(runs).toEqual(['a', 'b']);
  });

  it('cancel drops a pending call; flush runs it now; dispose drops them all', () => {
    const debouncer = new Debouncer<string>(300);
    const runs: string[] = [];
    debouncer.schedule('a', () => runs.push('a'));
    debouncer.schedule('b', () => runs.push('b'));
    debouncer.schedule('c', () => runs.push('c'));
    debouncer.cancel('a');
    debouncer.flush('b');
    expect(runs).toEqual(['b']);
    debouncer.dispose();
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(['b']);
  });
});

describe('minimalEdit', () => {
  const apply = (text: string, edit: { start: number; end: number; newText: string } | undefined) =>
    edit ? text.slice(0, edit.start) + edit.newText + text.slice(edit.end) : text;

  it('replaces only the middle that changed', () => {
    const before = 'const a = fs.readFileSync(p);\nreturn a;\n';
    const after = 'const a = await fs.promises.readFile(p);\nreturn a;\n';
    const edit = minimalEdit(before, after);
    expect(edit).toEqual({ start: 10, end: 25, newText: 'await fs.promises.readFile' });
    expect(apply(before, edit)).toBe(after);
  });

  it('is undefined when nothing changed, and handles pure insertions and deletions', () => {
    expect(minimalEdit('same', 'same')).toBeUndefined();
    expect(apply('abcabc', minimalEdit('abcabc', 'abcXabc'))).toBe('abcXabc');
    expect(apply('aaaa', minimalEdit('aaaa', 'aa'))).toBe('aa');
    expect(apply('', minimalEdit('', 'new'))).toBe('new');
  });

  it('never splits a surrogate pair', () => {
    const before = 'x = "😀";';
    const after = 'x = "😃";';
    const edit = minimalEdit(before, after)!;
    expect(edit.newText).toBe('😃');
    expect(apply(before, edit)).toBe(after);
  });
});

describe('protocol validation', () => {
  it('accepts well-formed requests and names what is wrong with others', () => {
    expect(parseRequest({ type: 'analyze', path: '/a.ts', version: 1, text: '' })).toEqual({
      type: 'analyze',
      path: '/a.ts',
      version: 1,
      text: '',
    });
    expect(parseRequest({ type: 'explode' })).toBe('unknown message type "explode"');
    expect(parseRequest({ type: 'toString' })).toBe('unknown message type "toString"');
    expect(parseRequest('analyze')).toBe('not a message object with a "type"');
    expect(parseRequest({ type: 'analyze', path: '/a.ts', version: '1', text: '' })).toBe(
      'message "analyze" has a missing or invalid "version"',
    );
    expect(
      parseRequest({
        type: 'configure',
        folders: [{ path: '/w', rules: { a: 'loud' }, exclude: [] }],
        fallback: { rules: {}, exclude: [] },
      }),
    ).toMatch(/"folders"/);
  });

  it('accepts well-formed responses and rejects others', () => {
    expect(typeof parseResponse({ type: 'findings', path: '/a.ts', version: null, findings: [] })).toBe('object');
    expect(parseResponse({ type: 'findings', path: '/a.ts', version: 'new', findings: [] })).toMatch(/"version"/);
    expect(parseResponse({ type: 'log', level: 'debug', message: 'x' })).toMatch(/"level"/);
    expect(parseResponse({ type: 'fixAllResult', id: 1, path: '/a', version: 1, edits: [{ start: 0, end: 1 }], applied: 1 })).toMatch(
      /"edits"/,
    );
  });
});
