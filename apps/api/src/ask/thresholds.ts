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
  // Lexical FAQ confidence is a character-bigram/word Dice similarity (faq-similarity.ts): 0.6
  // accepts reorderings and small wording changes, rejects questions that only share a topic word.
  // The lexical reader's probability is an overlap confidence; 0.3 keeps typed spans (7天内, ¥99)
  // whose sentence shares the question's key terms.
  lexical: { faq: 0.6, answer: 0.3 },
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
