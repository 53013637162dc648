/**
 * Blocking calls: which `*Sync` functions of Node's `fs`, `child_process`, `zlib` and `crypto`
 * a call resolves to (through its import), and how it is written without blocking.
 */
import { ts } from '../ts';
import { calleeName, enclosingFunction, isAsyncFunction, skipParens, skipParensUp } from './ast';
import type { FileFacts } from './fileFacts';
import type { TextEdit } from '../finding';

export type BlockingModule = 'fs' | 'child_process' | 'zlib' | 'crypto';

export interface SyncIoCall {
  call: ts.CallExpression;
  module: BlockingModule;
  /** `readFileSync` */
  name: string;
  /** How the call is written, for messages: `fs.readFileSync`. */
  display: string;
  /** The non-blocking form to recommend, for messages. */
  alternative: string;
}

/** Modules whose `*Sync` functions mirror `fs`. */
const FS_MODULES = new Set(['fs', 'fs-extra', 'graceful-fs']);

/** `fs` functions with an `fs.promises` twin of the same arguments and result. */
const FS_PROMISE_TWINS: ReadonlySet<string> = new Set([
  'readFile', 'writeFile', 'appendFile', 'readdir', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp',
  'access', 'chmod', 'chown', 'lchown', 'utimes', 'lutimes', 'symlink', 'link', 'readlink', 'realpath', 'truncate', 'opendir',
  'stat', 'lstat',
]);

const CRYPTO_BLOCKING: ReadonlySet<string> = new Set([
  'pbkdf2Sync', 'scryptSync', 'randomFillSync', 'generateKeyPairSync', 'generateKeySync', 'generatePrimeSync', 'checkPrimeSync', 'hkdfSync',
]);

const CHILD_PROCESS_BLOCKING: ReadonlySet<string> = new Set(['execSync', 'execFileSync', 'spawnSync']);

function moduleKind(module: string): BlockingModule | undefined {
  if (FS_MODULES.has(module)) return 'fs';
  if (module === 'child_process' || module === 'zlib' || module === 'crypto') return module;
  return undefined;
}

function isBlockingName(module: BlockingModule, name: string): boolean {
  if (!name.endsWith('Sync')) return false;
  if (module === 'crypto') return CRYPTO_BLOCKING.has(name);
  if (module === 'child_process') return CHILD_PROCESS_BLOCKING.has(name);
  return true;
}

function alternativeFor(module: BlockingModule, name: string): string {
  const base = name.slice(0, -'Sync'.length);
  switch (module) {
    case 'fs':
      if (name === 'existsSync') return 'await fs.promises.access(…) (or stat) in a try/catch';
      return FS_PROMISE_TWINS.has(base) ? `await fs.promises.${base}(…)` : `the callback or promise form fs.${base}(…)`;
    case 'child_process':
      return `the asynchronous ${base}(…) (util.promisify(${base}) to await it)`;
    case 'zlib':
      return `the streaming or callback form zlib.${base}(…) (util.promisify(zlib.${base}) to await it)`;
    case 'crypto':
      return `the callback form crypto.${base}(…) (util.promisify(crypto.${base}) to await it), which runs on the thread pool`;
  }
}

/** If `call` is a blocking `*Sync` call of a Node core module, describes it. */
export function syncIoCall(call: ts.CallExpression, facts: FileFacts): SyncIoCall | undefined {
  const name = calleeName(call);
  if (!name || !name.endsWith('Sync')) return undefined;
  const callee = skipParens(call.expression);
  let module: BlockingModule | undefined;
  let display = name;
  if (ts.isIdentifier(callee)) {
    // import { readFileSync } from 'fs'  /  const { execSync } = require('child_process')
    const origin = facts.originOf(callee.text, call);
    if (origin && origin.imported === name) module = moduleKind(origin.module);
  } else if (ts.isPropertyAccessExpression(callee)) {
    const receiver = skipParens(callee.expression);
    if (ts.isIdentifier(receiver)) {
      const origin = facts.originOf(receiver.text, call);
      if (origin && (origin.imported === '*' || origin.imported === 'default')) module = moduleKind(origin.module);
      display = `${receiver.text}.${name}`;
    } else if (ts.isCallExpression(receiver) && calleeName(receiver) === 'require' && receiver.arguments.length === 1) {
      // require('fs').readFileSync(...)
      const argument = receiver.arguments[0];
      if (ts.isStringLiteral(argument)) module = moduleKind(argument.text.replace(/^node:/, ''));
      display = `require(…).${name}`;
    }
  }
  if (!module || !isBlockingName(module, name)) return undefined;
  return { call, module, name, display, alternative: alternativeFor(module, name) };
}

/**
 * The edit that turns `fs.readFileSync(p)` into `(await fs.promises.readFile(p))`, when that
 * provably keeps behaviour: the call is directly inside an `async` function (so `await` is
 * legal and errors still throw at the same place), goes through a namespace/default import of
 * `fs` (whose `promises` twin takes the same arguments and gives the same result), and its
 * first argument is a path, not a file descriptor (fs.promises takes FileHandles, not numbers).
 */
export function awaitPromisesEdit(io: SyncIoCall, facts: FileFacts): TextEdit | undefined {
  if (io.module !== 'fs') return undefined;
  const base = io.name.slice(0, -'Sync'.length);
  if (!FS_PROMISE_TWINS.has(base)) return undefined;
  // statSync(p, { throwIfNoEntry: false }) returns undefined where fs.promises.stat rejects.
  if ((base === 'stat' || base === 'lstat') && io.call.arguments.length > 1) return undefined;
  const fn = enclosingFunction(io.call);
  if (!fn || !isAsyncFunction(fn)) return undefined;
  const callee = skipParens(io.call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(skipParens(callee.expression))) return undefined;
  if (callee.questionDotToken || io.call.questionDotToken) return undefined;
  const first = io.call.arguments[0];
  if (!first || !isPathArgument(first, facts)) return undefined;
  const receiver = facts.textOf(callee.expression);
  const args = facts.text.slice(io.call.arguments.pos, io.call.arguments.end);
  const awaited = `await ${receiver}.promises.${base}(${args})`;
  const outer = skipParensUp(io.call);
  const parent = outer.parent;
  const bare =
    outer !== io.call ||
    (parent && (ts.isExpressionStatement(parent) || (ts.isVariableDeclaration(parent) && parent.initializer === outer) || ts.isReturnStatement(parent)));
  return { start: facts.start(io.call), end: io.call.end, newText: bare ? awaited : `(${awaited})` };
}

/** A string, template, URL or path-building call — anything but a number (a file descriptor). */
function isPathArgument(argument: ts.Expression, facts: FileFacts): boolean {
  const inner = skipParens(argument);
  if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner)) return true;
  if (ts.isNewExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === 'URL') return true;
  if (ts.isCallExpression(inner)) {
    const name = calleeName(inner);
    if (name && ['join', 'resolve', 'normalize', 'relative', 'format', 'toString', 'fileURLToPath', 'tmpdir', 'homedir'].includes(name)) return true;
  }
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return isPathArgument(inner.left, facts) || isPathArgument(inner.right, facts);
  }
  if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) {
    if (/(^|[^a-z])fd$|^fd|descriptor/i.test(inner.getText(facts.sourceFile))) return false;
    const types = facts.types();
    const type = types?.typeOf(inner);
    if (type) {
      const flags = type.flags;
      if (flags & ts.TypeFlags.StringLike) return true;
      if (flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
      const text = types!.checker.typeToString(type);
      return text === 'URL' || text === 'PathLike' || text === 'Buffer';
    }
  }
  return false;
}
