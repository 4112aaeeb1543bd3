import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences';

describe('splitSentences', () => {
  it('splits Chinese text on full-width terminators and keeps exact offsets', () => {
    const text =
      '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。运费由谁承担？质量问题由我们承担！';
    const spans = splitSentences(text);
    expect(spans.map((s) => s.text)).toEqual([
      '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。',
      '运费由谁承担？',
      '质量问题由我们承担！',
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('does not split English on decimals or single-letter abbreviations', () => {
    const text = 'Shipping costs $3.50 per order, e.g. for books. Returns are free! Is that right?';
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      'Shipping costs $3.50 per order, e.g. for books.',
      'Returns are free!',
      'Is that right?',
    ]);
  });

  it('treats newlines as boundaries, trims whitespace and keeps closing quotes with their sentence', () => {
    const text = '  他说：“明天到货。”然后挂了电话\n\nSecond line  ';
    const spans = splitSentences(text);
    expect(spans.map((s) => s.text)).toEqual(['他说：“明天到货。”', '然后挂了电话', 'Second line']);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('returns nothing for blank input', () => {
    expect(splitSentences('  \n ')).toEqual([]);
  });
});
