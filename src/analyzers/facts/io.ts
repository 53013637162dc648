/**
 * Blocking calls: which `*Sync` functions of Node's `fs`, `child_process`, `zlib` and `crypto`
 * a call resolves to (through its import), and how it is written without blocking.
 */
import { ts } from '../ts';
import { calleeName, enclosingFunction, isAsyncFunction, isInside, skipParens, skipParensUp, type FunctionLike } from './ast';
import { lookup, uniqueName } from './dataflow';
import type { FileFacts } from './fileFacts';
import type { TextEdit } from '../finding';

export type BlockingModule = 'fs' | 'child_process' | 'zlib' | 'crypto';

export interface SyncIoCall {
  call: ts.CallExpression;
  module: BlockingModule;
  /** The module specifier it comes from, normalised: `fs`, `fs-extra`, `child_process`. */
  source: string;
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
  'readFile',
  'writeFile',
  'appendFile',
  'readdir',
  'mkdir',
  'mkdtemp',
  'rm',
  'rmdir',
  'unlink',
  'rename',
  'copyFile',
  'cp',
  'access',
  'chmod',
  'chown',
  'lchown',
  'utimes',
  'lutimes',
  'symlink',
  'link',
  'readlink',
  'realpath',
  'truncate',
  'opendir',
  'stat',
  'lstat',
]);

