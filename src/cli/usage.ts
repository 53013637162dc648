/** The help texts of `perflens --help` and of each command's `--help`. */
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
  --min-severity LEVEL      show (and fail on) findings at or above LEVEL: error, warning or
                            info (default: warning; infos are findings whose data size or
                            context is unknown)
  --profile FILE            (scan) rank the findings by a CPU profile of the same code: each
                            gets the time of the function around it, hottest first; a finding
                            about CPU work whose lines took the hot share of the run rises to a
                            warning, one in a function the run never sampled drops a level
  --hot-share PERCENT       (with --profile) what counts as hot (default: 5)
  -h, --help                show this help

Adopting on existing code (bulk suppressions, as ESLint's):
  --suppress-all            record every finding of this scan, as counts per file and rule, in
                            the suppressions file; later scans report only what goes beyond them
  --suppress-rule ID        record only this rule's findings (repeatable, or comma-separated)
  --prune-suppressions      lower the recorded counts to what is found now (fixed ones drop out)
  --suppressions-location FILE
                            the suppressions file (default: perflens-suppressions.json in the
                            working directory; read by every scan when it is there)
  --pass-on-unpruned-suppressions
                            do not end with status 2 when recorded findings no longer occur`;

const EXIT = `Exit status: 0 no findings shown (at or above --min-severity, beyond the suppressions file),
1 findings shown, 2 usage, config or input error, or recorded suppressions that no longer occur
(see --prune-suppressions).`;

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

const PROFILE = `Usage: perflens profile [options] FILE
       perflens profile [options] --run -- COMMAND [ARGS...]

Reports where a profile spent its time (or memory): the heaviest functions by self weight, with
their total, share and location, mapped through source maps to the original source. Reads V8
.cpuprofile and .heapprofile, Chrome DevTools traces, speedscope JSON, folded stacks and pprof
(gzipped or not); the format is detected from the content. FILE - (or /dev/stdin) reads the
profile from standard input: cat run.cpuprofile | perflens profile -

Options:
  --format text|json        output format (default: text)
  --top N                   show the N heaviest functions (default: 20 in text, all in json)
  --baseline FILE           compare with an earlier profile: before, after and change per function
  --max-regression PCT      with --baseline: exit 1 when the total or a function's self weight
                            grew by more than PCT percent beyond sampling noise
  --root DIR                where the sources live; locations are shown relative to it, and no
                            file outside it is read (default: the working directory)
  --run -- COMMAND...       run COMMAND with Node's CPU profiler on (NODE_OPTIONS=--cpu-prof) and
                            report the busiest Node process; COMMAND's output goes to stderr. The
                            profile is kept in .perflens/profiles/ (named for when and what) and
                            its summary added to .perflens/history.jsonl, under --root
  --keep N                  with --run: how many recordings .perflens/profiles/ keeps, the oldest
                            removed first (default: 20; 0 keeps none)
  --thread NAME             Chrome traces: the thread to show (default: the main JS thread)
  --sample-type TYPE        pprof: the value to show (default: the profile's default)
  -h, --help                show this help

Exit status: 0 success, 1 regression beyond --max-regression, 2 usage or input error.
`;

const GENERAL = `Usage: perflens <command> [options]

Commands:
  scan [paths...]   report performance problems (text, json or sarif)
  fix [paths...]    apply safe fixes in place, then report what is left
  profile FILE      report where a profile spent its time, mapped to your source
  help [command]    show help for a command

Options:
  -h, --help        show this help
  --version         print the version

Run perflens help COMMAND (or perflens COMMAND --help) for its options.
`;

export function helpText(topic: HelpTopic): string {
  if (topic === 'scan') return SCAN;
  if (topic === 'fix') return FIX;
  if (topic === 'profile') return PROFILE;
  return GENERAL;
}
