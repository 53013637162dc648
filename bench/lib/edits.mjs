// Realistic single edits inside function bodies — what a keystroke or a small change does to a
// file while the editor re-analyses it. Positions are pseudo-random but seeded, so every run
// times the same 50 texts.
import { seededRandom } from './stats.mjs';

const EDIT_KINDS = ['insert-char', 'delete-char', 'insert-token', 'delete-token'];

/**
 * @typedef {{ kind: string, start: number, end: number, newText: string }} Edit
 * @param {typeof import('typescript')} ts the engine's TypeScript
 * @param {import('typescript').SourceFile} sourceFile
 * @param {number} count
 * @param {number} seed
 * @returns {Edit[]}
 */
export function planEdits(ts, sourceFile, count, seed) {
  const identifiers = [];
  const calls = [];
  const visit = (node, inBody) => {
    if (inBody && ts.isIdentifier(node)) identifiers.push(node);
    if (inBody && ts.isCallExpression(node) && !ts.isAwaitExpression(node.parent)) calls.push(node);
    const body = isFunctionLike(ts, node) ? node.body : undefined;
    ts.forEachChild(node, (child) => visit(child, inBody || (body !== undefined && child === body && ts.isBlock(body))));
  };
  visit(sourceFile, false);
  if (identifiers.length === 0 || calls.length === 0) throw new Error(`${sourceFile.fileName}: no function bodies to edit`);

  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const edits = [];
  for (let i = 0; i < count; i++) {
    const kind = EDIT_KINDS[i % EDIT_KINDS.length];
    switch (kind) {
      case 'insert-char': {
        // Typing at the end of a name: `order` → `orderx`.
        const name = pick(identifiers);
        const letter = String.fromCharCode(97 + Math.floor(random() * 26));
        edits.push({ kind, start: name.end, end: name.end, newText: letter });
        break;
      }
      case 'delete-char': {
        // Backspace at the end of a name.
        const name = pick(identifiers);
        edits.push({ kind, start: name.end - 1, end: name.end, newText: '' });
        break;
      }
      case 'insert-token': {
        // Adding (or mistyping) an `await` in front of a call.
        const call = pick(calls);
        const start = call.getStart(sourceFile);
        edits.push({ kind, start, end: start, newText: 'await ' });
        break;
      }
      case 'delete-token': {
        // Deleting a whole word: often leaves the text unparsable for a moment, as real typing does.
        const name = pick(identifiers);
        edits.push({ kind, start: name.getStart(sourceFile), end: name.end, newText: '' });
        break;
      }
    }
  }
  return edits;
}

/** @param {string} text @param {Edit} edit */
export function applyEdit(text, edit) {
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

function isFunctionLike(ts, node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}