const CRYPTO_BLOCKING: ReadonlySet<string> = new Set([
  'pbkdf2Sync',
  'scryptSync',
  'randomFillSync',
  'generateKeyPairSync',
  'generateKeySync',
  'generatePrimeSync',
  'checkPrimeSync',
  'hkdfSync',
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

const syncCache = new WeakMap<FileFacts, Map<ts.CallExpression, SyncIoCall | null>>();

/** If `call` is a blocking `*Sync` call of a Node core module, describes it (answered once per analysis: three rules ask). */
export function syncIoCall(call: ts.CallExpression, facts: FileFacts): SyncIoCall | undefined {
  const name = calleeName(call);
  if (!name || !name.endsWith('Sync')) return undefined;
  let perFile = syncCache.get(facts);
  if (!perFile) {
    perFile = new Map();
    syncCache.set(facts, perFile);
  }
  const cached = perFile.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const found = describeSyncCall(call, name, facts);
  perFile.set(call, found ?? null);
  return found;
}

function describeSyncCall(call: ts.CallExpression, name: string, facts: FileFacts): SyncIoCall | undefined {
  const callee = skipParens(call.expression);
  let module: BlockingModule | undefined;
  let source: string | undefined;
  let display = name;
  if (ts.isIdentifier(callee)) {
    // import { readFileSync } from 'fs'  /  const { execSync } = require('child_process')
    const origin = facts.originOf(callee.text, call);
    if (origin && origin.imported === name) {
      module = moduleKind(origin.module);
      source = origin.module;
    }
  } else if (ts.isPropertyAccessExpression(callee)) {
    const receiver = skipParens(callee.expression);
    if (ts.isIdentifier(receiver)) {
      const origin = facts.originOf(receiver.text, call);
      if (origin && (origin.imported === '*' || origin.imported === 'default')) {
        module = moduleKind(origin.module);
        source = origin.module;
      }
      display = `${receiver.text}.${name}`;
    } else if (ts.isCallExpression(receiver) && calleeName(receiver) === 'require' && receiver.arguments.length === 1) {
      // require('fs').readFileSync(...)
      const argument = receiver.arguments[0];
      if (ts.isStringLiteral(argument)) {
        source = argument.text.replace(/^node:/, '');
        module = moduleKind(source);
      }
      display = `require(…).${name}`;
    }
  }
  if (!module || !source || !isBlockingName(module, name)) return undefined;
  return { call, module, source, name, display, alternative: alternativeFor(module, name) };
}

/**
 * The edits that turn a blocking fs call into its awaited promise twin, when that provably keeps
 * the call's arguments, result and errors (when the call finishes is awaitFix.ts's question):
 * the call is directly inside the body of an `async` function, or of the function the caller
 * makes async in the same fix (`becomesAsync`), so `await` is legal and errors still throw at the
 * same place; it is Node's own `fs` (whose `promises` twin takes
 * the same arguments and gives the same result), and its first argument is a path, not a file
 * descriptor (fs.promises takes FileHandles, not numbers). The twin is reached through what the
 * file already has — `fs.promises.readFile` for a namespace or default import, a `promises`
 * import, a `fs/promises` import — or through one added to an existing `fs/promises` import, or
 * next to the `fs` import (`import { readFile } from 'fs/promises'`). Only the callee is
 * rewritten, so the arguments keep their text; the sync function's import goes with its last use.
 */
export function awaitPromisesEdits(
  io: SyncIoCall,
  facts: FileFacts,
  options: { becomesAsync?: FunctionLike } = {},
): TextEdit[] | undefined {
  if (io.module !== 'fs' || io.source !== 'fs') return undefined;
  const base = io.name.slice(0, -'Sync'.length);
  if (!FS_PROMISE_TWINS.has(base)) return undefined;
  // statSync(p, { throwIfNoEntry: false }) returns undefined where fs.promises.stat rejects.
  if ((base === 'stat' || base === 'lstat') && io.call.arguments.length > 1) return undefined;
  const fn = enclosingFunction(io.call);
  // Not in a parameter's default value: `await` is not allowed there.
  if (!fn || !(isAsyncFunction(fn) || fn === options.becomesAsync) || !fn.body || !isInside(io.call, fn.body)) return undefined;
  const callee = skipParens(io.call.expression);
  if ((ts.isPropertyAccessExpression(callee) && callee.questionDotToken) || io.call.questionDotToken) return undefined;
  const first = io.call.arguments[0];
  if (!first || !isPathArgument(first, facts)) return undefined;
  let target: string | undefined;
  const extra: TextEdit[] = [];
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(skipParens(callee.expression))) {
    target = `${facts.textOf(callee.expression)}.promises.${base}`;
  } else if (ts.isIdentifier(callee)) {
    // The sync function's own import goes when this call was its last use; the twin's import joins one of its module.
    const released = releaseImport(callee, facts);
    const twin = promiseTwinReference(base, io.call, facts);
    if (twin) target = twin;
    else {
      const added = addTwinImport(base, callee, facts, released);
      if (!added) return undefined;
      target = added.name;
      extra.push(added.edit);
      if (added.replacesRelease) released.length = 0;
    }
    extra.push(...released);
  }
  if (!target) return undefined;
  // Only the callee is rewritten: the arguments keep their text, line breaks and trailing commas.
  const start = facts.start(io.call);
  const calleeEnd = io.call.expression.end;
  // `await fs.readFileSync(p)` (seen in real code): the `await` already there now waits for the promise.
  if (ts.isAwaitExpression(skipParensUp(io.call).parent)) return [{ start, end: calleeEnd, newText: target }, ...extra];
  if (!needsParentheses(io.call)) return [{ start, end: calleeEnd, newText: `await ${target}` }, ...extra];
  return [{ start, end: calleeEnd, newText: `(await ${target}` }, { start: io.call.end, end: io.call.end, newText: ')' }, ...extra];
}

/**
 * True when `await call(…)` must be wrapped to keep its meaning where the call stands: as the
 * object of a property access, element access or call (`(await readFile(p)).toString()`), the
 * target of `new` or a tagged template, the left side of `**`, or under a postfix operator.
 * Elsewhere — a statement, an initializer, an argument, an operand — `await` binds tighter than
 * anything around it, and a call already in parentheses needs none.
 */
function needsParentheses(call: ts.CallExpression): boolean {
  const outer = skipParensUp(call);
  if (outer !== call) return false;
  const parent = outer.parent;
  if (!parent) return true;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) return true;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === outer) return true;
  if (ts.isTaggedTemplateExpression(parent) || ts.isPostfixUnaryExpression(parent) || ts.isNonNullExpression(parent)) return true;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && parent.left === outer)
    return true;
  return false;
}

