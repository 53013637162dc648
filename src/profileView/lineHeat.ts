/**
 * Line heat in the editor, as data: for each line of a file that the loaded profile spent self
 * time on, how hot it is (a level of the gutter/background scale) and, for a hot line, the inline
 * label `12.3 ms (4.1%)`. The editor side turns these into decorations; nothing here knows VS Code.
 */
import type { ProfileUnit } from '../profiles/model';
import { formatWeightAndShare } from './format';

/** A line's self weight, by the local path of its file. */
export interface LineWeight {
  path: string;
  /** 1-based. */
  line: number;
  self: number;
  /** The function that ran on the line (index into `ViewData.functions`); -1 when not known. */
  fn: number;
}

export interface LineHeat {
  /** 1-based. */
  line: number;
  self: number;
  /** The function that ran on it (index into `ViewData.functions`); -1 when not known. */
  fn: number;
  /** 1 (coolest) … HEAT_LEVELS (hottest), relative to the profile's hottest line. */
  level: number;
  /** `12.3 ms (4.1%)` on lines with at least LABEL_SHARE of the profile; undefined on the others. */
  label: string | undefined;
}

export const HEAT_LEVELS = 4;
/** A line is labelled from half a percent of the profile's weight up: below, the label is noise. */
const LABEL_SHARE = 0.005;

/** The heat of every weighed line, by file (path → lines, hottest first). */
export function lineHeat(lines: readonly LineWeight[], profileTotal: number, unit: ProfileUnit): Map<string, LineHeat[]> {
  const hottest = lines.reduce((max, line) => Math.max(max, line.self), 0);
  const byFile = new Map<string, LineHeat[]>();
  if (!(hottest > 0)) return byFile;
  for (const { path, line, self, fn } of lines) {
    if (!(self > 0) || line <= 0) continue;
    // A square root spreads the levels: a profile's hottest line usually dwarfs the rest.
    const level = Math.max(1, Math.ceil(HEAT_LEVELS * Math.sqrt(self / hottest)));
    const label = profileTotal > 0 && self / profileTotal >= LABEL_SHARE ? formatWeightAndShare(self, profileTotal, unit) : undefined;
    let file = byFile.get(path);
    if (!file) byFile.set(path, (file = []));
    file.push({ line, self, fn, level, label });
  }
  for (const file of byFile.values()) file.sort((a, b) => b.level - a.level || a.line - b.line);
  return byFile;
}
