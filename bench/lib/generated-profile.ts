/**
 * A large .cpuprofile made up for the profile view's bench (`npm run bench -- profile-view`) and
 * its structural test (test/profileView/large.test.ts), the same for the same seed: a tree as deep as real
 * ones (up to 64 frames), functions that recur on their own stacks, a share of dependency and
 * Node-internal frames, and V8's pseudo-frames under (root).
 */

/**
 * A small, seedable generator (mulberry32): the profile must be the same on every run. The same as stats.mjs's
 * seededRandom: this file is TypeScript compiled as CommonJS, which cannot import that ES module.
 */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const FUNCTIONS = 3000;
/** Samples shuffle within windows of this many (see below). */
const SAMPLE_WINDOW = 16;

export function generatedCpuProfile(nodeCount: number, seed: number): object {
  const next = random(seed);
  const callFrame = (fn: number) => {
    const kind = fn % 20;
    const url =
      kind === 0
        ? `file:///app/node_modules/lib${fn % 7}/index.js`
        : kind === 1
          ? `node:internal/module${fn % 5}`
          : `file:///app/src/file${fn % 97}.js`;
    return { functionName: `fn${fn}`, scriptId: '1', url, lineNumber: fn % 400, columnNumber: fn % 30 };
  };
  const pseudo = ['(program)', '(idle)', '(garbage collector)'].map((functionName) => ({
    functionName,
    scriptId: '0',
    url: '',
    lineNumber: -1,
    columnNumber: -1,
  }));
  const nodes: Array<{ id: number; callFrame: object; children: number[] }> = [
    { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [] },
  ];
  const samples: number[] = [];
  const path = [0];
  const functionsOnPath: number[] = [];
  for (let index = 1; index <= nodeCount; index++) {
    // Return from a few calls (more when deep), then call one more function.
    let returns = Math.floor(next() * next() * 4);
    if (path.length > 64) returns += 8;
    while (returns-- > 0 && path.length > 1) {
      path.pop();
      functionsOnPath.pop();
    }
    const parent = path[path.length - 1];
    let callFrameOf: object;
    let fn = -1;
    if (parent === 0 && index % 50 === 1) callFrameOf = pseudo[((index / 50) % 3) | 0];
    else {
      // One call in ten recurses into a function already on the stack.
      fn =
        functionsOnPath.length > 0 && next() < 0.1
          ? functionsOnPath[Math.floor(next() * functionsOnPath.length)]
          : Math.floor(next() * FUNCTIONS);
      callFrameOf = callFrame(fn);
    }
    nodes.push({ id: index + 1, callFrame: callFrameOf, children: [] });
    nodes[parent].children.push(index + 1);
    const hits = Math.floor(next() * 3);
    for (let hit = 0; hit < hits; hit++) samples.push(index + 1);
    if (fn >= 0) {
      path.push(index);
      functionsOnPath.push(fn);
    }
  }
  // Samples in the order the walk made its calls, shuffled within windows of 16, with varied
  // intervals. In walk order alone no call is ever re-entered; a real program's loops come back to
  // call sites they left. Shuffled whole, every sample jumps to a random stack and the timeline has
  // 11 frames per node; windows of 16 give 2.7, as a recorded 167 MB tsc profile has (2.76).
  for (let window = 0; window < samples.length; window += SAMPLE_WINDOW) {
    for (let at = Math.min(samples.length, window + SAMPLE_WINDOW) - 1; at > window; at--) {
      const other = window + Math.floor(next() * (at - window + 1));
      [samples[at], samples[other]] = [samples[other], samples[at]];
    }
  }
  const timeDeltas = samples.map(() => 500 + Math.floor(next() * 1000));
  const endTime = timeDeltas.reduce((sum, delta) => sum + delta, 0) + 1000;
  return { nodes, startTime: 0, endTime, samples, timeDeltas };
}
