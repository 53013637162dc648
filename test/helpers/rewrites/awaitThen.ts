/**
 * Family 5, `await x` ↔ `.then(…)`. In an async function, `const v = await call(); rest` becomes
 * `await call().then(async (v) => { rest });` when `rest` is the remainder of its block and does not jump out of it
 * (no return, break or continue: inside a callback they would mean something else) — the rest still runs after the
 * value arrives, its own awaits in the same order, and an error still rejects the function. `return await call()`
 * becomes `return call().then((v) => v)`. Only awaited calls: a call returns the promise whose `then` is meant.
 */
import { ts } from '../../../src/analyzers/ts';
import { descendants, jumpsOut, rewriteEach, type Edit, type Snippet } from './source';

function inAsyncFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n))
      return ts.getModifiers(n as ts.FunctionLikeDeclaration)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  }
  return false;
}

function awaitedCall(expr: ts.Expression | undefined): ts.CallExpression | undefined {
  if (!expr || !ts.isAwaitExpression(expr)) return undefined;
  return ts.isCallExpression(expr.expression) ? expr.expression : undefined;
}

function step(file: ts.SourceFile): Edit[] | undefined {
  for (const statement of descendants(file)) {
    if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) continue;
    const parent = statement.parent;
    if (!ts.isBlock(parent) || !inAsyncFunction(statement)) continue;
    const [declaration] = statement.declarationList.declarations;
    const call = awaitedCall(declaration.initializer);
    if (!call) continue;
    const rest = parent.statements.slice(parent.statements.indexOf(statement) + 1);
    if (rest.some((s) => jumpsOut(s, { await: false }) || ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s))) continue;
    const type = declaration.type ? `: ${declaration.type.getText(file)}` : '';
    const restText = rest.length === 0 ? '' : file.text.slice(rest[0].getFullStart(), rest.at(-1)!.getEnd());
    const text = `await ${call.getText(file)}.then(async (${declaration.name.getText(file)}${type}) => {${restText}\n});`;
    const end = rest.length === 0 ? statement.getEnd() : rest.at(-1)!.getEnd();
    return [{ start: statement.getStart(file), end, text }];
  }
  for (const statement of descendants(file)) {
    if (!ts.isReturnStatement(statement) || !inAsyncFunction(statement)) continue;
    const call = awaitedCall(statement.expression);
    if (!call) continue;
    return [{ start: statement.getStart(file), end: statement.getEnd(), text: `return ${call.getText(file)}.then((value) => value);` }];
  }
  return undefined;
}

export function awaitThenVariants(snippet: Snippet): Snippet[] {
  const code = rewriteEach(snippet.code, snippet.filename, step);
  return code === undefined ? [] : [{ ...snippet, code }];
}
