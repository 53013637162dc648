/** Small readers the lock descriptors share: a literal count, a numeric option. */
import { ts } from '../../ts';
import { skipParens } from '../ast';

export function numberArgument(node: ts.Expression | undefined): number | undefined {
  if (!node) return undefined;
  const inner = skipParens(node);
  return ts.isNumericLiteral(inner) ? Number(inner.text) : undefined;
}

/** `{ concurrency: 1 }` → 1. */
export function numberOption(options: ts.Expression, key: string): number | undefined {
  const inner = skipParens(options);
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  for (const property of inner.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === key)
      return numberArgument(property.initializer);
  }
  return undefined;
}
