import { describe, expect, it } from 'vitest';
import { correctionsText, decisionText, formatScore } from './decision-text';
import { translate, type UiLanguage } from './i18n';
import type { AnswerDecision } from './types';

const say = (lang: UiLanguage, decision: AnswerDecision | undefined, reason = 'the English reason') =>
  decisionText((key, vars) => translate(lang, key, vars), { decision, reason });

describe('decision text', () => {
  it('words an FAQ answer, a close call and a reader answer in Chinese with the numbers compared', () => {
    expect(say('zh', { code: 'faq_confident', values: { score: 0.8, faq: 0.21 } })).toBe(
      '最佳问答的匹配度 0.80 ≥ 问答匹配阈值 0.21，直接用该问答的答案回答',
    );
    expect(say('zh', { code: 'close_call_clarify', values: { best: 0.62, second: 0.6, margin: 0.08 } })).toBe(
      '前两个问答得分接近（0.62 与 0.60，相差不到澄清间距 0.08），请用户选择',
    );
    expect(
      say('zh', {
        code: 'asked_type_read',
        values: { answerType: 'duration', score: 0.517, faq: 0.24, reader: 0.5, answer: 0.46 },
      }),
    ).toBe(
      '最佳问答（匹配度 0.517 ≥ 0.24）的答案里没有时长，阅读器在文档中找到了答案（置信度 0.50 ≥ 抽取答案阈值 0.46）',
    );
    expect(
      say('zh', { code: 'reader_answered', values: { best: 0.034, faq: 0.24, reader: 0.5, answer: 0.46 } }),
    ).toBe(
      '没有问答达到问答匹配阈值 0.24（最高 0.034），阅读器抽取到答案（置信度 0.50 ≥ 抽取答案阈值 0.46）',
    );
  });

  it('speaks English in the English console, and names an answer type it does not know as it is', () => {
    expect(say('en', { code: 'faq_confident', values: { score: 0.8, faq: 0.21 } })).toBe(
      'Best FAQ match 0.80 ≥ FAQ match threshold 0.21: answered with that FAQ',
    );
    expect(
      say('en', {
        code: 'asked_type_faq',
        values: { answerType: 'shoe-size', score: 0.4, faq: 0.24, answer: 0.46 },
      }),
    ).toMatch(/^The best FAQ has no shoe-size in its answer/);
    expect(say('zh', { code: 'clarification_chosen', values: { option: 2 } })).toBe(
      '用户在澄清选项中选了第 2 项',
    );
  });

  it('tells the three fallbacks apart: no span, a weak span, a span from an unrelated FAQ', () => {
    const fallback = (reader?: number) =>
      say('zh', {
        code: 'fallback',
        values: { best: 0.1, clarify: 0.2, answer: 0.46, ...(reader === undefined ? {} : { reader }) },
      });
    expect(fallback()).toBe('没有问答达到澄清下限 0.20（最高 0.10），阅读器也没有找到答案，给出兜底回复');
    expect(fallback(0.3)).toContain('阅读器的答案置信度 0.30 低于抽取答案阈值 0.46');
    expect(fallback(0.6)).toContain('出自一条不相关的问答，未采用');
  });

  it('shows the English reason for an answer stored or cached without a decision, or with a code it does not know', () => {
    expect(say('zh', undefined, 'no FAQ reached 0.24; reader confidence 0.5 >= 0.46')).toBe(
      'no FAQ reached 0.24; reader confidence 0.5 >= 0.46',
    );
    const future = { code: 'something_new', values: {} } as unknown as AnswerDecision;
    expect(say('zh', future, 'a newer server’s reason')).toBe('a newer server’s reason');
    expect(decisionText((key) => key, {})).toBe('');
  });

  it('keeps the third decimal only where it matters', () => {
    expect([0.8, 0.21, 0.034, 0.005, 0.5, 1, 0.667].map(formatScore)).toEqual([
      '0.80',
      '0.21',
      '0.034',
      '0.005',
      '0.50',
      '1.00',
      '0.667',
    ]);
  });

  it("says which words typo tolerance read as the KB's, in Chinese and English", () => {
    const corrections = [
      { from: 'lnog', to: 'long', distance: 1 },
      { from: 'dilivery', to: 'delivery', distance: 1 },
    ];
    const words = (lang: UiLanguage, evidence: Parameters<typeof correctionsText>[1]) =>
      correctionsText((key, vars) => translate(lang, key, vars), evidence);
    expect(words('en', { corrections })).toBe(
      'Typo tolerance: read “lnog” as “long”, “dilivery” as “delivery”',
    );
    expect(words('zh', { corrections })).toBe('拼写容错：已将“lnog”理解为“long”，“dilivery”理解为“delivery”');
    expect(words('en', {})).toBe('');
  });
});
