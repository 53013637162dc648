/**
 * How the view writes weights and shares: every label of the flame graph, table, tooltips and
 * line heat comes from here, so `12.3 ms`, `4.1 KB` and `(4.1%)` read the same everywhere.
 */
import type { ProfileUnit } from '../profiles/model';

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'];

/**
 * A weight in the profile's unit: ms as `0.42 ms`, `12.3 ms`, `1.23 s`; bytes as `512 B`, `4.1 KB`
 * (powers of 1024, as DevTools shows heap sizes); samples as `1,234 samples`.
 */
export function formatWeight(value: number, unit: ProfileUnit): string {
  switch (unit) {
    case 'ms':
      if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
      return `${value >= 10 || value === 0 ? value.toFixed(1) : value.toFixed(2)} ms`;
    case 'bytes': {
      if (value < 1024) return `${Math.round(value)} B`;
      let scaled = value / 1024;
      let index = 0;
      while (scaled >= 1024 && index < BYTE_UNITS.length - 1) {
        scaled /= 1024;
        index++;
      }
      return `${scaled.toFixed(1)} ${BYTE_UNITS[index]}`;
    }
    case 'samples': {
      const count = Math.round(value);
      return `${count.toLocaleString('en-US')} ${count === 1 ? 'sample' : 'samples'}`;
    }
  }
}

/**
 * `part` as a percentage of `whole` with one decimal; `<0.1%` rather than a misleading `0.0%`.
 */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const percent = (100 * part) / whole;
  return percent < 0.1 ? '<0.1%' : `${percent.toFixed(1)}%`;
}

/**
 * The inline label of a hot line or a tooltip: `12.3 ms (4.1%)`.
 */
export function formatWeightAndShare(value: number, whole: number, unit: ProfileUnit): string {
  return `${formatWeight(value, unit)} (${formatShare(value, whole)})`;
}
