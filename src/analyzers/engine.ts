/**
 * The engine: one walk of each file's raw syntax tree, every enabled rule listening for the
 * node kinds it cares about. Rules are isolated — one that throws is reported (with rule and
 * file) and disabled for that file; the others go on. Nothing a file does makes analysis throw:
 * a parser that gives up, a type checker that fails, code nested too deep are all the file's
 * `errors`, and the next file is analysed as if it had never been seen.
 */
import * as path from 'node:path';
import { ts } from './ts';
import type { Category, FileError, Finding, Fix, Severity, SkippedFile } from './finding';
import { FileFacts } from './facts/fileFacts';
import { emptySyntaxIndex, noteNode, rememberSyntaxIndex } from './facts/syntaxIndex';
import { describeFailure, FileFailure } from './failures';
import { checkText, readSourceFile } from './files';
import { minifiedLineLength } from './minified';
import { ProjectHost, syntaxErrors } from './project';
import { allRules } from './registry';
import { appliesTo } from './scope';
import { renderMessage, type NodeByKind, type Report, type Rule, type RuleContext, type Visitor } from './rule';
import { collectSuppressions, isSuppressed } from './suppress';
import { UNDECLARED, weigh } from './evidence';
import { forEachNodeInDocumentOrder } from './walk';
import type { PerfLensConfig } from './config';
import type { TypeFacts } from './facts/types';

export interface AnalyzerOptions {
  /** The rules to run (default: every registered rule). */
  rules?: readonly Rule[];
  config?: PerfLensConfig;
  /** Run only these rule ids (the CLI's `--rule`). */
  onlyRules?: readonly string[];
  /** Run only rules of these categories (the CLI's `--category`). */
  onlyCategories?: readonly Category[];
  /** The CLI treats a file with syntax errors as unparsable; the editor still analyses the recovered tree. */
  syntaxErrors?: 'skip' | 'analyze';
  /** Allow rules to ask the type checker (default true). */
  types?: boolean;
  host?: ProjectHost;
  /** Where rule crashes and degraded results are logged. */
  log?: (message: string) => void;
}

export interface FileAnalysis {
  file: string;
  findings: Finding[];
  errors: FileError[];
  skipped?: SkippedFile;
}

interface ActiveRule {
  rule: Rule;
  severity: Severity;
}

type Handler = (node: ts.Node) => void;

/** `SyntaxKind` numbers of the visitor keys, resolved once. */
const KIND_BY_NAME = new Map<string, ts.SyntaxKind>(
  (
    [
      'CallExpression',
      'NewExpression',
      'AwaitExpression',
      'PropertyAccessExpression',
      'BinaryExpression',
      'SpreadElement',
      'SpreadAssignment',
      'ArrayLiteralExpression',
      'ObjectLiteralExpression',
      'ForStatement',
      'ForOfStatement',
      'ForInStatement',
      'WhileStatement',
      'DoStatement',
      'Block',
      'VariableStatement',
      'VariableDeclaration',
      'FunctionDeclaration',
      'FunctionExpression',
      'ArrowFunction',
      'MethodDeclaration',
      'Identifier',
      'TaggedTemplateExpression',
    ] satisfies Array<keyof NodeByKind>
  ).map((name) => [name, ts.SyntaxKind[name]]),
);

export class Analyzer {
  readonly host: ProjectHost;
  private readonly active: ActiveRule[];
  private readonly log: (message: string) => void;

  constructor(private readonly options: AnalyzerOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.host = options.host ?? new ProjectHost({ onNote: this.log });
    this.active = selectRules(options);
  }

  get rules(): readonly Rule[] {
    return this.active.map((a) => a.rule);
  }

  /** Reads and analyses a file from disk (or its overlay), guarding size and binary content. */
  analyzeFile(fileName: string): FileAnalysis {
    const file = path.resolve(fileName);
    const overlay = this.host.overlay(file);
    if (overlay !== undefined) return this.analyzeText(file, overlay);
    const read = readSourceFile(file);
    if ('skipped' in read) return { file, findings: [], errors: [], skipped: { file, reason: read.skipped } };
    if ('error' in read) return { file, findings: [], errors: [{ file, message: read.error }] };
    return this.analyzeText(file, read.text);
  }

