/**
 * Issue 3's tests 4–6 need the profile view and the profile-a-run commands, which do not exist
 * yet (the profile engine is issue 6; the view a later issue). They are listed here as `todo` —
 * reported by vitest, counted neither as passed nor as failed — and are written with the
 * capability that makes them possible, on the same harness:
 *
 * - `useSession().inWorkbench(name, fixture, body)` opens a window on a fresh copy of
 *   test/e2e/fixtures/<fixture> (add e.g. fixtures/profile/ with a .cpuprofile whose frames point
 *   at its src/ files) and keeps a screenshot of how the test ended;
 * - webview content: `workbench.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame')`;
 * - VS Code's built-in JS profile viewer also claims `*.cpuprofile`: with `priority: "option"` on
 *   PerfLens's custom editor, open it with "Reopen Editor With…" or PerfLens's own command;
 * - test 6 needs workspace trust on: a second server from
 *   `startCodeServer({ vsix, workspaceTrust: true })` (test/e2e/harness/codeServer.ts), whose
 *   window is left untrusted.
 * - README pictures: `workbench.screenshot(name, 'flame-graph.png')` (and 'line-heat.png'),
 *   refreshed with UPDATE_SCREENSHOTS=1.
 */
import { describe, it } from 'vitest';

describe('PerfLens profiles in VS Code', () => {
  it.todo(
    '4. opening a .cpuprofile with PerfLens shows the flame graph and the table; clicking a row opens the source line; line heat appears in that editor',
  );
  it.todo('5. a profile whose function names contain HTML shows them as text (no element injected)');
  it.todo('6. in an untrusted workspace the profile-a-run commands are refused with an explanation');
});