/** How the file can already reach `fs.promises.<base>` at `at`: a namespace or default import, `promises`, a `fs/promises` import. */
function promiseTwinReference(base: string, at: ts.Node, facts: FileFacts): string | undefined {
  for (const statement of facts.sourceFile.statements) {
    for (const [local, module, imported] of bindingsOf(statement)) {
      if (module !== 'fs' && module !== 'fs/promises') continue;
      const origin = facts.originOf(local, at);
      if (!origin) continue;
      if (module === 'fs' && (imported === '*' || imported === 'default')) return `${local}.promises.${base}`;
      if (module === 'fs' && imported === 'promises') return `${local}.${base}`;
      if (module === 'fs/promises' && (imported === '*' || imported === 'default')) return `${local}.${base}`;
      if (module === 'fs/promises' && imported === base) return local;
    }
  }
  return undefined;
}

/** Module-level bindings a statement makes from imports or requires: [local, module (normalised), imported]. */
function bindingsOf(statement: ts.Statement): Array<[string, string, string]> {
  const found: Array<[string, string, string]> = [];
  if (
    ts.isImportDeclaration(statement) &&
    ts.isStringLiteral(statement.moduleSpecifier) &&
    statement.importClause &&
    !statement.importClause.isTypeOnly
  ) {
    const module = statement.moduleSpecifier.text.replace(/^node:/, '');
    const clause = statement.importClause;
    if (clause.name) found.push([clause.name.text, module, 'default']);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) found.push([bindings.name.text, module, '*']);
    if (bindings && ts.isNamedImports(bindings))
      for (const element of bindings.elements)
        if (!element.isTypeOnly) found.push([element.name.text, module, (element.propertyName ?? element.name).text]);
  } else if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer ? skipParens(declaration.initializer) : undefined;
      if (
        !init ||
        !ts.isCallExpression(init) ||
        calleeName(init) !== 'require' ||
        !init.arguments[0] ||
        !ts.isStringLiteral(init.arguments[0])
      )
        continue;
      const module = init.arguments[0].text.replace(/^node:/, '');
      if (ts.isIdentifier(declaration.name)) found.push([declaration.name.text, module, '*']);
      else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          found.push([element.name.text, module, imported]);
        }
      }
    }
  }
  return found;
}

const freeNames = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/** No identifier in the file uses `name` (asked once per tree and name: a file has many sync calls of the same function). */
function isFreeName(sourceFile: ts.SourceFile, name: string): boolean {
  let perFile = freeNames.get(sourceFile);
  if (!perFile) {
    perFile = new Map();
    freeNames.set(sourceFile, perFile);
  }
  let free = perFile.get(name);
  if (free === undefined) {
    free = uniqueName(sourceFile, name) === name;
    perFile.set(name, free);
  }
  return free;
}

/**
 * An import of the promise twin. It joins an import (or `require` destructuring) of `fs/promises`
 * the file already has (`import { readFile, writeFile } from 'node:fs/promises'`); otherwise a new
 * one is added right after the statement that imports the sync function —
 * `import { readFile } from 'fs/promises';` or `const { readFile } = require('fs/promises');`, in
 * the same `fs`/`node:fs` spelling — or takes that statement's place when the fix removes it
 * (`released`). Only when no identifier in the file uses the name yet.
 */
