/**
 * The one message protocol between the extension host and the analysis worker. Both sides
 * validate what they receive with the parsers below: a message that does not fit is logged and
 * ignored, never trusted (the two bundles are built together, but a stale worker.js next to a
 * newer extension.js must not corrupt diagnostics).
 *
 * This module is loaded by the extension host: type-only imports from the engine, nothing else.
 */
import type { RuleSetting } from '../analyzers/config';
import type { FileError, Finding, FixKind, SkippedFile, TextEdit } from '../analyzers/finding';
import {
  type Check,
  isString,
  isNumber,
  isBoolean,
  isArray,
  isRecord,
  arrayOf,
  optional,
  oneOf,
  shape,
  parseMessage,
} from '../messageChecks';

/** The settings that shape analysis of the files of one workspace folder. */
export interface ScopeSettings {
  /** Per-rule severity; wins over the folder's `.perflensrc.json` rule by rule. */
  rules: Record<string, RuleSetting>;
  /** gitignore-style globs relative to the folder (or anywhere, for files outside every folder). */
  exclude: string[];
}

export interface FolderSettings extends ScopeSettings {
  /** Absolute path of the workspace folder. */
  path: string;
}

/**
 * The values a rule setting can take, for the host side (which must not load the engine's
 * modules at run time); test/extension/settings.test.ts checks it equals config.ts's list.
 */
export const RULE_SETTING_VALUES: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

// ---------------------------------------------------------------- host → worker

export interface ConfigureRequest {
  type: 'configure';
  folders: FolderSettings[];
  /** For files outside every workspace folder. */
  fallback: ScopeSettings;
}

/** The text of an open document; the worker keeps it as an overlay until `close`. */
export interface AnalyzeRequest {
  type: 'analyze';
  path: string;
  version: number;
  text: string;
}

export interface CloseRequest {
  type: 'close';
  path: string;
  /** Analyse the file as it is on disk afterwards (it was part of a workspace scan). */
  reanalyze: boolean;
}

export interface ScanRequest {
  type: 'scan';
  id: number;
  /** Absolute paths of the folders to walk; each uses its configured settings. */
  folders: string[];
}

export interface CancelScanRequest {
  type: 'cancelScan';
  id: number;
}

/** Apply every safe fix, repeatedly, to `text` (a document's `version`). */
export interface FixAllRequest {
  type: 'fixAll';
  id: number;
  path: string;
  version: number;
  text: string;
}

/**
 * The CPU profile the editor has loaded (null: none any more), reduced to what weighing findings needs: from now on
 * every answer's findings carry their function's time and the measurement (src/fusion/measured.ts), and the open
 * documents are answered again with it.
 */
export interface ProfileRequest {
  type: 'profile';
  profile: MeasuredProfile | null;
  /** What counts as hot: a fraction of the run, 0–1 (`perflens.profile.hotShare` / 100). */
  hotShare: number;
}

/** A CPU profile's total, its functions and its lines with time (absolute paths, 1-based positions, ms). */
export interface MeasuredProfile {
  totalMs: number;
  functions: Array<{ name: string; path: string; line: number; column: number; selfMs: number; totalMs: number }>;
  lines: Array<{ path: string; line: number; selfMs: number }>;
}

export type Request = ConfigureRequest | AnalyzeRequest | CloseRequest | ScanRequest | CancelScanRequest | FixAllRequest | ProfileRequest;

// ---------------------------------------------------------------- worker → host

/** What the host needs to know of a rule without loading the engine. */
export interface RuleInfo {
  id: string;
  category: string;
  description: string;
  fix: FixKind;
  docsUrl: string;
}

/** Sent once, first, by every worker that starts. */
export interface ReadyResponse {
  type: 'ready';
  rules: RuleInfo[];
}

export interface FindingsResponse {
  type: 'findings';
  path: string;
  /** The document version analysed; `null` when the file was read from disk. */
  version: number | null;
  findings: Finding[];
}

export interface FileResult {
  path: string;
  findings: Finding[];
}

