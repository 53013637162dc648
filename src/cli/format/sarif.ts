/**
 * `--format sarif`: SARIF 2.1.0, the log format code-scanning services read. Rules carry their
 * help (why and how to fix), documentation link and message templates; results carry their
 * message id, locations and fixes; files that could not be analysed or were skipped become tool
 * execution notifications.
 */
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { FileError, Finding, Fix, Severity, SkippedFile } from '../../analyzers/finding';
import { notReportedItems } from '../../analyzers/docs';
import { docsUrl, REPOSITORY_URL } from '../../analyzers/registry';
import type { Rule } from '../../analyzers/rule';
import type { LineIndex } from '../../analyzers/text';
import { evidenceOf } from './json';
import { displayPath, isInside } from '../paths';
import { messageArguments, messageStrings, sarifText } from './sarifMessages';
import type { ScanReport } from '../scan';
import type { UnusedSuppression } from '../suppressions';
import { VERSION } from '../version';

const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

function toSarifLog(report: ScanReport): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.meta.id, index]));
  const location = (file: string): Sarif.ArtifactLocation => artifactLocation(file, report.cwd);
  const notifications = [
    ...report.errors.map((error) => errorNotification(error, location(error.file), ruleIndex)),
    ...report.skipped.map((skipped) => skippedNotification(skipped, location(skipped.file))),
    ...(report.suppressions?.unused ?? []).map((entry) => unusedNotification(entry, report, location, ruleIndex)),
  ];
  const toResult = (finding: Finding): Sarif.Result =>
    result(finding, report.rules, ruleIndex, location(finding.file), report.lines.get(finding.file));
  const results = report.findings.map(toResult);
  if (report.suppressions) {
    // SARIF §3.27.23–24: with a suppressions file every result says whether it is suppressed and how it
    // stands against the record. A count cannot tell which finding of a file and rule is the new one,
    // so when more are found than recorded all of them are reported, and all are "new".
    const suppression: Sarif.Suppression = {
      kind: 'external',
      status: 'accepted',
      justification: `recorded in ${displayPath(report.suppressions.file, report.cwd)}`,
      location: { physicalLocation: { artifactLocation: location(report.suppressions.file) } },
    };
    for (const reported of results) Object.assign(reported, { suppressions: [], baselineState: 'new' });
    for (const finding of report.suppressions.suppressed) {
      results.push({ ...toResult(finding), suppressions: [suppression], baselineState: 'unchanged' });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'PerfLens',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: REPOSITORY_URL,
            rules: report.rules.map(ruleDescriptor),
          },
        },
        // The SARIF consumer resolves result paths against the folder the scan ran in.
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            // A file the user's code could not be parsed is not the tool failing; a rule that crashed is.
            executionSuccessful: !report.errors.some((error) => error.rule !== undefined),
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: ScanReport): string {
  return `${JSON.stringify(toSarifLog(report), null, 2)}\n`;
}

function ruleDescriptor(rule: Rule): Sarif.ReportingDescriptor {
  const { meta } = rule;
  const url = docsUrl(meta.id);
  const quiet = notReportedItems(meta);
  const notReported =
    quiet.length > 0
      ? {
          text: `\n\nNot reported: ${quiet.join('; ')}.`,
          markdown: `\n\n**Not reported:**\n${quiet.map((item) => `- ${item}`).join('\n')}`,
        }
      : { text: '', markdown: '' };
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z0-9])/g, (_whole, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: meta.description },
    fullDescription: { text: `${meta.description} ${meta.why}` },
    help: {
      text: `${meta.why}\n\nHow to fix: ${meta.howToFix}${notReported.text}\n\nDocumentation: ${url}`,
      markdown: `${meta.why}\n\n**How to fix:** ${meta.howToFix}${notReported.markdown}\n\n[Documentation](${url})`,
    },
    helpUri: url,
    messageStrings: messageStrings(rule),
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity ?? 'warning'] },
    properties: { category: meta.category, impact: meta.impact, effort: meta.effort, tags: ['performance', meta.category] },
  };
}

