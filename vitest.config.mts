// `npm test` runs this after the build (scripts/test.mjs); `npx vitest run FILE` runs one file.
// Every test must pass on a busy machine: no test measures time, the builds tests run are made once
// in the global setup, and waits end on events. The time limits only stop a hung test.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { HUNG_MS } from './test/helpers/hung.js';

/**
 * The engine's own tests run without isolation: files share one module graph per worker, so
 * TypeScript and the engine load once per worker instead of once per file (otherwise most of the
 * suite's CPU time). So a file here may not mock modules, change process state (env, cwd, globals)
 * or rely on hooks registered by a helper module; any other test file runs isolated.
 */
const ENGINE_TESTS = ['test/analyzers/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: HUNG_MS,
    hookTimeout: HUNG_MS,
    pool: 'forks',
    // Every core (vitest's default leaves one to its main process, which has little to do here):
    // on a 2-core machine that is two workers instead of one.
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'engine', include: ENGINE_TESTS, isolate: false } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'node_modules/**', ...ENGINE_TESTS] },
      },
    ],
  },
});