function addTwinImport(
  base: string,
  callee: ts.Identifier,
  facts: FileFacts,
  released: readonly TextEdit[],
): { name: string; edit: TextEdit; replacesRelease?: boolean } | undefined {
  if (!isFreeName(facts.sourceFile, base)) return undefined;
  for (const statement of facts.sourceFile.statements) {
    const elements = namedBindingsOf(statement, 'fs/promises');
    const last = elements?.[elements.length - 1];
    if (last) return { name: base, edit: { start: last.end, end: last.end, newText: `, ${base}` } };
  }
  for (const statement of facts.sourceFile.statements) {
    const binds = bindingsOf(statement).some(([local, module]) => local === callee.text && module === 'fs');
    if (!binds) continue;
    const newline = facts.text.includes('\r\n') ? '\r\n' : '\n';
    let text: string;
    if (ts.isImportDeclaration(statement)) {
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      const quote = facts.text.charAt(facts.start(statement.moduleSpecifier));
      const semi = facts.textOf(statement).trimEnd().endsWith(';') ? ';' : '';
      text = `import { ${base} } from ${quote}${specifier}/promises${quote}${semi}`;
    } else {
      const declaration = (statement as ts.VariableStatement).declarationList;
      const keyword = declaration.flags & ts.NodeFlags.Const ? 'const' : declaration.flags & ts.NodeFlags.Let ? 'let' : 'var';
      const init = skipParens((statement as ts.VariableStatement).declarationList.declarations[0].initializer!) as ts.CallExpression;
      const argument = init.arguments[0] as ts.StringLiteral;
      const quote = facts.text.charAt(facts.start(argument));
      const semi = facts.textOf(statement).trimEnd().endsWith(';') ? ';' : '';
      text = `${keyword} { ${base} } = require(${quote}${argument.text}/promises${quote})${semi}`;
    }
    // The sync import goes as a whole: the twin's import takes its place.
    const whole = released.find((edit) => edit.start === facts.start(statement) && edit.end >= statement.end);
    if (whole) return { name: base, edit: { start: facts.start(statement), end: statement.end, newText: text }, replacesRelease: true };
    return { name: base, edit: { start: statement.end, end: statement.end, newText: `${newline}${text}` } };
  }
  return undefined;
}

/**
 * The named bindings of an import or a `require` destructuring of `module` (normalised, so
 * `node:fs/promises` counts as `fs/promises`), when it has some a name can be added to.
 */
function namedBindingsOf(
  statement: ts.Statement,
  module: string,
): ts.NodeArray<ts.ImportSpecifier> | ts.NodeArray<ts.BindingElement> | undefined {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text.replace(/^node:/, '') !== module) return undefined;
    if (!clause || clause.isTypeOnly || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return undefined;
    return clause.namedBindings.elements;
  }
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const declaration = statement.declarationList.declarations[0];
  const init = declaration.initializer ? skipParens(declaration.initializer) : undefined;
  if (!init || !ts.isCallExpression(init) || calleeName(init) !== 'require' || !ts.isObjectBindingPattern(declaration.name))
    return undefined;
  const argument = init.arguments[0];
  if (!argument || !ts.isStringLiteral(argument) || argument.text.replace(/^node:/, '') !== module) return undefined;
  if (declaration.name.elements.some((element) => element.dotDotDotToken)) return undefined;
  return declaration.name.elements;
}

/**
 * The edit that removes the import of the sync function `callee` calls — a named import or a
 * `require` destructuring of `fs` — when the call being fixed is its only use: the specifier
 * leaves its list, or the whole statement goes with its last one (with the line it stood on).
 * Any other identifier of that name anywhere in the file (a call left as it is, a type query, a
 * property of the same name) keeps it. Empty when nothing is removed.
 */
