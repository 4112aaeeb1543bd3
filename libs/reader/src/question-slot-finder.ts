/**
 * Finds the answer to a Chinese wh-question by alignment: the words around the question word
 * (谁/什么/哪里/多少 ...) usually reappear around the answer, so "《X》是由[哪家公司]开发的" over
 * "《X》是由光荣开发的" gives 光荣. Used when no typed pattern narrows the sentence.
 */
import { foldText } from './question-terms';

export interface SlotSpan {
  /** Offsets into the sentence given to find(). */
  start: number;
  end: number;
}

// Question words that ask for a thing, person, place or amount. How/why questions (如何, 为什么)
// are left out on purpose: their answer is a whole clause or sentence, not a slot.
const WH_WORD =
  /(?:(?<!为)什么|甚么|谁|哪[里儿个些一位种家年天国所条座部本支首]?|多少|几(?!乎)|(?<![如为任])何[时处地人种]?|多[久长大高远重])/u;
const CLAUSE_BREAK = /[，。；;,、！？!?：:（）()《》“”"\n]/u;
const MAX_ANSWER_CHARS = 40;
const MAX_LEFT_SKIP = 2;
// The question word is often followed by a measure word and noun the answer does not repeat.
const MAX_RIGHT_SKIP = 4;
const MAX_ANCHOR = 12;

interface Anchor {
  /** Occurrences in the sentence: [start, end) of the matched question text. */
  at: Array<[number, number]>;
  score: number;
  length: number;
  skip: number;
}

// An answer bounded on one side only is trusted when that side matched solidly: at least three
// characters, right next to the question word. Two characters ("支付" of 支付方式) match too much.
const ONE_SIDED_MIN_LENGTH = 3;
const ONE_SIDED_MAX_SKIP = 1;
const solid = (a: Anchor | null): a is Anchor =>
  a !== null && a.length >= ONE_SIDED_MIN_LENGTH && a.skip <= ONE_SIDED_MAX_SKIP;

/** All occurrences of needle in text. */
function occurrences(text: string, needle: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1))
    found.push([i, i + needle.length]);
  return found;
}

/** The longest piece of `side` next to the question word (dropping at most maxSkip characters) found in text. */
function anchor(text: string, side: string, fromEnd: boolean, maxSkip: number): Anchor | null {
  let best: Anchor | null = null;
  for (let skip = 0; skip <= maxSkip; skip++) {
    for (let len = Math.min(MAX_ANCHOR, side.length - skip); len >= 2; len--) {
      const needle = fromEnd
        ? side.slice(side.length - skip - len, side.length - skip)
        : side.slice(skip, skip + len);
      if (/[\s，。？?]/.test(needle)) continue;
      const at = occurrences(text, needle);
      if (at.length === 0) continue;
      const score = len - 1.5 * skip;
      if (!best || score > best.score) best = { at, score, length: len, skip };
      break; // shorter needles at this skip can only score lower
    }
  }
  return best;
}

/** Index of the first clause break at or after `from` (or text.length). */
function clauseEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (CLAUSE_BREAK.test(text[i])) return i;
  return text.length;
}

/** Index one past the last clause break before `to` (or 0). */
function clauseStart(text: string, to: number): number {
  for (let i = to - 1; i >= 0; i--) if (CLAUSE_BREAK.test(text[i])) return i + 1;
  return 0;
}

export class QuestionSlotFinder {
  static find(question: string, sentence: string): SlotSpan | null {
    const q = foldText(question).replace(/[\s?？!！。.]+$/u, '');
    const wh = WH_WORD.exec(q);
    if (!wh) return null;
    const text = foldText(sentence);
    const left = anchor(text, q.slice(0, wh.index), true, MAX_LEFT_SKIP);
    const right = anchor(text, q.slice(wh.index + wh[0].length), false, MAX_RIGHT_SKIP);

    let span: SlotSpan | null = null;
    // Between two anchors, one of them must be more than a two-character coincidence.
    if (left && right && Math.max(left.length, right.length) >= ONE_SIDED_MIN_LENGTH) {
      // The tightest gap between a left anchor and a later right anchor.
      for (const [, lEnd] of left.at) {
        for (const [rStart] of right.at) {
          const gap = rStart - lEnd;
          if (gap > 0 && gap <= MAX_ANSWER_CHARS && (!span || gap < span.end - span.start)) {
            span = { start: lEnd, end: rStart };
          }
        }
      }
    }
    if (!span && solid(left) && (!right || left.score >= right.score)) {
      const lEnd = left.at[0][1];
      span = { start: lEnd, end: Math.min(clauseEnd(text, lEnd), lEnd + MAX_ANSWER_CHARS) };
    }
    if (!span && solid(right)) {
      const rStart = right.at[0][0];
      span = { start: Math.max(clauseStart(text, rStart), rStart - MAX_ANSWER_CHARS), end: rStart };
    }
    if (!span) return null;
    let { start, end } = span;
    while (start < end && /[\s，。、：:；;,"“”]/u.test(text[start])) start++;
    while (end > start && /[\s，。、：:；;,"“”]/u.test(text[end - 1])) end--;
    if (end <= start) return null;
    // An "answer" the question already contains is no answer, nor is a lone character (的, 便).
    if (end - start < 2 || q.includes(text.slice(start, end))) return null;
    return { start, end };
  }
}
