/**
 * From a profile's frames to the user's functions: each frame's script is turned into a path,
 * its position mapped through the script's source map, and frames that land on the same original
 * function (name, file, line, column) become one function. Lines get the same treatment.
 */
import type { Frame, Profile } from './model';
import { displayPath, localPath } from './paths';
import { ReadScope } from './readScope';
import { SourceMaps } from './sourcemaps';

export interface ResolvedFunction {
  name: string;
  /** As shown: relative to the root with `/` when under it, else the absolute path or URL; undefined when none. */
  file: string | undefined;
  /** The local path, when the function lives in a file. */
  path: string | undefined;
  /** 1-based; 0 when unknown. */
  line: number;
  column: number;
  /** Whether a source map moved it from generated code. */
  mapped: boolean;
}

export interface ResolvedLine {
  file: string;
  path: string | undefined;
  line: number;
}

export interface Resolution {
  functions: ResolvedFunction[];
  /** Function index of each frame of the profile. */
  functionOf: Int32Array;
  lines: ResolvedLine[];
  /** Line index of `line` executed in `frame`, or -1 when the frame has no file. */
  lineOf(frame: number, line: number): number;
  /** Source-map problems, one line per file. */
  problems: string[];
}

export interface ResolveOptions {
  /** Where sources live: paths are shown relative to it. */
  root: string;
  /** Reads source maps through this one (shared by several profiles); else a new one confined to `root`. */
  sourceMaps?: SourceMaps;
}

/** Frames V8 and other profilers invent: they have no file and are never mapped. */
const ROOT_FRAME = '(root)';

export function resolveFrames(profile: Profile, options: ResolveOptions): Resolution {
  const { root } = options;
  const sourceMaps = options.sourceMaps ?? new SourceMaps(root, new ReadScope([root]));
  const functions: ResolvedFunction[] = [];
  const functionIndex = new Map<string, number>();
  const functionOf = new Int32Array(profile.frames.length);
  const pathOfUrl = new Map<string, string | undefined>();
  const framePaths: Array<string | undefined> = [];

  const pathOf = (url: string): string | undefined => {
    if (!pathOfUrl.has(url)) pathOfUrl.set(url, localPath(url, root));
    return pathOfUrl.get(url);
  };

  profile.frames.forEach((frame: Frame, index) => {
    const generatedPath = pathOf(frame.url);
    framePaths.push(generatedPath);
    const name = frame.name || '(anonymous)';
    let filePath = generatedPath;
    let line = frame.line;
    let column = frame.column;
    let mapped = false;
    if (generatedPath && line > 0) {
      const original = sourceMaps.original(generatedPath, line, column);
      if (original) {
        filePath = original.file;
        line = original.line;
        column = original.column;
        mapped = true;
      }
    }
    const file = filePath ? displayPath(filePath, root) : frame.url || undefined;
    const key = `${name}\0${file ?? ''}\0${line}\0${column}`;
    let at = functionIndex.get(key);
    if (at === undefined) {
      at = functions.length;
      functions.push({ name, file, path: filePath && !/^[a-z][a-z0-9+.-]*:/i.test(filePath) ? filePath : undefined, line, column, mapped });
      functionIndex.set(key, at);
    }
    functionOf[index] = at;
  });

  const lines: ResolvedLine[] = [];
  const lineIndex = new Map<string, number>();
  const byFrameLine = new Map<number, number>();
  const lineOf = (frame: number, line: number): number => {
    // Frames and lines stay far below 2^21 each in practice: one number keys both.
    const cacheKey = frame * 0x200000 + line;
    const cached = byFrameLine.get(cacheKey);
    if (cached !== undefined) return cached;
    let result = -1;
    const generatedPath = framePaths[frame];
    const fn = functions[functionOf[frame]];
    if (fn.file !== undefined && line > 0) {
      let file = fn.file;
      let filePath = fn.path;
      let originalLine = line;
      if (generatedPath && fn.mapped) {
        const original = sourceMaps.original(generatedPath, line, 0);
        if (original) {
          filePath = original.file;
          file = displayPath(original.file, root);
          originalLine = original.line;
        }
      }
      const key = `${file}\0${originalLine}`;
      result = lineIndex.get(key) ?? -1;
      if (result < 0) {
        result = lines.length;
        lines.push({ file, path: filePath, line: originalLine });
        lineIndex.set(key, result);
      }
    }
    byFrameLine.set(cacheKey, result);
    return result;
  };

  return { functions, functionOf, lines, lineOf, problems: sourceMaps.problems };
}

export function isRootFunction(fn: ResolvedFunction): boolean {
  return fn.name === ROOT_FRAME && fn.file === undefined;
}
