/**
 * Family 3, `reduce` ↔ loop accumulation. `const total = list.reduce((sum, x) => expr, init)` becomes
 * `let sum = init; for (const x of list) { sum = expr; } const total = sum;` (a block-bodied callback whose only
 * `return` is its last statement assigns that instead), and a `let acc = init; for (const x of list) { acc = expr; }`
 * (or `acc += expr`) becomes `let acc = list.reduce((acc, x) => expr, init)`. Only over arrays the code shows, with
 * an initial value (without one, `reduce` throws on an empty list where a loop does not), and not an async reducer
 * (its accumulator is a chain of promises: a loop that awaits each pass is another program, the fix of one).
 */
import { ts } from '../../../src/analyzers/ts';
import { descendants, freshName, inStatementList, isKnownArray, rewriteEach, type Edit, type Snippet } from './source';

function returnsOnlyAtEnd(body: ts.Block): boolean {
  const last = body.statements.at(-1);
  if (!last || !ts.isReturnStatement(last) || !last.expression) return false;
  let others = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n !== last) others++;
    n.forEachChild(visit);
  };
  body.forEachChild(visit);
  return others === 0;
}

function reduceToLoop(file: ts.SourceFile): Edit[] | undefined {
  for (const statement of descendants(file)) {
    if (!ts.isVariableStatement(statement) || !inStatementList(statement)) continue;
    if (statement.declarationList.declarations.length !== 1) continue;
    const [declaration] = statement.declarationList.declarations;
    const call = declaration.initializer;
    if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) continue;
    if (call.expression.name.text !== 'reduce' || call.arguments.length !== 2) continue;
    const [callback, init] = call.arguments;
    if (!ts.isArrowFunction(callback) || callback.parameters.length !== 2) continue;
    const [accParam, itemParam] = callback.parameters;
    if (!ts.isIdentifier(accParam.name) || accParam.initializer || itemParam.initializer || itemParam.dotDotDotToken) continue;
    if (!isKnownArray(call.expression.expression, file)) continue;
    if (callback.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) continue;
    const accumulator = freshName(file, `${accParam.name.text}Total`);
    const item = itemParam.name.getText(file);
    const body = callback.body;
    let passBody: string;
    if (ts.isBlock(body)) {
      if (!returnsOnlyAtEnd(body)) continue;
      const last = body.statements.at(-1) as ts.ReturnStatement;
      const before = file.text.slice(body.getStart(file) + 1, last.getStart(file));
      passBody = `${before}${accumulator} = ${last.expression!.getText(file)};`;
    } else {
      passBody = `${accumulator} = ${body.getText(file)};`;
    }
    // The callback's accumulator parameter is bound afresh on each pass, as each call binds it.
    const accType = accParam.type ? `: ${accParam.type.getText(file)}` : '';
    const keyword = statement.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
    const declaredType = declaration.type ? `: ${declaration.type.getText(file)}` : '';
    const text =
      `let ${accumulator}${accType} = ${init.getText(file)};\n` +
      `for (const ${item} of ${call.expression.expression.getText(file)}) {\nconst ${accParam.name.text}${accType} = ${accumulator};\n${passBody}\n}\n` +
      `${keyword} ${declaration.name.getText(file)}${declaredType} = ${accumulator};`;
    return [{ start: statement.getStart(file), end: statement.getEnd(), text }];
  }
  return undefined;
}

/** `let acc = init;` right before `for (const x of list) { acc = expr; }` or `{ acc += expr; }`. */
function loopToReduce(file: ts.SourceFile): Edit[] | undefined {
  for (const statement of descendants(file)) {
    if (!ts.isVariableStatement(statement) || !inStatementList(statement)) continue;
    const list = statement.declarationList;
    if (list.flags & ts.NodeFlags.Const || list.declarations.length !== 1) continue;
    const [declaration] = list.declarations;
    if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
    const siblings = (statement.parent as ts.Block).statements;
    const loop = siblings[siblings.indexOf(statement) + 1];
    if (!loop || !ts.isForOfStatement(loop) || loop.awaitModifier || !ts.isVariableDeclarationList(loop.initializer)) continue;
    if (!isKnownArray(loop.expression, file)) continue;
    const inner = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
    if (inner.length !== 1 || !ts.isExpressionStatement(inner[0]) || !ts.isBinaryExpression(inner[0].expression)) continue;
    const assignment = inner[0].expression;
    const op = assignment.operatorToken.kind;
    if (!ts.isIdentifier(assignment.left) || assignment.left.text !== declaration.name.text) continue;
    if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.PlusEqualsToken) continue;
    if (descendants(assignment.right).some((n) => ts.isAwaitExpression(n) || ts.isYieldExpression(n))) continue;
    const acc = declaration.name.text;
    const value = op === ts.SyntaxKind.EqualsToken ? assignment.right.getText(file) : `${acc} + (${assignment.right.getText(file)})`;
    const item = loop.initializer.declarations[0].name.getText(file);
    const type = declaration.type ? `: ${declaration.type.getText(file)}` : '';
    const text = `let ${acc}${type} = ${loop.expression.getText(file)}.reduce((${acc}${type}, ${item}) => ${value}, ${declaration.initializer.getText(file)});`;
    return [{ start: statement.getStart(file), end: loop.getEnd(), text }];
  }
  return undefined;
}

export function reduceVariants(snippet: Snippet): Snippet[] {
  return [reduceToLoop, loopToReduce]
    .map((step) => rewriteEach(snippet.code, snippet.filename, step))
    .filter((code): code is string => code !== undefined)
    .map((code) => ({ ...snippet, code }));
}
