import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { faqErrorText } from './faq-error-text';
import { translate, type UiLanguage } from './i18n';

const say = (lang: UiLanguage, err: Error) => faqErrorText(err, (key, vars) => translate(lang, key, vars));

describe('FAQ error text', () => {
  it('says which entry already asks the question, and what to do, in the console language', () => {
    const taken = new ApiError(
      409,
      'the entry "运费怎么算？" (f1) already asks this question: edit that entry, or disable it first',
      'faq_question_taken',
      { question: '运费怎么算？', faqId: 'f1' },
    );
    expect(say('zh', taken)).toBe(
      '已有问答“运费怎么算？”问的是同一个问题，这一条保存了也不会被用来回答。请改为编辑那一条，或先停用它。',
    );
    expect(say('en', taken)).toBe(
      'The entry “运费怎么算？” already asks this question, so this one would never be given as an answer. Edit that entry instead, or disable it first.',
    );
  });

  it("keeps the API's message for a code it does not know or values it cannot read", () => {
    expect(say('zh', new ApiError(409, 'taken', 'faq_question_taken', {}))).toBe('taken');
    expect(say('zh', new ApiError(400, 'answer must be shorter', 'something_new', {}))).toBe(
      'answer must be shorter',
    );
    expect(say('zh', new Error('Failed to fetch'))).toBe('Failed to fetch');
  });
});
