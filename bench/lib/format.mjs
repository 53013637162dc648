// Plain-text tables and number formats for the bench's report.

/** @param {string[]} header @param {Array<Array<string | number>>} rows */
export function table(header, rows) {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  // Text in the first column reads left to right; figures line up on the right.
  const line = (row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(cells[0]), widths.map((width) => '─'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const integer = (value) => Math.round(value).toLocaleString('en-US');
export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
