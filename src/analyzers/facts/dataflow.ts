/**
 * Data flow over the raw syntax tree, by scopes rather than by names: which declaration an
 * identifier refers to, every reference to a declaration, how each reference uses the value
 * (read, reassigned, mutated, or escaping where we cannot follow it), whether an expression is
 * invariant inside a loop, and where a hoisted declaration can be inserted.
 *
 * Syntax only (no type checker), so it is cheap; results are cached per scope and per
 * declaration for the life of the syntax tree. Ask these questions after the cheap syntactic
 * filters of a rule, not for every node.
 */
import { ts } from '../ts';
import { syntaxIndexOf } from './syntaxIndex';
import { forEachNodeInDocumentOrder } from '../walk';
import { isFunctionLike, isLiteralLike, isWriteReference, readsArguments, skipParens, skipParensUp } from './ast';

const SK = ts.SyntaxKind;

export type DeclarationKind =
  'const' | 'let' | 'var' | 'using' | 'parameter' | 'function' | 'class' | 'import' | 'catch' | 'enum' | 'other';

export interface Declaration {
  name: string;
  /** The identifier that binds the name. */
  id: ts.Identifier;
  kind: DeclarationKind;
  /** VariableDeclaration, ParameterDeclaration, BindingElement, FunctionDeclaration, ClassDeclaration, ImportSpecifier … */
  node: ts.Node;
  /** The node whose extent holds every reference: a block, a function, the source file, a loop, a catch clause. */
  scope: ts.Node;
  /** `init` of `x = init` when the name is bound directly (not destructured); a parameter's default. */
  initializer?: ts.Expression;
  /** The written type annotation of a variable or parameter bound directly. */
  type?: ts.TypeNode;
}

// ---------------------------------------------------------------------------------------------
// Scopes and declarations

function isScope(node: ts.Node): boolean {
  switch (node.kind) {
    case SK.SourceFile:
    case SK.Block:
    case SK.ModuleBlock:
    case SK.CaseBlock:
    case SK.ForStatement:
    case SK.ForOfStatement:
    case SK.ForInStatement:
    case SK.CatchClause:
      return true;
    default:
      return isFunctionLike(node);
  }
}

const scopeCache = new WeakMap<ts.Node, Map<string, Declaration>>();

function variableKind(list: ts.VariableDeclarationList): DeclarationKind {
  const flags = list.flags;
  if (flags & ts.NodeFlags.Const) return 'const';
  if (flags & ts.NodeFlags.Let) return 'let';
  if (flags & ts.NodeFlags.Using) return 'using';
  return 'var';
}

function addBinding(into: Map<string, Declaration>, name: ts.BindingName, declaration: Omit<Declaration, 'name' | 'id'>): void {
  if (ts.isIdentifier(name)) {
    if (!into.has(name.text)) into.set(name.text, { ...declaration, name: name.text, id: name });
    return;
  }
  for (const element of name.elements) {
    if (!ts.isBindingElement(element)) continue;
    // A destructured name has neither a simple initializer nor its own annotation.
    addBinding(into, element.name, { kind: declaration.kind, node: element, scope: declaration.scope });
  }
}

function addVariableList(into: Map<string, Declaration>, list: ts.VariableDeclarationList, scope: ts.Node, wantVar: boolean): void {
  const kind = variableKind(list);
  if ((kind === 'var') !== wantVar) return;
  for (const declaration of list.declarations) {
    addBinding(into, declaration.name, { kind, node: declaration, scope, initializer: declaration.initializer, type: declaration.type });
  }
}

/** Block-scoped declarations made directly by the statements of a block-like scope. */
function addLexical(into: Map<string, Declaration>, statements: readonly ts.Statement[], scope: ts.Node): void {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) addVariableList(into, statement.declarationList, scope, false);
    else if (ts.isFunctionDeclaration(statement) && statement.name)
      addBinding(into, statement.name, { kind: 'function', node: statement, scope });
    else if (ts.isClassDeclaration(statement) && statement.name)
      addBinding(into, statement.name, { kind: 'class', node: statement, scope });
    else if (ts.isEnumDeclaration(statement)) addBinding(into, statement.name, { kind: 'enum', node: statement, scope });
    else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name))
      addBinding(into, statement.name, { kind: 'other', node: statement, scope });
  }
}

