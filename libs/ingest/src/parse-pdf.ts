/**
 * PDF documents through unpdf (pdf.js): positioned text items are laid out into headings and
 * paragraphs, then the FAQ rules apply. Scanned PDFs without a text layer are refused (no OCR).
 */
import { extractTextItems, getDocumentProxy, getMeta } from 'unpdf';
import { assembleDocument } from './faq-document-assembler';
import { ParseError } from './ingest-errors';
import type { ParseResult } from './parse-result';
import { pdfBlocks } from './pdf-layout';

export async function parsePdf(buffer: Buffer, fileName: string): Promise<ParseResult> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js may transfer the array it is given, so it gets a copy, never the caller's buffer.
    pdf = await getDocumentProxy(new Uint8Array(buffer), { verbosity: 0 });
  } catch (err) {
    throw new ParseError(`${fileName} is not a readable PDF: ${(err as Error).message}`);
  }
  try {
    const { items } = await extractTextItems(pdf);
    let title: string | undefined;
    try {
      const meta = await getMeta(pdf);
      const t = meta.info?.Title;
      title = typeof t === 'string' && t.trim() ? t.trim() : undefined;
    } catch {
      title = undefined; // metadata is optional; the text is what matters
    }
    const blocks = pdfBlocks(items);
    if (blocks.length === 0) {
      throw new ParseError(
        `${fileName} has no extractable text (is it a scanned image? OCR is not supported).`,
      );
    }
    const assembled = assembleDocument(blocks, { title });
    return { type: 'pdf', ...assembled };
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw new ParseError(`${fileName} is not a readable PDF: ${(err as Error).message}`);
  } finally {
    await pdf.destroy();
  }
}
