import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, enclosingFunction, isFunctionLike, receiverOf, skipParens, skipParensUp } from '../../facts/ast';
import { contains, lookup, references, resolve, type Declaration } from '../../facts/dataflow';
import { longLivedTarget } from '../../facts/lifetime';

/** Calls whose result is a whole file, body or block of memory. */
const BUFFER_SOURCES: ReadonlySet<string> = new Set([
  'readFileSync',
  'readFile',
  'arrayBuffer',
  'buffer',
  'blob',
  'alloc',
  'allocUnsafe',
  'allocUnsafeSlow',
  'concat',
]);
/** Properties that reduce a buffer to one number. */
const SIZE_PROPERTIES: ReadonlySet<string> = new Set(['length', 'byteLength', 'size']);
/** Registrations whose callback lives on after the call that registers it. */
const LISTENER_METHODS: ReadonlySet<string> = new Set(['on', 'addListener', 'prependListener', 'addEventListener', 'subscribe']);

export default defineRule({
  meta: {
    id: 'captured-buffer',
    category: 'memory',
    description:
      'A long-lived callback (an interval, a listener on a long-lived object) that captures a whole buffer (a file, a ' +
      'response body) only to read its size.',
    why:
      'A closure keeps alive every variable it uses for as long as the closure itself lives. An interval or a listener on ' +
      '`process` lives until it is cleared or removed — often forever — so a 50 MB upload buffer it mentions only for ' +
      '`buffer.length` stays in memory for the life of the program, long after the request that read it finished.',
    howToFix:
      'Read what the callback needs before creating it (`const size = buffer.length`) and capture that instead; or ' +
      'clear the interval / remove the listener when the work is done.',
    notReported: ['Callbacks that use the contents themselves', 'Short-lived callbacks (`then`, `setTimeout`, array methods)'],
    impact: 'medium',
    effort: 'low',
    evidence: {
      basis: 'claim',
      why: 'a buffer kept alive by a long-lived callback piles up only where the code that captures it runs again and again: per request or per job',
      leak: true,
    },
    fix: 'none',
    scope: {
      skip: ['tests', 'scripts', 'build-config'],
      triggers: ['setInterval', '.on(', 'addEventListener', 'Listener(', 'subscribe('],
      requires: /readFile|arrayBuffer|Buffer\b|\.buffer\(|\.blob\(|Uint8Array/,
    },
    messages: {
      captured: {
        message:
          'This {{callback}} lives on after {{fn}} returns and captures all of `{{buffer}}` ({{source}}) only to read ' +
          '`{{buffer}}.{{property}}`: the whole buffer stays in memory as long as the callback does.',
        note: 'Read `{{buffer}}.{{property}}` into a local before creating the callback and capture that.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { readFileSync } from 'node:fs';

export function watchUpload(path: string) {
  const data = readFileSync(path);
  setInterval(() => console.log('upload size', data.length), 10_000);
}`,
          errors: [{ messageId: 'captured', line: 5, column: 48 }],
        },
        {
          code: `export async function download(url: string) {
  const body = await (await fetch(url)).arrayBuffer();
  process.on('exit', () => console.log('downloaded', body.byteLength, 'bytes'));
  return new Uint8Array(body)[0];
}`,
          errors: [{ messageId: 'captured', line: 3, column: 54 }],
        },
      ],
      valid: [
        `// Only the size is captured.
import { readFileSync } from 'node:fs';
export function watchUpload(path: string) {
  const size = readFileSync(path).length;
  setInterval(() => console.log('upload size', size), 10_000);
}`,
        `// The callback uses the contents: keeping them is its purpose.
import { readFileSync } from 'node:fs';
import http from 'node:http';
export function serve(path: string) {
  const page = readFileSync(path);
  http.createServer((req, res) => res.end(page)).listen(8080);
}`,
        `// A one-shot callback: the buffer goes when it has run.
import { readFileSync } from 'node:fs';
export function later(path: string) {
  const data = readFileSync(path);
  setTimeout(() => console.log(data.length), 1000);
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const name = calleeName(call);
        if (name === undefined) return;
        let callbackKind: string | undefined;
        let callback: ts.Expression | undefined;
        if (name === 'setInterval' && ts.isIdentifier(skipParens(call.expression)) && !lookup('setInterval', call)) {
          callbackKind = 'interval callback';
          callback = call.arguments[0];
        } else if (LISTENER_METHODS.has(name)) {
          const receiver = receiverOf(call);
          if (!receiver || !longLivedTarget(receiver)) return;
          callbackKind = `listener on \`${file.textOf(skipParens(receiver))}\``;
          callback = call.arguments[name === 'subscribe' ? 0 : 1];
        } else {
          return;
        }
        const fn = callback && skipParens(callback);
        if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return;
        const owner = enclosingFunction(call);
        if (!owner) return;
        for (const captured of capturedBuffers(fn, owner)) {
          context.report({
            node: captured.use,
            messageId: 'captured',
            data: {
              callback: callbackKind,
              fn: ownerName(owner),
              buffer: captured.declaration.name,
              source: captured.source,
              property: captured.property,
            },
          });
        }
      },
    };
  },
});

interface Captured {
  declaration: Declaration;
  use: ts.Node;
  property: string;
  source: string;
}

/** Buffers declared in `owner` that `fn` uses only for their size. */
function capturedBuffers(fn: ts.ArrowFunction | ts.FunctionExpression, owner: ts.Node): Captured[] {
  const found: Captured[] = [];
  const seen = new Set<Declaration>();
  const visit = (node: ts.Node): void => {
    // Only a name read for its size is a candidate: `data.length`. Cheap syntax before resolving names.
    if (ts.isIdentifier(node) && sizeRead(node) !== undefined) {
      const declaration = resolve(node);
      if (!declaration || seen.has(declaration) || contains(fn, declaration.id) || !contains(owner, declaration.id)) return;
      seen.add(declaration);
      const source = bufferSource(declaration);
      if (!source) return;
      const uses = references(declaration).filter((reference) => contains(fn, reference));
      const properties = uses.map(sizeRead);
      if (uses.length === 0 || properties.some((p) => p === undefined)) return;
      found.push({ declaration, use: skipParensUp(uses[0]).parent!, property: properties[0]!, source });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

/** `buffer.length` / `.byteLength` / `.size`: the property read, when that is all the use does. */
function sizeRead(reference: ts.Identifier): string | undefined {
  const outer = skipParensUp(reference);
  const parent = outer.parent;
  return parent && ts.isPropertyAccessExpression(parent) && parent.expression === outer && SIZE_PROPERTIES.has(parent.name.text)
    ? parent.name.text
    : undefined;
}

/** How a `const` got a whole buffer: `readFileSync(…)`, `await readFile(…)`, `await res.arrayBuffer()`, `Buffer.alloc(n)`, `new ArrayBuffer(n)`. */
function bufferSource(declaration: Declaration): string | undefined {
  if (declaration.kind !== 'const' && declaration.kind !== 'let') return undefined;
  let init = declaration.initializer && skipParens(declaration.initializer);
  if (!init) return undefined;
  if (ts.isAwaitExpression(init)) init = skipParens(init.expression);
  if (
    ts.isNewExpression(init) &&
    ts.isIdentifier(init.expression) &&
    ['ArrayBuffer', 'SharedArrayBuffer', 'Uint8Array'].includes(init.expression.text)
  )
    return `a new ${init.expression.text}`;
  if (!ts.isCallExpression(init)) return undefined;
  const name = calleeName(init);
  if (name === undefined || !BUFFER_SOURCES.has(name)) return undefined;
  const callee = skipParens(init.expression);
  if (
    (name === 'alloc' || name === 'allocUnsafe' || name === 'allocUnsafeSlow' || name === 'concat') &&
    !(ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Buffer')
  )
    return undefined;
  if (name === 'readFile' || name === 'readFileSync') return 'a whole file';
  if (name === 'arrayBuffer' || name === 'buffer' || name === 'blob') return 'a whole response body';
  return 'a whole buffer';
}

function ownerName(owner: ts.Node): string {
  if (
    (ts.isFunctionDeclaration(owner) || ts.isMethodDeclaration(owner) || ts.isFunctionExpression(owner)) &&
    owner.name &&
    ts.isIdentifier(owner.name)
  )
    return `\`${owner.name.text}\``;
  const parent = skipParensUp(owner).parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return `\`${parent.name.text}\``;
  return isFunctionLike(owner) ? 'the function' : 'the call';
}
