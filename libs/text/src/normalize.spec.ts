import { describe, expect, it } from 'vitest';
import { cjkRatio, isCjkChar, normalizeQuestion, toHalfWidth } from './normalize';

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
