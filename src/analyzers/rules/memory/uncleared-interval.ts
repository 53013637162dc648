import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, dottedName, enclosingFunction, isFunctionLike, skipParens, skipParensUp } from '../../facts/ast';
import { lookup } from '../../facts/dataflow';
import { syntaxIndexOf } from '../../facts/syntaxIndex';
import { describeRepetition, guardedToRunOnce, repetitionOf, type Repetition } from '../../facts/lifetime';
import type { FileFacts } from '../../facts/fileFacts';
import { instancesOf } from '../../facts/modules';
import { executionContext } from '../../facts/context';

const SK = ts.SyntaxKind;

export default defineRule({
  meta: {
    id: 'uncleared-interval',
    category: 'memory',
    description:
      'A `setInterval` started by code that runs again and again (a request handler, a loop, a React effect, a ' +
      'constructor) and never cleared.',
    why:
      'An interval runs until it is cleared, and keeps alive its callback and everything the callback captures — ' +
      'a request, a component, `this`. Started once per request, per item, per mount or per instance and never ' +
      'cleared, intervals pile up: memory grows without bound and the event loop wakes for every one of them. A ' +
      'component that polls every second and is mounted 500 times leaves 500 timers running after it is gone.',
    howToFix:
      'Keep the handle and clear it when the work is done (`const timer = setInterval(…)` … `clearInterval(timer)`); ' +
      'in a React effect, return `() => clearInterval(timer)`; in a class, clear it in a `close`/`dispose`/`destroy` ' +
      'method. For a single process-wide timer, start it once at module level.',
    notReported: [
      'Intervals at module level or behind a once-guard',
      'Intervals whose handle is cleared anywhere in the file',
      'Intervals started in the constructor of a class that the project only ever constructs at module top level ' +
        '(`export const manager = new Manager()`, in its own file or a file importing it) or in a function that sets up ' +
        'the application (one that calls `app.listen`, `NestFactory.create`): once per process',
    ],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'claim',
      why: 'a timer left running piles up only where the code that starts it runs again and again: per request, per job, per instance those paths make',
      leak: true,
    },
    fix: 'none',
    scope: { skip: ['tests', 'scripts', 'build-config'], triggers: ['setInterval'] },
    messages: {
      discarded: {
        message:
          '`setInterval(…)` starts a timer every time {{repetition}}, and its handle is thrown away, so nothing can ever ' +
          'stop it: timers — and everything their callbacks capture — accumulate.',
        note: 'Keep the handle and `clearInterval` it when the work is done.',
      },
      neverCleared: {
        message:
          '`setInterval(…)` starts a timer every time {{repetition}}; its handle `{{handle}}` is never passed to ' +
          '`clearInterval` in this file, so the timers — and everything their callbacks capture — accumulate.',
        note: 'Clear it when the work is done.',
      },
      instance: {
        message:
          '`setInterval(…)` in a constructor starts a timer for every instance that nothing in this file ever clears: each ' +
          'timer keeps running, and keeps alive everything its callback captures{{captures}}, for the life of the program.',
        note: 'Keep the handle and clear it in a `close`/`dispose` method.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { useEffect, useState } from 'react';

export function useNow(every: number) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    setInterval(() => setNow(Date.now()), every);
  }, [every]);
  return now;
}`,
          errors: [{ messageId: 'discarded', line: 6, column: 5 }],
        },
        {
          code: `export class Poller {
  private latest: unknown;
  constructor(private readonly url: string) {
    setInterval(async () => {
      this.latest = await (await fetch(this.url)).json();
    }, 5000);
  }
}`,
          errors: [{ messageId: 'instance', line: 4, column: 5 }],
        },
        {
          code: `import express from 'express';

const app = express();
app.post('/jobs/:id/watch', (req, res) => {
  const timer = setInterval(() => console.log('still running', req.params.id), 1000);
  res.json({ watching: true, timer: String(timer) });
});`,
          errors: [{ messageId: 'neverCleared', line: 5, column: 17 }],
        },
      ],
      valid: [
        `// One timer for the whole process, started at module level.
setInterval(() => console.log(process.memoryUsage().rss), 60_000).unref();`,
        `// Cleared by the effect's cleanup.
import { useEffect, useState } from 'react';
export function useNow() {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}`,
        `// The class clears its timer.
export class Poller {
  private timer: ReturnType<typeof setInterval>;
  constructor() {
    this.timer = setInterval(() => this.poll(), 5000);
  }
  poll() {}
  close() {
    clearInterval(this.timer);
  }
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    return {
      CallExpression(call) {
        const callee = skipParens(call.expression);
        const name = ts.isIdentifier(callee)
          ? callee.text
          : ts.isPropertyAccessExpression(callee) &&
              ts.isIdentifier(callee.expression) &&
              ['window', 'globalThis', 'global', 'self'].includes(callee.expression.text)
            ? callee.name.text
            : undefined;
        if (name !== 'setInterval' || lookup('setInterval', call) || call.arguments.length === 0) return;
        const fn = enclosingFunction(call);
        if (!fn) return;
        const handle = handleOf(call);
        if (handle && clearedInFile(handle, file)) return;
        const repetition: Repetition | 'constructor' | undefined =
          repetitionOf(call, file) ?? (insideConstructor(call) ? 'constructor' : undefined);
        if (!repetition) return;
        if (repetition !== 'constructor' && guardedToRunOnce(call, repetition.kind === 'loop' ? repetition.node : repetition.fn)) return;
        if (repetition !== 'constructor' && repetition.kind === 'effect' && returnsCleanup(repetition.fn)) return;
        if (repetition === 'constructor') {
          const cls = classOfConstructor(call);
          if (cls && onlyConstructedOnce(cls, file)) return;
          context.report({
            node: call,
            messageId: 'instance',
            data: { captures: mentionsThis(call.arguments[0]) ? ' — here `this`, the whole instance' : '' },
          });
          return;
        }
        const described = describeRepetition(repetition, file);
        if (handle) context.report({ node: call, messageId: 'neverCleared', data: { repetition: described, handle } });
        else context.report({ node: call, messageId: 'discarded', data: { repetition: described } });
      },
    };
  },
});

