import { describe, expect, it } from 'vitest';
import { synonymHeads, topicHeads } from './synonyms';

describe('synonymHeads, English', () => {
  it('matches a phrase in another inflection of its words ("price drops" ~ "price drop")', () => {
    expect(synonymHeads('The price dropped after I bought it')).toContain('discount');
    expect(synonymHeads('Can my order still be canceled?')).toContain('cancel');
    expect(synonymHeads('Is this returned item refunded?')).toEqual(
      expect.arrayContaining(['return', 'refund']),
    );
  });

  it('lets a `*` stand for up to two words, and no more', () => {
    expect(synonymHeads('Who pays when I send something back?')).toContain('return');
    expect(synonymHeads('Is sending the boots back free?')).toContain('return');
    expect(synonymHeads('how long until my money comes back')).toContain('refund');
    expect(synonymHeads('I sent an email and got nothing back')).not.toContain('return');
  });

  it('spells out contractions before matching', () => {
    expect(synonymHeads("Where's my package?")).toContain('track');
    expect(synonymHeads('Where’s my parcel?')).toContain('track');
  });

  it('still matches whole words only', () => {
    expect(synonymHeads('Is the post office open?')).toContain('shipping');
    expect(synonymHeads('Can I repost my review?')).not.toContain('shipping');
  });
});

describe('synonymHeads, Chinese', () => {
  it('matches phrases as substrings, a longer phrase taking its characters first', () => {
    expect(synonymHeads('邮费多少钱').sort()).toEqual(['多少钱', '运费'].sort());
    // 包邮 takes its characters before 邮 could reach anything shorter.
    expect(synonymHeads('能包邮吗')).toEqual(['包邮']);
  });

  it('lets a phrase ending inside a word of the text yield to one that does not', () => {
    // 想退 / 可以退 (退货) took the 退 of 退款: 我想退款 was a question on returns, not refunds.
    expect(synonymHeads('我想退款')).toEqual(['退款']);
    expect(synonymHeads('可以退款吗')).toEqual(['退款']);
    expect(synonymHeads('第一次买不喜欢口味能退钱吗')).toEqual(['退款']);
    // 到账 took the 账 of 账户.
    expect(synonymHeads('优惠券会返还到账户')).toContain('账号');
    // Where no other phrase wants the characters, they still match.
    expect(synonymHeads('能退吗')).toEqual(['退货']);
    expect(synonymHeads('订单号是多少')).toContain('订单');
  });
});

describe('topicHeads', () => {
  it('leaves the question types out', () => {
    expect(topicHeads('退货退款要几天').sort()).toEqual(['退款', '退货'].sort());
    expect(topicHeads('How long does a refund take?')).toEqual(['refund']);
  });
});