  /**
   * Analyses `text` as the content of `fileName` (unsaved editor text included). Never throws:
   * a failure outside the rules (the parser, the walk) makes the whole file one entry of `errors`.
   */
  analyzeText(fileName: string, text: string): FileAnalysis {
    const file = path.resolve(fileName);
    try {
      return this.analyzeOrThrow(file, text);
    } catch (error) {
      const message = describeFailure(error, 'the engine');
      // A parser that gave up is the file's problem, said in full in `errors`; anything else is a bug worth its stack.
      if (!(error instanceof FileFailure))
        this.log(`${message} (in ${file})${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
      return { file, findings: [], errors: [{ file, message }] };
    }
  }

  private analyzeOrThrow(file: string, text: string): FileAnalysis {
    const refusal = checkText(text);
    if (refusal) return { file, findings: [], errors: [], skipped: { file, reason: refusal } };
    // Skipped once here, for every rule: what a rule would say about a bundle is said better about its sources.
    const minifiedLine = minifiedLineLength(text);
    if (minifiedLine !== undefined) {
      const reason = `minified or bundled code (a line of ${Math.max(1, Math.round(minifiedLine / 1024))} KB): analyse its sources instead`;
      return { file, findings: [], errors: [], skipped: { file, reason } };
    }

    const sourceFile = this.host.parse(file, text);
    const errors: FileError[] = [];
    const parseErrors = syntaxErrors(sourceFile);
    if (parseErrors.length > 0 && this.options.syntaxErrors !== 'analyze') {
      const first = parseErrors[0];
      const { line, character } = sourceFile.getLineAndCharacterOfPosition(first.start);
      const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
      return { file, findings: [], errors: [{ file, message: `syntax error at ${line + 1}:${character + 1}: ${message}` }] };
    }

    const typeFacts = (): TypeFacts | undefined => {
      try {
        return this.host.typeFacts(file, text);
      } catch (error) {
        const message = `${describeFailure(error, 'the type checker')}; analysed without types`;
        errors.push({ file, message });
        return undefined;
      }
    };
    const facts = new FileFacts(file, text, sourceFile, this.options.types !== false ? typeFacts : undefined, this.host);
    const findings: Finding[] = [];
    const handlers: Array<Array<{ index: number; handler: Handler }> | undefined> = [];
    const visitors: Array<Visitor | undefined> = [];
    const failed = new Set<number>();

    const fail = (index: number, error: unknown): void => {
      if (failed.has(index)) return;
      failed.add(index);
      const rule = this.active[index].rule.meta.id;
      const message = describeFailure(error, `rule ${rule}`);
      errors.push({ file, message, rule });
      this.log(`${message} (in ${file})${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
    };

    this.active.forEach((active, index) => {
      const context: RuleContext = {
        file: facts,
        report: (report) => {
          const finding = this.toFinding(active, report, facts);
          if (finding) findings.push(finding);
        },
      };
      let visitor: Visitor;
      try {
        // Where its scope says the rule does not apply, it is not even asked for a visitor.
        if (!appliesTo(active.rule.meta.scope, facts)) return;
        visitor = active.rule.check(context);
      } catch (error) {
        fail(index, error);
        return;
      }
      visitors[index] = visitor;
      for (const [name, handler] of Object.entries(visitor)) {
        if (name === 'onEnd' || typeof handler !== 'function') continue;
        const kind = KIND_BY_NAME.get(name);
        if (kind === undefined) {
          fail(index, new Error(`unknown visitor key "${name}"`));
          return;
        }
        (handlers[kind] ??= []).push({ index, handler: handler as Handler });
      }
    });

    // One walk gathers the nodes rules listen for and the whole-file index facts search, in
    // document order; handlers run after it, so a fact asked mid-way already sees the whole file.
    const index = emptySyntaxIndex();
    const subscribed: ts.Node[] = [];
    forEachNodeInDocumentOrder(sourceFile, (node) => {
      if (handlers[node.kind]) subscribed.push(node);
      noteNode(index, node);
    });
    rememberSyntaxIndex(sourceFile, index);
    for (const node of subscribed) {
      for (const { index: ruleIndex, handler } of handlers[node.kind]!) {
        if (failed.has(ruleIndex)) continue;
        try {
          handler(node);
        } catch (error) {
          fail(ruleIndex, error);
        }
      }
    }

    visitors.forEach((visitor, index) => {
      if (!visitor?.onEnd || failed.has(index)) return;
      try {
        visitor.onEnd();
      } catch (error) {
        fail(index, error);
      }
    });

    // A crashed rule's partial reports are dropped: half a rule's answer is worse than none.
    const crashed = new Set([...failed].map((index) => this.active[index].rule.meta.id));
    let kept = crashed.size > 0 ? findings.filter((f) => !crashed.has(f.rule)) : findings;
    if (kept.length > 0 && text.includes('perflens-disable')) {
      const suppressions = collectSuppressions(text, sourceFile, facts.lines);
      kept = kept.filter((finding) => !isSuppressed(suppressions, finding.rule, finding.range.start.line));
    }
    kept.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
    return { file, findings: dedupe(kept), errors };
  }

  private toFinding(active: ActiveRule, report: Report, facts: FileFacts): Finding | undefined {
    const meta = active.rule.meta;
    const template = meta.messages[report.messageId];
    if (template === undefined) throw new Error(`unknown messageId "${report.messageId}"`);
    const start = report.node ? facts.start(report.node) : report.start;
    const end = report.node ? report.node.end : report.end;
    if (start === undefined || end === undefined) throw new Error('a report needs a node or start and end offsets');
    // Severity from evidence, once for every rule: a finding on provably small data or in once-only code is not reported.
    const at = report.node ?? nodeAt(facts.sourceFile, start);
    const { evidence, severity } = weigh(report, at, facts, meta.evidence ?? UNDECLARED, active.severity);
    if (severity === undefined) return undefined;
    const fixes: Fix[] = [];
    for (const spec of report.fixes ?? []) {
      if (meta.fix === 'none') break;
      // A rule never claims more certainty than its meta declares.
      const safe = spec.kind === 'safe' && meta.fix === 'safe';
      fixes.push({ title: spec.title, safe, edits: spec.edits });
    }
    return {
      rule: meta.id,
      messageId: report.messageId,
      data: report.data ?? {},
      category: meta.category,
      severity,
      configuredSeverity: active.severity,
      ...renderMessage(template, report.data),
      file: facts.fileName,
      range: facts.lines.range(start, end),
      start,
      end,
      impact: meta.impact,
      effort: meta.effort,
      fixes,
      hotness: null,
      evidence,
    };
  }
}

/** The innermost node that starts at `offset` or holds it (a report given by offsets). */
function nodeAt(sourceFile: ts.SourceFile, offset: number): ts.Node {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child: ts.Node | undefined = ts.forEachChild(node, (c) => (c.getStart(sourceFile) <= offset && offset < c.end ? c : undefined));
    if (!child) return node;
    node = child;
  }
}

/** Two reports of the same rule on the same range say the same thing once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}:${finding.start}:${finding.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function selectRules(options: AnalyzerOptions): ActiveRule[] {
  const rules = options.rules ?? allRules;
  const settings = options.config?.rules ?? {};
  const active: ActiveRule[] = [];
  for (const rule of rules) {
    const id = rule.meta.id;
    if (options.onlyRules && options.onlyRules.length > 0 && !options.onlyRules.includes(id)) continue;
    if (options.onlyCategories && options.onlyCategories.length > 0 && !options.onlyCategories.includes(rule.meta.category)) continue;
    const setting = settings[id];
    // A rule asked for by id (`--rule`) runs even when the config turned it off: the user just asked for it.
    const named = options.onlyRules?.includes(id) ?? false;
    if (setting === 'off' && !named) continue;
    const severity = setting === undefined || setting === 'off' ? (rule.meta.defaultSeverity ?? 'warning') : setting;
    active.push({ rule, severity });
  }
  return active;
}

export interface ScanResult {
  files: number;
  durationMs: number;
  findings: Finding[];
  errors: FileError[];
  skipped: SkippedFile[];
}

/**
 * Analyses files from disk, or texts given in memory, and gathers the results.
 * @internal exported for test/analyzers/engine.test.ts and test/examples/shop-api.test.ts
 */
export function analyze(inputs: ReadonlyArray<string | { file: string; text: string }>, options: AnalyzerOptions = {}): ScanResult {
  const started = performance.now();
  const analyzer = new Analyzer(options);
  const result: ScanResult = { files: 0, durationMs: 0, findings: [], errors: [], skipped: [] };
  for (const input of inputs) {
    const analysis = typeof input === 'string' ? analyzer.analyzeFile(input) : analyzer.analyzeText(input.file, input.text);
    if (analysis.skipped) result.skipped.push(analysis.skipped);
    else result.files++;
    result.findings.push(...analysis.findings);
    result.errors.push(...analysis.errors);
  }
  result.durationMs = performance.now() - started;
  return result;
}
