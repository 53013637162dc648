import type { ts } from './ts';
import type { Category, FixKind, MessageData, Rating, Severity, TextEdit } from './finding';
import type { FileFacts } from './facts/fileFacts';
import type { FileKind } from './facts/fileKinds';
import type { Iteration } from './facts/loops';
import type { ScaleFact } from './facts/scale';

/**
 * The node types a visitor can subscribe to, by `ts.SyntaxKind` name. One walk of the raw
 * compiler AST serves every rule (walking ts-morph wrappers was 25–65× slower).
 */
export interface NodeByKind {
  CallExpression: ts.CallExpression;
  NewExpression: ts.NewExpression;
  AwaitExpression: ts.AwaitExpression;
  PropertyAccessExpression: ts.PropertyAccessExpression;
  BinaryExpression: ts.BinaryExpression;
  SpreadElement: ts.SpreadElement;
  SpreadAssignment: ts.SpreadAssignment;
  ArrayLiteralExpression: ts.ArrayLiteralExpression;
  ObjectLiteralExpression: ts.ObjectLiteralExpression;
  ForStatement: ts.ForStatement;
  ForOfStatement: ts.ForOfStatement;
  ForInStatement: ts.ForInStatement;
  WhileStatement: ts.WhileStatement;
  DoStatement: ts.DoStatement;
  Block: ts.Block;
  VariableStatement: ts.VariableStatement;
  VariableDeclaration: ts.VariableDeclaration;
  FunctionDeclaration: ts.FunctionDeclaration;
  FunctionExpression: ts.FunctionExpression;
  ArrowFunction: ts.ArrowFunction;
  MethodDeclaration: ts.MethodDeclaration;
  Identifier: ts.Identifier;
  TaggedTemplateExpression: ts.TaggedTemplateExpression;
}

export type Visitor = { [K in keyof NodeByKind]?: (node: NodeByKind[K]) => void } & {
  /** Called once after the walk, for rules that collect first and decide at the end. */
  onEnd?: () => void;
};

export interface FixSpec {
  title: string;
  /** `safe` only when the rewrite provably keeps behaviour; the engine downgrades it if the rule's meta says less. */
  kind: Exclude<FixKind, 'none'>;
  edits: TextEdit[];
}

/**
 * What a finding's evidence is about: the rule names the work and what multiplies it, the engine
 * asks the facts (scale.ts, context.ts, batching.ts) and decides the severity once for every rule.
 */
export interface ReportEvidence {
  /** The loop or iteration callback the work repeats in: what it walks is the data whose size matters. */
  iteration?: Iteration;
  /** The data whose size matters when it is not an iteration's (the list a lookup scans on each pass). */
  collection?: ts.Expression;
  /** The call repeated per item: can it be batched, or does it need the previous iteration's result or its own error path? */
  call?: ts.Node;
  /** What only the rule knows: the work cannot be batched, and why ("redis already pipelines concurrent commands"). */
  notBatchable?: string;
  /**
   * What only the rule knows of the size of the data its work touches, when no list names it: a COUNT over a
   * table's rows (its cost grows with them), a directory tree walked recursively.
   */
  scale?: ScaleFact;
  /**
   * What only the rule knows: this report makes the lesser of the rule's claims (a read outside a transaction misses
   * its writes; a write outside it is lost on rollback), and why: info, with this reason.
   */
  lesser?: string;
}

export interface Report {
  /** The node to underline, or explicit offsets. */
  node?: ts.Node;
  start?: number;
  end?: number;
  messageId: string;
  data?: MessageData;
  fixes?: FixSpec[];
  /** What the finding's cost multiplies by; the context of execution is found from `node` (or `start`) by the engine. */
  evidence?: ReportEvidence;
}

/**
 * The `measured` reason of the rules about a synchronous call stalling the event loop: their findings are real, their
 * stalls short unless a file is large or traffic heavy, which only a run shows.
 */
export const SYNC_STALL_MEASURED =
  'how long a synchronous call stalls the server depends on the size of what it touches and on the traffic, which the ' +
  'code does not say: a CPU profile that shows this line hot makes it a warning';

