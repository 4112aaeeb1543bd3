/**
 * The `wendao` command line: each subcommand lives in commands/ and registers itself here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { createAppLogger } from '../../api/src/common/app-logger';
import { loadCliConfig, type CliConfig } from './cli-config';
import { commands } from './commands';

/** The version in Wendao's package.json, found upwards from this file (src/ under vite-node, dist/ built). */
export function wendaoVersion(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (json.name === 'wendao' && json.version) return json.version;
  }
  return 'unknown';
}

export function buildProgram(config: CliConfig): Command {
  const program = new Command();
  program.name('wendao').version(wendaoVersion(), '-V, --version', 'print the version').showHelpAfterError();
  for (const register of commands) register(program, config);
  // The summary names the commands registered, so it cannot list one that is gone or miss a new one.
  return program.description(
    `Wendao (问道) FAQ question answering: ${program.commands.map((c) => c.name()).join(', ')}`,
  );
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
    const config = loadCliConfig(env);
    // The server's logger: Nest's default one coloured every line, also in a pipe or a file.
    Logger.overrideLogger(createAppLogger(config.logging));
    await buildProgram(config).parseAsync(argv);
  } catch (err) {
    console.error(`wendao: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
