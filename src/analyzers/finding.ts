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

/**
 * How big the data the finding's cost multiplies by can get, from the code: `grows` (rows of a
 * query without a limit, request input, a directory listing, a fetched list), `bounded` (a literal,
 * a constant, `take: 10`), `unknown` when nothing in the code says.
 */
export const SCALES = ['grows', 'bounded', 'unknown'] as const;
export type Scale = (typeof SCALES)[number];

/**
 * Where the code runs: on a request path, in a background job, once at start-up, in a script
 * (migrations and seeds included), in build config, behind an admin-only route, on a rare path (deleting one
 * record and what belongs to it: a DELETE handler, `deleteTeam()`), in a test.
 */
export const EXECUTION_CONTEXTS = ['request', 'job', 'startup', 'script', 'test', 'build', 'admin', 'rare', 'unknown'] as const;
export type ExecutionContext = (typeof EXECUTION_CONTEXTS)[number];

/** Why a finding has the severity it has: short sentences a user can check against the code. */
export interface Evidence {
  scale: Scale;
  context: ExecutionContext;
  /** Whether the per-item work can become one batched call; absent when the rule's claim is not about batching. */
  batchable?: boolean;
  /** "orders comes from prisma.order.findMany() with no limit", "runs in the POST /orders handler". */
  reasons: string[];
  /**
   * Set when a CPU profile was given and the rule's cost is CPU time (`meta.evidence.cpu`): the share of the run's
   * time spent on the finding's lines (or, for a profile without lines, in its function's own code), and those ms.
   */
  measured?: { share: number; ms: number };
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
  /**
   * The severity the configuration gives the rule: the evidence may lower `severity` below it, and a profile that
   * measures the finding's lines hot raises it back to this (src/fusion/measured.ts).
   */
  configuredSeverity: Severity;
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
  /** What the code says about the data's size, where it runs and whether it batches: the severity follows from it. */
  evidence: Evidence;
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
