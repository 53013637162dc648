import { ts } from '../../../ts';
import { calleeName, isFunctionLike, skipParensUp } from '../../../facts/ast';

/**
 * When `fn` is a React function component — a function named with a capital letter that returns
 * JSX (or `React.createElement`) — its body runs on every render. Hooks' callbacks are separate
 * functions and do not count.
 */
export function isComponentRender(fn: ts.Node): boolean {
  if (!isFunctionLike(fn) || ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn) || ts.isGetAccessor(fn) || ts.isSetAccessor(fn))
    return false;
  let name: string | undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name) name = fn.name.text;
  else {
    let outer: ts.Node = skipParensUp(fn);
    // `const Row = memo((props) => …)`, `forwardRef(…)`
    if (outer.parent && ts.isCallExpression(outer.parent) && ['memo', 'forwardRef', 'observer'].includes(calleeName(outer.parent) ?? ''))
      outer = skipParensUp(outer.parent);
    const parent = outer.parent;
    if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) name = parent.name.text;
  }
  if (!name || !/^[A-Z]/.test(name) || !fn.body) return false;
  let jsx = false;
  const visit = (node: ts.Node): void => {
    if (jsx) return;
    if (
      ts.isJsxElement(node) ||
      ts.isJsxSelfClosingElement(node) ||
      ts.isJsxFragment(node) ||
      (ts.isCallExpression(node) && calleeName(node) === 'createElement')
    ) {
      jsx = true;
      return;
    }
    if (isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return jsx;
}

/** Hooks whose callback runs when its dependencies change, given a dependency list. */
const HOOKS_WITH_DEPS: ReadonlySet<string> = new Set(['useMemo', 'useEffect', 'useLayoutEffect', 'useInsertionEffect']);
/** Hooks whose callback never runs as part of a render: called later (`useCallback`), or once (initialisers). */
const HOOKS_NOT_PER_RENDER: ReadonlySet<string> = new Set(['useCallback', 'useState', 'useReducer', 'useRef']);

/**
 * When `fn` is a React hook's callback that does not run on every render: `useMemo`/`useEffect` with a
 * dependency list (it runs when they change), `useCallback`'s function (it runs when called), `useState`'s
 * initialiser (once). `useMemo(() => …)` without dependencies runs on every render and is not one.
 */
export function isHookCallbackOutsideRender(fn: ts.Node): boolean {
  if (!isFunctionLike(fn)) return false;
  const outer = skipParensUp(fn);
  const call = outer.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== outer) return false;
  const name = calleeName(call) ?? '';
  if (HOOKS_NOT_PER_RENDER.has(name)) return true;
  return HOOKS_WITH_DEPS.has(name) && call.arguments.length >= 2;
}