/**
 * What decides a rule's severity (the docs' "Severity" line), applied by the engine:
 * - `items`: the cost multiplies by the data the report names (`evidence.iteration`/`collection`): growing data
 *   → the configured severity, data of unknown size → info, bounded data → not reported.
 * - `calls`: the cost is paid each time the code runs: on a request or job path (or where growing data is
 *   shown) → the configured severity, elsewhere info. With `scaled`, the cost of one run is fixed unless the
 *   data it touches grows: the configured severity only for growing data on a request or job path, or in a
 *   loop over growing data; otherwise info.
 * - `claim`: the rule's own claim proves the cost (a blocked event loop, a lock held): the configured severity.
 *   With `leak`, the claim needs the code that makes the leak to run again and again: a request or job path →
 *   the configured severity, a path not known → info.
 * With every basis: code that runs once per process or deploy (start-up, scripts, build config, tests) is
 * not reported — under `claim` too, unless `everywhere` says the claim holds there (a correctness problem);
 * admin-only code, rare paths (deleting one record) and work that cannot be batched are info; with
 * `constantGain` or `measured`, everything is info at most (a profile may raise a `cpu` rule's finding back).
 */
export interface EvidencePolicy {
  basis: 'items' | 'calls' | 'claim';
  /** Why this basis fits the rule, for its doc's "Severity" line. */
  why: string;
  /**
   * `claim` only: the claim holds in code that runs once per process or deploy too — lost writes, a transaction
   * bypassed, exponential work that a single run already cannot finish. Without it a `claim` rule's cost is paid by others
   * waiting (a blocked event loop, a held lock, a spinning core), which code run once (start-up, a seed, a
   * script) makes nobody's problem: it is not reported there. With it, code run once reports an info (issue 12's
   * round 8: a write outside its transaction in a one-off migration was judged not worth fixing).
   */
  everywhere?: boolean;
  /**
   * `calls` only: one run costs a fixed amount (a round trip saved, a small file read) unless the data it touches
   * grows (`evidence.scale`/`collection`, or the loop around it): a warning needs growing data on a request or job
   * path, or a loop over growing data.
   */
  scaled?: boolean;
  /**
   * `claim` only: the claim is a leak — a timer, a listener, a buffer kept each time the code runs and never let go.
   * It grows only where that code runs again and again (per request, per job, per instance those paths make): a
   * timer started once at start-up is one resource held for the process's life, by design (issue 12's rounds 3 and
   * 4: the eight leak warnings judged were all singletons made once). Not reported in code run once; info where no
   * request or job path is known.
   */
  leak?: boolean;
  /**
   * `items` and `calls`: the fix saves a small constant amount of CPU per item or call — a key derived again in a
   * comparator, one pass or one sort more, a construction once per call —, not an order of growth. Next to the I/O
   * that brought the data (a row costs far more to fetch than to compare) it is seldom what anyone waits for: info at
   * most (the five rounds of issue 12 judged none of the nine such warnings worth fixing). Not for a costly
   * construction repeated per item of a loop (invariant-in-loop: a RegExp, an Intl formatter — the demo's profile
   * puts one at a quarter of its time).
   */
  constantGain?: boolean;
  /**
   * `calls` only: what the fix saves is latency — the reads overlapped still run, each as costly — so it matters only
   * where someone waits for the answer: a request. A job's run is waited on by no one (issue 12: of the eleven
   * `sequential-awaits` judged in jobs, scripts and crons over rounds 1–7, none was worth fixing; every one worth
   * fixing was on a request path). Elsewhere info.
   */
  latency?: boolean;
  /**
   * A warning needs a measurement: how much the cost is depends on what the code does not say — the size of a file a
   * sync call reads or writes, how often an event fires, how busy the server is. Over issue 12's seven blind rounds
   * 1 of 40 such warnings (sync I/O in handlers, async code and callbacks; a read per request) was judged worth
   * fixing: the calls were real, the stalls short. From code alone: info at most, with this text among the reasons.
   * A CPU profile that shows the finding's lines hot makes it a warning (see `cpu`).
   */
  measured?: string;
  /**
   * The cost the rule finds is time on the JavaScript thread — work repeated per item, a sync call blocking it — which
   * a CPU profile measures. With a profile (`scan --profile`, the editor with one loaded), a finding whose lines took
   * at least the hot share of the run rises to the configured severity, and one in a file the run executed but in a
   * function it never sampled drops a level (src/fusion/measured.ts). Not for rules whose cost is waiting (a query per
   * item, awaits in turn, a held lock) or memory: a CPU profile does not see time spent waiting on a database.
   */
  cpu?: boolean;
}

export interface RuleContext {
  readonly file: FileFacts;
  report(report: Report): void;
}

/**
 * One report a test expects, as ESLint's RuleTester writes it: which message, and where the
 * underlined node starts (1-based, as editors show it), counted by hand from the code.
 */
