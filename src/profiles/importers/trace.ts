/**
 * Chrome DevTools Performance traces (Trace Event format, `{ traceEvents: [...] }` or a bare
 * array): the CPU profile of each thread arrives as a `Profile` event and a series of
 * `ProfileChunk` events with the same `pid` and `id`. Every other event is skipped unread — in a
 * real trace that is most of the file. The main JavaScript thread is picked by default; the
 * others are listed.
 */
import { ProfileError } from '../errors';
import type { Profile, ProfileThread } from '../model';
import { weightsToMilliseconds } from './cpuprofile';
import { JsonCursor } from './jsonCursor';
import { V8NodeReader } from './v8Nodes';

interface TraceProfile {
  key: string;
  pid: number;
  tid: number | undefined;
  reader: V8NodeReader;
  startTime: number | undefined;
  endTime: number | undefined;
}

const OTHER = 0;
const PROFILE = 1;
const PROFILE_CHUNK = 2;
const THREAD_NAME = 3;
const CPU_PROFILE = 4;

/** Thread names of the threads that run page or Node JavaScript. */
const MAIN_THREADS = new Set(['CrRendererMain', 'JavaScriptMainThread', 'main', 'CrBrowserMain']);

export interface TraceOptions {
  /** Pick this thread (by name, or `pid:tid`) instead of the main one. */
  thread?: string;
}

