/**
 * The TypeScript compiler API, as bundled by ts-morph (the same copy its project host uses).
 *
 * Import `ts` from here, never from 'ts-morph' directly: ts-morph re-exports `ts` through a
 * getter, and a bundled import of a CommonJS module adds a second one, so every `ts.isX(…)` in
 * a hot loop paid for two getter calls — 15% of re-analysis time. An import alias is read once.
 */
// eslint-disable-next-line no-restricted-imports -- the one place that may
import { ts as bundledTypeScript } from 'ts-morph';

export import ts = bundledTypeScript;
