/**
 * The messages between the extension host and a profile-loading worker (dist/profileWorker.js):
 * one request, one answer. Each side checks what it receives, as the analysis worker's protocol
 * does (src/worker/protocol.ts): a message that does not fit is refused with a reason.
 *
 * Loaded by the extension host: type-only imports from the engine, nothing else.
 */
import type { ViewData } from '../profileView/data';
import type { LineWeight } from '../profileView/lineHeat';
import { type Check, isString, isNumber, arrayOf, isRecord, optional, shape, parseMessage } from '../messageChecks';

// ---------------------------------------------------------------- host → worker

/** Read `file` as a profile and build the view's data from it. */
export interface LoadRequest {
  type: 'load';
  /** Absolute path of the profile. */
  file: string;
  /** Paths are shown relative to it (the workspace folder that holds the profile). */
  root: string;
  /** The only folders whose files the profile may make the worker read (sources, source maps). */
  readRoots: string[];
}

// ---------------------------------------------------------------- worker → host

export interface LoadedResponse {
  type: 'loaded';
  /** What the page draws. */
  data: ViewData;
  /** Self weight per source line (source-mapped), for the editor's line heat. */
  lines: LineWeight[];
}

/** The profile cannot be shown: the CLI's one-line reason (`message`). */
export interface LoadFailedResponse {
  type: 'failed';
  message: string;
}

export type LoadResponse = LoadedResponse | LoadFailedResponse;

// ---------------------------------------------------------------- validation

// The data's arrays and functions are checked in full by the page's ModelAssembler, which is what
// trusts them; here only enough that the host can cut it into chunks without tripping.
const isViewData: Check = (value) =>
  isRecord(value) &&
  isRecord(value.summary) &&
  isNumber(value.summary.total) &&
  Array.isArray(value.functions) &&
  shape({ parent: (v) => v instanceof Int32Array, fn: (v) => v instanceof Int32Array, self: (v) => v instanceof Float64Array })(
    value.tree,
  ) &&
  optional(shape({ node: (v) => v instanceof Int32Array, weight: (v) => v instanceof Float64Array }))(value.timeline);

const REQUEST_FIELDS: Record<LoadRequest['type'], Record<string, Check>> = {
  load: { file: isString, root: isString, readRoots: arrayOf(isString) },
};

const RESPONSE_FIELDS: Record<LoadResponse['type'], Record<string, Check>> = {
  loaded: { data: isViewData, lines: arrayOf(shape({ path: isString, line: isNumber, self: isNumber, fn: isNumber })) },
  failed: { message: isString },
};

/** The request, or why `value` is not one. */
export function parseLoadRequest(value: unknown): LoadRequest | string {
  return parseMessage<LoadRequest>(value, REQUEST_FIELDS);
}

/** The answer, or why `value` is not one. */
export function parseLoadResponse(value: unknown): LoadResponse | string {
  return parseMessage<LoadResponse>(value, RESPONSE_FIELDS);
}
