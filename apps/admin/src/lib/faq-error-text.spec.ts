import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { faqErrorText, faqToggleErrorText } from './faq-error-text';
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

  it("says an entry deleted meanwhile, a role that may not and an unreachable server, not the API's English", () => {
    const gone = new ApiError(404, 'FAQ entry f1 not found');
    expect(say('zh', gone)).toBe('这条问答已不存在，可能已被其他管理员删除。');
    expect(say('en', gone)).toBe('This FAQ entry no longer exists: another admin may have deleted it.');
    const viewer = new ApiError(
      403,
      "this needs the editor role (or above) in the knowledge base's organisation; you have viewer",
    );
    expect(say('zh', viewer)).toBe(
      '这需要编辑者或更高的角色，你的角色是查看者。如确需此操作，请联系组织的所有者。',
    );
    expect(say('en', viewer)).toBe(
      'This needs the editor role or above; yours is viewer. If you need to do this, ask an owner of the organisation.',
    );
    expect(say('zh', new TypeError('Failed to fetch'))).toBe(
      '无法连接到服务器。请检查网络连接，或确认问道服务仍在运行，然后重试。',
    );
  });

  it('says which switch failed and why: an entry deleted meanwhile, a role that may not', () => {
    const toggle = (lang: UiLanguage, err: Error, enabling: boolean) =>
      faqToggleErrorText(err, (key, vars) => translate(lang, key, vars), '运费怎么算？', enabling);
    const gone = new ApiError(404, 'FAQ entry f1 not found');
    expect(toggle('zh', gone, false)).toBe(
      '未能停用问答“运费怎么算？”。这条问答已不存在，可能已被其他管理员删除。',
    );
    expect(toggle('en', gone, true)).toBe(
      'Could not enable the FAQ “运费怎么算？”. This FAQ entry no longer exists: another admin may have deleted it.',
    );
    const viewer = new ApiError(
      403,
      "this needs the editor role (or above) in the knowledge base's organisation; you have viewer",
    );
    expect(toggle('zh', viewer, true)).toBe(
      '未能启用问答“运费怎么算？”。这需要编辑者或更高的角色，你的角色是查看者。如确需此操作，请联系组织的所有者。',
    );
    expect(toggle('en', viewer, false)).toBe(
      'Could not disable the FAQ “运费怎么算？”. This needs the editor role or above; yours is viewer. If you need to do this, ask an owner of the organisation.',
    );
    const taken = new ApiError(409, 'the entry … already asks this question', 'faq_question_taken', {
      question: '运费多少？',
    });
    expect(toggle('zh', taken, true)).toBe(
      '未能启用问答“运费怎么算？”。已有问答“运费多少？”问的是同一个问题，这一条保存了也不会被用来回答。请改为编辑那一条，或先停用它。',
    );
  });

  it("keeps the API's message, as a detail, for a code it does not know or values it cannot read", () => {
    expect(say('zh', new ApiError(409, 'taken', 'faq_question_taken', {}))).toBe(
      '服务器拒绝了请求（409）：taken',
    );
    expect(say('en', new ApiError(400, 'answer must be shorter', 'something_new', {}))).toBe(
      'The server refused the request (400): answer must be shorter',
    );
  });
});
