/** The rewrite families by id: each turns a snippet into its rewritten variants (none: the family does not apply). */
import type { RewriteFamily } from '../../../src/analyzers/rule';
import { awaitThenVariants } from './awaitThen';
import { destructuringVariants } from './destructuring';
import { extractVariants } from './extract';
import { functionFormVariants } from './functions';
import { loopHeaderVariants } from './loopHeader';
import { loopFormVariants } from './loops';
import { moveHelperVariants } from './moveHelper';
import { reduceVariants } from './reduce';
import { renameVariants } from './rename';
import type { Snippet } from './source';
import { stripTypeVariants } from './stripTypes';

export const REWRITES: Record<RewriteFamily, (snippet: Snippet) => Snippet[]> = {
  extract: extractVariants,
  'loop-forms': loopFormVariants,
  reduce: reduceVariants,
  'function-forms': functionFormVariants,
  'await-then': awaitThenVariants,
  destructuring: destructuringVariants,
  'loop-header': loopHeaderVariants,
  rename: renameVariants,
  'move-helper': moveHelperVariants,
  'strip-types': stripTypeVariants,
};
