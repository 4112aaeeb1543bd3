import { describe, expect, it } from 'vitest';
import { ParseError, parseFile, ingestWarningMessage } from '@wendao/ingest';
import { RETURN_POLICY } from '../test/build-fixtures';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseFile: JSON', () => {
  it('reads an array of FAQs with alternates or similar, and tags', async () => {
    const result = await parseFile(
      json([
        {
          question: '退货期限是多久？',
          answer: RETURN_POLICY,
          similar: ['多久可以退货', '退货期限是多久？'],
          tags: '售后,退货',
        },
        {
          question: 'How do I reset my password?',
          answer: 'Use the link on the sign-in page.',
          alternates: 'forgot password|reset login',
        },
      ]),
      'faq.json',
    );
    expect(result.faqs).toEqual([
      {
        question: '退货期限是多久？',
        answer: RETURN_POLICY,
        alternates: ['多久可以退货'],
        tags: ['售后', '退货'],
      },
      {
        question: 'How do I reset my password?',
        answer: 'Use the link on the sign-in page.',
        alternates: ['forgot password', 'reset login'],
        tags: [],
      },
    ]);
    expect(result.document).toBeNull();
  });

  it('reads {faqs: [...]} and skips incomplete items with a warning', async () => {
    const result = await parseFile(
      json({
        faqs: [
          { question: '运费谁出？', answer: '质量问题由我们承担。' },
          { question: '只有问题' },
          'not an object',
          { question: 'x', answer: 'y', tags: [{}] },
        ],
      }),
      'faq.json',
    );
    expect(result.faqs.map((f) => f.question)).toEqual(['运费谁出？']);
    expect(result.warnings).toEqual([
      { code: 'item_skipped', values: { item: 2, problem: 'missing_answer' } },
      { code: 'item_skipped', values: { item: 3, problem: 'not_object' } },
      { code: 'item_skipped', values: { item: 4, problem: 'tags_not_list' } },
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Item 2: empty or missing "answer", skipped.',
      'Item 3: not an object, skipped.',
      'Item 4: "tags" must be a list of strings, skipped.',
    ]);
  });

  it('reads enabled as the FAQ table reader does: false, "no", 0, "否" store the entry disabled', async () => {
    const result = await parseFile(
      json([
        { question: '旧的运费标准？', answer: '满 99 包邮。', enabled: false },
        { question: '发票怎么开？', answer: '在订单页申请。', enabled: true },
        { question: '能改地址吗？', answer: '发货前可以。', enabled: 'no' },
        { question: '几点发货？', answer: '下午四点前下单当天发。', enabled: 0 },
        { question: '支持货到付款吗？', answer: '不支持。', enabled: '否' },
        { question: '有门店吗？', answer: '只在线上销售。' },
        { question: '包装环保吗？', answer: '是的。', enabled: 'maybe' },
        { question: '能开专票吗？', answer: '可以。', enabled: null },
      ]),
      'faq.json',
    );
    expect(result.faqs.map((f) => [f.question, f.enabled !== false])).toEqual([
      ['旧的运费标准？', false],
      ['发票怎么开？', true],
      ['能改地址吗？', false],
      ['几点发货？', false],
      ['支持货到付款吗？', false],
      ['有门店吗？', true],
      ['能开专票吗？', true],
    ]);
    expect(result.warnings.map(ingestWarningMessage)).toEqual([
      'Item 7: "enabled" is neither true nor false, skipped.',
    ]);
  });

  it('names the expected shape for anything else', async () => {
    for (const other of [{ knowledgeBase: { name: 'x' }, entries: [] }, 'just a string', [1, 2, 3]]) {
      const err = await parseFile(json(other), 'kb.json').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ParseError);
      expect((err as Error).message).toMatch(
        /Expected a JSON array of \{"question": string, "answer": string/,
      );
    }
  });

  it('reports the JSON syntax error', async () => {
    await expect(parseFile(Buffer.from('[{"question": "退货"'), 'faq.json')).rejects.toThrow(
      /faq\.json is not valid JSON/,
    );
  });
});
