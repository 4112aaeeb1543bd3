/**
 * PDF documents through unpdf (pdf.js): positioned text items are laid out into headings and
 * paragraphs, then the FAQ rules apply. Scanned PDFs without a text layer are refused (no OCR).
 */
import { getDocumentProxy, getMeta, type StructuredTextItem } from 'unpdf';
import { assembleDocument } from './faq-document-assembler';
import { ParseError } from './ingest-errors';
import type { ParseResult } from './parse-result';
import { pdfBlocks } from './pdf-layout';

export interface PdfLimits {
  /** Refused before any page is read: pdf.js time grows faster than linearly with pages. */
  maxPages: number;
  /** Extraction stops as soon as the text read so far passes this many characters. */
  maxTextChars: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxPages: 1000, maxTextChars: 5_000_000 };

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

const unreadable = (fileName: string, err: unknown) =>
  new ParseError({
    code: 'unreadable_file',
    values: { file: fileName, format: 'pdf', detail: (err as Error).message },
  });

/** unpdf's extractTextItems, one page at a time, so the limits apply while reading. */
async function pageItems(pdf: PdfProxy, pageNumber: number): Promise<StructuredTextItem[]> {
  const page = await pdf.getPage(pageNumber);
  const content = await page.getTextContent();
  const styles = content.styles as Record<string, { fontFamily?: string }>;
  const items: StructuredTextItem[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str == null) continue;
    const [, , c, d, e, f] = item.transform as number[];
    items.push({
      str: item.str,
      x: e,
      y: f,
      width: item.width,
      height: item.height,
      fontSize: Math.hypot(c, d),
      fontFamily: styles[item.fontName]?.fontFamily ?? '',
      dir: item.dir,
      hasEOL: item.hasEOL,
    });
  }
  page.cleanup();
  return items;
}

export async function parsePdf(
  buffer: Buffer,
  fileName: string,
  limits: PdfLimits = DEFAULT_PDF_LIMITS,
): Promise<ParseResult> {
  let pdf: PdfProxy;
  try {
    // pdf.js may transfer the array it is given, so it gets a copy, never the caller's buffer.
    pdf = await getDocumentProxy(new Uint8Array(buffer), { verbosity: 0 });
  } catch (err) {
    throw unreadable(fileName, err);
  }
  try {
    if (pdf.numPages > limits.maxPages)
      throw new ParseError({
        code: 'pdf_too_many_pages',
        values: { file: fileName, pages: pdf.numPages, limit: limits.maxPages },
      });
    const items: StructuredTextItem[][] = [];
    let chars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pageItems(pdf, n);
      for (const item of page) chars += item.str.length;
      if (chars > limits.maxTextChars)
        throw new ParseError({
          code: 'pdf_too_much_text',
          values: { file: fileName, limit: limits.maxTextChars, page: n },
        });
      items.push(page);
    }
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
      throw new ParseError({ code: 'pdf_no_text', values: { file: fileName } });
    }
    const assembled = assembleDocument(blocks, { title });
    return { type: 'pdf', ...assembled };
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw unreadable(fileName, err);
  } finally {
    await pdf.destroy();
  }
}
