/**
 * A profiled function placed in a source file the engine has parsed already: the editor's worker holds each open
 * document's syntax tree (its unsaved text included), so it finds the function around a profile's position there
 * instead of parsing the file from disk again as `scan --profile` does (profiles/enclosing.ts). Both take the
 * innermost function containing the position V8 gives a function (its name, or its parameters).
 */
import * as path from 'node:path';
import { ts } from '../analyzers/ts';
import { isFunctionLike } from '../analyzers/facts/ast';
import type { LocatedFunction, ProfiledFunction } from './functionTimes';

/** The profile's functions in `sourceFile`, each placed in the innermost function around its position. */
export function locateInSource(sourceFile: ts.SourceFile, file: string, functions: readonly ProfiledFunction[]): LocatedFunction[] {
  const located: LocatedFunction[] = [];
  const lineStarts = sourceFile.getLineStarts();
  for (const fn of functions) {
    if (fn.line <= 0 || fn.line > lineStarts.length) continue;
    const lineEnd = fn.line < lineStarts.length ? lineStarts[fn.line] : sourceFile.end;
    const position = Math.min(lineStarts[fn.line - 1] + Math.max(0, fn.column - 1), lineEnd);
    const around = innermostFunction(sourceFile, position);
    if (!around) continue;
    const start = sourceFile.getLineAndCharacterOfPosition(around.getStart(sourceFile));
    const end = sourceFile.getLineAndCharacterOfPosition(around.end);
    located.push({
      file: path.resolve(file),
      range: { start: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 } },
      selfMs: fn.selfMs,
      totalMs: fn.totalMs,
    });
  }
  return located;
}

function innermostFunction(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(sourceFile) || position >= node.end) return;
    if (isFunctionLike(node)) found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return found;
}
