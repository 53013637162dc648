import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, isFunctionLike, receiverOf, skipParens, type FunctionLike } from '../../facts/ast';
import { lookup } from '../../facts/dataflow';
import type { FileFacts } from '../../facts/fileFacts';
import { isPromiseCombinator } from '../../facts/perItem';
import { compact } from '../../facts/phrases';

export default defineRule({
  meta: {
    id: 'unbounded-promise-all',
    category: 'concurrency',
    description: '`Promise.all(items.map(…))` that opens a file or starts a child process for every item at once, with no limit.',
    why:
      'Every item starts its work in the same tick. With 10,000 files that is 10,000 open file descriptors — past the default ' +
      'limit of 1,024, so reads fail with EMFILE — and 10,000 buffers in memory at once; with child processes it is 10,000 processes ' +
      'fighting for the CPU. libuv only runs four file operations at a time anyway, so the flood buys no speed, only risk.',
    howToFix:
      'Cap the concurrency: `const limit = pLimit(16); await Promise.all(files.map((f) => limit(() => readFile(f))))`, ' +
      'or `p-map` with `{ concurrency: 16 }`, or process the list in chunks. Database queries and HTTP requests per ' +
      'item are reported by query-in-loop and request-in-loop.',
    notReported: ['Literal lists', 'Chunks (`chunk(files, 50)`) and slices (`files.slice(0, 10)`)', 'Calls already inside a limiter'],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'items',
      why: 'every item opens a file or starts a process at once: the harm grows with the items',
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'migrations', 'build-config', 'tool-packages'] },
    rewrites: {
      except: {
        rename: "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) valid example 3 is reported",
      },
    },
    messages: {
      unbounded: {
        message:
          '{{combinator}} starts {{operation}} for every item of {{collection}} at once, with no limit: a long list ' +
          'exhausts file descriptors (EMFILE) or processes and memory.',
        note: 'Cap concurrency with p-limit or p-map ({ concurrency: 16 }).',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { readFile } from 'node:fs/promises';

export async function loadAll(paths: string[]) {
  return Promise.all(paths.map((path) => readFile(path, 'utf8')));
}`,
          errors: [{ messageId: 'unbounded', line: 4, column: 10 }],
        },
        {
          code: `import fs from 'node:fs';
import path from 'node:path';

export async function copyUploads(dir: string, target: string) {
  const names = await fs.promises.readdir(dir);
  await Promise.all(names.map(async (name) => {
    await fs.promises.copyFile(path.join(dir, name), path.join(target, name));
  }));
}`,
          errors: [{ messageId: 'unbounded', line: 6, column: 9 }],
        },
        {
          code: `import { promisify } from 'node:util';
import { execFile } from 'node:child_process';

const run = promisify(execFile);

export function thumbnails(images: string[]) {
  return Promise.allSettled(images.map((image) => run('convert', [image, '-resize', '200x200', image + '.thumb.png'])));
}`,
          errors: [{ messageId: 'unbounded', line: 7, column: 10 }],
        },
      ],
      valid: [
        `import pLimit from 'p-limit';
import { readFile } from 'node:fs/promises';

const limit = pLimit(16);
export function loadAll(paths: string[]) {
  return Promise.all(paths.map((path) => limit(() => readFile(path, 'utf8'))));
}`,
        `import { readFile } from 'node:fs/promises';

// Two known files: a fixed, small count.
export function loadConfig() {
  return Promise.all(['app.json', 'secrets.json'].map((name) => readFile(name, 'utf8')));
}`,
        `import { stat } from 'node:fs/promises';

// stat holds no file descriptor.
export function sizes(paths: string[]) {
  return Promise.all(paths.map(async (path) => (await stat(path)).size));
}`,
        `import { readFile } from 'node:fs/promises';

export async function loadAll(paths: string[]) {
  const out = [];
  for (const part of chunk(paths, 50)) out.push(...(await Promise.all(part.map((path) => readFile(path)))));
  return out;
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        if (!isPromiseCombinator(call) || !/^(all|allSettled)$/.test(calleeName(call) ?? '')) return;
        const mapped = call.arguments[0] ? skipParens(call.arguments[0]) : undefined;
        if (!mapped || !ts.isCallExpression(mapped) || !/^(map|flatMap)$/.test(calleeName(mapped) ?? '')) return;
        const collection = receiverOf(mapped);
        const callback = mapped.arguments[0] ? skipParens(mapped.arguments[0]) : undefined;
        if (!collection || !callback || !isFunctionLike(callback)) return;
        if (isBounded(collection)) return;
        const operation = heavyOperation(callback, file);
        if (!operation) return;
        context.report({
          node: call,
          messageId: 'unbounded',
          data: { combinator: `Promise.${calleeName(call)}`, operation, collection: `\`${compact(file.textOf(collection), 40)}\`` },
          // Every item starts at once: how many items there can be is the evidence.
          evidence: { collection },
        });
      },
    };
  },
});

