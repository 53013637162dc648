/**
 * The virtualised table's arithmetic: which rows a scroll position shows (plus a few either side,
 * so fast scrolling does not flash empty space), the space the rows above and below take, and
 * where to scroll so a row is in view. Rows have one fixed height.
 */

export interface RowWindow {
  /** First row in the DOM. */
  first: number;
  /** One past the last row in the DOM. */
  last: number;
  /** Height of the rows before `first` and after `last - 1`, in pixels: the spacers' heights. */
  before: number;
  after: number;
}

export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 8): RowWindow {
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const first = Math.max(0, Math.min(rowCount, Math.floor(Math.max(0, scrollTop) / rowHeight) - overscan));
  const last = Math.min(rowCount, first + shown + 2 * overscan);
  return { first, last, before: first * rowHeight, after: (rowCount - last) * rowHeight };
}

/**
 * The scroll position that shows `row` whole, moving as little as possible; `hidden` is the height
 * at the top that a sticky header covers.
 */
export function scrollToRow(row: number, scrollTop: number, viewportHeight: number, rowHeight: number, hidden = 0): number {
  const top = row * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight + hidden;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return scrollTop;
}
