// Profile view suite: the profile view's model on a generated 100,000-node .cpuprofile (the one
// test/profileView/large.test.ts checks), against JSON.parse of the same file — the floor every
// viewer pays — measured in the same run. The first paint of the flame graph needs, beyond loading,
// the folded tree, one layout and the table; the check takes the costlier of the two layouts (the
// timeline shown first, or left heavy: a merge and a sort on top of the layout pass). Issue 13 budgets the first paint at 1.5× the CLI's
// whole run, whose loading alone is about 1.5× JSON.parse: the view's own work gets half a
// JSON.parse, the rest is left for sending the model to the page. Each job runs in its own
// process (cold, as a page is), three times, interleaved; medians of CPU time are compared. Then
// the extension host's side of opening the file in the view (the reading worker, the model posted in
// chunks): its longest block, which issue 13 keeps under 50 ms, on that file and on a 100 MB one.
// Then the real page (dist/webview.js) in Chromium (page-driver.mjs), on both files: the flame
// graph's first paint in the editor — the host's side of opening (the worker reads, the model is
// posted) plus the page's (the model arrives, is assembled, laid out and drawn) — against the wall
// time of `perflens profile FILE --format json` on the same file, measured in the same run; and the
// main-thread time of each zoom and pan frame on 100,000 nodes, against the 16 ms of a 60 Hz frame.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { measureNode } from '../lib/child.mjs';
import { buildProfileEngine } from '../lib/build-profile-engine.mjs';
import { fixed, integer, megabytes, ratio, table } from '../lib/format.mjs';
import { openPage } from '../lib/page-driver.mjs';
import { median, percentile } from '../lib/stats.mjs';

const RUNS = 3;
const NODES = 100_000;
/** Fold + the costlier flame layout + table against JSON.parse. */
const TARGET_FIRST_PAINT = 0.5;
/** Issue 13: opening a profile never blocks the extension host's thread longer than this. */
const TARGET_HOST_BLOCK_MS = 50;
/** Issue 13: the flame graph's first paint within this many times the CLI's run on the same file. */
const TARGET_FIRST_PAINT_VS_CLI = 1.5;
/** Issue 13: zoom and pan frames on 100,000 nodes, median; a 60 Hz frame. */
const TARGET_FRAME_MS = 16;
/** The generator's nodes that make a .cpuprofile of at least 100 MB (about 170 bytes a node). */
const LARGE_NODES = 640_000;
const LARGE_BYTES = 100 * 1024 * 1024;
/** The 100 MB file costs seconds a job: fewer rounds (the brief of the machine: shared, 2 CPUs). */
const LARGE_RUNS = 2;

export const description =
  'the profile view model (flame layouts, table, sandwich) on 100,000 nodes vs JSON.parse of the same file; opening it and a 100 MB one as the extension host does; the page in Chromium: first paint vs the CLI, zoom and pan frames';

