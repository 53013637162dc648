/**
 * The kinds of file a rule can stay out of (`meta.scope.skip`): tests, scripts, migrations, build
 * config, worker threads, command-line and build tools, build plugins. Each is decided from the
 * file's place in its project, its text or its imports, never from a position in the code (code at
 * module level or in a `main()` is a per-node fact: positions.ts). The engine asks each kind at most
 * once per file, and only when an active rule declares it.
 */
import { isTestCode, projectPath } from './paths';
import { isToolPackageFile } from './toolPackages';
import type { ImportTable } from './imports';

export const FILE_KINDS = [
  'tests',
  'scripts',
  'migrations',
  'build-config',
  'worker-threads',
  'tool-packages',
  'build-tool-importers',
] as const;

export type FileKind = (typeof FILE_KINDS)[number];

/** What a file kind is decided from (a FileFacts). */
interface ClassifiedFile {
  /** Absolute path. */
  readonly fileName: string;
  readonly text: string;
  readonly imports: ImportTable;
}

interface FileKindDefinition {
  /** How the docs name the kind: "In tests, scripts and build config". */
  label: string;
  /** What belongs to it, for the docs. */
  description: string;
  test(file: ClassifiedFile): boolean;
}

export const FILE_KIND_DEFINITIONS: Readonly<Record<FileKind, FileKindDefinition>> = {
  tests: {
    label: 'tests',
    description:
      'test code by folder (`test/`, `__tests__/`, `specs/`, `e2e/`, `cypress/`, `playwright/`, `fixtures/`, `__mocks__/`, ' +
      '`stories/`) or by name (`*.test.ts`, `*.spec.ts`, `*.stories.tsx`, `*.bench.ts`, `*.fixture.ts`)',
    test: (file) => isTestCode(file.fileName),
  },
  scripts: {
    label: 'scripts',
    description:
      'files that start with `#!`, files under `bin/`, `scripts/`, `tools/`, `build/`, `bench/`, `benchmarks/`, `.husky/`, ' +
      '`migrations/`, `seeds/` or `seeders/`, and build, install and release scripts by name (`build.js`, ' +
      '`postinstall.mjs`, `release.ts`); never a file of a routes folder (`app/routes/`, `app/api/`, `pages/api/`, `src/routes/`)',
    test: (file) => isScriptFile(file.fileName, file.text),
  },
  migrations: {
    label: 'migrations',
    description:
      '`migrations/`, `seeds/` and `seeders/` folders, files named by timestamp (`20220722000000-backfill.ts`), and files ' +
      'whose name contains `migrat` or `seed` (`runMigrations.ts`, `seedUsers.ts`); never a file of a routes folder ' +
      '(`app/routes/admin.api.v1.migrate-queues.ts` is a route)',
    test: (file) => isMigrationFile(file.fileName),
  },
  'build-config': {
    label: 'build config',
    description:
      'config files (`*.config.ts`, `*.conf.js`) and files named after a build tool, linter or framework (`gulpfile.js`, ' +
      '`webpack.prod.js`, `vite.*.ts`, `jest.*.js`, `babel.*.js`, `eslint.*.js`, `tailwind.*.js`, …)',
    test: (file) => isBuildConfigFile(file.fileName),
  },
  'worker-threads': {
    label: 'worker threads',
    description:
      'code that runs off the main event loop: `*.worker.ts` files, files under a web worker’s folder (`web-workers/`, `pythonWebWorker/`), and files that use `parentPort` or `workerData` of `worker_threads`',
    test: (file) => isWorkerThreadFile(file.fileName, file.text),
  },
  'tool-packages': {
    label: 'tool packages',
    description:
      'packages of command-line and build tools: files of a package whose nearest package.json declares a `bin` (or is named like `*-cli`, `create-*`) or depends on a ' +
      'bundler (vite, webpack, rollup, esbuild, …), and depends on no web framework',
    test: (file) => isToolPackageFile(file.fileName),
  },
  'build-tool-importers': {
    label: 'build plugins',
    description:
      'files that import a bundler or dev server (`vite`, `webpack`, `rollup`, `esbuild`, …): dev-server middleware and build plugins',
    test: (file) => importsBuildTool(file.imports),
  },
};

/**
 * Tests, specs, stories and fixtures: code that runs once per test run, where the cost of a
 * quadratic search or an uncleared timer is not a production problem.
 */
/**
 * Command-line entry points and scripts run by hand or by a build: a `#!` line, a script folder
 * (migration and seed folders included), or a build, install or release script by name.
 */
