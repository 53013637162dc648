/**
 * Lock instances: which expressions are a lock or limiter of a library PerfLens knows (its
 * descriptor's `lock` section says what its constructors make). An instance is recognised from the
 * import its constructor or factory comes from (`new Mutex()` of 'async-mutex'), wherever it is
 * declared: module level, a local, a class field (`this.mutex`), a typed parameter (`mutex:
 * Mutex`), a global (`navigator.locks`), or by type when types resolve.
 */
import { ts } from '../../../ts';
import { chainRoot, dottedName, skipParens } from '../../../facts/ast';
import { lookup } from '../../../facts/dataflow';
import type { FileFacts } from '../../../facts/fileFacts';
import type { LockKnowledge, LockKind } from '../../../facts/libraries/library';
import { lockLibraries, lockOfModule } from '../../../facts/libraries/registry';

const SK = ts.SyntaxKind;

export interface LockInstance extends LockKind {
  /** The library's id: `async-mutex`, `redlock`, `web-locks`. */
  library: string;
  /** The lock as written: `mutex`, `this.lock`, `navigator.locks`. */
  text: string;
}

/** The lock knowledge of an instance's library. */
export function lockKnowledge(lock: LockInstance): LockKnowledge {
  return lockLibraries.find((entry) => entry.id === lock.library)!.lock;
}

/** The module and exported name an identifier (or `ns.Name`) refers to, through imports. */
function importedName(expression: ts.Expression, facts: FileFacts): { module: string; name: string } | undefined {
  const node = skipParens(expression);
  if (ts.isIdentifier(node)) {
    const origin = facts.originOf(node.text, node);
    if (!origin || origin.instanceOf) return undefined;
    return { module: origin.module, name: origin.imported === 'default' || origin.imported === '*' ? node.text : origin.imported };
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const origin = facts.originOf(node.expression.text, node);
    if (!origin || origin.instanceOf || (origin.imported !== '*' && origin.imported !== 'default')) return undefined;
    return { module: origin.module, name: node.name.text };
  }
  return undefined;
}

/** What `new Mutex()`, `new Semaphore(3)`, `withTimeout(new Mutex(), 500)`, `pLimit(1)`, `new PQueue({ concurrency: 1 })` make. */
function lockFromInitializer(init: ts.Expression, facts: FileFacts, text: string, depth = 0): LockInstance | undefined {
  const node = skipParens(init);
  if (depth > 3 || !(ts.isNewExpression(node) || ts.isCallExpression(node))) return undefined;
  const made = importedName(node.expression, facts);
  const owner = made && lockOfModule(made.module);
  if (!made || !owner) return undefined;
  const result = owner.lock!.made?.(made.name, ts.isNewExpression(node), node.arguments ?? []);
  if (!result) return undefined;
  if ('wraps' in result) return lockFromInitializer(result.wraps, facts, text, depth + 1);
  return { ...result, library: owner.id, text };
}

/** `mutex: Mutex`, `lock: AsyncLock`, `private readonly redlock: Redlock`. */
function lockFromType(type: ts.TypeNode | undefined, facts: FileFacts, text: string): LockInstance | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  let made: { module: string; name: string } | undefined;
  if (ts.isIdentifier(name)) {
    const origin = facts.originOf(name.text, type);
    made =
      origin && !origin.instanceOf
        ? { module: origin.module, name: origin.imported === 'default' || origin.imported === '*' ? name.text : origin.imported }
        : undefined;
  } else if (ts.isIdentifier(name.left)) {
    const origin = facts.originOf(name.left.text, type);
    made =
      origin && (origin.imported === '*' || origin.imported === 'default') ? { module: origin.module, name: name.right.text } : undefined;
  }
  const owner = made && lockOfModule(made.module);
  const kind = owner && owner.lock!.typed?.(made!.name);
  return kind ? { ...kind, library: owner.id, text } : undefined;
}

/** `this.mutex`: a class field, a constructor parameter property, or an assignment in the constructor. */
function lockOfMember(access: ts.PropertyAccessExpression, facts: FileFacts, text: string): LockInstance | undefined {
  let cls: ts.Node | undefined = access.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const name = access.name.text;
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name && ts.isIdentifier(member.name) && member.name.text === name) {
      return (member.initializer && lockFromInitializer(member.initializer, facts, text)) ?? lockFromType(member.type, facts, text);
    }
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name && ts.getModifiers(parameter)?.length)
          return lockFromType(parameter.type, facts, text);
      }
      let found: LockInstance | undefined;
      const visit = (node: ts.Node): void => {
        if (found) return;
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === SK.EqualsToken) {
          const left = skipParens(node.left);
          if (ts.isPropertyAccessExpression(left) && left.expression.kind === SK.ThisKeyword && left.name.text === name) {
            found = lockFromInitializer(node.right, facts, text);
            return;
          }
        }
        ts.forEachChild(node, visit);
      };
      if (member.body) visit(member.body);
      if (found) return found;
    }
  }
  return undefined;
}

/** Last resort when syntax cannot tell (an instance imported from another file): the declared type's package. */
function lockFromTypes(expression: ts.Expression, facts: FileFacts, text: string): LockInstance | undefined {
  const types = facts.types();
  const type = types?.typeOf(expression);
  const symbol = type?.getSymbol() ?? type?.aliasSymbol;
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return undefined;
  const file = declaration.getSourceFile().fileName.replace(/\\/g, '/');
  for (const { id, lock } of lockLibraries) {
    if (lock.byType?.path.test(file)) return { ...lock.byType.kind(symbol.getName()), library: id, text };
  }
  return undefined;
}

/**
 * The lock `expression` denotes, if it is one PerfLens knows. `useTypes` allows asking the type
 * checker when syntax cannot tell (an instance imported from another file); it costs a program,
 * so callers allow it only for receivers that look like locks.
 */
export function lockInstance(expression: ts.Expression, facts: FileFacts, useTypes = false): LockInstance | undefined {
  const node = skipParens(expression);
  const text = facts.textOf(node);
  // `navigator.locks`, unless the program declares its root itself.
  const dotted = dottedName(node);
  const global = dotted === undefined ? undefined : lockLibraries.find(({ lock }) => lock.global?.name.test(dotted));
  if (global) {
    const root = chainRoot(node);
    if (root && ts.isIdentifier(root) && lookup(root.text, root)) return undefined;
    return { ...global.lock.global!.kind, library: global.id, text };
  }
  if (ts.isIdentifier(node)) {
    const declaration = lookup(node.text, node);
    if (declaration) {
      const found =
        (declaration.initializer && lockFromInitializer(declaration.initializer, facts, text)) ||
        lockFromType(declaration.type, facts, text);
      if (found) return found;
      if (declaration.kind !== 'import') return undefined;
    }
  } else if (ts.isPropertyAccessExpression(node) && node.expression.kind === SK.ThisKeyword) {
    const found = lockOfMember(node, facts, text);
    if (found) return found;
  }
  return useTypes ? lockFromTypes(node, facts, text) : undefined;
}

/** A lock whose method is called on a receiver named like one, when nothing else can tell (`this.mutex.runExclusive(…)`). */
export function lockByName(receiver: ts.Expression, method: string, facts: FileFacts): LockInstance | undefined {
  const text = facts.textOf(receiver);
  const last = text.split('.').pop() ?? text;
  for (const { id, lock } of lockLibraries) {
    const byName = lock.byName;
    if (byName && byName.method === method && byName.name.test(last) && !byName.unless.test(last))
      return { ...byName.kind, library: id, text };
  }
  return undefined;
}
