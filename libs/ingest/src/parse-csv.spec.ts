import { describe, expect, it } from 'vitest';
import { ParseError, parseFile, ingestWarningMessage } from '@wendao/ingest';
import { RETURN_POLICY } from '../test/build-fixtures';

describe('parseFile: CSV', () => {
  it('reads Chinese headers, alternates, tags, quoted multi-line answers and a BOM', async () => {
    const csv =
      '\ufeff标准问,答案,相似问,分类\n' +
      `退货期限是多久？,${RETURN_POLICY},多久可以退货|几天内能退；退货时间,售后\n` +
      '"如何联系客服？","工作日 9:00-18:00 在线。\n周末请留言。",,"售后,客服"\n';
    const result = await parseFile(Buffer.from(csv), 'faq.csv', 'text/csv');
    expect(result.type).toBe('csv');
    expect(result.document).toBeNull();
    expect(result.warnings).toEqual([]);
    expect(result.faqs).toEqual([
      {
        question: '退货期限是多久？',
        answer: RETURN_POLICY,
        alternates: ['多久可以退货', '几天内能退', '退货时间'],
        tags: ['售后'],
      },
      {
        question: '如何联系客服？',
        answer: '工作日 9:00-18:00 在线。\n周末请留言。',
        alternates: [],
        tags: ['售后', '客服'],
      },
    ]);
  });

  it('reads English headers in any case, in a TSV, with rows that have empty fields reported by row', async () => {
    const tsv =
      'Question\tAnswer\tSimilar Questions\n' +
      'How long do refunds take?\tThree working days.\t\n' +
      '\tOrphan answer\t\n' +
      'No answer here\t\t\n';
    const result = await parseFile(Buffer.from(tsv), 'faq.tsv');
    expect(result.faqs.map((f) => f.question)).toEqual(['How long do refunds take?']);
    // As data for a client to word (the admin, in Chinese), and in English as before.
    expect(result.warnings).toEqual([
      { code: 'row_skipped', values: { row: 3, problem: 'empty_question' } },
      { code: 'row_skipped', values: { row: 4, problem: 'empty_answer' } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Row 3: empty question, skipped.',
      'Row 4: empty answer, skipped.',
    ]);
  });

  it('reads every row of a file whose line endings are mixed (CRLF rows, then rows added with LF)', async () => {
    const csv =
      'question,answer,alternates\r\n' +
      'How long is shipping?,3 to 5 days.,delivery time\r\n' +
      'Can I return it?,"Yes,\nwithin 30 days.",return policy\n' +
      'Do you ship abroad?,No.,\n';
    const result = await parseFile(Buffer.from(csv), 'faq.csv', 'text/csv');
    expect(result.warnings).toEqual([]);
    expect(result.faqs.map((f) => [f.question, f.answer, f.alternates])).toEqual([
      ['How long is shipping?', '3 to 5 days.', ['delivery time']],
      ['Can I return it?', 'Yes,\nwithin 30 days.', ['return policy']],
      ['Do you ship abroad?', 'No.', []],
    ]);
  });

  it("reads the export's enabled column: false and its zh/en equivalents disable an entry, a value that is neither skips the row", async () => {
    const csv =
      'question,answer,alternates,tags,enabled\r\n' +
      'Old promo?,Half price.,,,false\r\n' +
      'Opening hours?,9 to 6.,,,true\r\n' +
      'Gift wrap?,Free.,,,FALSE\r\n' +
      'Returns?,30 days.,,,\r\n' +
      'Pick up?,In store.,,,否\r\n' +
      'Layaway?,No.,,,禁用\r\n' +
      'Invoices?,By email.,,,是\r\n' +
      'Coupons?,Stack two.,,,maybe\r\n';
    const result = await parseFile(Buffer.from(csv), 'faq.csv', 'text/csv');
    expect(result.faqs.map((f) => [f.question, f.enabled !== false])).toEqual([
      ['Old promo?', false],
      ['Opening hours?', true],
      ['Gift wrap?', false],
      ['Returns?', true],
      ['Pick up?', false],
      ['Layaway?', false],
      ['Invoices?', true],
    ]);
    expect(result.warnings).toEqual([
      { code: 'row_skipped', values: { row: 9, problem: 'invalid_enabled', value: 'maybe' } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Row 9: enabled is neither true nor false ("maybe"), skipped.',
    ]);
    // Headed in Chinese: 是否启用.
    const zh = await parseFile(Buffer.from('问题,答案,是否启用\n旧活动？,五折。,否\n'), 'faq.csv');
    expect(zh.faqs).toMatchObject([{ question: '旧活动？', enabled: false }]);
  });

  it('finds a header below a title row and skips a repeated question, keeping the first, with a warning', async () => {
    // Repeated with other case and punctuation too (What are your opening hours? / what are your opening hours).
    const hours = await parseFile(
      Buffer.from(
        'question,answer\nWhat are your opening hours?,9am to 6pm.\nwhat are your opening hours,9am-6pm weekdays.\n',
      ),
      'hours.csv',
    );
    expect(hours.faqs).toMatchObject([{ answer: '9am to 6pm.' }]);
    expect(hours.warnings).toMatchObject([{ code: 'duplicate_question', values: { row: 3, firstRow: 2 } }]);
    const csv = '售后常见问题（2025版）,,\nq,a,tags\n退货期限是多久？,7天,售后\n退货期限是多久？,七天,售后\n';
    const result = await parseFile(Buffer.from(csv), 'faq.csv');
    expect(result.faqs).toMatchObject([{ question: '退货期限是多久？', answer: '7天' }]);
    expect(result.warnings).toEqual([
      { code: 'duplicate_question', values: { row: 4, question: '退货期限是多久？', firstRow: 3 } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Row 4: question "退货期限是多久？" repeats Row 3, skipped.',
    ]);
  });

  it('reads a GBK-encoded CSV saved by Chinese Excel, with a warning', async () => {
    const gbk = Buffer.from(
      'cecacce22cb4f0b0b80acdcbbbf5c6dacfdecac7b6e0bec3a3bf2cc7a9cad5baf337ccecc4da0a',
      'hex',
    );
    const result = await parseFile(gbk, 'faq.csv');
    expect(result.faqs).toEqual([
      { question: '退货期限是多久？', answer: '签收后7天内', alternates: [], tags: [] },
    ]);
    expect(result.warnings).toEqual([{ code: 'read_as_gbk', values: { file: 'faq.csv' } }]);
    expect(ingestWarningMessage(result.warnings[0])).toBe(
      'faq.csv is not UTF-8; it was read as GBK/GB18030 Chinese text. Save it as UTF-8 to be sure.',
    );
  });

  it('fails with the byte offset when the file is neither UTF-8 nor Chinese GBK', async () => {
    const latin1 = Buffer.from('question,answer\nCafé?,Oui très bien\n', 'latin1');
    await expect(parseFile(latin1, 'faq.csv')).rejects.toThrow(
      /not valid UTF-8 text \(invalid byte at offset 19\)/,
    );
  });

  it('fails naming the expected headers when no column is recognisable', async () => {
    const csv = '编号,内容说明\n1,退货\n';
    const err = await parseFile(Buffer.from(csv), 'faq.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toMatch(
      /no FAQ header row\. Expected a question column \(question, q, 问题, 标准问, title\)/,
    );
    expect((err as Error).message).toMatch(/found: 编号, 内容说明/);
  });

  it('fails on an empty file and on unbalanced quotes', async () => {
    await expect(parseFile(Buffer.alloc(0), 'faq.csv')).rejects.toThrow(/faq\.csv is empty/);
    await expect(parseFile(Buffer.from('question,answer\n"unclosed,x\n'), 'faq.csv')).rejects.toThrow(
      ParseError,
    );
  });
});