function isScriptFile(fileName: string, text: string): boolean {
  if (text.startsWith('#!')) return true;
  const normalized = projectPath(fileName);
  if (isRouteFile(normalized)) return false;
  if (/(^|\/)(bin|scripts?|tools?|build|\.husky|bench|benchmarks?|migrations?|seeders?|seeds?)\//.test(normalized)) return true;
  // Build, install and release scripts by name: `build.js`, `install.js`, `postinstall.mjs`.
  return /(^|\/)(build|install|postinstall|preinstall|prepare|release|publish)\.[cm]?[jt]s$/.test(normalized);
}

/**
 * Seeds and migrations (a `migrations/` folder, or a file named by timestamp or after what it
 * does): a row per iteration there is set-up or a one-off data fix, run once, not a request path.
 */
function isMigrationFile(fileName: string): boolean {
  const normalized = projectPath(fileName);
  if (isRouteFile(normalized)) return false;
  if (/(^|\/)(seeds?|seeders|migrations?)\//.test(normalized)) return true;
  // Data migrations named by timestamp, wherever they live: `scripts/20220722000000-backfill-subscriptions.ts`,
  // and migration runners by name: `migrationWorker.ts`, `runMigrations.ts`, `migrate.ts`.
  if (/(^|\/)\d{8,}[-_.][^/]*\.[cm]?[jt]s$/.test(normalized)) return true;
  if (/(^|\/)[^/]*migrat[^/]*\.[cm]?[jt]s$/i.test(normalized)) return true;
  return /(^|\/)[^/]*seed[^/]*\.[cm]?[jt]s$/i.test(normalized);
}

/**
 * A file of a file-system router's routes folder — Remix `app/routes/`, Next.js `app/api/` and `pages/api/`, SvelteKit
 * `src/routes/`, Nuxt `server/api/` and `server/routes/` — or a Next.js app-router `route.ts`: the framework serves it
 * as a route, whatever a word in its name or a folder below says (`admin.api.v1.migrate-queues.ts`, `api/tools/…`).
 */
const ROUTE_FOLDER = /(^|\/)(app\/routes|app\/api|pages\/api|src\/routes|server\/api|server\/routes)\//;
const APP_ROUTE_FILE = /(^|\/)app\/(.*\/)?route\.[cm]?[jt]sx?$/;

function isRouteFile(normalized: string): boolean {
  return ROUTE_FOLDER.test(normalized) || APP_ROUTE_FILE.test(normalized);
}

/** Config files of build tools, linters and frameworks: `vite.config.ts`, `webpack.prod.js`, `gulpfile.js`. */
function isBuildConfigFile(fileName: string): boolean {
  const normalized = projectPath(fileName);
  if (/\.(config|conf)\.[cm]?[jt]sx?$/.test(normalized)) return true;
  return /(^|\/)(gulpfile|gruntfile|jakefile|webpack|rollup|vite|vitest|jest|babel|eslint|prettier|tailwind|postcss|next\.config|nuxt\.config|svelte\.config|astro\.config)[^/]*\.[cm]?[jt]s$/i.test(
    normalized,
  );
}

/**
 * Code that runs off the main event loop: a worker thread (`parentPort`/`workerData` from
 * `worker_threads`) or a web/worker file (`*.worker.ts`, or under a folder named for web workers). Blocking there is
 * what workers are for.
 */
function isWorkerThreadFile(fileName: string, text: string): boolean {
  const path = fileName.replace(/\\/g, '/');
  if (/\.worker\.[cm]?[jt]sx?$/.test(path)) return true;
  // A web worker's own folder: `src/web-workers/…`, `pythonWebWorker/worker/…`, `app/webworkers/…`.
  if (/(^|\/)([\w-]*web-?workers?)\//i.test(path)) return true;
  return text.includes('worker_threads') && /\b(parentPort|workerData)\b/.test(text);
}

/** Modules only build tools and dev servers import: a file that imports one is tooling, not a server's hot path. */
const BUILD_TOOL_MODULES =
  /^(vite|webpack|webpack-dev-server|rollup|esbuild|@vitejs\/.*|@rollup\/.*|@expo\/config-plugins|expo\/config-plugins)$/;

/** True when the file imports a bundler or dev server (`import { ViteDevServer } from 'vite'`). */
function importsBuildTool(imports: ImportTable): boolean {
  return imports.importsAny((module) => BUILD_TOOL_MODULES.test(module));
}
