import { config } from './config';

// Intl formatters are expensive to build (locale data lookup); one per process is plenty.
const shopCurrency = new Intl.NumberFormat('de-DE', { style: 'currency', currency: config.currency });

export function formatCents(cents: number): string {
  return shopCurrency.format(cents / 100);
}

export function applyPercentOff(cents: number, percentOff: number): number {
  return Math.round((cents * (100 - percentOff)) / 100);
}
