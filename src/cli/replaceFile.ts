/**
 * Replacing a user's file so that it is never lost or cut short: the new bytes go to a temporary
 * file beside it, are flushed to disk, take the original's mode and owner, and are renamed over
 * it — a rename within a folder is atomic, so a full disk, a file-size limit or a crash leaves
 * either the old file or the new one, never half of each. Anything that cannot be done safely is
 * refused with its reason and the original stays as it was.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ReplaceOutcome = { written: true } | { written: false; reason: string };

export interface ReplaceOptions {
  /** The bytes the caller read: when the file no longer holds exactly these, it is not replaced. */
  expected: Buffer;
  /** Test seam: runs after the new copy is on disk, just before the original is checked and replaced. */
  beforeReplace?: () => void;
}

/** Why a file whose bytes are no longer the ones read is not replaced. */
export const CHANGED_ON_DISK = 'it changed on disk while PerfLens was fixing it (saved by another program?)';

/**
 * Leftovers of a process killed mid-write are recognisable by this part of their name.
 * @internal exported for test/reliability/fix-writes.test.ts, which looks for leftovers by it
 */
export const TEMP_MARKER = '.perflens-';

/** Replaces `file` (through a symbolic link: the link stays, its target gets the bytes) with `data`. */
export function replaceFile(file: string, data: Buffer, options: ReplaceOptions): ReplaceOutcome {
  let target: string;
  let before: fs.Stats;
  try {
    target = fs.realpathSync(file);
    before = fs.statSync(target);
  } catch (error) {
    return refused(`cannot read it: ${errnoText(error)}`);
  }
  if (!before.isFile()) return refused('not a regular file');
  try {
    // A rename needs only the folder's permission: a file the user may not write stays as it is.
    fs.accessSync(target, fs.constants.W_OK);
  } catch (error) {
    return refused(`cannot write it: ${errnoText(error)}`);
  }
  // A rename gives the path a new inode: the file's other names would keep the old content.
  if (before.nlink > 1) return refused(`it has ${before.nlink} hard links; replacing it would cut off the other names`);

  const temp = tempBeside(target);
  let fd: number | undefined;
  let created = false;
  let step = 'write the fixed copy beside it';
  try {
    // Exclusive, so that a name taken by another file is never written or removed; readable by
    // the owner only until it carries the original's mode.
    fd = fs.openSync(temp, 'wx', 0o600);
    created = true;
    fs.writeFileSync(fd, data);
    step = `keep its owner (uid ${before.uid}, gid ${before.gid})`;
    const made = fs.fstatSync(fd);
    if (made.uid !== before.uid || made.gid !== before.gid) fs.fchownSync(fd, before.uid, before.gid);
    step = 'keep its mode';
    // After chown, which clears set-user-id and set-group-id bits.
    fs.fchmodSync(fd, before.mode & 0o7777);
    step = 'flush the fixed copy to disk';
    // Content, owner and mode all on disk before the rename makes them the file.
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;

    options.beforeReplace?.();
    step = 'check it again before replacing it';
    // As late as possible: an editor that saved while PerfLens worked must not lose that save.
    if (changedSince(target, before, options.expected)) {
      removeQuietly(temp);
      return refused(CHANGED_ON_DISK);
    }
    step = 'replace it';
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    if (created) removeQuietly(temp);
    return refused(`could not ${step}: ${errnoText(error)}`);
  }
  syncFolder(path.dirname(target));
  return { written: true };
}

/**
 * Creates `file`, which must not exist yet, as atomically as replaceFile replaces one: the bytes go
 * to a temporary file beside it, are flushed to disk, and are then linked under the file's name —
 * a link never overwrites, so a file created there meanwhile is kept and the write refused.
 */
export function createFile(file: string, data: Buffer): ReplaceOutcome {
  const folder = path.dirname(file);
  const temp = tempBeside(file);
  let fd: number | undefined;
  let created = false;
  let step = 'write it beside its place';
  try {
    // The usual mode of a new file (0o666 less the umask): it is meant to be committed and shared.
    fd = fs.openSync(temp, 'wx', 0o666);
    created = true;
    fs.writeFileSync(fd, data);
    step = 'flush it to disk';
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    step = 'give it its name';
    linkOrRename(temp, file);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    if (created) removeQuietly(temp);
    const { code } = error as NodeJS.ErrnoException;
    return refused(code === 'EEXIST' ? 'a file of that name appeared meanwhile' : `could not ${step}: ${errnoText(error)}`);
  }
  removeQuietly(temp);
  syncFolder(folder);
  return { written: true };
}

/** A file system without hard links (FAT, some network shares) gets a rename after a last look for the name. */
function linkOrRename(temp: string, file: string): void {
  try {
    fs.linkSync(temp, file);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    if (fs.existsSync(file)) throw Object.assign(new Error('EEXIST'), { code: 'EEXIST' });
    fs.renameSync(temp, file);
  }
}

/** A name for a temporary file in `file`'s folder (the same file system, so a rename or link is atomic), unique to this process and call. */
function tempBeside(file: string): string {
  const name = `.${path.basename(file).slice(0, 200)}${TEMP_MARKER}${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`;
  return path.join(path.dirname(file), name);
}

function refused(reason: string): ReplaceOutcome {
  return { written: false, reason };
}

function changedSince(target: string, before: fs.Stats, expected: Buffer): boolean {
  const now = fs.statSync(target);
  const sameFile = now.dev === before.dev && now.ino === before.ino && now.nlink === before.nlink;
  const sameAccess = now.mode === before.mode && now.uid === before.uid && now.gid === before.gid;
  return !sameFile || !sameAccess || !fs.readFileSync(target).equals(expected);
}

/**
 * Makes the rename itself durable. Best effort: the file is already replaced, and some systems
 * (Windows) cannot open a folder for fsync.
 */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // The new content is in place either way; only its survival of a power cut is less certain.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already closed or never usable: nothing left to release.
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // A folder that lets us create but not remove: the leftover is named with TEMP_MARKER.
  }
}

/** "ENOSPC: no space left on device", without the system call and paths Node appends. */
function errnoText(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code && message.startsWith(`${code}: `)) return message.split(', ')[0];
  return code ?? message;
}
