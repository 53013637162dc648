/**
 * The slice of the engine the bench drives in-process (edit latency) or hands to its drivers
 * (the parse-only floor), bundled by esbuild.mjs into bench/.cache/engine.js the same way
 * dist/worker.js bundles it — so the bench times the code the editor runs, with the same
 * TypeScript copy (ts-morph's), not the one in node_modules/typescript.
 */
export { Analyzer } from '../src/analyzers/engine';
export { MAX_FILE_BYTES } from '../src/analyzers/files';
export { ProjectHost, isAnalyzable, scriptKindOf } from '../src/analyzers/project';
export { allRules } from '../src/analyzers/registry';
export { ts } from '../src/analyzers/ts';
