/**
 * The page's pure helpers (media/profileView/): zoom and pan, colours and contrast, label fitting,
 * the table's virtual window, the words shown about a function, and the views recomputed from the
 * user's choices. The drawing code is a thin loop over these.
 */
import { describe, expect, it } from 'vitest';
import { contrast, labelColour, mix, paletteIndex, parseColour, FALLBACK_PALETTE, type Rgb } from '../../media/profileView/colours';
import { location, openSourceMessage, tooltipLines, widestNodes } from '../../media/profileView/describe';
import { fitLabel } from '../../media/profileView/labels';
import { stepFrom } from '../../media/profileView/navigate';
import { rowWindow, scrollToRow } from '../../media/profileView/rowWindow';
import { clampScroll, fromPixel, fullViewport, panBy, toPixel, viewportOf, zoomAround } from '../../media/profileView/viewport';
import { DEFAULT_CHOICES, Views } from '../../media/profileView/views';
import { visibleNodes } from '../../src/profileView/flame';
import { cpuProfile, functionId, viewData } from './helpers';

describe('viewport', () => {
  it('zooms around the anchor, which stays where it is on screen', () => {
    const view = zoomAround(fullViewport(100), 100, 0.25, 2);
    expect(view).toEqual({ x0: 12.5, x1: 62.5 });
    // The layout x under the anchor before and after: the same.
    expect(fromPixel(view, 250, 1000)).toBe(fromPixel(fullViewport(100), 250, 1000));
  });

  it('never zooms out past the whole layout, nor pans past either end', () => {
    expect(zoomAround({ x0: 40, x1: 60 }, 100, 0.5, 0.01)).toEqual({ x0: 0, x1: 100 });
    expect(panBy({ x0: 10, x1: 30 }, 100, -50)).toEqual({ x0: 0, x1: 20 });
    expect(panBy({ x0: 10, x1: 30 }, 100, 500)).toEqual({ x0: 80, x1: 100 });
    expect(zoomAround({ x0: 90, x1: 100 }, 100, 1, 0.5)).toEqual({ x0: 80, x1: 100 });
  });

  it('stops zooming in where float rounding would break hit-testing', () => {
    let view = fullViewport(1);
    for (let step = 0; step < 200; step++) view = zoomAround(view, 1, 0.5, 10);
    expect(view.x1 - view.x0).toBeCloseTo(1e-9, 15);
  });

  it('maps between layout and pixels, and shows a node across the canvas', () => {
    const view = viewportOf(20, 10, 100);
    expect(view).toEqual({ x0: 20, x1: 30 });
    expect(toPixel(view, 25, 800)).toBe(400);
    expect(fromPixel(view, 400, 800)).toBe(25);
    expect(viewportOf(5, 0, 100)).toEqual({ x0: 0, x1: 100 });
    expect(fullViewport(0)).toEqual({ x0: 0, x1: 1 });
  });

  it('keeps the vertical scroll within the rows', () => {
    expect(clampScroll(-5, 400, 300)).toBe(0);
    expect(clampScroll(500, 400, 300)).toBe(100);
    expect(clampScroll(50, 200, 300)).toBe(0);
  });
});