export interface ScanProgressResponse {
  type: 'scanProgress';
  id: number;
  done: number;
  total: number;
  /** Files finished since the previous progress message (every file, also those without findings). */
  results: FileResult[];
}

export interface ScanDoneResponse {
  type: 'scanDone';
  id: number;
  done: number;
  total: number;
  cancelled: boolean;
  durationMs: number;
  errors: FileError[];
  skipped: SkippedFile[];
}

export interface FixAllResponse {
  type: 'fixAllResult';
  id: number;
  path: string;
  version: number;
  /** Offsets into the request's text; empty when nothing changed. */
  edits: TextEdit[];
  applied: number;
  /** Why nothing (or less) was fixed, e.g. the text does not parse. */
  refused?: string;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogResponse {
  type: 'log';
  level: LogLevel;
  message: string;
  /** Worth a notification, not only a line in the output channel (a broken `.perflensrc.json`). */
  notify?: boolean;
}

/** A request with an id could not be served. */
export interface FailedResponse {
  type: 'failed';
  id: number;
  message: string;
}

export type Response =
  ReadyResponse | FindingsResponse | ScanProgressResponse | ScanDoneResponse | FixAllResponse | LogResponse | FailedResponse;

// ---------------------------------------------------------------- validation

const isRuleSettings: Check = (value) => isRecord(value) && Object.values(value).every(oneOf(...RULE_SETTING_VALUES));
const SCOPE_FIELDS = { rules: isRuleSettings, exclude: arrayOf(isString) };

const REQUEST_FIELDS: Record<Request['type'], Record<string, Check>> = {
  configure: { folders: arrayOf(shape({ path: isString, ...SCOPE_FIELDS })), fallback: shape(SCOPE_FIELDS) },
  analyze: { path: isString, version: isNumber, text: isString },
  close: { path: isString, reanalyze: isBoolean },
  scan: { id: isNumber, folders: arrayOf(isString) },
  cancelScan: { id: isNumber },
  fixAll: { id: isNumber, path: isString, version: isNumber, text: isString },
  profile: {
    profile: (value) =>
      value === null ||
      shape({
        totalMs: isNumber,
        functions: arrayOf(
          shape({ name: isString, path: isString, line: isNumber, column: isNumber, selfMs: isNumber, totalMs: isNumber }),
        ),
        lines: arrayOf(shape({ path: isString, line: isNumber, selfMs: isNumber })),
      })(value),
    hotShare: (value) => isNumber(value) && (value as number) >= 0 && (value as number) <= 1,
  },
};

// Findings are checked as arrays, not element by element: a scan sends tens of thousands, and
// they come from the engine bundled beside this very file.
const RESPONSE_FIELDS: Record<Response['type'], Record<string, Check>> = {
  ready: { rules: arrayOf(shape({ id: isString, docsUrl: isString })) },
  findings: { path: isString, version: (v) => v === null || isNumber(v), findings: isArray },
  scanProgress: { id: isNumber, done: isNumber, total: isNumber, results: arrayOf(shape({ path: isString, findings: isArray })) },
  scanDone: {
    id: isNumber,
    done: isNumber,
    total: isNumber,
    cancelled: isBoolean,
    durationMs: isNumber,
    errors: isArray,
    skipped: isArray,
  },
  fixAllResult: {
    id: isNumber,
    path: isString,
    version: isNumber,
    edits: arrayOf(shape({ start: isNumber, end: isNumber, newText: isString })),
    applied: isNumber,
    refused: optional(isString),
  },
  log: { level: oneOf('info', 'warn', 'error'), message: isString, notify: optional(isBoolean) },
  failed: { id: isNumber, message: isString },
};

/** The request, or why `value` is not one. */
export function parseRequest(value: unknown): Request | string {
  return parseMessage<Request>(value, REQUEST_FIELDS);
}

/** The response, or why `value` is not one. */
export function parseResponse(value: unknown): Response | string {
  return parseMessage<Response>(value, RESPONSE_FIELDS);
}
