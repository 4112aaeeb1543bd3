/**
 * The one entry point of ingestion parsing: checks the upload's type against its bytes, then hands it
 * to the parser for that format. Every failure is one of the three ingest errors, never a library's own.
 */
import { detectSourceType, sourceTypeFromName } from './detect-source-type';
import { IngestError, ParseError } from './ingest-errors';
import { parseCsv } from './parse-csv';
import { parseDocx } from './parse-docx';
import { parseHtml } from './parse-html';
import { parseJson } from './parse-json';
import { parseMarkdown } from './parse-markdown';
import { DEFAULT_PDF_LIMITS, parsePdf, type PdfLimits } from './parse-pdf';
import type { ParseResult, SourceType } from './parse-result';
import { parseTxt } from './parse-txt';
import { parseXlsx } from './parse-xlsx';
import { checkOfficeZip, DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-guard';

/** Bounds on what one upload may make a parser do (the API fills them from its config). */
export interface ParseLimits {
  zip: ZipLimits;
  pdf: PdfLimits;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { zip: DEFAULT_ZIP_LIMITS, pdf: DEFAULT_PDF_LIMITS };

type Parser = (buffer: Buffer, fileName: string, limits: ParseLimits) => ParseResult | Promise<ParseResult>;

const PARSERS: Record<SourceType, Parser> = {
  csv: parseCsv,
  xlsx: async (buffer, fileName, limits) => {
    await checkOfficeZip(buffer, fileName, 'xlsx', limits.zip);
    return parseXlsx(buffer, fileName);
  },
  json: parseJson,
  markdown: parseMarkdown,
  html: parseHtml,
  txt: parseTxt,
  docx: async (buffer, fileName, limits) => {
    await checkOfficeZip(buffer, fileName, 'docx', limits.zip);
    return parseDocx(buffer, fileName);
  },
  pdf: (buffer, fileName, limits) => parsePdf(buffer, fileName, limits.pdf),
};

export async function parseFile(
  buffer: Buffer,
  fileName: string,
  mimeType?: string,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParseResult> {
  if (!Buffer.isBuffer(buffer)) throw new TypeError('parseFile expects the file contents as a Buffer');
  if (buffer.length === 0) {
    sourceTypeFromName(fileName, mimeType); // an empty .exe is still refused as unsupported
    throw new ParseError({ code: 'empty_file', values: { file: fileName } });
  }
  const type = detectSourceType(fileName, mimeType, buffer.subarray(0, 4096));
  try {
    return await PARSERS[type](buffer, fileName, limits);
  } catch (err) {
    if (err instanceof IngestError) throw err;
    throw new ParseError({
      code: 'parser_error',
      values: { file: fileName, format: type, detail: (err as Error).message },
    });
  }
}
