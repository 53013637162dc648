/**
 * Entry of dist/webview.js, the profile view's page. It says `ready`, assembles the model from the
 * host's chunks (every message checked by protocol.ts, every index by ModelAssembler), then wires
 * the toolbar, the flame graph, the table and the sandwich to one selection. Names from the
 * profile go into the DOM only as text (textContent) or onto a canvas.
 */
import type { ViewData } from '../../src/profileView/data';
import { formatWeight } from '../../src/profileView/format';
import { ModelAssembler } from '../../src/profileView/modelChunks';
import { parseHostMessage, type PageMessage } from '../../src/profileView/protocol';
import type { SortKey } from '../../src/profileView/table';
import { matchingNodes } from '../../src/profileView/search';
import { openSourceMessage, tooltipLines, widestNodes } from './describe';
import { FlameCanvas } from './flameCanvas';
import { TableView } from './tableView';
import { onThemeChange, readTheme, type CanvasTheme } from './theme';
import { DEFAULT_CHOICES, Views, type Choices } from './views';

declare function acquireVsCodeApi(): { postMessage(message: PageMessage): void };
const host = acquireVsCodeApi();

/** How many of the widest drawn frames the accessible list names. */
const LISTED_FRAMES = 30;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
};

const app = byId('app');
const message = byId('message');
const tooltip = byId('tooltip');
const flameList = byId<HTMLOListElement>('flame-list');
const searchBox = byId<HTMLInputElement>('search');
const searchStatus = byId('search-status');
const filterBox = byId<HTMLInputElement>('filter');
const myCode = byId<HTMLInputElement>('my-code');
const modeTime = byId<HTMLButtonElement>('mode-time');
const modeLeft = byId<HTMLButtonElement>('mode-left');
const summaryText = byId('summary');
const sandwichTitle = byId('sandwich-title');
const sandwichEmpty = byId('sandwich-empty');
const notes = byId('notes');

let theme: CanvasTheme = readTheme();
let data: ViewData | undefined;
let views: Views | undefined;
let choices: Choices = { ...DEFAULT_CHOICES };
let selectedFn = -1;

const functions = (): ViewData['functions'] => data?.functions ?? [];

const flame = new FlameCanvas(byId('flame-canvas'), {
  functions,
  theme: () => theme,
  onHover: (node, x, y) => showTooltip(flame, node, x, y),
  onSelect: (fn) => select(fn),
  onClick: (fn) => openSource(fn, false),
  onOpen: (fn) => openSource(fn, true),
  onDrawn: (drawn) => listFrames(drawn),
});
const sandwichOptions = {
  functions,
  theme: () => theme,
  onSelect: (fn: number) => select(fn),
  onClick: (fn: number) => openSource(fn, false),
  onOpen: (fn: number) => openSource(fn, true),
};
const callers = new FlameCanvas(byId('callers-canvas'), {
  ...sandwichOptions,
  inverted: true,
  onHover: (node, x, y) => showTooltip(callers, node, x, y),
});
const callees = new FlameCanvas(byId('callees-canvas'), {
  ...sandwichOptions,
  onHover: (node, x, y) => showTooltip(callees, node, x, y),
});
const table = new TableView(byId('table-scroll'), byId<HTMLTableElement>('table'), byId<HTMLTableSectionElement>('rows'), {
  onSelect: (fn) => select(fn),
  onClick: (fn) => openSource(fn, false),
  onOpen: (fn) => openSource(fn, true),
  onSort: (key) => sortBy(key),
});

onThemeChange(() => {
  theme = readTheme();
  for (const canvas of [flame, callers, callees]) canvas.draw();
});

// ---------------------------------------------------------------- messages

const assembler = new ModelAssembler();
window.addEventListener('message', (event: MessageEvent) => {
  const received = parseHostMessage(event.data);
  if (typeof received === 'string') {
    host.postMessage({ type: 'error', message: `ignored a message from the extension: ${received}` });
    return;
  }
  switch (received.type) {
    case 'modelStart':
    case 'modelFunctions':
    case 'modelNodes':
    case 'modelTimeline':
    case 'modelEnd': {
      const result = assembler.accept(received);
      if (typeof result === 'string') {
        host.postMessage({ type: 'error', message: result });
        showError(`The profile could not be shown: ${result}`);
      } else if (result) show(result);
      return;
    }
    case 'select':
      if (data && received.fn < data.functions.length) {
        select(received.fn);
        flame.reveal(received.fn);
      }
      return;
    case 'error':
      showError(received.message);
      return;
  }
});
host.postMessage({ type: 'ready' });

function showError(text: string): void {
  message.textContent = text;
  message.hidden = false;
  app.className = 'failed';
}

// ---------------------------------------------------------------- the model and the user's choices

function show(model: ViewData): void {
  data = model;
  views = new Views(model);
  selectedFn = -1;
  message.hidden = true;
  app.className = 'shown';
  const { summary } = model;
  // Folded stacks, pprof and heap profiles keep no order in time: the first mode shows calls as listed.
  modeTime.textContent = model.timeline ? 'Time order' : 'Call order';
  modeTime.title = model.timeline
    ? 'Calls as they happened: left to right is time'
    : `A ${summary.format} profile records no order in time: callees in the order the profile lists them`;
  summaryText.textContent = `${summary.format} · ${formatWeight(summary.total, summary.unit)} · ${summary.samples.toLocaleString('en-US')} samples`;
  byId('flame-canvas').setAttribute(
    'aria-label',
    `Flame graph of a ${summary.format} profile, ${formatWeight(summary.total, summary.unit)} in all`,
  );
  // The profile's notes (a missing source map, a thread picked, files not read): as the CLI prints them.
  notes.hidden = summary.notes.length === 0;
  byId('notes-summary').textContent = summary.notes.length === 1 ? '1 note' : `${summary.notes.length} notes`;
  byId('notes-list').replaceChildren(
    ...summary.notes.map((note) => {
      const item = document.createElement('li');
      item.textContent = note;
      return item;
    }),
  );
  refresh(true);
}

