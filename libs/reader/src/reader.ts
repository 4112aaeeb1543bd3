/**
 * The reader contract shared by the neural (BERT extractive QA) and lexical readers: given a
 * question and candidate passages, return answer spans that point exactly into those passages.
 */

/** One extracted answer: a slice of one passage, with its score and a probability comparable across passages. */
export interface AnswerSpan {
  text: string;
  /** UTF-16 offset into passages[passageIndex] of the first answer character. */
  start: number;
  /** UTF-16 offset one past the last answer character; text === passages[passageIndex].slice(start, end). */
  end: number;
  passageIndex: number;
  /** Raw score: start+end logit for the neural reader, the overlap confidence for the lexical one. */
  score: number;
  /** In [0, 1]; comparable with noAnswer.probability of the same result. */
  probability: number;
  /** Lexical reader only: the answer type that shaped the span (duration, money, ..., sentence). */
  answerType?: string;
  /**
   * Lexical reader only: the typed span is one of several of its type in its sentence that the
   * question's words point at equally (1-2天 among 1-2天, 3-5天, 7天 for 要几天), a pick, not an answer.
   */
  contested?: boolean;
}

export interface ReaderResult {
  /** Best first, n-best across all passages. */
  spans: AnswerSpan[];
  /** How strongly the reader believes none of the passages answers the question. */
  noAnswer: { score: number; probability: number };
  mode: 'neural' | 'lexical';
  /** Number of model windows read (neural), or passages read (lexical). */
  windows: number;
}

export interface ReaderOptions {
  /** Spans returned, default 3. */
  topK?: number;
  /** Longest answer in tokens, default 30. */
  maxAnswerLength?: number;
  /** Window length in tokens including special tokens, default 384 (capped by the model's limit). */
  maxSeqLength?: number;
  /** Tokens shared by consecutive windows of one passage, default 128. */
  docStride?: number;
  /** Question tokens kept, default 64. */
  maxQuestionLength?: number;
  /** Windows per ONNX run, default 8. */
  batchSize?: number;
  /**
   * Neural reader: widen spans that start or end inside a word ("mos" of "most", a word piece) to
   * the whole word, like the transformers QA pipeline's align_to_words. Default true.
   */
  alignToWords?: boolean;
}

export interface Reader {
  readonly mode: 'neural' | 'lexical';
  answer(question: string, passages: string[], options?: ReaderOptions): Promise<ReaderResult>;
  /** Frees what the reader holds (ONNX sessions); it must not be used afterwards. */
  close(): Promise<void>;
}

/** The defaults of ReaderOptions, resolved in one place so both readers and tests agree. */
export const DEFAULT_READER_OPTIONS: Required<ReaderOptions> = {
  topK: 3,
  maxAnswerLength: 30,
  maxSeqLength: 384,
  docStride: 128,
  maxQuestionLength: 64,
  batchSize: 8,
  alignToWords: true,
};
