/**
 * Flame colours from the theme: bars take VS Code's chart colours (`--vscode-charts-*`), which
 * every theme — light, dark, high contrast — defines with contrast against its background; the
 * label on a bar is black or white, whichever contrasts more; bars that do not match a search are
 * faded towards the background so the matches stand out.
 */

/** The theme variables bars are coloured from, in the order a function's hash picks them. */
export const PALETTE_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
  '--vscode-charts-red',
];

/** VS Code's dark theme chart colours: used for a variable a theme (or an older VS Code) leaves unset. */
export const FALLBACK_PALETTE = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#cca700', '#f14c4c'];

export type Rgb = [number, number, number];

/** Which palette entry a function gets: by its name, so a function keeps its colour across views and modes. */
export function paletteIndex(name: string, paletteSize: number): number {
  let hash = 2166136261;
  for (let at = 0; at < name.length; at++) hash = Math.imul(hash ^ name.charCodeAt(at), 16777619);
  return (hash >>> 0) % paletteSize;
}

/** A CSS colour as the theme writes it (`#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`), or undefined. */
export function parseColour(css: string): Rgb | undefined {
  const text = css.trim().toLowerCase();
  let match = /^#([0-9a-f]{3,4})$/.exec(text);
  if (match) return [0, 1, 2].map((i) => parseInt(match![1][i] + match![1][i], 16)) as Rgb;
  match = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/.exec(text);
  if (match) return [0, 2, 4].map((i) => parseInt(match![1].slice(i, i + 2), 16)) as Rgb;
  match = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(text);
  if (match) return [Number(match[1]), Number(match[2]), Number(match[3])];
  return undefined;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
function luminance([r, g, b]: Rgb): number {
  const channel = (value: number): number => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/**
 * WCAG contrast ratio of two colours, 1 to 21.
 * @internal exported for the palette's contrast test (test/profileView/page.test.ts)
 */
export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white: whichever reads better on `bar`. */
export function labelColour(bar: Rgb): Rgb {
  return contrast(bar, [0, 0, 0]) >= contrast(bar, [255, 255, 255]) ? [0, 0, 0] : [255, 255, 255];
}

/** `colour` moved `amount` (0..1) of the way towards `towards`. */
export function mix(colour: Rgb, towards: Rgb, amount: number): Rgb {
  return colour.map((value, i) => Math.round(value + (towards[i] - value) * amount)) as Rgb;
}

export function toCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}