function result(
  finding: Finding,
  rules: readonly Rule[],
  ruleIndex: ReadonlyMap<string, number>,
  artifact: Sarif.ArtifactLocation,
  lines: LineIndex | undefined,
): Sarif.Result {
  const sarif: Sarif.Result = {
    ruleId: finding.rule,
    level: LEVEL[finding.severity],
    message: { text: sarifText(finding.message, finding.note), id: finding.messageId },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact,
          region: {
            startLine: finding.range.start.line,
            startColumn: finding.range.start.column,
            endLine: finding.range.end.line,
            endColumn: finding.range.end.column,
          },
        },
      },
    ],
  };
  const index = ruleIndex.get(finding.rule);
  if (index !== undefined) {
    sarif.ruleIndex = index;
    const args = messageArguments(rules[index], finding.messageId, finding.data);
    if (args.length > 0) sarif.message.arguments = args;
  }
  // With --profile: SARIF's rank (0–100, higher first) is the share of the profile's time spent
  // in the finding's function; the figures themselves travel in the result's properties.
  // The evidence behind the level (scale, context, batchable, reasons) travels in every result's properties.
  sarif.properties = { evidence: evidenceOf(finding.evidence) };
  if (finding.hotness) {
    sarif.rank = Math.round(finding.hotness.share * 1000) / 10;
    sarif.properties.hotness = finding.hotness;
  }
  const fixes = lines ? finding.fixes.filter((fix) => fix.edits.length > 0).map((fix) => sarifFix(fix, artifact, lines)) : [];
  if (fixes.length > 0) sarif.fixes = fixes;
  return sarif;
}

function sarifFix(fix: Fix, artifact: Sarif.ArtifactLocation, lines: LineIndex): Sarif.Fix {
  return {
    description: { text: fix.safe ? fix.title : `${fix.title} (suggestion: review before applying)` },
    artifactChanges: [
      {
        artifactLocation: artifact,
        replacements: fix.edits.map((edit) => {
          const { start, end } = lines.range(edit.start, edit.end);
          return {
            // Offsets and line/column both: consumers differ in which one they read.
            deletedRegion: {
              charOffset: edit.start,
              charLength: edit.end - edit.start,
              startLine: start.line,
              startColumn: start.column,
              endLine: end.line,
              endColumn: end.column,
            },
            insertedContent: { text: edit.newText },
          };
        }),
      },
    ],
  };
}

function errorNotification(error: FileError, artifact: Sarif.ArtifactLocation, ruleIndex: ReadonlyMap<string, number>): Sarif.Notification {
  const notification: Sarif.Notification = {
    level: 'error',
    message: { text: error.message },
    locations: [{ physicalLocation: { artifactLocation: artifact } }],
  };
  const index = error.rule === undefined ? undefined : ruleIndex.get(error.rule);
  if (error.rule !== undefined) notification.associatedRule = index === undefined ? { id: error.rule } : { id: error.rule, index };
  return notification;
}

/** A recorded count the scan no longer reaches: `absent` needs a result's location and message, which a count does not keep. */
function unusedNotification(
  entry: UnusedSuppression,
  report: ScanReport,
  location: (file: string) => Sarif.ArtifactLocation,
  ruleIndex: ReadonlyMap<string, number>,
): Sarif.Notification {
  const file = displayPath(report.suppressions!.file, report.cwd);
  const why = entry.reason ? ` (${entry.reason})` : '';
  const notification: Sarif.Notification = {
    level: 'warning',
    message: {
      text: `${file} records ${entry.count} ${entry.rule} finding${entry.count === 1 ? '' : 's'} here that no longer occur${entry.count === 1 ? 's' : ''}${why}: run perflens scan --prune-suppressions`,
    },
    locations: [{ physicalLocation: { artifactLocation: location(entry.file) } }],
  };
  const index = ruleIndex.get(entry.rule);
  notification.associatedRule = index === undefined ? { id: entry.rule } : { id: entry.rule, index };
  return notification;
}

function skippedNotification(skipped: SkippedFile, artifact: Sarif.ArtifactLocation): Sarif.Notification {
  return {
    level: 'note',
    message: { text: `skipped: ${skipped.reason}` },
    locations: [{ physicalLocation: { artifactLocation: artifact } }],
  };
}

/** Relative to %SRCROOT% under the working directory; an absolute file: URI outside it. */
function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  if (!isInside(file, cwd)) return { uri: pathToFileURL(file).href };
  return { uri: displayPath(file, cwd).split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** A base URI must end with `/` for relative references to resolve inside it. */
function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}
