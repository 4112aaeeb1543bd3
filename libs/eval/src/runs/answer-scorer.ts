/**
 * Picks the official answer metric for a language: SQuAD's for English, CMRC's character-level one
 * for Chinese (simplified or traditional).
 */
import type { Language } from '../datasets/dataset-catalog';
import { cmrcAnswerScore } from '../metrics/cmrc-answer-metric';
import { squadAnswerScore, type AnswerScore } from '../metrics/squad-answer-metric';

export type AnswerScorer = (prediction: string, golds: readonly string[]) => AnswerScore;

export function answerScorer(language: Language): AnswerScorer {
  return language === 'zh' ? cmrcAnswerScore : squadAnswerScore;
}
