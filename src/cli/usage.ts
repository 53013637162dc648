/** The help texts of `perflens --help`, `perflens scan --help` and `perflens fix --help`. */
import { CATEGORIES } from '../analyzers/finding';
import type { HelpTopic } from './args';

const OPTIONS = `Options:
  --format text|json|sarif  output format (default: text)
  --fix                     apply every fix marked safe, in place, then report what is left
  --rule ID                 run only this rule (repeatable, or comma-separated: --rule a,b)
  --category ID             run only rules of this category (repeatable, or comma-separated):
                            ${CATEGORIES.join(', ')}
  --config FILE             use this .perflensrc.json (default: the nearest one at or above
                            the working directory)
  -h, --help                show this help`;

const EXIT = `Exit status: 0 no findings, 1 findings, 2 usage, config or input error.`;

const SCAN = `Usage: perflens scan [options] [paths...]

Finds performance problems in the JavaScript and TypeScript files under the given files or
folders (default: the working directory). Folders honour .gitignore and the config's "ignore".

${OPTIONS}

${EXIT}
`;

const FIX = `Usage: perflens fix [options] [paths...]

Same as perflens scan --fix: applies every safe fix in place (repeating until nothing changes,
never writing a file that would not parse), then reports the problems that are left.

${OPTIONS}

${EXIT}
`;

const GENERAL = `Usage: perflens <command> [options]

Commands:
  scan [paths...]   report performance problems (text, json or sarif)
  fix [paths...]    apply safe fixes in place, then report what is left
  help [command]    show help for a command

Options:
  -h, --help        show this help
  --version         print the version

Run perflens scan --help for the scan options.
`;

export function helpText(topic: HelpTopic): string {
  if (topic === 'scan') return SCAN;
  if (topic === 'fix') return FIX;
  return GENERAL;
}
