/**
 * A CPU profile's functions and lines in the terms findings are weighed in, and the step that gives each finding the
 * time of the function around it. Free of the profile readers: the editor's analysis worker loads this, not them.
 */
import * as path from 'node:path';
import type { Finding, Hotness } from '../analyzers/finding';
import type { SourceRange } from '../profiles/enclosing';
import { round } from '../profiles/round';

/** A profiled function in a source file: where it is and what it cost. */
export interface ProfiledFunction {
  name: string;
  /** Absolute path. */
  path: string;
  /** 1-based, V8's position of the function (start of its name or parameters), after source maps. */
  line: number;
  column: number;
  selfMs: number;
  totalMs: number;
}

/** A source line and the time the profile spent executing it (V8's line ticks, a pprof line): its own code's time. */
export interface ProfiledLine {
  /** Absolute path. */
  path: string;
  /** 1-based, after source maps. */
  line: number;
  selfMs: number;
}

/** A CPU profile reduced to what ranking findings needs. */
export interface TimeProfile {
  /** The profile's total time, ms. */
  totalMs: number;
  functions: ProfiledFunction[];
  /** Lines with time, where the format records lines (every V8 and pprof profile); empty otherwise. */
  lines: ProfiledLine[];
  /** Source-map problems and the importer's notes, one line each. */
  notes: string[];
}

/** A profiled function placed in its source: its range, and its times (one range's frames added up). */
export interface LocatedFunction {
  /** Absolute path. */
  file: string;
  range: SourceRange;
  selfMs: number;
  totalMs: number;
}

/**
 * Each finding with the `hotness` of the innermost located function around it (null where none is), in the order
 * given. Frames of one source function can arrive under several scripts (a bundle and its chunk, two reloads): the
 * same range is one function, its times added up.
 */
export function withHotness(findings: readonly Finding[], located: readonly LocatedFunction[], totalMs: number): Finding[] {
  const merged = new Map<string, LocatedFunction>();
  for (const fn of located) {
    const key = `${fn.file}\0${fn.range.start.line}:${fn.range.start.column}-${fn.range.end.line}:${fn.range.end.column}`;
    const entry = merged.get(key);
    if (entry) {
      entry.selfMs += fn.selfMs;
      entry.totalMs += fn.totalMs;
    } else {
      merged.set(key, { ...fn });
    }
  }
  const byFile = new Map<string, LocatedFunction[]>();
  for (const entry of merged.values()) {
    const list = byFile.get(entry.file);
    if (list) list.push(entry);
    else byFile.set(entry.file, [entry]);
  }
  return findings.map((finding) => {
    const functions = byFile.get(path.resolve(finding.file)) ?? [];
    const { line, column } = finding.range.start;
    let innermost: LocatedFunction | undefined;
    for (const fn of functions) {
      if (!contains(fn.range, line, column)) continue;
      if (!innermost || contains(innermost.range, fn.range.start.line, fn.range.start.column)) innermost = fn;
    }
    const hotness: Hotness | null = innermost
      ? {
          selfMs: round(innermost.selfMs),
          totalMs: round(innermost.totalMs),
          share: totalMs > 0 ? round(innermost.totalMs / totalMs, 6) : 0,
        }
      : null;
    return { ...finding, hotness };
  });
}

function contains(range: SourceRange, line: number, column: number): boolean {
  if (line < range.start.line || line > range.end.line) return false;
  if (line === range.start.line && column < range.start.column) return false;
  if (line === range.end.line && column > range.end.column) return false;
  return true;
}
