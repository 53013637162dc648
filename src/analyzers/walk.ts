/**
 * Walking a syntax tree without recursion. Code a parser accepts can be deeper than the JS
 * stack: `x = a + a + …` with 3,000 terms is one left-deep chain of binary expressions (tsc
 * compiles it), and a recursive `ts.forEachChild` walk overflowed the stack on it.
 */
import { ts } from './ts';

/**
 * Calls `visit` on `root` and every node below it in document order — the order a recursive
 * `ts.forEachChild` walk visits them in — keeping the nodes still to visit on an explicit stack.
 * When `visit` returns false, the nodes below that one are left out.
 */
export function forEachNodeInDocumentOrder(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [root];
  // Returns nothing: a truthy return would stop forEachChild.
  const push = (child: ts.Node): undefined => {
    stack.push(child);
    return undefined;
  };
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (visit(node) === false) continue;
    const firstChild = stack.length;
    ts.forEachChild(node, push);
    // The children came first to last; the stack pops the last pushed first, so turn them round.
    for (let low = firstChild, high = stack.length - 1; low < high; low++, high--) {
      const child = stack[low];
      stack[low] = stack[high];
      stack[high] = child;
    }
  }
}
