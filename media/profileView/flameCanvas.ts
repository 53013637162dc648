/**
 * A flame graph on a canvas: draws what `visibleNodes` says is visible, hit-tests with `nodeAt`,
 * and turns wheel, drag and keys into viewport.ts's zoom and pan. Used for the main graph and
 * for the sandwich's two halves (`inverted`: callers grow upwards from the bottom row).
 */
import type { ViewFunction } from '../../src/profileView/data';
import { nodeAt, visibleNodes, type FlameLayout } from '../../src/profileView/flame';
import { paletteIndex } from './colours';
import { fitLabel } from './labels';
import { stepFrom, type Step } from './navigate';
import type { CanvasTheme } from './theme';
import { clampScroll, fromPixel, fullViewport, panBy, toPixel, viewportOf, zoomAround, type Viewport } from './viewport';

const ROW = 18;
const ZOOM_STEP = 1.5;
/** Shift + arrow: where the selection moves; in an inverted graph a parent is drawn below its children. */
const STEPS: Record<string, Step> = { ArrowUp: 'parent', ArrowDown: 'child', ArrowLeft: 'previous', ArrowRight: 'next' };
const INVERTED_STEPS: Record<string, Step> = { ...STEPS, ArrowUp: 'child', ArrowDown: 'parent' };
/** Bars narrower than this many CSS pixels get no label. */
const MIN_LABEL_WIDTH = 24;

export interface FlameCanvasOptions {
  inverted?: boolean;
  /** The model's functions (the canvas outlives a model: read when drawing). */
  functions(): readonly ViewFunction[];
  theme: () => CanvasTheme;
  /** The user hovered a node (-1: none), at page coordinates. */
  onHover?(node: number, x: number, y: number): void;
  /** The selection moved to `fn` (a click, the keyboard, the table). */
  onSelect?(fn: number): void;
  /** A frame of `fn` was clicked: show its source, the focus staying here. */
  onClick?(fn: number): void;
  /** Double-click or Enter: open `fn`'s source and move into it. */
  onOpen?(fn: number): void;
  /** After each paint: the nodes drawn. */
  onDrawn?(drawn: Int32Array): void;
}

