/**
 * The profile view in a real VS Code (code-server), installed from the .vsix: a recorded profile of
 * a small TypeScript program (test/e2e/fixtures/profile: src/ compiled to out/ with source maps,
 * profiled with `node --cpu-prof` and `--heap-prof`) opened with "PerfLens: Open Profile…", read
 * from the page's DOM — its table and the list of the flame graph's widest frames, which screen
 * readers read too.
 *
 * The recorded profiles name their scripts under `__WORKSPACE__`: each test first writes the
 * workspace copy's path in its place, as if the profile had been recorded there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { startCodeServer } from './harness/codeServer';
import { extensionHostLogs, perflensErrors } from './harness/logs';
import { FIXTURES, useSession } from './harness/session';
import { launchChromium, RESULTS_DIR, TIMEOUT, Workbench } from './harness/workbench';

const { server, inWorkbench } = useSession();

/** The profile at `relative` in the workspace, its placeholder replaced by the workspace's path. */
function placeProfile(workbench: Workbench, relative: string): string {
  const file = path.join(workbench.folder, relative);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('__WORKSPACE__', workbench.folder));
  return file;
}

/**
 * "PerfLens: Open Profile…", then the file typed into the file dialog (code-server's own, a quick
 * input); resolves with the view's page once its table has rows.
 */
async function openProfile(workbench: Workbench, file: string): Promise<FrameLocator> {
  await workbench.runCommand('PerfLens: Open Profile…', 'PerfLens: Open Profile');
  const input = workbench.page.locator('.quick-input-widget input');
  const rows = workbench.page.locator('.quick-input-list .monaco-list-row');
  await input.waitFor();
  // The dialog writes the folder it lists into its input, and writes it again when it lists anew:
  // a path typed before that is overwritten, and Enter then opens the folder, not the file. So the
  // path is typed, seen in the input with the file listed, entered, and all of it again until the
  // dialog closes on it.
  await rows.first().waitFor();
  await vi.waitFor(
    async () => {
      // Closed by the previous attempt's Enter, however late: done.
      if (!(await workbench.page.locator('.quick-input-widget').isVisible())) return;
      if ((await input.inputValue()) !== file) await input.fill(file);
      await rows
        .filter({ hasText: path.basename(file) })
        .first()
        .waitFor({ timeout: 2_000 });
      if ((await input.inputValue()) !== file) throw new Error(`the dialog shows ${await input.inputValue()}`);
      await input.press('Enter');
      await workbench.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
    },
    { timeout: TIMEOUT, interval: 200 },
  );
  await workbench.page.locator('.tabs-container .tab.active', { hasText: path.basename(file) }).waitFor();
  const view = workbench.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await view.locator('#app.shown, #app.failed').waitFor();
  return view;
}

/**
 * The inline texts decorations put after lines in the active editor, as `line: text`. VS Code
 * draws them with CSS (`::after { content }`) on a span of the line: read from the computed style.
 */
async function inlineLabels(workbench: Workbench): Promise<string[]> {
  return workbench.editor().evaluate((editor) => {
    // The project's types have no DOM: the little used is declared here.
    interface Element {
      querySelectorAll(selector: string): Iterable<Element>;
      getBoundingClientRect(): { top: number };
      closest(selector: string): Element | null;
    }
    const page = globalThis as unknown as { getComputedStyle(element: Element, pseudo: string): { content: string } };
    const root = editor as unknown as Element;
    const lineTops = [...root.querySelectorAll('.margin-view-overlays .line-numbers')].map((number) => ({
      top: Math.round(number.getBoundingClientRect().top),
      text: (number as unknown as { textContent: string }).textContent.trim(),
    }));
    const labels: string[] = [];
    for (const span of root.querySelectorAll('.view-line span[class*="ced-"]')) {
      const content = [page.getComputedStyle(span, '::after').content, page.getComputedStyle(span, '::before').content].find(
        (value) => value && value !== 'none' && value !== 'normal',
      );
      if (!content) continue;
      const top = Math.round(span.closest('.view-line')!.getBoundingClientRect().top);
      const line = lineTops.find((entry) => entry.top === top)?.text ?? '?';
      labels.push(`${line}: ${JSON.parse(content) as string}`);
    }
    return labels;
  });
}

