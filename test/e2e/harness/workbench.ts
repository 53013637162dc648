/**
 * Driving the VS Code workbench in Chromium: one page per test (a fresh window, hence a fresh
 * extension host), helpers that wait for DOM states — never for time — and a screenshot of
 * every test, passed or failed, under test-results/e2e/. Selectors are the ones seen working in
 * VS Code 1.139 (shared/notes/real-vscode.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { vi } from 'vitest';
import { HUNG_MS } from '../../helpers/hung';
// Flags that keep Chromium from reaching for a network it does not have (see the notes); the bench's page driver uses them too.
import CHROMIUM_ARGS from './chromium-args.json';

export const ROOT = path.resolve(__dirname, '../../..');
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');
/** README pictures, refreshed by a run with UPDATE_SCREENSHOTS=1. */
const README_IMAGES_DIR = path.join(ROOT, 'docs', 'images');

/**
 * How long one wait for a DOM state may take: only a hang reaches it. A whole check took 35–75 s
 * here under load, and a busy machine can stretch one step past a minute. Half the test's own
 * limit (vitest.e2e.config.mts), so that the wait that hung is the one reported.
 */
export const TIMEOUT = HUNG_MS / 2;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface ProblemRow {
  message: string;
  source: string;
  code: string;
  /** The code's link (the rule's documentation), when the diagnostic has one. */
  href: string | undefined;
  /** e.g. "[Ln 13, Col 28]" */
  position: string;
}

export interface ProblemsByFile {
  file: string;
  folder: string;
  problems: ProblemRow[];
}

