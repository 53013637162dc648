import { ts } from '../../ts';
import { defineRule } from '../../rule';
import {
  calleeName,
  enclosingFunction,
  isFunctionLike,
  isWriteReference,
  receiverOf,
  skipParens,
  skipParensUp,
  type FunctionLike,
} from '../../facts/ast';
import { contains, isSharedOutsideFile, isValueReference, references, resolve, useOf, type Declaration } from '../../facts/dataflow';
import { constantValue } from '../../facts/constants';
import { compact } from '../../facts/phrases';

const SK = ts.SyntaxKind;

/** Methods that take entries out of a Map or Set, or empty it. */
const EVICTING_METHODS: ReadonlySet<string> = new Set(['delete', 'clear']);
/** Reading a cache: the check before computing. */
const READING_METHODS: ReadonlySet<string> = new Set(['get', 'has']);

type CacheKind = 'Map' | 'Set' | 'object';

export default defineRule({
  meta: {
    id: 'unbounded-cache',
    category: 'memory',
    description:
      'A module-level Map, Set or object that a request handler fills with an entry per distinct request value, never ' +
      'evicted: it grows for the life of the process.',
    why:
      'A module-level cache lives as long as the process. Filled with one entry per distinct input (a user id, a query ' +
      'string, a URL) and never emptied, it grows with every new value a long-running server ever sees — a slow leak ' +
      'that ends in an out-of-memory restart, and a cache that holds mostly entries no one will ask for again. ' +
      'Maintainers of real servers replaced such Maps with an LRU or removed them after exactly this.',
    howToFix:
      'Bound it: an LRU with a maximum size (`lru-cache`, or a Map whose oldest key — `cache.keys().next().value` — is ' +
      'deleted past a limit), a time to live, or a cache scoped to the request. Key object inputs with a `WeakMap`, ' +
      'which lets entries go with their keys.',
    notReported: [
      'Caches with a `delete`/`clear`, a size check or a reset anywhere in the file',
      'WeakMaps',
      'Registries filled by one function and read by another',
      'Caches keyed by anything but request data (file paths, selectors, locales: bounded by the program)',
    ],
    impact: 'medium',
    effort: 'medium',
    evidence: {
      basis: 'claim',
      why: 'a cache filled per distinct request value grows for the life of the process',
      everywhere: true,
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    messages: {
      grows: {
        message:
          '`{{cache}}` is a module-level {{kind}} that this request handler fills with one entry per distinct `{{key}}` — ' +
          'request data — and nothing ever evicts: it grows with every new value clients send, for the life of the process.',
        note: 'Bound it — an LRU with a maximum size, or a time to live.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import express from 'express';

const app = express();
const userCache = new Map<string, Promise<unknown>>();

app.get('/users/:id', async (req, res) => {
  let user = userCache.get(req.params.id);
  if (!user) {
    user = fetch('https://api.example.com/users/' + req.params.id).then((r) => r.json());
    userCache.set(req.params.id, user);
  }
  res.json(await user);
});`,
          errors: [{ messageId: 'grows', line: 10, column: 5 }],
        },
        {
          code: `import express from 'express';

const app = express();
const compiled: Record<string, RegExp> = {};

app.get('/search', (req, res) => {
  const q = String(req.query.q);
  const pattern = compiled[q] ?? (compiled[q] = new RegExp(q, 'i'));
  res.json(['alpha', 'beta'].filter((word) => pattern.test(word)));
});`,
          errors: [{ messageId: 'grows', line: 8, column: 35 }],
        },
      ],
      valid: [
        `// Keyed by what the program passes (patterns it defines), not by request data: bounded by the program.
const compiled: Record<string, RegExp> = {};
export function matcher(pattern: string) {
  if (compiled[pattern]) return compiled[pattern];
  return (compiled[pattern] = new RegExp(pattern));
}`,
        `// Bounded: the oldest entry goes past 500.
const userCache = new Map<string, unknown>();
export function remember(id: string, user: unknown) {
  if (userCache.has(id)) return userCache.get(id);
  if (userCache.size >= 500) userCache.delete(userCache.keys().next().value!);
  userCache.set(id, user);
  return user;
}`,
        `// A registry: filled by one function, read by another.
const plugins = new Map<string, () => void>();
export function register(name: string, plugin: () => void) {
  plugins.set(name, plugin);
}
export function run(name: string) {
  plugins.get(name)?.();
}`,
        `// A WeakMap lets entries go with their keys.
const sizes = new WeakMap<object, number>();
export function sizeOf(value: object) {
  if (!sizes.has(value)) sizes.set(value, JSON.stringify(value).length);
  return sizes.get(value);
}`,
        `// Scoped to one call.
export function dedupe(ids: string[]) {
  const seen = new Map<string, boolean>();
  for (const id of ids) if (!seen.has(id)) seen.set(id, true);
  return [...seen.keys()];
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const reported = new Set<Declaration>();
    // Names of module-level containers (`const cache = new Map()`): a write to any other name is skipped by a set lookup.
    const containers = moduleContainers(file.sourceFile);
    if (containers.size === 0) return {};

    const consider = (write: ts.Node, target: ts.Expression, key: ts.Expression): void => {
      const cacheName = skipParens(target);
      if (!ts.isIdentifier(cacheName) || !containers.has(cacheName.text)) return;
      const declaration = resolve(cacheName);
      if (!declaration || reported.has(declaration) || !ts.isSourceFile(declaration.scope)) return;
      const kind = cacheKind(declaration);
      if (!kind) return;
      const fn = enclosingFunction(write);
      if (!fn) return;
      if (constantValue(key) || !dependsOnCall(key)) return;
      // Keyed by request data: the key comes from what a request handler was given.
      const handler = file.requestHandler(write);
      if (!handler || !fromRequest(key, handler.fn)) return;
      if (isSharedOutsideFile(declaration)) return;
      if (!readInSameFunction(declaration, fn, write)) return;
      if (evictsOrResets(declaration)) return;
      reported.add(declaration);
      context.report({
        node: write,
        messageId: 'grows',
        data: {
          cache: declaration.name,
          kind: kind === 'object' ? 'object' : kind,
          fn: functionName(fn) ?? 'this function',
          key: compact(file.textOf(skipParens(key)), 30),
        },
      });
    };

    return {
      CallExpression(call) {
        const method = calleeName(call);
        if (method !== 'set' && method !== 'add') return;
        const receiver = receiverOf(call);
        if (!receiver || call.arguments.length === 0 || !ts.isIdentifier(skipParens(receiver))) return;
        consider(call, receiver, call.arguments[0]);
      },
      BinaryExpression(binary) {
        const op = binary.operatorToken.kind;
        if (op !== SK.EqualsToken && op !== SK.QuestionQuestionEqualsToken && op !== SK.BarBarEqualsToken) return;
        const target = skipParens(binary.left);
        if (!ts.isElementAccessExpression(target) || !ts.isIdentifier(skipParens(target.expression))) return;
        consider(binary, target.expression, target.argumentExpression);
      },
    };
  },
});

/** Names declared at module level with a fresh, empty Map, Set or object. */
function moduleContainers(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const init = skipParens(declaration.initializer);
      const empty =
        (ts.isNewExpression(init) &&
          ts.isIdentifier(init.expression) &&
          (init.expression.text === 'Map' || init.expression.text === 'Set')) ||
        (ts.isObjectLiteralExpression(init) && init.properties.length === 0) ||
        (ts.isCallExpression(init) &&
          calleeName(init) === 'create' &&
          init.arguments.length === 1 &&
          init.arguments[0].kind === SK.NullKeyword);
      if (empty) names.add(declaration.name.text);
    }
  }
  return names;
}

/** `new Map()`, `new Set()`, `{}`, `Object.create(null)` — a fresh, empty container (not a WeakMap). */
function cacheKind(declaration: Declaration): CacheKind | undefined {
  if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return undefined;
  const init = declaration.initializer && skipParens(declaration.initializer);
  if (!init) return undefined;
  if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && !resolve(init.expression)) {
    if (init.expression.text === 'Map') return 'Map';
    if (init.expression.text === 'Set') return 'Set';
    return undefined;
  }
  if (ts.isObjectLiteralExpression(init) && init.properties.length === 0) return 'object';
  if (
    ts.isCallExpression(init) &&
    calleeName(init) === 'create' &&
    init.arguments.length === 1 &&
    init.arguments[0].kind === SK.NullKeyword
  )
    return 'object';
  return undefined;
}

/** The key comes from the call: it reads a parameter or a local of the function (or of one around it). */
function dependsOnCall(key: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      if (!isValueReference(node)) return;
      const declaration = resolve(node);
      if (declaration && !ts.isSourceFile(declaration.scope)) found = true;
      return;
    }
    if (isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(key);
  return found;
}

/** The key reads a parameter of the handler (`req.params.id`, `ctx.query.q`) or a local computed from one. */
function fromRequest(key: ts.Expression, handler: FunctionLike, depth = 0): boolean {
  if (depth > 4) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      if (!isValueReference(node)) return;
      const declaration = resolve(node);
      if (!declaration || !contains(handler, declaration.id)) return;
      if (declaration.kind === 'parameter' && declaration.scope === handler) found = true;
      else if (declaration.initializer && fromRequest(declaration.initializer, handler, depth + 1)) found = true;
      else if (ts.isBindingElement(declaration.node)) {
        // `const { id } = req.params`
        let holder: ts.Node = declaration.node;
        while (holder && !ts.isVariableDeclaration(holder) && !ts.isParameter(holder)) holder = holder.parent;
        if (holder && ts.isParameter(holder) && holder.parent === handler) found = true;
        else if (holder && ts.isVariableDeclaration(holder) && holder.initializer && fromRequest(holder.initializer, handler, depth + 1))
          found = true;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(key);
  return found;
}

/** The function that fills the cache also looks in it first (`get`/`has`/`cache[k]`/`k in cache`): a cache, not a registry. */
function readInSameFunction(declaration: Declaration, fn: FunctionLike, write: ts.Node): boolean {
  return references(declaration).some((reference) => {
    if (!contains(fn, reference) || contains(write, reference)) return false;
    const outer = skipParensUp(reference);
    const parent = outer.parent;
    if (!parent) return false;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === outer) return READING_METHODS.has(parent.name.text);
    if (ts.isElementAccessExpression(parent) && parent.expression === outer) return !isWriteReference(parent) && !isAssignedTo(parent);
    return ts.isBinaryExpression(parent) && parent.operatorToken.kind === SK.InKeyword && parent.right === outer;
  });
}

function isAssignedTo(node: ts.Node): boolean {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  return (
    !!parent &&
    ts.isBinaryExpression(parent) &&
    parent.left === outer &&
    parent.operatorToken.kind >= SK.FirstAssignment &&
    parent.operatorToken.kind <= SK.LastAssignment
  );
}

/**
 * Anything in the file that keeps the cache bounded: `delete`/`clear`, `delete cache[k]`, a reset
 * (`cache = new Map()`), a size or key-count check, handing the cache to other code (an LRU
 * helper, an exported API that may clear it).
 */
function evictsOrResets(declaration: Declaration): boolean {
  for (const reference of references(declaration)) {
    const use = useOf(reference);
    if (use.kind === 'write') return true;
    if (use.kind === 'mutate' && use.method !== undefined && EVICTING_METHODS.has(use.method)) return true;
    const outer = skipParensUp(reference);
    const parent = outer.parent;
    if (!parent) continue;
    if (
      ts.isPropertyAccessExpression(parent) &&
      parent.expression === outer &&
      (parent.name.text === 'size' || parent.name.text === 'keys' || parent.name.text === 'length')
    )
      return true;
    if (
      ts.isElementAccessExpression(parent) &&
      parent.expression === outer &&
      parent.parent &&
      ts.isDeleteExpression(skipParensUp(parent).parent ?? parent)
    )
      return true;
    if (use.kind === 'escape') {
      // `Object.keys(cache).length`, `export { cache }`, `lru(cache)`: counted or handed to code we cannot see.
      return true;
    }
  }
  return false;
}

function functionName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text;
  const parent = skipParensUp(fn).parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}
