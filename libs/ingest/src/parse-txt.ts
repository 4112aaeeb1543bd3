/**
 * Plain-text FAQ files: Q:/A: (问：/答：) pairs become FAQs, everything else is prose.
 * Blank lines separate paragraphs, and end an answer.
 */
import { decodeText } from './decode-text';
import { assembleDocument, type DocumentBlock } from './faq-document-assembler';
import { ParseError } from './ingest-errors';
import type { ParseResult } from './parse-result';

/** Paragraph blocks of a text: runs of non-blank lines. */
function textBlocks(text: string): DocumentBlock[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u3000]*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ kind: 'paragraph', text: p }));
}

export function parseTxt(buffer: Buffer, fileName: string): ParseResult {
  const { text, warnings } = decodeText(buffer, fileName);
  if (text.trim() === '') throw new ParseError({ code: 'empty_file', values: { file: fileName } });
  const assembled = assembleDocument(textBlocks(text));
  return { type: 'txt', ...assembled, warnings: [...warnings, ...assembled.warnings] };
}