export class FlameCanvas {
  layout: FlameLayout | undefined;
  private view: Viewport = fullViewport(0);
  private scrollTop = 0;
  private highlight: Uint8Array | undefined;
  private selectedFn = -1;
  /** The frame the keyboard moves from: the one clicked, or the first of the selected function. */
  private selectedNode = -1;
  private frame = 0;
  private drag: { x: number; y: number; view: Viewport; scrollTop: number; moved: boolean } | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly options: FlameCanvasOptions,
  ) {
    new ResizeObserver(() => this.draw()).observe(canvas);
    canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    canvas.addEventListener('mousedown', (event) => this.onMouseDown(event));
    canvas.addEventListener('mousemove', (event) => this.onMouseMove(event));
    canvas.addEventListener('mouseleave', () => options.onHover?.(-1, 0, 0));
    window.addEventListener('mouseup', (event) => this.onMouseUp(event));
    canvas.addEventListener('dblclick', (event) => {
      const node = this.nodeAtEvent(event);
      if (node >= 0 && this.layout) options.onOpen?.(this.layout.fn[node]);
    });
    canvas.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** A new layout; `keep` keeps the zoom (same x axis, e.g. a search changed) instead of showing all. */
  setLayout(layout: FlameLayout | undefined, keep = false): void {
    this.layout = layout;
    this.selectedNode = -1;
    if (!keep) {
      this.view = fullViewport(layout?.span ?? 0);
      this.scrollTop = 0;
    }
    this.draw();
  }

  setHighlight(matches: Uint8Array | undefined): void {
    this.highlight = matches;
    this.draw();
  }

  setSelected(fn: number): void {
    this.selectedFn = fn;
    const layout = this.layout;
    if (layout && (this.selectedNode < 0 || layout.fn[this.selectedNode] !== fn)) this.selectedNode = fn < 0 ? -1 : layout.fn.indexOf(fn);
    this.draw();
  }

  resetZoom(): void {
    this.view = fullViewport(this.layout?.span ?? 0);
    this.scrollTop = 0;
    this.draw();
  }

  /** Zooms to the first node of `fn` (the widest path to it in a left-heavy layout). */
  reveal(fn: number): void {
    const layout = this.layout;
    if (!layout) return;
    const node = layout.fn.indexOf(fn);
    if (node < 0) return;
    this.view = viewportOf(layout.start[node], layout.width[node], layout.span);
    const height = this.canvas.clientHeight;
    const y = layout.depth[node] * ROW;
    if (y < this.scrollTop || y + ROW > this.scrollTop + height) this.scrollTop = clampScroll(y - height / 2, this.contentHeight(), height);
    this.draw();
  }

  /** Paints on the next animation frame (several changes in one task paint once). */
  draw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private contentHeight(): number {
    return ((this.layout?.maxDepth ?? -1) + 1) * ROW;
  }

  private paint(): void {
    const { canvas, layout } = this;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = canvas.getContext('2d');
    if (!context) return;
    const theme = this.options.theme();
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = theme.background;
    context.fillRect(0, 0, width, height);
    if (!layout || width === 0) {
      this.options.onDrawn?.(new Int32Array(0));
      return;
    }
    this.scrollTop = clampScroll(this.scrollTop, this.contentHeight(), height);
    const drawn = visibleNodes(layout, this.view.x0, this.view.x1, width, 1);
    const functions = this.options.functions();
    const highlight = this.highlight;
    context.font = theme.font;
    context.textBaseline = 'middle';
    const measure = (text: string): number => context.measureText(text).width;
    const selected: Array<[number, number, number]> = [];
    for (const node of drawn) {
      const y = this.rowTop(layout.depth[node], height);
      if (y + ROW < 0 || y > height) continue;
      const left = Math.max(-1, toPixel(this.view, layout.start[node], width));
      const right = Math.min(width + 1, toPixel(this.view, layout.start[node] + layout.width[node], width));
      const fn = layout.fn[node];
      const bar = theme.bars[paletteIndex(functions[fn].name, theme.bars.length)];
      const faded = highlight !== undefined && highlight[fn] !== 1;
      const w = Math.max(1, right - left - 1);
      context.fillStyle = faded ? bar.faded : bar.fill;
      context.fillRect(left, y, w, ROW - 1);
      if (theme.border && w > 3) {
        context.strokeStyle = theme.border;
        context.lineWidth = 1;
        context.strokeRect(left + 0.5, y + 0.5, w - 1, ROW - 2);
      }
      if (fn === this.selectedFn) selected.push([left, y, w]);
      if (w >= MIN_LABEL_WIDTH) {
        const label = fitLabel(functions[fn].name, w - 6, measure);
        if (label) {
          context.fillStyle = faded ? bar.fadedLabel : bar.label;
          context.fillText(label, Math.max(left, 0) + 3, y + ROW / 2);
        }
      }
    }
    // Outlines last, over their neighbours: the selection is never hidden under a bar.
    context.strokeStyle = theme.selection;
    context.lineWidth = 2;
    for (const [left, y, w] of selected) context.strokeRect(left + 1, y + 1, Math.max(1, w - 2), ROW - 3);
    this.options.onDrawn?.(drawn);
  }

  private rowTop(depth: number, height: number): number {
    return this.options.inverted ? height - (depth + 1) * ROW + this.scrollTop : depth * ROW - this.scrollTop;
  }

  private nodeAtEvent(event: MouseEvent): number {
    const layout = this.layout;
    if (!layout) return -1;
    const rect = this.canvas.getBoundingClientRect();
    const x = fromPixel(this.view, event.clientX - rect.left, rect.width);
    const y = event.clientY - rect.top;
    const depth = this.options.inverted ? Math.floor((rect.height - y + this.scrollTop) / ROW) : Math.floor((y + this.scrollTop) / ROW);
    return nodeAt(layout, x, depth);
  }

  private onWheel(event: WheelEvent): void {
    if (!this.layout) return;
    event.preventDefault();
    const width = this.canvas.clientWidth;
    if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      const pixels = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
      this.view = panBy(this.view, this.layout.span, fromPixel(this.view, pixels, width) - this.view.x0);
    } else {
      const anchor = (event.clientX - this.canvas.getBoundingClientRect().left) / width;
      this.view = zoomAround(this.view, this.layout.span, anchor, Math.exp(-event.deltaY * 0.002));
    }
    this.draw();
  }

  private onMouseDown(event: MouseEvent): void {
    if (event.button !== 0) return;
    this.drag = { x: event.clientX, y: event.clientY, view: this.view, scrollTop: this.scrollTop, moved: false };
  }

  private onMouseMove(event: MouseEvent): void {
    const drag = this.drag;
    if (drag && this.layout) {
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        const width = this.canvas.clientWidth;
        this.view = panBy(drag.view, this.layout.span, -(fromPixel(drag.view, dx, width) - drag.view.x0));
        const rise = this.options.inverted ? dy : -dy;
        this.scrollTop = clampScroll(drag.scrollTop + rise, this.contentHeight(), this.canvas.clientHeight);
        this.draw();
        return;
      }
    }
    this.options.onHover?.(this.nodeAtEvent(event), event.clientX, event.clientY);
  }

  private onMouseUp(event: MouseEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    if (!drag || drag.moved || event.target !== this.canvas) return;
    const node = this.nodeAtEvent(event);
    if (node >= 0 && this.layout) {
      this.selectedNode = node;
      this.options.onSelect?.(this.layout.fn[node]);
      this.options.onClick?.(this.layout.fn[node]);
    }
  }

  /** Pans (or zooms out to) the node and scrolls to its row, moving as little as possible. */
  private bringIntoView(node: number): void {
    const layout = this.layout!;
    const start = layout.start[node];
    const end = start + layout.width[node];
    const width = this.view.x1 - this.view.x0;
    if (end - start > width) this.view = viewportOf(start, end - start, layout.span);
    else if (start < this.view.x0) this.view = panBy(this.view, layout.span, start - this.view.x0);
    else if (end > this.view.x1) this.view = panBy(this.view, layout.span, end - this.view.x1);
    const height = this.canvas.clientHeight;
    const y = layout.depth[node] * ROW;
    // scrollTop counts from the first row's side: the top, or the bottom when inverted.
    if (y < this.scrollTop) this.scrollTop = y;
    else if (y + ROW > this.scrollTop + height) this.scrollTop = clampScroll(y + ROW - height, this.contentHeight(), height);
  }

  private onKey(event: KeyboardEvent): void {
    const layout = this.layout;
    if (!layout) return;
    const width = this.view.x1 - this.view.x0;
    const height = this.canvas.clientHeight;
    const rows = this.options.inverted ? -ROW * 3 : ROW * 3;
    const steps = this.options.inverted ? INVERTED_STEPS : STEPS;
    if (event.shiftKey && steps[event.key]) {
      const next = stepFrom(layout, this.selectedNode, steps[event.key]);
      if (next >= 0) {
        this.selectedNode = next;
        this.bringIntoView(next);
        this.options.onSelect?.(layout.fn[next]);
      }
      event.preventDefault();
      this.draw();
      return;
    }
    switch (event.key) {
      case 'ArrowLeft':
        this.view = panBy(this.view, layout.span, -width / 10);
        break;
      case 'ArrowRight':
        this.view = panBy(this.view, layout.span, width / 10);
        break;
      case 'ArrowUp':
        this.scrollTop = clampScroll(this.scrollTop - rows, this.contentHeight(), height);
        break;
      case 'ArrowDown':
        this.scrollTop = clampScroll(this.scrollTop + rows, this.contentHeight(), height);
        break;
      case '+':
      case '=':
        this.view = zoomAround(this.view, layout.span, 0.5, ZOOM_STEP);
        break;
      case '-':
      case '_':
        this.view = zoomAround(this.view, layout.span, 0.5, 1 / ZOOM_STEP);
        break;
      case '0':
        this.resetZoom();
        break;
      case 'Enter':
        if (this.selectedFn >= 0) this.options.onOpen?.(this.selectedFn);
        break;
      default:
        return;
    }
    event.preventDefault();
    this.draw();
  }
}
