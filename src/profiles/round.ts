/** Weights as reports write them: to `digits` decimals (a thousandth of a millisecond is a microsecond, V8's unit). */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