/** The table's rows as shown: [self, total, function, location]. */
async function tableRows(view: FrameLocator): Promise<string[][]> {
  const rows = view.locator('#rows tr[data-at]');
  const result: string[][] = [];
  for (const row of await rows.all()) result.push(await row.locator('td').allTextContents());
  return result;
}

/**
 * The share of a recorded .cpuprofile's samples whose stack holds `name` — the function's total over the run, from the
 * raw JSON with plain arithmetic (samples of equal weight; V8 samples at a fixed interval).
 */
function functionShare(file: string, name: string): number {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string }; children?: number[] }>;
    samples: number[];
  };
  const parent = new Map<number, number>();
  for (const node of raw.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(raw.nodes.map((node) => [node.id, node]));
  let within = 0;
  for (const sample of raw.samples) {
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.functionName === name) {
        within++;
        break;
      }
    }
  }
  return within / raw.samples.length;
}

describe('PerfLens profiles in VS Code', () => {
  it('4. a recorded .cpuprofile shows its hot function in the flame graph and the table; search highlights it; Enter on its row opens the .ts source at its line', async () => {
    await inWorkbench('4-profile-view', 'profile', async (workbench) => {
      const view = await openProfile(workbench, placeProfile(workbench, 'profiles/hot.cpuprofile'));

      // The heaviest self time, mapped through out/hot.js.map to the TypeScript source.
      await view.locator('#rows tr[data-at="0"]', { hasText: 'sumOfSquares' }).waitFor();
      const [first] = await tableRows(view);
      expect(first[2]).toBe('sumOfSquares');
      expect(first[3]).toBe('src/hot.ts:4:17');
      expect(first[0]).toMatch(/^\d+(\.\d+)? ms \((9\d|8\d)\.\d%\)$/);
      await view.locator('#flame-list li', { hasText: 'sumOfSquares' }).first().waitFor();

      await view.locator('#search').fill('sumofsq');
      await view.locator('#flame-list li[data-match="true"]', { hasText: 'sumOfSquares' }).first().waitFor();
      expect(await view.locator('#search-status').textContent()).toMatch(/^\d+ frames? match/);
      // Every other frame listed is faded, not highlighted.
      const others = await view.locator('#flame-list li[data-match="false"]').allTextContents();
      expect(others.length).toBeGreaterThan(0);
      expect(others.some((text) => text.startsWith('sumOfSquares'))).toBe(false);
      await workbench.screenshot('4-flame-graph', 'flame-graph.png');

      // Keyboard: focus the row, Enter.
      await view.locator('#rows tr[data-at="0"]').click();
      await view.locator('#rows tr[data-at="0"][aria-selected="true"]').waitFor();
      await view.locator('#sandwich-title', { hasText: 'Callers and callees of sumOfSquares' }).waitFor();
      await workbench.screenshot('4-table-sandwich', 'profile-table.png');
      await view.locator('#rows tr[data-at="0"]').press('Enter');
      await workbench.page.locator('.tabs-container .tab.active', { hasText: 'hot.ts' }).waitFor();
      await workbench.page.locator('.statusbar-item', { hasText: /^Ln 4, Col 17$/ }).waitFor();

      // Line heat in that editor: the loop's line (6) ends with its self time and share.
      let labels: string[] = [];
      await vi.waitFor(
        async () => {
          labels = await inlineLabels(workbench);
          if (!labels.some((label) => /^6: \d+(\.\d+)? ms \((9\d|8\d)\.\d%\)$/.test(label)))
            throw new Error(`labels: ${labels.join(' | ')}`);
        },
        { timeout: TIMEOUT, interval: 200 },
      );
      await workbench.page.locator('.statusbar-item', { hasText: /hot\.cpuprofile · \d+(\.\d+)? ms/ }).waitFor();
      await workbench.screenshot('4-line-heat', 'line-heat.png');
      await workbench.runCommand('PerfLens: Clear Profile');
      await vi.waitFor(async () => expect(await inlineLabels(workbench)).toEqual([]), { timeout: TIMEOUT, interval: 200 });
      expect(perflensErrors(extensionHostLogs(server.userDataDir))).toEqual([]);
    });
  });

  it("4a. clicking the hot function's frame in the flame graph shows the .ts source at its line beside the view; double-clicking moves into it", async () => {
    await inWorkbench('4a-flame-click', 'profile', async (workbench) => {
      const view = await openProfile(workbench, placeProfile(workbench, 'profiles/hot.cpuprofile'));
      await view.locator('#flame-list li', { hasText: 'sumOfSquares' }).first().waitFor();
      // The frames are drawn on a canvas: the frame is found as a user finds it, by pointing at
      // rows of the graph and reading the tooltip the page shows for what is under the pointer
      // (the page's own hit test). Found again after the first click: the source opened beside
      // the view makes it narrower.
      const canvas = view.locator('#flame-canvas');
      const tipName = view.locator('#tooltip:not([hidden]) .tip-name');
      const ROW = 18;
      const findFrame = async (name: string): Promise<{ x: number; y: number }> => {
        const box = await canvas.boundingBox();
        if (!box) throw new Error('the flame graph is not on screen');
        const seen: string[] = [];
        for (let depth = 0; (depth + 1) * ROW <= box.height; depth++) {
          for (const across of [0.5, 0.3, 0.7]) {
            const point = { x: box.x + box.width * across, y: box.y + depth * ROW + ROW / 2 };
            await workbench.page.mouse.move(point.x, point.y);
            const under = (await tipName.isVisible()) ? await tipName.textContent() : null;
            seen.push(`${depth}@${across}: ${under ?? '-'}`);
            if (under === name) return point;
          }
        }
        throw new Error(`no frame of ${name} under the pointer: ${seen.join(' | ')}`);
      };
      const target = await findFrame('sumOfSquares');
      // The graph opens in time order, the recording's timeline: the frame under the pointer is one call, at its moment.
      expect(await view.locator('#mode-time').textContent()).toBe('Time order');
      expect(await view.locator('#tooltip .tip-line').allTextContents()).toContainEqual(
        expect.stringMatching(/^Starts at \d+(\.\d+)? m?s$/),
      );
      // A click selects the function (the sandwich follows) and shows its source beside the view, the focus staying in the view.
      await workbench.page.mouse.click(target.x, target.y);
      await view.locator('#sandwich-title', { hasText: 'Callers and callees of sumOfSquares' }).waitFor();
      await workbench.page.locator('.tabs-container .tab', { hasText: 'hot.ts' }).waitFor();
      await workbench.page.locator('.editor-group-container.active .tab.active', { hasText: 'hot.cpuprofile' }).waitFor();
      // A double-click opens it and moves into it.
      const again = await findFrame('sumOfSquares');
      await workbench.page.mouse.dblclick(again.x, again.y);
      await workbench.page.locator('.editor-group-container.active .tab.active', { hasText: 'hot.ts' }).waitFor();
      await workbench.page.locator('.statusbar-item', { hasText: /^Ln 4, Col 17$/ }).waitFor();
      expect(perflensErrors(extensionHostLogs(server.userDataDir))).toEqual([]);
    });
  });

  it('5. a .heapprofile shows bytes', async () => {
    await inWorkbench('5-heap-profile', 'profile', async (workbench) => {
      const view = await openProfile(workbench, placeProfile(workbench, 'profiles/alloc.heapprofile'));
      await view.locator('#rows tr[data-at="0"]', { hasText: 'allocateRows' }).waitFor();
      const [first] = await tableRows(view);
      expect(first.slice(2)).toEqual(['allocateRows', 'src/alloc.ts:4:17']);
      expect(first[0]).toMatch(/^\d+\.\d MB \(9\d\.\d%\)$/);
      expect(await view.locator('#summary').textContent()).toMatch(/^heapprofile · \d+\.\d MB · /);
      // Allocations keep no order in time: the first mode says what it shows.
      expect(await view.locator('#mode-time').textContent()).toBe('Call order');
    });
  });

  it('6. a profile whose function name is HTML shows it as text and runs no script', async () => {
    await inWorkbench('6-html-names', 'profile', async (workbench) => {
      const dialogs: string[] = [];
      workbench.page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const view = await openProfile(workbench, placeProfile(workbench, 'profiles/names.cpuprofile'));
      const name = '<img src=x onerror=alert(1)>';
      await view.locator('#rows td.name', { hasText: name }).waitFor();
      expect(await view.locator('#rows tr[data-at="0"] td.name').textContent()).toBe(name);
      await view.locator('#flame-list li', { hasText: name }).first().waitFor();
      // Selected, its name is in the sandwich's title too: still text.
      await view.locator('#rows tr[data-at="0"]').click();
      await view.locator('#sandwich-title', { hasText: name }).waitFor();
      expect(await view.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
    });
  });

  it('7. a file that is not a profile shows why, not a blank page', async () => {
    await inWorkbench('7-not-a-profile', 'profile', async (workbench) => {
      const file = path.join(workbench.folder, 'profiles', 'notes.folded');
      fs.writeFileSync(file, 'these are my notes\n');
      const view = await openProfile(workbench, file);
      await view.locator('#message:not([hidden])').waitFor();
      expect(await view.locator('#message').textContent()).toBe(
        'not a profile: text that is neither JSON nor folded stacks ("frame;frame;… count" lines)',
      );
    });
  });

  it('8. in a High Contrast theme the view is drawn with its colours (screenshot)', async () => {
    await inWorkbench('8-high-contrast', 'profile', async (workbench) => {
      // The system asks for high contrast (forced colours, as Windows' contrast themes do) and VS Code
      // follows it (window.autoDetectHighContrast, on by default): no setting of the shared server changes.
      await workbench.page.emulateMedia({ forcedColors: 'active', colorScheme: 'dark' });
      await workbench.page.locator('.monaco-workbench.hc-black').waitFor();
      const view = await openProfile(workbench, placeProfile(workbench, 'profiles/hot.cpuprofile'));
      await view.locator('#rows tr[data-at="0"]', { hasText: 'sumOfSquares' }).waitFor();
      await view.locator('body.vscode-high-contrast').waitFor();
      await view.locator('#rows tr[data-at="0"]').click();
      await view.locator('#sandwich-title', { hasText: 'sumOfSquares' }).waitFor();
      await workbench.screenshot('8-high-contrast', 'profile-high-contrast.png');
    });
  });

  it('10. "PerfLens: Profile File" records a run and opens it; an untyped includes in a loop rises from info to warning, giving the measured share and its function’s time', async () => {
    await inWorkbench('10-measured', 'profile', async (workbench) => {
      await workbench.openFile('src/words.js');
      const squiggle = (kind: string) => workbench.editor().locator(`.squiggly-${kind}`);
      await squiggle('info').first().waitFor();
      expect(await squiggle('warning').count()).toBe(0);

      // Recorded from the editor: kept in .perflens/profiles/, opened in the profile view.
      await workbench.runCommand('PerfLens: Profile File');
      await workbench.page.locator('.tabs-container .tab.active', { hasText: /\.cpuprofile$/ }).waitFor({ timeout: TIMEOUT });
      const kept = path.join(workbench.folder, '.perflens', 'profiles');
      const [recorded] = fs.readdirSync(kept).filter((name) => name.endsWith('.cpuprofile'));
      expect(recorded).toMatch(/^\d{8}-\d{6}-node-src-words\.js\.cpuprofile$/);
      const expected = functionShare(path.join(kept, recorded), 'unique');
      expect(expected).toBeGreaterThan(0.5);
      // Back to the source, by its tab (the view holds the keyboard focus).
      await workbench.page.locator('.tabs-container .tab', { hasText: 'words.js' }).first().click();
      await workbench.page.locator('.tabs-container .tab.active', { hasText: 'words.js' }).waitFor();
      await squiggle('warning').first().waitFor();
      // The cursor into the squiggle (it lies under the text: a click where it is), then the hover by its command.
      const box = await squiggle('warning').first().boundingBox();
      expect(box).not.toBeNull();
      await workbench.page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
      await workbench.runCommand('Show or Focus Hover');
      const hover = workbench.page.locator('.monaco-hover:visible', { hasText: 'Profile: its function took' });
      await hover.first().waitFor();
      const text = await hover.first().innerText();
      expect(text).toMatch(/measured: \d+\.\d% of this run's time on this line \(/);
      const shown = /Profile: its function took [\d.,]+ m?s \((\d+\.\d)%\) of the loaded run/.exec(text);
      expect(shown).not.toBeNull();
      expect(Math.abs(Number(shown![1]) / 100 - expected)).toBeLessThan(0.05);
      await workbench.screenshot('10-measured');

      // Cleared, the finding is an info again.
      await workbench.runCommand('PerfLens: Clear Profile');
      await squiggle('info').first().waitFor();
      expect(await squiggle('warning').count()).toBe(0);
      expect(perflensErrors(extensionHostLogs(server.userDataDir))).toEqual([]);
    });
  });

  it('9. in an untrusted workspace the view still opens a profile (reading a file runs nothing); analysis says it waits for trust, and a run is refused', async () => {
    // A server of its own with workspace trust on, whose window is left untrusted.
    const untrusted = await startCodeServer({
      vsix: server.vsix,
      workspaceTrust: true,
      logFile: path.join(RESULTS_DIR, 'code-server-trust.log'),
    });
    const browser = await launchChromium();
    try {
      const folder = path.join(untrusted.root, 'workspaces', 'profile-untrusted');
      fs.cpSync(path.join(FIXTURES, 'profile'), folder, { recursive: true });
      const workbench = await Workbench.open(browser, untrusted.folderUrl(folder), folder);
      let passed = false;
      try {
        // VS Code may ask on opening; the answer that keeps the window in Restricted Mode.
        const refuse = workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: "No, I don't trust the authors" });
        const restricted = workbench.page.locator('.statusbar-item', { hasText: 'Restricted Mode' });
        await refuse.or(restricted).first().waitFor();
        if (await refuse.isVisible()) await refuse.click();
        await restricted.waitFor();
        const view = await openProfile(workbench, placeProfile(workbench, 'profiles/hot.cpuprofile'));
        await view.locator('#rows tr[data-at="0"]', { hasText: 'sumOfSquares' }).waitFor();
        // Analysis waits for trust, and its commands say so rather than being missing.
        await workbench.runCommand('PerfLens: Scan Workspace');
        await workbench.page
          .locator('.notification-list-item-message', { hasText: 'PerfLens analyses code once you trust this workspace' })
          .first()
          .waitFor();
        // Running a program is refused, with the reason.
        await workbench.runCommand('PerfLens: Profile File');
        await workbench.page
          .locator('.notification-list-item-message', { hasText: 'PerfLens runs a program only in a trusted workspace' })
          .first()
          .waitFor();
        passed = true;
      } finally {
        await workbench.screenshot(`9-untrusted-${passed ? 'passed' : 'failed'}`);
        await workbench.close();
      }
    } finally {
      await browser.close();
      await untrusted.stop();
      fs.rmSync(untrusted.root, { recursive: true, force: true });
    }
  });
});
