/**
 * The words the page shows about a function: the tooltip's lines, the location column, the
 * accessible list of the flame graph's widest frames, and the message that opens its source.
 * Plain data: the page puts every string here into the DOM as text, never as markup.
 */
import type { ViewFunction } from '../../src/profileView/data';
import type { FlameLayout } from '../../src/profileView/flame';
import { formatWeightAndShare } from '../../src/profileView/format';
import type { OpenSourceMessage } from '../../src/profileView/protocol';
import type { ProfileUnit } from '../../src/profiles/model';

/** `src/hot.ts:4:3`, `src/hot.ts` without a line, '' when the function has no file. */
export function location(fn: ViewFunction): string {
  if (fn.file === undefined) return '';
  if (fn.line <= 0) return fn.file;
  return fn.column > 0 ? `${fn.file}:${fn.line}:${fn.column}` : `${fn.file}:${fn.line}`;
}

/** The tooltip: name, self, total (each with its share of the profile), where it is. */
export function tooltipLines(fn: ViewFunction, self: number, total: number, profileTotal: number, unit: ProfileUnit): string[] {
  return [
    fn.name,
    `Self ${formatWeightAndShare(self, profileTotal, unit)}`,
    `Total ${formatWeightAndShare(total, profileTotal, unit)}`,
    location(fn) || 'no source location',
  ];
}

/** The message that opens `fn`'s source (`focus`: and moves into it), or undefined when it has no file to open. */
export function openSourceMessage(fn: ViewFunction, focus: boolean): OpenSourceMessage | undefined {
  const url = fn.path ?? fn.file;
  if (url === undefined) return undefined;
  return { type: 'openSource', url, line: fn.line, column: fn.column, focus };
}

/** Of the nodes drawn, the `count` widest (ties: the earlier in preorder), widest first. */
export function widestNodes(layout: FlameLayout, drawn: Int32Array, count: number): number[] {
  return Array.from(drawn)
    .sort((a, b) => layout.width[b] - layout.width[a] || a - b)
    .slice(0, count);
}
