/**
 * The `wendao` command line: each subcommand lives in commands/ and registers itself here.
 */
import { Command } from 'commander';
import { commands } from './commands';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('wendao')
    .description('Wendao (问道) FAQ question answering: ask, search, models, eval, bench')
    .showHelpAfterError();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI; errors become a one-line message and exit code 1 (2 for usage errors, from commander). */
export async function run(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    console.error(`wendao: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