function releaseImport(callee: ts.Identifier, facts: FileFacts): TextEdit[] {
  for (const statement of facts.sourceFile.statements) {
    const elements = namedBindingsOf(statement, 'fs');
    if (!elements) continue;
    const index = elements.findIndex((element) => ts.isIdentifier(element.name) && element.name.text === callee.text);
    if (index < 0) continue;
    const element = elements[index];
    const others = otherUses(callee, element.name as ts.Identifier, facts);
    if (others.length > 0) {
      // Other calls that may be converted too: each fix claims the specifier (an edit that keeps it
      // as it is), so that no two are applied in one pass and the last one removes the import.
      const claim = others.every((other) => awaitableCall(other));
      return claim ? [{ start: facts.start(element.name), end: element.name.end, newText: facts.textOf(element.name) }] : [];
    }
    if (elements.length === 1) {
      // A default import beside it (`import fs, { readFileSync } from 'fs'`) keeps the statement.
      if (ts.isImportDeclaration(statement) && statement.importClause?.name) {
        const clause = statement.importClause;
        return [{ start: clause.name!.end, end: clause.namedBindings!.end, newText: '' }];
      }
      let end = statement.end;
      if (facts.text.startsWith('\r\n', end)) end += 2;
      else if (facts.text.startsWith('\n', end)) end += 1;
      return [{ start: facts.start(statement), end, newText: '' }];
    }
    // `{ a, readFileSync, b }`: from the end of the one before (or the start of the one after) to this one's end (or start of the next).
    if (index > 0) return [{ start: elements[index - 1].end, end: element.end, newText: '' }];
    return [{ start: facts.start(element), end: facts.start(elements[1]), newText: '' }];
  }
  return [];
}

/** Identifiers spelled like `callee`, other than the callee and the binding itself, anywhere in the file. */
function otherUses(callee: ts.Identifier, binding: ts.Identifier, facts: FileFacts): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === callee.text && node !== callee && node !== binding) found.push(node);
    else ts.forEachChild(node, visit);
  };
  visit(facts.sourceFile);
  return found;
}

/** The identifier is called directly inside the body of an async function (its fix could convert it). */
function awaitableCall(identifier: ts.Identifier): boolean {
  const call = skipParensUp(identifier).parent;
  if (!call || !ts.isCallExpression(call) || skipParens(call.expression) !== identifier) return false;
  const fn = enclosingFunction(call);
  return !!fn && isAsyncFunction(fn) && !!fn.body && isInside(call, fn.body);
}

/** A string, template, URL or path-building call — anything but a number (a file descriptor). */
function isPathArgument(argument: ts.Expression, facts: FileFacts, depth = 0): boolean {
  const inner = skipParens(argument);
  if (ts.isStringLiteralLike(inner) || ts.isTemplateExpression(inner)) return true;
  if (ts.isNewExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === 'URL') return true;
  if (ts.isCallExpression(inner)) {
    const name = calleeName(inner);
    if (name && ['join', 'resolve', 'normalize', 'relative', 'format', 'toString', 'fileURLToPath', 'tmpdir', 'homedir'].includes(name))
      return true;
  }
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return isPathArgument(inner.left, facts, depth + 1) || isPathArgument(inner.right, facts, depth + 1);
  }
  if (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) {
    if (/(^|[^a-z])fd$|^fd|descriptor/i.test(inner.getText(facts.sourceFile))) return false;
    // Syntax first (the type checker costs a program): a const made from a path, a parameter typed as one.
    if (ts.isIdentifier(inner)) {
      const decided = pathBySyntax(inner, facts, depth);
      if (decided !== undefined) return decided;
    }
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

const PATH_TYPES = /^(string|PathLike|URL|Buffer|PathOrFileDescriptor)$/;

/** What a name's declaration says: `const p = path.join(…)` is a path, `(p: string)` is, `(fd: number)` is not; undefined when it does not say. */
function pathBySyntax(name: ts.Identifier, facts: FileFacts, depth: number): boolean | undefined {
  if (depth > 3) return undefined;
  const declaration = lookup(name.text, name);
  if (!declaration) return undefined;
  const type = declaration.type;
  if (type) {
    if (type.kind === ts.SyntaxKind.StringKeyword) return true;
    if (type.kind === ts.SyntaxKind.NumberKeyword) return false;
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && PATH_TYPES.test(type.typeName.text)) return true;
    return undefined;
  }
  if (declaration.kind === 'const' && declaration.initializer)
    return isPathArgument(declaration.initializer, facts, depth + 1) ? true : undefined;
  return undefined;
}
