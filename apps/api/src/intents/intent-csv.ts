/**
 * The intent import file: CSV with a header naming the columns `intent` and `example` (others are
 * ignored), one labelled example per row. Every problem is reported with its row number; nothing is
 * stored from a file with any problem. The bytes are decoded as an FAQ upload's are (UTF-8, or GBK
 * from Excel on Chinese Windows, which is then a warning).
 */
import { BadRequestException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { decodeText, IngestError, type IngestWarning } from '@wendao/ingest';

export const MAX_IMPORT_ROWS = 20_000;

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

export function parseIntentCsv(content: Buffer | string, fileName = 'intents.csv'): IntentCsv {
  const decoded = decode(content, fileName);
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new BadRequestException('the CSV file is empty');
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    throw new BadRequestException(`the CSV file cannot be parsed: ${(err as Error).message}`);
  }
  const header = rows[0].map((h) => h.toLowerCase());
  const intentCol = header.indexOf('intent');
  const exampleCol = header.indexOf('example');
  if (intentCol < 0 || exampleCol < 0)
    throw new BadRequestException('the CSV header must name the columns "intent" and "example"');
  if (rows.length < 2) throw new BadRequestException('the CSV file has a header but no examples');
  if (rows.length - 1 > MAX_IMPORT_ROWS)
    throw new BadRequestException(
      `the CSV file has ${rows.length - 1} rows; at most ${MAX_IMPORT_ROWS} per import`,
    );
  const problems: string[] = [];
  const out: Array<{ intent: string; example: string }> = [];
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const intent = row[intentCol] ?? '';
    const example = row[exampleCol] ?? '';
    if (!intent) problems.push(`row ${line}: empty intent`);
    else if (intent.length > 200) problems.push(`row ${line}: intent longer than 200 characters`);
    if (!example) problems.push(`row ${line}: empty example`);
    else if (example.length > 1000) problems.push(`row ${line}: example longer than 1000 characters`);
    if (intent && example) out.push({ intent, example });
  });
  if (problems.length)
    throw new BadRequestException(
      `the CSV file has ${problems.length} problem(s), nothing was imported: ${problems.slice(0, 20).join('; ')}`,
    );
  return { rows: out, warnings: decoded.warnings };
}
