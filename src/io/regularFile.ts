/**
 * Reading a file that a user or a profile names, without trusting what the name points at. Only
 * regular files are read: a FIFO blocks forever, `/dev/zero` never ends, and a device's size is
 * 0, so a size check alone lets both through. The path is stat'ed before it is opened (opening a
 * FIFO for reading blocks until a writer comes; some devices act when opened), opened with
 * O_NONBLOCK, then the descriptor itself is checked again — what is read is what was checked,
 * even if the name was swapped in between — and never more than the caller's limit is read.
 *
 * Shared by the engine (src/analyzers) and the profile readers (src/profiles); imports neither.
 */
import * as fs from 'node:fs';

export type RefusalKind = 'missing' | 'symbolic-link-loop' | 'not-a-file' | 'too-large' | 'unreadable';

/** Why a file was not read; `reason` completes "<file> is …". */
export interface Refusal {
  kind: RefusalKind;
  /** "missing", "a symbolic link loop", "a folder", "a FIFO", "a character device", "larger than 1.0 MB", "not readable (EACCES)". */
  reason: string;
  /** too-large: the size when the file system tells it. */
  size?: number;
  /** missing, unreadable: the error code (ENOENT, EACCES…). */
  code?: string;
}

export type RegularFileRead = { bytes: Buffer; size: number } | { refused: Refusal };

export interface ReadLimit {
  /** At most this many bytes are read. */
  maxBytes: number;
  /**
   * What a larger file gives: 'refuse' (default) refuses it; 'tail' reads its last `maxBytes`
   * (a generated file's sourceMappingURL comment is at its end).
   */
  whenLarger?: 'refuse' | 'tail';
}

/** Opening never waits for a FIFO's writer or a terminal's carrier; never makes a terminal ours. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** Reads `file` (symbolic links followed) when it is a regular file within the limit; otherwise says why not, without reading it. */
export function readRegularFile(file: string, limit: ReadLimit): RegularFileRead {
  const before = statPath(file);
  if ('refused' in before) return before;
  const early = refusalFor(before.stats, limit);
  if (early) return { refused: early };

  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (error) {
    return { refused: refusalFromError(error) };
  }
  try {
    const stats = fs.fstatSync(fd);
    const late = refusalFor(stats, limit);
    if (late) return { refused: late };
    return readDescriptor(fd, stats.size, limit);
  } catch (error) {
    return { refused: refusalFromError(error) };
  } finally {
    fs.closeSync(fd);
  }
}

/** What a path is (symbolic links followed): its stats, or why it cannot be read. */
export function statPath(file: string): { stats: fs.Stats } | { refused: Refusal } {
  try {
    return { stats: fs.statSync(file) };
  } catch (error) {
    return { refused: refusalFromError(error) };
  }
}

/** "a folder", "a FIFO", "a character device", … — undefined for a regular file. */
export function describeNonFile(stats: fs.Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function refusalFor(stats: fs.Stats, limit: ReadLimit): Refusal | undefined {
  const what = describeNonFile(stats);
  if (what) return { kind: 'not-a-file', reason: what };
  if (stats.size > limit.maxBytes && limit.whenLarger !== 'tail') return tooLarge(limit.maxBytes, stats.size);
  return undefined;
}

function tooLarge(maxBytes: number, size: number | undefined): Refusal {
  return { kind: 'too-large', reason: `larger than ${formatBytes(maxBytes)}`, size };
}

/**
 * Up to the limit through the descriptor. The size fstat gave is only a hint (the file may be
 * growing): one byte past the limit is asked for, and getting it means "larger".
 */
function readDescriptor(fd: number, size: number, limit: ReadLimit): RegularFileRead {
  if (limit.whenLarger === 'tail' && size > limit.maxBytes) {
    const tail = Buffer.allocUnsafe(limit.maxBytes);
    const got = readFully(fd, tail, size - limit.maxBytes);
    return { bytes: tail.subarray(0, got), size };
  }
  let buffer = Buffer.allocUnsafe(Math.min(size, limit.maxBytes) + 1);
  let length = 0;
  for (;;) {
    const got = fs.readSync(fd, buffer, length, buffer.length - length, length);
    if (got === 0) break;
    length += got;
    if (length > limit.maxBytes) return { refused: tooLarge(limit.maxBytes, undefined) };
    if (length === buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit.maxBytes + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
  }
  return { bytes: buffer.subarray(0, length), size: length };
}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let length = 0;
  while (length < buffer.length) {
    const got = fs.readSync(fd, buffer, length, buffer.length - length, position + length);
    if (got === 0) break;
    length += got;
  }
  return length;
}

/** The refusal a failed stat, open or realpath stands for. */
export function refusalFromError(error: unknown): Refusal {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', reason: 'missing', code };
  if (code === 'ELOOP') return { kind: 'symbolic-link-loop', reason: 'a symbolic link loop', code };
  if (code === 'EISDIR') return { kind: 'not-a-file', reason: 'a folder', code };
  return { kind: 'unreadable', reason: `not readable (${code})`, code };
}
