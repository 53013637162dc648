/**
 * Which files a scan reads, and reading them defensively: folders are walked honouring
 * `.gitignore` (from the repository root down) and the config's ignore globs; generated
 * bundles over 1 MB and binary files are skipped with a note instead of being parsed. Only
 * regular files are read (src/io/regularFile.ts): a FIFO or a device named as a path stops the
 * scan with its reason, and a walk never picks one up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { describeNonFile, formatBytes, readRegularFile, statPath } from '../io/regularFile';
import type { FileError, SkippedFile } from './finding';
import { isAnalyzable } from './project';

export const MAX_FILE_BYTES = 1024 * 1024;

/** Folders never worth walking into (a path given explicitly is still scanned). */
const ALWAYS_SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface Discovery {
  files: string[];
  skipped: SkippedFile[];
  errors: FileError[];
}

export interface DiscoverOptions {
  /** gitignore-style patterns relative to `ignoreRoot`. */
  ignore?: string[];
  ignoreRoot?: string;
}

interface IgnoreLayer {
  base: string;
  matcher: Ignore;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** A .gitignore is a few KB; one that is not a readable regular file within 1 MB is left out. */
function readGitignore(directory: string): Ignore | undefined {
  const read = readRegularFile(path.join(directory, '.gitignore'), { maxBytes: MAX_FILE_BYTES });
  return 'bytes' in read ? ignore().add(read.bytes.toString('utf8')) : undefined;
}

function isIgnored(layers: readonly IgnoreLayer[], absolute: string, isDirectory: boolean): boolean {
  for (const layer of layers) {
    const relative = path.relative(layer.base, absolute);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const candidate = toPosix(relative) + (isDirectory ? '/' : '');
    if (layer.matcher.ignores(candidate)) return true;
  }
  return false;
}

/** .gitignore files from the repository root (the folder with `.git`) down to `directory`. */
function ancestorLayers(directory: string): IgnoreLayer[] {
  const chain: string[] = [];
  let current = directory;
  for (;;) {
    chain.unshift(current);
    if (fs.existsSync(path.join(current, '.git'))) break;
    const parent = path.dirname(current);
    if (parent === current) {
      // Not in a repository: only the folder itself counts.
      chain.splice(0, chain.length - 1);
      break;
    }
    current = parent;
  }
  const layers: IgnoreLayer[] = [];
  for (const dir of chain) {
    const matcher = readGitignore(dir);
    if (matcher) layers.push({ base: dir, matcher });
  }
  return layers;
}

export function discoverFiles(paths: readonly string[], options: DiscoverOptions = {}): Discovery {
  const result: Discovery = { files: [], skipped: [], errors: [] };
  const seen = new Set<string>();
  const configLayer: IgnoreLayer[] =
    options.ignore && options.ignore.length > 0
      ? [{ base: path.resolve(options.ignoreRoot ?? process.cwd()), matcher: ignore().add(options.ignore) }]
      : [];

  const add = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    result.files.push(file);
  };

  const walk = (directory: string, layers: IgnoreLayer[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      result.errors.push({
        file: directory,
        message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      });
      return;
    }
    const own = readGitignore(directory);
    const here = own ? [...layers, { base: directory, matcher: own }] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (isIgnored(here, absolute, true) || isIgnored(configLayer, absolute, true)) continue;
        walk(absolute, here);
      } else if (entry.isFile()) {
        if (!isAnalyzable(entry.name)) continue;
        if (isIgnored(here, absolute, false) || isIgnored(configLayer, absolute, false)) continue;
        add(absolute);
      }
      // Symbolic links are not followed: they can form cycles and usually point outside the project.
    }
  };

  for (const input of paths) {
    const absolute = path.resolve(input);
    const stat = scannablePath(absolute, input);
    if (stat.isDirectory()) {
      walk(
        absolute,
        ancestorLayers(absolute).filter((layer) => layer.base !== absolute),
      );
    } else if (isAnalyzable(absolute)) {
      if (isIgnored(configLayer, absolute, false)) result.skipped.push({ file: absolute, reason: 'ignored by the config' });
      else add(absolute);
    } else {
      result.skipped.push({ file: absolute, reason: 'not a JavaScript or TypeScript file' });
    }
  }
  return result;
}

/** A path or flag the user gave cannot be used (exit status 2). */
export class InputError extends Error {
  override name = 'InputError';
}

/**
 * The stats of a path named to be scanned (symbolic links followed), or an InputError naming
 * what it is instead of a file or folder: missing, a symbolic link loop, a FIFO, a device.
 * `typed` is the path as the user wrote it.
 */
export function scannablePath(absolute: string, typed: string): fs.Stats {
  const stat = statPath(absolute);
  if ('refused' in stat) {
    if (stat.refused.kind === 'missing') throw new InputError(`no such file or folder: ${typed}`);
    throw new InputError(`${typed} is ${stat.refused.reason}`);
  }
  if (stat.stats.isDirectory()) return stat.stats;
  const what = describeNonFile(stat.stats);
  if (what) throw new InputError(`${typed} is ${what}: only files and folders are scanned`);
  return stat.stats;
}

export type ReadResult = { text: string } | { skipped: string } | { error: string };

/**
 * Reads a source file, refusing what should not be parsed: too large, binary, unreadable, and
 * anything that is not a regular file (a FIFO, a device: skipped with what it is, never opened
 * for a blocking read).
 */
export function readSourceFile(file: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  const read = readRegularFile(file, { maxBytes });
  if ('refused' in read) {
    const { refused } = read;
    switch (refused.kind) {
      case 'too-large':
        return {
          skipped: `larger than ${Math.round(maxBytes / 1024)} KB${refused.size !== undefined ? ` (${formatBytes(refused.size)})` : ''}; probably generated`,
        };
      case 'not-a-file':
        return { skipped: `${refused.reason}, not a regular file` };
      case 'symbolic-link-loop':
        return { error: `cannot read file: ${refused.reason}` };
      default:
        return { error: `cannot read file: ${refused.code}` };
    }
  }
  const buffer = read.bytes;
  if (buffer.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  return { text: buffer.toString('utf8').replace(/^\uFEFF/, '') };
}

/** Same checks for text that is already in memory (editor buffers). */
export function checkText(text: string, maxBytes = MAX_FILE_BYTES): string | undefined {
  if (text.length > maxBytes) return `larger than ${Math.round(maxBytes / 1024)} KB; probably generated`;
  if (text.includes('\0')) return 'binary content (contains NUL characters)';
  return undefined;
}
