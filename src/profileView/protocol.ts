/**
 * The one message protocol between the extension host and the profile view's page. Each side
 * validates what it receives with the parsers below, as the worker protocol does (src/worker/
 * protocol.ts): a message that does not fit is logged and ignored, never trusted — the page
 * renders names from a profile, and a profile may come from anywhere.
 *
 * The model is sent after the page says `ready`, in chunks (modelChunks.ts), so that serialising
 * a big profile never blocks the extension host for long; its arrays are typed arrays, which
 * postMessage carries as they are.
 */
import { PROFILE_FORMATS } from '../profiles/model';
import type { ViewFunction, ViewSummary } from './data';
import { type Check, isBoolean, isString, isNumber, arrayOf, optional, oneOf, shape, parseMessage } from '../messageChecks';

// ---------------------------------------------------------------- host → page

/** A new model begins; chunks of it carry the same `id`, and any older model's chunks are dropped. */
export interface ModelStartMessage {
  type: 'modelStart';
  id: number;
  summary: ViewSummary;
  functionCount: number;
  nodeCount: number;
  /** How many runs the timeline has; absent when the profile records no time order. */
  timelineRuns?: number;
}

/** Functions `offset … offset + functions.length - 1`, in order. */
export interface ModelFunctionsMessage {
  type: 'modelFunctions';
  id: number;
  offset: number;
  functions: ViewFunction[];
}

/** Call-tree nodes `offset … offset + parent.length - 1`, in preorder. */
export interface ModelNodesMessage {
  type: 'modelNodes';
  id: number;
  offset: number;
  parent: Int32Array;
  fn: Int32Array;
  self: Float64Array;
}

/** Timeline runs `offset … offset + node.length - 1`, in time order (after every node chunk). */
export interface ModelTimelineMessage {
  type: 'modelTimeline';
  id: number;
  offset: number;
  node: Int32Array;
  weight: Float64Array;
}

export interface ModelEndMessage {
  type: 'modelEnd';
  id: number;
}

/** Select and reveal a function (the editor's line heat asked to show it in the profile). */
export interface RevealMessage {
  type: 'select';
  fn: number;
}

/** The profile cannot be shown: the CLI's one-line reason, shown in place of the view. */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type HostMessage =
  ModelStartMessage | ModelFunctionsMessage | ModelNodesMessage | ModelTimelineMessage | ModelEndMessage | RevealMessage | ErrorMessage;

// ---------------------------------------------------------------- page → host

/** The page has loaded its script and listens: the model may be sent. */
export interface ReadyMessage {
  type: 'ready';
}

/** Open the source of a frame or row beside the view, at its (source-mapped) position. */
export interface OpenSourceMessage {
  type: 'openSource';
  /** The function's local path, or its file or URL as the profile names it. */
  url: string;
  /** 1-based; 0 when unknown (open at the top). */
  line: number;
  column: number;
  /** Move the focus to the source (double-click, Enter); false for a click, which shows it and leaves the focus in the view. */
  focus: boolean;
}

/** The user selected a function (the host may show it in the editor's line heat). */
export interface SelectMessage {
  type: 'select';
  fn: number;
}

export type PageMessage = ReadyMessage | OpenSourceMessage | SelectMessage | ErrorMessage;

// ---------------------------------------------------------------- validation

const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isInt32Array: Check = (value) => value instanceof Int32Array;
const isFloat64Array: Check = (value) => value instanceof Float64Array;

// Functions are checked one by one (a chunk holds a few thousand): the page writes their names
// into the DOM, so a name that is not a string must not get that far.
const isViewFunction = shape({ name: isString, file: optional(isString), path: optional(isString), line: isCount, column: isCount });
const isSummary = shape({
  format: oneOf(...PROFILE_FORMATS),
  unit: oneOf('ms', 'bytes', 'samples'),
  total: isNumber,
  samples: isNumber,
  notes: arrayOf(isString),
});

const HOST_FIELDS: Record<HostMessage['type'], Record<string, Check>> = {
  modelStart: { id: isCount, summary: isSummary, functionCount: isCount, nodeCount: isCount, timelineRuns: optional(isCount) },
  modelFunctions: { id: isCount, offset: isCount, functions: arrayOf(isViewFunction) },
  // The arrays' contents (indices in range, preorder) are checked by ModelAssembler as it copies them.
  modelNodes: { id: isCount, offset: isCount, parent: isInt32Array, fn: isInt32Array, self: isFloat64Array },
  modelTimeline: { id: isCount, offset: isCount, node: isInt32Array, weight: isFloat64Array },
  modelEnd: { id: isCount },
  select: { fn: isCount },
  error: { message: isString },
};

const PAGE_FIELDS: Record<PageMessage['type'], Record<string, Check>> = {
  ready: {},
  openSource: { url: isString, line: isCount, column: isCount, focus: isBoolean },
  select: { fn: isCount },
  error: { message: isString },
};

/**
 * The page's reading of a message from the host, or why it is not one.
 */
export function parseHostMessage(value: unknown): HostMessage | string {
  return parseMessage<HostMessage>(value, HOST_FIELDS);
}

/**
 * The host's reading of a message from the page, or why it is not one.
 */
export function parsePageMessage(value: unknown): PageMessage | string {
  return parseMessage<PageMessage>(value, PAGE_FIELDS);
}
