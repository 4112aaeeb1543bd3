/**
 * HTML FAQ pages: the same FAQ rules as Markdown, applied to headings, dt/dd, details/summary,
 * FAQ tables and Q:/A: lines; scripts, styles and navigation are dropped.
 */
import { decodeText } from './decode-text';
import { assembleDocument } from './faq-document-assembler';
import { readHtmlBlocks } from './html-blocks';
import { ParseError } from './ingest-errors';
import type { ParseResult } from './parse-result';

export function parseHtml(buffer: Buffer, fileName: string): ParseResult {
  const { text, warnings } = decodeText(buffer, fileName);
  if (text.trim() === '') throw new ParseError({ code: 'empty_file', values: { file: fileName } });
  const { blocks, title } = readHtmlBlocks(text);
  const assembled = assembleDocument(blocks, { title });
  return { type: 'html', ...assembled, warnings: [...warnings, ...assembled.warnings] };
}
