/**
 * CSV/TSV FAQ tables: a header row naming the question and answer columns (English or Chinese),
 * one FAQ per row. Rows missing a question or an answer are reported and skipped.
 */
import { parse } from 'csv-parse/sync';
import { csvReadProblem } from './csv-read-problem';
import { decodeText } from './decode-text';
import { tableToFaqs } from './faq-columns';
import { ParseError } from './ingest-errors';
import type { ParseResult } from './parse-result';

/** Tab when the first line has tabs and no commas (TSV, or CSV saved from Excel as "Unicode text"). */
function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  if (count('\t') > 0 && count('\t') >= count(',')) return '\t';
  if (count(';') > 0 && count(',') === 0) return ';';
  return ',';
}

export function parseCsv(buffer: Buffer, fileName: string): ParseResult {
  const { text, warnings } = decodeText(buffer, fileName);
  if (text.trim() === '') throw new ParseError({ code: 'empty_file', values: { file: fileName } });
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      // Any line ending, also mixed: csv-parse takes the first line's for the whole file, so a row
      // added with LF to a CRLF file (an export edited in a text editor) was read into the previous
      // row's last cell, lost without a word and leaving that cell garbled.
      record_delimiter: ['\r\n', '\n', '\r'],
      // Empty lines stay as empty records so "Row N" matches the row a spreadsheet shows.
      skip_empty_lines: false,
      bom: true,
    }) as string[][];
  } catch (err) {
    // csv-parse says on which line it gave up and why (with relaxed quotes, a quote left open is the
    // one way left to fail): a client may then say it in its own words.
    throw new ParseError({
      code: 'unreadable_file',
      values: { file: fileName, format: 'csv', detail: (err as Error).message, ...csvReadProblem(err) },
    });
  }
  const table = tableToFaqs(rows, (i) => ({ row: i + 1 }));
  if (!table) {
    const found = (rows[0] ?? []).map((c) => c.trim()).filter(Boolean);
    throw new ParseError({ code: 'no_faq_header', values: { file: fileName, found } });
  }
  return { type: 'csv', faqs: table.faqs, document: null, warnings: [...warnings, ...table.warnings] };
}
