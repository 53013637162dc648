/**
 * Generated positions → original ones, through the source map of each generated file: an inline
 * `data:` map, the file a `//# sourceMappingURL=` comment names, or a neighbouring `.map`. One
 * map per file, read once, and only inside the read scope (a profile names these files, and a
 * profile may come from anywhere). A missing map leaves generated positions; a broken one does
 * too and is reported once, by what is wrong, never by quoting it.
 */
import * as path from 'node:path';
import { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor, TraceMap, type EncodedSourceMap } from '@jridgewell/trace-mapping';
import { localPath } from './paths';
import type { ReadScope } from './readScope';

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

  /** `scope`: the only files a profile may make us read (the generated files and their maps). */
  constructor(
    private readonly root: string,
    private readonly scope: ReadScope,
  ) {}

  /**
   * The original position of generated `line` (1-based) and `column` (1-based; 0 when only the
   * line is known: then the line's first mapping).
   */
  original(generatedFile: string, line: number, column: number): OriginalPosition | undefined {
    if (line <= 0) return undefined;
    const map = this.mapOf(generatedFile);
    if (!map) return undefined;
    const needle = { line, column: Math.max(0, column - 1) };
    let found: ReturnType<typeof originalPositionFor>;
    try {
      found = originalPositionFor(map, { ...needle, bias: column > 0 ? GREATEST_LOWER_BOUND : LEAST_UPPER_BOUND });
      if (found.source === null)
        found = originalPositionFor(map, { ...needle, bias: column > 0 ? LEAST_UPPER_BOUND : GREATEST_LOWER_BOUND });
    } catch {
      // The mappings are decoded on first use: garbage there surfaces here.
      this.maps.set(generatedFile, null);
      this.problems.push(`source map of ${generatedFile} is broken (its mappings cannot be decoded): showing generated positions`);
      return undefined;
    }
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
    // Outside the root, missing, or not a regular file: the frame keeps its generated position
    // (the scope notes what it refused).
    const generated = this.scope.read(file, { maxBytes: TAIL_BYTES, whenLarger: 'tail' });
    if (!('bytes' in generated)) return null;
    const comment = mappingUrl(generated.bytes.toString('utf8'));
    let source: { text: string; url: string };
    if (comment?.startsWith('data:')) {
      try {
        source = { text: decodeDataUrl(comment), url: file };
      } catch {
        this.problems.push(`source map of ${file} cannot be read (its inline data: URL is malformed): showing generated positions`);
        return null;
      }
    } else {
      const mapFile = comment === undefined ? `${file}.map` : localPath(comment, path.dirname(file));
      if (mapFile === undefined) {
        this.problems.push(
          `source map of ${file} is not a local file (its sourceMappingURL names ${comment}): showing generated positions`,
        );
        return null;
      }
      const read = this.scope.read(mapFile, { maxBytes: MAX_MAP_BYTES });
      if ('outsideRoots' in read) return null;
      if ('refused' in read) {
        if (read.refused.kind !== 'missing')
          this.problems.push(`source map of ${file} cannot be read (${mapFile} is ${read.refused.reason}): showing generated positions`);
        else if (comment !== undefined)
          this.problems.push(`source map of ${file} is missing (its sourceMappingURL names ${comment}): showing generated positions`);
        return null;
      }
      source = { text: read.bytes.toString('utf8'), url: mapFile };
    }
    const parsed = parseSourceMap(source.text);
    if (typeof parsed === 'string') {
      this.problems.push(`source map of ${file} is broken (${parsed}): showing generated positions`);
      return null;
    }
    try {
      return new TraceMap(parsed, source.url);
    } catch {
      this.problems.push(`source map of ${file} is broken (not a usable source map): showing generated positions`);
      return null;
    }
  }
}

/** The URL in the last sourceMappingURL comment of a generated file's text (or its tail), if any. */
function mappingUrl(text: string): string | undefined {
  const trimmed = text.trimEnd();
  const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  return (
    MAPPING_URL.exec(lastLine)?.[1] ??
    MAPPING_URL.exec(trimmed.slice(trimmed.lastIndexOf('\n', trimmed.length - lastLine.length - 2) + 1))?.[1]
  );
}

/**
 * The map's JSON checked for what TraceMap uses, or what is wrong — said by kind and position
 * only: the text may be any file a profile pointed at, and neither JSON.parse's messages (which
 * quote the text) nor TraceMap's (which print the whole object) are passed on.
 */
function parseSourceMap(text: string): EncodedSourceMap | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (/Unexpected end of JSON input/.test((error as Error).message)) return 'truncated JSON';
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    return position !== undefined ? `not valid JSON at character ${Number(position) + 1}` : 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'JSON, but not an object';
  const map = value as Record<string, unknown>;
  if (map.sections !== undefined) return 'an index map with "sections", which is not supported';
  if (typeof map.mappings !== 'string') return 'no "mappings" string';
  if (!Array.isArray(map.sources) || map.sources.some((entry) => entry !== null && typeof entry !== 'string'))
    return 'no "sources" list of strings';
  if (map.names !== undefined && !(Array.isArray(map.names) && map.names.every((entry) => typeof entry === 'string')))
    return '"names" is not a list of strings';
  if (map.sourceRoot !== undefined && map.sourceRoot !== null && typeof map.sourceRoot !== 'string') return '"sourceRoot" is not a string';
  // Only the checked fields go on: TraceMap takes an object with a `_decodedMemo` key for one of its own.
  return {
    version: 3,
    file: typeof map.file === 'string' ? map.file : undefined,
    names: (map.names as string[] | undefined) ?? [],
    sourceRoot: typeof map.sourceRoot === 'string' ? map.sourceRoot : undefined,
    sources: map.sources as Array<string | null>,
    mappings: map.mappings,
  };
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(',');
  if (comma < 0) throw new Error('a data: URL without data');
  const meta = url.slice(5, comma);
  const data = url.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
}
