/**
 * Which files a profile may make PerfLens read. A profile is data from anywhere: a frame's URL
 * and a script's `sourceMappingURL` can name any path (`../../../../etc/passwd`, `/dev/zero`).
 * Every read a profile asks for — a frame's source file to find its function, a source map, the
 * generated file whose last line names the map — must lie inside one of the roots (`--root`, the
 * working directory, the editor's workspace folders) after symbolic links are resolved. A file
 * outside is not read at all: its frames are still listed, and one note says what was refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile, refusalFromError, type ReadLimit, type RegularFileRead } from '../io/regularFile';

export type ScopedRead = RegularFileRead | { outsideRoots: true };

export class ReadScope {
  private readonly roots: string[];
  private readonly refused = new Set<string>();

  /** `roots`: folders (or single files) whose contents may be read. */
  constructor(private readonly shownRoots: readonly string[]) {
    this.roots = shownRoots.map(realPathOrResolved);
  }

  /** `file` read through the regular-file reader when it lies, symbolic links resolved, inside a root. */
  read(file: string, limit: ReadLimit): ScopedRead {
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch (error) {
      return { refused: refusalFromError(error) };
    }
    if (!this.roots.some((root) => isInside(real, root))) {
      this.refused.add(file);
      return { outsideRoots: true };
    }
    // The resolved path is what was checked, so it is what is opened.
    return readRegularFile(real, limit);
  }

  /** One line when files outside the roots were asked for and not read; undefined otherwise. */
  note(): string | undefined {
    const count = this.refused.size;
    if (count === 0) return undefined;
    const first = this.refused.values().next().value as string;
    const files = count === 1 ? `1 file the profile names (${first}) lies` : `${count} files the profile names (${first}, …) lie`;
    return `${files} outside ${this.shownRoots.join(', ')}: reading outside the root is refused, so their functions have no source map or range`;
  }
}

function isInside(file: string, root: string): boolean {
  if (file === root) return true;
  const relative = path.relative(root, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function realPathOrResolved(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}
