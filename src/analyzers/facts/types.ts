/**
 * Answers from the type checker for nodes of the raw syntax tree the rules walk. The checker
 * lives in a ts-morph program whose source file is a separate parse of the same text, so nodes
 * are matched by kind and position.
 */
import { ts } from '../ts';

export interface TypeFacts {
  readonly checker: ts.TypeChecker;
  /** The type of `node`, or undefined when the node cannot be matched in the program. */
  typeOf(node: ts.Node): ts.Type | undefined;
  /** True for arrays and tuples, false for other known types, undefined for any/unknown/unresolved. */
  isArray(node: ts.Node): boolean | undefined;
  /** The kind of an array's elements: what decides whether `indexOf` and `Set#has` agree. */
  arrayElementKind(node: ts.Node): 'string' | 'number' | 'boolean' | 'bigint' | 'object' | 'mixed' | undefined;
}

/** Finds the node of `kind` spanning exactly [pos, end) under `root`. */
function findMatchingNode(root: ts.Node, pos: number, end: number, kind: ts.SyntaxKind): ts.Node | undefined {
  let current: ts.Node | undefined = root;
  while (current) {
    if (current.pos === pos && current.end === end && current.kind === kind) return current;
    let next: ts.Node | undefined;
    ts.forEachChild(current, (child) => {
      if (child.pos <= pos && end <= child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    current = next;
  }
  return undefined;
}

const UNKNOWN_FLAGS = ts.TypeFlags.Any | ts.TypeFlags.Unknown;

export function createTypeFacts(programFile: ts.SourceFile, checker: ts.TypeChecker): TypeFacts {
  const typeOf = (node: ts.Node): ts.Type | undefined => {
    const match = findMatchingNode(programFile, node.pos, node.end, node.kind);
    if (!match) return undefined;
    try {
      return checker.getTypeAtLocation(match);
    } catch {
      return undefined;
    }
  };

  const isArrayType = (type: ts.Type): boolean => checker.isArrayType(type) || checker.isTupleType(type);

  const isArray = (node: ts.Node): boolean | undefined => {
    const type = typeOf(node);
    if (!type || type.flags & UNKNOWN_FLAGS) return undefined;
    const apparent = checker.getApparentType(type);
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      if (parts.some((t) => t.flags & UNKNOWN_FLAGS)) return undefined;
      return parts.length > 0 && parts.every(isArrayType);
    }
    return isArrayType(type) || isArrayType(apparent);
  };

  const kindOf = (type: ts.Type): 'string' | 'number' | 'boolean' | 'bigint' | 'object' | 'mixed' | undefined => {
    if (type.flags & UNKNOWN_FLAGS) return undefined;
    if (type.flags & ts.TypeFlags.StringLike) return 'string';
    if (type.flags & ts.TypeFlags.NumberLike) return 'number';
    if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
    if (type.flags & ts.TypeFlags.BigIntLike) return 'bigint';
    if (type.isUnion()) {
      const kinds = new Set(type.types.map(kindOf));
      if (kinds.has(undefined)) return undefined;
      return kinds.size === 1 ? [...kinds][0] : 'mixed';
    }
    if (type.flags & ts.TypeFlags.Object) return 'object';
    return 'mixed';
  };

  const arrayElementKind = (node: ts.Node): ReturnType<TypeFacts['arrayElementKind']> => {
    const type = typeOf(node);
    if (!type || !isArrayType(type)) return undefined;
    const args = checker.getTypeArguments(type as ts.TypeReference);
    if (args.length === 0) return undefined;
    if (args.length === 1) return kindOf(args[0]);
    const kinds = new Set(args.map(kindOf));
    if (kinds.has(undefined)) return undefined;
    return kinds.size === 1 ? [...kinds][0] : 'mixed';
  };

  return { checker, typeOf, isArray, arrayElementKind };
}
