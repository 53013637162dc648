// The profile view's real page (dist/webview.js, media/profileView.css, the skeleton and CSP of
// src/views/profileHtml.ts) in Debian's Chromium, driven by playwright-core as the end-to-end
// tests drive it, without VS Code around it: served from a local HTTP server, `acquireVsCodeApi`
// supplied by an init script (it only records what the page posts), and the model posted to the
// page the way the webview host delivers it (window message events, structured clones).
//
//   firstPaint(messagesFile)  ms from the first model message to the end of the flame graph's
//                             first paint (the page lists the frames it drew right after drawing)
//   frames(actions)           per-frame main-thread ms of zooms and pans on the shown model
// The functions given to page.evaluate and addInitScript run in the page, where these exist.
/* global window, document, performance, MutationObserver, requestAnimationFrame, WheelEvent */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The flags the end-to-end harness uses (test/e2e/harness/chromium-args.json): no network, no GPU. */
const CHROMIUM_ARGS = createRequire(import.meta.url)('../../test/e2e/harness/chromium-args.json');

export async function openPage(root, engineFile) {
  const engine = createRequire(import.meta.url)(engineFile);
  const { chromium } = await import('playwright-core');
  const files = {
    '/webview.js': [path.join(root, 'dist', 'webview.js'), 'text/javascript'],
    '/profileView.css': [path.join(root, 'media', 'profileView.css'), 'text/css'],
  };
  let origin = '';
  const server = http.createServer((request, response) => {
    const file = files[request.url];
    if (file) {
      response.writeHead(200, { 'content-type': file[1] });
      response.end(fs.readFileSync(file[0]));
      return;
    }
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    const html = engine.profileViewHtml({
      script: `${origin}/webview.js`,
      style: `${origin}/profileView.css`,
      cspSource: origin,
      nonce: crypto.randomBytes(16).toString('base64'),
      title: 'bench.cpuprofile',
    });
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  // A full-HD window: the flame graph is as wide as on a usual screen.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  page.setDefaultTimeout(300_000);
  await page.addInitScript(() => {
    window.__posted = [];
    window.acquireVsCodeApi = () => ({ postMessage: (message) => window.__posted.push(message) });
  });

  /** A fresh page that has said `ready`. */
  const load = async () => {
    await page.goto(origin);
    await page.waitForFunction(() => window.__posted.some((message) => message.type === 'ready'));
  };

  return {
    async firstPaint(messagesFile) {
      await load();
      const text = fs.readFileSync(messagesFile, 'utf8');
      // Decoded in the page before the clock starts: the host holds typed arrays, not JSON.
      await page.evaluate((json) => {
        window.__messages = JSON.parse(json, (key, value) =>
          value && typeof value === 'object' && typeof value.$typed === 'string' ? globalThis[value.$typed].from(value.values) : value,
        );
      }, text);
      const result = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const list = document.getElementById('flame-list');
            const started = performance.now();
            new MutationObserver((records, observer) => {
              if (list.children.length === 0) return;
              observer.disconnect();
              resolve({ ms: performance.now() - started, listed: list.children.length, shown: document.getElementById('app').className });
            }).observe(list, { childList: true });
            for (const message of window.__messages) window.postMessage(message, '*');
          }),
      );
      if (result.shown !== 'shown') throw new Error(`the page is ${result.shown}, not showing the model`);
      const errors = await page.evaluate(() => window.__posted.filter((message) => message.type === 'error'));
      if (errors.length > 0) throw new Error(`the page said: ${errors.map((error) => error.message).join('; ')}`);
      return result;
    },

    /**
     * Each action (a wheel event on the flame graph) timed as the main thread spends it: its
     * handler, then the paint it asked for. A frame callback requested before the event runs
     * first in that frame and starts the paint's clock, so the wait for the frame is not counted.
     */
    async frames(actions) {
      return page.evaluate(async (list) => {
        const canvas = document.getElementById('flame-canvas');
        const frameList = document.getElementById('flame-list');
        const rect = canvas.getBoundingClientRect();
        const times = [];
        for (const action of list) {
          const ms = await new Promise((resolve) => {
            let paintStarted = 0;
            let handlerMs = 0;
            requestAnimationFrame(() => (paintStarted = performance.now()));
            new MutationObserver((records, observer) => {
              observer.disconnect();
              resolve(handlerMs + performance.now() - paintStarted);
            }).observe(frameList, { childList: true });
            const started = performance.now();
            canvas.dispatchEvent(
              new WheelEvent('wheel', {
                bubbles: true,
                cancelable: true,
                clientX: rect.left + rect.width * action.at,
                clientY: rect.top + 20,
                deltaX: action.deltaX,
                deltaY: action.deltaY,
              }),
            );
            handlerMs = performance.now() - started;
          });
          times.push({ kind: action.kind, ms, drawnListed: frameList.children.length });
        }
        return times;
      }, actions);
    },

    async close() {
      await browser.close();
      server.close();
    },
  };
}
