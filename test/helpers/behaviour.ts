/**
 * The proof a `safe` fix owes: run the code before and after the fix on the same inputs and
 * compare what comes out (values, thrown errors, and the order of observable side effects the
 * code records in `log`).
 */
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { ts } from '../../src/analyzers/ts';
import { expect } from 'vitest';

const requireFromTest = createRequire(__filename);

export type Outcome = { value: unknown; log: unknown[] } | { error: string; log: unknown[] };

/** `code` (TypeScript or JavaScript, CommonJS or ES module syntax) as CommonJS JavaScript that Node runs. */
export function toCommonJs(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

/** Fakes of packages the code imports, by module name (`{ 'drizzle-orm': { eq, inArray } }`): not installed, not mocked. */
export type Packages = Readonly<Record<string, unknown>>;

/** Loads `code` (TypeScript or JavaScript, CommonJS or ES module syntax) and returns its exports. */
export function loadModule(code: string, globals: Record<string, unknown> = {}, packages: Packages = {}): Record<string, unknown> {
  const js = toCommonJs(code);
  const module = { exports: {} as Record<string, unknown> };
  const names = Object.keys(globals);
  const load = (name: string): unknown => (Object.hasOwn(packages, name) ? packages[name] : requireFromTest(name));
  const factory = new Function('require', 'module', 'exports', ...names, js) as (...args: unknown[]) => void;
  factory(load, module, module.exports, ...names.map((name) => globals[name]));
  return module.exports;
}

/** Calls `entry` of `code` with `args`; the code may push observations to the global `log`. */
export async function run(code: string, entry: string, args: unknown[], packages: Packages = {}): Promise<Outcome> {
  const log: unknown[] = [];
  const exports = loadModule(code, { log }, packages);
  const fn = exports[entry];
  if (typeof fn !== 'function') throw new Error(`the example does not export a function "${entry}"`);
  try {
    const value = await (fn as (...a: unknown[]) => unknown)(...args.map((arg) => structuredClone(arg)));
    return { value, log };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), log };
  }
}

/**
 * Asserts that `before` and `after` behave the same on every input. Also asserts that the fix
 * changed something: a proof over identical code proves nothing.
 */
export async function expectSameBehaviour(
  before: string,
  after: string,
  entry: string,
  inputs: unknown[][],
  packages: Packages = {},
): Promise<void> {
  expect(after).not.toBe(before);
  expect(inputs.length).toBeGreaterThan(0);
  for (const args of inputs) {
    const original = await run(before, entry, args, packages);
    const fixed = await run(after, entry, args, packages);
    if (!isDeepStrictEqual(original, fixed)) {
      throw new Error(
        `behaviour changed for input ${JSON.stringify(args)}:\nbefore: ${JSON.stringify(original)}\nafter:  ${JSON.stringify(fixed)}`,
      );
    }
  }
}
