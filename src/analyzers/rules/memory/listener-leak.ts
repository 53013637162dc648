import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, constantString, enclosingFunction, isFunctionLike, receiverOf, skipParens } from '../../facts/ast';
import { resolve } from '../../facts/dataflow';
import { syntaxIndexOf } from '../../facts/syntaxIndex';
import { describeRepetition, guardedToRunOnce, longLivedTarget, repetitionOf } from '../../facts/lifetime';
import type { FileFacts } from '../../facts/fileFacts';
import { compact } from '../../facts/phrases';

const SK = ts.SyntaxKind;

const ADDERS: ReadonlySet<string> = new Set(['on', 'addListener', 'prependListener', 'addEventListener']);
const REMOVERS: ReadonlySet<string> = new Set(['off', 'removeListener', 'removeEventListener', 'removeAllListeners']);

export default defineRule({
  meta: {
    id: 'listener-leak',
    category: 'memory',
    description:
      'A listener added to a long-lived object (`process`, `window`, a module-level emitter) by code that runs again ' +
      'and again, and never removed.',
    why:
      'An object keeps every listener added to it, and every listener keeps alive everything its closure captured ' +
      '(a request, a component, a buffer). When the object lives for the whole program and the code that adds the ' +
      'listener runs per request, per item or per mount, listeners pile up without bound: memory grows, each event ' +
      'calls every stale listener, and Node prints MaxListenersExceededWarning after 10. A React component mounted a ' +
      'thousand times leaves a thousand `resize` handlers on `window`.',
    howToFix:
      'Register the listener once, at start-up; or remove it when its work is done (`off`/`removeEventListener` with ' +
      'the same function, an `AbortSignal` passed as `{ signal }`, `once` for one-shot events); in a React effect, ' +
      'return a cleanup that removes it.',
    notReported: [
      'Listeners on objects created in the same call (a socket, a request, a stream)',
      'Listeners registered at module level or behind a once-guard',
      'Files that remove the same event',
    ],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'claim',
      why: 'listeners left attached pile up only where the code that adds them runs again and again: per request, per job, per instance those paths make',
      leak: true,
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['addEventListener', '.on(', 'Listener('] },
    messages: {
      leak: {
        message:
          '`{{call}}` adds a listener to {{target}} every time {{repetition}}, and nothing removes it: listeners — and ' +
          'whatever their closures hold — accumulate for the life of the program.',
        note: 'Register it once at start-up, or remove it when done (`{{remover}}`, an AbortSignal, `once`).',
      },
      effect: {
        message:
          '`{{call}}` adds a listener to {{target}} every time {{repetition}}, and the effect returns no cleanup that ' +
          'removes it: each mount leaves one more listener behind.',
        note: 'Return `() => {{target}}.{{remover}}(…)` from the effect.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import express from 'express';

const app = express();
app.get('/report', (req, res) => {
  process.on('exit', () => console.log('report for', req.query.id, 'unfinished'));
  res.send('started');
});`,
          errors: [{ messageId: 'leak', line: 5, column: 3 }],
        },
        {
          code: `import { useEffect } from 'react';

export function useWindowWidth(onChange: (width: number) => void) {
  useEffect(() => {
    window.addEventListener('resize', () => onChange(window.innerWidth));
  }, [onChange]);
}`,
          errors: [{ messageId: 'effect', line: 5, column: 5 }],
        },
        {
          code: `import { EventEmitter } from 'node:events';

const bus = new EventEmitter();
export function track(jobs: Array<{ id: string }>) {
  for (const job of jobs) {
    bus.on('done', (id: string) => { if (id === job.id) console.log('finished', job.id); });
  }
}`,
          errors: [{ messageId: 'leak', line: 6, column: 5 }],
        },
      ],
      valid: [
        `// Registered once, at start-up.
process.on('SIGTERM', () => process.exit(0));`,
        `// Removed by the effect's cleanup.
import { useEffect } from 'react';
export function useWindowWidth(onChange: (width: number) => void) {
  useEffect(() => {
    const handler = () => onChange(window.innerWidth);
    window.addEventListener('resize', handler);
    return () => window.removeEventListener('resize', handler);
  }, [onChange]);
}`,
        `// A listener on an object created per call dies with it.
import http from 'node:http';
export function ping(urls: string[]) {
  for (const url of urls) {
    const req = http.get(url);
    req.on('error', () => undefined);
  }
}`,
        `// once, and an AbortSignal, remove themselves.
import express from 'express';
const app = express();
app.get('/wait', (req, res) => {
  process.once('beforeExit', () => res.end());
  const controller = new AbortController();
  window.addEventListener('message', () => res.end(), { signal: controller.signal });
});`,
        `// A DOM builder's argument: the listener goes on the element being built and goes with it.
import { dom } from 'grainjs';
export function presetButtons(presets: string[], choose: (preset: string) => void) {
  return presets.map((preset) => dom('button', preset, dom.on('click', () => choose(preset))));
}`,
        `// Guarded to run once.
let installed = false;
export function install(handlers: Array<() => void>) {
  for (const handler of handlers) {
    if (installed) return;
    installed = true;
    process.on('exit', handler);
  }
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const method = calleeName(call);
        if (method === undefined || !ADDERS.has(method) || call.arguments.length < 2) return;
        const receiver = receiverOf(call);
        if (!receiver) return;
        const lifetime = longLivedTarget(receiver);
        if (!lifetime) return;
        if (handedOn(call)) return;
        if (method === 'addEventListener' && removesItself(call.arguments[2])) return;
        const fn = enclosingFunction(call);
        if (!fn) return;
        const handler = skipParens(call.arguments[1]);
        // A caller's own callback handed through (`onExit(cb) { process.on('exit', cb) }`): the caller decides its lifetime.
        if (ts.isIdentifier(handler) && resolve(handler)?.kind === 'parameter') return;
        const repetition = repetitionOf(call, file);
        if (!repetition) return;
        if (guardedToRunOnce(call, repetition.kind === 'loop' ? repetition.node : 'fn' in repetition ? repetition.fn : fn)) return;
        const event = constantString(call.arguments[0]);
        if (removedInFile(receiver, event, file)) return;
        if (repetition.kind === 'effect' && returnsCleanup(repetition.fn)) return;
        const targetText = compact(file.textOf(skipParens(receiver)), 30);
        const remover = method === 'addEventListener' ? 'removeEventListener' : 'off';
        const data = {
          call: `${targetText}.${method}(${event !== undefined ? `'${compact(event, 20)}'` : '…'}, …)`,
          target: `\`${targetText}\``,
          repetition: describeRepetition(repetition, file),
          remover,
        };
        context.report({ node: call, messageId: repetition.kind === 'effect' ? 'effect' : 'leak', data });
      },
    };
  },
});

