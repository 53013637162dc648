/**
 * Where a file sits in its project. Conventions such as `scripts/`, `test/`, `app/**\/route.ts`
 * describe a file's place inside its project, so they are matched against the path relative to
 * the project — never the absolute path, or every file of a project cloned under `~/tools/` or
 * `/srv/build/` would look like tooling (found by the end-to-end tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders that mark a project's root. (Not tsconfig.json: a `scripts/tsconfig.json` is common.) */
const ROOT_MARKERS = ['package.json', '.git'];

const rootByDirectory = new Map<string, string | null>();

/** The nearest folder at or above `directory` holding package.json or .git, cached per folder. */
function projectRootOf(directory: string): string | undefined {
  const visited: string[] = [];
  let current = directory;
  let found: string | null | undefined;
  for (;;) {
    found = rootByDirectory.get(current);
    if (found !== undefined) break;
    visited.push(current);
    if (ROOT_MARKERS.some((marker) => fs.existsSync(path.join(current, marker)))) {
      found = current;
      break;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      found = null;
      break;
    }
    current = parent;
  }
  if (rootByDirectory.size > 20_000) rootByDirectory.clear();
  for (const dir of visited) rootByDirectory.set(dir, found);
  return found ?? undefined;
}

/**
 * `fileName` relative to its project root with `/` separators (`src/routes/users.ts`), or the
 * whole path with `/` separators when no root is found (loose files, in-memory examples).
 */
export function projectPath(fileName: string): string {
  const absolute = path.resolve(fileName);
  const root = projectRootOf(path.dirname(absolute));
  const relative = root === undefined ? absolute : path.relative(root, absolute);
  return relative.split(path.sep).join('/').replace(/\\/g, '/');
}

/**
 * Test code, by `isTestPath`, or as a whole package: a package of a larger project whose own folder is a test
 * runner's (`e2e/package.json` beside the app: its helpers and mock servers are `helpers/tunnel.ts`,
 * `mock-rss-server.ts` inside it — issue 12's sixth study drew two warnings from such a package). A project whose
 * root folder merely happens to be called `test` (`~/projects/test`) is not: only a package nested in another.
 */
export function isTestCode(fileName: string): boolean {
  if (isTestPath(projectPath(fileName))) return true;
  const root = projectRootOf(path.dirname(path.resolve(fileName)));
  if (root === undefined) return false;
  const parent = path.dirname(root);
  return parent !== root && TEST_FOLDER.test(`${path.basename(root)}/`) && projectRootOf(parent) !== undefined;
}

/**
 * Test code by where it lives or how it is named — the one list every classifier shares, so a
 * file under `specs/` or a `*.stories.tsx` is test code for every rule alike: test runners'
 * folders (`__tests__`, `test`, `specs`, `e2e`, `cypress`, `playwright`), mocks, fixtures and
 * stories, and files named `*.test.ts`, `*.spec.ts`, `*.stories.tsx`, `*.bench.ts`, `*.fixture.ts`.
 * `relative` is the path inside the project (`projectPath`).
 */
function isTestPath(relative: string): boolean {
  return TEST_FOLDER.test(relative) || TEST_FILE.test(relative);
}

const TEST_FOLDER = /(^|\/)(__tests__|__mocks__|__fixtures__|tests?|testing|specs?|e2e|cypress|playwright|fixtures?|stories)\//;
const TEST_FILE = /\.(test|spec|e2e|stories|story|bench|fixture)\.[cm]?[jt]sx?$/;
