/** The shipped rules by id, for tests that pick one (the product itself only walks the whole list). */
import type { Rule } from '../../src/analyzers/rule';
import { allRules } from '../../src/analyzers/registry';

export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map((rule) => [rule.meta.id, rule]));

export const knownRuleIds: ReadonlySet<string> = new Set(rulesById.keys());
