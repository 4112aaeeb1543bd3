/**
 * The `wendao` command line: each subcommand lives in commands/ and registers itself here.
 */
import { Command } from 'commander';
import { loadCliConfig, type CliConfig } from './cli-config';
import { commands } from './commands';

export function buildProgram(config: CliConfig): Command {
  const program = new Command();
  program
    .name('wendao')
    .description('Wendao (问道) FAQ question answering: ask, search, models, eval, bench')
    .showHelpAfterError();
  for (const register of commands) register(program, config);
  return program;
}

/**
 * Runs the CLI with the environment read once into its config; errors (a bad variable included)
 * become a one-line message and exit code 1 (2 for usage errors, from commander).
 */
export async function run(
  argv: string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  try {
    await buildProgram(loadCliConfig(env)).parseAsync(argv);
  } catch (err) {
    console.error(`wendao: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
