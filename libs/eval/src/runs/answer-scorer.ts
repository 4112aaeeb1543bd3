/**
 * Picks the official answer metric for a language (SQuAD's for English, CMRC's character-level one
 * for Chinese), plus a looser check that suits sentence-returning readers: does the answer contain
 * a gold answer at all?
 */
import type { Language } from '../datasets/dataset-catalog';
import { cmrcAnswerScore, cmrcStripPunctuation } from '../metrics/cmrc-answer-metric';
import { normalizeSquadAnswer, squadAnswerScore, type AnswerScore } from '../metrics/squad-answer-metric';

export type AnswerScorer = (prediction: string, golds: readonly string[]) => AnswerScore;

export function answerScorer(language: Language): AnswerScorer {
  return language === 'zh' ? cmrcAnswerScore : squadAnswerScore;
}

/**
 * True when some gold answer occurs inside the prediction after the language's normalisation (for
 * Chinese also ignoring spaces). A whole sentence around the right answer passes; EM/F1 punish it.
 */
export function answerContainsGold(
  prediction: string,
  golds: readonly string[],
  language: Language,
): boolean {
  const norm =
    language === 'zh'
      ? (t: string) => cmrcStripPunctuation(t).replace(/\s+/g, '')
      : (t: string) => ` ${normalizeSquadAnswer(t)} `;
  const predicted = norm(prediction);
  return prediction.trim() !== '' && golds.some((g) => norm(g).trim() !== '' && predicted.includes(norm(g)));
}
