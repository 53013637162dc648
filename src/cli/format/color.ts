/**
 * Whether text output is coloured, and the few styles it uses. Colour only helps a person at a
 * terminal: piped output stays plain unless FORCE_COLOR asks (https://force-color.org), and
 * NO_COLOR (https://no-color.org) turns it off.
 */
export interface ColorEnvironment {
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export function useColor({ isTTY, env }: ColorEnvironment): boolean {
  const force = env.FORCE_COLOR;
  // As in Node itself, FORCE_COLOR wins over NO_COLOR; FORCE_COLOR=0 or false turns colour off.
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export type Style = (text: string) => string;

export interface Palette {
  red: Style;
  yellow: Style;
  blue: Style;
  green: Style;
  dim: Style;
  bold: Style;
  underline: Style;
}

const ansi =
  (open: number, close: number): Style =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const plain: Style = (text) => text;

export function palette(color: boolean): Palette {
  if (!color) return { red: plain, yellow: plain, blue: plain, green: plain, dim: plain, bold: plain, underline: plain };
  return {
    red: ansi(31, 39),
    yellow: ansi(33, 39),
    blue: ansi(34, 39),
    green: ansi(32, 39),
    dim: ansi(2, 22),
    bold: ansi(1, 22),
    underline: ansi(4, 24),
  };
}
