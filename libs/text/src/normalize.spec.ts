import { describe, expect, it } from 'vitest';
import { cjkRatio, dominantLanguage, isCjkChar, normalizeQuestion, toHalfWidth } from './normalize';

describe('text normalisation', () => {
  it('maps full-width ASCII and ideographic space to half-width', () => {
    expect(toHalfWidth('ＡＢＣ１２３，　ok')).toBe('ABC123, ok');
  });

  it('normalises questions so trivial variants share a cache key', () => {
    expect(normalizeQuestion('  退货期限是多久？ ')).toBe(normalizeQuestion('退货期限是多久?'));
    expect(normalizeQuestion('How LONG   is shipping??')).toBe('how long is shipping');
    expect(normalizeQuestion('退货期限是多久')).not.toBe(normalizeQuestion('换货期限是多久'));
  });

  it('detects CJK characters and mixed-language ratio', () => {
    expect(isCjkChar('退')).toBe(true);
    expect(isCjkChar('a')).toBe(false);
    expect(cjkRatio('退货 return')).toBeCloseTo(2 / 8);
    expect(cjkRatio('123 !!')).toBe(0);
  });
});

describe('dominantLanguage', () => {
  it('tells Chinese, English and mixed sets of texts apart, and says nothing about too few', () => {
    const zh = ['退货期限是多久？', '运费怎么算', '发票怎么开', 'iPhone 15 有货吗'];
    const en = [
      'How long do refunds take?',
      'Do you ship to Canada?',
      'Is the 蓝牙耳机 headset in stock?',
      'Opening hours',
    ];
    expect(dominantLanguage(zh)).toBe('zh');
    expect(dominantLanguage(en)).toBe('en');
    expect(dominantLanguage([...zh, ...en])).toBe('mixed');
    expect(dominantLanguage(['退货', 'refund', '123', '!!'])).toBeNull();
  });
});
