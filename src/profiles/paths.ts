/**
 * Where a frame's code lives, as a path: `file://` URLs, Windows paths and bundlers' source
 * prefixes (`webpack://app/./src/x.ts`, vite's `/@fs/abs/path`) normalised, then shown relative to
 * the root with `/` separators when they lie under it.
 */
import * as path from 'node:path';

/** Script kinds that never name a file on disk. */
const NOT_FILES = /^(?:node:|internal\/|native |evalmachine|wasm:|extensions::|chrome-extension:|data:|blob:|debugger:|VM\d)/;

/**
 * The local path a profile's URL or file name stands for (forward slashes), or undefined when it
 * names no file (empty, `node:` internals, web URLs). Relative paths (bundler sources, folded
 * stacks) are resolved against `root`.
 */
export function localPath(url: string, root: string): string | undefined {
  if (url === '' || NOT_FILES.test(url)) return undefined;
  let value = url;
  if (/^file:/i.test(value)) {
    try {
      value = decodeURIComponent(new URL(value).pathname);
    } catch {
      return undefined;
    }
    // file:///C:/x → C:/x
    if (/^\/[A-Za-z]:\//.test(value)) value = value.slice(1);
  } else if (/^webpack(-internal)?:\/\//i.test(value)) {
    // webpack://<project>/./src/x.ts: the part after the project name is relative to the root.
    value = value.replace(/^webpack(-internal)?:\/\/[^/]*\/?/i, '').replace(/^(\.\/)+/, '');
    if (value.startsWith('webpack/') || value === '') return undefined;
  } else if (value.startsWith('/@fs/')) {
    value = value.slice('/@fs'.length);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return undefined;
  }
  value = value.replace(/\\/g, '/');
  if (isAbsolute(value)) return value;
  return toSlashes(path.resolve(root, value));
}

/** `file` relative to `root` with `/` when under it; otherwise as given. */
export function displayPath(file: string, root: string): string {
  const normalRoot = toSlashes(root).replace(/\/+$/, '');
  const normalFile = toSlashes(file);
  const windows = /^[A-Za-z]:\//.test(normalFile);
  const prefix = `${normalRoot}/`;
  const inside = windows ? normalFile.toLowerCase().startsWith(prefix.toLowerCase()) : normalFile.startsWith(prefix);
  return inside ? normalFile.slice(prefix.length) : normalFile;
}

function toSlashes(value: string): string {
  return value.replace(/\\/g, '/');
}

function isAbsolute(value: string): boolean {
  return value.startsWith('/') || /^[A-Za-z]:\//.test(value);
}
