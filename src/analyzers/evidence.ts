/**
 * Severity from evidence, decided once for every rule: the engine gathers what the code says about
 * a finding — how big the data its cost multiplies by can get (facts/scale.ts), where the code runs
 * (facts/context.ts), whether the per-item work can be batched (facts/batching.ts) — and the rule's
 * `meta.evidence.basis` says which of these its claim depends on (see EvidencePolicy in rule.ts).
 */
import type { ts } from './ts';
import type { Evidence, Severity } from './finding';
import type { EvidencePolicy, Report } from './rule';
import { executionContext } from './facts/context';
import type { FileFacts } from './facts/fileFacts';
import { dataScale, growingOf, iterationScaleOf, type ScaleFact } from './facts/scale';
import { batchingOf } from './facts/batching';

/** The policy of a rule that declares none: its configured severity everywhere, code run once included, as before evidence. */
export const UNDECLARED: EvidencePolicy = { basis: 'claim', why: '', everywhere: true };

/** Contexts where code runs once per process, run or deploy: per-call cost rarely matters there. */
const ONCE = new Set<Evidence['context']>(['startup', 'script', 'build', 'test']);
/** Contexts where a filtered read is not evidence of growth: a job's filter selects what became due, an unknown path may be rare. */
const ONLY_WHOLE_TABLES = new Set<Evidence['context']>(['job', 'unknown']);

/** The evidence of a report at `node`, and the severity it leads to (undefined: not reported). */
export function weigh(
  report: Report,
  node: ts.Node,
  facts: FileFacts,
  policy: EvidencePolicy,
  configured: Severity,
): { evidence: Evidence; severity: Severity | undefined } {
  const reasons: string[] = [];
  const context = executionContext(node, facts);

  const given = report.evidence ?? {};
  // A rule that names nothing: the loop around the reported node is what its cost repeats in.
  const iteration = given.iteration ?? (given.collection === undefined ? facts.iteration(node) : undefined);
  const scales: ScaleFact[] = [];
  let loopGrows = false;
  let passes: ScaleFact | undefined;
  if (iteration) {
    passes = iterationScaleOf(iteration, facts);
    if (passes) scales.push(passes);
    loopGrows = passes?.scale === 'grows' && !passes.clientSized && !(passes.filtered && ONLY_WHOLE_TABLES.has(context.context));
  }
  const searched = given.collection && dataScale(given.collection, facts);
  if (searched) scales.push(searched);
  if (given.scale) scales.push(given.scale);
  // A rule that names both the passes and the list searched in each (nested-scan, lookup-in-loop) says its cost
  // is their product: O(n·m) is quadratic only when both grow — a growing loop over a list of unknown size is
  // as likely linear work over a handful.
  let scale = given.iteration && searched ? product(passes, searched) : combine(scales);
  if (scale.reason) reasons.push(scale.reason);
  // The rows a filter selects grow with the table where every request reads them; a job's filter selects what became
  // due since its last run, and where no request path is known only a whole table is evidence of growth.
  if (scale.scale === 'grows' && scale.filtered && ONLY_WHOLE_TABLES.has(context.context)) {
    scale = { scale: 'unknown', reason: scale.reason };
    reasons.push(
      context.context === 'job'
        ? 'a job reads what its filter selects on each run (what became due since the last), not the whole table'
        : 'a filtered read grows with its table only on a request path, and none was found',
    );
  }
  // A request's items are as many as a client sends: most requests send a handful (a cart of one item, a form's
  // fields, the page a client shows), and only the rare bulk action sends many. Evidence of the pattern, not of scale.
  const clientSized = scale.scale === 'grows' && scale.clientSized === true && policy.basis !== 'claim';
  if (clientSized) reasons.push("a request's items are as many as a client sends, and nothing here says clients send many");
  for (const extra of scales)
    if (extra.reason && extra.reason !== scale.reason && !reasons.includes(extra.reason)) reasons.push(extra.reason);
  if (given.iteration && searched && scale.scale === 'unknown' && scales.some((fact) => fact.scale === 'grows'))
    reasons.push('the cost is O(n·m): it grows only when both lists do');
  // Reasons say why the severity is what it is: where the code runs is one only when the basis weighs it;
  // a rule whose claim decides says why (its `meta.evidence.why`).
  if (context.reason && policy.basis !== 'claim') reasons.push(context.reason);
  if (policy.basis === 'claim' && policy.why) reasons.push(given.lesser ?? policy.why);
  if (policy.basis === 'items' && scale.scale === 'unknown' && !scale.reason)
    reasons.unshift('nothing in this file says how many items there are');
  if (policy.scaled && scale.scale !== 'grows' && !scale.reason)
    reasons.unshift('nothing here shows that the data it touches grows: one run costs a fixed amount');
  if (policy.latency && context.context === 'job')
    reasons.push("a job's run is waited on by no one: overlapping its reads saves time nobody waits for, and no database work");
  if (policy.basis !== 'claim' && context.context === 'unknown')
    reasons.push(
      facts.modules?.knowsProjectFiles?.()
        ? 'no request handler or job found around it or among its callers in the project'
        : 'no request handler or job found around it in this file',
    );

  let batchable: boolean | undefined;
  if (given.notBatchable) {
    batchable = false;
    reasons.push(given.notBatchable);
  } else if (given.call && iteration) {
    const batching = batchingOf(given.call, iteration);
    batchable = batching.batchable;
    if (batching.reason) reasons.push(batching.reason);
  }

  const evidence: Evidence = { scale: scale.scale, context: context.context, reasons };
  if (batchable !== undefined) evidence.batchable = batchable;
  const severity = severityOf(evidence, policy, configured, loopGrows, clientSized);
  // A cost only a measurement can size: info at most from code, with the reason (a profile may raise it: fusion/measured.ts).
  if (policy.measured && severity) reasons.push(policy.measured);
  // One machine's client (a server bound to localhost) and the lesser of a rule's claims: info at most.
  const capped = given.lesser || context.local || policy.measured !== undefined;
  return { evidence, severity: capped && severity ? demote(severity) : severity };
}

