/**
 * "Can the per-item work become one batched call without changing behaviour?" Not when an
 * iteration needs the previous one's result (a parent id, a running cursor or total set in the
 * loop and read by the next iteration's call), nor when each item has its own error path (a
 * try/catch around the call that goes on with the next item: one failure would fail the whole
 * batch), nor when the call is that error path (in the `catch` of its pass: it runs for the items
 * that failed, one at a time), nor when it is a schema statement (DDL: `ALTER TABLE … DETACH PARTITION`,
 * `DROP TABLE`, `VACUUM`): it acts on one named object, and SQL has no form that acts on a set of them.
 * One place for these questions:
 * perItem.ts asks them too (a transaction's writes stay quiet when they cannot be batched).
 */
import { ts } from '../ts';
import { isFunctionLike, referencedNames } from './ast';
import { contains, isStableIn, isValueReference, resolve, type Declaration } from './dataflow';
import { sqlOfCall } from './clients/sql';
import type { ClientCall } from './clients';
import { loopCondition, type Iteration } from './loops';

export interface BatchingFact {
  batchable: boolean;
  /** Why not, in one sentence. */
  reason?: string;
}

export function batchingOf(call: ts.Node, iteration: Iteration): BatchingFact {
  const ddl = ddlStatement(call);
  if (ddl) return { batchable: false, reason: `DDL runs per object: no set-based form (${ddl})` };
  const failure = errorPath(call, iteration);
  if (failure) return { batchable: false, reason: `runs only when this item failed (${failure})` };
  const carried = carriedState(call, iteration);
  if (carried)
    return {
      batchable: false,
      reason: `each iteration needs the previous one's result (\`${carried}\` is set in the loop and read by the next call)`,
    };
  if (catchesEachFailure(call, iteration))
    return { batchable: false, reason: 'each item has its own error handling (a try/catch around the call in the loop)' };
  return { batchable: true };
}

/**
 * The name of state an earlier pass left behind that the call reads — a name declared outside the
 * iteration and assigned or changed inside it (`parentId = created.id`, `balance += entry.amount`,
 * `newIds.set(node.id, row.id)`), directly or through a local of the pass made from one (`const
 * parent = newIds.get(node.parentId)`). Each pass then needs the one before it: the round trips
 * cannot become one batch. A loop's own counter (named in its condition) is not such state.
 */
export function carriedState(call: ts.Node, iteration: Iteration): string | undefined {
  const region = iteration.node;
  const condition = loopCondition(region);
  const counters = condition ? referencedNames(condition) : new Set<string>();
  const seen = new Set<Declaration>();
  const carried = (expression: ts.Node, depth: number): string | undefined => {
    let found: string | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(node) && isValueReference(node) && !counters.has(node.text)) {
        const declaration = resolve(node);
        if (declaration && !seen.has(declaration)) {
          seen.add(declaration);
          if (contains(region, declaration.id)) {
            // A local of the pass: what it is made from decides.
            if (declaration.initializer && depth < 3) found = carried(declaration.initializer, depth + 1);
          } else if (!isStableIn(declaration, region)) found = declaration.name;
        }
      }
      if (!found) ts.forEachChild(node, visit);
    };
    visit(expression);
    return found;
  };
  return carried(call, 0);
}

/** True when the call sits in a `try` of its own pass whose `catch` goes on with the next item: each failure is handled on its own. */
export function catchesEachFailure(call: ts.Node, iteration: Iteration): boolean {
  for (let current: ts.Node | undefined = call.parent; current && current !== iteration.node; current = current.parent) {
    if (ts.isTryStatement(current) && current.catchClause && contains(current.tryBlock, call))
      return !endsInThrow(current.catchClause.block);
    if (isFunctionLike(current)) return false;
  }
  return false;
}

/**
 * Where the call is its pass's error path, if it is: in the `catch` block of a try inside the pass — it runs
 * for a failed item only. (A `.catch()` callback is a function of its own: the per-item facts do not follow
 * calls into it, so nothing is reported there.)
 */
function errorPath(call: ts.Node, iteration: Iteration): string | undefined {
  for (let current: ts.Node = call; current.parent && current !== iteration.node; current = current.parent) {
    if (ts.isCatchClause(current.parent) && contains(iteration.node, current.parent)) return 'the catch of its try';
    if (isFunctionLike(current)) return undefined;
  }
  return undefined;
}

/** The block's last statement throws: a `catch` that rethrows fails the whole loop, as a batch would. */
export function endsInThrow(block: ts.Block): boolean {
  const last = block.statements[block.statements.length - 1];
  return !!last && ts.isThrowStatement(last);
}

/**
 * Schema statements: the verb, and for ALTER/CREATE/DROP the kind of object they name, so that a string that
 * only starts with an English word ("Create a report…") is not taken for SQL. Comments before the verb are skipped.
 */
const DDL =
  /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*((?:ALTER|CREATE|DROP)\s+(?:OR\s+REPLACE\s+)?(?:(?:UNIQUE|TEMP|TEMPORARY|MATERIALIZED|UNLOGGED|FOREIGN)\s+)*(?:TABLE|INDEX|VIEW|SCHEMA|SEQUENCE|TYPE|FUNCTION|TRIGGER|EXTENSION|DATABASE|ROLE|USER|POLICY|PROCEDURE|DOMAIN|PUBLICATION|SUBSCRIPTION)\b|TRUNCATE\b(?!\s+[a-z]+\s+[a-z])|(?:VACUUM|ANALYZE|REINDEX)(?=\s*(?:$|;|\(|["`\w]+\s*(?:$|;|\()|TABLE\b|INDEX\b|SCHEMA\b|DATABASE\b|VERBOSE\b|FULL\b))|(?:GRANT|REVOKE)\b(?=[^;]*\bON\b)|COMMENT\s+ON\b)/i;

/** The DDL statement a raw SQL call runs (`ALTER TABLE`, `DROP TABLE`, `VACUUM`), from its text written in place or in a const. */
function ddlStatement(call: ts.Node): string | undefined {
  if (!ts.isCallExpression(call) && !ts.isTaggedTemplateExpression(call)) return undefined;
  const sql = sqlOfCall(call);
  const match = sql === undefined ? null : DDL.exec(sql);
  return match ? match[1].replace(/\s+/g, ' ').toUpperCase() : undefined;
}

/** The statements of schema changes, as the client recognisers name a raw statement's first keyword (`ClientCall.statement`). */
const DDL_VERBS = /^(ALTER|CREATE|DROP|TRUNCATE|VACUUM|ANALYZE|REINDEX|GRANT|REVOKE|COMMENT)$/;

/**
 * Why a project function called per item cannot be batched when its database work is a schema statement: its
 * first raw statement (`dropPartition()` runs `DROP TABLE "${name}"`) is DDL — one per object, as inline.
 */
export function helperDdl(first: ClientCall, name: string): string | undefined {
  return first.raw && first.statement && DDL_VERBS.test(first.statement)
    ? `DDL runs per object: no set-based form (${name}() runs ${first.statement})`
    : undefined;
}
