/** Whether a rule applies to a file, from its declared scope: the one place rules' file guards live. */
import type { FileFacts } from './facts/fileFacts';
import type { RuleScope } from './rule';

/** Text tests first (a substring search), file kinds last (they may read package.json). */
export function appliesTo(scope: RuleScope | undefined, file: FileFacts): boolean {
  if (!scope) return true;
  if (scope.triggers && !scope.triggers.some((trigger) => file.text.includes(trigger))) return false;
  // `search` ignores a pattern's lastIndex, so a /g pattern gives the same answer every time.
  if (scope.requires && file.text.search(scope.requires) === -1) return false;
  return !scope.skip?.some((kind) => file.is(kind));
}