/**
 * Where the handle goes: `timer` for `const timer = setInterval(…)`, `this.timer` for
 * `this.timer = setInterval(…)`; undefined when it is thrown away (or `.unref()`ed and dropped).
 */
function handleOf(call: ts.CallExpression): string | undefined {
  let outer: ts.Node = skipParensUp(call);
  // `setInterval(…).unref()` returns the same timer.
  const access = outer.parent;
  if (
    access &&
    ts.isPropertyAccessExpression(access) &&
    access.expression === outer &&
    (access.name.text === 'unref' || access.name.text === 'ref')
  ) {
    const unref = access.parent;
    if (unref && ts.isCallExpression(unref) && unref.expression === access) outer = skipParensUp(unref);
  }
  const parent = outer.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.right === outer && parent.operatorToken.kind === SK.EqualsToken)
    return dottedName(parent.left);
  // Handed on (returned, stored in an object, passed to a function): someone else may clear it.
  if (ts.isExpressionStatement(parent)) return undefined;
  return '(handed on)';
}

/** `clearInterval(timer)` (or clearTimeout, which clears intervals too) somewhere in the file, for the same handle's last name. */
function clearedInFile(handle: string, file: FileFacts): boolean {
  if (handle === '(handed on)') return true;
  const last = handle.split('.').pop()!;
  for (const call of syntaxIndexOf(file.sourceFile).calls) {
    const name = calleeName(call);
    if (name !== 'clearInterval' && name !== 'clearTimeout') continue;
    const argument = call.arguments[0] && skipParens(call.arguments[0]);
    if (!argument) continue;
    const text = dottedName(argument);
    if (text === handle || text?.split('.').pop() === last) return true;
  }
  return false;
}

function insideConstructor(call: ts.CallExpression): boolean {
  for (let current = call.parent; current; current = current.parent) {
    if (ts.isConstructorDeclaration(current)) return true;
    if (isFunctionLike(current) && !ts.isArrowFunction(current)) return false;
  }
  return false;
}

/** The class declaration whose constructor `call` runs in (undefined for a class expression). */
function classOfConstructor(call: ts.CallExpression): ts.ClassDeclaration | undefined {
  for (let current = call.parent; current; current = current.parent) {
    if (ts.isConstructorDeclaration(current)) return ts.isClassDeclaration(current.parent) ? current.parent : undefined;
  }
  return undefined;
}

/**
 * Every instance of `cls` the project shows is built at module top level, outside loops and functions
 * (`export const manager = new Manager()`, in its file or one importing it): a module runs once per process,
 * so its constructor — and the timer — does too. Unknown sites (the class handed on, extended, exported
 * where the project's files are not known) or none at all leave the claim standing.
 */
function onlyConstructedOnce(cls: ts.ClassDeclaration, file: FileFacts): boolean {
  const { sites, complete } = instancesOf(cls, file);
  return (
    complete &&
    sites.length > 0 &&
    sites.every((site) => runsOnceAtLoad(site.node) || executionContext(site.node, site.facts).context === 'startup')
  );
}

function runsOnceAtLoad(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isSourceFile(current)) return true;
    if (isFunctionLike(current) || ts.isIterationStatement(current, false)) return false;
    // A field's initializer runs per instance of the class holding it; a static one, once.
    if (ts.isPropertyDeclaration(current) && !current.modifiers?.some((modifier) => modifier.kind === SK.StaticKeyword)) return false;
  }
  return false;
}

function returnsCleanup(fn: ts.Node): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  if (!ts.isBlock(fn.body)) return false;
  return fn.body.statements.some((statement) => ts.isReturnStatement(statement) && !!statement.expression);
}

function mentionsThis(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (current.kind === SK.ThisKeyword) found = true;
    else if (!(isFunctionLike(current) && !ts.isArrowFunction(current))) ts.forEachChild(current, visit);
  };
  visit(skipParens(node as ts.Expression));
  return found;
}
