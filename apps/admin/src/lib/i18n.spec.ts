import { describe, expect, it } from 'vitest';
import { fill, initialLanguage, translate } from './i18n';
import { messages } from './messages';

describe('i18n', () => {
  it('has every string in both languages, with the same placeholders', () => {
    const keys = Object.keys(messages.zh) as (keyof typeof messages.zh)[];
    expect(Object.keys(messages.en).sort()).toEqual([...keys].sort());
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of keys) expect(names(messages.en[key]), key).toEqual(names(messages.zh[key]));
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'pager.range', { from: 1, to: 20, total: 135 })).toBe('1–20 of 135');
    expect(translate('zh', 'kb.countFaqs', { n: 3 })).toBe('3 条问答');
    expect(translate('en', 'kb.countFaqs')).toBe('FAQs: {n}');
  });

  it('says one thing in the singular and zero or several in the plural, in English', () => {
    expect(translate('en', 'job.counts', { faqs: 1, passages: 0 })).toBe('1 FAQ, 0 passages');
    expect(translate('en', 'job.counts', { faqs: 0, passages: 1 })).toBe('0 FAQs, 1 passage');
    expect(translate('en', 'job.counts', { faqs: 12, passages: 3 })).toBe('12 FAQs, 3 passages');
    expect(translate('zh', 'job.counts', { faqs: 1, passages: 2 })).toBe('1 条问答，2 个段落');
    expect(fill('{n} {n|vote|votes}', { n: 1 })).toBe('1 vote');
    expect(fill('{n} {n|vote|votes}', { n: 2 })).toBe('2 votes');
    expect(fill('{n|vote|votes}', {})).toBe('{n|vote|votes}');
  });

  it('has no English count that reads "1 <plural>"', () => {
    // A count followed by a plural noun must choose its word: {n} {n|example|examples}.
    for (const [key, text] of Object.entries(messages.en))
      expect(text, key).not.toMatch(
        /\{\w+\} (FAQs|passages|votes|examples|intents|questions|duplicates|fallbacks|phrasings)\b/,
      );
  });

  it('keeps the admin choice, else follows the browser', () => {
    expect(initialLanguage('en', 'zh-CN')).toBe('en');
    expect(initialLanguage(null, 'en-US')).toBe('en');
    expect(initialLanguage(null, 'zh-TW')).toBe('zh');
    expect(initialLanguage('fr', undefined)).toBe('zh');
  });
});