/** `var` declarations of a function body or a file: anywhere inside, except nested functions. */
function addVars(into: Map<string, Declaration>, body: ts.Node, scope: ts.Node): void {
  // Without recursion: a file-level body may hold a chain of thousands of binary expressions.
  forEachNodeInDocumentOrder(body, (node) => {
    if (node === body) return true;
    if (isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (ts.isVariableDeclarationList(node)) addVariableList(into, node, scope, true);
    return true;
  });
}

function addImports(into: Map<string, Declaration>, sourceFile: ts.SourceFile): void {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) addBinding(into, clause.name, { kind: 'import', node: clause, scope: sourceFile });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings))
        addBinding(into, bindings.name, { kind: 'import', node: bindings, scope: sourceFile });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) addBinding(into, element.name, { kind: 'import', node: element, scope: sourceFile });
      }
    } else if (ts.isImportEqualsDeclaration(statement)) {
      addBinding(into, statement.name, { kind: 'import', node: statement, scope: sourceFile });
    }
  }
}

/** Every name a scope node declares itself (not its nested scopes). */
function scopeDeclarations(scope: ts.Node): ReadonlyMap<string, Declaration> {
  let map = scopeCache.get(scope);
  if (map) return map;
  map = new Map();
  if (ts.isSourceFile(scope)) {
    addImports(map, scope);
    addLexical(map, scope.statements, scope);
    addVars(map, scope, scope);
  } else if (ts.isBlock(scope) || ts.isModuleBlock(scope)) {
    addLexical(map, scope.statements, scope);
  } else if (ts.isCaseBlock(scope)) {
    for (const clause of scope.clauses) addLexical(map, clause.statements, scope);
  } else if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
    const init = scope.initializer;
    if (init && ts.isVariableDeclarationList(init)) addVariableList(map, init, scope, false);
  } else if (ts.isCatchClause(scope)) {
    const declaration = scope.variableDeclaration;
    if (declaration) addBinding(map, declaration.name, { kind: 'catch', node: declaration, scope });
  } else if (isFunctionLike(scope)) {
    for (const parameter of scope.parameters) {
      addBinding(map, parameter.name, {
        kind: 'parameter',
        node: parameter,
        scope,
        initializer: parameter.initializer,
        type: parameter.type,
      });
    }
    if (ts.isFunctionExpression(scope) && scope.name) addBinding(map, scope.name, { kind: 'function', node: scope, scope });
    if (scope.body && ts.isBlock(scope.body)) addVars(map, scope.body, scope);
  }
  scopeCache.set(scope, map);
  return map;
}

/** The declaration `name` resolves to when written at `at`; undefined for globals and unknown names. */
export function lookup(name: string, at: ts.Node): Declaration | undefined {
  for (let node: ts.Node | undefined = at; node; node = node.parent) {
    if (!isScope(node)) continue;
    const found = scopeDeclarations(node).get(name);
    if (found) return found;
  }
  return undefined;
}

/** The declaration an identifier refers to (undefined for globals, property names, unknowns). */
export function resolve(identifier: ts.Identifier): Declaration | undefined {
  return lookup(identifier.text, identifier);
}

/**
 * True when the identifier, where it stands, names a value binding: not a property name after a
 * dot, an object literal key, a label, a type name, or the name being declared.
 */
export function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  switch (parent.kind) {
    case SK.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).expression === identifier;
    case SK.QualifiedName:
    case SK.TypeReference:
    case SK.ExpressionWithTypeArguments:
    case SK.TypeQuery:
    case SK.LabeledStatement:
    case SK.BreakStatement:
    case SK.ContinueStatement:
    case SK.MetaProperty:
    case SK.JsxAttribute:
    case SK.PropertySignature:
    case SK.MethodSignature:
    case SK.EnumMember:
    case SK.TypeParameter:
    case SK.TypeAliasDeclaration:
    case SK.InterfaceDeclaration:
    case SK.ImportSpecifier:
    case SK.ImportClause:
    case SK.NamespaceImport:
    case SK.ImportEqualsDeclaration:
    case SK.NamespaceExportDeclaration:
      return false;
    case SK.PropertyAssignment:
    case SK.PropertyDeclaration:
    case SK.MethodDeclaration:
    case SK.GetAccessor:
    case SK.SetAccessor:
      return (parent as ts.NamedDeclaration).name !== identifier;
    case SK.VariableDeclaration:
    case SK.Parameter:
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ClassDeclaration:
    case SK.ClassExpression:
    case SK.EnumDeclaration:
    case SK.ModuleDeclaration:
      return (parent as ts.NamedDeclaration).name !== identifier;
    case SK.BindingElement: {
      const element = parent as ts.BindingElement;
      return element.name !== identifier && element.propertyName !== identifier;
    }
    case SK.ExportSpecifier: {
      const specifier = parent as ts.ExportSpecifier;
      // `export { local as exported }`: only the local name refers to a binding here.
      return specifier.propertyName
        ? specifier.propertyName === identifier
        : !(specifier.parent?.parent as ts.ExportDeclaration | undefined)?.moduleSpecifier;
    }
    default:
      return true;
  }
}

