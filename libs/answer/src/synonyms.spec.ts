import { describe, expect, it } from 'vitest';
import { synonymHeads } from './synonyms';

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
});
