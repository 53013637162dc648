/**
 * Generated positions → original ones, through the source map of each generated file: an inline
 * `data:` map, the file a `//# sourceMappingURL=` comment names, or a neighbouring `.map`. One
 * map per file, read once. A missing map leaves generated positions; a broken one does too and
 * is reported once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { localPath } from './paths';

export interface OriginalPosition {
  /** Absolute path (forward slashes), or the source as the map names it when it is no path. */
  file: string;
  line: number;
  column: number;
}

/** Only this much of a big generated file is searched for its sourceMappingURL comment. */
const TAIL_BYTES = 4 * 1024 * 1024;
const MAX_MAP_BYTES = 256 * 1024 * 1024;
const MAPPING_URL = /\/[/*][#@]\s*sourceMappingURL=([^\s*'"]+)\s*(?:\*\/)?\s*$/;

export class SourceMaps {
  private readonly maps = new Map<string, TraceMap | null>();
  /** What went wrong with maps, one line per file. */
  readonly problems: string[] = [];

  constructor(private readonly root: string) {}

  /**
   * The original position of generated `line` (1-based) and `column` (1-based; 0 when only the
   * line is known: then the line's first mapping).
   */
  original(generatedFile: string, line: number, column: number): OriginalPosition | undefined {
    if (line <= 0) return undefined;
    const map = this.mapOf(generatedFile);
    if (!map) return undefined;
    const needle = { line, column: Math.max(0, column - 1) };
    let found = originalPositionFor(map, { ...needle, bias: column > 0 ? GREATEST_LOWER_BOUND : LEAST_UPPER_BOUND });
    if (found.source === null) found = originalPositionFor(map, { ...needle, bias: column > 0 ? LEAST_UPPER_BOUND : GREATEST_LOWER_BOUND });
    if (found.source === null || found.line === null) return undefined;
    return { file: localPath(found.source, this.root) ?? found.source, line: found.line, column: (found.column ?? 0) + 1 };
  }

  private mapOf(file: string): TraceMap | undefined {
    let map = this.maps.get(file);
    if (map === undefined) {
      map = this.load(file);
      this.maps.set(file, map);
    }
    return map ?? undefined;
  }

  private load(file: string): TraceMap | null {
    const comment = this.mappingUrl(file);
    let source: { text: string; url: string } | undefined;
    try {
      if (comment?.startsWith('data:')) source = { text: decodeDataUrl(comment), url: file };
      else if (comment) {
        const mapFile = localPath(comment, path.dirname(file)) ?? comment;
        source = { text: readLimited(mapFile), url: mapFile };
      } else if (fs.existsSync(`${file}.map`)) source = { text: readLimited(`${file}.map`), url: `${file}.map` };
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      this.problems.push(`source map of ${file} ${missing ? `is missing (its sourceMappingURL names ${comment})` : `cannot be read (${describe(error)})`}: showing generated positions`);
      return null;
    }
    if (!source) return null;
    try {
      return new TraceMap(source.text, source.url);
    } catch (error) {
      this.problems.push(`source map of ${file} is broken (${describe(error)}): showing generated positions`);
      return null;
    }
  }

  /** The URL in the file's last sourceMappingURL comment, if any. */
  private mappingUrl(file: string): string | undefined {
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size <= TAIL_BYTES) text = fs.readFileSync(file, 'utf8');
      else {
        const handle = fs.openSync(file, 'r');
        try {
          const tail = Buffer.alloc(TAIL_BYTES);
          fs.readSync(handle, tail, 0, TAIL_BYTES, size - TAIL_BYTES);
          text = tail.toString('utf8');
        } finally {
          fs.closeSync(handle);
        }
      }
    } catch {
      return undefined;
    }
    const trimmed = text.trimEnd();
    const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
    return MAPPING_URL.exec(lastLine)?.[1] ?? MAPPING_URL.exec(trimmed.slice(trimmed.lastIndexOf('\n', trimmed.length - lastLine.length - 2) + 1))?.[1];
  }
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(',');
  if (comma < 0) throw new Error('a data: URL without data');
  const meta = url.slice(5, comma);
  const data = url.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
}

function readLimited(file: string): string {
  if (fs.statSync(file).size > MAX_MAP_BYTES) throw new Error('larger than 256 MB');
  return fs.readFileSync(file, 'utf8');
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return code;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 120);
}
