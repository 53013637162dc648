/**
 * What a user reads when analysing one file failed. A stack overflow is the usual cause (code
 * nested deeper than the parser or a rule's recursion can follow), and "Maximum call stack size
 * exceeded" does not say that the file, not PerfLens, is what cannot be handled.
 */

/** A failure already put in the user's words where it happened (the parser gave up on a file). */
export class FileFailure extends Error {
  override name = 'FileFailure';
}

/** True for the RangeError V8 throws when the JS stack runs out. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** `where` names the part that failed: "the TypeScript parser", "rule query-in-loop". */
export function describeFailure(error: unknown, where: string): string {
  if (error instanceof FileFailure) return error.message;
  if (isStackOverflow(error)) return `too deeply nested to analyse (stack overflow in ${where})`;
  return `${where} failed: ${error instanceof Error ? error.message : String(error)}`;
}
