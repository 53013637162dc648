/**
 * Rule documentation, generated from each rule's own meta so that the docs cannot drift from
 * what the rule does: `docs/rules/<id>.md`, an index, and the rule table of the README. A test
 * fails when a file is stale (`npm run docs` rewrites them).
 */
import { FILE_KIND_DEFINITIONS, FILE_KINDS } from './facts/fileKinds';
import { REWRITE_FAMILIES, type RewriteFamily, type Rule, type RuleMeta, type ValidExample } from './rule';

function asValid(example: string | ValidExample): ValidExample {
  return typeof example === 'string' ? { code: example } : example;
}

/** The "Severity" line of a rule's doc, by what decides it (EvidencePolicy in rule.ts). */
const SEVERITY_TEXT: Record<'items' | 'calls' | 'claim', string> = {
  items:
    'from the size of the data the cost multiplies by and where it runs — growing (a query without a limit over a table, ' +
    'request input, a listing, the events one record keeps gaining) on a request or job path gives the default severity, ' +
    'growing where no request handler or job is found gives info, unknown (one record’s children: a team’s members, a ' +
    'workflow’s steps) gives info, bounded (a literal, a constant, `take: 10`) is not reported; rows a filter selects (a status, ' +
    'a time window) grow only on a request path — in a job they are what became due since its last run, info —; code run once ' +
    '(start-up, scripts, build config, tests) is not reported, and admin-only code, a rare path (deleting one record) or work ' +
    'that cannot be batched is info.',
  calls:
    'from where the code runs — on a request or job path the default severity, elsewhere info; ' +
    'code run once (start-up, scripts, build config, tests) is not reported, and admin-only code or a rare path (deleting one ' +
    'record) is info.',
  claim:
    'the default severity wherever the rule reports, except in code run once (start-up, scripts, seeds and migrations, build ' +
    'config, tests), which is not reported: its claim does not depend on the size of the data, but the cost it names is paid ' +
    'by other work waiting, and code run once keeps nobody waiting.',
};
/** The "Severity" line of a `calls` rule whose one run costs a fixed amount (`scaled`). */
const CALLS_SCALED =
  'from the data the work touches and where it runs — growing data (a count or a list read without a limit, a directory ' +
  'tree, a loop over rows or a listing; in a job, rows of a whole table, not what a filter selects), or a loop over growing ' +
  'data, on a request or job path gives the default ' +
  'severity; a fixed cost (one small file, one round trip saved) is info; code run once (start-up, scripts, build config, ' +
  'tests) is not reported, and admin-only code or a rare path (deleting one record) is info.';
/** The "Severity" line of a `claim` rule about a leak (`leak`): it needs code that runs again and again. */
const CLAIM_LEAK =
  'the default severity on a request or job path, where the code that makes the leak runs again and again; info where no ' +
  'request handler or job is found around it or among its callers; code run once (start-up, scripts, build config, tests) ' +
  'is not reported: a timer or a listener made once is one resource held for the life of the process, by design.';
/** Appended to the "Severity" line of a rule whose fix saves a constant amount per item or call (`constantGain`). */
const CONSTANT_GAIN =
  ' At most info: the fix saves a constant amount of work per item or call, not an order of growth, and next to the I/O ' +
  'that brought the data that is seldom what anyone waits for.';
/** Appended to the "Severity" line of a rule whose fix saves latency only (`latency`). */
const LATENCY = " A warning only on a request path: the fix saves latency, not work, and a job's run is waited on by no one (info there).";
/** The "Severity" line of a rule whose warning needs a measurement (`measured`), before its reason. */
const MEASURED_LEAD = 'info at most from the code alone: ';
/** ... and after it. */
const MEASURED_TAIL =
  '. Code run once (start-up, scripts, build config, tests) is not reported, as with every rule; elsewhere the evidence ' +
  '(the data the work touches, where it runs) is listed with the finding.';
/** Appended to the "Severity" line of a rule whose cost a CPU profile measures (`cpu`). */
const CPU =
  ' With a CPU profile (`scan --profile`, or one open in the editor), a finding whose lines took at least 5% of the ' +
  "run's time (the hot share, a setting) rises to the default severity, and one in a function the run never sampled, " +
  'in a file it ran, drops a level.';
