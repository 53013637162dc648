/**
 * Family 9, move a helper into another file: a top-level function the file calls (not its only export) moves to
 * `helpers.ts` beside it (`helpers.js` for a `.js` file), exported there and imported back; the imports it uses are
 * copied with it. Only helpers that use nothing else of their old file (no other top-level binding): those would have
 * to move or be exported too, a larger refactoring than this one.
 */
import * as path from 'node:path';
import { ts } from '../../../src/analyzers/ts';
import { applyEdits, descendants, isPropertyName, parse, type Snippet } from './source';

function topLevelNames(file: ts.SourceFile): Map<string, ts.Statement> {
  const names = new Map<string, ts.Statement>();
  for (const statement of file.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name)
      names.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        for (const id of descendants(d.name).concat(d.name).filter(ts.isIdentifier)) names.set(id.text, statement);
      }
    }
    if (ts.isEnumDeclaration(statement)) names.set(statement.name.text, statement);
  }
  return names;
}

function importedNames(file: ts.SourceFile): Map<string, ts.ImportDeclaration> {
  const names = new Map<string, ts.ImportDeclaration>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    if (clause.name) names.set(clause.name.text, statement);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.set(bindings.name.text, statement);
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.set(e.name.text, statement);
  }
  return names;
}

export function moveHelperVariants(snippet: Snippet): Snippet[] {
  const file = parse(snippet.code, snippet.filename);
  const helperFile = path.posix.join(
    path.posix.dirname(snippet.filename),
    /\.[cm]?jsx?$/.test(snippet.filename) ? 'helpers.js' : 'helpers.ts',
  );
  if (Object.hasOwn(snippet.files, helperFile)) return [];
  const topLevel = topLevelNames(file);
  const imports = importedNames(file);
  const variants: Snippet[] = [];
  for (const fn of file.statements) {
    if (!ts.isFunctionDeclaration(fn) || !fn.name || !fn.body) continue;
    const name = fn.name.text;
    const exported = fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
    if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) continue;
    const callers = descendants(file).filter((n) => ts.isIdentifier(n) && n.text === name && !isPropertyName(n) && n !== fn.name);
    // A helper is something the rest of the file uses; the file's own entry point stays where it is.
    if (callers.every((id) => id.getStart(file) >= fn.getStart(file) && id.getEnd() <= fn.getEnd())) continue;
    const used = new Set(
      descendants(fn)
        .filter((n): n is ts.Identifier => ts.isIdentifier(n) && !isPropertyName(n))
        .map((id) => id.text),
    );
    used.delete(name);
    const dependsOnFile = [...used].some(
      (n) =>
        topLevel.has(n) &&
        !descendants(fn).some(
          (d) =>
            (ts.isVariableDeclaration(d) || ts.isParameter(d) || ts.isFunctionDeclaration(d)) &&
            d.name &&
            ts.isIdentifier(d.name) &&
            d.name.text === n,
        ),
    );
    if (dependsOnFile) continue;
    const neededImports = [...new Set([...used].flatMap((n) => (imports.has(n) ? [imports.get(n)!] : [])))];
    const helperText = `${neededImports.map((i) => i.getText(file)).join('\n')}\n\n${exported ? '' : 'export '}${fn.getText(file)}\n`;
    const specifier = `./${path.posix.basename(helperFile).replace(/\.[jt]s$/, '')}`;
    const importLine = `import { ${name} } from '${specifier}';\n${exported ? `export { ${name} };\n` : ''}`;
    const lastImport = file.statements.filter(ts.isImportDeclaration).at(-1);
    const at = lastImport ? lastImport.getEnd() : 0;
    const code = applyEdits(snippet.code, [
      { start: fn.getFullStart(), end: fn.getEnd(), text: '' },
      { start: at, end: at, text: lastImport ? `\n${importLine}` : importLine },
    ]);
    variants.push({ ...snippet, code, files: { ...snippet.files, [helperFile]: helperText } });
  }
  return variants;
}