const referenceCache = new WeakMap<ts.Identifier, ts.Identifier[]>();

/** Every value reference to `declaration` (the binding identifier itself excluded), in source order. */
export function references(declaration: Declaration): readonly ts.Identifier[] {
  const cached = referenceCache.get(declaration.id);
  if (cached) return cached;
  const found: ts.Identifier[] = [];
  const name = declaration.name;
  // Without recursion: a scope may hold a chain of thousands of binary expressions.
  forEachNodeInDocumentOrder(declaration.scope, (node) => {
    if (node.kind !== SK.Identifier) return true;
    const identifier = node as ts.Identifier;
    if (identifier.text === name && identifier !== declaration.id && isValueReference(identifier)) {
      const target = lookup(name, identifier);
      if (target && target.id === declaration.id) found.push(identifier);
    }
    return false;
  });
  referenceCache.set(declaration.id, found);
  return found;
}

// ---------------------------------------------------------------------------------------------
// How a reference uses its value

/**
 * - `read`: the value is looked at (properties read, iterated, spread, compared, tested).
 * - `write`: the binding is reassigned (`x = …`, `x++`, a destructuring or for-of target).
 * - `mutate`: the value's own slots change (`x.a = …`, `x[i] = …`, `delete x.a`, `x.push(…)`).
 * - `escape`: the value flows where we cannot follow it (a call argument, stored, returned, an
 *   unknown method called on it), so anything may happen to it later.
 */
export type UseKind = 'read' | 'write' | 'mutate' | 'escape';

export interface Use {
  kind: UseKind;
  /** The method called directly on the value, when there is one: `push` for `xs.push(x)`. */
  method?: string;
  /**
   * True when something reached through the value (not its own slots) may change:
   * `x.a.b = 1`, `x.a.push(1)`, `f(x.a)`, `x[0].save()`. Always true for `escape`.
   */
  deep: boolean;
}

/** Methods that change their receiver (arrays, Maps, Sets, typed arrays, Dates, URLSearchParams). */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
  'append',
  'setDate',
  'setFullYear',
  'setHours',
  'setMilliseconds',
  'setMinutes',
  'setMonth',
  'setSeconds',
  'setTime',
  'setUTCDate',
  'setUTCFullYear',
  'setUTCHours',
  'setUTCMilliseconds',
  'setUTCMinutes',
  'setUTCMonth',
  'setUTCSeconds',
]);

/** Methods of arrays (and strings, Maps, Sets) that only read their receiver. */
export const READING_METHODS: ReadonlySet<string> = new Set([
  'includes',
  'indexOf',
  'lastIndexOf',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'forEach',
  'flatMap',
  'flat',
  'slice',
  'concat',
  'join',
  'at',
  'keys',
  'values',
  'entries',
  'toString',
  'toLocaleString',
  'toSorted',
  'toReversed',
  'toSpliced',
  'with',
  'has',
  'get',
  'hasOwnProperty',
  'valueOf',
  // Strings: they cannot change, so only the receiver's own methods matter.
  'charAt',
  'charCodeAt',
  'codePointAt',
  'startsWith',
  'endsWith',
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'trim',
  'trimStart',
  'trimEnd',
  'padStart',
  'padEnd',
  'substring',
  'substr',
  'split',
  'localeCompare',
  'normalize',
  'repeat',
  'toFixed',
]);

