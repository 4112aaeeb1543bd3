import { describe, expect, it } from 'vitest';
import { faqSimilarity, similarityTokens } from './faq-similarity';

describe('faqSimilarity (lexical FAQ confidence)', () => {
  it('tokenises Chinese runs into bigrams and English into words without function words', () => {
    expect(similarityTokens('如何开具发票？')).toEqual(['如何', '何开', '开具', '具发', '发票']);
    expect(similarityTokens('How do I track my Package?')).toEqual(['track', 'package']);
    expect(similarityTokens('iPhone 15 的保修')).toEqual(['iphone', '15', '的保', '保修']);
    expect(similarityTokens('退')).toEqual(['退']);
  });

  it('scores identical questions 1 regardless of case, width and trailing punctuation', () => {
    expect(faqSimilarity('如何开具发票？', '如何开具发票')).toBe(1);
    expect(faqSimilarity('ＨＯＷ MUCH IS SHIPPING?', 'how much is shipping')).toBe(1);
  });

  it('keeps close paraphrases high and topic-only overlaps far below', () => {
    expect(faqSimilarity('发票如何开具', '如何开具发票？')).toBeGreaterThanOrEqual(0.7);
    expect(faqSimilarity('退货期限是多久？', '如何申请退货？')).toBeLessThan(0.3);
    expect(faqSimilarity('How long does delivery take?', 'How long does a refund take?')).toBeLessThan(0.7);
    expect(faqSimilarity('今天天气怎么样', '如何开具发票')).toBe(0);
    expect(faqSimilarity('', '如何开具发票')).toBe(0);
  });
});
