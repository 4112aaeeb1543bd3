import { describe, expect, it } from 'vitest';
import { decisionReason } from './answer-decision';

describe('decisionReason', () => {
  it('words each decision with the numbers it compared', () => {
    expect(decisionReason({ code: 'faq_confident', values: { score: 0.8, faq: 0.21 } })).toBe(
      'FAQ confidence 0.8 >= 0.21',
    );
    expect(
      decisionReason({
        code: 'reader_answered',
        values: { best: 0.034, faq: 0.24, reader: 0.5, answer: 0.46 },
      }),
    ).toBe('no FAQ reached 0.24 (best 0.034); reader confidence 0.5 >= 0.46');
    expect(
      decisionReason({
        code: 'asked_type_faq',
        values: { answerType: 'duration', score: 0.517, faq: 0.24, answer: 0.46 },
      }),
    ).toBe('FAQ confidence 0.517 >= 0.24 (its answer has no duration; the reader found none either)');
    expect(
      decisionReason({
        code: 'unshared_words_read',
        values: { score: 0.286, faq: 0.253, reader: 1, answer: 0.7 },
      }),
    ).toBe(
      'the best FAQ (confidence 0.286 >= 0.253) shares no word with the question; the reader answered from a document, reader confidence 1 >= 0.7',
    );
    expect(
      decisionReason({ code: 'unshared_words_faq', values: { score: 0.286, faq: 0.253, answer: 0.7 } }),
    ).toBe(
      'FAQ confidence 0.286 >= 0.253 (it shares no word with the question, and no document answered: the reader found no span)',
    );
  });

  it('says why a fallback passed over a confident span: it was read from an FAQ that does not match', () => {
    const fallback = (reader?: number) =>
      decisionReason({
        code: 'fallback',
        values: { best: 0.1, clarify: 0.2, answer: 0.46, ...(reader !== undefined ? { reader } : {}) },
      });
    expect(fallback()).toBe('no FAQ reached the clarify threshold 0.2 (best 0.1); the reader found no span');
    expect(fallback(0.3)).toMatch(/reader confidence 0.3 < 0.46$/);
    expect(fallback(0.6)).toMatch(/the reader's span \(0.6\) came from an FAQ answer that does not match$/);
  });
});
