/**
 * What the answer pipeline returns: one of four outcomes (an FAQ's answer, a span extracted from a
 * passage or FAQ answer, a clarification between close candidates, a fallback), with the evidence
 * behind it and the time each stage took. The REST ask API and the chat service send it as it is.
 */

export type AnswerMode = 'neural' | 'lexical';
export type AnswerType = 'faq' | 'extracted' | 'clarify' | 'fallback';

export interface FaqSource {
  kind: 'faq';
  id: string;
  question: string;
  /** The FAQ answer; for an extracted answer, start/end point into it. */
  text: string;
  documentId: string | null;
  start?: number;
  end?: number;
}

export interface PassageSource {
  kind: 'passage';
  id: string;
  documentId: string;
  fileName: string;
  ordinal: number;
  /** The passage text; `start`/`end` are the answer's UTF-16 offsets into it. */
  text: string;
  start: number;
  end: number;
  /** The same span as offsets into the document's extracted text. */
  documentStart: number;
  documentEnd: number;
}

export interface AnswerAlternative {
  answer: string;
  type: 'faq' | 'extracted';
  confidence: number;
  source: FaqSource | PassageSource;
  /** Extracted by the lexical reader: the kind of answer that shaped the span (duration, money, sentence ...). */
  answerType?: string;
}

/** A choice offered by a clarification (and the FAQ it answers with when chosen). */
export interface ClarifyOption {
  faqId: string;
  question: string;
  confidence: number;
}

/** The thresholds a decision was made with. */
export interface AnswerThresholds {
  /** Best FAQ confidence at or above which the FAQ's answer is returned. */
  faq: number;
  /** Reader span probability at or above which an extracted answer is returned. */
  answer: number;
  /** Below `faq` but at or above this, close FAQ candidates are offered as a clarification. */
  clarify: number;
  /** Two candidates above `faq` closer than this are a close call: the user is asked which. */
  margin: number;
  /**
   * A fallback suggests the FAQ entries scoring at least this (calibrated in neural mode, where
   * unrelated entries score close to the clarify threshold); absent: SUGGESTION_FLOOR x `clarify`.
   */
  suggest?: number;
}

/**
 * Why the pipeline decided as it did, as data (a code and the numbers compared), so a client can say
 * it in its own language; `AnswerEvidence.reason` is built from it in English. Scores and thresholds
 * are the ones in `faqCandidates` and `thresholds`; `reader` is the reader's best span probability,
 * absent when the reader found no span. `answerType` is the kind of answer the question asks for
 * (duration, money, time, date, count, percentage, place, phone, email, url, person).
 */
export type AnswerDecision =
  /** The best FAQ reached the FAQ threshold with no close runner-up: its answer. */
  | { code: 'faq_confident'; values: { score: number; faq: number } }
  /** Two FAQ entries above the FAQ threshold within the margin; a typed span from the reader answered. */
  | {
      code: 'close_call_read';
      values: { best: number; second: number; margin: number; reader: number; answer: number };
    }
  /** Two FAQ entries above the FAQ threshold within the margin, and the reader did not settle it: ask which. */
  | { code: 'close_call_clarify'; values: { best: number; second: number; margin: number } }
  /** The best FAQ reached its threshold but its answer lacks the asked-for kind; the reader found one in a document. */
  | {
      code: 'asked_type_read';
      values: { answerType: string; score: number; faq: number; reader: number; answer: number };
    }
  /** As above, but the reader found no such span: the FAQ answered after all. */
  | {
      code: 'asked_type_faq';
      values: { answerType: string; score: number; faq: number; reader?: number; answer: number };
    }
  /** The best FAQ reached its threshold but never names the question's subject (`words`), which a document does; the reader found the asked-for kind there. */
  | {
      code: 'unnamed_subject_read';
      values: { words: string; score: number; faq: number; reader: number; answer: number };
    }
  /** As above, but the reader found no such span in a document naming it: the FAQ answered after all. */
  | {
      code: 'unnamed_subject_faq';
      values: { words: string; score: number; faq: number; reader?: number; answer: number };
    }
  /** The best FAQ reached its threshold by the encoder alone (no word shared); the reader answered from a document. */
  | { code: 'unshared_words_read'; values: { score: number; faq: number; reader: number; answer: number } }
  /** As above, but the reader found no answer in a document: the FAQ answered after all. */
  | { code: 'unshared_words_faq'; values: { score: number; faq: number; reader?: number; answer: number } }
  /** No FAQ reached the FAQ threshold (`best` 0 when there was none); the reader's span answered. */
  | { code: 'reader_answered'; values: { best: number; faq: number; reader: number; answer: number } }
  /** The best FAQ is between the clarify and FAQ thresholds: the close-enough entries are offered. */
  | { code: 'clarify_band'; values: { score: number; clarify: number; faq: number } }
  /**
   * Nothing reached its threshold: the best FAQ is below the clarify threshold, and the reader's span
   * (if any) is below the answer threshold or was read from an FAQ answer that does not match.
   */
  | { code: 'fallback'; values: { best: number; clarify: number; reader?: number; answer: number } }
  /** Not the pipeline's: the customer picked option `option` (1-based) of a clarification in a chat. */
  | { code: 'clarification_chosen'; values: { option: number } };

export type AnswerDecisionCode = AnswerDecision['code'];

export interface AnswerEvidence {
  thresholds: AnswerThresholds;
  /**
   * FAQ candidates best first: `score` is the fused confidence the thresholds compare; `lexical` the
   * IDF-weighted Dice confidence, `bm25` the character BM25 as a share of its maximum, `vector` the
   * cosine to the closest phrasing and `sharesWord` whether the entry has a word of the question
   * besides question-type words (neural mode).
   */
  faqCandidates: Array<{
    faqId: string;
    question: string;
    score: number;
    lexical: number;
    bm25: number;
    vector?: number;
    sharesWord?: boolean;
    phrasing: number;
  }>;
  /** Read by the reader, best first: `score` ranks them (RRF in hybrid mode), `bm25` and `vector` are each list's own score where the passage was in it. */
  passages: Array<{ kind: 'passage' | 'faq'; id: string; score: number; bm25?: number; vector?: number }>;
  /** The reader's best span probability, when the reader ran. */
  readerConfidence?: number;
  /**
   * English words of the question read as the KB's words (typo tolerance: 'lnog' as 'long', within
   * `distance` edits), and the question as FAQ matching read it; absent when nothing was corrected.
   */
  corrections?: Array<{ from: string; to: string; distance: number }>;
  corrected?: string;
  /** Why this outcome, as a code and the numbers compared (clients word it in their own language). */
  decision: AnswerDecision;
  /** The same decision in English words (for logs and older clients): `decisionReason(decision)`. */
  reason: string;
}

export interface AnswerTimings {
  total: number;
  embed: number;
  faq: number;
  retrieve: number;
  read: number;
}

export interface AnswerOutcome {
  answer: string;
  type: AnswerType;
  mode: AnswerMode;
  source: FaqSource | PassageSource | null;
  confidence: number;
  alternatives: AnswerAlternative[];
  /** Clarification only: the candidates to choose from. */
  options: ClarifyOption[];
  /** Fallback only: FAQ questions the user may have meant. */
  suggestions: string[];
  /** Fallback only: offer a human agent. */
  handoff: boolean;
  /** Extracted by the lexical reader: the kind of answer that shaped the span. */
  answerType?: string;
  kbVersion: number;
  evidence: AnswerEvidence;
  timings: AnswerTimings;
}
