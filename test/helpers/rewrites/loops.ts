/**
 * Family 2, loop forms: a `for…of` over an array as `.forEach(cb)`, as an index `for`, as a `while`; and a
 * `.forEach(cb)` over an array as a `for…of`. Only over lists the code shows to be arrays (a Map's `forEach` passes
 * (value, key), its `for…of` passes entries), and only bodies that do not jump out (a `return` in a callback is a
 * `continue`; an `await` in a callback stops pausing the loop).
 */
import { ts } from '../../../src/analyzers/ts';
import {
  blockInner,
  descendants,
  freshName,
  isKnownArray,
  jumpsOut,
  rewriteEach,
  usesThisOrArguments,
  type Edit,
  type Snippet,
} from './source';

type Form = 'forEach' | 'index' | 'while';

/** The `for (const x of list)` loops this family can rewrite: a single declaration, over an array named by an identifier or a literal. */
function convertibleForOf(file: ts.SourceFile, form: Form): ts.ForOfStatement | undefined {
  return descendants(file).find(
    (n): n is ts.ForOfStatement =>
      ts.isForOfStatement(n) &&
      !n.awaitModifier &&
      ts.isVariableDeclarationList(n.initializer) &&
      n.initializer.declarations.length === 1 &&
      // An index loop reads the list again on each pass: only a name is safe to read twice.
      (form === 'forEach' ? true : ts.isIdentifier(n.expression)) &&
      isKnownArray(n.expression, file) &&
      (form !== 'forEach' || !jumpsOut(n.statement)),
  );
}

function forOfTo(form: Form): (file: ts.SourceFile) => Edit[] | undefined {
  return (file) => {
    const loop = convertibleForOf(file, form);
    if (!loop) return undefined;
    const declarations = loop.initializer as ts.VariableDeclarationList;
    const binding = declarations.declarations[0].name.getText(file);
    const keyword = declarations.flags & ts.NodeFlags.Const ? 'const' : 'let';
    const list = loop.expression.getText(file);
    const body = blockInner(loop.statement, file);
    let text: string;
    if (form === 'forEach') {
      text = `${list}.forEach((${binding}) => {${body}});`;
    } else {
      const index = freshName(file, 'i');
      text =
        form === 'index'
          ? `for (let ${index} = 0; ${index} < ${list}.length; ${index}++) {\n${keyword} ${binding} = ${list}[${index}];${body}}`
          : `let ${index} = 0;\nwhile (${index} < ${list}.length) {\n${keyword} ${binding} = ${list}[${index}++];${body}}`;
      // `let i` beside the loop would collide with a second while loop in the same block: a block keeps it local.
      if (form === 'while') text = `{\n${text}\n}`;
    }
    return [{ start: loop.getStart(file), end: loop.getEnd(), text }];
  };
}

/** `list.forEach((x) => { … })` as a statement, over an array, with one parameter and a body that does not return. */
function forEachToForOf(file: ts.SourceFile): Edit[] | undefined {
  for (const statement of descendants(file)) {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) continue;
    const call = statement.expression;
    if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'forEach' || call.arguments.length !== 1) continue;
    const [callback] = call.arguments;
    if (!(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) || callback.parameters.length !== 1) continue;
    if (callback.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) continue;
    if (ts.isFunctionExpression(callback) && usesThisOrArguments(callback.body)) continue;
    if (!isKnownArray(call.expression.expression, file)) continue;
    const body = callback.body;
    if (ts.isBlock(body) ? jumpsOut(body) : false) continue;
    const param = callback.parameters[0];
    if (param.initializer || param.dotDotDotToken) continue;
    const inner = ts.isBlock(body) ? blockInner(body, file) : `\n${body.getText(file)};\n`;
    const text = `for (const ${param.name.getText(file)} of ${call.expression.expression.getText(file)}) {${inner}}`;
    return [{ start: statement.getStart(file), end: statement.getEnd(), text }];
  }
  return undefined;
}

export function loopFormVariants(snippet: Snippet): Snippet[] {
  const steps = [forOfTo('forEach'), forOfTo('index'), forOfTo('while'), forEachToForOf];
  return steps
    .map((step) => rewriteEach(snippet.code, snippet.filename, step))
    .filter((code): code is string => code !== undefined)
    .map((code) => ({ ...snippet, code }));
}
