import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { answerModeText, kbModeText } from './mode-text';

const zh = (key: string, vars?: Record<string, string | number>) => translate('zh', key as never, vars);
const en = (key: string, vars?: Record<string, string | number>) => translate('en', key as never, vars);

describe('mode texts', () => {
  it('names FAQ matching and the reader apart for a KB', () => {
    // An encoder for Chinese but no Chinese QA model: the case the list once called "lexical".
    expect(kbModeText(en, { faq: 'neural', answer: 'lexical' })).toBe('Neural FAQ matching · Lexical reader');
    expect(kbModeText(zh, { faq: 'neural', answer: 'lexical' })).toBe('神经 FAQ 匹配 · 词法阅读');
    expect(kbModeText(en, { faq: 'lexical', answer: 'lexical' })).toBe(
      'Lexical FAQ matching · Lexical reader',
    );
  });

  it('names the part that gave an answer, in the same words', () => {
    expect(answerModeText(en, { type: 'faq', mode: 'neural' })).toBe('Neural FAQ matching');
    expect(answerModeText(en, { type: 'clarify', mode: 'neural' })).toBe('Neural FAQ matching');
    expect(answerModeText(zh, { type: 'extracted', mode: 'lexical' })).toBe('词法阅读');
    expect(answerModeText(en, { type: 'fallback', mode: 'lexical' })).toBe('Lexical reader');
  });
});
