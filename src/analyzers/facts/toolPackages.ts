/**
 * What the nearest package.json says about a file: is it part of a command-line or build tool,
 * and which version of a dependency it declares. Read through src/io/regularFile.ts (a regular
 * file of at most 1 MB) and remembered per folder.
 */
import { readRegularFile } from '../../io/regularFile';

/** Web frameworks and servers: a package that depends on one is a server, even when it also ships a `bin` to start it. */
const SERVER_DEPENDENCIES =
  /^(express|koa|fastify|@nestjs\/core|@hapi\/hapi|hapi|next|nuxt|@sveltejs\/kit|h3|hono|restify|polka|@remix-run\/node|@remix-run\/server-runtime|graphql-yoga|@apollo\/server|apollo-server.*|@medusajs\/framework|@strapi\/strapi|@adonisjs\/core|feathers|@feathersjs\/feathers|sails|loopback|@loopback\/core|micro)$/;

/**
 * True when `fileName` belongs to a command-line or build tool: the nearest package.json declares a `bin`
 * or depends on a bundler, and depends on no web framework (a server that ships a `bin` to start it is
 * still a server).
 * Test runners, linters, bundlers and project generators block on purpose or where nobody waits.
 * Read once per directory.
 */
export function isToolPackageFile(fileName: string): boolean {
  const manifest = nearestManifest(fileName);
  return manifest !== null && isToolManifest(manifest);
}

/** The parsed manifest, null when it exists but cannot be read (or is no regular file, or over 1 MB), undefined when there is none. */
function readManifest(file: string): Record<string, unknown> | null | undefined {
  const read = readRegularFile(file, { maxBytes: MAX_MANIFEST_BYTES });
  if ('refused' in read) return read.refused.kind === 'missing' ? undefined : null;
  try {
    return JSON.parse(read.bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Bundlers and dev servers: a package built on one is build tooling. */
const BUILD_TOOL_DEPENDENCIES = /^(vite|webpack|rollup|esbuild|tsup|parcel|@vitejs\/.*|@rollup\/.*|webpack-dev-server|expo|react-native)$/;

function isToolManifest(manifest: Record<string, unknown>): boolean {
  // A CLI or a project generator by name: `@medusajs/cli`, `medusa-cli`, `create-next-app`.
  const name = typeof manifest.name === 'string' ? manifest.name : '';
  if (/(^|[/-])cli$|^(@[\w.-]+\/)?create-/.test(name) && manifest.bin) return true;
  const bin = manifest.bin;
  const hasBin = !!bin && !(typeof bin === 'object' && Object.keys(bin).length === 0);
  const dependencies = dependencyNames(manifest);
  if (dependencies.some((name) => SERVER_DEPENDENCIES.test(name))) return false;
  return hasBin || dependencies.some((name) => BUILD_TOOL_DEPENDENCIES.test(name));
}

/** The packages a manifest depends on at run time: its `dependencies` and `peerDependencies`. */
function dependencyNames(manifest: Record<string, unknown>): string[] {
  return Object.keys({
    ...(manifest.dependencies as Record<string, string> | undefined),
    ...(manifest.peerDependencies as Record<string, string> | undefined),
  });
}

/** Command-line argument parsers: a package built on one, and on no web framework, is a command-line tool. */
const ARGUMENT_PARSERS = /^(yargs|commander|cac|meow|clipanion|@oclif\/core|oclif|citty|sade|cmd-ts|@commander-js\/extra-typings)$/;

/**
 * What makes a package a command-line tool, whose code runs once per invocation: its manifest declares a `bin`,
 * or it depends on an argument parser (`yargs`, `commander`, …) — and it depends on no web framework (a server
 * that ships a `bin` to start it, or parses its start options, is still a server). Undefined when nothing does.
 */
export function commandLineEvidence(manifest: Record<string, unknown>): string | undefined {
  const dependencies = dependencyNames(manifest);
  if (dependencies.some((name) => SERVER_DEPENDENCIES.test(name))) return undefined;
  const bin = manifest.bin;
  if (typeof bin === 'string' ? bin !== '' : !!bin && typeof bin === 'object' && Object.keys(bin).length > 0) return 'declares a `bin`';
  const parser = dependencies.find((name) => ARGUMENT_PARSERS.test(name));
  return parser ? `depends on the argument parser ${parser}` : undefined;
}

const manifests = new Map<string, Record<string, unknown> | null>();

/** The nearest package.json above `fileName`, parsed; null when there is none or it cannot be read. */
function nearestManifest(fileName: string): Record<string, unknown> | null {
  let directory = fileName.replace(/\\/g, '/').replace(/\/[^/]*$/, '');
  const visited: string[] = [];
  let found: Record<string, unknown> | null = null;
  for (let guard = 0; guard < 40 && directory; guard++) {
    const known = manifests.get(directory);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(directory);
    const manifest = readManifest(`${directory}/package.json`);
    if (manifest !== undefined) {
      found = manifest;
      break;
    }
    const parent = directory.replace(/\/[^/]*$/, '');
    if (parent === directory) break;
    directory = parent;
  }
  for (const dir of visited) manifests.set(dir, found);
  if (manifests.size > 20_000) manifests.clear();
  return found;
}

/**
 * The lowest major version of `name` that the nearest package.json allows (`^5.1.0`, `~5.0.0`,
 * `5.x`, `>=5` → 5), or undefined when it does not declare it or the range is not one plain lower
 * bound (`*`, `latest`, `^4 || ^5`, a URL, a workspace link).
 */
export function declaredMajor(fileName: string, name: string): number | undefined {
  const manifest = nearestManifest(fileName);
  if (!manifest) return undefined;
  for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
    const deps = manifest[field];
    if (!deps || typeof deps !== 'object') continue;
    const range = (deps as Record<string, unknown>)[name];
    if (typeof range !== 'string') continue;
    const match = /^\s*(?:\^|~|>=|=)?\s*v?(\d+)(?:\.(?:\d+|x|\*)){0,2}\s*$/.exec(range);
    return match ? Number(match[1]) : undefined;
  }
  return undefined;
}
