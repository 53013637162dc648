/**
 * The function around a line of source, in any language a grammar ships for: web-tree-sitter
 * with the prebuilt grammars of @vscode/tree-sitter-wasm. Profiles of plain JavaScript, and
 * pprof or folded stacks from other runtimes, often say only "file:line"; this puts such frames
 * in their enclosing function and gives every reported function its range.
 *
 * The .wasm files: the bundle (dist/cli.js) finds them in dist/tree-sitter/, where esbuild.mjs
 * copies them; from source (tests) they come from node_modules.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import type { ReadScope } from './readScope';

export interface SourceRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface EnclosingFunction {
  /** The function's name in the source, when it has one. */
  name: string | undefined;
  range: SourceRange;
}

/**
 * Grammar file (in @vscode/tree-sitter-wasm) by file extension. C, C++ and C# are left out on
 * purpose: their grammars weigh 10 MB and native frames rarely come with readable sources.
 */
const GRAMMARS: Record<string, string> = {
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.py': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.rb': 'ruby',
  '.php': 'php',
};

/** Syntax node types that are functions, across the grammars above. */
const FUNCTION_TYPES = new Set([
  // JavaScript, TypeScript
  'function_declaration',
  'function_expression',
  'function',
  'generator_function_declaration',
  'generator_function',
  'arrow_function',
  'method_definition',
  // Python, PHP
  'function_definition',
  'lambda',
  'lambda_expression',
  'anonymous_function',
  // Go
  'method_declaration',
  'func_literal',
  // Rust
  'function_item',
  'closure_expression',
  // Java
  'constructor_declaration',
  // Ruby
  'method',
  'singleton_method',
]);

/** Files larger than this are not parsed (a minified bundle gains nothing from it). */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

function grammarFor(file: string): string | undefined {
  return GRAMMARS[path.extname(file).toLowerCase()];
}

export class EnclosingFunctions {
  private readonly trees = new Map<string, Promise<Node | undefined>>();
  private readonly languages = new Map<string, Promise<Language>>();

  private constructor(
    private readonly assets: { runtime: string; grammars: string },
    private readonly scope: ReadScope,
  ) {}

  /** `scope`: the only source files it may read (a profile names them, and may come from anywhere). */
  static async create(scope: ReadScope): Promise<EnclosingFunctions> {
    const assets = locateAssets();
    await Parser.init({ locateFile: (name: string) => path.join(assets.runtime, name) });
    return new EnclosingFunctions(assets, scope);
  }

  /** The innermost function containing 1-based `line`/`column` (column 0: anywhere on the line). */
  async find(file: string, line: number, column: number): Promise<EnclosingFunction | undefined> {
    if (line <= 0) return undefined;
    const root = await this.treeOf(file);
    if (!root) return undefined;
    const row = line - 1;
    let node: Node | null;
    if (column > 0) node = root.descendantForPosition({ row, column: column - 1 });
    else {
      // Only the line is known: the first token on it that is not whitespace.
      node = root.descendantForPosition({ row, column: 0 }, { row, column: 0 });
      if (node && node.startPosition.row < row) {
        const first = firstOnLine(root, row);
        if (first) node = first;
      }
    }
    for (; node; node = node.parent) {
      if (FUNCTION_TYPES.has(node.type)) {
        return {
          name: functionName(node),
          range: {
            start: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
            end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 },
          },
        };
      }
    }
    return undefined;
  }

  private treeOf(file: string): Promise<Node | undefined> {
    let tree = this.trees.get(file);
    if (!tree) {
      tree = this.parse(file);
      this.trees.set(file, tree);
    }
    return tree;
  }

  private async parse(file: string): Promise<Node | undefined> {
    const grammar = grammarFor(file);
    if (!grammar) return undefined;
    // Outside the scope, missing, not a regular file or too large: no range (the scope notes refusals).
    const read = this.scope.read(file, { maxBytes: MAX_SOURCE_BYTES });
    if (!('bytes' in read)) return undefined;
    const text = read.bytes.toString('utf8');
    const parser = new Parser();
    parser.setLanguage(await this.language(grammar));
    const tree = parser.parse(text);
    parser.delete();
    return tree?.rootNode ?? undefined;
  }

  private language(grammar: string): Promise<Language> {
    let language = this.languages.get(grammar);
    if (!language) {
      language = Language.load(path.join(this.assets.grammars, `tree-sitter-${grammar}.wasm`));
      this.languages.set(grammar, language);
    }
    return language;
  }
}

function firstOnLine(root: Node, row: number): Node | undefined {
  let node: Node | null = root;
  while (node && node.childCount > 0) {
    let next: Node | null = null;
    for (const child of node.children) {
      if (child && child.endPosition.row >= row) {
        next = child;
        break;
      }
    }
    if (!next || next.startPosition.row > row) break;
    node = next;
  }
  return node ?? undefined;
}

function functionName(node: Node): string | undefined {
  const name = node.childForFieldName('name');
  if (name) return name.text;
  // `const f = () => …`, `f: function () {…}`: the name is the declarator's or the pair's.
  const parent = node.parent;
  const holder =
    parent && (parent.type === 'variable_declarator' || parent.type === 'pair' || parent.type === 'assignment_expression')
      ? parent
      : undefined;
  const named = holder?.childForFieldName('name') ?? holder?.childForFieldName('key') ?? holder?.childForFieldName('left');
  return named?.text;
}

/** dist/tree-sitter/ next to the bundle, or the packages in node_modules when run from source. */
function locateAssets(): { runtime: string; grammars: string } {
  const bundled = path.join(__dirname, 'tree-sitter');
  if (fs.existsSync(path.join(bundled, 'web-tree-sitter.wasm'))) return { runtime: bundled, grammars: bundled };
  const require = createRequire(path.join(__dirname, 'enclosing.js'));
  return {
    runtime: path.dirname(require.resolve('web-tree-sitter')),
    grammars: path.dirname(require.resolve('@vscode/tree-sitter-wasm')),
  };
}
