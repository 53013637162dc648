/**
 * Small profiles for the view model's tests, read by the real importers and resolved as the
 * editor will resolve them, and readable dumps of what the view computes from them.
 */
import { parseProfile } from '../../src/profiles/load';
import { resolveFrames } from '../../src/profiles/resolve';
import { profileViewData, type ViewData } from '../../src/profileView/data';
import type { FlameLayout } from '../../src/profileView/flame';
import { hiddenFunctions } from '../../src/profileView/myCode';
import { foldTree, type ViewTree } from '../../src/profileView/viewTree';

/** The view data of a profile file's bytes (any format), its relative paths under `/`. */
export function viewData(content: string | object): ViewData {
  const profile = parseProfile(Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)));
  return profileViewData(profile, resolveFrames(profile, { root: '/' }));
}

export function viewTree(data: ViewData, myCodeOnly = false): ViewTree {
  return foldTree(data, hiddenFunctions(data.functions, myCodeOnly));
}

/** Each node as `name start+width@depth`, in the layout's (pre)order. */
export function boxes(layout: FlameLayout, data: ViewData): string[] {
  return Array.from(
    layout.fn,
    (fn, node) => `${data.functions[fn].name} ${layout.start[node]}+${layout.width[node]}@${layout.depth[node]}`,
  );
}

export function functionId(data: ViewData, name: string): number {
  const id = data.functions.findIndex((fn) => fn.name === name);
  if (id < 0) throw new Error(`no function ${name}`);
  return id;
}

interface CpuNode {
  name: string;
  url?: string;
  /** Milliseconds of samples in the node itself. */
  ms?: number;
  children?: CpuNode[];
}

/**
 * A `.cpuprofile` whose nodes have `ms` one-millisecond samples each: ids in preorder, the
 * samples node by node (timeDeltas of 1000 µs; the last sample lasts until endTime).
 */
export function cpuProfile(root: CpuNode): object {
  const nodes: object[] = [];
  const samples: number[] = [];
  let nextId = 1;
  const add = (node: CpuNode): number => {
    const id = nextId++;
    const entry = {
      id,
      callFrame: {
        functionName: node.name,
        scriptId: '0',
        url: node.url ?? '',
        lineNumber: node.url ? 9 : -1,
        columnNumber: node.url ? 2 : -1,
      },
      hitCount: node.ms ?? 0,
      children: [] as number[],
    };
    nodes.push(entry);
    for (let sample = 0; sample < (node.ms ?? 0); sample++) samples.push(id);
    for (const child of node.children ?? []) entry.children.push(add(child));
    return id;
  };
  add(root);
  return { nodes, startTime: 0, endTime: (samples.length + 1) * 1000, samples, timeDeltas: samples.map(() => 1000) };
}
