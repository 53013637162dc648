/** lookup-in-loop's own helper: which function's call runs a node (src/analyzers/rules/complexity/lookup-in-loop/executionOwner.ts). */
import { describe, expect, it } from 'vitest';
import { ts } from '../../../../src/analyzers/ts';
import { ProjectHost } from '../../../../src/analyzers/project';
import { executionOwner, runsDuringArrayCall } from '../../../../src/analyzers/rules/complexity/lookup-in-loop/executionOwner';

const host = new ProjectHost();

/** The call of `g` in `code`. */
function callOfG(code: string): ts.CallExpression {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'g') found = node;
    ts.forEachChild(node, visit);
  };
  visit(host.parse('/virtual/owner.ts', code));
  if (!found) throw new Error('no call of g');
  return found;
}

describe('executionOwner', () => {
  it('looks through synchronous array callbacks for the owner of a node', () => {
    const call = callOfG(`function f(xs: number[]) { xs.forEach((x) => g(x)); }`);
    expect(executionOwner(call)?.kind).toBe(ts.SyntaxKind.ArrowFunction);
    expect(executionOwner(call, () => true)).toBeUndefined();
    expect(executionOwner(call, runsDuringArrayCall)?.kind).toBe(ts.SyntaxKind.FunctionDeclaration);
  });

  it('stops at a callback handed to something that is not an array: it may run later', () => {
    const call = callOfG(`function f(emitter: Emitter) { emitter.on('x', (x) => g(x)); }`);
    expect(executionOwner(call, runsDuringArrayCall)?.kind).toBe(ts.SyntaxKind.ArrowFunction);
  });
});