describe('colours', () => {
  it("reads the theme's colour notations", () => {
    expect(parseColour('#3794ff')).toEqual([0x37, 0x94, 0xff]);
    expect(parseColour(' #3794FFcc ')).toEqual([0x37, 0x94, 0xff]);
    expect(parseColour('#fff')).toEqual([255, 255, 255]);
    expect(parseColour('rgba(1, 2, 3, 0.5)')).toEqual([1, 2, 3]);
    expect(parseColour('')).toBeUndefined();
    expect(parseColour('var(--x)')).toBeUndefined();
  });

  it('labels every bar of the fallback palette, plain and faded on dark and light backgrounds, at 4.5:1 or better', () => {
    for (const background of [
      [30, 30, 30],
      [255, 255, 255],
      [0, 0, 0],
    ] as Rgb[]) {
      for (const css of FALLBACK_PALETTE) {
        const bar = parseColour(css)!;
        for (const fill of [bar, mix(bar, background, 0.75)]) expect(contrast(fill, labelColour(fill))).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('chooses black on light bars and white on dark ones', () => {
    expect(labelColour([255, 255, 0])).toEqual([0, 0, 0]);
    expect(labelColour([0, 0, 128])).toEqual([255, 255, 255]);
  });

  it('gives a function the same colour wherever it is drawn, and spreads names over the palette', () => {
    expect(paletteIndex('sumOfSquares', 6)).toBe(paletteIndex('sumOfSquares', 6));
    const used = new Set(
      ['main', 'parse', 'render', 'query', 'fetch', 'sort', 'map', 'reduce', 'emit', 'write'].map((n) => paletteIndex(n, 6)),
    );
    expect(used.size).toBeGreaterThanOrEqual(4);
  });

  it('fades towards the background', () => {
    expect(mix([200, 100, 0], [0, 0, 0], 0.5)).toEqual([100, 50, 0]);
    expect(mix([200, 100, 0], [255, 255, 255], 0)).toEqual([200, 100, 0]);
  });
});

describe('fitLabel', () => {
  // Every character 10 pixels wide.
  const measure = (text: string) => text.length * 10;

  it('keeps a label that fits, and cuts one that does not at the longest prefix that fits with an ellipsis', () => {
    expect(fitLabel('render', 60, measure)).toBe('render');
    expect(fitLabel('sumOfSquares', 60, measure)).toBe('sumOf…');
    expect(fitLabel('sumOfSquares', 59, measure)).toBe('sumO…');
  });

  it('draws nothing rather than a stub of one character', () => {
    expect(fitLabel('sumOfSquares', 25, measure)).toBe('');
    expect(fitLabel('sumOfSquares', 30, measure)).toBe('su…');
    expect(fitLabel('', 100, measure)).toBe('');
    expect(fitLabel('x', 0, measure)).toBe('');
  });
});

describe('rowWindow', () => {
  it('puts the rows in view and a few either side in the DOM, the rest in spacers', () => {
    expect(rowWindow(0, 220, 22, 1000, 5)).toEqual({ first: 0, last: 21, before: 0, after: 979 * 22 });
    expect(rowWindow(2200, 220, 22, 1000, 5)).toEqual({ first: 95, last: 116, before: 95 * 22, after: 884 * 22 });
  });

  it('ends at the last row, and holds nothing for an empty table', () => {
    const end = rowWindow(22 * 995, 220, 22, 1000, 5);
    expect(end.last).toBe(1000);
    expect(end.after).toBe(0);
    expect(rowWindow(0, 220, 22, 0)).toEqual({ first: 0, last: 0, before: 0, after: 0 });
  });

  it('keeps the DOM small however long the table', () => {
    const { first, last } = rowWindow(22 * 50_000, 600, 22, 100_000);
    expect(last - first).toBeLessThan(60);
  });

  it('scrolls as little as needed to show a row whole, below a sticky header', () => {
    expect(scrollToRow(3, 0, 220, 22, 22)).toBe(0);
    expect(scrollToRow(20, 0, 220, 22, 22)).toBe(20 * 22 + 22 + 22 - 220);
    expect(scrollToRow(2, 200, 220, 22, 22)).toBe(44);
  });
});

describe('what the page says about a function', () => {
  const hot = { name: 'sumOfSquares', file: 'src/hot.ts', path: '/w/src/hot.ts', line: 4, column: 17 };
  const gc = { name: '(garbage collector)', line: 0, column: 0 };

  it('names its location as precisely as known', () => {
    expect(location(hot)).toBe('src/hot.ts:4:17');
    expect(location({ ...hot, column: 0 })).toBe('src/hot.ts:4');
    expect(location({ ...hot, line: 0, column: 0 })).toBe('src/hot.ts');
    expect(location(gc)).toBe('');
  });

  it('shows self, total and their shares in the tooltip, in the profile’s unit', () => {
    expect(tooltipLines(hot, 598.1, 600, 646.7, 'ms')).toEqual([
      'sumOfSquares',
      'Self 598.1 ms (92.5%)',
      'Total 600.0 ms (92.8%)',
      'src/hot.ts:4:17',
    ]);
    expect(tooltipLines(gc, 4096, 4096, 1024 * 1024, 'bytes')).toEqual([
      '(garbage collector)',
      'Self 4.0 KB (0.4%)',
      'Total 4.0 KB (0.4%)',
      'no source location',
    ]);
  });

  it('opens the local path when there is one, the profile’s name otherwise, nothing without a file', () => {
    expect(openSourceMessage(hot, true)).toEqual({ type: 'openSource', url: '/w/src/hot.ts', line: 4, column: 17, focus: true });
    expect(openSourceMessage({ name: 'f', file: 'https://example.com/app.js', line: 2, column: 0 }, false)).toEqual({
      type: 'openSource',
      url: 'https://example.com/app.js',
      line: 2,
      column: 0,
      focus: false,
    });
    expect(openSourceMessage(gc, true)).toBeUndefined();
  });
});

describe('Views', () => {
  const data = viewData(
    cpuProfile({
      name: '(root)',
      children: [
        {
          name: 'main',
          url: '/app/main.js',
          ms: 1,
          children: [
            {
              name: 'lodash.map',
              url: '/app/node_modules/lodash/map.js',
              ms: 3,
              children: [{ name: 'render', url: '/app/render.js', ms: 5 }],
            },
          ],
        },
        { name: '(garbage collector)', ms: 2 },
      ],
    }),
  );
  const names = (views: Views) => Array.from(views.tableRows, (row) => data.functions[views.functionTable.fn[row]].name);

  it('builds the flame layout, the table in the chosen order and the search matches', () => {
    const views = new Views(data);
    views.update(DEFAULT_CHOICES);
    expect(names(views)).toEqual(['render', 'lodash.map', '(garbage collector)', 'main']);
    expect(views.flame.span).toBe(data.summary.total);
    expect(views.searchMatches).toBeUndefined();

    // The filter matches names and files ('map' and 'main.js'); the search is separate.
    views.update({ ...DEFAULT_CHOICES, sort: 'name', search: 'RENDER', filter: 'ma' });
    expect(names(views)).toEqual(['lodash.map', 'main']);
    expect(views.searchMatches?.[functionId(data, 'render')]).toBe(1);
    expect(views.searchMatches?.[functionId(data, 'main')]).toBe(0);
  });

  it('folds dependencies and invented frames away under "My code only", keeping shares of the whole profile', () => {
    const views = new Views(data);
    views.update({ ...DEFAULT_CHOICES, myCodeOnly: true });
    expect(names(views)).toEqual(['render', 'main']);
    const table = views.functionTable;
    expect(table.self[0]).toBe(5);
    // lodash's 3 ms folded into main; the garbage collector's 2 ms has no caller left.
    expect(table.self[1]).toBe(4);
    expect(views.unattributed).toBe(2);
    expect(table.profileTotal).toBe(data.summary.total);
  });

  it('merges same-function siblings in the left-heavy order, and keeps a sandwich per selected function', () => {
    const views = new Views(data);
    views.update({ ...DEFAULT_CHOICES, order: 'left' });
    const drawn = visibleNodes(views.flame, 0, views.flame.span, 1000);
    expect(widestNodes(views.flame, drawn, 2).map((node) => data.functions[views.flame.fn[node]].name)).toEqual(['main', 'lodash.map']);
    const render = functionId(data, 'render');
    const { callers, callees } = views.sandwichOf(render);
    expect(Array.from(callers.fn, (fn) => data.functions[fn].name)).toEqual(['render', 'lodash.map', 'main']);
    expect(Array.from(callees.fn, (fn) => data.functions[fn].name)).toEqual(['render']);
    expect(views.sandwichOf(render)).toBe(views.sandwichOf(render));
  });
});

describe('stepFrom', () => {
  // main → (parse → lex, render), then idle: parse and render are siblings on row 1.
  const data = viewData(
    cpuProfile({
      name: '(root)',
      children: [
        {
          name: 'main',
          url: '/app/main.js',
          ms: 1,
          children: [
            { name: 'parse', url: '/app/parse.js', ms: 2, children: [{ name: 'lex', url: '/app/lex.js', ms: 3 }] },
            { name: 'render', url: '/app/render.js', ms: 4 },
          ],
        },
        { name: 'idle', url: '/app/idle.js', ms: 1 },
      ],
    }),
  );
  const views = new Views(data);
  views.update(DEFAULT_CHOICES);
  const layout = views.flame;
  const node = (name: string) => Array.from(layout.fn).findIndex((fn) => data.functions[fn].name === name);
  const name = (at: number) => data.functions[layout.fn[at]].name;

  it('goes to the parent (the caller), the first child (callee), and the neighbours on the row', () => {
    expect(name(stepFrom(layout, node('lex'), 'parent'))).toBe('parse');
    expect(name(stepFrom(layout, node('render'), 'parent'))).toBe('main');
    expect(name(stepFrom(layout, node('main'), 'child'))).toBe('parse');
    expect(name(stepFrom(layout, node('parse'), 'next'))).toBe('render');
    expect(name(stepFrom(layout, node('render'), 'previous'))).toBe('parse');
    expect(name(stepFrom(layout, node('main'), 'next'))).toBe('idle');
  });

  it('stays put at an edge, and starts at the first frame without a selection', () => {
    expect(name(stepFrom(layout, node('main'), 'parent'))).toBe('main');
    expect(name(stepFrom(layout, node('lex'), 'child'))).toBe('lex');
    expect(name(stepFrom(layout, node('idle'), 'next'))).toBe('idle');
    expect(name(stepFrom(layout, node('parse'), 'previous'))).toBe('parse');
    expect(stepFrom(layout, -1, 'next')).toBe(0);
  });
});
