/**
 * Facts tests mark the place they ask about with a call of `here(…)` in the example: these parse the example and
 * find that call, so each test says only what it asks of it.
 */
import { ts } from '../../src/analyzers/ts';

/** `code` parsed as `fileName`: JavaScript, JSX or TSX by its extension, else TypeScript. */
export function parseExample(code: string, fileName = '/a.ts'): ts.SourceFile {
  const kind = /\.[cm]?js$/.test(fileName)
    ? ts.ScriptKind.JS
    : fileName.endsWith('.jsx')
      ? ts.ScriptKind.JSX
      : fileName.endsWith('.tsx')
        ? ts.ScriptKind.TSX
        : ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, kind);
}

/** The `here(…)` call under `root` (the last in source order when there are several); throws when there is none. */
export function hereCall(root: ts.Node): ts.CallExpression {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'here') found = node;
    ts.forEachChild(node, visit);
  };
  visit(root);
  if (!found) throw new Error('no here() in the example');
  return found;
}
