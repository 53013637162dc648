/**
 * Everything a rule may ask about the file being analysed. Derived facts are computed on first
 * use and cached for the file, so rules that ask the same question share the answer.
 */
import type { ts } from '../ts';
import { LineIndex } from '../text';
import { FILE_KIND_DEFINITIONS, type FileKind } from './fileKinds';
import { enclosingAsyncFunction, isModuleTopLevel } from './positions';
import { enclosingRequestHandler, type RequestHandler } from './requestHandlers';
import { ImportTable, isShadowed, type ImportOrigin } from './imports';
import { enclosingIteration, iterationsAround, type Iteration } from './loops';
import { isFunctionLike, startOf, type FunctionLike } from './ast';
import type { TypeFacts } from './types';
import type { ModuleHost } from './modules';

export class FileFacts {
  private importTable: ImportTable | undefined;
  private lineIndex: LineIndex | undefined;
  private readonly kinds = new Map<FileKind, boolean>();
  private typeFacts: TypeFacts | null | undefined;
  private readonly handlerCache = new Map<ts.Node, RequestHandler | null>();

  constructor(
    /** Absolute path. */
    readonly fileName: string,
    readonly text: string,
    readonly sourceFile: ts.SourceFile,
    private readonly typeFactsProvider?: () => TypeFacts | undefined,
    /** Other files of the project, for facts that follow a call into them (absent: this file only). */
    readonly modules?: ModuleHost,
  ) {}

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  get imports(): ImportTable {
    return (this.importTable ??= new ImportTable(this.sourceFile));
  }

  /** The import a module-level name comes from, unless a local declaration shadows it at `at`. */
  originOf(name: string, at: ts.Node): ImportOrigin | undefined {
    const origin = this.imports.get(name);
    if (!origin || isShadowed(name, at)) return undefined;
    return origin;
  }

  /** Innermost loop or iteration callback that repeats `node`. */
  iteration(node: ts.Node): Iteration | undefined {
    return enclosingIteration(node);
  }

  /** All loops and iteration callbacks that repeat `node`, innermost first. */
  iterations(node: ts.Node): Iteration[] {
    return iterationsAround(node);
  }

  requestHandler(node: ts.Node): RequestHandler | undefined {
    // Cache by the nearest function: every node in it has the same answer.
    let fnNode: ts.Node | undefined = node.parent;
    while (fnNode && !isFunctionLike(fnNode)) fnNode = fnNode.parent;
    if (!fnNode) return undefined;
    const cached = this.handlerCache.get(fnNode);
    if (cached !== undefined) return cached ?? undefined;
    const handler = enclosingRequestHandler(node, this.fileName);
    this.handlerCache.set(fnNode, handler ?? null);
    return handler;
  }

  asyncFunction(node: ts.Node): FunctionLike | undefined {
    return enclosingAsyncFunction(node);
  }

  isTopLevel(node: ts.Node): boolean {
    return isModuleTopLevel(node);
  }

  /** Whether the file is of `kind` (a test, a script…), decided on first use. */
  is(kind: FileKind): boolean {
    let answer = this.kinds.get(kind);
    if (answer === undefined) {
      answer = FILE_KIND_DEFINITIONS[kind].test(this);
      this.kinds.set(kind, answer);
    }
    return answer;
  }

  /**
   * Type information, built lazily (a type checker costs far more than the syntax walk):
   * ask only when syntax cannot decide. Undefined when types are unavailable.
   */
  types(): TypeFacts | undefined {
    if (this.typeFacts === undefined) this.typeFacts = this.typeFactsProvider?.() ?? null;
    return this.typeFacts ?? undefined;
  }

  start(node: ts.Node): number {
    return startOf(node, this.sourceFile);
  }

  /** Source text of a node, without leading trivia. */
  textOf(node: ts.Node): string {
    return this.text.slice(this.start(node), node.end);
  }
}
