// The profile engine as the profile suite's child processes load it: bundled by the suite with
// esbuild exactly as dist/cli.js bundles it, so the bench times the shipped code.
export { loadProfileFile } from '../../src/profiles/load';
export { resolveFrames } from '../../src/profiles/resolve';
export { bottomUp, callersAndCallees, computeHotspots } from '../../src/profiles/hotspots';
