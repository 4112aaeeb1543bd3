/**
 * The one entry point of ingestion parsing: checks the upload's type against its bytes, then hands it
 * to the parser for that format. Every failure is one of the three ingest errors, never a library's own.
 */
import { detectSourceType, sourceTypeFromName } from './detect-source-type';
import { FileTypeMismatchError, ParseError, UnsupportedFileTypeError } from './ingest-errors';
import { parseCsv } from './parse-csv';
import { parseDocx } from './parse-docx';
import { parseHtml } from './parse-html';
import { parseJson } from './parse-json';
import { parseMarkdown } from './parse-markdown';
import { parsePdf } from './parse-pdf';
import type { ParseResult, SourceType } from './parse-result';
import { parseTxt } from './parse-txt';
import { parseXlsx } from './parse-xlsx';

const PARSERS: Record<SourceType, (buffer: Buffer, fileName: string) => ParseResult | Promise<ParseResult>> =
  {
    csv: parseCsv,
    xlsx: parseXlsx,
    json: parseJson,
    markdown: parseMarkdown,
    html: parseHtml,
    txt: parseTxt,
    docx: parseDocx,
    pdf: parsePdf,
  };

export async function parseFile(buffer: Buffer, fileName: string, mimeType?: string): Promise<ParseResult> {
  if (!Buffer.isBuffer(buffer)) throw new TypeError('parseFile expects the file contents as a Buffer');
  if (buffer.length === 0) {
    sourceTypeFromName(fileName, mimeType); // an empty .exe is still refused as unsupported
    throw new ParseError(`${fileName} is empty.`);
  }
  const type = detectSourceType(fileName, mimeType, buffer.subarray(0, 4096));
  try {
    return await PARSERS[type](buffer, fileName);
  } catch (err) {
    if (
      err instanceof ParseError ||
      err instanceof FileTypeMismatchError ||
      err instanceof UnsupportedFileTypeError
    )
      throw err;
    throw new ParseError(`${fileName} could not be read as ${type}: ${(err as Error).message}`);
  }
}