/** Methods whose callback receives the receiver itself, and at which parameter (`(x, i, array) => …`). */
const RECEIVER_PARAMETER: ReadonlyMap<string, number> = new Map([
  ...['find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'map', 'filter', 'forEach', 'flatMap'].map((m) => [m, 2] as const),
  ['reduce', 3],
  ['reduceRight', 3],
]);

/** True when the callback of `receiver.method(callback)` may be handed the receiver itself. */
function callbackGetsReceiver(method: string, call: ts.CallExpression): boolean {
  const index = RECEIVER_PARAMETER.get(method);
  if (index === undefined) return false;
  const callback = call.arguments[0];
  if (!callback) return false;
  const fn = skipParens(callback);
  // A function passed by name may declare the parameter; an inline one shows whether it does.
  if (!isFunctionLike(fn)) return true;
  return fn.parameters.length > index || fn.parameters.some((p) => !!p.dotDotDotToken) || readsArguments(fn);
}

/** Global functions that only read an argument. */
const READING_CALLS: ReadonlySet<string> = new Set([
  'Array.from',
  'Array.isArray',
  'Object.keys',
  'Object.values',
  'Object.entries',
  'JSON.stringify',
  'String',
  'Number',
  'Boolean',
  'structuredClone',
  'Math.max',
  'Math.min',
  'console.log',
  'console.error',
  'console.warn',
  'console.info',
  'console.debug',
]);

/** Constructors that only read their argument. */
const READING_CONSTRUCTORS: ReadonlySet<string> = new Set(['Set', 'Map', 'WeakSet', 'WeakMap']);

function isAssignmentTarget(node: ts.Node): boolean {
  // Destructuring assignment: `[a, b] = …`, `({ a } = …)`, `for ([a] of …)`.
  let current = node;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if (ts.isParenthesizedExpression(parent)) continue;
    if (ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent)) continue;
    if (ts.isShorthandPropertyAssignment(parent) && parent.name === current) continue;
    if (ts.isPropertyAssignment(parent) && parent.initializer === current) continue;
    if (ts.isObjectLiteralExpression(parent)) continue;
    if (ts.isBinaryExpression(parent)) return parent.left === current && parent.operatorToken.kind === SK.EqualsToken && current !== node;
    if (ts.isForOfStatement(parent) || ts.isForInStatement(parent)) return parent.initializer === current;
    return false;
  }
  return false;
}

function calleeText(expression: ts.Expression): string | undefined {
  const callee = skipParens(expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) return `${callee.expression.text}.${callee.name.text}`;
  return undefined;
}

/** A condition position: the value is only tested for truthiness. */
function isTestPosition(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) return parent.expression === node;
  if (ts.isForStatement(parent)) return parent.condition === node;
  if (ts.isConditionalExpression(parent)) return parent.condition === node;
  if (ts.isPrefixUnaryExpression(parent)) return parent.operator === SK.ExclamationToken;
  return false;
}

/** How the value of `node` (an expression) is used by its context. */
function valueUse(node: ts.Node): UseKind {
  const outer = skipParensUp(node);
  const parent = outer.parent;
  if (!parent) return 'read';
  if (isTestPosition(outer)) return 'read';
  switch (parent.kind) {
    case SK.ExpressionStatement:
    case SK.TypeOfExpression:
    case SK.VoidExpression:
    case SK.TemplateSpan:
    case SK.SpreadElement:
    case SK.SpreadAssignment:
    case SK.ForOfStatement:
    case SK.ForInStatement:
    case SK.SwitchStatement:
    case SK.CaseClause:
    case SK.ElementAccessExpression:
      return 'read';
    case SK.PrefixUnaryExpression:
    case SK.PostfixUnaryExpression:
      return 'read';
    case SK.BinaryExpression: {
      const op = (parent as ts.BinaryExpression).operatorToken.kind;
      if (op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) {
        // The value may flow on as the result; only a tested result is a read.
        return (parent as ts.BinaryExpression).left === outer && op === SK.AmpersandAmpersandToken
          ? 'read'
          : isTestPosition(skipParensUp(parent))
            ? 'read'
            : 'escape';
      }
      if (op === SK.CommaToken) return (parent as ts.BinaryExpression).left === outer ? 'read' : valueUse(parent);
      if (op >= SK.FirstAssignment && op <= SK.LastAssignment) return 'escape';
      return 'read';
    }
    case SK.ConditionalExpression:
      return valueUse(parent);
    case SK.CallExpression: {
      const call = parent as ts.CallExpression;
      if (call.expression === outer) return 'read';
      const name = calleeText(call.expression);
      return name !== undefined && READING_CALLS.has(name) ? 'read' : 'escape';
    }
    case SK.NewExpression: {
      const name = calleeText((parent as ts.NewExpression).expression);
      return name !== undefined && READING_CONSTRUCTORS.has(name) ? 'read' : 'escape';
    }
    default:
      return 'escape';
  }
}

