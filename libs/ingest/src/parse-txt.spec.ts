import { describe, expect, it } from 'vitest';
import { chunkText, parseFile, ingestWarningMessage } from '@wendao/ingest';
import { RETURN_POLICY } from '../test/build-fixtures';

describe('parseFile: TXT', () => {
  it('turns 问：/答： and Q:/A: pairs into FAQs and keeps the rest as prose', async () => {
    const txt = [
      '售后服务说明',
      '',
      RETURN_POLICY,
      '',
      '问：退货期限是多久？',
      '答：签收后7天内。',
      '',
      'Q1: How long do refunds take?',
      'A1: Three working days',
      'after we receive the parcel.',
      '',
      '答：这一行没有对应的问题。',
      '',
      'Contact us at help@example.com.',
    ].join('\r\n');
    const result = await parseFile(Buffer.from(txt), 'faq.txt');
    expect(result.type).toBe('txt');
    expect(result.faqs.map((f) => [f.question, f.answer])).toEqual([
      ['退货期限是多久？', '签收后7天内。'],
      ['How long do refunds take?', 'Three working days\nafter we receive the parcel.'],
    ]);
    expect(result.warnings).toEqual([
      { code: 'answer_without_question', values: { text: '答：这一行没有对应的问题。' } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Answer without a question kept as text: "答：这一行没有对应的问题。"',
    ]);
    expect(result.document!.text).toBe(
      `售后服务说明\n\n${RETURN_POLICY}\n\n答：这一行没有对应的问题。\n\nContact us at help@example.com.`,
    );
    // Plain text has no markup, so the chunker recognises the title line by its shape.
    for (const sections of [undefined, result.document!.sections]) {
      const [first] = chunkText(result.document!.text, { sections });
      expect(first.heading).toBe('售后服务说明');
    }
  });

  it('reads a question and its answer written on one line', async () => {
    const result = await parseFile(
      Buffer.from('Q: 退货期限是多久？ A: 签收后7天内。\nQ: Can I return opened items? A: Only if faulty.\n'),
      'faq.txt',
    );
    expect(result.faqs.map((f) => [f.question, f.answer])).toEqual([
      ['退货期限是多久？', '签收后7天内。'],
      ['Can I return opened items?', 'Only if faulty.'],
    ]);
    expect(result.document).toBeNull();
  });

  it('returns prose-only text with no FAQs and no warnings', async () => {
    const result = await parseFile(
      Buffer.from(`${RETURN_POLICY}\n退款将在3个工作日内原路返回。`),
      'policy.txt',
    );
    expect(result.faqs).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.document!.text).toBe(`${RETURN_POLICY}\n退款将在3个工作日内原路返回。`);
    expect(result.document!.sections).toEqual([{ start: 0, end: result.document!.text.length }]);
  });
});
