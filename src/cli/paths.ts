/** How a scanned file is named in every output: relative to the working directory, with `/`. */
import * as path from 'node:path';

export function displayPath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}

/** True when `file` lies at or under `directory`. */
export function isInside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
