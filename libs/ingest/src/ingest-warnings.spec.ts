import { afterAll, describe, expect, it } from 'vitest';
import { ingestWarningMessage, parseFile, ParserPool } from '@wendao/ingest';
import { buildXlsx } from '../test/build-fixtures';

describe('ingest warnings carry a code and its values', () => {
  const pool = new ParserPool({ size: 1, timeoutMs: 20_000, maxHeapMb: 256 });
  afterAll(() => pool.close());

  it("a repeated question names its sheet, its row and the first row that has it, across the parser's thread", async () => {
    const xlsx = await buildXlsx({
      售后: [
        ['问题', '答案'],
        ['退货期限是多久？', '7天'],
        ['运费谁出？', ''],
        ['退货期限是多久？', '七天'],
      ],
    });
    const { warnings } = await pool.parse(xlsx, 'faq.xlsx');
    expect(warnings).toEqual([
      { code: 'row_skipped', values: { sheet: '售后', row: 3, problem: 'empty_answer' } },
      {
        code: 'duplicate_question',
        values: { sheet: '售后', row: 4, question: '退货期限是多久？', firstRow: 2 },
      },
    ]);
    expect(warnings.map(ingestWarningMessage)).toEqual([
      'Sheet "售后" row 3: empty answer, skipped.',
      'Sheet "售后" row 4: question "退货期限是多久？" repeats Sheet "售后" row 2, skipped.',
    ]);
  });

  it('a row of a table inside a document is counted from its header row', async () => {
    const html = Buffer.from(
      '<table><tr><th>问题</th><th>答案</th></tr><tr><td>多久发货？</td><td>24小时内。</td></tr>' +
        '<tr><td></td><td>没有问题的一行</td></tr><tr><td>多久发货？</td><td>一天内。</td></tr></table>',
    );
    const { warnings } = await parseFile(html, 'faq.html');
    expect(warnings).toEqual([
      { code: 'row_skipped', values: { table: true, row: 2, problem: 'empty_question' } },
      { code: 'duplicate_question', values: { table: true, row: 3, question: '多久发货？', firstRow: 1 } },
    ]);
    expect(warnings.map(ingestWarningMessage)).toEqual([
      'Table row 2: empty question, skipped.',
      'Table row 3: question "多久发货？" repeats Table row 1, skipped.',
    ]);
  });

  it('words the Word reader’s own messages and an empty document as before', () => {
    expect(
      ingestWarningMessage({
        code: 'docx_reader_error',
        values: { file: 'a.docx', detail: 'Could not find image file' },
      }),
    ).toBe('a.docx: Could not find image file');
    expect(ingestWarningMessage({ code: 'no_text', values: { file: 'a.docx' } })).toBe(
      'a.docx contains no text.',
    );
  });
});
