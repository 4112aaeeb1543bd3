import { describe, expect, it } from 'vitest';
import { confidenceAgainstThreshold, highlight } from './answer-view';

const evidence = (best: number) => ({
  thresholds: { faq: 0.8, answer: 0.4, clarify: 0.35, margin: 0.02 },
  faqCandidates: best ? [{ faqId: 'a', question: 'q', score: best, lexical: best, phrasing: 0 }] : [],
  passages: [],
  reason: '',
});

describe('answer view', () => {
  it('cuts the passage around the answer span (UTF-16 offsets, as the API gives them)', () => {
    const text = '我们的退货政策是签收后7天内可申请无理由退货';
    const start = text.indexOf('7天内');
    expect(highlight(text, start, start + 3)).toEqual({
      before: '我们的退货政策是签收后',
      span: '7天内',
      after: '可申请无理由退货',
    });
  });

  it('shows the whole text unmarked when the offsets do not fit it', () => {
    expect(highlight('abc', 2, 9)).toEqual({ before: 'abc', span: '', after: '' });
    expect(highlight('abc', undefined, undefined).span).toBe('');
    expect(highlight('abc', 2, 1).span).toBe('');
  });

  it('compares an extracted answer with the answer threshold and a fallback best FAQ score with the FAQ threshold', () => {
    expect(
      confidenceAgainstThreshold({ type: 'extracted', confidence: 0.5, evidence: evidence(0.3) }),
    ).toEqual({
      threshold: 'answer',
      value: 0.5,
      limit: 0.4,
      passed: true,
    });
    expect(confidenceAgainstThreshold({ type: 'fallback', confidence: 0, evidence: evidence(0.3) })).toEqual({
      threshold: 'faq',
      value: 0.3,
      limit: 0.8,
      passed: false,
    });
    expect(confidenceAgainstThreshold({ type: 'fallback', confidence: 0, evidence: evidence(0) }).value).toBe(
      0,
    );
  });
});
