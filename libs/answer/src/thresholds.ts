/**
 * Default decision thresholds per answer mode, used when a knowledge base sets none of its own.
 * The lexical ones are tuned on the dev sets in ../shared/datasets by `wendao eval thresholds`
 * (bench/results/eval-thresholds-faq+answer.json, docs/evaluation.md "Default thresholds").
 */

export type AnswerMode = 'neural' | 'lexical';

export interface ModeThresholds {
  /** Best FAQ match confidence at or above which the FAQ's answer is returned. */
  faq: number;
  /** Reader span probability at or above which an extracted answer is returned. */
  answer: number;
}

export const DEFAULT_THRESHOLDS: Record<AnswerMode, ModeThresholds> = {
  // FAQ: Dice over CJK bigrams/English words (@wendao/retriever faqSimilarity). 0.67 is the lowest
  // threshold from which every FAQ retrieval set keeps precision >= 0.9 (`wendao eval thresholds
  // --lexical`): BANKING77 90.9% precise at 65.1% coverage, StackFAQ 100% at 6.4%. Chinese hard
  // negatives are beyond a lexical score: LCQMC dev pairs are 67.9% precise here, AFQMC 48.6%
  // (no threshold reaches 90% on AFQMC), so Chinese KBs with near-miss FAQs want neural mode.
  // Answer: the lexical reader's question-term overlap. 0.46 maximises right-minus-wrong answers
  // (right = answer contains gold) over CMRC 2018 + DRCD dev, end to end over BM25 top 5:
  // CMRC 63.9% precise at 86.8% coverage, DRCD 75.2% at 83.3%. No threshold makes the lexical
  // reader 80% precise (F1 >= 0.5: at most 55%); English SQuAD alone would pick 0.70.
  lexical: { faq: 0.67, answer: 0.46 },
  // Not tunable here (no pretrained weights on this machine): starting points until
  // `wendao eval thresholds --models-dir <dir>` is run with the deployed models.
  // Neural FAQ confidence is the cosine between sentence embeddings; reader probability is the
  // span's softmax share against the no-answer score.
  neural: { faq: 0.85, answer: 0.35 },
};

/**
 * The thresholds in force: the KB's own where set, else the defaults of the mode that produces
 * each score (FAQ confidence: cosine with an encoder, Dice without; answer: the reader's mode).
 */
export function thresholdsFor(
  modes: { faq: AnswerMode; answer: AnswerMode },
  kb: { faqThreshold: number | null; answerThreshold: number | null },
): ModeThresholds {
  return {
    faq: kb.faqThreshold ?? DEFAULT_THRESHOLDS[modes.faq].faq,
    answer: kb.answerThreshold ?? DEFAULT_THRESHOLDS[modes.answer].answer,
  };
}
