// Child process of the profile suite: does one job on one profile and prints its own CPU and wall
// time for that job as JSON (the process's peak RSS is added by usage-probe.mjs).
//   parse   FILE         read it as UTF-8 and JSON.parse it: the floor
//   load    FILE ENGINE  PerfLens: load, resolve frames, aggregate hotspots
//   queries FILE ENGINE  load, then callers/callees and bottom-up of the heaviest functions
//   view    FILE ENGINE  load, then the profile view's model step by step (each step's CPU time)
//   open    FILE ENGINE  the extension host's side of opening it in the view: the worker reads it,
//                        the session posts the model in chunks (through a MessageChannel: structured
//                        clone, as postMessage); the longest stall of this thread's event loop meanwhile
//   messages FILE ENGINE ROOT OUT  the messages that carry the view's model to the page, as JSON
//                        in OUT (typed arrays as { $typed, values }): page-driver.mjs posts them
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';

const [mode, file, engineFile, root = process.cwd()] = process.argv.slice(2);

function timed(job) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = job();
  const used = process.cpuUsage(cpu);
  return { result, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
}

if (mode === 'parse') {
  const { result, cpuMs, wallMs } = timed(() => JSON.parse(fs.readFileSync(file, 'utf8')));
  const keys = Object.keys(result).length;
  console.log(JSON.stringify({ cpuMs, wallMs, keys }));
} else if (mode === 'open') {
  const engine = createRequire(import.meta.url)(engineFile);
  const { MessageChannel } = await import('node:worker_threads');
  const { resolve: resolvePath } = await import('node:path');
  // A 1 ms timer that notes how late it fires: the host's longest block, whatever blocked it.
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  const started = performance.now();
  const outcome = await engine.loadInWorker(resolvePath(root, 'dist', 'profileWorker.js'), { file, root, readRoots: [root] });
  if ('error' in outcome) throw new Error(outcome.error);
  const loadedMs = performance.now() - started;
  const channel = new MessageChannel();
  let messages = 0;
  await new Promise((done) => {
    channel.port2.on('message', (message) => {
      if (message.type === 'modelEnd') done();
    });
    const session = new engine.ProfileSession({
      post: async (message) => {
        messages++;
        channel.port1.postMessage(message);
        return true;
      },
      openSource: () => undefined,
      log: () => undefined,
    });
    session.receive({ type: 'ready' });
    session.loaded(outcome);
  });
  clearInterval(ticker);
  channel.port1.close();
  console.log(JSON.stringify({ loadWallMs: loadedMs, sentWallMs: performance.now() - started, messages, longestBlockMs: longest }));
} else if (mode === 'messages') {
  const engine = createRequire(import.meta.url)(engineFile);
  const out = process.argv[6];
  const profile = engine.loadProfileFile(file);
  const data = engine.profileViewData(profile, engine.resolveFrames(profile, { root }));
  const messages = [...engine.modelMessages(data, 1)];
  // JSON has no typed arrays; the page driver turns these back into the ones the host posts.
  const typed = (key, value) => (ArrayBuffer.isView(value) ? { $typed: value.constructor.name, values: Array.from(value) } : value);
  fs.writeFileSync(out, JSON.stringify(messages, typed));
  console.log(JSON.stringify({ messages: messages.length, nodes: profile.tree.size }));
} else if (mode === 'view') {
  const engine = createRequire(import.meta.url)(engineFile);
  const steps = {};
  /** Runs one step and keeps its CPU time under `name`. */
  const step = (name, job) => {
    const { result, cpuMs } = timed(job);
    steps[name] = cpuMs;
    return result;
  };
  const profile = step('load', () => engine.loadProfileFile(file));
  const data = step('viewData', () => engine.profileViewData(profile, engine.resolveFrames(profile, { root })));
  // What the first paint needs: the folded tree, the flame layout shown first (the timeline), and the table.
  const tree = step('fold', () => engine.foldTree(data, engine.hiddenFunctions(data.functions, false)));
  const time = step('timeline', () => engine.timelineLayout(tree, data.timeline));
  const left = step('leftHeavy', () => engine.leftHeavyLayout(tree));
  const table = step('table', () => engine.functionTable(tree));
  step('sortByTotal', () => engine.sortRows(table, data.functions, 'total'));
  // Then what the user does: the nodes of a full-width frame, "My code only", one sandwich.
  const visible = step('visible', () => engine.visibleNodes(time, 0, time.span, 1920));
  step('myCodeOnly', () => {
    const mine = engine.foldTree(data, engine.hiddenFunctions(data.functions, true));
    return [engine.leftHeavyLayout(mine), engine.functionTable(mine)];
  });
  const heaviest = table.fn[table.total.indexOf(Math.max(...table.total))];
  step('sandwich', () => engine.sandwich(tree, heaviest));
  console.log(
    JSON.stringify({
      steps,
      nodes: profile.tree.size,
      timelineNodes: time.size,
      leftHeavyNodes: left.size,
      rows: table.size,
      visible: visible.length,
    }),
  );
} else {
  const engine = createRequire(import.meta.url)(engineFile);
  const { result, cpuMs, wallMs } = timed(() => {
    const profile = engine.loadProfileFile(file);
    const resolution = engine.resolveFrames(profile, { root });
    const hotspots = engine.computeHotspots(profile, resolution);
    return { profile, resolution, hotspots };
  });
  const { profile, resolution, hotspots } = result;
  const summary = {
    cpuMs,
    wallMs,
    nodes: profile.tree.size,
    frames: profile.frames.length,
    functions: hotspots.functions.length,
    samples: profile.samples,
    total: hotspots.total,
  };
  if (mode === 'queries') {
    // The heaviest by self and by total, and the function with the most call-tree nodes (the
    // worst case for both queries: recursion-heavy checker functions).
    const nodesPerFunction = new Map();
    for (let node = 0; node < profile.tree.size; node++) {
      const fn = resolution.functionOf[profile.tree.frame[node]];
      nodesPerFunction.set(fn, (nodesPerFunction.get(fn) ?? 0) + 1);
    }
    const mostNodes = [...nodesPerFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([fn]) => fn);
    const bySelf = hotspots.functions.slice(0, 5).map((hotspot) => hotspot.id);
    const byTotal = [...hotspots.functions]
      .sort((a, b) => b.total - a.total)
      .slice(0, 5)
      .map((hotspot) => hotspot.id);
    const targets = [...new Set([...bySelf, ...byTotal, ...mostNodes])];
    summary.queries = targets.map((fn) => {
      const neighbours = timed(() => engine.callersAndCallees(profile, resolution, fn));
      const inverted = timed(() => engine.bottomUp(profile, resolution, fn));
      return {
        name: resolution.functions[fn].name,
        nodes: nodesPerFunction.get(fn),
        callersMs: neighbours.wallMs,
        bottomUpMs: inverted.wallMs,
      };
    });
  }
  console.log(JSON.stringify(summary));
}
