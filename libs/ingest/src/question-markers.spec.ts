import { describe, expect, it } from 'vitest';
import { isQuestionLike, stripAnswerPrefix, stripQuestionPrefix } from './question-markers';

describe('question markers', () => {
  it('strips Q:/问：/A:/答： prefixes in half- and full-width forms, with numbers', () => {
    expect(stripQuestionPrefix('Q: 退货期限是多久？')).toBe('退货期限是多久？');
    expect(stripQuestionPrefix('问：退货期限是多久？')).toBe('退货期限是多久？');
    expect(stripQuestionPrefix('Question 12: How long?')).toBe('How long?');
    expect(stripAnswerPrefix('答案：签收后7天内')).toBe('签收后7天内');
    expect(stripAnswerPrefix('A1: Three days')).toBe('Three days');
  });

  it('does not mistake ordinary lines for markers', () => {
    for (const line of [
      'Quality: good',
      'Also: see below',
      '常见问题：退货',
      'A list of items',
      '答谢客户',
    ]) {
      expect(stripQuestionPrefix(line) ?? stripAnswerPrefix(line)).toBeNull();
    }
  });

  it('recognises headings that ask something', () => {
    for (const q of [
      '如何退货',
      '怎么修改地址',
      '为什么没有收到验证码',
      '会员可以退款吗',
      'How do I reset my password',
      'Can I pay by card',
      '退货期限？',
      'Shipping fees?',
    ]) {
      expect(isQuestionLike(q), q).toBe(true);
    }
  });

  it('leaves topic headings and instructions alone', () => {
    for (const h of [
      '退货政策',
      'Shipping',
      'Do not use bleach',
      'Returns and refunds',
      '联系我们',
      'Doing business with us',
    ]) {
      expect(isQuestionLike(h), h).toBe(false);
    }
  });
});
