import { describe, expect, it } from 'vitest';
import { chunkText, parseFile, ingestWarningMessage } from '@wendao/ingest';
import { RETURN_POLICY } from '../test/build-fixtures';

const md = `---
title: ignored front matter
---
# 帮助中心

## 退货政策

${RETURN_POLICY}退款将在 **3 个工作日**内原路返回。

**Q:** 运费谁出？
**A:** 质量问题由我们承担运费，[详见说明](https://example.com)。

问：可以开发票吗？

答：可以，在订单页申请电子发票。

## 如何修改收货地址？

订单发货前，在订单详情页点击“修改地址”。

- 已发货的订单无法修改
- 每个订单只能修改一次

## Shipping

### How long does delivery take?

Usually two to three working days.

Orders ship from Hangzhou. We use SF Express &amp; JD Logistics.

| 问题 | 答案 |
|---|---|
| 周末发货吗？ | 周末正常发货。 |
`;

describe('parseFile: Markdown', () => {
  it('turns Q:/A: pairs and question headings into FAQs tagged with their section', async () => {
    const result = await parseFile(Buffer.from(md), 'help.md');
    expect(result.type).toBe('markdown');
    expect(result.faqs).toEqual([
      {
        question: '运费谁出？',
        answer: '质量问题由我们承担运费，详见说明。',
        alternates: [],
        tags: ['退货政策'],
      },
      {
        question: '可以开发票吗？',
        answer: '可以，在订单页申请电子发票。',
        alternates: [],
        tags: ['退货政策'],
      },
      {
        question: '如何修改收货地址？',
        answer: '订单发货前，在订单详情页点击“修改地址”。\n已发货的订单无法修改\n每个订单只能修改一次',
        alternates: [],
        tags: [],
      },
      {
        question: 'How long does delivery take?',
        answer:
          'Usually two to three working days.\nOrders ship from Hangzhou. We use SF Express & JD Logistics.',
        alternates: [],
        tags: ['Shipping'],
      },
      { question: '周末发货吗？', answer: '周末正常发货。', alternates: [], tags: ['Shipping'] },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('keeps prose with its headings in the document text, with sections pointing at them', async () => {
    const { document } = await parseFile(Buffer.from(md), 'help.md');
    expect(document).not.toBeNull();
    const text = document!.text;
    // The title heading stays as context above its subsection; headings of FAQ-only sections do not appear.
    expect(text).toBe(`帮助中心\n\n退货政策\n${RETURN_POLICY}退款将在 3 个工作日内原路返回。`);
    expect(text).not.toContain('Shipping');
    expect(text).not.toContain('ignored front matter');
    expect(document!.title).toBe('帮助中心');
    expect(document!.sections).toEqual([
      { heading: '帮助中心', start: 0, end: 4 },
      { heading: '退货政策', start: 6, end: text.length },
    ]);
    const passages = chunkText(text, { sections: document!.sections, targetLength: 40 });
    expect(passages.map((p) => [p.text, p.heading])).toEqual([
      [`帮助中心\n\n退货政策\n${RETURN_POLICY}`, '帮助中心'],
      ['退款将在 3 个工作日内原路返回。', '退货政策'],
    ]);
  });

  it('reads numbered Q headings and English question headings without a question mark', async () => {
    const result = await parseFile(
      Buffer.from(
        '# FAQ\n\n### Q1: 退货期限是多久？\n\nA: 签收后7天内。\n\n### How do I track my order\n\nUse the tracking link in the shipping email.\n\n### Order tracking\n\nTracking updates every hour.\n',
      ),
      'faq.md',
    );
    expect(result.faqs.map((f) => [f.question, f.answer])).toEqual([
      ['退货期限是多久？', '签收后7天内。'],
      ['How do I track my order', 'Use the tracking link in the shipping email.'],
    ]);
    expect(result.document!.text).toBe('FAQ\n\nOrder tracking\nTracking updates every hour.');
  });

  it('keeps an unanswered question as text and warns about it', async () => {
    const result = await parseFile(Buffer.from('Q: 这个问题没有答案？\n\n普通的一段说明文字。\n'), 'a.md');
    expect(result.faqs).toEqual([]);
    expect(result.warnings).toEqual([
      { code: 'question_without_answer', values: { text: '这个问题没有答案？' } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Question without an answer kept as text: "这个问题没有答案？"',
    ]);
    expect(result.document!.text).toBe('这个问题没有答案？\n\n普通的一段说明文字。');
  });

  it('treats a question heading over Q:/A: pairs as a section title, not as one big FAQ', async () => {
    const result = await parseFile(
      Buffer.from(
        '## 什么是会员？\n\nQ: 会员多少钱？\nA: 每年99元。\n\nQ: 会员能退吗？\nA: 开通7天内可退。\n',
      ),
      'a.md',
    );
    expect(result.faqs.map((f) => [f.question, f.answer, f.tags])).toEqual([
      ['会员多少钱？', '每年99元。', ['什么是会员？']],
      ['会员能退吗？', '开通7天内可退。', ['什么是会员？']],
    ]);
  });
});
