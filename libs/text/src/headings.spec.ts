import { describe, expect, it } from 'vitest';
import { guessHeadings } from './headings';
import { splitSentences } from './sentences';

function headingsOf(text: string): string[] {
  const sentences = splitSentences(text);
  return sentences.filter((_, i) => guessHeadings(text, sentences)[i]).map((s) => s.text);
}

describe('guessHeadings', () => {
  it('takes short unpunctuated lines that open a paragraph of text for headings', () => {
    const text = '## 运费\n\n全场满99元包邮。\n\nInternational orders\n\nWe ship to Canada for a flat $25.';
    expect(headingsOf(text)).toEqual(['## 运费', 'International orders']);
  });

  it('does not take list items, punctuated lines or a last line for headings', () => {
    expect(headingsOf('Opening hours\nMonday 9-18\nTuesday 9-18\nSunday closed')).toEqual([]);
    expect(headingsOf('退货政策：\n签收后7天内可申请。')).toEqual([]);
    expect(headingsOf('We ship daily.\n\nThanks')).toEqual([]);
  });
});
