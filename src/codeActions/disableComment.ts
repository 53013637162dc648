/**
 * "Disable <rule> for this line": a `// perflens-disable-next-line <rule>` comment above the
 * line, indented like it; when the line above already is such a directive, the rule is added
 * to it instead of stacking a second comment.
 */

export interface LineInsert {
  /** 0-based line and character where `text` goes. */
  line: number;
  character: number;
  text: string;
}

const DIRECTIVE = /^(\s*)\/\/\s*perflens-disable-next-line(\s+(.*))?$/;

/**
 * @param line 0-based line of the finding
 * @param lineText that line's text
 * @param previousLineText the line above, if any
 * @param eol the document's line ending
 */
export function disableNextLineEdit(
  rule: string,
  line: number,
  lineText: string,
  previousLineText: string | undefined,
  eol: string,
): LineInsert {
  if (previousLineText !== undefined) {
    const match = DIRECTIVE.exec(previousLineText.replace(/\s+$/, ''));
    // A directive with a `-- reason` keeps its reason last: add the rule before it only when there is none.
    if (match && !(match[3] ?? '').includes('--')) {
      const rules = (match[3] ?? '').split(/[\s,]+/).filter(Boolean);
      // Without rule ids the directive already covers every rule.
      if (rules.length === 0 || rules.includes(rule)) return { line: line - 1, character: previousLineText.length, text: '' };
      const end = previousLineText.replace(/\s+$/, '').length;
      return { line: line - 1, character: end, text: `, ${rule}` };
    }
  }
  const indentation = /^\s*/.exec(lineText)?.[0] ?? '';
  return { line, character: 0, text: `${indentation}// perflens-disable-next-line ${rule}${eol}` };
}
