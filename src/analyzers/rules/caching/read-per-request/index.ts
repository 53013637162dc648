import { ts } from '../../../ts';
import { defineRule, type FixSpec, SYNC_STALL_MEASURED } from '../../../rule';
import type { TextEdit } from '../../../finding';
import { calleeName, constantString, skipParens } from '../../../facts/ast';
import { camelName, resolve, uniqueName } from '../../../facts/dataflow';
import { isProcessConstant } from './processConstants';
import type { FileFacts } from '../../../facts/fileFacts';
import { compact } from '../../../facts/phrases';

const SK = ts.SyntaxKind;

/** Modules whose `readFile`/`readFileSync` read a file (fs-extra and graceful-fs mirror fs). */
const FS_MODULES: ReadonlySet<string> = new Set(['fs', 'fs-extra', 'graceful-fs']);
const PROMISE_FS_MODULES: ReadonlySet<string> = new Set(['fs/promises']);
const READ_NAMES: ReadonlySet<string> = new Set(['readFile', 'readFileSync', 'readJson', 'readJSON', 'readJsonSync', 'readJSONSync']);

type Form = 'sync' | 'promise' | 'callback';

interface FileRead {
  call: ts.CallExpression;
  form: Form;
  /** How the call is written, for the message: `fs.readFileSync`. */
  display: string;
}

