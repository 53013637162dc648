/**
 * "How big can this collection get?" — evidence from the code, not a proof: a list whose length
 * the program fixes (a short literal, a constant, configuration, a small domain) is 'small'; one
 * read from I/O, derived from such, or named as records (`orders`, `userIds`) is 'large'.
 */
import { ts } from '../ts';
import { calleeName, enclosingFunction, receiverOf, skipOnlyParensUp, skipParens } from './ast';
import { classField } from './collections';
import { references, resolve, useOf, type Declaration } from './dataflow';
import { iterationsAround, walkedCollection, type Iteration } from './loops';

const SK = ts.SyntaxKind;

/** An inline literal this short costs no more to scan than to hash, even rebuilt on every pass. */
export const SMALL_LITERAL = 8;
/** A list built once (a named literal, a constant) this short is scanned about as fast as a hash lookup. */
const SMALL_CONSTANT = 32;

/**
 * How many items a list declared with an array literal can hold: its literal elements (an
 * `Object.freeze([...])` too) plus the arguments of literal pushes made outside loops, in the declaring
 * function (a push in a callback runs as often as it is called). Undefined
 * when it can grow with data: spreads, pushes in loops or of non-literals, reassignment. Size
 * evidence, not a proof: a `const` list handed elsewhere (`pick(a ? SHORT : LONG)`) is assumed to
 * keep its size, as nothing in this file changes it.
 */
export function fixedLength(declaration: Declaration): number | undefined {
  if ((declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') || !declaration.initializer)
    return undefined;
  let init = skipParens(declaration.initializer);
  if (ts.isCallExpression(init) && calleeName(init) === 'freeze' && init.arguments.length === 1) init = skipParens(init.arguments[0]);
  if (!ts.isArrayLiteralExpression(init) || init.elements.some((e) => ts.isSpreadElement(e))) return undefined;
  // `const names = ['a', 'b']; if (x) names.push('c');` stays a handful: count literal pushes made outside loops.
  let size = init.elements.length;
  for (const reference of references(declaration)) {
    const use = useOf(reference);
    if (use.kind === 'read' || (use.kind === 'escape' && declaration.kind === 'const')) continue;
    if (use.kind !== 'mutate' || use.method !== 'push') return undefined;
    const call = skipOnlyParensUp(reference).parent?.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.every((a) => ts.isLiteralExpression(a)) || iterationsAround(call).length > 0)
      return undefined;
    // A push inside another function (a callback, a closure) runs as often as that function is called: nothing here says how often.
    if (enclosingFunction(call) !== enclosingFunction(declaration.node)) return undefined;
    size += call.arguments.length;
  }
  return size;
}

/** Names under which code keeps configuration: lists of allowed values, flags, CLI arguments — short by nature. */
const CONFIGURATION_NAMES = /^(options|opts|option|config|cfg|conf|configuration|settings|flags|argv|args|env)$/i;
/** `ALLOWED_TYPES`, `Config.KNOWN_KEYS`: the constant naming convention. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^[A-Z]{2,}[0-9]*$/;

/**
 * A list whose size is fixed by the program rather than by data, when its literal cannot be
 * seen: a constant by naming convention declared elsewhere (an import, a static field), or a
 * list read from an options/config object. Searching one is O(n·k) for a small k. A visible
 * literal is judged by its length instead (`fixedLength`).
 */
function looksFixedSize(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  if (ts.isIdentifier(node)) {
    const declaration = resolve(node);
    if (!declaration || !CONSTANT_NAME.test(declaration.name)) return false;
    const init = declaration.initializer && skipParens(declaration.initializer);
    return !(declaration.kind === 'const' && init && ts.isArrayLiteralExpression(init));
  }
  if (!ts.isPropertyAccessExpression(node)) return false;
  if (CONSTANT_NAME.test(node.name.text)) return true;
  for (let current: ts.Expression = node; ;) {
    const inner = skipParens(current);
    if (ts.isPropertyAccessExpression(inner)) {
      if (CONFIGURATION_NAMES.test(inner.name.text)) return true;
      current = inner.expression;
      continue;
    }
    return ts.isIdentifier(inner) && CONFIGURATION_NAMES.test(inner.text);
  }
}

/**
 * The last word of names for things a program has a handful of — columns, fields, roles, locales,
 * file extensions, enum-like types and kinds, selected point indices: `hiddenColumns`,
 * `allowedDomains`, `imageContentTypes`. Size evidence from naming, as a reader uses it; names of
 * records (`users`, `orders`, `items`, `ids`, `rows`, `nodes`, `elements`) are deliberately absent.
 */
const SMALL_DOMAIN =
  /^(columns?|fields?|headers?|modifiers?|flags?|options?|opts|roles?|permissions?|scopes?|domains?|languages?|langs?|locales?|extensions?|exts?|methods?|verbs?|aliases|keywords?|attributes?|attrs?|embeds?|providers?|services?|plugins?|sections?|tabs?|panels?|themes?|formats?|types?|kinds?|units?|currencies|countries|statuses|states|commands?|hooks?|presets?|features?|settings?|capabilities|platforms?|modes?|levels?|variants?|sizes?|colou?rs?|icons?|fonts?|shortcuts?|hotkeys?|indices|indexes|segments?|parts?|args?|argv|params?|directives?|decorators?|props?|steps?|stages?|phases?|layers?|palettes?|weekdays|months|protocols?|schemes?|encodings?|charsets?|signals?|codes?)$/i;

/** True when the name (or a chain's last property) is one of SMALL_DOMAIN's. */
function hasSmallDomainName(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
  if (name === undefined) return false;
  // camelCase or snake_case: test the last word (`hiddenColumns` → `Columns`, `MIME_TYPES` → `TYPES`).
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean);
  const last = words[words.length - 1] ?? name;
  return SMALL_DOMAIN.test(last);
}

