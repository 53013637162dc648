/**
 * Reads a profile of any supported format. The format is detected from the content, never from
 * the file name: gzip → pprof (or gzipped JSON), JSON → by its top-level keys, text → folded
 * stacks, other binary → pprof. Every failure is a ProfileError with a one-line reason.
 */
import { gunzipSync } from 'node:zlib';
import { readRegularFile, type Refusal } from '../io/regularFile';
import { ProfileError } from './errors';
import { importCpuProfile } from './importers/cpuprofile';
import { importFolded, looksFolded } from './importers/folded';
import { importHeapProfile } from './importers/heapprofile';
import { JsonCursor } from './importers/jsonCursor';
import { decodePprof, importPprof, isGzip } from './importers/pprof';
import { importSpeedscope } from './importers/speedscope';
import { importTrace } from './importers/trace';
import type { Profile, ProfileFormat } from './model';

/** Profiles past this size are refused: before a byte is read when the file system tells the size, else once read that far. 1 GiB. */
export const MAX_PROFILE_BYTES = 1024 * 1024 * 1024;

export interface LoadOptions {
  /** Chrome traces: the thread to show (name or `pid:tid`) instead of the main JS thread. */
  thread?: string;
  /** pprof: the sample type to show instead of the default. */
  sampleType?: string;
  maxBytes?: number;
}

export function loadProfileFile(file: string, options: LoadOptions = {}): Profile {
  const maxBytes = options.maxBytes ?? MAX_PROFILE_BYTES;
  const read = readRegularFile(file, { maxBytes });
  if ('refused' in read) throw new ProfileError(refusalMessage(file, read.refused, maxBytes));
  return parseProfile(read.bytes, options);
}

/** Why `file` (a path, or "standard input") is not read as a profile, in one line. */
export function refusalMessage(file: string, refused: Refusal, maxBytes: number): string {
  switch (refused.kind) {
    case 'missing':
      return `no such file: ${file}`;
    case 'too-large':
      return `${file} is ${refused.size !== undefined ? `${formatSize(refused.size)}: ` : ''}larger than the ${formatSize(maxBytes)} a profile may have`;
    case 'not-a-file':
      return refused.reason === 'a folder'
        ? `${file} is a folder, not a profile`
        : `${file} is ${refused.reason}, not a regular file: only files are read as profiles (pipe one in with "perflens profile -")`;
    case 'symbolic-link-loop':
      return `${file} is ${refused.reason}`;
    case 'unreadable':
      return `cannot read ${file}: ${refused.code}`;
  }
}

export function parseProfile(bytes: Buffer, options: LoadOptions = {}): Profile {
  const format = detectFormat(bytes);
  switch (format.kind) {
    case 'cpuprofile':
      return importCpuProfile(bytes);
    case 'trace':
      return importTrace(bytes, options);
    case 'heapprofile':
      return importHeapProfile(bytes);
    case 'speedscope':
      return importSpeedscope(bytes);
    case 'folded':
      return importFolded(bytes);
    case 'pprof':
      return importPprof(bytes, options);
    case 'gzipped':
      return parseProfile(format.content, options);
  }
}

type Detected = { kind: ProfileFormat } | { kind: 'gzipped'; content: Buffer };

/** Which format `bytes` hold; a ProfileError when none. */
function detectFormat(bytes: Buffer): Detected {
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09))
    start++;
  if (start === bytes.length) throw new ProfileError(bytes.length === 0 ? 'the file is empty' : 'the file holds only whitespace');
  if (isGzip(bytes)) {
    let content: Buffer;
    try {
      content = gunzipSync(bytes, { maxOutputLength: MAX_PROFILE_BYTES });
    } catch {
      throw new ProfileError('the file is gzip-compressed but truncated, corrupt, or larger than 1 GB unpacked');
    }
    const first = content.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
    if (first === 0x7b || first === 0x5b) return { kind: 'gzipped', content };
    return { kind: 'pprof' };
  }
  const first = bytes[start];
  if (first === 0x7b) return { kind: jsonObjectFormat(bytes) };
  if (first === 0x5b) {
    const cursor = new JsonCursor(bytes);
    cursor.enterArray();
    const next = cursor.peek();
    if (next === -1) throw new ProfileError('truncated JSON: the file ends in the middle of the profile');
    if (next !== 0x7b && next !== 0x5d) throw new ProfileError('JSON, but not a profile: an array that is not a list of trace events');
    return { kind: 'trace' };
  }
  const head = bytes.subarray(0, 65536);
  if (isText(head)) {
    if (looksFolded(head.toString('utf8'))) return { kind: 'folded' };
    throw new ProfileError('not a profile: text that is neither JSON nor folded stacks ("frame;frame;… count" lines)');
  }
  if (decodePprof(bytes)) return { kind: 'pprof' };
  throw new ProfileError('not a profile: a binary file that is neither pprof (protobuf) nor gzip');
}

/** The format of a JSON object, from the first top-level key that only one format has. */
function jsonObjectFormat(bytes: Buffer): ProfileFormat {
  const cursor = new JsonCursor(bytes);
  const keys: string[] = [];
  cursor.enterObject();
  while (cursor.nextKey()) {
    if (cursor.spanIs('nodes')) return 'cpuprofile';
    if (cursor.spanIs('traceEvents')) return 'trace';
    if (cursor.spanIs('head')) return 'heapprofile';
    if (cursor.spanIs('shared') || cursor.spanIs('profiles') || cursor.spanIs('$schema')) return 'speedscope';
    if (keys.length < 5) keys.push(cursor.spanText());
    cursor.skip();
  }
  cursor.end();
  const seen = keys.length > 0 ? `keys ${keys.map((key) => JSON.stringify(key)).join(', ')}` : 'an empty object';
  throw new ProfileError(
    `JSON, but not a profile (${seen}): expected a V8 CPU profile ("nodes"), a Chrome trace ("traceEvents"), a heap profile ("head") or a speedscope file ("shared", "profiles")`,
  );
}

/** No NUL bytes and valid UTF-8 (a cut-off character at the end is fine). */
function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  let at = 0;
  while (at < bytes.length) {
    const byte = bytes[at];
    if (byte < 0x80) {
      if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) return false;
      at++;
      continue;
    }
    const length = byte >= 0xf0 && byte < 0xf8 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
    if (length === 0 || byte >= 0xf8) return false;
    for (let next = 1; next < length; next++) {
      if (at + next >= bytes.length) return true;
      if ((bytes[at + next] & 0xc0) !== 0x80) return false;
    }
    at += length;
  }
  return true;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${bytes} bytes`;
}
