import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { faqsToCsv, faqsToXlsx } from './faq-file';

const faq = {
  question: '运费多少，谁付？',
  answer: '满99元包邮, 否则 "8元"\n偏远地区除外',
  alternates: ['邮费多少', 'shipping fee'],
  tags: ['物流'],
  enabled: false,
};
const row = {
  question: faq.question,
  answer: faq.answer,
  alternates: '邮费多少|shipping fee',
  tags: '物流',
  enabled: 'false',
};

describe('FAQ files', () => {
  it('CSV: quotes commas, quotes and line breaks so a CSV parser reads every field back', () => {
    const csv = faqsToCsv([faq]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(parse(csv.slice(1), { columns: true })).toEqual([row]);
  });

  it('XLSX: one header row and one row per entry', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await faqsToXlsx([faq])) as unknown as ArrayBuffer);
    const values = book.worksheets[0].getSheetValues().slice(1) as unknown[][];
    expect(values.map((r) => r.slice(1))).toEqual([Object.keys(row), Object.values(row)]);
  });
});
