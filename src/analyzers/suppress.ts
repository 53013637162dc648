/**
 * Suppression comments, in ESLint's grammar with our prefix:
 *   // perflens-disable-next-line rule-a, rule-b -- why
 *   // perflens-disable-line rule-a
 *   /* perflens-disable rule-a *\/        (the whole file)
 * A directive without rule ids covers every rule. Only real comments count (the syntax tree tells
 * comments from strings), and files without the word "perflens-disable" pay nothing.
 */
import { ts } from './ts';
import type { LineIndex } from './text';

const DIRECTIVE = /^\s*perflens-(disable-next-line|disable-line|disable)(?=\s|$)\s*([^]*?)\s*$/;

export interface Suppressions {
  /** All rules for the file ('*'), or some. */
  file: Set<string>;
  /** 1-based line → rule ids ('*' = all). */
  lines: Map<number, Set<string>>;
}

export interface SuppressionDirective {
  kind: 'disable-next-line' | 'disable-line' | 'disable';
  rules: string[];
  /** 1-based line of the comment. */
  line: number;
}

function parseRules(rest: string): string[] {
  const beforeReason = rest.split(/\s--\s|^--\s|\s--$/)[0];
  return beforeReason
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => id.length > 0 && id !== '--');
}

/** The comment that holds `offset`, or undefined when `offset` is inside code, a string or a template. */
function commentAt(sourceFile: ts.SourceFile, text: string, offset: number): ts.CommentRange | undefined {
  let node: ts.Node = sourceFile;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (child) => {
      if (child.pos <= offset && offset < child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    if (!next) break;
    node = next;
  }
  // Comments are trivia: before the node's first token, or right after one of its children.
  const positions = [node.pos];
  ts.forEachChild(node, (child) => {
    positions.push(child.end);
  });
  for (const position of positions) {
    for (const range of [...(ts.getLeadingCommentRanges(text, position) ?? []), ...(ts.getTrailingCommentRanges(text, position) ?? [])]) {
      if (range.pos <= offset && offset < range.end) return range;
    }
  }
  return undefined;
}

function findDirectives(text: string, sourceFile: ts.SourceFile, lines: LineIndex): SuppressionDirective[] {
  const directives: SuppressionDirective[] = [];
  const seen = new Set<number>();
  for (let offset = text.indexOf('perflens-disable'); offset >= 0; offset = text.indexOf('perflens-disable', offset + 1)) {
    const range = commentAt(sourceFile, text, offset);
    if (!range || seen.has(range.pos)) continue;
    seen.add(range.pos);
    const raw = text.slice(range.pos, range.end);
    const isLineComment = range.kind === ts.SyntaxKind.SingleLineCommentTrivia;
    const body = isLineComment ? raw.slice(2) : raw.slice(2, -2);
    const match = DIRECTIVE.exec(body);
    if (!match) continue;
    const kind = match[1] as SuppressionDirective['kind'];
    // As in ESLint, the file-wide form is only honoured as a block comment.
    if (kind === 'disable' && isLineComment) continue;
    directives.push({ kind, rules: parseRules(match[2]), line: lines.position(range.pos).line });
  }
  return directives;
}

export function collectSuppressions(text: string, sourceFile: ts.SourceFile, lines: LineIndex): Suppressions {
  const suppressions: Suppressions = { file: new Set(), lines: new Map() };
  for (const directive of findDirectives(text, sourceFile, lines)) {
    const ids = directive.rules.length === 0 ? ['*'] : directive.rules;
    if (directive.kind === 'disable') {
      for (const id of ids) suppressions.file.add(id);
      continue;
    }
    const line = directive.kind === 'disable-next-line' ? directive.line + 1 : directive.line;
    let set = suppressions.lines.get(line);
    if (!set) suppressions.lines.set(line, (set = new Set()));
    for (const id of ids) set.add(id);
  }
  return suppressions;
}

export function isSuppressed(suppressions: Suppressions, rule: string, line: number): boolean {
  if (suppressions.file.has('*') || suppressions.file.has(rule)) return true;
  const set = suppressions.lines.get(line);
  return !!set && (set.has('*') || set.has(rule));
}
