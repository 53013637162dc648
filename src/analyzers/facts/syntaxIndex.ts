/**
 * Nodes that facts search whole files for, gathered in document order by the engine's single
 * walk — so a fact that needs "every call in the file" (route registrations) or "every property
 * write" iterates a list instead of walking the tree again on every keystroke.
 * Outside the engine (facts used directly in tests) the index is built on first use.
 */
import { ts } from '../ts';
import { forEachNodeInDocumentOrder } from '../walk';

export interface SyntaxIndex {
  /** Every call expression, in document order. */
  readonly calls: ts.CallExpression[];
  /** Every `new` expression, in document order (`new Worker(queue, run)` hands `run` on). */
  readonly constructions: ts.NewExpression[];
  /** Every property and element access, in document order. */
  readonly accesses: Array<ts.PropertyAccessExpression | ts.ElementAccessExpression>;
}

const SK = ts.SyntaxKind;
const indexes = new WeakMap<ts.SourceFile, SyntaxIndex>();

export function emptySyntaxIndex(): SyntaxIndex {
  return { calls: [], constructions: [], accesses: [] };
}

/** Adds `node` to `index` if it is of an indexed kind (called by the engine for every node it walks). */
export function noteNode(index: SyntaxIndex, node: ts.Node): void {
  switch (node.kind) {
    case SK.CallExpression:
      index.calls.push(node as ts.CallExpression);
      break;
    case SK.NewExpression:
      index.constructions.push(node as ts.NewExpression);
      break;
    case SK.PropertyAccessExpression:
    case SK.ElementAccessExpression:
      index.accesses.push(node as ts.PropertyAccessExpression | ts.ElementAccessExpression);
      break;
    default:
      break;
  }
}

/** Hands over the index the engine built while walking `sourceFile`. */
export function rememberSyntaxIndex(sourceFile: ts.SourceFile, index: SyntaxIndex): void {
  indexes.set(sourceFile, index);
}

export function syntaxIndexOf(sourceFile: ts.SourceFile): SyntaxIndex {
  const index = indexes.get(sourceFile);
  if (index) return index;
  const built = emptySyntaxIndex();
  forEachNodeInDocumentOrder(sourceFile, (node) => noteNode(built, node));
  indexes.set(sourceFile, built);
  return built;
}
