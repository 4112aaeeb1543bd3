/**
 * Excel FAQ workbooks: every worksheet with a question/answer header row contributes its rows;
 * other sheets are reported and ignored.
 */
import ExcelJS from 'exceljs';
import { tableToFaqs } from './faq-columns';
import { ParseError } from './ingest-errors';
import type { IngestWarning } from './ingest-warning';
import type { ParsedFaq, ParseResult } from './parse-result';

/** The text a user sees in a cell, whatever exceljs stored (rich text, formula result, hyperlink, date ...). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value)
    return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return '';
  return '';
}

function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

export async function parseXlsx(buffer: Buffer, fileName: string): Promise<ParseResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch (err) {
    throw new ParseError({
      code: 'unreadable_file',
      values: { file: fileName, format: 'xlsx', detail: (err as Error).message },
    });
  }
  const faqs: ParsedFaq[] = [];
  const warnings: IngestWarning[] = [];
  const skipped: string[] = [];
  let withHeader = 0;
  for (const sheet of workbook.worksheets) {
    const table = tableToFaqs(sheetRows(sheet), (i) => ({ sheet: sheet.name, row: i + 1 }));
    if (!table) {
      if (sheet.rowCount > 0) skipped.push(sheet.name);
      continue;
    }
    withHeader++;
    faqs.push(...table.faqs);
    warnings.push(...table.warnings);
  }
  if (withHeader === 0) {
    throw new ParseError({ code: 'no_faq_sheet', values: { file: fileName } });
  }
  for (const sheet of skipped) warnings.push({ code: 'sheet_ignored', values: { sheet } });
  return { type: 'xlsx', faqs, document: null, warnings };
}
