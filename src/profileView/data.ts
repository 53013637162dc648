/**
 * What the profile view is computed from: the profile's call tree with each node's frame replaced
 * by its resolved function (source-mapped name, file, line and column), and a summary. It is the
 * data that crosses to the page (protocol.ts sends it in chunks), so it holds only what the view
 * draws: three typed arrays for the tree and one small record per function.
 */
import type { Profile, ProfileFormat, ProfileUnit } from '../profiles/model';
import type { Resolution } from '../profiles/resolve';

/** A function as the view shows it and opens it; frames that resolve to the same one are merged. */
export interface ViewFunction {
  name: string;
  /** As shown (relative to the root when under it); absent when the profile names none (GC, idle, native). */
  file?: string;
  /** The local path to open, when the function lives in a file. */
  path?: string;
  /** 1-based; 0 when unknown. */
  line: number;
  column: number;
}

export interface ViewSummary {
  format: ProfileFormat;
  /** `ms` for CPU profiles and traces, `bytes` for heap profiles, `samples` for counts. */
  unit: ProfileUnit;
  /** Sum of all self weight: every share in the view is of this. */
  total: number;
  samples: number;
  /** The profile's notes and the source-map problems, one line each. */
  notes: string[];
}

/** The call tree in depth-first preorder: a node's parent comes before it, -1 for a root. */
export interface ViewNodes {
  parent: Int32Array;
  /** Index into `ViewData.functions`. */
  fn: Int32Array;
  self: Float64Array;
}

/** The profile's timeline (model.ts's `Timeline`): runs of tree nodes in time order, with their weights. */
export interface ViewTimeline {
  node: Int32Array;
  weight: Float64Array;
}

export interface ViewData {
  summary: ViewSummary;
  functions: ViewFunction[];
  tree: ViewNodes;
  /** Absent for formats that record no order (folded stacks, pprof, heap profiles): the flame graph then shows call order. */
  timeline?: ViewTimeline;
}

/**
 * The view's data for a loaded profile whose frames `resolution` resolved (source maps applied).
 */
export function profileViewData(profile: Profile, resolution: Resolution): ViewData {
  const { tree } = profile;
  const fn = new Int32Array(tree.size);
  for (let node = 0; node < tree.size; node++) fn[node] = resolution.functionOf[tree.frame[node]];
  const data: ViewData = {
    summary: {
      format: profile.format,
      unit: profile.unit,
      total: profile.total,
      samples: profile.samples,
      notes: [...profile.notes, ...resolution.problems],
    },
    functions: resolution.functions.map((resolved) => {
      const viewFunction: ViewFunction = { name: resolved.name, line: resolved.line, column: resolved.column };
      // Absent rather than undefined: the record crosses postMessage, and its validator checks keys.
      if (resolved.file !== undefined) viewFunction.file = resolved.file;
      if (resolved.path !== undefined) viewFunction.path = resolved.path;
      return viewFunction;
    }),
    // Copies: the view must not keep the whole Profile (frames, line ticks) alive.
    tree: { parent: tree.parent.slice(), fn, self: tree.self.slice() },
  };
  // Absent rather than undefined, as for functions above. Its own arrays: holding them keeps nothing else of the Profile alive.
  if (profile.timeline) data.timeline = profile.timeline;
  return data;
}
