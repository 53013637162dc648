/**
 * The flame graph's window onto its layout: which part of the x axis (in the profile's unit)
 * fills the canvas, and how zooming and panning move it. Pure maths, so the drawing code stays a
 * thin loop over what these return; the window never leaves [0, span] and never gets narrower
 * than `MIN_WIDTH_FRACTION` of the span (past that, float rounding breaks hit-testing).
 */

export interface Viewport {
  x0: number;
  x1: number;
}

const MIN_WIDTH_FRACTION = 1e-9;

/** The whole layout; a unit-wide window for an empty one (nothing to divide by zero). */
export function fullViewport(span: number): Viewport {
  return { x0: 0, x1: span > 0 ? span : 1 };
}

/**
 * Zoomed by `factor` (> 1 in, < 1 out) around the point at `anchor` (0 = left edge, 1 = right)
 * of the canvas, which stays where it is on screen.
 */
export function zoomAround(view: Viewport, span: number, anchor: number, factor: number): Viewport {
  const full = fullViewport(span);
  const width = view.x1 - view.x0;
  const next = Math.min(full.x1, Math.max(full.x1 * MIN_WIDTH_FRACTION, width / factor));
  const at = view.x0 + anchor * width;
  return clampViewport({ x0: at - anchor * next, x1: at - anchor * next + next }, span);
}

/** Moved right by `dx` (in the profile's unit; negative: left), stopping at either end. */
export function panBy(view: Viewport, span: number, dx: number): Viewport {
  return clampViewport({ x0: view.x0 + dx, x1: view.x1 + dx }, span);
}

/** The window that shows [start, start + width] across the whole canvas. */
export function viewportOf(start: number, width: number, span: number): Viewport {
  if (!(width > 0)) return fullViewport(span);
  return clampViewport({ x0: start, x1: start + width }, span);
}

/** A layout x as a canvas x (CSS pixels). */
export function toPixel(view: Viewport, x: number, pixels: number): number {
  return ((x - view.x0) * pixels) / (view.x1 - view.x0);
}

/** A canvas x (CSS pixels) as a layout x. */
export function fromPixel(view: Viewport, px: number, pixels: number): number {
  return view.x0 + (px * (view.x1 - view.x0)) / pixels;
}

/** Kept inside [0, span] with its width (or the whole span when wider). */
function clampViewport(view: Viewport, span: number): Viewport {
  const full = fullViewport(span);
  const width = Math.min(view.x1 - view.x0, full.x1);
  const x0 = Math.min(Math.max(view.x0, 0), full.x1 - width);
  return { x0, x1: x0 + width };
}

/** The vertical scroll (CSS pixels from the top row) kept so the rows' bottom never rises above the canvas's. */
export function clampScroll(top: number, contentHeight: number, canvasHeight: number): number {
  return Math.max(0, Math.min(top, contentHeight - canvasHeight));
}
