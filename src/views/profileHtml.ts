/**
 * The profile view's page: a fixed skeleton, its script and its stylesheet. Nothing from the
 * profile is written here — names reach the page by postMessage and are set as text — and the
 * Content Security Policy allows only our own script (by nonce) and stylesheet, no inline style.
 */

export interface PageResources {
  /** webview.asWebviewUri of dist/webview.js and media/profileView.css. */
  script: string;
  style: string;
  /** webview.cspSource. */
  cspSource: string;
  /** A fresh random value per page. */
  nonce: string;
  /** The profile's file name, for the page's title. */
  title: string;
}

export function profileViewHtml({ script, style, cspSource, nonce, title }: PageResources): string {
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(style)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app" class="loading">
  <header class="toolbar" role="toolbar" aria-label="Profile view">
    <div class="segmented" role="group" aria-label="Flame graph order">
      <button id="mode-time" type="button" aria-pressed="true" title="Calls as they happened: left to right is time">Time order</button>
      <button id="mode-left" type="button" aria-pressed="false" title="Same functions merged, heaviest first">Left heavy</button>
    </div>
    <label class="check"><input id="my-code" type="checkbox"> My code only</label>
    <input id="search" type="search" placeholder="Search" aria-label="Search functions: highlights them in the flame graph" spellcheck="false">
    <span id="search-status" role="status" aria-live="polite"></span>
    <button id="zoom-reset" type="button" title="Show the whole profile (0)">Reset zoom</button>
    <span id="summary"></span>
  </header>
  <div id="message" role="alert" hidden></div>
  <details id="notes" hidden><summary id="notes-summary"></summary><ul id="notes-list"></ul></details>
  <section id="flame" aria-label="Flame graph">
    <canvas id="flame-canvas" tabindex="0" role="img" aria-describedby="flame-help flame-list"></canvas>
    <p id="flame-help" class="visually-hidden">Flame graph. Arrow keys pan, plus and minus zoom, 0 shows everything; Shift with the arrow keys selects the caller, the first callee, or the frame before or after; Enter opens the selected function's source.</p>
    <span id="selection-status" class="visually-hidden" role="status" aria-live="polite"></span>
    <ol id="flame-list" class="visually-hidden" aria-label="Widest frames shown"></ol>
    <div id="tooltip" role="tooltip" hidden></div>
  </section>
  <section id="lower">
    <div id="table-pane">
      <input id="filter" type="search" placeholder="Filter functions" aria-label="Filter the table by function name or file" spellcheck="false">
      <div id="table-scroll">
        <table id="table" aria-label="Functions, bottom-up">
          <thead>
            <tr>
              <th scope="col" class="num" aria-sort="descending"><button type="button" data-key="self">Self</button></th>
              <th scope="col" class="num" aria-sort="none"><button type="button" data-key="total">Total</button></th>
              <th scope="col" aria-sort="none"><button type="button" data-key="name">Function</button></th>
              <th scope="col">Location</th>
            </tr>
          </thead>
          <tbody id="rows"></tbody>
        </table>
      </div>
    </div>
    <div id="sandwich" aria-labelledby="sandwich-title">
      <h2 id="sandwich-title">Callers and callees</h2>
      <p id="sandwich-empty">Select a function in the flame graph or the table.</p>
      <canvas id="callers-canvas" tabindex="-1" role="img" aria-label="Callers of the selected function"></canvas>
      <canvas id="callees-canvas" tabindex="-1" role="img" aria-label="Callees of the selected function"></canvas>
    </div>
  </section>
</div>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(script)}"></script>
</body>
</html>
`;
}

/** Text safe inside an element or a double-quoted attribute. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
