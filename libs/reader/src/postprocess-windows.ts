/**
 * Turns start/end logits of reader windows into ranked answer spans (SQuAD 2.0 style post-processing):
 * n-best start/end pairs inside each window's passage tokens, a no-answer score from the [CLS] logits,
 * and one softmax over all candidates of all windows so probabilities compare across passages.
 */
import type { AnswerSpan } from './reader';
import type { ReaderWindow } from './reader-windows';

/** Logits of one window, indexed by sequence position (padding beyond the window is ignored). */
export interface WindowLogits {
  start: ArrayLike<number>;
  end: ArrayLike<number>;
}

export interface PostprocessOptions {
  /** Spans returned. */
  topK: number;
  /** Longest span in tokens. */
  maxAnswerLength: number;
  /** Start and end candidates considered per window, and spans kept for the softmax (HF n_best_size). */
  nBest?: number;
  /** Widen spans to whole words (letters and digits runs), so no answer ends mid-word. Default false. */
  alignToWords?: boolean;
}

export interface PostprocessResult {
  spans: AnswerSpan[];
  noAnswer: { score: number; probability: number };
}

// Characters that make up a word for alignment: letters and digits, but not CJK ideographs, where
// every character is a word of its own.
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWordChar = (ch: string | undefined) =>
  ch !== undefined && WORD_CHAR.test(ch) && !/\p{Script=Han}/u.test(ch);

/** [start, end) widened so that neither edge cuts a word in two. */
function alignToWords(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s > 0 && isWordChar(text[s - 1]) && isWordChar(text[s])) s--;
  while (e < text.length && isWordChar(text[e - 1]) && isWordChar(text[e])) e++;
  return [s, e];
}

/** Indices (into values, offset by `from`) of the n largest entries of values[from..to). */
function topIndices(values: ArrayLike<number>, from: number, to: number, n: number): number[] {
  const idx: number[] = [];
  for (let i = from; i < to; i++) idx.push(i);
  idx.sort((a, b) => values[b] - values[a]);
  return idx.slice(0, n);
}

export function postprocessWindows(
  windows: ReaderWindow[],
  logits: WindowLogits[],
  passages: string[],
  options: PostprocessOptions,
): PostprocessResult {
  if (windows.length !== logits.length) {
    throw new Error(`postprocessWindows: ${windows.length} windows but ${logits.length} logit sets`);
  }
  const nBest = options.nBest ?? 20;
  const candidates = new Map<string, AnswerSpan>();
  let nullScore = Infinity;

  windows.forEach((window, w) => {
    const { start, end } = logits[w];
    const tokens = window.tokenEnd - window.tokenStart;
    const first = window.contextOffset;
    const last = first + tokens; // exclusive: the closing [SEP] is not a passage token
    if (start.length < last || end.length < last) {
      throw new Error(`window ${w}: logits cover ${start.length} positions, the window needs ${last}`);
    }
    // [CLS] sits at position 0 in both templates; the least confident window decides, as in SQuAD 2.0.
    nullScore = Math.min(nullScore, start[0] + end[0]);

    const passage = passages[window.passageIndex];
    const ends = topIndices(end, first, last, nBest);
    for (const s of topIndices(start, first, last, nBest)) {
      const sTok = s - first;
      if (!window.maxContext[sTok]) continue;
      for (const e of ends) {
        if (e < s || e - s + 1 > options.maxAnswerLength) continue;
        let charStart = window.charOffsets[sTok][0];
        let charEnd = window.charOffsets[e - first][1];
        if (charEnd <= charStart) continue;
        if (options.alignToWords) [charStart, charEnd] = alignToWords(passage, charStart, charEnd);
        const score = start[s] + end[e];
        const key = `${window.passageIndex}:${charStart}:${charEnd}`;
        const seen = candidates.get(key);
        if (seen && seen.score >= score) continue;
        candidates.set(key, {
          text: passage.slice(charStart, charEnd),
          start: charStart,
          end: charEnd,
          passageIndex: window.passageIndex,
          score,
          probability: 0,
        });
      }
    }
  });

  if (windows.length === 0) {
    // Nothing was read, so nothing can answer: certain no-answer.
    return { spans: [], noAnswer: { score: 0, probability: 1 } };
  }
  const ranked = [...candidates.values()].sort((a, b) => b.score - a.score).slice(0, nBest);
  const maxScore = Math.max(nullScore, ...ranked.map((c) => c.score));
  const nullWeight = Math.exp(nullScore - maxScore);
  const weights = ranked.map((c) => Math.exp(c.score - maxScore));
  const total = nullWeight + weights.reduce((a, b) => a + b, 0);
  ranked.forEach((c, i) => (c.probability = weights[i] / total));
  return {
    spans: ranked.slice(0, options.topK),
    noAnswer: { score: nullScore, probability: nullWeight / total },
  };
}
