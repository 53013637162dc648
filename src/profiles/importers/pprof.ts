/**
 * pprof (profile.proto), gzipped or not: `@datadog/pprof` for Node, Go's runtime/pprof, and
 * every other runtime that speaks it. Decoded with `pprof-format`. A location holds one line
 * per inlined frame, innermost first; a sample lists locations leaf first.
 */
import { gunzipSync } from 'node:zlib';
import { Profile as PprofProfile } from 'pprof-format';
import { ProfileError } from '../errors';
import { FrameTable, MODEL_UNITS_BY_NAME, StackTrie, type Profile, type ProfileUnit } from '../model';

/** Factor from a pprof unit to the model's, and the model's unit. */
const UNITS: Record<string, [number, ProfileUnit]> = { ...MODEL_UNITS_BY_NAME, count: [1, 'samples'] };

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** Decodes a pprof message, or undefined when the bytes are not one. */
export function decodePprof(bytes: Uint8Array): PprofProfile | undefined {
  let decoded: PprofProfile;
  try {
    decoded = PprofProfile.decode(bytes);
  } catch {
    return undefined;
  }
  const strings = decoded.stringTable.strings;
  // A real profile has an empty first string, a sample type and samples pointing at locations;
  // random bytes that happen to decode as protobuf do not.
  if (strings.length === 0 || strings[0] !== '' || decoded.sampleType.length === 0) return undefined;
  return decoded;
}

export function importPprof(bytes: Buffer, options: { sampleType?: string } = {}): Profile {
  let raw: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes);
    } catch {
      throw new ProfileError('the file is gzip-compressed but truncated or corrupt');
    }
  }
  const profile = decodePprof(raw);
  if (!profile) throw new ProfileError('not a pprof profile: the protobuf has no string table or sample types');
  const strings = profile.stringTable.strings;
  const text = (index: number | bigint, what: string): string => {
    const at = Number(index);
    if (!(at >= 0 && at < strings.length)) throw new ProfileError(`pprof ${what} refers to string ${at}, which is not in the string table`);
    return strings[at];
  };

  const types = profile.sampleType.map((type) => ({ type: text(type.type, 'sample type'), unit: text(type.unit, 'sample unit') }));
  const valueIndex = chooseValue(
    types,
    profile.defaultSampleType ? text(profile.defaultSampleType, 'default sample type') : undefined,
    options.sampleType,
  );
  const { type, unit: unitName } = types[valueIndex];
  const [factor, unit] = UNITS[unitName] ?? [1, 'samples'];
  // A count column, when there is one, says how many samples a value is made of.
  const countIndex = types.findIndex((candidate) => candidate.unit === 'count');

  const functions = new Map<string, { name: string; file: string; startLine: number }>();
  for (const fn of profile.function) {
    functions.set(String(fn.id), {
      name: text(fn.name, 'function name') || text(fn.systemName, 'function name'),
      file: text(fn.filename, 'file name'),
      startLine: Number(fn.startLine),
    });
  }
  const frames = new FrameTable();
  /** Per location: its frames outermost first, as [frame, line] pairs. */
  const locations = new Map<string, Array<[number, number]>>();
  for (const location of profile.location) {
    const lines: Array<[number, number]> = [];
    for (let at = location.line.length - 1; at >= 0; at--) {
      const line = location.line[at];
      const fn = functions.get(String(line.functionId));
      if (!fn) throw new ProfileError(`pprof location ${location.id} refers to function ${line.functionId}, which is not in the profile`);
      lines.push([frames.add(fn.name, fn.file, fn.startLine > 0 ? fn.startLine : 0, 0), Number(line.line) > 0 ? Number(line.line) : 0]);
    }
    if (lines.length === 0) lines.push([frames.add(`0x${BigInt(location.address).toString(16)}`, '', 0, 0), 0]);
    locations.set(String(location.id), lines);
  }

  const trie = new StackTrie();
  let samples = 0;
  for (const sample of profile.sample) {
    const value = Number(sample.value[valueIndex] ?? 0);
    if (value === 0) continue;
    let node = -1;
    for (let at = sample.locationId.length - 1; at >= 0; at--) {
      const lines = locations.get(String(sample.locationId[at]));
      if (!lines) throw new ProfileError(`a pprof sample refers to location ${sample.locationId[at]}, which is not in the profile`);
      for (const [frame, line] of lines) node = trie.child(node, frame, line);
    }
    const count = countIndex >= 0 ? Number(sample.value[countIndex] ?? 1) : 1;
    if (node >= 0) trie.addSelf(node, value * factor, count);
    samples += count;
  }
  const tree = trie.toTree();
  let total = 0;
  for (let node = 0; node < tree.size; node++) total += tree.self[node];
  const notes = types.length > 1 ? [`value "${type}" (${unitName}) of ${types.map((candidate) => candidate.type).join(', ')}`] : [];
  return {
    format: 'pprof',
    unit,
    frames: frames.frames,
    tree,
    lineTicks: undefined,
    timeline: undefined,
    total,
    samples,
    threads: [],
    notes,
  };
}

/** The requested value type, else the profile's default, else the last (pprof's convention). */
function chooseValue(types: Array<{ type: string; unit: string }>, defaultType: string | undefined, wanted: string | undefined): number {
  if (wanted !== undefined) {
    const index = types.findIndex((candidate) => candidate.type === wanted);
    if (index < 0)
      throw new ProfileError(
        `the pprof profile has no sample type "${wanted}" (it has ${types.map((candidate) => candidate.type).join(', ')})`,
      );
    return index;
  }
  if (defaultType) {
    const index = types.findIndex((candidate) => candidate.type === defaultType);
    if (index >= 0) return index;
  }
  return types.length - 1;
}
