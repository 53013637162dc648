/**
 * The project host: how source text becomes syntax trees, and — only when a rule asks — a
 * ts-morph program with a type checker. Works without node_modules (unresolved imports are
 * `any`), with or without a tsconfig.json / jsconfig.json, and with unsaved editor text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project } from 'ts-morph';
import { readRegularFile, statPath } from '../io/regularFile';
import { ts } from './ts';
import { createTypeFacts, type TypeFacts } from './facts/types';
import { describeFailure, FileFailure } from './failures';
import { WorkspaceResolver } from './workspace';
import type { PackageManifest } from './facts/modules';

const ANALYZED_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

export function isAnalyzable(fileName: string): boolean {
  if (fileName.endsWith('.d.ts') || fileName.endsWith('.d.mts') || fileName.endsWith('.d.cts')) return false;
  return ANALYZED_EXTENSIONS.has(path.extname(fileName).toLowerCase());
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  switch (path.extname(fileName).toLowerCase()) {
    case '.ts':
    case '.mts':
    case '.cts':
      return ts.ScriptKind.TS;
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    default:
      return ts.ScriptKind.JS;
  }
}

function isRegularFile(file: string): boolean {
  const stat = statPath(file);
  return 'stats' in stat && stat.stats.isFile();
}

/**
 * Syntax errors the parser recovered from (the first one is enough to tell the user). TypeScript
 * reports legacy octal syntax everywhere, but a sloppy-mode script may use it: those are left out
 * where the code is not strict.
 */
export function syntaxErrors(sourceFile: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  const all = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (all.length === 0 || !mayBeSloppyScript(sourceFile)) return all;
  return all.filter((diagnostic) => !LEGACY_OCTAL_ERRORS.has(diagnostic.code) || !isSloppyAt(sourceFile, diagnostic.start));
}

/**
 * Codes of the errors TypeScript gives `010` (1121), `08` (1489), `"\033"` (1487) and `"\8"` (1488):
 * valid JavaScript outside strict mode (ECMAScript Annex B), errors in strict code and templates.
 */
const LEGACY_OCTAL_ERRORS: ReadonlySet<number> = new Set([1121, 1487, 1488, 1489]);

/** A JavaScript script: `.mjs` and files with `import`/`export` are modules, which are always strict. */
function mayBeSloppyScript(sourceFile: ts.SourceFile): boolean {
  return /\.(c?js|jsx)$/i.test(sourceFile.fileName) && !ts.isExternalModule(sourceFile);
}

/** True when the code at `position` is not strict: no "use strict" around it, not in a class, not in a template. */
function isSloppyAt(sourceFile: ts.SourceFile, position: number): boolean {
  // The innermost node holding `position`, found by descending (no recursion: the tree may be deep).
  let node: ts.Node = sourceFile;
  for (;;) {
    const child = ts.forEachChild(node, (candidate) => (candidate.pos <= position && position < candidate.end ? candidate : undefined));
    if (!child) break;
    node = child;
  }
  if (ts.isTemplateLiteralToken(node)) return false;
  for (let around: ts.Node | undefined = node; around; around = around.parent) {
    if (ts.isClassLike(around)) return false;
    const body = ts.isSourceFile(around) ? around : ts.isFunctionLike(around) ? (around as ts.FunctionLikeDeclaration).body : undefined;
    if (body && (ts.isSourceFile(body) || ts.isBlock(body)) && hasUseStrict(body.statements, sourceFile)) return false;
  }
  return true;
}

/** A "use strict" directive in the prologue: the string statements a body starts with. */
function hasUseStrict(statements: ts.NodeArray<ts.Statement>, sourceFile: ts.SourceFile): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    const literal = statement.expression;
    // Exactly the characters use strict between the quotes: an escaped spelling is not a directive.
    if (sourceFile.text.slice(literal.getStart(sourceFile) + 1, literal.end - 1) === 'use strict') return true;
  }
  return false;
}

/** A fresh syntax tree with parent pointers; throws a FileFailure when the parser gives up. */
function parseText(fileName: string, text: string): ts.SourceFile {
  return parsing(() => ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName)));
}

/**
 * Runs the parser. Its recursive descent overflows the stack on code nested about a thousand
 * levels deep (parentheses, arrows, blocks); that is the file's problem, said in its words.
 */
function parsing(parse: () => ts.SourceFile): ts.SourceFile {
  try {
    return parse();
  } catch (error) {
    throw new FileFailure(describeFailure(error, 'the TypeScript parser'), { cause: error });
  }
}