/** @param {import('../run.mjs').SuiteContext} context */
export async function run(context) {
  const { root, cacheDir, progress } = context;
  const engine = await buildProfileEngine(root, cacheDir);
  /** The generated profile of `nodes` nodes, written once into the bench's cache. */
  const generated = (nodes) => {
    const generatedFile = path.join(cacheDir, 'profiles', `view-${nodes}.cpuprofile`);
    if (!fs.existsSync(generatedFile)) {
      progress(`generating a ${integer(nodes)}-node .cpuprofile (once: kept in the bench's cache)…`);
      fs.mkdirSync(path.dirname(generatedFile), { recursive: true });
      fs.writeFileSync(generatedFile, JSON.stringify(createRequire(import.meta.url)(engine).generatedCpuProfile(nodes, 42)));
    }
    return generatedFile;
  };
  const file = generated(NODES);
  const largeFile = generated(LARGE_NODES);
  if (fs.statSync(largeFile).size < LARGE_BYTES) throw new Error(`${largeFile} is under 100 MB: raise LARGE_NODES`);
  const driver = path.join('bench', 'lib', 'profile-driver.mjs');
  const job = async (mode, on = file, ...more) => {
    const measured = await measureNode([driver, mode, on, engine, root, ...more], { cwd: root });
    if (measured.code !== 0)
      throw new Error(`${mode} exited ${measured.code ?? measured.signal}: ${measured.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return JSON.parse(measured.stdout);
  };
  const cli = async (on) => {
    const measured = await measureNode([path.join('dist', 'cli.js'), 'profile', on, '--format', 'json'], { cwd: root });
    if (measured.code !== 0) throw new Error(`perflens profile exited ${measured.code}: ${measured.stderr.trim()}`);
    return measured.wallMs;
  };
  const parses = [];
  const views = [];
  const opens = [];
  for (let round = 0; round < RUNS; round++) {
    progress(`JSON.parse, then load + view model, then opening it as the extension host does (${round + 1}/${RUNS})…`);
    parses.push(await job('parse'));
    views.push(await job('view'));
    opens.push(await job('open'));
  }
  // The 100 MB file: opening it as the host does, and the CLI's run on it (issue 13's yardstick).
  const largeOpens = [];
  const largeClis = [];
  const clis = [];
  for (let round = 0; round < LARGE_RUNS; round++) {
    progress(`100 MB: opening it as the extension host does, then perflens profile --format json (${round + 1}/${LARGE_RUNS})…`);
    largeOpens.push(await job('open', largeFile));
    largeClis.push(await cli(largeFile));
  }
  for (let round = 0; round < RUNS; round++) {
    progress(`perflens profile --format json on the ${integer(NODES)}-node file (${round + 1}/${RUNS})…`);
    clis.push(await cli(file));
  }

  // The page in Chromium: first paints of both files, then zoom and pan on the 100,000 nodes.
  const messagesFile = path.join(cacheDir, 'profiles', `view-${NODES}.messages.json`);
  const largeMessagesFile = path.join(cacheDir, 'profiles', `view-${LARGE_NODES}.messages.json`);
  progress('the model messages the host posts, for the page…');
  await job('messages', file, messagesFile);
  await job('messages', largeFile, largeMessagesFile);
  const page = await openPage(root, engine);
  const paints = [];
  const largePaints = [];
  let frames;
  try {
    for (let round = 0; round < LARGE_RUNS; round++) {
      progress(`the page in Chromium: first paint of the 100 MB file (${round + 1}/${LARGE_RUNS})…`);
      largePaints.push((await page.firstPaint(largeMessagesFile)).ms);
    }
    for (let round = 0; round < RUNS; round++) {
      progress(`the page in Chromium: first paint of the ${integer(NODES)}-node file (${round + 1}/${RUNS})…`);
      paints.push((await page.firstPaint(messagesFile)).ms);
    }
    progress('the page in Chromium: zoom and pan frames on 100,000 nodes…');
    frames = await page.frames(zoomAndPan());
  } finally {
    await page.close();
  }
  const frameStats = (kind) => {
    const times = frames.filter((frame) => kind === undefined || frame.kind === kind).map((frame) => frame.ms);
    return { count: times.length, median: median(times), p90: percentile(times, 90) };
  };
  const allFrames = frameStats();
  const firstPaint = (opened, painted, cliRuns) => {
    const hostMs = median(opened.map((one) => one.sentWallMs));
    const pageMs = median(painted);
    const cliMs = median(cliRuns);
    return { hostMs, pageMs, totalMs: hostMs + pageMs, cliMs, ratio: (hostMs + pageMs) / cliMs };
  };
  const paintSmall = firstPaint(opens, paints, clis);
  const paintLarge = firstPaint(largeOpens, largePaints, largeClis);
  const largeBlockMs = median(largeOpens.map((one) => one.longestBlockMs));

  const hostBlockMs = median(opens.map((one) => one.longestBlockMs));
  const openWallMs = median(opens.map((one) => one.sentWallMs));
  const parseMs = median(parses.map((one) => one.cpuMs));
  const stepMs = (name) => median(views.map((one) => one.steps[name]));
  const firstPaintMs = median(views.map((one) => one.steps.fold + Math.max(one.steps.timeline, one.steps.leftHeavy) + one.steps.table));
  const names = Object.keys(views[0].steps);
  const output = table(
    ['step', 'CPU ms (median)', 'vs JSON.parse'],
    [
      ['JSON.parse of the file', fixed(parseMs), ratio(1)],
      ...names.map((name) => [name, fixed(stepMs(name)), ratio(stepMs(name) / parseMs)]),
      ['first paint: fold + the costlier layout + table', fixed(firstPaintMs), ratio(firstPaintMs / parseMs)],
    ],
  );
  const largeSize = megabytes(fs.statSync(largeFile).size);
  const smallSize = megabytes(fs.statSync(file).size);
  const openOutput = table(
    ['opening it in the editor (extension host)', `${smallSize} ms (median)`, `${largeSize} ms (median)`],
    [
      ['wall time: the worker reads it, the model is posted', fixed(openWallMs), fixed(median(largeOpens.map((one) => one.sentWallMs)))],
      [
        `longest block of the host's thread meanwhile (${opens[0].messages} / ${largeOpens[0].messages} messages)`,
        fixed(hostBlockMs),
        fixed(largeBlockMs),
      ],
    ],
  );
  const paintOutput = table(
    ['first paint of the flame graph (wall)', `${smallSize} ms (median)`, `${largeSize} ms (median)`],
    [
      ['host: the worker reads it, the model is posted', fixed(paintSmall.hostMs), fixed(paintLarge.hostMs)],
      ['page: the model arrives, is assembled, laid out, drawn', fixed(paintSmall.pageMs), fixed(paintLarge.pageMs)],
      ['first paint (host + page)', fixed(paintSmall.totalMs), fixed(paintLarge.totalMs)],
      ['perflens profile FILE --format json', fixed(paintSmall.cliMs), fixed(paintLarge.cliMs)],
      ['first paint vs the CLI', ratio(paintSmall.ratio), ratio(paintLarge.ratio)],
    ],
  );
  const frameOutput = table(
    ['frames on 100,000 nodes (main thread)', 'frames', 'median ms', 'p90 ms', 'median vs 16 ms'],
    [
      ...['zoom in', 'pan', 'zoom out'].map((kind) => {
        const stats = frameStats(kind);
        return [kind, integer(stats.count), fixed(stats.median), fixed(stats.p90), ratio(stats.median / TARGET_FRAME_MS)];
      }),
      ['all', integer(allFrames.count), fixed(allFrames.median), fixed(allFrames.p90), ratio(allFrames.median / TARGET_FRAME_MS)],
    ],
  );
  const summary = views[0];
  const notes = [
    `${integer(summary.nodes)} nodes (${megabytes(fs.statSync(file).size)}): ${integer(summary.timelineNodes)} in the timeline, ${integer(summary.leftHeavyNodes)} left heavy, ${integer(summary.rows)} table rows, ${integer(summary.visible)} nodes visible at 1,920 px`,
    `steps: load = PerfLens reads the file; viewData = resolve frames + the view's data; fold = the tree without (root); visible = the nodes to draw at full width; myCodeOnly = fold + left heavy + table again; sandwich = of the function with the largest total`,
    `medians of ${RUNS} interleaved runs, CPU time of each step in its process; inputs cached in ${path.relative(root, path.dirname(file))}`,
    `100 MB file: ${integer(LARGE_NODES)} generated nodes, ${LARGE_RUNS} runs of each job; the host's side of a first paint is the open job's wall time (new worker included), the CLI's is the whole process (Node's start included), both sum what in the editor partly overlaps`,
    `page: dist/webview.js in headless Chromium (no GPU) at 1920×1080, served with the editor's HTML and CSP; a frame = the wheel event's handler + the paint it asks for + the page's list of drawn frames, main thread only (rasterising happens off it)`,
  ];
  const checks = [
    {
      name: 'first paint (fold + the costlier flame layout + table) on 100,000 nodes vs JSON.parse of the file (CPU)',
      value: ratio(firstPaintMs / parseMs),
      target: `≤ ${TARGET_FIRST_PAINT}×`,
      pass: firstPaintMs <= TARGET_FIRST_PAINT * parseMs,
    },
    {
      name: "opening it in the view: the extension host's longest block (the worker reads it; the model is posted in chunks)",
      value: `${fixed(hostBlockMs)} ms`,
      target: `< ${TARGET_HOST_BLOCK_MS} ms`,
      pass: hostBlockMs < TARGET_HOST_BLOCK_MS,
    },
    {
      name: "opening a 100 MB .cpuprofile in the view: the extension host's longest block",
      value: `${fixed(largeBlockMs)} ms`,
      target: `< ${TARGET_HOST_BLOCK_MS} ms`,
      pass: largeBlockMs < TARGET_HOST_BLOCK_MS,
    },
    ...[
      [smallSize, paintSmall],
      [largeSize, paintLarge],
    ].map(([size, paint]) => ({
      name: `first paint of the flame graph (host + page in Chromium) vs perflens profile --format json, same ${size} file (wall)`,
      value: ratio(paint.ratio),
      target: `≤ ${TARGET_FIRST_PAINT_VS_CLI}×`,
      pass: paint.ratio <= TARGET_FIRST_PAINT_VS_CLI,
    })),
    {
      name: `zoom and pan frames on 100,000 nodes in Chromium, median (p90 ${fixed(allFrames.p90)} ms)`,
      value: `${fixed(allFrames.median)} ms`,
      target: `< ${TARGET_FRAME_MS} ms`,
      pass: allFrames.median < TARGET_FRAME_MS,
    },
  ];
  return {
    output: `${output}\n\n${openOutput}\n\n${paintOutput}\n\n${frameOutput}`,
    notes,
    checks,
    data: {
      parseMs,
      steps: Object.fromEntries(names.map((name) => [name, stepMs(name)])),
      firstPaintMs,
      openWallMs,
      hostBlockMs,
      largeBlockMs,
      paintSmall,
      paintLarge,
      frames: { all: allFrames, zoomIn: frameStats('zoom in'), pan: frameStats('pan'), zoomOut: frameStats('zoom out') },
      summary,
    },
  };
}

/**
 * What a user does to find something: zoom in step by step (the wheel, at different points),
 * panning between steps, then zoom back out. From the whole graph down to about 1/3,000 of it
 * (1.22× a step), where the deep, narrow frames are.
 */
function zoomAndPan() {
  const actions = [];
  for (let step = 0; step < 40; step++) {
    const at = 0.2 + ((step * 7) % 13) / 20;
    actions.push({ kind: 'zoom in', at, deltaX: 0, deltaY: -100 });
    actions.push({ kind: 'pan', at, deltaX: step % 2 === 0 ? 120 : -80, deltaY: 0 });
  }
  for (let step = 0; step < 40; step++) actions.push({ kind: 'zoom out', at: 0.5, deltaX: 0, deltaY: 100 });
  return actions;
}
