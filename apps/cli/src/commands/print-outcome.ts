/**
 * Prints what a command returned (stdout on success, stderr otherwise) and sets the exit code; the
 * commands themselves only return outcomes, so tests run them without touching the process. Errors
 * follow WENDAO_LOG_FORMAT as the server's do: `wendao: <why>` as text, with JSON logs one JSON entry
 * (`{"level":"error","context":"Wendao","message":"<why>",…}`), so a collector parsing the CLI's
 * output as JSON does not drop the one line that says what went wrong.
 */
import { createAppLogger } from '../../../api/src/common/app-logger';
import type { CliConfig } from '../cli-config';

type Logging = CliConfig['logging'];
let logging: Logging | undefined;

/** The format errors are printed in from now on (run() sets it once the environment is read). */
export function useLogging(format: Logging | undefined): void {
  logging = format;
}

/** An error line on stderr: `wendao: <why>` as text, one JSON entry with JSON logs. */
export function printError(message: string, format: Logging | undefined = logging): void {
  const why = message.replace(/^wendao: /, '');
  if (format?.logFormat === 'json') createAppLogger(format).error(why, 'Wendao');
  else console.error(message.startsWith('wendao: ') ? message : `wendao: ${message}`);
}

export function printOutcome(outcome: { output: string; exitCode: number }): void {
  if (outcome.exitCode === 0) console.log(outcome.output);
  else if (logging?.logFormat === 'json') printError(outcome.output);
  else console.error(outcome.output);
  process.exitCode = outcome.exitCode;
}

/**
 * An operations command's outcome (a pull, a backup, a restore: run by cron or a deploy script whose
 * output a log shipper reads): with JSON logs its lines on success are log entries of `context`,
 * otherwise as printOutcome.
 */
export function printLoggedOutcome(outcome: { output: string; exitCode: number }, context: string): void {
  if (outcome.exitCode !== 0 || logging?.logFormat !== 'json') return printOutcome(outcome);
  const logger = createAppLogger(logging);
  for (const line of outcome.output.split('\n')) logger.log(line, context);
  process.exitCode = 0;
}