/**
 * How the reference `identifier` uses its value. Works for any expression whose value is
 * followed, e.g. the property chain `this.items` of `this.items.push(x)`.
 */
export function useOf(identifier: ts.Node): Use {
  if (isWriteReference(identifier) || isAssignmentTarget(identifier)) return { kind: 'write', deep: false };
  let node: ts.Node = skipParensUp(identifier);
  let depth = 0;
  let firstName: string | undefined;
  for (;;) {
    const parent = node.parent;
    if (!parent) break;
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
      if (depth === 0)
        firstName = ts.isPropertyAccessExpression(parent)
          ? parent.name.text
          : ts.isStringLiteralLike(parent.argumentExpression)
            ? parent.argumentExpression.text
            : undefined;
      depth++;
      node = skipParensUp(parent);
      continue;
    }
    break;
  }
  if (depth === 0) {
    const kind = valueUse(node);
    return { kind, deep: kind === 'escape' };
  }
  const parent = node.parent;
  const written = isWriteReference(node) || isAssignmentTarget(node) || (!!parent && ts.isDeleteExpression(parent));
  if (written) return depth === 1 ? { kind: 'mutate', deep: false } : { kind: 'read', deep: true };
  const called = !!parent && ts.isCallExpression(parent) && skipParens(parent.expression) === skipParens(node as ts.Expression);
  if (called) {
    const call = parent as ts.CallExpression;
    const method =
      depth === 1
        ? firstName
        : ts.isPropertyAccessExpression(skipParens(call.expression))
          ? (skipParens(call.expression) as ts.PropertyAccessExpression).name.text
          : undefined;
    if (depth === 1) {
      if (method !== undefined && MUTATING_METHODS.has(method)) return { kind: 'mutate', method, deep: false };
      if (method !== undefined && READING_METHODS.has(method)) {
        return callbackGetsReceiver(method, call) ? { kind: 'escape', method, deep: true } : { kind: 'read', method, deep: false };
      }
      return { kind: 'escape', method, deep: true };
    }
    return { kind: 'read', method, deep: method === undefined || !READING_METHODS.has(method) };
  }
  // `x.a` / `x[i]` read: the property's value may still flow somewhere and change below it.
  return { kind: 'read', deep: valueUse(node) === 'escape' };
}

/**
 * True when code outside this file can reach the binding without any reference we could see:
 * an exported declaration (`export const ids = []`, whose array other modules may change), or a
 * top-level declaration of a classic script (no import/export, no CommonJS), which is a global.
 */
export function isSharedOutsideFile(declaration: Declaration): boolean {
  const scope = declaration.scope;
  if (!ts.isSourceFile(scope)) return false;
  for (let node: ts.Node | undefined = declaration.node; node && node !== scope; node = node.parent) {
    if (ts.isVariableStatement(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node)) {
      if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === SK.ExportKeyword)) return true;
      break;
    }
  }
  if (ts.isExternalModule(scope)) return false;
  return !/\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(scope.text);
}

// ---------------------------------------------------------------------------------------------
// Execution structure

