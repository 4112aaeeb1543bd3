import { describe, expect, it } from 'vitest';
import { faqLengthProblems, type FaqDraft } from './faq-limits';
import { translate, type UiLanguage } from './i18n';

const check = (lang: UiLanguage, draft: Partial<FaqDraft>) =>
  faqLengthProblems(
    { question: '退货期限是多久？', alternates: [], answer: '7天内。', tags: [], ...draft },
    (key, vars) => translate(lang, key, vars),
  );

describe('FAQ form length limits', () => {
  it('lets an entry at the API limits through', () => {
    expect(
      check('zh', {
        question: '问'.repeat(1000),
        alternates: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(1000, '问')),
        answer: '答'.repeat(20000),
        tags: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, '标')),
      }),
    ).toEqual({});
  });

  it('says in Chinese which field is over its limit, and by how much', () => {
    expect(
      check('zh', {
        question: '问'.repeat(1001),
        alternates: ['怎么退货', '退'.repeat(1001)],
        answer: '答'.repeat(20001),
        tags: ['售后', '标'.repeat(101)],
      }),
    ).toEqual({
      question: '最多 1000 个字符，现在有 1001 个，请删减后再保存。',
      alternates: '第 2 条相似问法有 1001 个字符，每条最多 1000 个，请删减后再保存。',
      answer: '最多 20000 个字符，现在有 20001 个，请删减后再保存。',
      tags: '标签“标标标标标标标标标标标标标标标标标标标标”太长，每个标签最多 100 个字符。',
    });
    expect(check('zh', { alternates: Array.from({ length: 51 }, (_, i) => `问法${i}`) }).alternates).toBe(
      '相似问法最多 50 条，现在有 51 条，请删减后再保存。',
    );
  });

  it('says it in English in the English console', () => {
    expect(check('en', { question: 'q'.repeat(1001) })).toEqual({
      question: 'At most 1000 characters; this has 1001. Shorten it to save.',
    });
    expect(check('en', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })).toEqual({
      tags: 'At most 50 tags; there are 51.',
    });
  });
});
