/**
 * What every e2e test file shares: the run's code-server (from the global setup), one Chromium
 * per file, a fresh copy of a fixture workspace per test, and `inWorkbench`, which opens a window
 * on it and keeps a screenshot of how the test ended — passed or failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium, ROOT, Workbench } from './workbench';

export const FIXTURES = path.join(ROOT, 'test', 'e2e', 'fixtures');

export interface WorkbenchOptions {
  /** The window's size (default 1280×800). */
  viewport?: { width: number; height: number };
}

export function useSession(): {
  server: ReturnType<typeof inject<'codeServer'>>;
  inWorkbench(name: string, fixture: string, body: (workbench: Workbench) => Promise<void>, options?: WorkbenchOptions): Promise<void>;
} {
  const server = inject('codeServer');
  let browser: Browser | undefined;
  let copies = 0;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh copy of test/e2e/fixtures/<fixture>, outside the repository (whose path says "test"). */
  function workspace(fixture: string): string {
    const folder = path.join(server.root, 'workspaces', `${fixture}-${++copies}`);
    fs.cpSync(path.join(FIXTURES, fixture), folder, { recursive: true });
    return folder;
  }

  async function inWorkbench(
    name: string,
    fixture: string,
    body: (workbench: Workbench) => Promise<void>,
    options: WorkbenchOptions = {},
  ): Promise<void> {
    if (!browser) throw new Error('Chromium did not start');
    const folder = workspace(fixture);
    const workbench = await Workbench.open(browser, `${server.url}/?folder=${encodeURIComponent(folder)}`, folder, options.viewport);
    let passed = false;
    try {
      await body(workbench);
      passed = true;
    } finally {
      await workbench.screenshot(`${name}-${passed ? 'passed' : 'failed'}`).catch((error: unknown) => {
        console.error(`[e2e] no screenshot of ${name}: ${error instanceof Error ? error.message : String(error)}`);
      });
      await workbench.close();
    }
  }

  return { server, inWorkbench };
}
