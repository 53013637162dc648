/**
 * Entry of dist/cli.js, the `perflens` binary: profile, help and version run from this light bundle;
 * scan and fix load dist/cli-scan.js (src/cli/main.ts with the engine) beside it, only then.
 */
import * as path from 'node:path';
import { EXIT_USAGE, runAsProcess, type CliIo } from './common';
import { stderrLine } from './format/terminal';
import { isLightCommand, runLightCli } from './light';

type Run = (argv: readonly string[], io: CliIo) => Promise<number>;

const argv = process.argv.slice(2);
if (isLightCommand(argv)) runAsProcess(runLightCli);
else runAsProcess(loadEngine());

/** The engine's bundle, resolved at run time next to this file (esbuild.mjs builds it separately). */
function loadEngine(): Run {
  const file = path.join(__dirname, 'cli-scan.js');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(file) as { runCliAsync: Run }).runCliAsync;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'MODULE_NOT_FOUND' || !String((error as Error).message).includes(file)) throw error;
    // An installation that lost a file: one line, as every other failure (profile, help and --version still work).
    return async (_argv, io) => {
      io.stderr(stderrLine(`the scan engine (${path.basename(file)}) is missing next to ${path.basename(__filename)}: reinstall PerfLens`));
      return EXIT_USAGE;
    };
  }
}
