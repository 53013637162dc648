/**
 * Everything the page draws, computed from the model and the user's choices: the folded tree
 * ("My code only"), the flame layout of the chosen order, the table and the search's matches.
 * Recomputed only when its inputs change; no DOM.
 */
import type { ViewData } from '../../src/profileView/data';
import { callOrderLayout, leftHeavyLayout, timelineLayout, type FlameLayout } from '../../src/profileView/flame';
import { hiddenFunctions } from '../../src/profileView/myCode';
import { sandwich, type Sandwich } from '../../src/profileView/sandwich';
import { filterRows, matchFunctions } from '../../src/profileView/search';
import { functionTable, sortRows, type FunctionTable, type SortKey } from '../../src/profileView/table';
import { foldTree, type ViewTree } from '../../src/profileView/viewTree';

/** `time`: the recording's timeline (call order for formats that record none); `left`: left heavy. */
export type FlameOrder = 'time' | 'left';

export interface Choices {
  myCodeOnly: boolean;
  order: FlameOrder;
  sort: SortKey;
  /** Reverse the sort's natural direction (weights heaviest first, names A to Z). */
  reverse: boolean;
  filter: string;
  search: string;
}

export const DEFAULT_CHOICES: Choices = { myCodeOnly: false, order: 'time', sort: 'self', reverse: false, filter: '', search: '' };

/** Recomputes each piece only when what it depends on changed. */
export class Views {
  private tree: ViewTree | undefined;
  private layout: FlameLayout | undefined;
  private table: FunctionTable | undefined;
  private order: Int32Array | undefined;
  private rows: Int32Array | undefined;
  private matches: Uint8Array | undefined;
  private last: Choices | undefined;
  private sandwiches = new Map<number, Sandwich>();

  constructor(readonly data: ViewData) {}

  update(choices: Choices): void {
    const last = this.last;
    if (!last || last.myCodeOnly !== choices.myCodeOnly) {
      this.tree = foldTree(this.data, hiddenFunctions(this.data.functions, choices.myCodeOnly));
      this.layout = undefined;
      this.table = undefined;
      this.sandwiches.clear();
    }
    const tree = this.tree!;
    if (!this.layout || !last || last.order !== choices.order) this.layout = this.flameLayout(tree, choices.order);
    if (!this.table) {
      this.table = functionTable(tree);
      this.order = undefined;
    }
    if (!this.order || !last || last.sort !== choices.sort || last.reverse !== choices.reverse) {
      this.order = sortRows(this.table, this.data.functions, choices.sort, choices.reverse);
      this.rows = undefined;
    }
    if (!this.rows || !last || last.filter !== choices.filter)
      this.rows = filterRows(this.table, this.order, matchFunctions(this.data.functions, choices.filter));
    if (!last || last.search !== choices.search) this.matches = matchFunctions(this.data.functions, choices.search);
    this.last = { ...choices };
  }

  private flameLayout(tree: ViewTree, order: FlameOrder): FlameLayout {
    if (order === 'left') return leftHeavyLayout(tree);
    return this.data.timeline ? timelineLayout(tree, this.data.timeline) : callOrderLayout(tree);
  }

  get flame(): FlameLayout {
    return this.layout!;
  }

  get functionTable(): FunctionTable {
    return this.table!;
  }

  /** The table's rows to show, in order (indices into `functionTable`). */
  get tableRows(): Int32Array {
    return this.rows!;
  }

  /** 1 per function the search matches; undefined when the search box is blank. */
  get searchMatches(): Uint8Array | undefined {
    return this.matches;
  }

  /** Weight no node carries ("My code only" folded it away with no visible caller). */
  get unattributed(): number {
    return this.tree!.unattributed;
  }

  sandwichOf(fn: number): Sandwich {
    let found = this.sandwiches.get(fn);
    if (!found) {
      found = sandwich(this.tree!, fn);
      // One or two are looked at in a row; a map of every function ever selected is not worth keeping.
      if (this.sandwiches.size > 8) this.sandwiches.clear();
      this.sandwiches.set(fn, found);
    }
    return found;
  }
}
