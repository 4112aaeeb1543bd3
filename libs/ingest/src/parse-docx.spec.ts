import { describe, expect, it } from 'vitest';
import { ParseError, parseFile, ingestWarningMessage } from '@wendao/ingest';
import { buildDocx, RETURN_POLICY } from '../test/build-fixtures';

describe('parseFile: DOCX', () => {
  it('keeps Word headings, reads Q:/A: paragraphs, question headings and FAQ tables', async () => {
    const docx = await buildDocx([
      { heading: 1, text: '售后服务手册' },
      { heading: 2, text: '退货政策' },
      { text: RETURN_POLICY },
      { boldPrefix: 'Q: ', text: '运费谁出？' },
      { boldPrefix: 'A: ', text: '质量问题由我们承担运费。' },
      { heading: 2, text: '如何申请发票？' },
      { text: '在订单详情页点击“申请发票”。' },
      { heading: 2, text: '发货' },
      {
        table: [
          ['标准问', '答案', '分类'],
          ['多久发货？', '付款后24小时内发货。', '物流'],
          ['周末发货吗？', '', '物流'],
        ],
      },
    ]);
    const result = await parseFile(docx, '手册.docx');
    expect(result.type).toBe('docx');
    expect(result.faqs.map((f) => [f.question, f.answer, f.tags])).toEqual([
      ['运费谁出？', '质量问题由我们承担运费。', ['退货政策']],
      // The document title is not a useful tag; a section heading is.
      ['如何申请发票？', '在订单详情页点击“申请发票”。', []],
      ['多久发货？', '付款后24小时内发货。', ['物流']],
    ]);
    expect(result.warnings).toEqual([
      { code: 'row_skipped', values: { table: true, row: 2, problem: 'empty_answer' } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual(['Table row 2: empty answer, skipped.']);
    expect(result.document).toEqual({
      text: `售后服务手册\n\n退货政策\n${RETURN_POLICY}`,
      title: '售后服务手册',
      sections: [
        { heading: '售后服务手册', start: 0, end: 6 },
        { heading: '退货政策', start: 8, end: 13 + RETURN_POLICY.length },
      ],
    });
  });

  it('fails with a ParseError on a truncated document', async () => {
    const docx = await buildDocx([{ text: RETURN_POLICY }]);
    const err = await parseFile(docx.subarray(0, docx.length - 40), 'broken.docx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toMatch(/broken\.docx is not a readable Word \(\.docx\) document/);
  });

  it('fails with a ParseError on a zip that is not a Word document', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file('readme.txt', '不是 Word 文档');
    const err = await parseFile(await zip.generateAsync({ type: 'nodebuffer' }), 'other.docx').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ParseError);
  });
});
