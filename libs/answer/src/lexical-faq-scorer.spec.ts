import { describe, expect, it } from 'vitest';
import { LexicalFaqScorer } from './lexical-faq-scorer';

describe('LexicalFaqScorer, character channel', () => {
  const scorer = new LexicalFaqScorer();
  scorer.upsert(1, {
    question: '支持七天无理由退货吗？',
    alternates: ['东西拿到手不喜欢能退吗'],
    answer: '支持。自签收之日起7天内可申请无理由退货。',
  });
  scorer.upsert(2, { question: '运费怎么算？', alternates: ['邮费多少'], answer: '订单满99元包邮。' });

  it('scores the entry whose text shares the question characters highest', () => {
    const query = scorer.weigh('拿到手不喜欢还能退吗');
    const first = scorer.characterScore(query, 1);
    const second = scorer.characterScore(query, 2);
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(0);
  });

  it('leaves a skipped phrasing out of the character score (leave-one-out sees no trace of it)', () => {
    const query = scorer.weigh('东西拿到手不喜欢能退吗');
    const whole = scorer.characterScore(query, 1);
    const without = scorer.characterScore(query, 1, 1);
    expect(without).toBeGreaterThan(0);
    expect(without).toBeLessThan(whole * 0.6);
  });

  it('forgets a removed entry: its characters no longer count in the document frequencies', () => {
    const query = scorer.weigh('运费');
    const before = scorer.characterScore(query, 2);
    scorer.upsert(3, { question: '退货运费谁出？', alternates: [], answer: '买家承担运费。' });
    const shared = scorer.characterScore(query, 2);
    scorer.remove(3);
    expect(shared).toBeLessThan(before);
    expect(scorer.characterScore(query, 2)).toBeCloseTo(before, 10);
  });
});
