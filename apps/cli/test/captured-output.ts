/**
 * For the CLI specs that check what a command writes, e.g. that its log lines are JSON entries under
 * WENDAO_LOG_FORMAT=json.
 */
import { vi } from 'vitest';

/** One line of the JSON log format. */
export interface JsonLogEntry {
  level: string;
  context: string;
  message: string;
}

/**
 * Runs `action` with what it writes to stdout and stderr taken instead of shown, and returns that text.
 * With `console: true`, console.log and console.error lines are taken as well (leave it false in a
 * spec whose own console spy swallows them).
 */
export async function capturedOutput(
  action: () => Promise<unknown>,
  { console: withConsole = false } = {},
): Promise<string> {
  let written = '';
  const capture = (chunk: string | Uint8Array) => ((written += String(chunk)), true);
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ...(withConsole
      ? [
          vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => capture(`${a.join(' ')}\n`)),
          vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => capture(`${a.join(' ')}\n`)),
        ]
      : []),
  ];
  try {
    await action();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written;
}

/** Every line of `written` read as a JSON log entry (a line that is not JSON throws). */
export function jsonLogEntries(written: string): JsonLogEntry[] {
  return written
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonLogEntry);
}
