/**
 * Where and why csv-parse gave up on a CSV, as data: its message is English, so the failures a
 * person's file can cause get a code a client words in its own language, and an English sentence of
 * ours for the API's message (the library's text stays only as the detail).
 */

/** A quote still open at the end, text right after a closing quote, a quote inside an unquoted value. */
export type CsvReadProblem = 'quote_not_closed' | 'invalid_closing_quote' | 'invalid_opening_quote';

const PROBLEMS: Record<string, CsvReadProblem> = {
  CSV_QUOTE_NOT_CLOSED: 'quote_not_closed',
  CSV_INVALID_CLOSING_QUOTE: 'invalid_closing_quote',
  // csv-parse names this one without its CSV_ prefix.
  INVALID_OPENING_QUOTE: 'invalid_opening_quote',
};

/** The line csv-parse stopped on and the problem, each when it says so. */
export function csvReadProblem(err: unknown): { line?: number; problem?: CsvReadProblem } {
  const { lines, code } = (err ?? {}) as { lines?: unknown; code?: unknown };
  const problem = typeof code === 'string' ? PROBLEMS[code] : undefined;
  return {
    ...(typeof lines === 'number' ? { line: lines } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** The problem in English, with the line it is on. */
export function csvReadProblemText(problem: CsvReadProblem, line: number): string {
  switch (problem) {
    case 'quote_not_closed':
      return `a quote is never closed (still open at line ${line}, the end of the file)`;
    case 'invalid_closing_quote':
      return `on line ${line} a quoted value goes on after its closing quote (write a quote inside a quoted value twice: "")`;
    case 'invalid_opening_quote':
      return `on line ${line} a value that does not start with a quote has one inside (quote the whole value and write the quote twice: "")`;
  }
}
