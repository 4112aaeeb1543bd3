/**
 * Default decision thresholds per answer mode, used when a knowledge base sets none of its own.
 * Starting points chosen by hand on the demo KB; the eval helper tunes them on the dev sets in
 * ../shared/datasets and updates these constants (see docs/configuration.md).
 */

export type AnswerMode = 'neural' | 'lexical';

export interface ModeThresholds {
  /** Best FAQ match confidence at or above which the FAQ's answer is returned. */
  faq: number;
  /** Reader span probability at or above which an extracted answer is returned. */
  answer: number;
}

export const DEFAULT_THRESHOLDS: Record<AnswerMode, ModeThresholds> = {
  // Lexical FAQ confidence is a character-bigram/word Dice similarity (faq-similarity.ts): 0.7
  // accepts reorderings and small wording changes but not two-of-three shared content words
  // ("How long does delivery take?" vs "How long does a refund take?" scores 0.67).
  // The lexical reader's probability is its question-term overlap: 0.45 keeps typed spans whose
  // sentence holds the question's key term (退货期限是多久 -> 7天内 scores 0.5) and drops sentences
  // that share only a generic word (支持, 城市) with the question.
  lexical: { faq: 0.7, answer: 0.45 },
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
