/**
 * Which thresholds decide a KB's answers, and why: the admin's own values where set, else the values
 * calibrated on the KB's own content (see threshold-calibrator.ts), else the mode defaults below.
 */
import type { AnswerMode, AnswerThresholds } from './answer-outcome';
import { suggestionFloor } from './answer-pipeline';

/**
 * Defaults for a KB too small to calibrate (and until its first calibration finishes, about a second
 * after a publish). Lexical FAQ confidence is LexicalFaqScorer's IDF-weighted match fused with the
 * character channel; faq, clarify and margin are the means of what calibration chose on the two shop
 * dev sets (`wendao eval shop zh-dev en-dev --lexical`: zh-dev 0.21 / 0.21 / 0.08, en-dev 0.26 /
 * 0.26 / 0.12; docs/evaluation.md).
 * Lexical answer: the lexical reader's question-term overlap, 0.46 from CMRC 2018 + DRCD dev
 * (max right-minus-wrong answers, `wendao eval thresholds --lexical`).
 * Neural FAQ confidence is the phrasing cosine blended with the fused lexical score and the answer
 * text's cosine; faq / clarify / margin are the means of what calibration chose on the shop dev sets
 * with the reference multilingual encoder (`wendao eval shop zh-dev en-dev --models-dir models
 * --embedder intfloat/multilingual-e5-small-q4`: zh-dev 0.76 / 0.76 / 0.015, en-dev 0.74 / 0.74 /
 * 0.035). Neural
 * answer 0.35 (the QA reader's span probability against no-answer) is a starting point: no
 * extractive-QA weights can be had on our machines to tune it.
 */
export const DEFAULT_THRESHOLDS: Record<AnswerMode, AnswerThresholds> = {
  lexical: { faq: 0.24, answer: 0.46, clarify: 0.24, margin: 0.1 },
  neural: { faq: 0.75, answer: 0.35, clarify: 0.75, margin: 0.025 },
};

export type ThresholdSource = 'admin' | 'calibrated' | 'default';

export interface ThresholdInForce {
  value: number;
  source: ThresholdSource;
}

/** A KB's calibration result as stored with the KB. */
export interface StoredCalibration {
  /** False when the KB was too small to calibrate: the defaults stay in force. */
  calibrated: boolean;
  kbVersion: number;
  /** The score modes it was calibrated for; a calibration for other models does not apply. */
  modes: { faq: AnswerMode; answer: AnswerMode };
  thresholds: AnswerThresholds;
  calibratedAt: string;
}

export interface ThresholdsInForce {
  /** `suggest` only where calibrated; without it the pipeline takes a share of `clarify` (explained.suggest). */
  thresholds: AnswerThresholds;
  explained: Record<keyof AnswerThresholds, ThresholdInForce>;
}

/**
 * The thresholds in force for a KB: per value, the admin's where set (FAQ and answer thresholds),
 * else the calibration's when it was made for the same score modes, else the default of the mode
 * that produces that score.
 */
export function thresholdsFor(
  modes: { faq: AnswerMode; answer: AnswerMode },
  kb: { faqThreshold: number | null; answerThreshold: number | null },
  calibration?: StoredCalibration | null,
): ThresholdsInForce {
  const usable =
    calibration?.calibrated &&
    calibration.modes.faq === modes.faq &&
    calibration.modes.answer === modes.answer
      ? calibration.thresholds
      : undefined;
  const pick = (
    key: 'faq' | 'answer' | 'clarify' | 'margin',
    admin: number | null,
    mode: AnswerMode,
  ): ThresholdInForce => {
    if (admin !== null && admin !== undefined) return { value: admin, source: 'admin' };
    if (usable) return { value: usable[key], source: 'calibrated' };
    return { value: DEFAULT_THRESHOLDS[mode][key], source: 'default' };
  };
  const explained = {
    faq: pick('faq', kb.faqThreshold, modes.faq),
    answer: pick('answer', kb.answerThreshold, modes.answer),
    clarify: pick('clarify', null, modes.faq),
    margin: pick('margin', null, modes.faq),
  };
  // An admin's FAQ threshold below the calibrated clarify floor would make the floor meaningless.
  explained.clarify.value = Math.min(explained.clarify.value, explained.faq.value);
  // The fallback's suggestion floor: the calibrated one (neural mode, calibrations since it was added),
  // else a share of the clarify threshold in force.
  const suggest: ThresholdInForce =
    usable?.suggest !== undefined
      ? { value: Math.min(usable.suggest, explained.clarify.value), source: 'calibrated' }
      : {
          value: suggestionFloor({ ...DEFAULT_THRESHOLDS[modes.faq], clarify: explained.clarify.value }),
          source: 'default',
        };
  return {
    thresholds: {
      faq: explained.faq.value,
      answer: explained.answer.value,
      clarify: explained.clarify.value,
      margin: explained.margin.value,
      ...(suggest.source === 'calibrated' ? { suggest: suggest.value } : {}),
    },
    explained: { ...explained, suggest },
  };
}