/** True when `node` contains an `await`, a `yield` or a `for await` outside nested functions. */
export function suspends(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (
      current.kind === SK.AwaitExpression ||
      current.kind === SK.YieldExpression ||
      (ts.isForOfStatement(current) && current.awaitModifier)
    ) {
      found = true;
      return;
    }
    if (isFunctionLike(current)) return;
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

export function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/**
 * The statement before which a declaration can be inserted so that it runs right before `node`
 * (a statement or expression) in the same function: climbs to the statement whose parent is a
 * block, a file, a module block or a case clause. Undefined when a function or class boundary
 * comes first (a class field or a parameter default is not a place to insert statements).
 */
export function insertionPoint(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if (
      isFunctionLike(current) ||
      ts.isClassLike(current) ||
      ts.isClassStaticBlockDeclaration(current) ||
      ts.isPropertyDeclaration(current)
    )
      return undefined;
    if (
      ts.isStatement(current) &&
      (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent))
    ) {
      return current;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Invariance

export interface InvarianceOptions {
  /** Accept `a.b.c` when `a` is invariant, nothing in the region assigns a property of that name and nothing awaits (reporting only: a getter or a call could still change it). */
  propertyChains?: boolean;
  /** Accept calls with at least one argument whose callee and arguments are invariant, e.g. `escapeRegExp(term)` (reporting only: the call may be impure). */
  calls?: boolean;
}

const assignedPropertiesCache = new WeakMap<ts.Node, Set<string>>();

/** Property names assigned (or deleted) anywhere inside `region`; `[]` stands for any computed one. */
export function assignedProperties(region: ts.Node): ReadonlySet<string> {
  let names = assignedPropertiesCache.get(region);
  if (names) return names;
  names = new Set();
  const found = names;
  const note = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      (isWriteReference(node) || isAssignmentTarget(node) || (node.parent && ts.isDeleteExpression(node.parent)))
    )
      found.add(node.name.text);
    if (ts.isElementAccessExpression(node) && (isWriteReference(node) || isAssignmentTarget(node))) found.add('[]');
  };
  if (ts.isSourceFile(region)) {
    // The whole file: the engine's walk already listed every access.
    for (const access of syntaxIndexOf(region).accesses) note(access);
  } else {
    const visit = (node: ts.Node): void => {
      note(node);
      ts.forEachChild(node, visit);
    };
    visit(region);
  }
  assignedPropertiesCache.set(region, found);
  return found;
}

/**
 * How much of a name must stay unchanged: `binding` — not reassigned; `contents` — nor its own
 * slots changed (`x.push(…)`, `x[i] = …`); `sealed` — nor handed anywhere we cannot follow
 * (a call argument, stored, an unknown method), so nothing unseen can change it.
 */
export type Stability = 'binding' | 'contents' | 'sealed';

/** True when `declaration` is declared outside `region` and stays unchanged inside it. */
export function isStableIn(declaration: Declaration, region: ts.Node, stability: Stability = 'contents'): boolean {
  if (contains(region, declaration.id)) return false;
  for (const reference of references(declaration)) {
    if (!contains(region, reference)) continue;
    const use = useOf(reference);
    if (use.kind === 'write') return false;
    if (stability !== 'binding' && use.kind === 'mutate') return false;
    if (stability === 'sealed' && use.kind === 'escape') return false;
  }
  return true;
}

/**
 * True when `expression` evaluates to the same value on every pass through `region` (a loop):
 * literals; names declared outside the region and not reassigned or mutated inside it (by data
 * flow, so a shadowing loop variable of the same name does not count); templates, operators,
 * array and object literals of those. Names that resolve to no declaration (globals such as
 * `undefined`) are invariant.
 */
