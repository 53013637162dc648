/**
 * Imports that name a project file without a relative path: a package of the same monorepo
 * (`@documenso/lib/server-only/user`, `@repo/db`) and a tsconfig `paths` alias (`~/lib/x`,
 * `@/utils/y`, `@dokploy/server/*`). TypeScript's own module resolution answers, over a host that
 * shows each workspace package inside `node_modules` of the workspace root, as npm, yarn and pnpm
 * link them: `exports` (with the bundler/import conditions), `main`, `types`, subpaths and the
 * tsconfig's `paths`/`baseUrl` (through `extends` chains) all follow TypeScript's rules, and the
 * monorepo needs no `node_modules` installed.
 *
 * Only specifiers that can be project files are resolved: the name of a workspace package, or one a
 * `paths` pattern of the nearest tsconfig matches. Any other bare import (`react`, `@prisma/client`)
 * is a package and costs one map lookup.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile } from '../io/regularFile';
import { ts } from './ts';

/** What resolution needs from the project host. */
export interface WorkspaceHost {
  /** The nearest tsconfig.json/jsconfig.json above a file. */
  findConfig(fileName: string): string | undefined;
  /** A project file for a path written without its extension (or a folder's index), or undefined. */
  probe(base: string): string | undefined;
  /** The version of a file on disk (undefined when it does not exist): cached answers are checked against it. */
  fileVersion(fileName: string): string | undefined;
}

interface Workspace {
  root: string;
  /** Package name → its folder. */
  packages: ReadonlyMap<string, string>;
  /** `<root>/node_modules/<scope>` folders the packages' names make. */
  scopes: ReadonlySet<string>;
  /** What the answer was read from, with their versions (a changed manifest re-reads it). */
  sources: ReadonlyMap<string, string | undefined>;
  /** When the sources' versions were last compared (at most every two seconds: a monorepo has dozens). */
  checkedAt: number;
}

interface ParsedConfig {
  options: ts.CompilerOptions;
  /** The `paths` patterns, split at their `*`. */
  patterns: ReadonlyArray<{ prefix: string; suffix: string | undefined }>;
  version: string | undefined;
}

const MANIFEST_LIMIT = { maxBytes: 1_000_000 };
/** Keys of the resolution caches for a file with no tsconfig, outside a monorepo. */
const LOOSE: ts.CompilerOptions = {};
const NO_WORKSPACE: Workspace = { root: '', packages: new Map(), scopes: new Set(), sources: new Map(), checkedAt: 0 };
/** How deep a `**` of a workspace pattern looks for packages. */
const MAX_GLOB_DEPTH = 4;

