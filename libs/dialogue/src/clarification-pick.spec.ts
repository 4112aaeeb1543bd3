import { describe, expect, it } from 'vitest';
import { pickClarification } from './clarification-pick';
import type { PendingClarification } from './session-state';

const pending: PendingClarification = {
  mode: 'lexical',
  options: [
    { faqId: 'refund-time', question: '退款多久到账？', confidence: 0.5 },
    { faqId: 'delivery-time', question: '发货后几天能收到？', confidence: 0.45 },
  ],
};
const pick = (text: string, id?: string) => pickClarification(pending, text, id)?.faqId ?? null;

describe('pickClarification', () => {
  it('takes numbers, ordinals, option text and quick-reply ids', () => {
    expect(pick('1')).toBe('refund-time');
    expect(pick('2.')).toBe('delivery-time');
    expect(pick('第二个')).toBe('delivery-time');
    expect(pick('第一条')).toBe('refund-time');
    expect(pick('the second one')).toBe('delivery-time');
    expect(pick('最后一个')).toBe('delivery-time');
    expect(pick('退款多久到账')).toBe('refund-time');
    expect(pick('我想问发货后几天能收到？')).toBe('delivery-time');
    expect(pick('', 'faq:delivery-time')).toBe('delivery-time');
  });

  it('picks nothing for an out-of-range number or a different question', () => {
    expect(pick('3')).toBeNull();
    expect(pick('第三个')).toBeNull();
    expect(pick('怎么开发票？')).toBeNull();
    expect(pick('', 'faq:invoice')).toBeNull();
  });
});
