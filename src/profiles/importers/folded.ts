/**
 * Folded (collapsed) stacks — Brendan Gregg's `stackcollapse-*` output, `perf script |
 * stackcollapse-perf.pl`, py-spy's raw output: one line per distinct stack, `root;…;leaf count`.
 * Weights are sample counts. Frames may carry a location, which is kept:
 *   `name (file.py:42)`             the line the frame was executing (py-spy, rbspy)
 *   `JS:*name /app/x.js:12:3`       the function's position, from a V8 perf map (node --perf-basic-prof)
 */
import { ProfileError } from '../errors';
import { FrameTable, StackTrie, type Profile } from '../model';

const LINE = /^(.*\S)\s+(\d+(?:\.\d+)?)\s*$/;
/** `name (file:line)` or `name (file:line:column)`. */
const PAREN_LOCATION = /^(.*\S)\s+\(([^()]+?):(\d+)(?::(\d+))?\)$/;
/** V8 perf-map names: a code kind, a tier marker, the name, then `file:line[:column]`. */
const PERF_MAP =
  /^(?:LazyCompile|Function|JS|Script|Eval|Builtin|RegExp|Handler|Stub|Interpreted|Baseline|Maglev|Turbofan|Sparkplug):[~*^+]?(.*?)\s+(\S+?):(\d+)(?::(\d+))?$/;
/** stackcollapse-perf's annotations: kernel, JIT, inlined, waker frames. */
const PERF_ANNOTATION = /_\[[kjiw]\]$/;

/** Whether `text` reads as folded stacks (checked on its first lines). */
export function looksFolded(text: string): boolean {
  let checked = 0;
  for (const line of text.split('\n', 50)) {
    if (line.trim() === '') continue;
    if (!LINE.test(line)) return false;
    checked++;
  }
  return checked > 0;
}

export function importFolded(bytes: Buffer): Profile {
  const text = bytes.toString('utf8');
  const frames = new FrameTable();
  const trie = new StackTrie();
  const frameCache = new Map<string, { frame: number; line: number }>();
  let samples = 0;
  let lineNumber = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    lineNumber++;
    if (line.trim() === '') continue;
    const match = LINE.exec(line);
    if (!match) throw new ProfileError(`folded stacks: line ${lineNumber} is not "frame;frame;… count": ${line.slice(0, 60)}`);
    const count = Number(match[2]);
    let node = -1;
    for (const raw of match[1].split(';')) {
      let parsed = frameCache.get(raw);
      if (!parsed) {
        parsed = parseFrame(raw, frames);
        frameCache.set(raw, parsed);
      }
      node = trie.child(node, parsed.frame, parsed.line);
    }
    trie.addSelf(node, count, count);
    samples += count;
  }
  const tree = trie.toTree();
  if (tree.size === 0) throw new ProfileError('folded stacks: the file holds no stacks');
  return {
    format: 'folded',
    unit: 'samples',
    frames: frames.frames,
    tree,
    lineTicks: undefined,
    timeline: undefined,
    total: samples,
    samples,
    threads: [],
    notes: [],
  };
}

function parseFrame(raw: string, frames: FrameTable): { frame: number; line: number } {
  const name = raw.replace(PERF_ANNOTATION, '');
  const paren = PAREN_LOCATION.exec(name);
  if (paren) return { frame: frames.add(paren[1], paren[2], 0, 0), line: Number(paren[3]) };
  const perfMap = PERF_MAP.exec(name);
  if (perfMap) {
    return { frame: frames.add(perfMap[1] || '(anonymous)', perfMap[2], Number(perfMap[3]), perfMap[4] ? Number(perfMap[4]) : 0), line: 0 };
  }
  return { frame: frames.add(name, '', 0, 0), line: 0 };
}
