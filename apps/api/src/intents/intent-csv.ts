/**
 * The intent import file: CSV with a header naming the columns `intent` and `example`, or in
 * Chinese `意图` and `例句` (others are ignored), one labelled example per row. Every problem is reported with its row number; nothing is
 * stored from a file with any problem. The bytes are decoded as an FAQ upload's are (UTF-8, or GBK
 * from Excel on Chinese Windows, which is then a warning).
 */
import { BadRequestException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import {
  csvReadProblem,
  csvReadProblemText,
  decodeText,
  IngestError,
  type IngestWarning,
} from '@wendao/ingest';

export const MAX_IMPORT_ROWS = 20_000;

/**
 * Header names of the two columns. A Chinese admin heads them in Chinese, as the FAQ upload takes
 * 问题/答案 (a file headed 意图,例句 was refused, asking for English column names).
 */
const INTENT_HEADERS = ['intent', '意图', '意图名称'];
const EXAMPLE_HEADERS = ['example', '例句', '示例', '问法'];

export interface IntentCsv {
  rows: Array<{ intent: string; example: string }>;
  /** What the importer should know about the file (so far only `read_as_gbk`). */
  warnings: IngestWarning[];
}

function decode(content: Buffer | string, fileName: string): { text: string; warnings: IngestWarning[] } {
  if (typeof content === 'string') return { text: content, warnings: [] };
  try {
    return decodeText(content, fileName);
  } catch (err) {
    // Neither UTF-8 nor Chinese in GBK: refused with the byte offset, as an FAQ upload is.
    if (err instanceof IngestError) throw new BadRequestException({ message: err.message, ...err.failure });
    throw err;
  }
}

/** A row the import refuses, as data (the first 20 go in the 400's `values.problems`). */
export interface IntentCsvProblem {
  row: number;
  problem: 'empty_intent' | 'intent_too_long' | 'empty_example' | 'example_too_long';
}

const PROBLEM_TEXT: Record<IntentCsvProblem['problem'], string> = {
  empty_intent: 'empty intent',
  intent_too_long: 'intent longer than 200 characters',
  empty_example: 'empty example',
  example_too_long: 'example longer than 1000 characters',
};

/** A 400 with its English message and, for a client to word in its own language, a code and values. */
function refuse(message: string, code: string, values: Record<string, unknown> = {}): BadRequestException {
  return new BadRequestException({ message, code, values });
}

export function parseIntentCsv(content: Buffer | string, fileName = 'intents.csv'): IntentCsv {
  const decoded = decode(content, fileName);
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw refuse('the CSV file is empty', 'intent_csv_empty');
  let rows: string[][];
  try {
    rows = parse(text, {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      // Any line ending, also mixed (csv-parse otherwise takes the first line's for the whole file).
      record_delimiter: ['\r\n', '\n', '\r'],
    });
  } catch (err) {
    // A quote out of place is said in our words, with its line (as data too, for a client to word);
    // csv-parse's English stays as the reason.
    const reason = (err as Error).message;
    const { line, problem } = csvReadProblem(err);
    const why = problem && line !== undefined ? csvReadProblemText(problem, line) : reason;
    throw refuse(`the CSV file cannot be parsed: ${why}`, 'intent_csv_unparsable', {
      reason,
      ...csvReadProblem(err),
    });
  }
  const header = rows[0].map((h) => h.toLowerCase());
  const intentCol = header.findIndex((h) => INTENT_HEADERS.includes(h));
  const exampleCol = header.findIndex((h) => EXAMPLE_HEADERS.includes(h));
  if (intentCol < 0 || exampleCol < 0)
    throw refuse(
      'the CSV header must name the columns "intent" and "example" (or 意图 and 例句)',
      'intent_csv_header',
    );
  if (rows.length < 2) throw refuse('the CSV file has a header but no examples', 'intent_csv_no_rows');
  if (rows.length - 1 > MAX_IMPORT_ROWS)
    throw refuse(
      `the CSV file has ${rows.length - 1} rows; at most ${MAX_IMPORT_ROWS} per import`,
      'intent_csv_too_many_rows',
      { rows: rows.length - 1, max: MAX_IMPORT_ROWS },
    );
  const problems: IntentCsvProblem[] = [];
  const out: Array<{ intent: string; example: string }> = [];
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const intent = row[intentCol] ?? '';
    const example = row[exampleCol] ?? '';
    if (!intent) problems.push({ row: line, problem: 'empty_intent' });
    else if (intent.length > 200) problems.push({ row: line, problem: 'intent_too_long' });
    if (!example) problems.push({ row: line, problem: 'empty_example' });
    else if (example.length > 1000) problems.push({ row: line, problem: 'example_too_long' });
    if (intent && example) out.push({ intent, example });
  });
  if (problems.length) {
    const shown = problems.slice(0, 20);
    throw refuse(
      `the CSV file has ${problems.length} problem(s), nothing was imported: ${shown.map((p) => `row ${p.row}: ${PROBLEM_TEXT[p.problem]}`).join('; ')}`,
      'intent_csv_rows',
      { count: problems.length, problems: shown },
    );
  }
  return { rows: out, warnings: decoded.warnings };
}