/**
 * True when `expression` is a list too short for a Set to pay: an inline literal of at most
 * SMALL_LITERAL items, a name bound to a literal of at most SMALL_CONSTANT (built once), a
 * list whose size the program fixes (`looksFixedSize`): constants, configuration, the values of
 * an enum or of a static object, a class field initialised with a short literal, path segments,
 * and names of things programs have a handful of (`hasSmallDomainName`).
 */
export function isSmallList(expression: ts.Expression): boolean {
  return smallListKind(expression) !== undefined;
}

/**
 * Why `expression` is a short list (see `isSmallList`): a visible literal, a constant or
 * configuration, a static listing (an enum's values), path segments, or only its name (`columns`,
 * `roles`) — the weakest evidence, which facts/scale.ts does not take as proof. Undefined when it is not.
 */
export function smallListKind(expression: ts.Expression): 'literal' | 'constant' | 'segments' | 'name' | undefined {
  const node = skipParens(expression);
  if (ts.isArrayLiteralExpression(node))
    return node.elements.length <= SMALL_LITERAL && !node.elements.some(ts.isSpreadElement) ? 'literal' : undefined;
  if (ts.isIdentifier(node)) {
    const declaration = resolve(node);
    if (declaration) {
      const length = fixedLength(declaration);
      if (length !== undefined) return length <= (isBuiltOnce(declaration) ? SMALL_CONSTANT : SMALL_LITERAL) ? 'literal' : undefined;
      if (declaration.initializer && isSegmentSplit(declaration.initializer)) return 'segments';
      if (declaration.initializer && isStaticListing(declaration.initializer)) return 'constant';
    }
  }
  if (ts.isPropertyAccessExpression(node) && (isStaticChain(node) || isShortField(node))) return 'constant';
  if (isSegmentSplit(node)) return 'segments';
  if (isStaticListing(node) || looksFixedSize(node)) return 'constant';
  return hasSmallDomainName(node) ? 'name' : undefined;
}

