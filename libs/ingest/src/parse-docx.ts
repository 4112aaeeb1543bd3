/**
 * Word documents: mammoth converts them to HTML (headings, lists and tables survive), which then
 * goes through the HTML FAQ rules.
 */
import mammoth from 'mammoth';
import { assembleDocument } from './faq-document-assembler';
import { readHtmlBlocks } from './html-blocks';
import { ParseError } from './ingest-errors';
import type { IngestWarning } from './ingest-warning';
import type { ParseResult } from './parse-result';

export async function parseDocx(buffer: Buffer, fileName: string): Promise<ParseResult> {
  let html: string;
  const warnings: IngestWarning[] = [];
  try {
    const result = await mammoth.convertToHtml({ buffer });
    html = result.value;
    // mammoth's "warning" messages are about unmapped styles, which only cost formatting; errors lose content.
    for (const m of result.messages)
      if (m.type === 'error')
        warnings.push({ code: 'docx_reader_error', values: { file: fileName, detail: m.message } });
  } catch (err) {
    throw new ParseError({
      code: 'unreadable_file',
      values: { file: fileName, format: 'docx', detail: (err as Error).message },
    });
  }
  const { blocks, title } = readHtmlBlocks(html);
  const assembled = assembleDocument(blocks, { title });
  if (assembled.faqs.length === 0 && !assembled.document)
    warnings.push({ code: 'no_text', values: { file: fileName } });
  return { type: 'docx', ...assembled, warnings: [...warnings, ...assembled.warnings] };
}
