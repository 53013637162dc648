/**
 * Where the page's "open the source" lands: the function's local path (already resolved in the
 * worker), or its file or URL as the profile names it — a `file://` URL, an absolute path, a path
 * relative to a workspace folder, a bundler's `webpack://` source — turned into a file that exists.
 * No VS Code here: the custom editor opens what this finds.
 */
import { localPath } from '../profiles/paths';

/**
 * The local file `url` stands for, tried against each of `roots` in turn (relative names), or
 * undefined when no such file exists (a web URL, Node's internals, a file of another machine).
 */
export function sourceFileOf(url: string, roots: readonly string[], isFile: (file: string) => boolean): string | undefined {
  for (const root of roots) {
    const file = localPath(url, root);
    if (file !== undefined && isFile(file)) return file;
  }
  return undefined;
}
