// `npm run test:e2e`: PerfLens in a real VS Code (code-server, driven by Playwright in Debian's
// Chromium). One server for the run (test/e2e/setup.ts), files and tests one after another; the
// time limits only stop a hang (no step may depend on the machine's speed). The JSON report is
// what .ci/run adds up. Unit tests live in vitest.config.mts.
import { defineConfig } from 'vitest/config';
import { HUNG_MS } from './test/helpers/hung.js';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    exclude: ['test/e2e/fixtures/**', 'node_modules/**'],
    globalSetup: ['test/e2e/setup.ts'],
    testTimeout: HUNG_MS,
    hookTimeout: HUNG_MS,
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    retry: 0,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/e2e.json' },
  },
});
