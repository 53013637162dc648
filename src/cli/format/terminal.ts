/**
 * Strings PerfLens did not write — function and file names from a profile, file paths, messages
 * that quote code or input — made safe to print on a terminal. A control character in them would be
 * obeyed, not shown: ESC and C1 sequences set the window title, clear the screen or move the cursor,
 * a newline or carriage return forges a row of the report, and a bidi control reorders the text
 * after it (Trojan Source). Each becomes a visible escape (`\x1b`, `\n`, `\u202e`), so the text
 * stays on its line and still says what is there.
 *
 * Only text output needs this: JSON.stringify already escapes C0 controls, and JSON and SARIF are
 * read by programs, which get the names exactly as they are.
 */

/** C0, DEL and C1 controls; the bidi controls (embeddings, overrides, isolates, marks); U+2028/9, which break lines in editors. */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control and bidi character written as a visible escape; its length is its width. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => SHORT[char] ?? codeEscape(char.codePointAt(0) as number));
}

/** As `printable`, keeping the line breaks: for multi-line text PerfLens means as such (a stack trace). */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** One `perflens: …` line for stderr, whatever the message quotes. */
export function stderrLine(message: string): string {
  return `perflens: ${printable(message)}\n`;
}

function codeEscape(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
