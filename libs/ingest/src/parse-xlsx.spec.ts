import { describe, expect, it } from 'vitest';
import { ParseError, parseFile, ingestWarningMessage } from '@wendao/ingest';
import { buildXlsx, RETURN_POLICY } from '../test/build-fixtures';

describe('parseFile: XLSX', () => {
  it('reads every sheet with an FAQ header and reports the others', async () => {
    const xlsx = await buildXlsx({
      说明: [['本表由客服部维护']],
      售后: [
        ['问题', '回答', '扩展问', '标签'],
        ['退货期限是多久？', RETURN_POLICY, '多久可以退货\n几天内能退', '售后'],
        ['运费谁出？', '', '', ''],
      ],
      Shipping: [
        ['Question', 'Answer'],
        ['How long does delivery take?', 'Two to three days.'],
        [12345, 678],
      ],
    });
    const result = await parseFile(xlsx, 'faq.xlsx');
    expect(result.type).toBe('xlsx');
    expect(result.faqs).toEqual([
      {
        question: '退货期限是多久？',
        answer: RETURN_POLICY,
        alternates: ['多久可以退货', '几天内能退'],
        tags: ['售后'],
      },
      { question: 'How long does delivery take?', answer: 'Two to three days.', alternates: [], tags: [] },
      { question: '12345', answer: '678', alternates: [], tags: [] },
    ]);
    expect(result.warnings).toEqual([
      { code: 'row_skipped', values: { sheet: '售后', row: 3, problem: 'empty_answer' } },
      { code: 'sheet_ignored', values: { sheet: '说明' } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Sheet "售后" row 3: empty answer, skipped.',
      'Sheet "说明" has no FAQ header row and was ignored.',
    ]);
  });

  it("reads the export's enabled column, also as the booleans Excel makes of a typed FALSE", async () => {
    const xlsx = await buildXlsx({
      FAQ: [
        ['question', 'answer', 'alternates', 'tags', 'enabled'],
        ['Old promo?', 'Half price.', '', '', 'false'],
        ['Opening hours?', '9 to 6.', '', '', 'true'],
        ['Gift wrap?', 'Free.', '', '', false],
        ['Returns?', '30 days.', '', '', true],
      ],
    });
    const result = await parseFile(xlsx, 'faq.xlsx');
    expect(result.warnings).toEqual([]);
    expect(result.faqs.map((f) => [f.question, f.enabled !== false])).toEqual([
      ['Old promo?', false],
      ['Opening hours?', true],
      ['Gift wrap?', false],
      ['Returns?', true],
    ]);
  });

  it('reads rich text and formula results as the text a user sees', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('FAQ');
    sheet.addRow(['Q', 'A']);
    sheet.addRow([
      { richText: [{ text: '退货', font: { bold: true } }, { text: '期限是多久？' }] },
      { formula: '"7"&"天"', result: '7天' },
    ]);
    const result = await parseFile(Buffer.from(await workbook.xlsx.writeBuffer()), 'faq.xlsx');
    expect(result.faqs[0]).toMatchObject({ question: '退货期限是多久？', answer: '7天' });
  });

  it('fails with a ParseError on a truncated workbook', async () => {
    const xlsx = await buildXlsx({
      FAQ: [
        ['问题', '答案'],
        ['退货期限是多久？', RETURN_POLICY],
      ],
    });
    const err = await parseFile(xlsx.subarray(0, Math.floor(xlsx.length / 2)), 'faq.xlsx').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toMatch(/faq\.xlsx is not a readable Excel \(\.xlsx\) workbook/);
  });

  it('fails naming the expected headers when no sheet has them', async () => {
    const xlsx = await buildXlsx({
      Sheet1: [
        ['编号', '说明'],
        [1, '退货'],
      ],
    });
    await expect(parseFile(xlsx, 'faq.xlsx')).rejects.toThrow(
      /no worksheet with an FAQ header row\. Expected a question column/,
    );
  });
});
