/**
 * Applying fixes to text: edits of non-overlapping fixes are applied together, an overlapping
 * fix waits for the next pass (as ESLint does), and a result that no longer parses is refused.
 */
import type { Fix, TextEdit } from './finding';

export interface AppliedFixes {
  text: string;
  applied: number;
}

/**
 * Applies as many of `fixes` as do not overlap each other, first come first served.
 * @internal exported for test/reliability/safe-fixes.test.ts and the rule tests, which apply fixes with it
 */
export function applyFixes(text: string, fixes: readonly Fix[]): AppliedFixes {
  const taken: TextEdit[] = [];
  let applied = 0;
  for (const fix of fixes) {
    if (fix.edits.length === 0) continue;
    const overlaps = fix.edits.some((edit) =>
      taken.some((other) => (edit.start < other.end && other.start < edit.end) || (edit.start === edit.end && edit.start === other.start)),
    );
    if (overlaps) continue;
    taken.push(...fix.edits);
    applied++;
  }
  taken.sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of taken) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return { text: result, applied };
}

export interface FixLoopResult {
  text: string;
  /** How many fixes were applied over all passes. */
  applied: number;
  /** Set when a pass produced text that does not parse; that pass was discarded. */
  refused?: string;
}

/**
 * Applies every safe fix, re-analysing after each pass, until nothing changes (at most
 * `maxPasses`). A pass whose output does not parse is discarded and the loop stops: we never
 * hand back text we could not re-parse.
 */
export function applySafeFixesRepeatedly(
  text: string,
  analyze: (text: string) => { fixes: Fix[]; parses: boolean },
  maxPasses = 10,
): FixLoopResult {
  let current = text;
  let applied = 0;
  let previous: { text: string; applied: number } | undefined;
  for (let pass = 0; ; pass++) {
    const result = analyze(current);
    if (!result.parses) {
      if (!previous) return { text, applied: 0, refused: 'the file does not parse; nothing was fixed' };
      return { ...previous, refused: 'a fix produced code that does not parse; it was not applied' };
    }
    if (pass === maxPasses) break;
    const safe = result.fixes.filter((fix) => fix.safe);
    if (safe.length === 0) break;
    const next = applyFixes(current, safe);
    if (next.applied === 0 || next.text === current) break;
    previous = { text: current, applied };
    current = next.text;
    applied += next.applied;
  }
  return { text: current, applied };
}
