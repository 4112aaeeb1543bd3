import { describe, expect, it } from 'vitest';
import { initialLanguage, translate } from './i18n';
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

  it('keeps the admin choice, else follows the browser', () => {
    expect(initialLanguage('en', 'zh-CN')).toBe('en');
    expect(initialLanguage(null, 'en-US')).toBe('en');
    expect(initialLanguage(null, 'zh-TW')).toBe('zh');
    expect(initialLanguage('fr', undefined)).toBe('zh');
  });
});
