import { describe, expect, it } from 'vitest';
import { ParseError, parseFile } from '@wendao/ingest';
import { buildPdf, RETURN_POLICY } from '../test/build-fixtures';

// Body lines are 12 pt glyphs 1 em wide: a 30-character line spans 50..410, the right edge of the text.
const lines = [
  { text: '售后服务说明', x: 50, y: 790, size: 20 },
  { text: '退货政策', x: 50, y: 750, size: 16 },
  { text: RETURN_POLICY.slice(0, 30), x: 50, y: 725, size: 12 },
  { text: RETURN_POLICY.slice(30), x: 50, y: 710, size: 12 },
  { text: 'Refunds are paid to the orig-', x: 50, y: 680, size: 12 },
  { text: 'inal account within three days', x: 50, y: 665, size: 12 },
  { text: 'of our receiving the parcel.', x: 50, y: 650, size: 12 },
  { text: 'Q: 运费谁出？', x: 50, y: 620, size: 12 },
  { text: 'A: 质量问题由我们承担运费。', x: 50, y: 605, size: 12 },
  { text: '如何修改收货地址？', x: 50, y: 570, size: 16 },
  { text: '发货前在订单详情页点击“修改地址”。', x: 50, y: 545, size: 12 },
];

describe('parseFile: PDF', () => {
  it('rebuilds headings and paragraphs from the layout, unwrapping hard-wrapped lines', async () => {
    const result = await parseFile(buildPdf(lines, '售后 FAQ'), 'manual.pdf', 'application/pdf');
    expect(result.type).toBe('pdf');
    expect(result.document!.title).toBe('售后 FAQ');
    expect(result.document!.text).toBe(
      `售后服务说明\n\n退货政策\n${RETURN_POLICY}\n\n` +
        'Refunds are paid to the original account within three days of our receiving the parcel.',
    );
    expect(result.document!.sections!.map((s) => s.heading)).toEqual(['售后服务说明', '退货政策']);
  });

  it('finds Q:/A: pairs and question headings', async () => {
    const result = await parseFile(buildPdf(lines), 'manual.pdf');
    expect(result.faqs.map((f) => [f.question, f.answer, f.tags])).toEqual([
      ['运费谁出？', '质量问题由我们承担运费。', ['退货政策']],
      ['如何修改收货地址？', '发货前在订单详情页点击“修改地址”。', ['售后服务说明']],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('refuses a PDF without a text layer, saying why', async () => {
    await expect(parseFile(buildPdf([]), 'scan.pdf')).rejects.toThrow(
      /scan\.pdf has no extractable text \(is it a scanned image/,
    );
  });

  it('fails with a ParseError on a corrupt PDF', async () => {
    const corrupt = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nthis is not a pdf body\n',
      'latin1',
    );
    const err = await parseFile(corrupt, 'broken.pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toMatch(/^broken\.pdf /);
  });
});
