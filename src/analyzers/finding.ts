/**
 * Findings are plain data until the boundary (CLI output, editor diagnostics).
 * Ranges are kept both as offsets (what edits need) and as 1-based line/column
 * (what people and the JSON contract need).
 */

export const CATEGORIES = ['complexity', 'database', 'sync-io', 'concurrency', 'caching', 'memory'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Rating = 'high' | 'medium' | 'low';

/** How sure a rule is of its fixes: `safe` fixes are applied without asking (`--fix`, fix-all). */
export type FixKind = 'safe' | 'suggestion' | 'none';

/** A replacement of `[start, end)` (UTF-16 offsets into the analysed text). */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** True only when the rewrite provably keeps behaviour. */
  safe: boolean;
  edits: TextEdit[];
}

/** What a report fills a message template with: `{{name}}` → `data.name`. */
export type MessageData = Record<string, string | number>;

/** 1-based, as editors and the JSON contract show them. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Hotness {
  selfMs: number;
  totalMs: number;
  share: number;
}

export interface Finding {
  rule: string;
  /**
   * The key of the rule's `meta.messages` the report used: a stable name for what was found,
   * unlike `message`, whose words may change. Tests and tools match on it.
   */
  messageId: string;
  /** The values the message template was filled with (`{{name}}` → `data.name`). */
  data: MessageData;
  category: Category;
  severity: Severity;
  /** What is wrong and why it matters. */
  message: string;
  /** What to do about it, when the rule says (front ends with one string for both append it to `message`). */
  note?: string;
  /** Absolute path, with the platform's separators. Front ends make it relative. */
  file: string;
  range: Range;
  /** Offsets of the range in the analysed text. */
  start: number;
  end: number;
  impact: Rating;
  effort: Rating;
  fixes: Fix[];
  hotness: Hotness | null;
}

/** A file that could not be analysed (unreadable, unparsable) — the scan goes on. */
export interface FileError {
  file: string;
  message: string;
  /** Set when a rule crashed on the file (the other rules' findings still count). */
  rule?: string;
}

/** A file deliberately left out, with the reason a user should see. */
export interface SkippedFile {
  file: string;
  reason: string;
}