export function isInvariantIn(expression: ts.Expression, region: ts.Node, options: InvarianceOptions = {}): boolean {
  const node = skipParens(expression);
  if (isLiteralLike(node)) return true;
  switch (node.kind) {
    case SK.Identifier: {
      const declaration = resolve(node as ts.Identifier);
      if (!declaration) return true;
      return isStableIn(declaration, region);
    }
    case SK.TemplateExpression:
      return (node as ts.TemplateExpression).templateSpans.every((span) => isInvariantIn(span.expression, region, options));
    case SK.BinaryExpression: {
      const binary = node as ts.BinaryExpression;
      const op = binary.operatorToken.kind;
      if (op >= SK.FirstAssignment && op <= SK.LastAssignment) return false;
      return isInvariantIn(binary.left, region, options) && isInvariantIn(binary.right, region, options);
    }
    case SK.PrefixUnaryExpression: {
      const unary = node as ts.PrefixUnaryExpression;
      if (unary.operator === SK.PlusPlusToken || unary.operator === SK.MinusMinusToken) return false;
      return isInvariantIn(unary.operand, region, options);
    }
    case SK.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      return (
        isInvariantIn(conditional.condition, region, options) &&
        isInvariantIn(conditional.whenTrue, region, options) &&
        isInvariantIn(conditional.whenFalse, region, options)
      );
    }
    case SK.ArrayLiteralExpression:
      return (node as ts.ArrayLiteralExpression).elements.every(
        (element) =>
          element.kind !== SK.SpreadElement && (element.kind === SK.OmittedExpression || isInvariantIn(element, region, options)),
      );
    case SK.ObjectLiteralExpression:
      return (node as ts.ObjectLiteralExpression).properties.every((property) => {
        if (ts.isPropertyAssignment(property))
          return !ts.isComputedPropertyName(property.name) && isInvariantIn(property.initializer, region, options);
        if (ts.isShorthandPropertyAssignment(property)) return isInvariantIn(property.name, region, options);
        return false;
      });
    case SK.PropertyAccessExpression: {
      if (!options.propertyChains) return false;
      const access = node as ts.PropertyAccessExpression;
      // `x.length`-style reads of a stable name are as invariant as the name when nothing writes that property.
      if (assignedProperties(region).has(access.name.text) || suspends(region)) return false;
      return isInvariantIn(access.expression, region, options) || access.expression.kind === SK.ThisKeyword;
    }
    case SK.CallExpression: {
      if (!options.calls) return false;
      const call = node as ts.CallExpression;
      if (call.arguments.length === 0) return false;
      const callee = skipParens(call.expression);
      const calleeInvariant = ts.isIdentifier(callee)
        ? isInvariantIn(callee, region, options)
        : ts.isPropertyAccessExpression(callee) && isInvariantIn(callee.expression, region, { ...options, propertyChains: true });
      return calleeInvariant && call.arguments.every((argument) => isInvariantIn(argument, region, options));
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Names for new declarations

/**
 * True when `name` is written anywhere in the file as a whole word: in code, a string or a
 * comment. A text search, not a walk of the tree (a walk of a 5,000-line file cost 3 ms per
 * keystroke); it errs only towards "taken", which merely picks the next candidate name. A file
 * with `\u` escapes could spell an identifier differently, so there every word counts as taken
 * unless the tree says otherwise.
 */
const takenNames = new WeakMap<ts.SourceFile, Map<string, boolean>>();

function isNameTaken(sourceFile: ts.SourceFile, name: string): boolean {
  let known = takenNames.get(sourceFile);
  if (!known) takenNames.set(sourceFile, (known = new Map()));
  let taken = known.get(name);
  if (taken === undefined) known.set(name, (taken = searchName(sourceFile, name)));
  return taken;
}

function searchName(sourceFile: ts.SourceFile, name: string): boolean {
  const text = sourceFile.text;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (!isIdentifierPart(text.charCodeAt(at - 1)) && !isIdentifierPart(text.charCodeAt(at + name.length))) return true;
  }
  return text.includes('\\u') && identifierNames(sourceFile).has(name);
}

function isIdentifierPart(code: number): boolean {
  return !Number.isNaN(code) && ts.isIdentifierPart(code, ts.ScriptTarget.Latest);
}

const identifierNamesCache = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/** Every identifier text in the file (declared or referenced, property names included), gathered once per tree. */
function identifierNames(sourceFile: ts.SourceFile): ReadonlySet<string> {
  const cached = identifierNamesCache.get(sourceFile);
  if (cached) return cached;
  const found = new Set<string>();
  identifierNamesCache.set(sourceFile, found);
  const visit = (node: ts.Node): void => {
    if (node.kind === SK.Identifier || node.kind === SK.PrivateIdentifier) found.add((node as ts.Identifier).text);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
  'arguments',
  'eval',
  'undefined',
  'NaN',
  'Infinity',
]);

/** `items` + `Set` → `itemsSet`; a camelCase identifier made from loose words. */
export function camelName(...parts: string[]): string {
  const words = parts
    .join(' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return 'value';
  const name = words
    .map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * A name like `base` that no identifier in the file uses yet (so a new declaration can neither
 * clash nor shadow): `base`, `base2`, `base3`…
 */
export function uniqueName(sourceFile: ts.SourceFile, base: string): string {
  const stem = RESERVED.has(base) ? `${base}Value` : base;
  if (!isNameTaken(sourceFile, stem)) return stem;
  for (let i = 2; ; i++) if (!isNameTaken(sourceFile, `${stem}${i}`)) return `${stem}${i}`;
}
