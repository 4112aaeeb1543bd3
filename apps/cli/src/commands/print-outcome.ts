/**
 * Prints what a command returned (stdout on success, stderr otherwise) and sets the exit code; the
 * commands themselves only return outcomes, so tests run them without touching the process.
 */
export function printOutcome(outcome: { output: string; exitCode: number }): void {
  if (outcome.exitCode === 0) console.log(outcome.output);
  else console.error(outcome.output);
  process.exitCode = outcome.exitCode;
}
