import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { thresholdRowText, thresholdRows } from './threshold-rows';
import type { KnowledgeBase } from './types';

const zh = (key: string, vars?: Record<string, string | number>) => translate('zh', key as never, vars);
const en = (key: string, vars?: Record<string, string | number>) => translate('en', key as never, vars);

// As GET /api/kbs/:id reports them (thresholdsFor in libs/answer/src/thresholds.ts).
const calibrated = (value: number) => ({ value, source: 'calibrated' as const });
const neural: Pick<KnowledgeBase, 'thresholdSources'> = {
  thresholdSources: {
    faq: calibrated(0.776),
    answer: { value: 0.35, source: 'default' },
    clarify: calibrated(0.776),
    margin: calibrated(0.015),
    suggest: calibrated(0.717),
  },
};
const lexical: Pick<KnowledgeBase, 'thresholdSources'> = {
  thresholdSources: {
    faq: calibrated(0.276),
    answer: calibrated(0.46),
    clarify: calibrated(0.276),
    margin: calibrated(0.04),
    // The share of the clarify floor the fallback takes where calibration set no floor.
    suggest: { value: 0.083, source: 'default' },
  },
};

describe('thresholdRows', () => {
  it("lists a calibrated neural KB's suggestion floor after the four thresholds", () => {
    expect(thresholdRows(neural)).toEqual(['faq', 'answer', 'clarify', 'margin', 'suggest']);
  });

  it('leaves the floor out where calibration did not set it (lexical, defaults, older servers)', () => {
    expect(thresholdRows(lexical)).toEqual(['faq', 'answer', 'clarify', 'margin']);
    const { suggest: _, ...older } = lexical.thresholdSources;
    expect(thresholdRows({ thresholdSources: older })).toEqual(['faq', 'answer', 'clarify', 'margin']);
  });
});

describe('thresholdRowText', () => {
  it('names the suggestion floor and says what it does, in Chinese and English', () => {
    expect(thresholdRowText(zh, neural, 'suggest')).toEqual({
      label: '推荐下限',
      value: '0.717',
      hint: '找不到答案时推荐的问题，得分须达到 0.717',
    });
    expect(thresholdRowText(en, neural, 'suggest')).toEqual({
      label: 'Suggestion floor',
      value: '0.717',
      hint: 'Fallback suggestions must score at least 0.717',
    });
  });

  it('gives the other thresholds their name and value only', () => {
    expect(thresholdRowText(en, neural, 'margin')).toEqual({ label: 'Clarify margin', value: '0.015' });
    expect(thresholdRowText(zh, lexical, 'faq')).toEqual({ label: '问答匹配', value: '0.276' });
  });
});
