/**
 * Fitting a label into a bar: the longest prefix of the text that fits with an ellipsis, found by
 * bisection (a label is measured O(log n) times, not once per character).
 */

/** Labels shorter than this many characters (ellipsis included) are not worth drawing. */
const MIN_CHARACTERS = 3;

/** `text`, or its longest prefix + `…` that measures at most `width`; '' when not even that fits. */
export function fitLabel(text: string, width: number, measure: (text: string) => number): string {
  if (width <= 0 || text === '') return '';
  if (measure(text) <= width) return text;
  let low = 0;
  let high = text.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (measure(`${text.slice(0, middle)}…`) <= width) low = middle;
    else high = middle - 1;
  }
  return low + 1 >= MIN_CHARACTERS ? `${text.slice(0, low)}…` : '';
}
