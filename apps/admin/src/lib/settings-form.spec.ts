import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import type { KnowledgeBase } from './types';
import {
  fallbackPlaceholder,
  settingRows,
  settingsPatch,
  settingsProblems,
  type SettingsFormValues,
} from './settings-form';

const empty: SettingsFormValues = {
  faqThreshold: '',
  answerThreshold: '',
  targetPrecision: '',
  chunkTargetLength: '',
  chunkMaxLength: '',
  chunkOverlap: '',
  fallbackMessage: '',
};
const defaults = { chunkTargetLength: 300, chunkMaxLength: 480 };

describe('settingsPatch', () => {
  it('sends null for an emptied field, so the API puts it back to its default', () => {
    expect(settingsPatch({ ...empty, fallbackMessage: '  ' })).toEqual({
      faqThreshold: null,
      answerThreshold: null,
      settings: {
        fallbackMessage: null,
        targetPrecision: null,
        chunkTargetLength: null,
        chunkMaxLength: null,
        chunkOverlap: null,
      },
    });
  });

  it('sends the values typed, the message trimmed', () => {
    const body = settingsPatch({
      ...empty,
      faqThreshold: 0.7,
      targetPrecision: '0.85',
      chunkOverlap: 0,
      fallbackMessage: ' 请联系客服 ',
    });
    expect(body).toMatchObject({
      faqThreshold: 0.7,
      answerThreshold: null,
      settings: { targetPrecision: 0.85, chunkOverlap: 0, fallbackMessage: '请联系客服' },
    });
  });
});

describe('settingsProblems', () => {
  it('finds nothing wrong with empty fields or values in range', () => {
    expect(settingsProblems(empty, defaults)).toEqual({});
    expect(
      settingsProblems(
        { ...empty, faqThreshold: 1, targetPrecision: 0.5, chunkTargetLength: 480, chunkOverlap: 5 },
        defaults,
      ),
    ).toEqual({});
  });

  it('names the allowed range of a value outside it, never changing the value', () => {
    const problems = settingsProblems({ ...empty, targetPrecision: 0.3, faqThreshold: 1.5 }, defaults);
    expect(translate('zh', problems.targetPrecision!.key, problems.targetPrecision!.values)).toBe(
      '须在 0.5 到 0.99 之间',
    );
    expect(translate('en', problems.faqThreshold!.key, problems.faqThreshold!.values)).toBe(
      'Must be between 0 and 1',
    );
    expect(settingsProblems({ ...empty, chunkOverlap: -1 }, defaults).chunkOverlap?.values).toEqual({
      min: 0,
      max: 5,
    });
    expect(settingsProblems({ ...empty, chunkMaxLength: 99.5 }, defaults).chunkMaxLength?.key).toBe(
      'settings.wholeNumber',
    );
  });

  it('refuses a passage target length above the max length in force, the default included', () => {
    const typed = settingsProblems({ ...empty, chunkTargetLength: 500, chunkMaxLength: 100 }, defaults);
    expect(translate('en', typed.chunkTargetLength!.key, typed.chunkTargetLength!.values)).toBe(
      'Must not exceed the max length (100)',
    );
    expect(
      settingsProblems({ ...empty, chunkTargetLength: 481 }, defaults).chunkTargetLength?.values,
    ).toEqual({ max: 480 });
    expect(settingsProblems({ ...empty, chunkMaxLength: 200 }, defaults).chunkTargetLength?.key).toBe(
      'settings.targetAboveMax',
    );
  });
});

describe('fallbackPlaceholder', () => {
  const defaults = {
    fallbackMessages: ['抱歉，没有找到相关答案。您是不是想问下面的问题？也可以转人工客服。'],
    fallbackMessagesWithoutSuggestions: ['抱歉，没有找到相关答案。您可以换个说法再问，或转人工客服。'],
  };

  it('says both default replies and when each is given, not only the one that points at suggestions', () => {
    expect(fallbackPlaceholder(defaults, (key, vars) => translate('zh', key, vars))).toBe(
      '有推荐问题时：抱歉，没有找到相关答案。您是不是想问下面的问题？也可以转人工客服。\n' +
        '没有推荐问题时：抱歉，没有找到相关答案。您可以换个说法再问，或转人工客服。',
    );
    const mixed = {
      fallbackMessages: [
        ...defaults.fallbackMessages,
        "Sorry, I couldn't find an answer to that. Did you mean …",
      ],
      fallbackMessagesWithoutSuggestions: [
        ...defaults.fallbackMessagesWithoutSuggestions,
        "Sorry, I couldn't find an answer to that. Try asking in other words, or talk to a person.",
      ],
    };
    const lines = fallbackPlaceholder(mixed, (key, vars) => translate('en', key, vars)).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      "With questions to suggest: Sorry, I couldn't find an answer to that. Did you mean …",
    );
    expect(lines[3]).toBe(
      "With none to suggest: Sorry, I couldn't find an answer to that. Try asking in other words, or talk to a person.",
    );
  });
});

describe('settingRows', () => {
  const kb = {
    name: '售后客服',
    language: 'zh',
    faqThreshold: 0.6,
    answerThreshold: null,
    effectiveThresholds: { faq: 0.6, answer: 0.7531 },
    thresholdSources: {
      faq: { value: 0.6, source: 'admin' },
      answer: { value: 0.7531, source: 'calibrated' },
    },
    settings: { chunkOverlap: 2, fallbackMessage: '请联系人工客服。' },
    settingDefaults: {
      chunkTargetLength: 300,
      chunkMaxLength: 480,
      chunkOverlap: 1,
      targetPrecision: 0.9,
      fallbackMessages: ['抱歉，我没有找到答案。'],
      fallbackMessagesWithoutSuggestions: ['抱歉，请换个说法。'],
    },
  } as unknown as KnowledgeBase;

  it('gives a viewer every setting as text: the KB’s own values, else the value in force and where it comes from', () => {
    const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
      translate('zh', key, vars);
    expect(settingRows(kb, t)).toEqual([
      { label: '名称', value: '售后客服' },
      { label: '语言', value: '中文' },
      { label: '问答匹配阈值', value: '0.60', source: 'admin' },
      { label: '抽取答案阈值', value: '0.753', source: 'calibrated' },
      { label: '目标准确率', value: '0.9', source: 'default' },
      { label: '兜底回复', value: '请联系人工客服。' },
      { label: '段落目标长度', value: '300', source: 'default' },
      { label: '段落最大长度', value: '480', source: 'default' },
      { label: '重叠句数', value: '2' },
    ]);
  });
});