/** `Object.values(Enum)`, `Object.keys(CONFIG)`: the keys or values of something the program defines. */
function isStaticListing(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return false;
  const callee = skipParens(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object') return false;
  if (!['keys', 'values', 'entries', 'getOwnPropertyNames'].includes(callee.name.text)) return false;
  const argument = skipParens(node.arguments[0]);
  if (ts.isIdentifier(argument)) {
    const declaration = resolve(argument);
    if (!declaration) return false;
    if (declaration.kind === 'enum') return true;
    if (declaration.kind === 'import') return /^[A-Z]/.test(declaration.name);
    const init = declaration.initializer && skipParens(declaration.initializer);
    if (declaration.kind === 'const' && ts.isSourceFile(declaration.scope) && init && ts.isObjectLiteralExpression(init))
      return init.properties.length <= SMALL_CONSTANT;
    return CONSTANT_NAME.test(declaration.name) || /^(options|opts|config|settings|flags|env)$/i.test(declaration.name);
  }
  return ts.isPropertyAccessExpression(argument) && (isStaticChain(argument) || looksFixedSize(argument));
}

/** `Settings.imageTypes`, `Config.limits.mimeTypes`: a chain from a PascalCase import, an enum or a module-level object literal. */
function isStaticChain(chain: ts.PropertyAccessExpression): boolean {
  let node: ts.Expression = chain;
  while (ts.isPropertyAccessExpression(node)) node = skipParens(node.expression);
  if (!ts.isIdentifier(node)) return false;
  const declaration = resolve(node);
  if (!declaration) return false;
  if (declaration.kind === 'enum') return true;
  if (declaration.kind === 'import') return /^[A-Z][a-z]/.test(declaration.name);
  // A module-level object literal: only a short, non-empty list written in it (an empty one is a store that fills up).
  const init = declaration.initializer && skipParens(declaration.initializer);
  if (
    declaration.kind !== 'const' ||
    !ts.isSourceFile(declaration.scope) ||
    !init ||
    !ts.isObjectLiteralExpression(init) ||
    node !== skipParens(chain.expression)
  )
    return false;
  const property = init.properties.find(
    (p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === chain.name.text,
  ) as ts.PropertyAssignment | undefined;
  const value = property && skipParens(property.initializer);
  return (
    !!value &&
    ts.isArrayLiteralExpression(value) &&
    value.elements.length > 0 &&
    value.elements.length <= SMALL_CONSTANT &&
    !value.elements.some(ts.isSpreadElement)
  );
}

/** `this.skipped` where the class declares `skipped = ['a', 'b']`: a field initialised with a short literal. */
function isShortField(chain: ts.PropertyAccessExpression): boolean {
  if (chain.expression.kind !== SK.ThisKeyword) return false;
  const field = classField(chain.name.text, chain);
  const init = field?.initializer && skipParens(field.initializer);
  return (
    !!init &&
    ts.isArrayLiteralExpression(init) &&
    init.elements.length > 0 &&
    init.elements.length <= SMALL_CONSTANT &&
    !init.elements.some(ts.isSpreadElement)
  );
}

/**
 * `p.split('/')`, `name.split('.')`, `path.split(sep)`: the segments of a path, a dotted name or
 * a key — a handful of items. Splits on line breaks, commas or spaces are data-sized and not one.
 */
function isSegmentSplit(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  if (!ts.isCallExpression(node) || calleeName(node) !== 'split' || node.arguments.length === 0) return false;
  const separator = skipParens(node.arguments[0]);
  // Path, dotted-name and key separators; a comma list may hold anything a user typed.
  if (ts.isStringLiteralLike(separator)) return /^[/.:\\@#|=]$/.test(separator.text) || separator.text === '::' || separator.text === '://';
  if (ts.isPropertyAccessExpression(separator)) return separator.name.text === 'sep' || separator.name.text === 'delimiter';
  return ts.isIdentifier(separator) && /^(sep|separator|delimiter)$/i.test(separator.text);
}

/** A declaration whose initializer runs once per module (or per call of a function that never repeats it inside). */
function isBuiltOnce(declaration: Declaration): boolean {
  return ts.isSourceFile(declaration.scope) || iterationsAround(declaration.node).length === 0;
}

/**
 * The last word of names for collections of records — things a program holds as many of as its
 * data has: `orders`, `userIds`, `selectedElements`, `rows`, `lines`, `documents`. Size evidence
 * from naming, the other side of SMALL_DOMAIN.
 */
const RECORD_WORDS =
  /^(ids|uuids|users|customers|accounts|members|people|persons|employees|contacts|subscribers|followers|participants|attendees|students|orders|items|products|skus|invoices|payments|transactions|charges|bookings|reservations|shipments|listings|records|rows|entries|lines|files|urls|documents|docs|pages|posts|comments|messages|emails|notifications|events|logs|entities|elements|edges|vertices|descendants|shapes|cells|tiles|pixels|hits|matches|candidates|tokens|words|chunks|packages|modules|dependencies|deps|assets|images|photos|videos|tracks|articles|tickets|issues|tasks|jobs|todos|repos|repositories|commits|sessions|requests|connections|devices|readings|samples|measurements|metrics|addresses|locations|places|questions|answers|reviews|ratings|votes|likes|backlinks)$/i;

export type Scale = 'small' | 'large';

/** Array methods whose result is as large as their receiver, at most: a list derived from data is data-sized. */
export const SIZE_KEEPING_METHODS: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'flatMap',
  'flat',
  'slice',
  'concat',
  'sort',
  'toSorted',
  'reverse',
  'toReversed',
  'values',
  'keys',
  'entries',
]);

/** The scale of what a loop walks (see `walkedCollection`): undefined for `while` loops and counted loops. */
export function iterationScale(iteration: Iteration): Scale | undefined {
  const collection = walkedCollection(iteration);
  return collection ? scaleOf(collection) : undefined;
}

/**
 * How big a collection can get, from the evidence in the code: 'small' (a literal, a constant,
 * configuration, an enum, path segments, a name of a handful-domain — see `isSmallList`), 'large'
 * (read from I/O — an awaited call, `JSON.parse`, `split` into lines, `querySelectorAll` —, derived
 * from something large by `map`/`filter`/`Object.keys`/…, or named as records: `orders`,
 * `userIds`, `selectedElements`), or undefined when nothing says.
 */
export function scaleOf(expression: ts.Expression, depth = 0): Scale | undefined {
  if (depth > 6) return undefined;
  const node = skipParens(expression);
  if (isSmallList(node)) return 'small';
  if (ts.isAwaitExpression(node)) {
    // `await Promise.all(promises)`: as many results as promises.
    const awaited = skipParens(node.expression);
    if (ts.isCallExpression(awaited) && calleeName(awaited) === 'all' && awaited.arguments[0])
      return scaleOf(awaited.arguments[0], depth + 1);
    return 'large';
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    if (ts.isIdentifier(node)) {
      const declaration = resolve(node);
      const init = declaration?.initializer;
      if (init && (declaration.kind === 'const' || declaration.kind === 'let')) {
        // Filled per item of a large collection: whatever literal it started from (`[]` alone reads as small).
        if (filledPerItem(declaration, depth)) return 'large';
        const derived = scaleOf(init, depth + 1);
        if (derived) return derived;
        // Derived from something of unknown size (`mentions.map(…)`, `a ?? []`): the new name says nothing more.
        if (isDerivation(init)) return undefined;
      }
    }
    // A list hanging off one record (`link.tagIds`, `element.boundElements`) holds that record's few children.
    if (ts.isPropertyAccessExpression(node) && isPerRecordList(node)) return undefined;
    return hasRecordName(node) ? 'large' : undefined;
  }
  if (ts.isArrayLiteralExpression(node)) {
    // `[...a, ...b]`: as large as the largest part.
    const parts = node.elements.filter(ts.isSpreadElement).map((e) => scaleOf(e.expression, depth + 1));
    return parts.includes('large') ? 'large' : undefined;
  }
  if (ts.isCallExpression(node)) {
    const name = calleeName(node);
    const callee = skipParens(node.expression);
    if (name === undefined) return undefined;
    if (
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      (callee.expression.text === 'Object' || callee.expression.text === 'Array')
    ) {
      if (['keys', 'values', 'entries', 'getOwnPropertyNames', 'from'].includes(name) && node.arguments[0])
        return scaleOf(node.arguments[0], depth + 1);
      return undefined;
    }
    if (
      name === 'parse' &&
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'JSON'
    )
      return 'large';
    if (name === 'querySelectorAll' || name === 'getElementsByTagName' || name === 'getElementsByClassName' || name === 'readdirSync')
      return 'large';
    if (name === 'split') {
      const separator = node.arguments[0] && skipParens(node.arguments[0]);
      if (
        separator &&
        (ts.isRegularExpressionLiteral(separator)
          ? /\\n/.test(separator.text)
          : ts.isStringLiteralLike(separator) && separator.text.includes('\n'))
      )
        return 'large';
      return undefined;
    }
    const receiver = receiverOf(node);
    if (receiver && SIZE_KEEPING_METHODS.has(name)) return scaleOf(receiver, depth + 1);
    // `getUsers()`, `this.loadOrders()`: named for what they return.
    const returned = name.replace(/^(get|find|fetch|load|list|read|query|select|all|search|collect)(?=[A-Z])/, '');
    return returned !== name && RECORD_WORDS.test(lastWord(returned)) ? 'large' : undefined;
  }
  return undefined;
}

/**
 * `const all = []; for (const line of lines) all.push(line)`: a list built from empty (or a literal) by pushes made
 * once per item of a large collection holds as many items as that collection — the data says how big it is.
 */
function filledPerItem(declaration: Declaration, depth: number): boolean {
  const init = declaration.initializer && skipParens(declaration.initializer);
  if (!init || !ts.isArrayLiteralExpression(init)) return false;
  return references(declaration).some((reference) => {
    const use = useOf(reference);
    if (use.kind !== 'mutate' || (use.method !== 'push' && use.method !== 'unshift')) return false;
    return iterationsAround(reference).some((iteration) => {
      const walked = walkedCollection(iteration);
      return walked !== undefined && scaleOf(walked, depth + 1) === 'large';
    });
  });
}

/** `xs.map(…)`, `xs.filter(…)`, `Object.keys(o)`, `xs.map(…) ?? []`: a list computed from another collection. */
function isDerivation(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  if (ts.isBinaryExpression(node)) return isDerivation(node.left);
  if (ts.isConditionalExpression(node)) return isDerivation(node.whenTrue) || isDerivation(node.whenFalse);
  if (!ts.isCallExpression(node)) return false;
  const name = calleeName(node);
  return (
    name !== undefined &&
    ['map', 'filter', 'flatMap', 'flat', 'slice', 'concat', 'sort', 'toSorted', 'reverse', 'keys', 'values', 'entries', 'from'].includes(
      name,
    )
  );
}

function lastWord(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean);
  return words[words.length - 1] ?? name;
}

/** `orders`, `selectedElementIds`, `this.documents`, `scope.userIds`: named as a collection of records. */
export function hasRecordName(expression: ts.Expression): boolean {
  const node = skipParens(expression);
  const name = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
  return name !== undefined && RECORD_WORDS.test(lastWord(name));
}

/** Names of whatever a call returned or a request carried: their lists are the data itself. */
const CONTAINER_NAMES =
  /^(data|response|res|result|body|payload|json|page|state|store|stores|props|ctx|context|req|request|scene|app|db|this)$/i;

/**
 * `link.webhookIds`, `hitElement.groupIds`, `chatHistory.messages`: a list property of one record —
 * a variable named in the singular (or an element of the loop around it) — rather than of a result,
 * a store or a request. A record's own children are few.
 */
function isPerRecordList(access: ts.PropertyAccessExpression): boolean {
  const owner = skipParens(access.expression);
  if (!ts.isIdentifier(owner)) return false;
  if (CONTAINER_NAMES.test(owner.text) || /s$/i.test(owner.text)) return false;
  return /^[a-z]/.test(owner.text);
}
