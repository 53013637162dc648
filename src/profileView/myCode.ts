/**
 * Which functions "My code only" hides: dependencies, Node's own code and the pseudo-frames
 * profilers invent. `(root)` is hidden in every mode — it is the whole profile, not a function.
 */
import type { ViewFunction } from './data';

const INVENTED = new Set(['(program)', '(idle)', '(garbage collector)', '(root)']);
/** `node_modules` as a whole path segment, in a relative or absolute path. */
const DEPENDENCY = /(?:^|\/)node_modules\//;
/** Node's built-in modules, as V8 names their scripts. */
const NODE_INTERNAL = /^(?:node:|internal\/)/;

function isInvented(fn: ViewFunction): boolean {
  return fn.file === undefined && INVENTED.has(fn.name);
}

function isOthersCode(fn: ViewFunction): boolean {
  if (isInvented(fn)) return true;
  if (fn.file === undefined) return false;
  // The file as shown, relative to the root when under it, not the absolute path: a project that
  // itself lies in some node_modules folder is still the user's code.
  return NODE_INTERNAL.test(fn.file) || DEPENDENCY.test(fn.file.replace(/\\/g, '/'));
}

/**
 * 1 for each function the view folds into its caller: `(root)` always, and with `myCodeOnly`
 * everything isOthersCode says.
 */
export function hiddenFunctions(functions: readonly ViewFunction[], myCodeOnly: boolean): Uint8Array {
  const hidden = new Uint8Array(functions.length);
  functions.forEach((fn, index) => {
    if (fn.name === '(root)' && fn.file === undefined) hidden[index] = 1;
    else if (myCodeOnly && isOthersCode(fn)) hidden[index] = 1;
  });
  return hidden;
}
