/**
 * What the data a blocking call touches is, when something says it grows: a directory tree walked, or a file
 * whose size the request decides (an upload read, written or compressed whole). One blocking call of a small
 * file is a fixed, short stall; these are not (sync-io-in-async, sync-io-in-handler: `scaled`).
 */
import { ts } from '../ts';
import { enclosingFunction, isFunctionLike, receiverOf, skipParens, type FunctionLike } from './ast';
import { resolve } from './dataflow';
import { compact } from './phrases';
import { declaredName } from './positions';
import type { SyncIoCall } from './io';
import type { ScaleFact } from './scale';

/** fs calls whose cost is the size of the content they read, write or copy (a stat, an unlink or an existence check costs the same for any size). */
const CONTENT_CALLS: ReadonlySet<string> = new Set([
  'readFileSync',
  'writeFileSync',
  'appendFileSync',
  'copyFileSync',
  'cpSync',
  'readJsonSync',
  'readJSONSync',
  'writeJsonSync',
  'writeJSONSync',
  'outputFileSync',
]);

const REQUEST = /^(req|request)$/;
/** Where an upload arrives: multer's `req.file`/`req.files`, express-fileupload's `req.files`, `request.file()`. */
const UPLOAD_PARTS: ReadonlySet<string> = new Set(['file', 'files']);

/** What grows in the data a blocking call touches, with the sentence that says so; undefined when nothing does. */
export function syncIoScale(io: SyncIoCall): ScaleFact | undefined {
  const walk = walkedTree(io.call, io.name);
  if (walk) return { scale: 'grows', reason: walk };
  if (io.module === 'fs' && !CONTENT_CALLS.has(io.name)) return undefined;
  if (io.module === 'crypto') return undefined;
  for (const argument of io.call.arguments) {
    const upload = requestSized(argument, 0);
    if (upload) return { scale: 'grows', reason: `${io.name} handles ${upload} whole: as big as the request makes it` };
  }
  return undefined;
}

/**
 * A listing that walks a directory tree — `readdirSync(dir, { recursive: true })`, or in a function that calls
 * itself — reads as many entries as the tree holds: the sentence that says so.
 */
function walkedTree(call: ts.CallExpression, name: string): string | undefined {
  if (name !== 'readdirSync' && name !== 'opendirSync') return undefined;
  const options = call.arguments[1] ? skipParens(call.arguments[1]) : undefined;
  if (
    options &&
    ts.isObjectLiteralExpression(options) &&
    options.properties.some(
      (property) =>
        ts.isPropertyAssignment(property) &&
        property.name.getText() === 'recursive' &&
        property.initializer.kind === ts.SyntaxKind.TrueKeyword,
    )
  )
    return `${name}(…, { recursive: true }) lists a whole directory tree`;
  const fn = enclosingFunction(call);
  const own = fn && declaredName(fn);
  if (fn && own && callsItself(fn, own))
    return `${name} lists a directory in ${own}(), which calls itself for each subdirectory: the whole tree`;
  return undefined;
}

function callsItself(fn: FunctionLike, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipParens(node.expression);
      if (
        (ts.isIdentifier(callee) && callee.text === name) ||
        (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword && callee.name.text === name)
      )
        found = true;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/**
 * `req.file.path`, `req.files[0].buffer`, the whole `req.body`, or a name holding one of them (a const, the
 * parameter of a callback over `req.files`, a `for…of` variable over them): data whose size the request decides.
 * The phrase names it (`the upload req.file.path`); undefined for anything else, request fields included
 * (`req.body.name`, `req.params.id` are small).
 */
function requestSized(expression: ts.Expression, depth: number): string | undefined {
  if (depth > 4) return undefined;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    // `{ encoding: 'utf8' }`: a property's name is not a variable.
    if (ts.isPropertyAssignment(node)) return visit(node.initializer);
    // A name or an access chain is judged whole (`req.file.path`); other nodes by their parts (`path.join('up', file.name)`).
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isIdentifier(node)) {
      found = chainSized(node, depth);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function chainSized(node: ts.Expression, depth: number): string | undefined {
  const parts: string[] = [];
  let current: ts.Expression = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) {
    if (ts.isPropertyAccessExpression(current)) parts.unshift(current.name.text);
    current = skipParens(current.expression);
  }
  if (!ts.isIdentifier(current)) return undefined;
  const text = compact(node.getText(), 40);
  if (REQUEST.test(current.text)) {
    if (parts.some((part) => UPLOAD_PARTS.has(part))) return `the upload ${text}`;
    if (parts.length === 1 && parts[0] === 'body') return `the request body ${text}`;
    return undefined;
  }
  const declaration = resolve(current);
  if (!declaration) return undefined;
  if (declaration.initializer && declaration.kind !== 'parameter') {
    const held = requestSized(declaration.initializer, depth + 1);
    return held && `${held} (through ${current.text})`;
  }
  const bound = declaration.node;
  // `const { path } = req.file`: a part of what the pattern destructures.
  if (ts.isBindingElement(bound)) {
    let holder: ts.Node = bound.parent;
    while (ts.isObjectBindingPattern(holder) || ts.isArrayBindingPattern(holder) || ts.isBindingElement(holder)) holder = holder.parent;
    if (!ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
    const held = requestSized(holder.initializer, depth + 1);
    return held && `${held} (through ${current.text})`;
  }
  // `req.files.forEach((file) => …)`, `for (const file of req.files)`: each item is an upload.
  const iterated = iteratedBy(bound);
  if (iterated) {
    const held = requestSized(iterated, depth + 1);
    return held && `${held} (each ${current.text})`;
  }
  return undefined;
}

/** The collection a callback parameter or a `for…of` variable walks. */
function iteratedBy(bound: ts.Node): ts.Expression | undefined {
  if (ts.isParameter(bound)) {
    const fn = bound.parent;
    const call = fn.parent;
    if (fn.parameters[0] === bound && call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression))
      return receiverOf(call);
    return undefined;
  }
  if (ts.isVariableDeclaration(bound) && ts.isVariableDeclarationList(bound.parent) && ts.isForOfStatement(bound.parent.parent))
    return bound.parent.parent.expression;
  return undefined;
}