/** The "Severity" line of a `claim` rule whose claim holds in code run once too (`everywhere`). */
const CLAIM_EVERYWHERE =
  'the default severity wherever the rule reports, and an info in code run once (start-up, scripts, seeds and migrations, ' +
  'build config, tests): its claim does not depend on the size of the data, but a one-off script is seldom where a fix is ' +
  'spent.';

function fence(code: string, filename?: string): string {
  const language = filename && /\.m?jsx?$|\.cjs$/.test(filename) ? 'js' : 'ts';
  const title = filename ? `<sub>${filename}</sub>\n\n` : '';
  return `${title}\`\`\`${language}\n${code.trim()}\n\`\`\``;
}

const FIX_TEXT = {
  safe: 'Safe quick fix: applied by `perflens scan --fix` and by *Fix all* in the editor; it keeps behaviour.',
  suggestion: 'Suggested fix: offered as a quick fix to preview and apply by hand; it may change behaviour in edge cases.',
  none: 'No automatic fix: the change needs a decision only you can make.',
} as const;

/** `a`, `a and b`, `a, b and c`. */
function listOf(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** "In tests, scripts and build config", from the rule's scope; undefined when it skips no kind of file. */
function skippedKinds(meta: RuleMeta): string | undefined {
  const skipped = FILE_KINDS.filter((kind) => meta.scope?.skip?.includes(kind));
  return skipped.length === 0 ? undefined : `In ${listOf(skipped.map((kind) => FILE_KIND_DEFINITIONS[kind].label))}`;
}

/**
 * Where the rule stays quiet: the kinds of file its scope skips, then the look-alikes it lists.
 * `kindsLink` is appended to the kinds' item (the docs link it to what each kind covers).
 */
export function notReportedItems(meta: RuleMeta, kindsLink = ''): string[] {
  const kinds = skippedKinds(meta);
  return [...(kinds === undefined ? [] : [`${kinds}${kindsLink}`]), ...(meta.notReported ?? [])];
}

/**
 * `docs/rules/<id>.md`.
 * @internal exported for test/analyzers/docs.test.ts, which checks the file against it (and writes it under `npm run docs`)
 */
export function renderRuleDoc(rule: Rule): string {
  const { meta } = rule;
  const lines: string[] = [];
  // A rule is `rules/<category>/<id>.ts`, or a folder `rules/<category>/<id>/` whose index.ts is the rule: the path names both.
  lines.push(`<!-- Generated from src/analyzers/rules/${meta.category}/${meta.id} by \`npm run docs\`. Do not edit. -->`);
  lines.push(`# ${meta.id}`);
  lines.push('');
  lines.push(meta.description);
  lines.push('');
  lines.push(`| category | impact | effort to fix | fix | default severity |`);
  lines.push(`|---|---|---|---|---|`);
  lines.push(`| \`${meta.category}\` | ${meta.impact} | ${meta.effort} | ${meta.fix} | ${meta.defaultSeverity ?? 'warning'} |`);
  lines.push('');
  const severity =
    !meta.evidence || meta.evidence.everywhere
      ? CLAIM_EVERYWHERE
      : meta.evidence.leak
        ? CLAIM_LEAK
        : meta.evidence.scaled
          ? CALLS_SCALED
          : SEVERITY_TEXT[meta.evidence.basis];
  const constant = meta.evidence?.constantGain ? CONSTANT_GAIN : '';
  const latency = meta.evidence?.latency ? LATENCY : '';
  const cpu = meta.evidence?.cpu ? CPU : '';
  const severityLine = meta.evidence?.measured
    ? `${MEASURED_LEAD}${meta.evidence.measured}${MEASURED_TAIL}`
    : `${severity}${constant}${latency}`;
  lines.push(`**Severity:** ${severityLine}${meta.evidence ? ` Why: ${meta.evidence.why}.` : ''}${cpu}`);
  lines.push('');
  lines.push('## Why');
  lines.push('');
  lines.push(meta.why);
  lines.push('');
  lines.push('## How to fix');
  lines.push('');
  lines.push(meta.howToFix);
  lines.push('');
  lines.push(FIX_TEXT[meta.fix]);
  lines.push('');
  lines.push('## Reported');
  lines.push('');
  for (const example of meta.examples.invalid) {
    lines.push(fence(example.code, example.filename));
    lines.push('');
    if (example.output !== undefined) {
      lines.push('After the safe fix:');
      lines.push('');
      lines.push(fence(example.output, example.filename));
      lines.push('');
    }
  }
  lines.push('## Not reported');
  lines.push('');
  const items = notReportedItems(meta, ' ([what each covers](README.md#file-kinds))');
  if (items.length > 0) {
    for (const item of items) lines.push(`- ${item}.`);
    lines.push('');
  }
  for (const example of meta.examples.valid.map(asValid)) {
    lines.push(fence(example.code, example.filename));
    lines.push('');
  }
  const exceptions = Object.entries(meta.rewrites?.except ?? {}) as Array<[RewriteFamily, string]>;
  if (exceptions.length > 0) {
    lines.push('## Rewrites it does not see through yet');
    lines.push('');
    lines.push(
      'Its examples, rewritten without changing what they do, should get the same verdict ' +
        '([the rewrite harness](../precision/rewrites.md)); under these rewrites they do not yet:',
    );
    lines.push('');
    for (const [family, reason] of exceptions) lines.push(`- ${REWRITE_FAMILIES[family]}: ${reason}`);
    lines.push('');
  }
  lines.push('## Turning it off');
  lines.push('');
  lines.push(`For one line: \`// perflens-disable-next-line ${meta.id}\`. For a file: \`/* perflens-disable ${meta.id} */\`.`);
  lines.push(`For the project, in \`.perflensrc.json\`: \`{ "rules": { "${meta.id}": "off" } }\`.`);
  lines.push('');
  return lines.join('\n');
}

/**
 * `docs/rules/README.md`: the catalogue, then what each file kind covers.
 * @internal exported for test/analyzers/docs.test.ts, which checks the file against it (and writes it under `npm run docs`)
 */
export function renderRuleIndex(rules: readonly Rule[]): string {
  const lines = ['<!-- Generated by `npm run docs`. Do not edit. -->', '# PerfLens rules', ''];
  lines.push('| rule | category | impact | fix | what it finds |');
  lines.push('|---|---|---|---|---|');
  const sorted = [...rules].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || a.meta.id.localeCompare(b.meta.id));
  for (const { meta } of sorted) {
    lines.push(`| [${meta.id}](${meta.id}.md) | \`${meta.category}\` | ${meta.impact} | ${meta.fix} | ${meta.description} |`);
  }
  lines.push('');
  lines.push('## File kinds');
  lines.push('');
  lines.push('Each rule says which kinds of file it stays out of (its page lists them under *Not reported*). What each kind covers:');
  lines.push('');
  for (const kind of FILE_KINDS) lines.push(`- **${FILE_KIND_DEFINITIONS[kind].label}**: ${FILE_KIND_DEFINITIONS[kind].description}.`);
  lines.push('');
  lines.push('No rule looks at minified or bundled files (a line of over 2,000 characters of code): the scan lists them as skipped.');
  lines.push('');
  return lines.join('\n');
}

/**
 * The README's rule table sits between this line and README_RULES_END.
 * @internal exported for test/analyzers/docs.test.ts, which finds the table by them
 */
export const README_RULES_BEGIN = '<!-- rules: generated from the rules by `npm run docs` -->';
/** @internal exported for test/analyzers/docs.test.ts, which finds the table by it */
export const README_RULES_END = '<!-- /rules -->';

/**
 * The README's rule table, between its markers: one row per rule, in the registry's order.
 * @internal exported for test/analyzers/docs.test.ts, which checks the README against it (and writes it under `npm run docs`)
 */
export function renderReadmeRules(rules: readonly Rule[]): string {
  const categories = new Set(rules.map((rule) => rule.meta.category));
  const lines = [
    README_RULES_BEGIN,
    `${rules.length} rules in ${categories.size} categories ([full catalogue with examples](docs/rules/README.md)):`,
    '',
    '| category | rule | finds | fix |',
    '|---|---|---|---|',
  ];
  for (const { meta } of rules) {
    const fix = meta.fix === 'none' ? '—' : `${meta.fix}: ${meta.fixForm}`;
    lines.push(`| ${meta.category} | [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.description} | ${fix} |`);
  }
  lines.push(README_RULES_END);
  return lines.join('\n');
}