/** Recomputes what `choices` changed and redraws; `newLayout`: the flame graph's x axis changed. */
function refresh(newLayout: boolean): void {
  if (!views || !data) return;
  views.update(choices);
  if (newLayout) flame.setLayout(views.flame);
  flame.setHighlight(views.searchMatches);
  flame.setSelected(selectedFn);
  table.setSort(choices.sort, choices.reverse);
  table.setRows(views.functionTable, views.tableRows, data.functions, data.summary.unit);
  showSandwich();
  const matches = views.searchMatches;
  if (!matches) searchStatus.textContent = '';
  else {
    const frames = matchingNodes(views.flame, matches).length;
    searchStatus.textContent = frames === 0 ? 'no frame matches' : `${frames} ${frames === 1 ? 'frame matches' : 'frames match'}`;
  }
}

function select(fn: number): void {
  selectedFn = fn;
  // Said to screen readers: what the keyboard just selected, with its figures.
  if (data && views) {
    const table = views.functionTable;
    const row = table.fn.indexOf(fn);
    const lines =
      row >= 0
        ? tooltipLines(data.functions[fn], table.self[row], table.total[row], data.summary.total, data.summary.unit)
        : [data.functions[fn].name];
    byId('selection-status').textContent = `Selected ${lines.join(', ')}`;
  }
  flame.setSelected(fn);
  table.setSelected(fn);
  showSandwich();
  host.postMessage({ type: 'select', fn });
}

function showSandwich(): void {
  if (!views || !data || selectedFn < 0) {
    sandwichEmpty.hidden = false;
    callers.setLayout(undefined);
    callees.setLayout(undefined);
    sandwichTitle.textContent = 'Callers and callees';
    return;
  }
  sandwichEmpty.hidden = true;
  sandwichTitle.textContent = `Callers and callees of ${data.functions[selectedFn].name}`;
  const { callers: up, callees: down } = views.sandwichOf(selectedFn);
  callers.setLayout(up);
  callees.setLayout(down);
  for (const canvas of [callers, callees]) {
    canvas.setHighlight(views.searchMatches);
    canvas.setSelected(selectedFn);
  }
}

function openSource(fn: number, focus: boolean): void {
  const info = functions()[fn];
  const request = info && openSourceMessage(info, focus);
  if (request) host.postMessage(request);
}

function sortBy(key: SortKey): void {
  choices = { ...choices, reverse: choices.sort === key ? !choices.reverse : false, sort: key };
  refresh(false);
}

function setOrder(order: Choices['order']): void {
  if (choices.order === order) return;
  choices = { ...choices, order };
  modeTime.setAttribute('aria-pressed', String(order === 'time'));
  modeLeft.setAttribute('aria-pressed', String(order === 'left'));
  refresh(true);
}

modeTime.addEventListener('click', () => setOrder('time'));
modeLeft.addEventListener('click', () => setOrder('left'));
myCode.addEventListener('change', () => {
  choices = { ...choices, myCodeOnly: myCode.checked };
  refresh(true);
});
searchBox.addEventListener('input', () => {
  choices = { ...choices, search: searchBox.value };
  refresh(false);
});
filterBox.addEventListener('input', () => {
  choices = { ...choices, filter: filterBox.value };
  refresh(false);
});
byId('zoom-reset').addEventListener('click', () => flame.resetZoom());

// ---------------------------------------------------------------- tooltip and the accessible frame list

function showTooltip(canvas: FlameCanvas, node: number, x: number, y: number): void {
  const layout = canvas.layout;
  if (node < 0 || !layout || !data) {
    tooltip.hidden = true;
    return;
  }
  const lines = tooltipLines(data.functions[layout.fn[node]], layout.self[node], layout.width[node], data.summary.total, data.summary.unit);
  if (layout.timed) lines.splice(3, 0, `Starts at ${formatWeight(layout.start[node], data.summary.unit)}`);
  tooltip.replaceChildren(
    ...lines.map((line, index) => {
      const div = document.createElement('div');
      div.className = index === 0 ? 'tip-name' : 'tip-line';
      div.textContent = line;
      return div;
    }),
  );
  tooltip.hidden = false;
  // Beside the pointer, flipped to stay inside the window.
  const { offsetWidth: width, offsetHeight: height } = tooltip;
  const left = x + 14 + width > window.innerWidth ? Math.max(0, x - 14 - width) : x + 14;
  const top = y + 14 + height > window.innerHeight ? Math.max(0, y - 14 - height) : y + 14;
  tooltip.style.left = `${left}px`;
  tooltip.style.top = `${top}px`;
}

/** The widest frames drawn, as a list a screen reader (and the end-to-end tests) can read. */
function listFrames(drawn: Int32Array): void {
  const layout = flame.layout;
  if (!layout || !data) {
    flameList.replaceChildren();
    return;
  }
  const matches = views?.searchMatches;
  const items = widestNodes(layout, drawn, LISTED_FRAMES).map((node) => {
    const fn = layout.fn[node];
    const lines = tooltipLines(data!.functions[fn], layout.self[node], layout.width[node], data!.summary.total, data!.summary.unit);
    const item = document.createElement('li');
    item.dataset.fn = String(fn);
    if (matches) item.dataset.match = String(matches[fn] === 1);
    item.textContent = `${lines.join(', ')}${matches && matches[fn] === 1 ? ', matches the search' : ''}`;
    return item;
  });
  flameList.replaceChildren(...items);
}
