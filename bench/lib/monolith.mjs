// Builds a 4,000–5,000-line TypeScript file out of the example service (examples/shop-api/src):
// application code of the kind PerfLens is for, dense with the patterns its rules inspect.
// Each source file becomes a namespace (`namespace copy2_orders { … }`) so that repeated copies
// declare the same names without clashing; the imports are hoisted, merged once at the top,
// and relative imports point where they would from the monolith's own folder (src/).
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * @param {typeof import('typescript')} ts
 * @param {string} sourceRoot the example's src/ folder; the monolith pretends to live in it
 * @param {{ minLines: number, maxLines: number }} size
 * @returns {{ text: string, lines: number, copies: number, sources: number }}
 */
export function buildMonolith(ts, sourceRoot, { minLines, maxLines }) {
  const sources = listTypeScript(sourceRoot).map((file) => splitImports(ts, sourceRoot, file));
  const imports = mergeImports(sources.flatMap((source) => source.imports));
  const header = `${imports.join('\n')}\n`;
  let text = header;
  let lines = countLines(header);
  let copies = 0;
  for (let copy = 1; ; copy++) {
    for (const source of sources) {
      const block = `\nnamespace copy${copy}_${source.name} {\n${source.body}\n}\n`;
      const blockLines = countLines(block) - 1;
      if (lines + blockLines > maxLines) {
        if (lines < minLines)
          throw new Error(`cannot reach ${minLines} lines without passing ${maxLines}: ${source.file} alone has ${blockLines}`);
        return { text, lines, copies, sources: sources.length };
      }
      text += block;
      lines += blockLines;
    }
    copies = copy;
  }
}

function listTypeScript(directory) {
  const found = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const absolute = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...listTypeScript(absolute));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(absolute);
  }
  return found;
}

/** One source file: its import clauses (module resolved to the monolith's folder) and the rest. */
function splitImports(ts, sourceRoot, file) {
  const text = fs.readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = [];
  let bodyStart = 0;
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) throw new Error(`${file}: \`export default\` cannot live in a namespace`);
    if (!ts.isImportDeclaration(statement)) continue;
    let module = statement.moduleSpecifier.text;
    if (module.startsWith('.')) {
      const relative = path
        .relative(sourceRoot, path.resolve(path.dirname(file), module))
        .split(path.sep)
        .join('/');
      module = relative.startsWith('.') ? relative : `./${relative}`;
    }
    const clause = statement.importClause;
    if (clause) imports.push({ module, typeOnly: clause.isTypeOnly, clause: clause.getText(sourceFile) });
    bodyStart = statement.end;
  }
  const name = path
    .relative(sourceRoot, file)
    .replace(/\.ts$/, '')
    .replace(/[^A-Za-z0-9]+/g, '_');
  return { file, name, imports, body: text.slice(bodyStart).trim() };
}

/** One import line per module with every name any file imported from it; a name bound twice differently is an error. */
function mergeImports(imports) {
  const byModule = new Map();
  const boundBy = new Map();
  const bind = (local, module) => {
    const previous = boundBy.get(local);
    if (previous && previous !== module) throw new Error(`"${local}" is imported from both ${previous} and ${module}`);
    boundBy.set(local, module);
  };
  for (const { module, typeOnly, clause } of imports) {
    const entry = byModule.get(module) ?? { defaultName: undefined, namespace: undefined, named: new Set() };
    byModule.set(module, entry);
    const match = /^(?:type\s+)?(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\*\s+as\s+([A-Za-z_$][\w$]*)|\{([^}]*)\})?$/s.exec(clause.trim());
    if (!match) throw new Error(`unexpected import clause: ${clause}`);
    const [, defaultName, namespace, named] = match;
    if (defaultName) bind((entry.defaultName = defaultName), module);
    if (namespace) bind((entry.namespace = namespace), module);
    for (const part of (named ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const specifier = typeOnly && !part.startsWith('type ') ? `type ${part}` : part;
      entry.named.add(specifier);
      bind(
        specifier
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)
          .pop(),
        module,
      );
    }
  }
  return [...byModule.entries()].map(([module, { defaultName, namespace, named }]) => {
    const parts = [];
    if (defaultName) parts.push(defaultName);
    if (namespace) parts.push(`* as ${namespace}`);
    // A name imported both as a type and as a value needs only the value form.
    const values = new Set([...named].filter((n) => !n.startsWith('type ')));
    const kept = [...named].filter((n) => !n.startsWith('type ') || !values.has(n.slice(5))).sort();
    if (kept.length > 0) parts.push(`{ ${kept.join(', ')} }`);
    return `import ${parts.join(', ')} from '${module}';`;
  });
}

function countLines(text) {
  return text.split('\n').length;
}