export interface ExpectedReport {
  messageId: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** An example that must be reported exactly as `errors` says: no more, no fewer, in document order. */
export interface InvalidExample {
  code: string;
  /** File name the example pretends to live in (context such as `scripts/` or `app/api/route.ts` matters). */
  filename?: string;
  errors: ExpectedReport[];
  /** The code after applying every safe fix; present exactly when the rule offers one for this example. */
  output?: string;
}

export interface ValidExample {
  code: string;
  filename?: string;
}

/**
 * Where a rule applies, as data: the engine runs the rule only on the files it applies to, and the
 * generated docs say where it is not reported. What depends on a node's position (module level, a
 * `main()`) stays in the rule: it is not a property of the file.
 */
export interface RuleScope {
  /** Kinds of file the rule is not run on (see facts/fileKinds.ts). */
  skip?: readonly FileKind[];
  /**
   * Text without which the rule cannot fire: it runs only on files that contain at least one of
   * these strings. Checked before the walk, so a file without any costs the rule nothing.
   */
  triggers?: readonly string[];
  /** A pattern the file's text must match as well (checked like `triggers`). */
  requires?: RegExp;
}

/** What a finding says: what is wrong and why (`message`), then what to do (`note`); each one or more sentences. */
export interface RuleMessage {
  message: string;
  note?: string;
}

/**
 * The rewrite families of the rewrite harness (test/analyzers/rewrites.test.ts): semantics-preserving rewrites of a
 * rule's examples under which its verdict must not change. Each rule claims every family unless its meta says why not.
 */
export const REWRITE_FAMILIES = {
  extract: 'inline a variable or extract an expression into a const',
  'loop-forms': '`for…of` ↔ `.forEach(cb)` ↔ index `for` ↔ `while`',
  reduce: '`reduce` ↔ loop accumulation',
  'function-forms': 'function declaration ↔ arrow in a const ↔ method of an object',
  'await-then': '`await x` ↔ `.then(…)`',
  destructuring: 'destructuring ↔ property access',
  'loop-header': '`?? []` and optional chaining in a loop header',
  rename: 'rename bindings',
  'move-helper': 'move a helper function into another file and import it',
  'strip-types': 'strip the types: the `.js` twin',
} as const;

export type RewriteFamily = keyof typeof REWRITE_FAMILIES;

export interface RuleMeta {
  /** kebab-case, equal to the file name. */
  id: string;
  category: Category;
  /** One sentence: what the rule finds. */
  description: string;
  /** Why it matters: the cost, with numbers where they are known. */
  why: string;
  /** What to do instead. */
  howToFix: string;
  /**
   * The look-alikes and contexts the rule stays quiet on, one item each ("Loops over a literal
   * tuple"). The kinds of file it skips are said by `scope.skip` and rendered with these.
   */
  notReported?: readonly string[];
  impact: Rating;
  effort: Rating;
  /** The strongest fix the rule can offer. */
  fix: FixKind;
  /** What the fix writes, in a few words (a hoisted `Set`): the README's fix column; required unless `fix` is 'none'. */
  fixForm?: string;
  defaultSeverity?: Severity;
  /** What decides the severity of each finding (see EvidencePolicy); absent: `claim`, `everywhere` (every shipped rule says; a test checks). */
  evidence?: EvidencePolicy;
  /** Where the rule applies (default: every file). */
  scope?: RuleScope;
  /**
   * The rewrite families the rule does not see through yet, each with the honest reason ("the receiver's type is
   * needed and the .js twin has none"): the harness checks that each still changes the verdict, the docs list them.
   */
  rewrites?: { except: Partial<Record<RewriteFamily, string>> };
  /** Messages by id; `{{name}}` in either text is replaced from the report's data. */
  messages: Record<string, RuleMessage>;
  examples: {
    invalid: InvalidExample[];
    valid: Array<string | ValidExample>;
  };
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): Visitor;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** A placeholder of a message template: `{{name}}`. */
export const MESSAGE_PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** The message and note of a report, its data filled in. */
export function renderMessage(template: RuleMessage, data: MessageData | undefined): { message: string; note?: string } {
  const message = formatMessage(template.message, data);
  return template.note === undefined ? { message } : { message, note: formatMessage(template.note, data) };
}

function formatMessage(template: string, data: MessageData | undefined): string {
  if (!data) return template;
  return template.replace(MESSAGE_PLACEHOLDER, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
