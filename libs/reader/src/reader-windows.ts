/**
 * Splits tokenized passages into model windows the way SQuAD readers do (HF run_qa): the question
 * once per window, passage-only truncation, consecutive windows sharing `docStride` tokens, so text
 * longer than the model's position limit is still read in full.
 */

/** A text already split into tokens, with UTF-16 [start, end) offsets of each token into the text. */
export interface TokenizedText {
  ids: ArrayLike<number>;
  offsets: ArrayLike<readonly [number, number] | readonly number[]>;
}

/** How a question/passage pair is laid out: `[CLS] q [SEP] p [SEP]` (bert) or `<s> q </s></s> p </s>` (roberta). */
export interface PairTemplate {
  cls: number;
  sep: number;
  pad: number;
  pairTemplate: 'bert' | 'roberta';
}

/** One model input: the question with one stretch of one passage. */
export interface ReaderWindow {
  passageIndex: number;
  inputIds: number[];
  tokenTypeIds: number[];
  /** Sequence position of the window's first passage token. */
  contextOffset: number;
  /** Index (into the passage's tokens) of the first passage token in this window. */
  tokenStart: number;
  /** One past the last passage token in this window. */
  tokenEnd: number;
  /** UTF-16 [start, end) offsets into the passage of each window passage token (length tokenEnd - tokenStart). */
  charOffsets: Array<[number, number]>;
  /**
   * Per window passage token: true when this window gives the token more context on both sides than
   * any other window (the original BERT "max context" rule), so a span seen twice is taken once.
   */
  maxContext: boolean[];
}

export interface WindowOptions {
  maxSeqLength: number;
  docStride: number;
  maxQuestionLength: number;
}

/** Special tokens each template spends around the pair. */
function specialTokenCount(template: PairTemplate['pairTemplate']): number {
  return template === 'roberta' ? 4 : 3;
}

/** Start indices of the passage windows: step = length - stride, the last window ends at the passage end. */
function windowStarts(tokenCount: number, windowLength: number, stride: number): number[] {
  if (tokenCount === 0) return [];
  const step = windowLength - stride;
  const starts: number[] = [];
  for (let start = 0; ; start += step) {
    starts.push(start);
    if (start + windowLength >= tokenCount) break;
  }
  return starts;
}

/** Builds every window of every passage, in passage order. Passages with no tokens get no window. */
export function buildReaderWindows(
  question: TokenizedText,
  passages: TokenizedText[],
  template: PairTemplate,
  options: WindowOptions,
): ReaderWindow[] {
  const { maxSeqLength, docStride, maxQuestionLength } = options;
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < 8) {
    throw new Error(`maxSeqLength must be an integer >= 8, got ${maxSeqLength}`);
  }
  if (!Number.isInteger(docStride) || docStride < 0) {
    throw new Error(`docStride must be a non-negative integer, got ${docStride}`);
  }
  if (!Number.isInteger(maxQuestionLength) || maxQuestionLength < 1) {
    throw new Error(`maxQuestionLength must be a positive integer, got ${maxQuestionLength}`);
  }
  const questionIds = Array.from(question.ids).slice(0, maxQuestionLength);
  const windowLength = maxSeqLength - questionIds.length - specialTokenCount(template.pairTemplate);
  if (windowLength < 2) {
    throw new Error(
      `maxSeqLength ${maxSeqLength} leaves no room for the passage after a ${questionIds.length}-token question`,
    );
  }
  // A stride as long as the window would never advance; halve the window instead, which still
  // gives every token some context on both sides.
  const stride = docStride < windowLength ? docStride : Math.floor(windowLength / 2);

  const isRoberta = template.pairTemplate === 'roberta';
  const prefix = isRoberta
    ? [template.cls, ...questionIds, template.sep, template.sep]
    : [template.cls, ...questionIds, template.sep];
  const contextOffset = prefix.length;
  const prefixTypes = new Array<number>(prefix.length).fill(0);
  const passageType = isRoberta ? 0 : 1;

  const windows: ReaderWindow[] = [];
  passages.forEach((passage, passageIndex) => {
    const ids = Array.from(passage.ids);
    if (passage.offsets.length !== ids.length) {
      throw new Error(
        `passage ${passageIndex}: ${ids.length} token ids but ${passage.offsets.length} offsets`,
      );
    }
    const starts = windowStarts(ids.length, windowLength, stride);
    const spans = starts.map((s) => [s, Math.min(s + windowLength, ids.length)] as const);
    for (const [tokenStart, tokenEnd] of spans) {
      const body = ids.slice(tokenStart, tokenEnd);
      const charOffsets: Array<[number, number]> = [];
      const maxContext: boolean[] = [];
      for (let t = tokenStart; t < tokenEnd; t++) {
        const o = passage.offsets[t];
        charOffsets.push([o[0], o[1]]);
        maxContext.push(bestContextWindow(spans, t, windowLength - stride) === tokenStart);
      }
      windows.push({
        passageIndex,
        inputIds: [...prefix, ...body, template.sep],
        tokenTypeIds: [...prefixTypes, ...new Array<number>(body.length + 1).fill(passageType)],
        contextOffset,
        tokenStart,
        tokenEnd,
        charOffsets,
        maxContext,
      });
    }
  });
  return windows;
}

/** The start of the window where token t has the most context: min(left, right) + 0.01 * window length. */
function bestContextWindow(spans: ReadonlyArray<readonly [number, number]>, t: number, step: number): number {
  let best = -1;
  let bestScore = -Infinity;
  // Window k starts at k * step, so only the few windows around t / step can hold t.
  const windowLength = spans[0][1] - spans[0][0];
  const first = Math.max(0, Math.floor((t - windowLength) / step));
  const last = Math.min(spans.length - 1, Math.floor(t / step));
  for (let k = first; k <= last; k++) {
    const [start, end] = spans[k];
    if (t < start || t >= end) continue;
    const score = Math.min(t - start, end - 1 - t) + 0.01 * (end - start);
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  return best;
}