/**
 * - once-only code (start-up, scripts, build config, tests): not reported, unless a `claim` rule says its
 *   claim holds `everywhere` (correctness): info there.
 * - `claim`: the configured severity.
 * - `items` over bounded data: not reported; work that cannot be batched, an admin-only route or a rare path
 *   (deleting one record and what belongs to it): info.
 * - `items`: growing data on a request or job path → configured; unknown size, or a path of unknown context → info.
 *   (Until issue 12's third study a whole table where no path was found stayed a warning, on the guess that such
 *   code runs on a request or job path through callers the engine cannot follow: 10 of the 11 sampled were a
 *   migration, a start-up loader, a build-time page, a CLI, dead code.)
 * - `calls`: a request or job path → configured; elsewhere info. `scaled` (one run costs a fixed amount): growing
 *   data, or a loop over growing data, on a request or job path → configured; otherwise info.
 * - data that grows only as a request's items (`clientSized`): info. `constantGain`: info at most.
 * - `claim` with `leak`: a request or job path → configured, code run once → not reported, elsewhere info.
 */
function severityOf(
  evidence: Evidence,
  policy: EvidencePolicy,
  configured: Severity,
  loopGrows: boolean,
  clientSized: boolean,
): Severity | undefined {
  // A warning needs a path that matters: growing data where no request handler or job was found is info.
  const onPath = evidence.context === 'request' || evidence.context === 'job';
  // A claim that holds in code run once too (a write outside its transaction) is still said there, as an info: a one-off
  // migration or script is not where a maintainer spends a fix (issue 12's round 8).
  if (ONCE.has(evidence.context)) {
    if (policy === UNDECLARED) return configured;
    return policy.basis === 'claim' && policy.everywhere ? demote(configured) : undefined;
  }
  if (policy.basis === 'claim') return policy.leak && !onPath ? demote(configured) : configured;
  if (policy.basis === 'items' && evidence.scale === 'bounded') return undefined;
  if (evidence.batchable === false || evidence.context === 'admin' || evidence.context === 'rare') return demote(configured);
  if (policy.constantGain || clientSized) return demote(configured);
  if (policy.latency && evidence.context !== 'request') return demote(configured);
  if (policy.basis === 'items') return evidence.scale === 'grows' && onPath ? configured : demote(configured);
  if (policy.scaled) return onPath && (loopGrows || evidence.scale === 'grows') ? configured : demote(configured);
  return onPath ? configured : demote(configured);
}

/** Info, unless the config asked for less than a warning already. */
function demote(configured: Severity): Severity {
  return configured === 'error' || configured === 'warning' ? 'info' : configured;
}

/**
 * The passes of a loop times the list searched in each: bounded if either is, grows when both do (the reason names
 * both), else unknown, named by the one whose size nothing says.
 */
function product(passes: ScaleFact | undefined, searched: ScaleFact): ScaleFact {
  const both = passes ? [passes, searched] : [searched];
  const bounded = both.find((fact) => fact.scale === 'bounded');
  if (bounded) return bounded;
  // n items a client sends times m rows is m times a handful: as big as the request makes it, no more.
  if (passes?.scale === 'grows' && searched.scale === 'grows')
    return { ...combine(both), ...((passes.clientSized || searched.clientSized) && { clientSized: true }) };
  const unsized = both.find((fact) => fact.scale !== 'grows');
  return { scale: 'unknown', reason: unsized?.reason ?? 'nothing here says how many times the loop runs' };
}

/** Several pieces of data multiply the cost (a list searched per item of another): bounded if any is, grows if one does. */
function combine(facts: readonly ScaleFact[]): ScaleFact {
  return (
    facts.find((fact) => fact.scale === 'bounded') ??
    growingOf(facts) ??
    facts.find((fact) => fact.reason !== undefined) ?? { scale: 'unknown' }
  );
}
