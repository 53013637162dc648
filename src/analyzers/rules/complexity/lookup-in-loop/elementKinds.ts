/**
 * What the elements of an array are, when provable: `indexOf` (===) and `Set#has` (SameValueZero)
 * agree on everything but NaN, so only an array that may hold numbers needs a second look.
 */
import { ts } from '../../../ts';
import { calleeName, skipParens } from '../../../facts/ast';
import { qualifiedCallee, typeFactsOf } from '../../../facts/collections';
import { isSharedOutsideFile, lookup, references, useOf } from '../../../facts/dataflow';
import type { FileFacts } from '../../../facts/fileFacts';

const SK = ts.SyntaxKind;

/** Element kinds that decide whether `indexOf` (===) and `Set#has` (SameValueZero) agree: only numbers can be NaN. */
export type ElementKind = 'string' | 'number' | 'boolean' | 'bigint' | 'object' | 'mixed';

/** The element type written in an array annotation. */
function annotatedElementType(type: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (!type) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return annotatedElementType(type.type);
  if (ts.isTypeOperatorNode(type) && type.operator === SK.ReadonlyKeyword) return annotatedElementType(type.type);
  if (ts.isArrayTypeNode(type)) return type.elementType;
  if (
    ts.isTypeReferenceNode(type) &&
    ts.isIdentifier(type.typeName) &&
    (type.typeName.text === 'Array' || type.typeName.text === 'ReadonlyArray')
  ) {
    return type.typeArguments?.[0];
  }
  return undefined;
}

function elementKindOfTypeNode(type: ts.TypeNode | undefined): ElementKind | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case SK.StringKeyword:
      return 'string';
    case SK.NumberKeyword:
      return 'number';
    case SK.BooleanKeyword:
      return 'boolean';
    case SK.BigIntKeyword:
      return 'bigint';
    case SK.ParenthesizedType:
      return elementKindOfTypeNode((type as ts.ParenthesizedTypeNode).type);
    case SK.LiteralType: {
      const literal = (type as ts.LiteralTypeNode).literal;
      if (ts.isStringLiteral(literal)) return 'string';
      if (ts.isNumericLiteral(literal)) return 'number';
      if (literal.kind === SK.TrueKeyword || literal.kind === SK.FalseKeyword) return 'boolean';
      return undefined;
    }
    case SK.UnionType: {
      const kinds = new Set((type as ts.UnionTypeNode).types.map(elementKindOfTypeNode));
      if (kinds.has(undefined)) return undefined;
      return kinds.size === 1 ? [...kinds][0] : 'mixed';
    }
    case SK.TypeLiteral:
      return 'object';
    default:
      return undefined;
  }
}

/** Elements of an array literal when every one is a literal (no spreads, no holes): how many and of what kind. */
export function literalElements(literal: ts.ArrayLiteralExpression): { count: number; kind: ElementKind | undefined } | undefined {
  const kinds = new Set<ElementKind>();
  for (const element of literal.elements) {
    const inner = skipParens(element);
    if (ts.isStringLiteralLike(inner)) kinds.add('string');
    else if (ts.isNumericLiteral(inner) || (ts.isPrefixUnaryExpression(inner) && ts.isNumericLiteral(inner.operand))) kinds.add('number');
    else if (inner.kind === SK.TrueKeyword || inner.kind === SK.FalseKeyword) kinds.add('boolean');
    else if (inner.kind === SK.NullKeyword) kinds.add('object');
    else return undefined;
  }
  return { count: literal.elements.length, kind: kinds.size === 0 ? undefined : kinds.size === 1 ? [...kinds][0] : 'mixed' };
}

/**
 * The kind of the elements of an array held by a name, when provable: from its annotation, or from
 * a literal initializer of a name that is never changed (no write, mutation or escape anywhere),
 * else from the type checker.
 */
export function elementKind(expression: ts.Expression, file: FileFacts): ElementKind | undefined {
  const node = skipParens(expression);
  if (ts.isArrayLiteralExpression(node)) return literalElements(node)?.kind;
  if (ts.isIdentifier(node)) {
    const declaration = lookup(node.text, node);
    if (declaration) {
      const annotated = elementKindOfTypeNode(annotatedElementType(declaration.type));
      if (annotated) return annotated;
      const init = declaration.initializer && skipParens(declaration.initializer);
      if (
        init &&
        (declaration.kind === 'const' || declaration.kind === 'let') &&
        !isSharedOutsideFile(declaration) &&
        references(declaration).every((r) => useOf(r).kind === 'read')
      ) {
        if (ts.isArrayLiteralExpression(init)) {
          const literal = literalElements(init);
          if (literal?.kind) return literal.kind;
        }
        if (ts.isCallExpression(init)) {
          const name = qualifiedCallee(init);
          if (name === 'Object.keys' || name === 'Object.getOwnPropertyNames' || calleeName(init) === 'split') return 'string';
        }
      }
    }
  }
  return typeFactsOf(file)?.arrayElementKind(node);
}
