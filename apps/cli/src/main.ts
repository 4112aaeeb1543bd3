/**
 * The `wendao` command line: each subcommand lives in commands/ and registers itself here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { ModelFolderBusyError } from '@wendao/hub';
import { createAppLogger } from '../../api/src/common/app-logger';
import { loggingFrom } from '../../api/src/config/app-config';
import { loadCliConfig, type CliConfig } from './cli-config';
import { commands } from './commands';
import { printError, useLogging } from './commands/print-outcome';

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
  const json = config.logging.logFormat === 'json';
  program.name('wendao').version(wendaoVersion(), '-V, --version', 'print the version');
  // A usage error is an error line like any other: JSON with JSON logs (without the help after it,
  // which is for people). Set before the commands are registered: they inherit it.
  if (json)
    program.configureOutput({
      outputError: (text) => printError(text.trim().replace(/^error: /, ''), config.logging),
    });
  else program.showHelpAfterError();
  for (const register of commands) register(program, config);
  // The summary names the commands registered, so it cannot list one that is gone or miss a new one.
  return program.description(
    `Wendao (问道) FAQ question answering: ${program.commands.map((c) => c.name()).join(', ')}`,
  );
}

/**
 * Runs the CLI with the environment read once into its config; errors (a bad variable included)
 * become a one-line message and exit code 1 (2 for usage errors, from commander; 75, EX_TEMPFAIL, when
 * `models convert` / `quantize` find the folder locked by a pull in another process).
 */
export async function run(
  argv: string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  try {
    const config = loadCliConfig(env);
    // The server's logger: Nest's default one coloured every line, also in a pipe or a file.
    Logger.overrideLogger(createAppLogger(config.logging));
    useLogging(config.logging);
    await buildProgram(config).parseAsync(argv);
  } catch (err) {
    // As the server's start failure: JSON with JSON logs, also when another variable was what failed;
    // plain when LOG_LEVEL or WENDAO_LOG_FORMAT itself is wrong (the message says so).
    let logging: CliConfig['logging'] | undefined;
    try {
      logging = loggingFrom(env);
    } catch {
      logging = undefined;
    }
    printError(err instanceof Error ? err.message : String(err), logging);
    process.exitCode = err instanceof ModelFolderBusyError ? err.exitCode : 1;
  }
}
