/**
 * Family 5, `await x` ↔ `.then(…)`. In an async function, `const v = await call(); rest` becomes
 * `await call().then(async (v) => { rest });` when `rest` is the remainder of its block and does not jump out of it
 * (no return, break or continue: inside a callback they would mean something else) — the rest still runs after the
 * value arrives, its own awaits in the same order, and an error still rejects the function. `return await call()`
 * becomes `return call().then((v) => v)`. Only awaited calls: a call returns the promise whose `then` is meant.
 * Back: `return call().then((v) => expr)` becomes `const v = await call(); return expr;`, and a last statement
 * `await call().then(async (v) => { … })` becomes `const v = await call(); …` when the callback does not return and
 * its names are new to the block it joins.
 */
import { ts } from '../../../src/analyzers/ts';
import { blockInner, descendants, jumpsOut, rewriteEach, type Edit, type Snippet } from './source';

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

/** `x.then(cb)` with one callback of one plain parameter: the value `await x` gives. */
function thenCallback(
  expr: ts.Expression | undefined,
): { receiver: ts.Expression; callback: ts.ArrowFunction | ts.FunctionExpression } | undefined {
  if (!expr || !ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression)) return undefined;
  if (expr.expression.name.text !== 'then' || expr.arguments.length !== 1) return undefined;
  const [callback] = expr.arguments;
  if (!(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || callback.parameters.length > 1) return undefined;
  if (ts.isFunctionExpression(callback) || callback.parameters.some((p) => p.initializer || p.dotDotDotToken)) return undefined;
  return { receiver: expr.expression.expression, callback };
}

function declaredIn(statements: readonly ts.Node[]): Set<string> {
  const names = new Set<string>();
  for (const statement of statements) {
    for (const n of [statement, ...descendants(statement)]) {
      if (
        (ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isParameter(n)) &&
        n.name &&
        ts.isIdentifier(n.name)
      ) {
        names.add(n.name.text);
      }
    }
  }
  return names;
}

function thenToAwait(file: ts.SourceFile): Edit[] | undefined {
  for (const statement of descendants(file)) {
    if (!(ts.isReturnStatement(statement) || ts.isExpressionStatement(statement)) || !inAsyncFunction(statement)) continue;
    const block = statement.parent;
    if (!ts.isBlock(block)) continue;
    const awaited = ts.isExpressionStatement(statement) && ts.isAwaitExpression(statement.expression);
    const found = thenCallback(
      ts.isReturnStatement(statement)
        ? statement.expression
        : awaited
          ? (statement.expression as ts.AwaitExpression).expression
          : undefined,
    );
    if (!found) continue;
    const { receiver, callback } = found;
    const param = callback.parameters[0];
    const binding = param
      ? `const ${param.name.getText(file)}${param.type ? `: ${param.type.getText(file)}` : ''} = await ${receiver.getText(file)};`
      : `await ${receiver.getText(file)};`;
    const others = block.statements.filter((s) => s !== statement);
    const taken = declaredIn(others);
    const body = callback.body;
    const introduced = [...declaredIn(param ? [param] : []), ...(ts.isBlock(body) ? declaredIn(body.statements) : [])];
    if (introduced.some((name) => taken.has(name))) continue;
    let text: string;
    if (ts.isReturnStatement(statement)) {
      if (ts.isBlock(body)) continue;
      text = `${binding}\nreturn ${body.getText(file)};`;
    } else {
      // The callback's statements join the block: only as its last statement, and only if they never return.
      if (block.statements.at(-1) !== statement || !ts.isBlock(body) || jumpsOut(body, { await: false })) continue;
      text = `${binding}${blockInner(body, file)}`;
    }
    return [{ start: statement.getStart(file), end: statement.getEnd(), text }];
  }
  return undefined;
}

export function awaitThenVariants(snippet: Snippet): Snippet[] {
  return [step, thenToAwait]
    .map((rewrite) => rewriteEach(snippet.code, snippet.filename, rewrite))
    .filter((code): code is string => code !== undefined)
    .map((code) => ({ ...snippet, code }));
}
