import { describe, expect, it } from 'vitest';
import { calibrationText } from './calibration-text';
import { translate } from './i18n';
import type { CalibrationReport } from './types';

const zh = (key: string, vars?: Record<string, string | number>) => translate('zh', key as never, vars);
const en = (key: string, vars?: Record<string, string | number>) => translate('en', key as never, vars);

const report = (extra: Partial<CalibrationReport>): CalibrationReport => ({
  reason: 'calibrated on 208 test questions and 353 out-of-domain questions',
  targetPrecision: 0.9,
  targetReached: true,
  ...extra,
});

describe('calibrationText', () => {
  it('says in the console language what calibration measured and chose', () => {
    const c = {
      calibrated: true,
      thresholds: { faq: 0.506, margin: 0.05 },
      report: report({ probeTarget: 0.85, precision: 0.851, positives: 208, negatives: 353 }),
    };
    expect(calibrationText(zh, c)).toBe(
      '已按目标准确率 0.90 自动校准：用本库的 208 个测试问题和 353 个库外问题，选出问答匹配阈值 0.506 和澄清间距 0.05，测试问题的准确率 85.1%（要求 85.0%）。',
    );
    expect(calibrationText(en, c)).toMatch(
      /^Calibrated for a target precision of 0.90 on 208 .*FAQ threshold 0.506, clarify margin 0.05,/,
    );
    const missed = {
      ...c,
      thresholds: { faq: 0.3, margin: 0.3 },
      report: { ...c.report, targetReached: false, precision: 0.77 },
    };
    expect(calibrationText(zh, missed)).toMatch(/没有哪个阈值和澄清间距.*最好 77.0%，间距 0.30/);
    // Newer reports also say how many questions the KB does not cover would not fall back.
    const uncovered = { ...c, report: { ...c.report, uncoveredNotFallingBack: 0.18 } };
    expect(calibrationText(zh, uncovered)).toMatch(/。本库没有的同类问题.*有 18.0% 仍会得到回答或澄清。$/);
    expect(calibrationText(en, uncovered)).toMatch(/\(needed 85.0%\)\. Of the questions .* 18.0% would/);
  });

  it('says a KB is too small, and falls back to the English reason for reports stored before', () => {
    const small = { calibrated: false, report: report({ targetReached: false, positives: 8 }) };
    expect(calibrationText(zh, small)).toBe(
      '知识库太小，暂不校准（至少需要 5 条问答、12 个测试问题），先使用默认阈值。',
    );
    const old = { calibrated: true, report: report({}) };
    expect(calibrationText(zh, old)).toBe(
      '校准：calibrated on 208 test questions and 353 out-of-domain questions',
    );
    expect(calibrationText(zh, null)).toBe('尚未校准：使用默认阈值。');
  });
});
