/**
 * FAQ entries as a file to download: CSV (UTF-8 with a BOM, so Excel reads it) or XLSX, with the
 * columns the importer recognises (question, answer, alternates and tags separated by "|", plus
 * enabled), so an exported file uploads back into the same entries.
 */
import ExcelJS from 'exceljs';

export type FaqFileFormat = 'csv' | 'xlsx';

export interface FaqFileRow {
  question: string;
  answer: string;
  alternates: string[];
  tags: string[];
  enabled: boolean;
}

const HEADER = ['question', 'answer', 'alternates', 'tags', 'enabled'];

const cells = (faq: FaqFileRow) => [
  faq.question,
  faq.answer,
  faq.alternates.join('|'),
  faq.tags.join('|'),
  String(faq.enabled),
];

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function faqsToCsv(faqs: FaqFileRow[]): string {
  const lines = [HEADER, ...faqs.map(cells)].map((row) => row.map(csvCell).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export async function faqsToXlsx(faqs: FaqFileRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('FAQ');
  sheet.addRow(HEADER);
  for (const faq of faqs) sheet.addRow(cells(faq));
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((column, i) => (column.width = [40, 60, 40, 20, 10][i]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const FAQ_FILE_TYPES: Record<FaqFileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
