/**
 * The bottom-up table as a real <table> a screen reader reads (aria-rowcount, aria-rowindex,
 * aria-sort on the headers), virtualised: only the rows in view (rowWindow.ts) are in the DOM,
 * between two spacer rows that keep the scrollbar true. One row is focusable at a time (roving
 * tabindex): arrows move, Enter opens the source, Space selects.
 */
import type { ViewFunction } from '../../src/profileView/data';
import { formatShare, formatWeight } from '../../src/profileView/format';
import type { FunctionTable, SortKey } from '../../src/profileView/table';
import type { ProfileUnit } from '../../src/profiles/model';
import { location } from './describe';
import { rowWindow, scrollToRow } from './rowWindow';

/** Must match `tbody tr { height }` in media/profileView.css. */
const ROW_HEIGHT = 22;

export interface TableViewOptions {
  onSelect(fn: number): void;
  /** A row was clicked: show its source, the focus staying in the table. */
  onClick(fn: number): void;
  /** Double-click or Enter: open the source and move into it. */
  onOpen(fn: number): void;
  onSort(key: SortKey): void;
}

export class TableView {
  private table: FunctionTable | undefined;
  private rows: Int32Array = new Int32Array(0);
  private functions: readonly ViewFunction[] = [];
  private unit: ProfileUnit = 'ms';
  private selectedFn = -1;
  /** Position in `rows` of the row that takes focus (the roving tabindex). */
  private focusAt = 0;
  private frame = 0;

