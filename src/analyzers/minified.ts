/**
 * Minified or bundled code, which the engine skips for every rule: what a rule would say about a
 * bundle is said better about its sources.
 */
import { ts } from './ts';

const SK = ts.SyntaxKind;

/** A line of code this long was not written by hand. */
const MINIFIED_LINE = 2_000;
/** …when the file's code also averages this much per line (a bundle, not one long line in a module). */
const MINIFIED_AVERAGE = 300;
/** How much of a file decides: a bundle is minified from its first line. */
const MINIFIED_SAMPLE = 65_536;

/**
 * Minified or bundled output (`assets/index-4f9a2c1b.js`): lines of thousands of characters of
 * code. Nobody edits it, and what a rule would say about it is said better about its sources.
 * Gives the length of its longest line, or undefined for code written by hand. Only code counts:
 * a data URI in a string, an inline SVG in a template, a generated Unicode regular expression or
 * a long comment make one long line in an ordinary file. Cheap for ordinary files: tokens are looked at only when a line is long.
 */
export function minifiedLineLength(text: string): number | undefined {
  const sample = text.length > MINIFIED_SAMPLE ? text.slice(0, MINIFIED_SAMPLE) : text;
  const { longest, lines } = lineLengths(sample);
  if (longest <= MINIFIED_LINE || sample.length / lines <= MINIFIED_AVERAGE) return undefined;
  const code = codeLengths(sample);
  if (code.longest <= MINIFIED_LINE || code.total / lines <= MINIFIED_AVERAGE) return undefined;
  return sample === text ? longest : lineLengths(text).longest;
}

function lineLengths(text: string): { longest: number; lines: number } {
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
    lines++;
  }
  return { longest: Math.max(longest, text.length - start), lines };
}

/** Tokens after which `/` divides; after anything else it starts a regular expression. */
const ENDS_OPERAND: ReadonlySet<ts.SyntaxKind> = new Set([
  SK.Identifier,
  SK.NumericLiteral,
  SK.BigIntLiteral,
  SK.StringLiteral,
  SK.NoSubstitutionTemplateLiteral,
  SK.TemplateTail,
  SK.RegularExpressionLiteral,
  SK.CloseParenToken,
  SK.CloseBracketToken,
  SK.CloseBraceToken,
  SK.ThisKeyword,
  SK.SuperKeyword,
  SK.TrueKeyword,
  SK.FalseKeyword,
  SK.NullKeyword,
  SK.PlusPlusToken,
  SK.MinusMinusToken,
]);

/** Characters of code — not of literals (strings, templates, regular expressions), comments or white space — on the longest line and in all. */
function codeLengths(text: string): { longest: number; total: number } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  /** The brace depth at each open `${`: its `}` goes back into the template. */
  const templates: number[] = [];
  let braces = 0;
  let previous = SK.Unknown;
  let line = 0;
  let longest = 0;
  let total = 0;
  for (let kind = scanner.scan(); kind !== SK.EndOfFileToken; kind = scanner.scan()) {
    if (kind === SK.NewLineTrivia) {
      line = 0;
      continue;
    }
    if (kind === SK.WhitespaceTrivia || kind === SK.ConflictMarkerTrivia || kind === SK.ShebangTrivia) continue;
    if (kind === SK.OpenBraceToken) braces++;
    else if (kind === SK.CloseBraceToken && templates.at(-1) === braces) {
      kind = scanner.reScanTemplateToken(false);
      if (kind === SK.TemplateTail) templates.pop();
    } else if (kind === SK.CloseBraceToken) braces--;
    else if (kind === SK.TemplateHead) templates.push(braces);
    else if ((kind === SK.SlashToken || kind === SK.SlashEqualsToken) && !ENDS_OPERAND.has(previous)) kind = scanner.reScanSlashToken();
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    const isText =
      kind === SK.StringLiteral ||
      kind === SK.RegularExpressionLiteral ||
      kind === SK.SingleLineCommentTrivia ||
      kind === SK.MultiLineCommentTrivia ||
      (kind >= SK.FirstTemplateToken && kind <= SK.LastTemplateToken);
    if (!isText) {
      line += end - start;
      total += end - start;
      longest = Math.max(longest, line);
    } else if (text.lastIndexOf('\n', end - 1) >= start) {
      line = 0;
    }
    if (kind !== SK.SingleLineCommentTrivia && kind !== SK.MultiLineCommentTrivia) previous = kind;
  }
  return { longest, total };
}
