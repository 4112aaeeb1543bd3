/**
 * Upload fixtures written by real writer libraries (exceljs, docx, pdf-lib) at test time,
 * so the parsers meet files shaped the way Office and PDF producers shape them.
 */
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export const RETURN_POLICY = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。';

export async function xlsxFaqs(
  rows: [question: string, answer: string, alternates: string][],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('FAQ');
  sheet.addRow(['问题', '答案', '相似问题']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function docxDocument(heading: string, paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: heading, heading: HeadingLevel.HEADING_1 }),
          ...paragraphs.map((text) => new Paragraph({ text })),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** An English PDF (the standard fonts carry no CJK glyphs), one line per entry. */
export async function pdfDocument(lines: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 20, size: 12, font }));
  return Buffer.from(await pdf.save());
}
