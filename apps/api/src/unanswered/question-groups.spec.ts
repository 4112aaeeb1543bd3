import { normalizeQuestion } from '@wendao/text';
import { describe, expect, it } from 'vitest';
import { dice, groupQuestions, lexicalTerms, type UnansweredQuestion } from './question-groups';

const at = new Date('2026-12-01T10:00:00Z');
const q = (question: string, reason: UnansweredQuestion['reason'] = 'fallback'): UnansweredQuestion => ({
  question,
  normalized: normalizeQuestion(question),
  reason,
  at,
});

describe('groupQuestions', () => {
  it('puts rephrasings of one question together and keeps unrelated questions apart', () => {
    const groups = groupQuestions([
      q('可以开发票吗？'),
      q('可以开发票吗'),
      q('能开发票吗？'),
      q('开发票吗？', 'thumbs_down'),
      q('Do you ship to Canada?'),
      q('do you ship to canada'),
      q('积分怎么兑换？'),
    ]);
    expect(groups.map((g) => [g.representative, g.count])).toEqual([
      ['可以开发票吗？', 4],
      ['Do you ship to Canada?', 2],
      ['积分怎么兑换？', 1],
    ]);
    expect(groups[0].questions).toEqual(['可以开发票吗？', '开发票吗？', '能开发票吗？']);
    expect(groups[0]).toMatchObject({ fallbacks: 3, thumbsDown: 1 });
    expect(new Set(groups.map((g) => g.id)).size).toBe(3);
  });

  it('uses embeddings when every question has one', () => {
    const v = (...x: number[]) => Float32Array.from(x);
    const groups = groupQuestions([
      { ...q('发票'), vector: v(1, 0) },
      { ...q('报销凭证'), vector: v(0.95, 0.1) },
      { ...q('运费'), vector: v(0, 1) },
    ]);
    expect(groups.map((g) => g.questions)).toEqual([['发票', '报销凭证'], ['运费']]);
  });

  it('scores terms by character bigrams and words', () => {
    expect([...lexicalTerms('能开发票吗 ok')]).toEqual(['ok', '能开', '开发', '发票', '票吗']);
    expect(dice(new Set(['a', 'b']), new Set(['b', 'c']))).toBe(0.5);
    expect(dice(new Set(), new Set(['a']))).toBe(0);
  });
});