/** A literal list, a slice with a constant end, a chunk or page: a known, small count. */
function isBounded(collection: ts.Expression): boolean {
  const inner = skipParens(collection);
  if (ts.isArrayLiteralExpression(inner)) return !inner.elements.some(ts.isSpreadElement);
  if (ts.isIdentifier(inner) && /chunk|batch|page|part|slice/i.test(inner.text)) return true;
  if (ts.isCallExpression(inner)) {
    const name = calleeName(inner);
    if (name === 'slice' && inner.arguments.length === 2 && ts.isNumericLiteral(skipParens(inner.arguments[1]))) return true;
    if (name && /chunk|batch|page|take/i.test(name)) return true;
    const receiver = receiverOf(inner);
    if (receiver && name && /^(filter|map|sort|toSorted|reverse)$/.test(name)) return isBounded(receiver);
  }
  return false;
}

const FILE_OPENERS = new Set([
  'readFile',
  'writeFile',
  'appendFile',
  'open',
  'copyFile',
  'cp',
  'createReadStream',
  'createWriteStream',
  'readJson',
  'writeJson',
  'outputFile',
  'readJSON',
  'copy',
]);
const PROCESS_STARTERS = new Set(['exec', 'execFile', 'spawn', 'fork', 'execa', 'execaCommand']);
const FS_MODULES = /^(fs|fs\/promises|fs-extra|graceful-fs|node:fs|node:fs\/promises)$/;
const PROCESS_MODULES = /^(child_process|execa)$/;

/**
 * What the callback starts per item that holds an OS resource: a file opened through fs (its
 * promise API, fs-extra), or a child process (child_process, promisified, execa). Work inside a
 * limiter (`limit(() => …)`) does not count.
 */
function heavyOperation(fn: FunctionLike, file: FileFacts): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isFunctionLike(node) && node !== fn) {
      // limit(() => readFile(f)), queue.add(() => …): bounded by the limiter.
      return;
    }
    if (ts.isCallExpression(node)) {
      const name = promisifiedName(node) ?? calleeName(node);
      if (name && (FILE_OPENERS.has(name) || PROCESS_STARTERS.has(name)) && fromModule(node, file, name)) {
        found = `${FILE_OPENERS.has(name) ? 'a file' : 'a child process'} (${compact(file.textOf(node.expression), 32)})`;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** `run(…)` with `const run = promisify(execFile)`: `execFile`. */
function promisifiedName(call: ts.CallExpression): string | undefined {
  const callee = skipParens(call.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const init = lookup(callee.text, callee)?.initializer;
  const inner = init ? skipParens(init) : undefined;
  if (!inner || !ts.isCallExpression(inner) || calleeName(inner) !== 'promisify' || !inner.arguments[0]) return undefined;
  const wrapped = skipParens(inner.arguments[0]);
  return ts.isIdentifier(wrapped) ? wrapped.text : ts.isPropertyAccessExpression(wrapped) ? wrapped.name.text : undefined;
}

/** True when the called function comes from fs or child_process (directly, as `fs.promises.x`, or through `promisify(x)`). */
function fromModule(call: ts.CallExpression, file: FileFacts, name: string): boolean {
  const callee = skipParens(call.expression);
  let root: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(root)) root = skipParens(root.expression);
  if (!ts.isIdentifier(root)) return false;
  const origin = file.originOf(root.text, call);
  if (origin && origin.instanceOf !== 'promisify') {
    if (FILE_OPENERS.has(name))
      return (
        FS_MODULES.test(origin.module) &&
        !(
          ts.isIdentifier(callee) &&
          origin.imported !== name &&
          origin.imported !== '*' &&
          origin.imported !== 'default' &&
          origin.imported !== 'promises'
        )
      );
    return PROCESS_MODULES.test(origin.module);
  }
  // const run = promisify(execFile) / const readFileAsync = util.promisify(fs.readFile)
  if (!ts.isIdentifier(callee)) return false;
  const declaration = lookup(callee.text, callee);
  const init = declaration?.initializer ? skipParens(declaration.initializer) : undefined;
  if (!init || !ts.isCallExpression(init) || calleeName(init) !== 'promisify' || !init.arguments[0]) return false;
  const wrapped = skipParens(init.arguments[0]);
  const wrappedRoot = ts.isPropertyAccessExpression(wrapped) ? skipParens(wrapped.expression) : wrapped;
  if (!ts.isIdentifier(wrappedRoot)) return false;
  const wrappedOrigin = file.originOf(wrappedRoot.text, init);
  return !!wrappedOrigin && (FS_MODULES.test(wrappedOrigin.module) || PROCESS_MODULES.test(wrappedOrigin.module));
}
