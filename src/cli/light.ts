/**
 * The commands that need neither TypeScript nor the rules — `profile`, `help`, `--version` — run
 * without loading them: the scan engine (ts-morph, TypeScript, 33 rules) is most of the CLI's
 * 15 MB, and compiling it cost every `perflens --version` half a second of CPU (issue 16).
 */
import { parseCommand, type Command } from './args';
import { fail, isDebug, runInfo, type CliIo } from './common';
import { runProfileCommand } from './profile';

/** Whether `argv` is a command light.ts runs: decided from its first word, as parseCommand reads it. */
export function isLightCommand(argv: readonly string[]): boolean {
  const [first] = argv;
  return first === 'profile' || first === 'help' || first === '--help' || first === '-h' || first === '--version';
}

export async function runLightCli(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = isDebug(io.env);
  try {
    // No rule list: the light commands have no --rule to check against it.
    const command: Command = parseCommand(argv, []);
    if (command.kind === 'profile') return await runProfileCommand(command, io);
    if (command.kind === 'help' || command.kind === 'version') return runInfo(command, io);
    throw new Error(`${argv[0]} is not a command the light CLI runs`);
  } catch (error) {
    return fail(error, io, debug);
  }
}
