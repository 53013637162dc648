/**
 * Family 1, inline a variable / extract an expression into a const. Extract: a `for…of` loop's list, written in
 * its header, becomes a const just before the loop (the header evaluates it once, before the first pass, as the
 * const does). Inline: a const read once, by the statement right after it, as that statement's first evaluated
 * expression (a `for…of` list, a `return`, another const's initializer) is written there instead.
 */
import { ts } from '../../../src/analyzers/ts';
import { descendants, freshName, inStatementList, rewriteEach, valueIdentifiers, type Edit, type Snippet } from './source';

function extractStep(file: ts.SourceFile): Edit[] | undefined {
  const loop = descendants(file).find(
    (n): n is ts.ForOfStatement => ts.isForOfStatement(n) && !ts.isIdentifier(n.expression) && inStatementList(n),
  );
  if (!loop) return undefined;
  const name = freshName(file, 'items');
  const expression = loop.expression;
  const start = loop.getStart(file);
  return [
    { start, end: start, text: `const ${name} = ${expression.getText(file)};\n` },
    { start: expression.getStart(file), end: expression.getEnd(), text: name },
  ];
}

/** The expression of `next` that is evaluated first, when it is a plain slot an inlined value can take. */
function firstSlot(next: ts.Statement): ts.Expression | undefined {
  if (ts.isForOfStatement(next) && !next.awaitModifier) return next.expression;
  if (ts.isReturnStatement(next)) return next.expression;
  if (ts.isVariableStatement(next) && next.declarationList.declarations.length === 1)
    return next.declarationList.declarations[0].initializer;
  return undefined;
}

function inlineStep(file: ts.SourceFile): Edit[] | undefined {
  for (const statement of descendants(file)) {
    if (!ts.isVariableStatement(statement) || !inStatementList(statement)) continue;
    if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const list = statement.declarationList;
    if (!(list.flags & ts.NodeFlags.Const) || list.declarations.length !== 1) continue;
    const [declaration] = list.declarations;
    if (!ts.isIdentifier(declaration.name) || !declaration.initializer || declaration.type) continue;
    const siblings = (statement.parent as ts.Block).statements;
    const next = siblings[siblings.indexOf(statement) + 1];
    if (!next) continue;
    const slot = firstSlot(next);
    if (!slot || !ts.isIdentifier(slot) || slot.text !== declaration.name.text) continue;
    // Read once, by that slot: the declaration and the one use.
    if (valueIdentifiers(file, declaration.name.text).length !== 2) continue;
    const init = declaration.initializer;
    // A comma expression in a slot would read as two; parentheses keep it one.
    const text =
      ts.isBinaryExpression(init) && init.operatorToken.kind === ts.SyntaxKind.CommaToken ? `(${init.getText(file)})` : init.getText(file);
    return [
      { start: statement.getFullStart(), end: statement.getEnd(), text: '' },
      { start: slot.getStart(file), end: slot.getEnd(), text },
    ];
  }
  return undefined;
}

export function extractVariants(snippet: Snippet): Snippet[] {
  return [extractStep, inlineStep]
    .map((step) => rewriteEach(snippet.code, snippet.filename, step))
    .filter((code): code is string => code !== undefined)
    .map((code) => ({ ...snippet, code }));
}
