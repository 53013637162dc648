/** Every rule PerfLens ships, and where each one's documentation lives. */
import type { Rule } from './rule';
import { rules } from './rules';

export const allRules: readonly Rule[] = rules;

export const REPOSITORY_URL = 'https://github.com/perflens/perflens';

/** The rule's documentation page (generated into docs/rules/ from its meta). */
export function docsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}