  constructor(
    private readonly scroll: HTMLElement,
    private readonly element: HTMLTableElement,
    private readonly body: HTMLTableSectionElement,
    private readonly options: TableViewOptions,
  ) {
    scroll.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render()).observe(scroll);
    for (const button of element.querySelectorAll<HTMLButtonElement>('thead button[data-key]'))
      button.addEventListener('click', () => options.onSort(button.dataset.key as SortKey));
    body.addEventListener('click', (event) => {
      const at = this.rowOf(event.target);
      if (at < 0) return;
      this.choose(at, false);
      options.onClick(this.table!.fn[this.rows[at]]);
    });
    body.addEventListener('dblclick', (event) => {
      const at = this.rowOf(event.target);
      if (at >= 0) options.onOpen(this.table!.fn[this.rows[at]]);
    });
    body.addEventListener('keydown', (event) => this.onKey(event));
  }

  setRows(table: FunctionTable, rows: Int32Array, functions: readonly ViewFunction[], unit: ProfileUnit): void {
    this.table = table;
    this.rows = rows;
    this.functions = functions;
    this.unit = unit;
    this.focusAt = Math.max(0, this.positionOf(this.selectedFn));
    this.element.setAttribute('aria-rowcount', String(rows.length + 1));
    this.renderNow();
  }

  setSort(key: SortKey, reverse: boolean): void {
    for (const header of this.element.querySelectorAll<HTMLElement>('thead th')) {
      const button = header.querySelector<HTMLButtonElement>('button[data-key]');
      if (!button) continue;
      // Weights sort heaviest first, names A to Z; `reverse` flips either.
      const natural = button.dataset.key === 'name' ? 'ascending' : 'descending';
      const flipped = natural === 'ascending' ? 'descending' : 'ascending';
      header.setAttribute('aria-sort', button.dataset.key === key ? (reverse ? flipped : natural) : 'none');
    }
  }

  /** Marks `fn`'s row selected and scrolls it into view (when the filter keeps it). */
  setSelected(fn: number): void {
    this.selectedFn = fn;
    const at = this.positionOf(fn);
    if (at >= 0) {
      this.focusAt = at;
      this.scroll.scrollTop = scrollToRow(at, this.scroll.scrollTop, this.scroll.clientHeight, ROW_HEIGHT, this.headerHeight());
    }
    this.renderNow();
  }

  private positionOf(fn: number): number {
    if (!this.table || fn < 0) return -1;
    for (let at = 0; at < this.rows.length; at++) if (this.table.fn[this.rows[at]] === fn) return at;
    return -1;
  }

  private headerHeight(): number {
    return this.element.tHead?.offsetHeight ?? 0;
  }

  private render(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  private renderNow(): void {
    const table = this.table;
    if (!table) return;
    const hadFocus = this.body.contains(document.activeElement);
    const view = rowWindow(this.scroll.scrollTop, this.scroll.clientHeight, ROW_HEIGHT, this.rows.length);
    const rows: HTMLTableRowElement[] = [];
    if (view.before > 0) rows.push(spacer(view.before));
    for (let at = view.first; at < view.last; at++) rows.push(this.row(table, at));
    if (view.after > 0) rows.push(spacer(view.after));
    if (this.rows.length === 0) {
      const empty = document.createElement('tr');
      const cell = empty.appendChild(document.createElement('td'));
      cell.colSpan = 4;
      cell.className = 'empty';
      cell.textContent = 'No function matches the filter.';
      rows.push(empty);
    }
    this.body.replaceChildren(...rows);
    if (hadFocus) this.body.querySelector<HTMLElement>('tr[tabindex="0"]')?.focus({ preventScroll: true });
  }

  private row(table: FunctionTable, at: number): HTMLTableRowElement {
    const index = this.rows[at];
    const fn = table.fn[index];
    const info = this.functions[fn];
    const tr = document.createElement('tr');
    tr.dataset.at = String(at);
    tr.setAttribute('aria-rowindex', String(at + 2));
    tr.tabIndex = at === this.focusAt ? 0 : -1;
    if (fn === this.selectedFn) tr.setAttribute('aria-selected', 'true');
    const cells: Array<[string, string]> = [
      [`${formatWeight(table.self[index], this.unit)} (${formatShare(table.self[index], table.profileTotal)})`, 'num'],
      [`${formatWeight(table.total[index], this.unit)} (${formatShare(table.total[index], table.profileTotal)})`, 'num'],
      [info.name, 'name'],
      [location(info), 'location'],
    ];
    for (const [text, className] of cells) {
      const td = tr.appendChild(document.createElement('td'));
      td.className = className;
      // Text, never markup: names come from the profile.
      td.textContent = text;
      if (className !== 'num') td.title = text;
    }
    return tr;
  }

  private rowOf(target: EventTarget | null): number {
    const tr = (target as HTMLElement | null)?.closest?.('tr[data-at]');
    return tr ? Number((tr as HTMLElement).dataset.at) : -1;
  }

  /** Row `at` becomes the focused and the selected row (`keepFocus`: the DOM focus stays where it is). */
  private choose(at: number, keepFocus: boolean): void {
    if (!this.table || at < 0 || at >= this.rows.length) return;
    this.focusAt = at;
    this.options.onSelect(this.table.fn[this.rows[at]]);
    if (!keepFocus) this.body.querySelector<HTMLElement>(`tr[data-at="${at}"]`)?.focus({ preventScroll: true });
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.table || this.rows.length === 0) return;
    const page = Math.max(1, Math.floor(this.scroll.clientHeight / ROW_HEIGHT) - 1);
    let next = this.focusAt;
    switch (event.key) {
      case 'ArrowDown':
        next++;
        break;
      case 'ArrowUp':
        next--;
        break;
      case 'PageDown':
        next += page;
        break;
      case 'PageUp':
        next -= page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.rows.length - 1;
        break;
      case 'Enter':
        event.preventDefault();
        this.options.onOpen(this.table.fn[this.rows[this.focusAt]]);
        return;
      case ' ':
        event.preventDefault();
        this.choose(this.focusAt, false);
        return;
      default:
        return;
    }
    event.preventDefault();
    next = Math.max(0, Math.min(this.rows.length - 1, next));
    this.focusAt = next;
    this.scroll.scrollTop = scrollToRow(next, this.scroll.scrollTop, this.scroll.clientHeight, ROW_HEIGHT, this.headerHeight());
    // Moving the focus selects too: the sandwich follows the row the keyboard is on.
    this.options.onSelect(this.table.fn[this.rows[next]]);
    this.renderNow();
    this.body.querySelector<HTMLElement>(`tr[data-at="${next}"]`)?.focus({ preventScroll: true });
  }
}

function spacer(height: number): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = 'spacer';
  tr.setAttribute('aria-hidden', 'true');
  // CSSOM, not a style attribute: the page's CSP forbids inline styles.
  tr.style.height = `${height}px`;
  return tr;
}