export function importTrace(bytes: Buffer, options: TraceOptions = {}): Profile {
  const cursor = new JsonCursor(bytes);
  const profiles = new Map<string, TraceProfile>();
  const threadNames = new Map<string, string>();
  let events = 0;

  const readEvents = (bareArray: boolean): void => {
    cursor.enterArray();
    for (;;) {
      // The format allows a bare array to end without its "]" (a trace cut off by a crash).
      if (bareArray && cursor.peek() === -1) break;
      if (!cursor.nextItem()) break;
      if (bareArray && cursor.peek() === -1) break;
      readEvent();
      events++;
    }
  };

  const readEvent = (): void => {
    let kind = OTHER;
    let pid = 0;
    let tid: number | undefined;
    let id = '';
    let idAt = -1;
    let argsAt = -1;
    cursor.enterObject();
    while (cursor.nextKey()) {
      const length = cursor.spanEnd - cursor.spanStart;
      if (length === 4 && cursor.spanIs('name')) {
        if (cursor.kind() === 'string') {
          cursor.stringSpan();
          // Compared as bytes: the names of the other events are never decoded.
          if (cursor.spanIs('ProfileChunk')) kind = PROFILE_CHUNK;
          else if (cursor.spanIs('Profile')) kind = PROFILE;
          else if (cursor.spanIs('thread_name')) kind = THREAD_NAME;
          else if (cursor.spanIs('CpuProfile')) kind = CPU_PROFILE;
        } else cursor.skip();
      } else if (length === 4 && cursor.spanIs('args')) {
        argsAt = cursor.pos;
        cursor.skip();
      } else if (length === 3 && cursor.spanIs('pid')) {
        if (cursor.kind() === 'number') pid = cursor.number();
        else cursor.skip();
      } else if (length === 3 && cursor.spanIs('tid')) {
        if (cursor.kind() === 'number') tid = cursor.number();
        else cursor.skip();
      } else if (length === 2 && cursor.spanIs('id')) {
        idAt = cursor.pos;
        cursor.skip();
      } else cursor.skip();
    }
    if (argsAt < 0 || kind === OTHER) return;
    const resume = cursor.pos;
    if (idAt >= 0) {
      cursor.pos = idAt;
      const idKind = cursor.kind();
      id = idKind === 'string' ? cursor.string() : idKind === 'number' ? String(cursor.number()) : '';
    }
    cursor.pos = argsAt;
    if (kind === THREAD_NAME) readThreadName(pid, tid);
    else {
      const key = kind === CPU_PROFILE ? `${pid}:${tid ?? 0}:whole` : `${pid}:${id}`;
      let profile = profiles.get(key);
      if (!profile) {
        profile = { key, pid, tid, reader: new V8NodeReader(bytes), startTime: undefined, endTime: undefined };
        profiles.set(key, profile);
      }
      if (kind === PROFILE && tid !== undefined) profile.tid = tid;
      readProfileArgs(profile);
    }
    cursor.pos = resume;
  };

  const readThreadName = (pid: number, tid: number | undefined): void => {
    cursor.enterObject();
    while (cursor.nextKey()) {
      if (cursor.spanIs('name') && cursor.kind() === 'string') threadNames.set(`${pid}:${tid ?? 0}`, cursor.string());
      else cursor.skip();
    }
  };

  /** `args: { data: { startTime?, cpuProfile?: { nodes?, samples? }, timeDeltas?, lines? } }` */
  const readProfileArgs = (profile: TraceProfile): void => {
    cursor.enterObject();
    while (cursor.nextKey()) {
      if (!cursor.spanIs('data') || cursor.kind() !== 'object') {
        cursor.skip();
        continue;
      }
      cursor.enterObject();
      while (cursor.nextKey()) {
        if (cursor.spanIs('cpuProfile') && cursor.kind() === 'object') readCpuProfile(profile);
        else if (cursor.spanIs('timeDeltas')) cursor.numbers(profile.reader.timeDeltas);
        else if (cursor.spanIs('lines')) cursor.numbers(profile.reader.sampleLines);
        else if (cursor.spanIs('startTime') && cursor.kind() === 'number') profile.startTime = cursor.number();
        else if (cursor.spanIs('endTime') && cursor.kind() === 'number') profile.endTime = cursor.number();
        else cursor.skip();
      }
    }
  };

  const readCpuProfile = (profile: TraceProfile): void => {
    cursor.enterObject();
    while (cursor.nextKey()) {
      if (cursor.spanIs('nodes')) profile.reader.readNodes(cursor);
      else if (cursor.spanIs('samples')) cursor.numbers(profile.reader.samples);
      else if (cursor.spanIs('timeDeltas')) cursor.numbers(profile.reader.timeDeltas);
      else if (cursor.spanIs('startTime') && cursor.kind() === 'number') profile.startTime = cursor.number();
      else if (cursor.spanIs('endTime') && cursor.kind() === 'number') profile.endTime = cursor.number();
      else cursor.skip();
    }
  };

  if (cursor.kind() === 'array') readEvents(true);
  else {
    let sawEvents = false;
    cursor.enterObject();
    while (cursor.nextKey()) {
      if (cursor.spanIs('traceEvents')) {
        sawEvents = true;
        readEvents(false);
      } else cursor.skip();
    }
    if (!sawEvents) throw new ProfileError('not a Chrome trace: there is no "traceEvents" array');
  }
  cursor.end();

  const candidates = [...profiles.values()].filter((profile) => profile.reader.nodeCount > 0);
  if (candidates.length === 0) {
    throw new ProfileError(
      `the trace has ${events} events but no CPU profile: record it with the "JavaScript samples" (disabled-by-default-v8.cpu_profiler) category`,
    );
  }
  const threadName = (profile: TraceProfile): string =>
    threadNames.get(`${profile.pid}:${profile.tid ?? 0}`) ?? `thread ${profile.tid ?? '?'}`;
  const label = (profile: TraceProfile): string => `${threadName(profile)} (pid ${profile.pid}, tid ${profile.tid ?? '?'})`;
  const selected = pickThread(candidates, threadName, label, options.thread);

  const {
    tree,
    lineTicks,
    timeline,
    samples,
    frames,
    notes: timingNotes,
  } = selected.reader.finish({ startTime: selected.startTime, endTime: selected.endTime });
  weightsToMilliseconds(tree, lineTicks, timeline);
  let total = 0;
  for (let node = 0; node < tree.size; node++) total += tree.self[node];
  const threads: ProfileThread[] = candidates.map((profile) => ({
    name: label(profile),
    samples: profile.reader.samples.length,
    selected: profile === selected,
  }));
  const notes =
    threads.length > 1 ? [`the trace holds ${threads.length} profiled threads; showing ${label(selected)}`, ...timingNotes] : timingNotes;
  return { format: 'trace', unit: 'ms', frames, tree, lineTicks, timeline, total, samples, threads, notes };
}

function pickThread(
  candidates: TraceProfile[],
  threadName: (profile: TraceProfile) => string,
  label: (profile: TraceProfile) => string,
  wanted: string | undefined,
): TraceProfile {
  if (wanted !== undefined) {
    const match = candidates.find((profile) => threadName(profile) === wanted || `${profile.pid}:${profile.tid}` === wanted);
    if (!match) throw new ProfileError(`no profiled thread "${wanted}" in the trace (threads: ${candidates.map(label).join(', ')})`);
    return match;
  }
  const bySamples = (a: TraceProfile, b: TraceProfile): number => b.reader.samples.length - a.reader.samples.length;
  const main = candidates.filter((profile) => MAIN_THREADS.has(threadName(profile))).sort(bySamples);
  return main[0] ?? [...candidates].sort(bySamples)[0];
}