function readText(file: string): string | undefined {
  const read = readRegularFile(file, MANIFEST_LIMIT);
  return 'refused' in read ? undefined : read.bytes.toString('utf8');
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`; a relative or absolute path → undefined. */
function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#')) return undefined;
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.length >= 2 && parts[1] ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] || undefined;
}

/** The package folders a `workspaces` list (package.json) or `packages:` list (pnpm-workspace.yaml) names. */
function workspaceGlobs(root: string): { globs: string[]; sources: string[] } | undefined {
  const pnpm = path.join(root, 'pnpm-workspace.yaml');
  const pnpmText = readText(pnpm);
  if (pnpmText !== undefined) return { globs: pnpmPackages(pnpmText), sources: [pnpm] };
  const manifest = path.join(root, 'package.json');
  const text = readText(manifest);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const workspaces = (json as { workspaces?: unknown }).workspaces;
  const list = Array.isArray(workspaces) ? workspaces : (workspaces as { packages?: unknown } | undefined)?.packages;
  if (!Array.isArray(list)) return undefined;
  return { globs: list.filter((item): item is string => typeof item === 'string'), sources: [manifest] };
}

/**
 * The items of the top-level `packages:` list of a pnpm-workspace.yaml (block or flow style).
 * @internal exported for test/analyzers/workspace.test.ts
 */
export function pnpmPackages(text: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (!line.trim()) continue;
    if (/^\S/.test(line)) {
      const flow = /^packages\s*:\s*\[(.*)\]\s*$/.exec(line);
      if (flow) return flow[1].split(',').map(unquote).filter(Boolean);
      inPackages = /^packages\s*:\s*$/.test(line);
      continue;
    }
    const item = inPackages ? /^\s+-\s*(.+)$/.exec(line) : null;
    if (item) globs.push(unquote(item[1]));
  }
  return globs.filter(Boolean);
}

function unquote(text: string): string {
  return text.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** The folders a workspace glob (`apps/*`, `packages/**`, `tools/cli`) matches; `!` exclusions are applied by the caller. */
function expandGlob(root: string, glob: string): string[] {
  const segments = glob.replace(/^\.\//, '').replace(/\/+$/, '').split('/').filter(Boolean);
  let folders = [root];
  for (const segment of segments) {
    const next: string[] = [];
    for (const folder of folders) {
      if (segment === '**') {
        next.push(folder, ...subfolders(folder, MAX_GLOB_DEPTH));
      } else if (segment.includes('*')) {
        const pattern = new RegExp(`^${segment.split('*').map(escapeRegExp).join('[^/]*')}$`);
        next.push(...subfolders(folder, 1).filter((child) => pattern.test(path.basename(child))));
      } else {
        const child = path.join(folder, segment);
        if (isDirectory(child)) next.push(child);
      }
    }
    folders = next;
  }
  return folders;
}

function subfolders(folder: string, depth: number): string[] {
  if (depth <= 0) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const child = path.join(folder, entry.name);
    found.push(child, ...subfolders(child, depth - 1));
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Monorepo packages and tsconfig aliases, resolved with TypeScript's module resolution. */
export class WorkspaceResolver {
  /** Directory → the workspace root above it (null: none). */
  private readonly rootByDirectory = new Map<string, string | null>();
  private readonly workspaces = new Map<string, Workspace>();
  private readonly configs = new Map<string, ParsedConfig>();
  private readonly caches = new WeakMap<ts.CompilerOptions, WeakMap<Workspace, ts.ModuleResolutionCache>>();
  /** Answers per tsconfig, workspace and specifier; a miss is asked again after two seconds, as the host's own. */
  private readonly answers = new Map<string, { file: string | undefined; at: number }>();

  constructor(private readonly host: WorkspaceHost) {}

  /**
   * The project file `specifier` (not relative) names from a file in `fromDirectory`, when it is a
   * workspace package's file or a `paths` alias; undefined for every other package.
   */
  resolve(fromDirectory: string, specifier: string): string | undefined {
    const configFile = this.host.findConfig(path.join(fromDirectory, 'x.ts'));
    const config = configFile ? this.parsedConfig(configFile) : undefined;
    const aliased = config?.patterns.some(({ prefix, suffix }) =>
      suffix === undefined ? specifier === prefix : specifier.startsWith(prefix) && specifier.endsWith(suffix),
    );
    const workspace = this.workspaceAbove(fromDirectory);
    const name = packageNameOf(specifier);
    const folder = name !== undefined ? workspace?.packages.get(name) : undefined;
    if (!aliased && folder === undefined) {
      // `baseUrl` alone: `lib/db` is `<baseUrl>/lib/db` when that file is there (else it is a package).
      const baseUrl = config?.options.baseUrl;
      return baseUrl !== undefined && name !== undefined ? this.host.probe(path.join(baseUrl, specifier)) : undefined;
    }
    // The answer depends on the tsconfig and the workspace, not on the folder: packages are linked at the root.
    const key = `${configFile ?? ''}\0${workspace?.root ?? fromDirectory}\0${specifier}`;
    const cached = this.answers.get(key);
    const now = Date.now();
    if (cached && (cached.file !== undefined ? this.host.fileVersion(cached.file) !== undefined : now - cached.at < 2000))
      return cached.file;
    const file = this.resolveUncached(fromDirectory, specifier, name, folder, config?.options, workspace);
    this.answers.set(key, { file, at: now });
    return file;
  }

  private resolveUncached(
    fromDirectory: string,
    specifier: string,
    name: string | undefined,
    folder: string | undefined,
    options: ts.CompilerOptions | undefined,
    workspace: Workspace | undefined,
  ): string | undefined {
    const resolved = this.resolveWithTypeScript(fromDirectory, specifier, options, workspace);
    if (resolved) return resolved;
    // A package whose `exports`/`main` name a build output that is not there: its source, by the subpath.
    if (folder !== undefined && name !== undefined) {
      const subpath = specifier.slice(name.length + 1);
      if (subpath) return this.host.probe(path.join(folder, subpath)) ?? this.host.probe(path.join(folder, 'src', subpath));
      return this.host.probe(path.join(folder, 'index')) ?? this.host.probe(path.join(folder, 'src', 'index'));
    }
    return undefined;
  }

  private resolveWithTypeScript(
    fromDirectory: string,
    specifier: string,
    configOptions: ts.CompilerOptions | undefined,
    workspace: Workspace | undefined,
  ): string | undefined {
    const options: ts.CompilerOptions = {
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      module: ts.ModuleKind.ESNext,
      ...configOptions,
      allowJs: true,
      noEmit: true,
    };
    const linked = workspace ? (file: string) => this.linkedPath(file, workspace) : (file: string) => file;
    const resolutionHost: ts.ModuleResolutionHost = {
      fileExists: (file) => {
        try {
          return fs.statSync(linked(file)).isFile();
        } catch {
          return false;
        }
      },
      readFile: (file) => readText(linked(file)),
      directoryExists: (folder) => {
        if (workspace && (folder === path.join(workspace.root, 'node_modules') || workspace.scopes.has(folder))) return true;
        return isDirectory(linked(folder));
      },
      realpath: (file) => {
        const real = linked(file);
        try {
          return fs.realpathSync(real);
        } catch {
          return real;
        }
      },
      getCurrentDirectory: () => fromDirectory,
    };
    let resolved: string | undefined;
    try {
      resolved = ts.resolveModuleName(
        specifier,
        path.join(fromDirectory, '__perflens__.ts'),
        options,
        resolutionHost,
        this.resolutionCache(configOptions, workspace),
      ).resolvedModule?.resolvedFileName;
    } catch {
      return undefined;
    }
    if (!resolved) return undefined;
    resolved = path.resolve(resolved);
    // A declaration file stands for its source next to it (`index.d.ts` → `index.ts`/`index.js`).
    if (/\.d\.[mc]?ts$/.test(resolved)) return this.host.probe(resolved.replace(/\.d\.([mc]?)ts$/, ''));
    if (/[\\/]node_modules[\\/]/.test(resolved)) return undefined;
    return resolved;
  }

  /**
   * TypeScript's cache of package.json files and folder answers, one per tsconfig and workspace: a changed workspace
   * manifest (a new Workspace) or tsconfig (new options) starts a new one.
   */
  private resolutionCache(options: ts.CompilerOptions | undefined, workspace: Workspace | undefined): ts.ModuleResolutionCache {
    const key = options ?? LOOSE;
    let perWorkspace = this.caches.get(key);
    if (!perWorkspace) {
      perWorkspace = new WeakMap();
      this.caches.set(key, perWorkspace);
    }
    const holder = workspace ?? NO_WORKSPACE;
    let cache = perWorkspace.get(holder);
    if (!cache) {
      cache = ts.createModuleResolutionCache(holder.root || '/', (file) => file, options);
      perWorkspace.set(holder, cache);
    }
    return cache;
  }

  /** A path under `<root>/node_modules/<workspace package>` is that package's folder, as a link would make it. */
  private linkedPath(file: string, workspace: Workspace): string {
    const modules = path.join(workspace.root, 'node_modules') + path.sep;
    if (!file.startsWith(modules)) return file;
    const rest = file.slice(modules.length).split(path.sep);
    const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0];
    const folder = name !== undefined ? workspace.packages.get(name) : undefined;
    if (folder === undefined) return file;
    return path.join(folder, ...rest.slice(name.startsWith('@') ? 2 : 1));
  }

  private workspaceAbove(fromDirectory: string): Workspace | undefined {
    const visited: string[] = [];
    let directory = fromDirectory;
    let root: string | null | undefined;
    for (;;) {
      root = this.rootByDirectory.get(directory);
      if (root !== undefined) break;
      visited.push(directory);
      if (path.basename(directory) === 'node_modules') {
        root = null;
        break;
      }
      if (workspaceGlobs(directory)) {
        root = directory;
        break;
      }
      const parent = path.dirname(directory);
      if (parent === directory) {
        root = null;
        break;
      }
      directory = parent;
    }
    for (const dir of visited) this.rootByDirectory.set(dir, root);
    return root === null ? undefined : this.workspaceAt(root);
  }

  private workspaceAt(root: string): Workspace | undefined {
    const known = this.workspaces.get(root);
    const now = Date.now();
    if (known && now - known.checkedAt < 2000) return known;
    if (known && [...known.sources].every(([file, version]) => this.host.fileVersion(file) === version)) {
      known.checkedAt = now;
      return known;
    }
    const globs = workspaceGlobs(root);
    if (!globs) return undefined;
    const sources = new Map<string, string | undefined>(globs.sources.map((file) => [file, this.host.fileVersion(file)]));
    const excluded = globs.globs.filter((glob) => glob.startsWith('!')).flatMap((glob) => expandGlob(root, glob.slice(1)));
    const packages = new Map<string, string>();
    const scopes = new Set<string>();
    for (const glob of globs.globs) {
      if (glob.startsWith('!')) continue;
      for (const folder of expandGlob(root, glob)) {
        if (excluded.includes(folder)) continue;
        const manifest = path.join(folder, 'package.json');
        const text = readText(manifest);
        if (text === undefined) continue;
        sources.set(manifest, this.host.fileVersion(manifest));
        let name: unknown;
        try {
          name = (JSON.parse(text) as { name?: unknown }).name;
        } catch {
          continue;
        }
        if (typeof name !== 'string' || !name || packages.has(name)) continue;
        packages.set(name, folder);
        if (name.startsWith('@')) scopes.add(path.join(root, 'node_modules', name.split('/')[0]));
      }
    }
    const workspace: Workspace = { root, packages, scopes, sources, checkedAt: now };
    this.workspaces.set(root, workspace);
    return workspace;
  }

  /** A tsconfig's compiler options with its `extends` chain applied (files are not listed: only options are needed). */
  private parsedConfig(configFile: string): ParsedConfig | undefined {
    const version = this.host.fileVersion(configFile);
    const known = this.configs.get(configFile);
    if (known && known.version === version) return known;
    const text = readText(configFile);
    if (text === undefined) return undefined;
    const json = ts.parseConfigFileTextToJson(configFile, text);
    if (json.error || typeof json.config !== 'object' || json.config === null) return undefined;
    const directory = path.dirname(configFile);
    const workspace = this.workspaceAbove(directory);
    const linked = (file: string) => (workspace ? this.linkedPath(file, workspace) : file);
    let options: ts.CompilerOptions;
    try {
      options = ts.parseJsonConfigFileContent(
        json.config,
        {
          useCaseSensitiveFileNames: true,
          // Only the options are wanted: listing the project's files would read every folder.
          readDirectory: () => [],
          fileExists: (file) => fs.existsSync(linked(file)),
          readFile: (file) => readText(linked(file)),
        },
        directory,
        undefined,
        configFile,
      ).options;
    } catch {
      return undefined;
    }
    const patterns = Object.keys(options.paths ?? {}).map((key) => {
      const star = key.indexOf('*');
      return star < 0 ? { prefix: key, suffix: undefined } : { prefix: key.slice(0, star), suffix: key.slice(star + 1) };
    });
    const parsed: ParsedConfig = { options, patterns, version };
    this.configs.set(configFile, parsed);
    return parsed;
  }
}
