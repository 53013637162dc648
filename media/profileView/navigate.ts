/**
 * Moving the selection through a flame layout with the keyboard: to the node's parent (its caller
 * in the flame graph and in the callees half of a sandwich; in the callers half, where callers grow
 * away from the function, the frame one step nearer the function), to its first child, to the
 * previous or next frame of the same row. Layout nodes are in preorder with their depths, and each row is
 * indexed left to right, so every step is a short walk or a bisection.
 */
import type { FlameLayout } from '../../src/profileView/flame';

export type Step = 'parent' | 'child' | 'previous' | 'next';

/** The node one `step` from `node`, or `node` itself when there is none that way. */
export function stepFrom(layout: FlameLayout, node: number, step: Step): number {
  if (node < 0 || node >= layout.size) return layout.size > 0 ? 0 : -1;
  const depth = layout.depth[node];
  switch (step) {
    case 'parent': {
      if (depth === 0) return node;
      // In preorder the parent is the nearest earlier node one row up.
      let up = node - 1;
      while (layout.depth[up] !== depth - 1) up--;
      return up;
    }
    case 'child':
      // The first child, if any, comes right after its parent.
      return node + 1 < layout.end[node] ? node + 1 : node;
    case 'previous':
    case 'next': {
      const from = layout.rowStart[depth];
      const to = layout.rowStart[depth + 1];
      let at = from;
      while (at < to && layout.rowNodes[at] !== node) at++;
      const next = step === 'next' ? at + 1 : at - 1;
      return next >= from && next < to ? layout.rowNodes[next] : node;
    }
  }
}
