/**
 * Sequences of fs calls on one path inside one function: `existsSync(p)` then `writeFileSync(p,
 * …, { flag: 'wx' })`, `readFileSync(p)` then `writeFileSync(p, …)`, `writeFileSync(tmp, …)` then
 * `renameSync(tmp, …)`. Written with `*Sync` calls, nothing else in the process runs between
 * them, so another call of the same function cannot slip in between the check and the act. Once
 * any call from the first to the last of them is awaited, it can: a second claim of the same
 * path then fails with EEXIST, an update is lost, a rename finds its file gone.
 *
 * "The same path" is the same expression as written (through `const` names); two different
 * expressions that happen to name one file are not seen.
 */
import { ts } from '../ts';
import { constantString, enclosingFunction, skipParens, type FunctionLike } from './ast';
import { resolve } from './dataflow';
import type { FileFacts } from './fileFacts';
import { syncIoCall, type SyncIoCall } from './io';
import { syntaxIndexOf } from './syntaxIndex';

/** fs functions that change what is at their path. */
const CHANGES_PATH: ReadonlySet<string> = new Set([
  'writeFile',
  'appendFile',
  'mkdir',
  'rm',
  'rmdir',
  'unlink',
  'rename',
  'copyFile',
  'cp',
  'symlink',
  'link',
  'truncate',
  'chmod',
  'lchmod',
  'chown',
  'lchown',
  'utimes',
  'lutimes',
]);
/** fs functions whose second argument is a path too: the destination. */
const TWO_PATHS: ReadonlySet<string> = new Set(['rename', 'copyFile', 'cp', 'symlink', 'link']);
/** fs functions that take a file descriptor, not a path. */
const BY_DESCRIPTOR: ReadonlySet<string> = new Set([
  'close',
  'fchmod',
  'fchown',
  'fdatasync',
  'fstat',
  'fsync',
  'ftruncate',
  'futimes',
  'read',
  'readv',
  'write',
  'writev',
]);

interface PathCall {
  io: SyncIoCall;
  start: number;
  paths: string[];
  changes: boolean;
}

export interface SamePathSequence {
  first: SyncIoCall;
  last: SyncIoCall;
}

const byFunction = new WeakMap<FileFacts, Map<FunctionLike, PathCall[]>>();

/**
 * Two fs calls of the function around `io` on the same path, at least one of which changes it,
 * with `io` at or between them: making `io` asynchronous lets other code run inside the sequence.
 */
export function samePathSequenceAround(io: SyncIoCall, facts: FileFacts): SamePathSequence | undefined {
  const fn = enclosingFunction(io.call);
  if (!fn) return undefined;
  const calls = pathCallsOf(fn, facts);
  const at = facts.start(io.call);
  for (let i = 0; i < calls.length; i++) {
    if (calls[i].start > at) break;
    for (let j = calls.length - 1; j > i && calls[j].start >= at; j--) {
      const [a, b] = [calls[i], calls[j]];
      if ((a.changes || b.changes) && a.paths.some((path) => b.paths.includes(path))) return { first: a.io, last: b.io };
    }
  }
  return undefined;
}

/** The fs calls made by `fn` itself (not by functions nested in it), in source order. */
function pathCallsOf(fn: FunctionLike, facts: FileFacts): PathCall[] {
  let perFile = byFunction.get(facts);
  if (!perFile) {
    perFile = new Map();
    byFunction.set(facts, perFile);
  }
  const cached = perFile.get(fn);
  if (cached) return cached;
  const calls: PathCall[] = [];
  const body = fn.body;
  if (body) {
    for (const call of syntaxIndexOf(facts.sourceFile).calls) {
      if (call.pos < body.pos || call.end > body.end || enclosingFunction(call) !== fn) continue;
      const io = syncIoCall(call, facts);
      if (!io || io.module !== 'fs') continue;
      const base = io.name.slice(0, -'Sync'.length);
      if (BY_DESCRIPTOR.has(base)) continue;
      const args = call.arguments.slice(0, TWO_PATHS.has(base) ? 2 : 1);
      if (args.length === 0) continue;
      calls.push({ io, start: facts.start(call), paths: args.map((arg) => pathKey(arg, facts)), changes: changesPath(base, call) });
    }
  }
  perFile.set(fn, calls);
  return calls;
}

/** `openSync(p)` and `openSync(p, 'r')` only read; any other open may create or truncate. */
function changesPath(base: string, call: ts.CallExpression): boolean {
  if (base !== 'open') return CHANGES_PATH.has(base);
  const flags = call.arguments[1];
  if (!flags) return false;
  const constant = constantString(flags);
  return constant === undefined || !/^(r|rs|sr)$/.test(constant);
}

/** The path as written, through `const` names; a `let`, `var` or parameter stands for itself (by its declaration). */
function pathKey(expression: ts.Expression, facts: FileFacts, depth = 0): string {
  const inner = skipParens(expression);
  if (ts.isIdentifier(inner)) {
    const declaration = resolve(inner);
    if (declaration?.kind === 'const' && declaration.initializer && depth < 4) return pathKey(declaration.initializer, facts, depth + 1);
    return declaration ? `${inner.text}@${declaration.id.pos}` : inner.text;
  }
  return facts.textOf(inner).replace(/\s+/g, '');
}
