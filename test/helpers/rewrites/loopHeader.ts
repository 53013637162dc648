/**
 * Family 7, `?? []` and optional chaining in a loop header: `for (const x of order.items)` is written
 * `for (const x of order?.items ?? [])`, and a list named by a const is written `for (const x of list ?? [])`.
 * For a list that is there (every run the example's verdict is about) both read the same list once; they differ
 * only where the original would have thrown on a missing list.
 */
import { ts } from '../../../src/analyzers/ts';
import { descendants, rewriteEach, type Edit, type Snippet } from './source';

function isNullishDefault(expr: ts.Expression): boolean {
  return ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken;
}

function step(file: ts.SourceFile): Edit[] | undefined {
  const loop = descendants(file).find(
    (n): n is ts.ForOfStatement => ts.isForOfStatement(n) && !n.awaitModifier && !isNullishDefault(n.expression),
  );
  if (!loop) return undefined;
  const list = loop.expression;
  // `a.b` reads `a` first: `a?.b` only adds "stop if a is missing". Calls and other expressions keep their text.
  const optional =
    ts.isPropertyAccessExpression(list) && !list.questionDotToken && ts.isIdentifier(list.expression)
      ? `${list.expression.text}?.${list.name.text}`
      : ts.isBinaryExpression(list) || ts.isConditionalExpression(list) || ts.isArrowFunction(list)
        ? `(${list.getText(file)})`
        : list.getText(file);
  return [{ start: list.getStart(file), end: list.getEnd(), text: `${optional} ?? []` }];
}

export function loopHeaderVariants(snippet: Snippet): Snippet[] {
  const code = rewriteEach(snippet.code, snippet.filename, step);
  return code === undefined ? [] : [{ ...snippet, code }];
}