export default defineRule({
  meta: {
    id: 'read-per-request',
    category: 'caching',
    description: 'The same file (a constant path) read from disk on every request inside a request handler.',
    why:
      'A request handler runs once per request. Reading a template, a certificate or a JSON file whose path never ' +
      'changes repeats a system call, a disk or page-cache read and a buffer copy on every one of them — and ' +
      '`readFileSync` blocks the event loop meanwhile, so every other request waits. At 500 requests a second that is ' +
      '500 identical reads a second for bytes that were the same the first time.',
    howToFix:
      'Read the file once at start-up (`const indexHtml = fs.readFileSync(path.join(__dirname, "index.html"), "utf8")` ' +
      'at module level) or cache the promise of the first read (`indexPromise ??= fs.promises.readFile(…)`) and reuse ' +
      'it. If the file is meant to change while the server runs, cache it with a watcher or an mtime check instead of ' +
      'reading it per request.',
    notReported: ['Paths built from request data', 'Reads outside handlers'],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'calls',
      cpu: true,
      measured: SYNC_STALL_MEASURED,
      scaled: true,
      why:
        'the read is paid on every request, but the path is constant: one read of the same file (a template, a font, a ' +
        'small JSON) is a fixed cost the page cache keeps short; it grows only in a loop over growing data',
    },
    fix: 'suggestion',
    fixForm: "read once at start-up, or cache the first read's promise",
    scope: { skip: ['tests', 'scripts', 'build-config'] },
    messages: {
      read: {
        message: '`{{call}}` reads {{file}} from disk on every request to this handler, though the path never changes.',
        note: 'Read it once at start-up (module level) or cache the promise of the first read.',
      },
      readSync: {
        message:
          '`{{call}}` reads {{file}} from disk on every request to this handler, blocking the event loop each time, though ' +
          'the path never changes.',
        note: 'Read it once at start-up (module level) and reuse the contents.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

const app = express();

app.get('/', (req, res) => {
  const html = fs.readFileSync(path.join(__dirname, 'views', 'index.html'), 'utf8');
  res.send(html.replace('{{user}}', String(req.query.name)));
});`,
          errors: [{ messageId: 'readSync', line: 8, column: 16 }],
        },
        {
          code: `import { readFile } from 'node:fs/promises';

export async function GET() {
  const config = JSON.parse(await readFile('config/features.json', 'utf8'));
  return Response.json(config);
}`,
          filename: 'app/api/features/route.ts',
          errors: [{ messageId: 'read', line: 4, column: 35 }],
        },
        {
          code: `const fs = require('fs');
const http = require('http');
const CERT_DIR = '/etc/app';

http.createServer((req, res) => {
  fs.readFile(CERT_DIR + '/banner.txt', 'utf8', (err, text) => {
    res.end(err ? 'hello' : text);
  });
});`,
          filename: 'server.js',
          errors: [{ messageId: 'read', line: 6, column: 3 }],
        },
      ],
      valid: [
        `import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

// Read once at start-up.
const indexHtml = fs.readFileSync(path.join(__dirname, 'views', 'index.html'), 'utf8');
const app = express();
app.get('/', (req, res) => res.send(indexHtml));`,
        `import fs from 'node:fs/promises';
import path from 'node:path';
import express from 'express';

const app = express();
// The path comes from the request: a different file per request.
app.get('/docs/:page', async (req, res) => {
  res.send(await fs.readFile(path.join(__dirname, 'docs', path.basename(req.params.page)), 'utf8'));
});`,
        `import fs from 'node:fs';

// Not a request handler.
export function loadTemplate() {
  return fs.readFileSync('templates/mail.html', 'utf8');
}`,
        {
          code: `import fs from 'node:fs';
import express from 'express';

const app = express();
app.get('/fixture', (req, res) => res.send(fs.readFileSync('fixtures/user.json', 'utf8')));`,
          filename: 'test/server.test.ts',
        },
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const name = calleeName(call);
        if (name === undefined || !READ_NAMES.has(name)) return;
        const read = fileRead(call, name, file);
        if (!read) return;
        const pathArgument = call.arguments[0];
        if (!pathArgument || !isProcessConstant(pathArgument, file)) return;
        if (!file.requestHandler(call)) return;
        context.report({
          node: call,
          messageId: read.form === 'sync' ? 'readSync' : 'read',
          data: { call: read.display, file: describePath(pathArgument, file) },
          fixes: hoistFix(read, file),
        });
      },
    };
  },
});

/** If `call` reads a file through fs, fs/promises, fs-extra or graceful-fs, how (blocking, promise, callback). */
function fileRead(call: ts.CallExpression, name: string, file: FileFacts): FileRead | undefined {
  const callee = skipParens(call.expression);
  const sync = name.endsWith('Sync');
  const hasCallback = call.arguments.length > 1 && isFunctionArgument(call.arguments[call.arguments.length - 1]);
  if (ts.isIdentifier(callee)) {
    // import { readFileSync } from 'fs'; import { readFile } from 'fs/promises'
    const origin = file.originOf(callee.text, call);
    if (!origin || origin.imported !== name) return undefined;
    if (PROMISE_FS_MODULES.has(origin.module)) return { call, form: 'promise', display: name };
    if (!FS_MODULES.has(origin.module)) return undefined;
    return { call, form: formOf(origin.module, sync, hasCallback), display: name };
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = skipParens(callee.expression);
  const display = `${compact(file.textOf(receiver), 30)}.${name}`;
  if (ts.isIdentifier(receiver)) {
    const origin = file.originOf(receiver.text, call);
    if (!origin) return undefined;
    const whole = origin.imported === '*' || origin.imported === 'default';
    if (whole && PROMISE_FS_MODULES.has(origin.module)) return { call, form: 'promise', display };
    // import { promises as fsp } from 'fs'; const fsp = require('fs').promises
    if (origin.imported === 'promises' && origin.module === 'fs') return { call, form: 'promise', display };
    if (whole && FS_MODULES.has(origin.module)) return { call, form: formOf(origin.module, sync, hasCallback), display };
    return undefined;
  }
  // fs.promises.readFile(…)
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'promises' && ts.isIdentifier(receiver.expression)) {
    const origin = file.originOf(receiver.expression.text, call);
    if (origin && (origin.imported === '*' || origin.imported === 'default') && FS_MODULES.has(origin.module))
      return { call, form: 'promise', display };
    return undefined;
  }
  // require('fs').readFileSync(…)
  if (ts.isCallExpression(receiver) && calleeName(receiver) === 'require' && !resolve(receiver.expression as ts.Identifier)) {
    const module = constantString(receiver.arguments[0])?.replace(/^node:/, '');
    if (module && FS_MODULES.has(module)) return { call, form: formOf(module, sync, hasCallback), display: `require('${module}').${name}` };
  }
  return undefined;
}

/** fs-extra's functions return a promise when given no callback; plain fs needs the callback. */
function formOf(module: string, sync: boolean, hasCallback: boolean): Form {
  if (sync) return 'sync';
  if (hasCallback) return 'callback';
  return module === 'fs-extra' ? 'promise' : 'callback';
}

function isFunctionArgument(argument: ts.Expression): boolean {
  const inner = skipParens(argument);
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return true;
  if (ts.isIdentifier(inner)) {
    const declaration = resolve(inner);
    return (
      !!declaration &&
      (declaration.kind === 'function' ||
        (!!declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))))
    );
  }
  return false;
}

/** `views/index.html` for `path.join(__dirname, 'views', 'index.html')`; the source text when no literal names it. */
function describePath(expression: ts.Expression, file: FileFacts): string {
  const parts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) parts.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      parts.push(node.head.text);
      for (const span of node.templateSpans) {
        visit(span.expression);
        parts.push(span.literal.text);
      }
    } else if (ts.isIdentifier(node)) {
      const declaration = resolve(node);
      if (declaration?.kind === 'const' && declaration.initializer && ts.isSourceFile(declaration.scope)) visit(declaration.initializer);
    } else ts.forEachChild(node, visit);
  };
  visit(expression);
  const joined = parts.filter(Boolean).join('/').replace(/\/+/g, '/');
  return joined ? `\`${compact(joined, 60)}\`` : `\`${compact(file.textOf(expression), 60)}\``;
}

/** The module-level statement that holds `node`. */
function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current.parent ? (current as ts.Statement) : undefined;
}

/**
 * Where a module-level declaration reading the file can go: before the top-level statement
 * holding the handler, unless a module-level constant the call uses is declared later (then
 * right after that declaration).
 */
function insertionOffset(call: ts.CallExpression, file: FileFacts): { offset: number; before: boolean } | undefined {
  const holder = topLevelStatement(call);
  if (!holder) return undefined;
  let after: ts.Statement | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const declaration = resolve(node);
      if (declaration && ts.isSourceFile(declaration.scope)) {
        const statement = topLevelStatement(declaration.id);
        if (statement && statement.pos >= holder.pos && (!after || statement.pos > after.pos)) after = statement;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(call);
  if (after === holder) return undefined;
  if (after) return { offset: after.end, before: false };
  return { offset: file.start(holder), before: true };
}

/** Module-level read at start-up (sync) or a cached promise (promise form): previews, since the file may change on disk. */
function hoistFix(read: FileRead, file: FileFacts): FixSpec[] {
  if (read.form === 'callback') return [];
  const call = read.call;
  // Other arguments (encoding, options) must be as constant as the path.
  if (!call.arguments.every((argument) => isProcessConstant(argument, file))) return [];
  const where = insertionOffset(call, file);
  if (!where) return [];
  const newline = file.text.includes('\r\n') ? '\r\n' : '\n';
  const base = baseName(call.arguments[0]);
  const text = file.textOf(call);
  const edits: TextEdit[] = [];
  const typescript = /\.[cm]?tsx?$/i.test(file.fileName);
  let declaration: string;
  let title: string;
  if (read.form === 'sync') {
    const name = uniqueName(file.sourceFile, base);
    declaration = `const ${name} = ${text};`;
    edits.push({ start: file.start(call), end: call.end, newText: name });
    title = `Read ${name} once at start-up (a module-level const; a missing file then fails at start-up, and later changes on disk are not seen)`;
  } else {
    const name = uniqueName(file.sourceFile, camelName(base, 'Promise'));
    let annotation = '';
    if (typescript) {
      const result = resultType(call);
      if (!result) return [];
      annotation = `: Promise<${result}> | undefined`;
    }
    declaration = `let ${name}${annotation};`;
    // `await (p ??= read())`: the assignment binds looser than anything around it.
    edits.push({ start: file.start(call), end: call.end, newText: `(${name} ??= ${text})` });
    title = `Cache the promise of the first read in ${name} (a failed read is then cached too, and later changes on disk are not seen)`;
  }
  edits.unshift(
    where.before
      ? { start: where.offset, end: where.offset, newText: `${declaration}${newline}${newline}` }
      : { start: where.offset, end: where.offset, newText: `${newline}${declaration}` },
  );
  return [{ title, kind: 'suggestion', edits }];
}

/** `Buffer` without an encoding, `string` with one; undefined when the options are not literal. */
function resultType(call: ts.CallExpression): string | undefined {
  const name = calleeName(call) ?? '';
  if (/json/i.test(name)) return 'any';
  const options = call.arguments[1];
  if (!options) return 'Buffer';
  const inner = skipParens(options);
  if (constantString(inner) !== undefined) return 'string';
  if (ts.isObjectLiteralExpression(inner)) {
    const encoding = inner.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'encoding');
    if (!encoding) return 'Buffer';
    if (ts.isPropertyAssignment(encoding)) {
      if (constantString(encoding.initializer) !== undefined) return 'string';
      if (encoding.initializer.kind === SK.NullKeyword) return 'Buffer';
    }
  }
  return undefined;
}

/** `indexHtml` for `…'index.html'`, `featuresJson` for `'config/features.json'`. */
function baseName(pathArgument: ts.Expression): string {
  let last: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (node.text.replace(/[\\/]/g, '') !== '') last = node.text;
    } else if (ts.isIdentifier(node)) {
      const declaration = resolve(node);
      if (declaration?.kind === 'const' && declaration.initializer && ts.isSourceFile(declaration.scope)) visit(declaration.initializer);
    } else ts.forEachChild(node, visit);
  };
  visit(pathArgument);
  const fileName = last?.split(/[\\/]/).filter(Boolean).pop();
  return fileName ? camelName(fileName.replace(/\./g, ' ')) : 'fileContents';
}
