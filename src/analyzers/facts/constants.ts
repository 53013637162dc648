/**
 * Constants: values known before the program runs (`'en-US'`, `{ style: 'currency' }`, a `const`
 * bound to one), and values fixed for the life of the process (`path.join(__dirname, 'x.html')`,
 * a module-level `const` built from those). Rules use the first to prove that hoisting a
 * construction changes nothing, the second to tell "the same file every time" from "a file per
 * request".
 */
import { ts } from '../ts';
import { calleeName, skipParens } from './ast';
import { assignedProperties, isSharedOutsideFile, lookup, references, resolve, useOf } from './dataflow';
import type { FileFacts } from './fileFacts';

const SK = ts.SyntaxKind;

export interface Constant {
  value: unknown;
}

/**
 * The value of `expression` when syntax alone fixes it: literals, `undefined`, templates and `+`
 * of constants, array and object literals of constants (plain keys only), and names bound by
 * `const` to a constant that no reference ever changes (not even a property of it). Undefined
 * otherwise. Each call builds fresh objects.
 */
export function constantValue(expression: ts.Expression | undefined, depth = 0): Constant | undefined {
  if (!expression || depth > 8) return undefined;
  const node = skipParens(expression);
  switch (node.kind) {
    case SK.StringLiteral:
    case SK.NoSubstitutionTemplateLiteral:
      return { value: (node as ts.StringLiteral).text };
    case SK.NumericLiteral:
      return { value: Number((node as ts.NumericLiteral).text) };
    case SK.TrueKeyword:
      return { value: true };
    case SK.FalseKeyword:
      return { value: false };
    case SK.NullKeyword:
      return { value: null };
    case SK.PrefixUnaryExpression: {
      const unary = node as ts.PrefixUnaryExpression;
      const operand = constantValue(unary.operand, depth + 1);
      if (!operand || typeof operand.value !== 'number') return undefined;
      if (unary.operator === SK.MinusToken) return { value: -operand.value };
      if (unary.operator === SK.PlusToken) return operand;
      return undefined;
    }
    case SK.TemplateExpression: {
      const template = node as ts.TemplateExpression;
      let text = template.head.text;
      for (const span of template.templateSpans) {
        const part = constantValue(span.expression, depth + 1);
        if (!part || (typeof part.value !== 'string' && typeof part.value !== 'number')) return undefined;
        text += String(part.value) + span.literal.text;
      }
      return { value: text };
    }
    case SK.BinaryExpression: {
      const binary = node as ts.BinaryExpression;
      if (binary.operatorToken.kind !== SK.PlusToken) return undefined;
      const left = constantValue(binary.left, depth + 1);
      const right = constantValue(binary.right, depth + 1);
      if (!left || !right) return undefined;
      if (typeof left.value === 'string' && (typeof right.value === 'string' || typeof right.value === 'number'))
        return { value: left.value + String(right.value) };
      if (typeof left.value === 'number' && typeof right.value === 'string') return { value: String(left.value) + right.value };
      if (typeof left.value === 'number' && typeof right.value === 'number') return { value: left.value + right.value };
      return undefined;
    }
    case SK.ArrayLiteralExpression: {
      const values: unknown[] = [];
      for (const element of (node as ts.ArrayLiteralExpression).elements) {
        const value = constantValue(element, depth + 1);
        if (!value) return undefined;
        values.push(value.value);
      }
      return { value: values };
    }
    case SK.ObjectLiteralExpression: {
      const object: Record<string, unknown> = {};
      for (const property of (node as ts.ObjectLiteralExpression).properties) {
        if (!ts.isPropertyAssignment(property)) return undefined;
        const name = property.name;
        if (!(ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) || name.text === '__proto__')
          return undefined;
        const value = constantValue(property.initializer, depth + 1);
        if (!value) return undefined;
        object[name.text] = value.value;
      }
      return { value: object };
    }
    case SK.Identifier: {
      const identifier = node as ts.Identifier;
      const declaration = resolve(identifier);
      if (!declaration) return identifier.text === 'undefined' ? { value: undefined } : undefined;
      if (declaration.kind !== 'const' || !declaration.initializer) return undefined;
      const value = constantValue(declaration.initializer, depth + 1);
      if (!value) return undefined;
      // An object or array bound by const can still be changed through the name.
      if (typeof value.value === 'object' && value.value !== null) {
        if (isSharedOutsideFile(declaration) || !references(declaration).every((r) => isPlainRead(r))) return undefined;
      }
      return value;
    }
    default:
      return undefined;
  }
}

/** A reference that neither changes the value nor hands it where it could be changed; passing it to a reading constructor or call counts. */
function isPlainRead(reference: ts.Identifier): boolean {
  const use = useOf(reference);
  if (use.kind === 'read') return !use.deep;
  if (use.kind !== 'escape') return false;
  // `new Intl.NumberFormat('en', OPTIONS)`, `new RegExp(SOURCE, FLAGS)` only read their arguments.
  let outer: ts.Node = reference;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if (parent && ts.isNewExpression(parent) && parent.arguments?.includes(outer as ts.Expression)) {
    const callee = skipParens(parent.expression);
    if (ts.isIdentifier(callee) && callee.text === 'RegExp') return true;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Intl') return true;
  }
  return false;
}

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