/**
 * The call's result is handed to another call, or put in a list or an object: a DOM builder's argument
 * (grainjs `dom('button', dom.on('click', …))`), which attaches the listener to the element being built and
 * drops it with that element — not a subscription on the receiver, whose registration is a statement or kept
 * for removal.
 */
function handedOn(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return (
    (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) ||
    ts.isArrayLiteralExpression(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isSpreadElement(parent)
  );
}

/** `{ once: true }` or `{ signal }`: the browser removes the listener itself. */
function removesItself(options: ts.Expression | undefined): boolean {
  if (!options) return false;
  const node = skipParens(options);
  if (!ts.isObjectLiteralExpression(node)) return false;
  return node.properties.some((property) => {
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (name === 'signal') return true;
    if (name === 'once' && ts.isPropertyAssignment(property)) return property.initializer.kind !== SK.FalseKeyword;
    return false;
  });
}

/** Something in the file removes listeners of this event (or all events) from the same target. */
function removedInFile(receiver: ts.Expression, event: string | undefined, file: FileFacts): boolean {
  const targetText = file.textOf(skipParens(receiver));
  for (const call of syntaxIndexOf(file.sourceFile).calls) {
    const method = calleeName(call);
    if (method === undefined || !REMOVERS.has(method)) continue;
    const other = receiverOf(call);
    if (!other || file.textOf(skipParens(other)) !== targetText) continue;
    if (method === 'removeAllListeners' && call.arguments.length === 0) return true;
    const otherEvent = constantString(call.arguments[0]);
    if (event === undefined || otherEvent === undefined || otherEvent === event) return true;
  }
  return false;
}

/** The effect returns a function (its cleanup): assume it undoes what the effect did. */
function returnsCleanup(fn: ts.Node): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  if (!ts.isBlock(fn.body)) return isFunctionLike(skipParens(fn.body));
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (isFunctionLike(node) && node !== fn)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipParens(node.expression);
      if (isFunctionLike(value) || ts.isIdentifier(value)) found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}
