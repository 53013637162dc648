/**
 * Family 10, strip the types: the `.js` twin of an example, as its author would have written it in JavaScript —
 * every file of the project through `ts.transpileModule` with ES modules kept, renamed `.ts` → `.js`
 * (`.tsx` → `.jsx`, `.mts` → `.mjs`). What the types said is gone; what the code does is the same.
 */
import { ts } from '../../../src/analyzers/ts';
import type { Snippet } from './source';

function jsName(filename: string): string {
  return filename
    .replace(/\.tsx$/, '.jsx')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs')
    .replace(/\.ts$/, '.js');
}

function strip(code: string, filename: string): string {
  return ts.transpileModule(code, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ESNext,
      jsx: ts.JsxEmit.Preserve,
      // Keep imports whose names the code only uses as types out (as a hand-written .js file would not have them),
      // and every other import as written.
      verbatimModuleSyntax: false,
      removeComments: false,
    },
  }).outputText;
}

export function stripTypeVariants(snippet: Snippet): Snippet[] {
  if (!/\.[cm]?tsx?$/.test(snippet.filename) || snippet.filename.endsWith('.d.ts')) return [];
  const files = Object.fromEntries(
    Object.entries(snippet.files).map(([name, text]) => [jsName(name), /\.[cm]?tsx?$/.test(name) ? strip(text, name) : text]),
  );
  return [{ filename: jsName(snippet.filename), code: strip(snippet.code, snippet.filename), files }];
}
