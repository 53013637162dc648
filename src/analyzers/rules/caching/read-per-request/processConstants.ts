/**
 * Values fixed for the life of the process (`path.join(__dirname, 'x.html')`, `process.env.NAME`,
 * a module-level `const` built from those): what tells "the same file every time" from "a file per
 * request".
 */
import { ts } from '../../../ts';
import { calleeName, skipParens } from '../../../facts/ast';
import { constantValue } from '../../../facts/constants';
import { assignedProperties, lookup, resolve } from '../../../facts/dataflow';
import type { FileFacts } from '../../../facts/fileFacts';

const SK = ts.SyntaxKind;

/**
 * `config.templateDir`, `settings.paths.views`: a property read from a module-level `const` or an
 * import (configuration loaded at start-up), when nothing in this file assigns a property of
 * that name.
 */
function isConfigurationRead(access: ts.PropertyAccessExpression): boolean {
  const names: string[] = [];
  let node: ts.Expression = access;
  while (ts.isPropertyAccessExpression(node)) {
    if (node.questionDotToken) return false;
    names.push(node.name.text);
    node = skipParens(node.expression);
  }
  if (!ts.isIdentifier(node)) return false;
  const declaration = resolve(node);
  if (!declaration || !ts.isSourceFile(declaration.scope) || (declaration.kind !== 'const' && declaration.kind !== 'import')) return false;
  const assigned = assignedProperties(declaration.scope);
  return !assigned.has('[]') && names.every((name) => !assigned.has(name));
}

const PATH_FUNCTIONS: ReadonlySet<string> = new Set(['join', 'resolve', 'normalize', 'dirname', 'basename', 'extname', 'format']);

/**
 * True when `expression` has the same value for the life of the process, from syntax: constants,
 * `__dirname`/`__filename`, `import.meta.url`/`dirname`/`filename`, `process.cwd()`,
 * `process.env.NAME`, properties of module-level configuration objects, `path.join/resolve/…` and `new URL(…)`/`fileURLToPath(…)` of such, string
 * `+` and templates of such, and module-level `const` names bound to such.
 */
export function isProcessConstant(expression: ts.Expression | undefined, file: FileFacts, depth = 0): boolean {
  if (!expression || depth > 8) return false;
  const node = skipParens(expression);
  if (constantValue(node) && !ts.isIdentifier(node)) return true;
  switch (node.kind) {
    case SK.Identifier: {
      const identifier = node as ts.Identifier;
      const declaration = resolve(identifier);
      if (!declaration) return identifier.text === '__dirname' || identifier.text === '__filename' || identifier.text === 'undefined';
      if (declaration.kind !== 'const' || !ts.isSourceFile(declaration.scope) || !declaration.initializer) return false;
      return isProcessConstant(declaration.initializer, file, depth + 1);
    }
    case SK.TemplateExpression:
      return (node as ts.TemplateExpression).templateSpans.every((span) => isProcessConstant(span.expression, file, depth + 1));
    case SK.BinaryExpression: {
      const binary = node as ts.BinaryExpression;
      return (
        binary.operatorToken.kind === SK.PlusToken &&
        isProcessConstant(binary.left, file, depth + 1) &&
        isProcessConstant(binary.right, file, depth + 1)
      );
    }
    case SK.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      const object = skipParens(access.expression);
      if (ts.isMetaProperty(object)) return ['url', 'dirname', 'filename'].includes(access.name.text);
      // process.env.NAME
      if (
        ts.isPropertyAccessExpression(object) &&
        object.name.text === 'env' &&
        ts.isIdentifier(object.expression) &&
        object.expression.text === 'process' &&
        !lookup('process', node)
      )
        return true;
      return isConfigurationRead(access);
    }
    case SK.CallExpression: {
      const call = node as ts.CallExpression;
      const name = calleeName(call);
      const callee = skipParens(call.expression);
      if (
        name === 'cwd' &&
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'process' &&
        call.arguments.length === 0
      )
        return !lookup('process', node);
      if (name === undefined || !call.arguments.every((a) => isProcessConstant(a, file, depth + 1))) return false;
      if (PATH_FUNCTIONS.has(name)) {
        // path.join(…) through an import of 'path', or a function imported from it.
        const root = ts.isPropertyAccessExpression(callee) ? skipParens(callee.expression) : callee;
        if (!ts.isIdentifier(root)) return false;
        const origin = file.originOf(root.text, call);
        return (
          !!origin &&
          (origin.module === 'path' || origin.module === 'path/posix' || origin.module === 'path/win32' || origin.module === 'upath')
        );
      }
      if (name === 'fileURLToPath') {
        const origin = ts.isIdentifier(callee) ? file.originOf(callee.text, call) : undefined;
        return !!origin && origin.module === 'url';
      }
      return false;
    }
    case SK.NewExpression: {
      const construct = node as ts.NewExpression;
      const callee = skipParens(construct.expression);
      return (
        ts.isIdentifier(callee) &&
        callee.text === 'URL' &&
        !lookup('URL', node) &&
        (construct.arguments ?? []).every((a) => isProcessConstant(a, file, depth + 1))
      );
    }
    default:
      return false;
  }
}
