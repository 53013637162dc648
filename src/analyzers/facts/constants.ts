/**
 * Constants: values known before the program runs (`'en-US'`, `{ style: 'currency' }`, a `const`
 * bound to one). Rules use them to prove that hoisting a construction changes nothing.
 */
import { ts } from '../ts';
import { skipParens } from './ast';
import { isSharedOutsideFile, references, resolve, useOf } from './dataflow';

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