/** The little of the DOM that `problems()` reads in the page (the project's types have no DOM). */
interface DomElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly folder: string,
  ) {}

  /** Opens `folder` in a new window and waits until the explorer shows it. */
  static async open(browser: Browser, url: string, folder: string, viewport = { width: 1280, height: 800 }): Promise<Workbench> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
    return new Workbench(page, folder);
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }

  /** Quick Open (Ctrl+P) → the file → Enter; resolves once its editor is the active one. */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relativePath);
    // Quick Open lists recently opened files at once and searches the workspace later: Enter only
    // once the file is the focused row.
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.editor().locator('.view-lines').waitFor();
  }

  /** The active text editor. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-container .monaco-editor[data-uri]').first();
  }

  /**
   * F1, the command's title, then a **click** on the row whose label is exactly the title (Enter
   * may pick a fuzzy neighbour). The palette lists the commands known when it opened: in a new
   * window, extensions' commands arrive once the extension host has registered them, so a palette
   * without the command is closed and opened again until it lists it.
   *
   * A command that opens a quick input of its own (a file dialog, a picker) names its title in
   * `opens`: the palette is then replaced by it, never seen hidden, and that title is waited for.
   */
  async runCommand(title: string, opens?: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    const row = rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.waitFor();
      await input.fill(`>${title}`);
      // The list shows the filter's result (rows, or one saying "No matching commands") before it is read.
      await rows.first().waitFor();
      if ((await row.count()) > 0) break;
      if (Date.now() > deadline) throw new Error(`the command palette never offered "${title}"`);
      await this.page.keyboard.press('Escape');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
    await row.first().click();
    if (opens) await this.page.locator('.quick-input-widget .quick-input-title', { hasText: opens }).waitFor();
    else await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  async focusProblems(): Promise<void> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await this.page.locator('.markers-panel').waitFor();
  }

  /** PerfLens squiggles in the active editor. */
  squiggles(): Locator {
    return this.editor().locator('.squiggly-warning, .squiggly-error, .squiggly-info');
  }

  /**
   * What the Problems panel shows, grouped by file (rows of files and of problems alternate in
   * one tree; the panel must be focused and its tree expanded — the default).
   */
  async problems(): Promise<ProblemsByFile[]> {
    return this.page.locator('.markers-panel .monaco-list-rows').evaluate((element) => {
      const rows = element as unknown as DomElement;
      const result: ProblemsByFile[] = [];
      const ordered = [...rows.querySelectorAll(':scope > .monaco-list-row')].sort(
        (a, b) => Number(a.dataset.index) - Number(b.dataset.index),
      );
      for (const row of ordered) {
        const text = (selector: string) => row.querySelector(selector)?.textContent?.trim() ?? '';
        if (row.getAttribute('aria-level') === '1') {
          result.push({ file: text('.label-name'), folder: text('.label-description'), problems: [] });
        } else if (result.length > 0) {
          result[result.length - 1].problems.push({
            message: text('.marker-message'),
            source: text('.marker-source'),
            code: text('.marker-code'),
            href: row.querySelector('a.monaco-link')?.getAttribute('href') ?? undefined,
            position: text('.marker-line'),
          });
        }
      }
      return result;
    });
  }

  /** Waits until the Problems panel satisfies `predicate`; returns what it showed then. */
  async waitForProblems(predicate: (files: ProblemsByFile[]) => boolean, what: string): Promise<ProblemsByFile[]> {
    let last: ProblemsByFile[] = [];
    try {
      return await vi.waitFor(
        async () => {
          last = await this.problems();
          if (!predicate(last)) throw new Error('not yet');
          return last;
        },
        { timeout: TIMEOUT, interval: 100 },
      );
    } catch {
      throw new Error(`the Problems panel never showed ${what}; it showed ${JSON.stringify(last, null, 2)}`);
    }
  }

  /**
   * Opens the quick-fix menu on the first squiggle of the active editor and returns its entries
   * (group headers left out), top to bottom.
   *
   * The waiting condition that makes this reliable. VS Code asks for code actions automatically
   * 250 ms after the cursor moves (or the file's markers change), for the lightbulb; a Ctrl+.
   * request made while such an automatic request is pending or starting is replaced by it — a
   * lightbulb, no menu (seen in about one CI run in ten, even after waiting for the lightbulb).
   * So the menu is opened the way a mouse user opens it: by clicking the lightbulb, which shows
   * the actions its own request already computed for that position — no second request to race.
   * A lightbulb on screen may still be the one of the previous cursor position, so the cursor first
   * goes to line 1 and the lightbulb is seen to leave the squiggle's line; then the squiggle is
   * clicked and the lightbulb is seen to arrive on its line, and that lightbulb is clicked. (The
   * tests also switch off TypeScript's own diagnostics, whose late arrival would change the markers.)
   */
  async openQuickFixMenu(squiggle: Locator = this.squiggles().first()): Promise<string[]> {
    await squiggle.waitFor();
    const box = await squiggle.boundingBox();
    const text = await this.editor().locator('.view-lines').boundingBox();
    const line = await this.editor().locator('.view-line').first().boundingBox();
    if (!box || !text || !line) throw new Error('the editor has no layout');
    const y = box.y + box.height / 2;
    // The lightbulb sits on the cursor's line, or on the line above or below when that one is crowded.
    const tolerance = line.height * 1.5;
    const bulb = '.editor-group-container.active .editor-container .monaco-editor .lightBulbWidget';

    await this.page.mouse.click(text.x + 2, text.y + line.height / 2);
    await this.page.waitForFunction(lightBulbNear, { selector: bulb, y, tolerance, near: false });
    // A squiggle lies under the text: click where it is rather than on the element.
    await this.page.mouse.click(box.x + box.width / 2, y);
    await this.page.waitForFunction(lightBulbNear, { selector: bulb, y, tolerance, near: true });

    await this.page.locator(bulb).click();
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor();
    return (await rows.allInnerTexts()).map((label) => label.trim());
  }

  /** Chooses an entry of the open quick-fix menu by its exact label; waits for the menu to close. */
  async chooseQuickFix(label: string): Promise<void> {
    const row = this.page
      .locator('.action-widget .monaco-list-row.action')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) });
    await row.first().click();
    await this.page.locator('.action-widget .monaco-list-row').first().waitFor({ state: 'hidden' });
  }

  /** Saves the active editor and waits until its tab is no longer dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active:not(.dirty)').waitFor();
  }

  /** Editor tabs open in the window. */
  async tabs(): Promise<string[]> {
    return (await this.page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((t) => t.trim());
  }

  /**
   * A screenshot under test-results/e2e/; with UPDATE_SCREENSHOTS=1 and `readme` given, also the
   * README's picture in docs/images/.
   */
  async screenshot(name: string, readme?: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    if (readme && process.env.UPDATE_SCREENSHOTS === '1') {
      fs.mkdirSync(README_IMAGES_DIR, { recursive: true });
      fs.copyFileSync(file, path.join(README_IMAGES_DIR, readme));
    }
    return file;
  }
}

/**
 * In the page: whether the lightbulb is shown within `tolerance` pixels of `y` (`near`), or is
 * hidden or elsewhere (`!near`). The project's types have no DOM: the little used is declared here.
 */
function lightBulbNear({ selector, y, tolerance, near }: { selector: string; y: number; tolerance: number; near: boolean }): boolean {
  interface Box {
    getBoundingClientRect(): { top: number; height: number };
  }
  const page = globalThis as unknown as {
    document: { querySelector(selector: string): Box | null };
    getComputedStyle(element: Box): { visibility: string; display: string };
  };
  const element = page.document.querySelector(selector);
  const style = element && page.getComputedStyle(element);
  const rect = element?.getBoundingClientRect();
  const shown = !!element && !!style && !!rect && rect.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  if (!shown) return !near;
  const isNear = Math.abs(rect.top + rect.height / 2 - y) <= tolerance;
  return near ? isNear : !isNear;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
