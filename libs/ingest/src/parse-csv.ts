/**
 * CSV/TSV FAQ tables: a header row naming the question and answer columns (English or Chinese),
 * one FAQ per row. Rows missing a question or an answer are reported and skipped.
 */
import { parse } from 'csv-parse/sync';
import { decodeText } from './decode-text';
import { EXPECTED_HEADERS, tableToFaqs } from './faq-columns';
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
  if (text.trim() === '') throw new ParseError(`${fileName} is empty.`);
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      // Empty lines stay as empty records so "Row N" matches the row a spreadsheet shows.
      skip_empty_lines: false,
      bom: true,
    }) as string[][];
  } catch (err) {
    throw new ParseError(`${fileName} is not a readable CSV file: ${(err as Error).message}`);
  }
  const table = tableToFaqs(rows, (i) => `Row ${i + 1}`);
  if (!table) {
    const found = (rows[0] ?? []).map((c) => c.trim()).filter(Boolean);
    throw new ParseError(
      `${fileName} has no FAQ header row. Expected ${EXPECTED_HEADERS}; found: ${found.length ? found.join(', ') : 'nothing'}.`,
    );
  }
  return { type: 'csv', faqs: table.faqs, document: null, warnings: [...warnings, ...table.warnings] };
}