/**
 * The one region where `before` and `after` differ (common prefix and suffix left out).
 * @internal exported for test/analyzers/incremental.test.ts
 */
export function textChangeRange(before: string, after: string): ts.TextChangeRange {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix))
    suffix++;
  return ts.createTextChangeRange(ts.createTextSpan(prefix, before.length - prefix - suffix), after.length - prefix - suffix);
}

const LOOSE_COMPILER_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.Preserve,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

/** Another file of the project, parsed for cross-file facts (what a called function does). */
export interface ModuleFile {
  /** Absolute path. */
  fileName: string;
  text: string;
  /** Changes whenever the text may have: `overlay:<edit count>` or `disk:<mtime>:<size>`. */
  version: string;
  sourceFile: ts.SourceFile;
}

/** `from './x'` (imports and re-exports), `require('./x')`, `import('./x')`. */
const IMPORT_SPECIFIER = /\bfrom\s*['"]([^'"\n]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]/g;

/** How many other files' trees the host keeps for cross-file facts (least recently used go first). */
const MODULE_FILE_LIMIT = 400;
/** Extensions tried, in order, when an import names a project file without one (or with `.js` for a `.ts` source). */
const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface ProjectHostOptions {
  /** Called once per problem that degrades results (a tsconfig that cannot be read, …). */
  onNote?: (message: string) => void;
}

export class ProjectHost {
  private readonly configByDirectory = new Map<string, string | null>();
  private readonly projects = new Map<string, Project>();
  private readonly overlays = new Map<string, string>();
  /** Counts each overlay's changes: an exact version for cross-file caches (a sampled hash missed same-length edits). */
  private readonly overlayEdits = new Map<string, number>();
  /** The last tree of each file with an overlay: the next keystroke re-parses only what changed. */
  private readonly lastTrees = new Map<string, { text: string; sourceFile: ts.SourceFile }>();
  private readonly notes = new Set<string>();
  private readonly moduleFiles = new Map<string, ModuleFile>();
  private readonly resolutions = new Map<string, { file: string | undefined; at: number }>();
  private readonly diskVersions = new Map<string, { version: string | undefined; at: number }>();
  private projectFiles: readonly string[] = [];
  /** Imported file → the project files importing it, built on first use from `projectFiles`, then kept up to date file by file. */
  private importerIndex: Map<string, string[]> | undefined;
  /** Project file → the project files it imports (what the index holds for it, to take out when its text changes). */
  private importsOf: Map<string, string[]> | undefined;
  /** Counts the changes of the project's files and of the index (see ModuleHost.importersVersion). */
  private importerChanges = 0;
  private readonly workspaces = new WorkspaceResolver(this);
  /** For nearestManifest: each package.json read, by the version of its text. */
  private readonly manifestCache = new Map<string, { version: string; manifest: Record<string, unknown> | null }>();

  constructor(private readonly options: ProjectHostOptions = {}) {}

  /** Unsaved editor text for `fileName`; it wins over the disk until cleared. */
  setOverlay(fileName: string, text: string): void {
    const absolute = path.resolve(fileName);
    if (this.overlays.get(absolute) === text) return;
    this.overlays.set(absolute, text);
    this.overlayEdits.set(absolute, (this.overlayEdits.get(absolute) ?? 0) + 1);
    // An edit that adds or removes an import changes who imports what (a file new to the project joins it).
    this.reindex(absolute);
  }

  clearOverlay(fileName: string): void {
    const absolute = path.resolve(fileName);
    this.overlays.delete(absolute);
    this.lastTrees.delete(absolute);
    this.reindex(absolute);
  }

  overlay(fileName: string): string | undefined {
    return this.overlays.get(path.resolve(fileName));
  }

  /** The nearest tsconfig.json or jsconfig.json above `fileName`, cached per directory. */
  findConfig(fileName: string): string | undefined {
    const visited: string[] = [];
    let directory = path.dirname(path.resolve(fileName));
    let found: string | null | undefined;
    for (;;) {
      found = this.configByDirectory.get(directory);
      if (found !== undefined) break;
      visited.push(directory);
      const tsconfig = path.join(directory, 'tsconfig.json');
      const jsconfig = path.join(directory, 'jsconfig.json');
      // ts-morph reads it with a plain readFileSync: a FIFO or a device there is passed over.
      if (isRegularFile(tsconfig)) found = tsconfig;
      else if (isRegularFile(jsconfig)) found = jsconfig;
      if (found) break;
      // node_modules packages are never part of the project above them.
      if (path.basename(directory) === 'node_modules') {
        found = null;
        break;
      }
      const parent = path.dirname(directory);
      if (parent === directory) {
        found = null;
        break;
      }
      directory = parent;
    }
    for (const dir of visited) this.configByDirectory.set(dir, found ?? null);
    return found ?? undefined;
  }

  /**
   * A raw syntax tree with parent pointers (what the rules walk). Files being edited (those with
   * an overlay) are re-parsed incrementally from their previous tree, as tsserver does on every
   * keystroke: only the changed region is parsed again. The previous tree is consumed by that
   * (the parser re-uses and re-positions its nodes), so callers must not keep trees across calls.
   * The keystroke after one that left syntax errors is parsed afresh.
   * Throws a FileFailure when the parser gives up (code nested deeper than it can recurse).
   */
  parse(fileName: string, text: string): ts.SourceFile {
    const absolute = path.resolve(fileName);
    if (!this.overlays.has(absolute)) {
      // A file already parsed for cross-file facts (a scan reaches it after a file that imports it) is not parsed twice.
      const known = this.moduleFiles.get(absolute);
      if (known && known.text === text) return known.sourceFile;
      return parseText(fileName, text);
    }
    const previous = this.lastTrees.get(absolute);
    if (previous?.text === text) return previous.sourceFile;
    // The previous tree is consumed even when the parse below fails: never offer it again.
    this.lastTrees.delete(absolute);
    let sourceFile: ts.SourceFile | undefined;
    // Only from a well-formed tree: re-using a broken one (after ~200 random broken edits) was
    // seen to build a different tree than a fresh parse of the same text. One edit away from a
    // well-formed tree, broken or not, matched a fresh parse in 1,000 of 1,000 tests.
    if (previous && syntaxErrors(previous.sourceFile).length === 0) {
      sourceFile = parsing(() => ts.updateSourceFile(previous.sourceFile, text, textChangeRange(previous.text, text)));
    }
    sourceFile ??= parseText(fileName, text);
    this.lastTrees.set(absolute, { text, sourceFile });
    return sourceFile;
  }

  /**
   * Type facts for `fileName` holding `text`. Expensive the first time per project (a program
   * and its lib files); later calls reuse unchanged files. Throws when the type checker cannot
   * be built for the file (the engine records that among the file's errors).
   */
  typeFacts(fileName: string, text: string): TypeFacts | undefined {
    const absolute = path.resolve(fileName);
    const project = this.projectFor(absolute);
    try {
      let sourceFile = project.getSourceFile(absolute);
      if (!sourceFile || sourceFile.getFullText() !== text) {
        sourceFile = project.createSourceFile(absolute, text, { overwrite: true });
      }
      const program = project.getProgram().compilerObject;
      const programFile = program.getSourceFile(sourceFile.compilerNode.fileName) ?? sourceFile.compilerNode;
      return createTypeFacts(programFile, program.getTypeChecker());
    } catch (error) {
      // The file stays out of the project: a file the binder gave up on half-way would be in
      // every later file's program, bound only in part.
      const added = project.getSourceFile(absolute);
      if (added) project.removeSourceFile(added);
      throw error;
    }
  }

  /** The version of a file's text: its overlay's, or its size and modification time on disk; undefined when it does not exist. */
  fileVersion(fileName: string): string | undefined {
    const absolute = path.resolve(fileName);
    const overlay = this.overlays.get(absolute);
    if (overlay !== undefined) return `overlay:${this.overlayEdits.get(absolute) ?? 0}`;
    // One stat per file per half second: a keystroke's analysis asks about the same few files many times.
    const now = Date.now();
    const recent = this.diskVersions.get(absolute);
    if (recent && now - recent.at < 500) return recent.version;
    let version: string | undefined;
    try {
      const stat = fs.statSync(absolute);
      version = stat.isFile() ? `disk:${stat.mtimeMs}:${stat.size}` : undefined;
    } catch {
      version = undefined;
    }
    if (this.diskVersions.size > 5000) this.diskVersions.clear();
    this.diskVersions.set(absolute, { version, at: now });
    return version;
  }

  /** The files that make the project (a scan's files): where "who calls this function?" looks, across files. */
  setProjectFiles(files: readonly string[]): void {
    this.projectFiles = files.map((file) => path.resolve(file));
    this.importerIndex = undefined;
    this.importsOf = undefined;
    this.importerChanges++;
  }

  /** Changes whenever `importers` may answer differently (see ModuleHost.importersVersion). */
  importersVersion(): number {
    return this.importerChanges;
  }

  /** Whether the host was told the project's files (a scan, or the editor once it has listed the workspace). */
  knowsProjectFiles(): boolean {
    return this.projectFiles.length > 0;
  }

  /** The project files importing `fileName` by a relative path, an alias or a workspace package name (see ModuleHost.importers). */
  importers(fileName: string): readonly string[] {
    this.importerIndex ??= this.indexImporters();
    return this.importerIndex.get(path.resolve(fileName)) ?? [];
  }

  /** One pass over the project files' text: each import specifier resolved (a regular expression, not a parse: it only narrows the search). */
  private indexImporters(): Map<string, string[]> {
    const index = new Map<string, string[]>();
    this.importsOf = new Map();
    for (const file of this.projectFiles) this.indexFile(index, file);
    return index;
  }

  private indexFile(index: Map<string, string[]>, file: string): void {
    const text = this.currentText(file);
    if (text === undefined) return;
    const targets: string[] = [];
    for (const match of text.matchAll(IMPORT_SPECIFIER)) {
      const target = this.resolveImport(file, match[1] ?? match[2]);
      if (!target || target === file || targets.includes(target)) continue;
      targets.push(target);
      const importers = index.get(target);
      if (importers) importers.push(file);
      else index.set(target, [file]);
    }
    this.importsOf?.set(file, targets);
  }

  /** A file's imports again, once the index exists: its overlay's or, without one, the disk's (gone from the index when deleted). */
  private reindex(file: string): void {
    const index = this.importerIndex;
    if (!index || !this.importsOf) return;
    const before = this.importsOf.get(file) ?? [];
    for (const target of before) {
      const importers = index.get(target)?.filter((importer) => importer !== file);
      if (importers?.length) index.set(target, importers);
      else index.delete(target);
    }
    this.importsOf.delete(file);
    if (isAnalyzable(file)) this.indexFile(index, file);
    const after = this.importsOf.get(file) ?? [];
    if (after.length !== before.length || after.some((target, at) => target !== before[at])) this.importerChanges++;
  }

  /** A file's text as the project sees it: its overlay, else the disk's (undefined when it cannot be read). */
  private currentText(file: string): string | undefined {
    const overlay = this.overlays.get(file);
    if (overlay !== undefined) return overlay;
    const read = readRegularFile(file, { maxBytes: 1_000_000 });
    return 'refused' in read ? undefined : read.bytes.toString('utf8');
  }

  /**
   * Another project file's syntax tree, for facts that follow a call into it. Cached per version
   * (an edit in the editor or on disk makes a new tree); files over the size limit or that cannot
   * be read give undefined. Never asks for types.
   */
  moduleFile(fileName: string): ModuleFile | undefined {
    const absolute = path.resolve(fileName);
    const version = this.fileVersion(absolute);
    if (version === undefined) return undefined;
    const known = this.moduleFiles.get(absolute);
    if (known && known.version === version) {
      // Least recently used goes first: re-insert on use.
      this.moduleFiles.delete(absolute);
      this.moduleFiles.set(absolute, known);
      return known;
    }
    let text = this.overlays.get(absolute);
    if (text === undefined) {
      const read = readRegularFile(absolute, { maxBytes: 1_000_000 });
      if ('refused' in read) return undefined;
      text = read.bytes.toString('utf8');
    }
    let sourceFile: ts.SourceFile;
    try {
      sourceFile = parseText(absolute, text);
    } catch {
      // A file the parser gives up on cannot be followed into; analysing it says why.
      return undefined;
    }
    const file: ModuleFile = { fileName: absolute, text, version, sourceFile };
    this.moduleFiles.delete(absolute);
    this.moduleFiles.set(absolute, file);
    if (this.moduleFiles.size > MODULE_FILE_LIMIT) this.moduleFiles.delete(this.moduleFiles.keys().next().value!);
    return file;
  }

  /**
   * The project file an import names: a relative path (`./users`, `../db/index.js`), a workspace
   * package's file or a tsconfig `paths`/`baseUrl` alias (workspace.ts), else an `@/`/`~/` alias for
   * the project's `src/`; undefined for other packages and unresolved paths. Misses are re-checked
   * after two seconds (a file may be created meanwhile).
   */
  resolveImport(fromFile: string, specifier: string): string | undefined {
    const from = path.dirname(path.resolve(fromFile));
    const key = `${from}\0${specifier}`;
    const cached = this.resolutions.get(key);
    const now = Date.now();
    if (cached && (cached.file !== undefined ? this.fileVersion(cached.file) !== undefined : now - cached.at < 2000)) return cached.file;
    const file = this.resolveUncached(from, specifier);
    this.resolutions.set(key, { file, at: now });
    return file;
  }

  private resolveUncached(fromDirectory: string, specifier: string): string | undefined {
    let base: string | undefined;
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..')
      base = path.resolve(fromDirectory, specifier);
    else {
      // A workspace package (`@repo/db`) or a tsconfig `paths`/`baseUrl` alias, by TypeScript's resolution.
      const resolved = this.workspaces.resolve(fromDirectory, specifier);
      if (resolved !== undefined || !/^[@~]\//.test(specifier)) return resolved;
      // `@/lib/db` and `~/lib/db`: the `src/` (or project root) of the nearest tsconfig/jsconfig.
      const config = this.findConfig(path.join(fromDirectory, 'x.ts'));
      if (!config) return undefined;
      const root = path.dirname(config);
      const rest = specifier.slice(2);
      const inSrc = path.join(root, 'src', rest);
      base = this.probe(inSrc) ? inSrc : path.join(root, rest);
    }
    if (base === undefined) return undefined;
    return this.probe(base);
  }

  /** A project file at `base`, with one of the analysed extensions added, or a folder's index; undefined when none is there. */
  probe(base: string): string | undefined {
    const exists = (candidate: string): boolean =>
      this.overlays.has(candidate) || (fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    if (path.extname(base) && exists(base) && isAnalyzable(base)) return base;
    // `./users.js` written for a `./users.ts` source (Node16/NodeNext style).
    const withoutJs = base.replace(/\.(c|m)?jsx?$/, '');
    for (const stem of withoutJs !== base ? [withoutJs, base] : [base]) {
      for (const extension of RESOLVE_EXTENSIONS) if (exists(stem + extension)) return stem + extension;
    }
    for (const extension of RESOLVE_EXTENSIONS) {
      const index = path.join(base, `index${extension}`);
      if (exists(index)) return index;
    }
    return undefined;
  }

  /**
   * The nearest package.json at or above `fileName`'s folder, parsed — an editor's unsaved text wins over the disk —
   * and re-read only when its text changes (one stat per folder up, remembered half a second: fileVersion).
   * Undefined when there is none; `manifest` null when it cannot be read (over 1 MB, not JSON).
   */
  nearestManifest(fileName: string): PackageManifest | undefined {
    for (let dir = path.dirname(path.resolve(fileName)); ;) {
      const file = path.join(dir, 'package.json');
      const version = this.fileVersion(file);
      if (version !== undefined) {
        let known = this.manifestCache.get(file);
        if (known?.version !== version) {
          known = { version, manifest: parseManifest(this.overlays.get(file) ?? readManifestText(file)) };
          if (this.manifestCache.size > 2000) this.manifestCache.clear();
          this.manifestCache.set(file, known);
        }
        return { fileName: file, manifest: known.manifest };
      }
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }

  /** Forget a file's syntax and types (closed in the editor, deleted on disk). */
  forget(fileName: string): void {
    const absolute = path.resolve(fileName);
    this.overlays.delete(absolute);
    this.lastTrees.delete(absolute);
    this.moduleFiles.delete(absolute);
    this.diskVersions.delete(absolute);
    this.reindex(absolute);
    for (const project of this.projects.values()) {
      const sourceFile = project.getSourceFile(absolute);
      if (sourceFile) project.removeSourceFile(sourceFile);
    }
  }

  private projectFor(fileName: string): Project {
    const config = this.findConfig(fileName) ?? '';
    let project = this.projects.get(config);
    if (project) return project;
    const common = { skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true } as const;
    if (config) {
      try {
        project = new Project({ ...common, tsConfigFilePath: config, compilerOptions: { allowJs: true, noEmit: true } });
      } catch (error) {
        this.note(`PerfLens could not read ${config} (${(error as Error).message.split('\n')[0]}); using default compiler options.`);
      }
    }
    project ??= new Project({ ...common, compilerOptions: LOOSE_COMPILER_OPTIONS });
    this.projects.set(config, project);
    return project;
  }

  private note(message: string): void {
    if (this.notes.has(message)) return;
    this.notes.add(message);
    this.options.onNote?.(message);
  }
}

function readManifestText(file: string): string | undefined {
  const read = readRegularFile(file, { maxBytes: 1_000_000 });
  return 'refused' in read ? undefined : read.bytes.toString('utf8');
}

function parseManifest(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
