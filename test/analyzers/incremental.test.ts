/**
 * Files being edited are re-parsed incrementally. The tree must be exactly what a fresh parse
 * gives — same nodes, same positions, parent pointers intact — or rules would see a stale file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectHost, textChangeRange } from '../../src/analyzers/project';
import { ts } from '../../src/analyzers/ts';

/**
 * Kind and span of every node, depth first, with the kind and span of the node its parent pointer
 * names (-1s for none), as numbers: thousands of trees are compared, and building text for each
 * was a third of this file's time. (In some broken code TypeScript's own fresh parse leaves a
 * child pointing at a discarded twin of its parent, so parents are compared by span with the fresh
 * parse, not by identity.)
 */
function shape(sourceFile: ts.SourceFile): number[] {
  const out: number[] = [];
  const visit = (node: ts.Node): void => {
    const parent = node.parent as ts.Node | undefined;
    out.push(node.kind, node.pos, node.end, parent?.kind ?? -1, parent?.pos ?? -1, parent?.end ?? -1);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

function sameShape(a: ts.SourceFile, b: ts.SourceFile): boolean {
  const [left, right] = [shape(a), shape(b)];
  return left.length === right.length && left.every((value, at) => value === right[at]);
}

/** A deterministic pseudo-random sequence. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SNIPPETS = ['a', ' ', 'await ', '(', ')', '{', '}', ';', '\n', 'for (const x of xs) {', '`${', '/*', '*/', '"', 'x.includes(y)', ''];

describe('incremental parsing of edited files', () => {
  const file = path.resolve(__dirname, '../../src/analyzers/engine.ts');
  const original = fs.readFileSync(file, 'utf8');

  it('gives the same tree as a fresh parse after each of 300 edits, broken syntax included', () => {
    const host = new ProjectHost();
    host.setOverlay(file, original);
    const next = random(42);
    let text = original;
    host.parse(file, text);
    for (let i = 0; i < 300; i++) {
      const start = Math.floor(next() * text.length);
      const length = Math.floor(next() * 12);
      const insert = SNIPPETS[Math.floor(next() * SNIPPETS.length)];
      text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + length));
      const incremental = host.parse(file, text);
      const fresh = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      // Compared as strings only when they differ: a 300-edit diff of whole trees is unreadable.
      if (!sameShape(incremental, fresh))
        expect.fail(`edit ${i} (${JSON.stringify(insert)} at ${start}) gives a different tree than a fresh parse`);
      expect(incremental.text).toBe(text);
    }
  });

  it('gives the same tree as a fresh parse over 300 well-formed edits (typing in names)', () => {
    const host = new ProjectHost();
    host.setOverlay(file, original);
    const next = random(7);
    let text = original;
    host.parse(file, text);
    const fresh = (t: string) => ts.createSourceFile(file, t, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    let incrementalEdits = 0;
    // The fresh parse of the text being edited: the previous edit's, from the second edit on.
    let tree = fresh(text);
    for (let i = 0; i < 300; i++) {
      // Typing at the end of an identifier keeps the file well-formed.
      const positions: number[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node)) positions.push(node.end);
        ts.forEachChild(node, visit);
      };
      visit(tree);
      const at = positions[Math.floor(next() * positions.length)];
      const candidate = text.slice(0, at) + (next() < 0.5 ? 'x' : 'y') + text.slice(at);
      const before = host.parse(file, text);
      const lastStatement = before.statements[before.statements.length - 1];
      const after = host.parse(file, candidate);
      // An incremental parse re-uses the nodes the edit did not touch; a fresh parse re-uses none.
      if (at < lastStatement.pos && after.statements[after.statements.length - 1] === lastStatement) incrementalEdits++;
      tree = fresh(candidate);
      if (!sameShape(after, tree)) expect.fail(`well-formed edit ${i} gives a different tree than a fresh parse`);
      text = candidate;
    }
    expect(incrementalEdits).toBeGreaterThan(200);
  });

  it('gives the same tree as a fresh parse for 1,000 single broken edits of a well-formed file', () => {
    const next = random(99);
    const host = new ProjectHost();
    for (let i = 0; i < 1000; i++) {
      host.setOverlay(file, original);
      host.parse(file, original);
      const start = Math.floor(next() * original.length);
      const length = Math.floor(next() * 12);
      const insert = SNIPPETS[Math.floor(next() * SNIPPETS.length)];
      const text = original.slice(0, start) + insert + original.slice(Math.min(original.length, start + length));
      const incremental = host.parse(file, text);
      const fresh = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      if (!sameShape(incremental, fresh))
        expect.fail(`single edit ${i} (${JSON.stringify(insert)} at ${start}) gives a different tree than a fresh parse`);
    }
  });

  it('parses fresh when there is no overlay (a scan keeps no trees)', () => {
    const host = new ProjectHost();
    const a = host.parse(file, original);
    const b = host.parse(file, original);
    expect(a).not.toBe(b);
  });

  it('finds the one changed region', () => {
    expect(textChangeRange('abcdef', 'abXYef')).toEqual({ span: { start: 2, length: 2 }, newLength: 2 });
    expect(textChangeRange('aaaa', 'aaaaa')).toEqual({ span: { start: 4, length: 0 }, newLength: 1 });
    expect(textChangeRange('abc', '')).toEqual({ span: { start: 0, length: 3 }, newLength: 0 });
  });
});
