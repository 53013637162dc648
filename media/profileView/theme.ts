/**
 * The theme as the canvas needs it: VS Code sets its colours as CSS variables on the page and
 * changes them (and the body's class) when the user switches theme; canvases read them here and
 * redraw on a switch.
 */
import { FALLBACK_PALETTE, labelColour, mix, PALETTE_VARIABLES, parseColour, toCss, type Rgb } from './colours';

export interface CanvasTheme {
  background: string;
  /** Per palette entry: the bar, the bar faded (not a search match), and the label's colour on each. */
  bars: Array<{ fill: string; faded: string; label: string; fadedLabel: string }>;
  /** Outline of the selected function's bars. */
  selection: string;
  /** High contrast themes outline every bar. */
  border: string | undefined;
  font: string;
}

export function readTheme(): CanvasTheme {
  const style = getComputedStyle(document.body);
  const variable = (name: string): string => style.getPropertyValue(name).trim();
  const background = parseColour(variable('--vscode-editor-background')) ?? [30, 30, 30];
  const bars = PALETTE_VARIABLES.map((name, index) => {
    const fill: Rgb = parseColour(variable(name)) ?? parseColour(FALLBACK_PALETTE[index])!;
    const faded = mix(fill, background, 0.75);
    return { fill: toCss(fill), faded: toCss(faded), label: toCss(labelColour(fill)), fadedLabel: toCss(labelColour(faded)) };
  });
  const contrastBorder = variable('--vscode-contrastBorder');
  return {
    background: toCss(background),
    bars,
    selection: variable('--vscode-focusBorder') || variable('--vscode-editor-foreground') || '#ffffff',
    border: contrastBorder || undefined,
    font: `12px ${variable('--vscode-font-family') || 'sans-serif'}`,
  };
}

/** Calls `changed` whenever VS Code switches theme (it rewrites the body's class and style). */
export function onThemeChange(changed: () => void): void {
  new MutationObserver(changed).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
}
