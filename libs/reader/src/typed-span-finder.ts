/**
 * Narrows a sentence to the span the question asks for (a duration, an amount, a phone number ...)
 * using the answer-type table; when several spans match, the one nearest the question's own words wins.
 */
import { toHalfWidth } from '@wendao/text';
import { ANSWER_TYPE_CUES, ANSWER_TYPE_PATTERNS, type AnswerType } from './answer-type-table';
import type { TermHit } from './question-terms';

export interface TypedSpan {
  /** Offsets into the text given to find(). */
  start: number;
  end: number;
  answerType: AnswerType;
}

/** The table's patterns with the `d` flag added, so a named `ans` group reports its own offsets. */
const PATTERNS: Record<string, RegExp[]> = Object.fromEntries(
  Object.entries(ANSWER_TYPE_PATTERNS).map(([type, list]) => [
    type,
    list.map((p) => new RegExp(p.source, p.flags.includes('d') ? p.flags : `${p.flags}d`)),
  ]),
);

/** Gap in characters between a span and the nearest question-term hit (0 when they touch or overlap). */
function distanceToHits(start: number, end: number, hits: TermHit[]): number {
  let best = Infinity;
  for (const h of hits) {
    const gap = h.end <= start ? start - h.end : h.start >= end ? h.start - end : 0;
    if (gap < best) best = gap;
  }
  return best;
}

export class TypedSpanFinder {
  /** Answer types a question asks for, most likely first; empty when it asks for none of them. */
  static answerTypes(question: string): AnswerType[] {
    const q = toHalfWidth(question);
    const types: AnswerType[] = [];
    for (const { cue, types: rowTypes } of ANSWER_TYPE_CUES) {
      if (cue.test(q)) for (const t of rowTypes) if (!types.includes(t)) types.push(t);
    }
    return types;
  }

  /**
   * The best span of the first type (in the question's order) that has any match in the text, or
   * null. `hits` are where the question's terms occur in the same text.
   */
  static find(text: string, types: AnswerType[], hits: TermHit[]): TypedSpan | null {
    const folded = toHalfWidth(text); // same length: offsets stay valid for `text`
    for (const answerType of types) {
      let best: (TypedSpan & { distance: number }) | null = null;
      for (const pattern of PATTERNS[answerType]) {
        pattern.lastIndex = 0;
        for (const m of folded.matchAll(pattern)) {
          const range = m.indices?.groups?.ans ?? m.indices![0];
          let [start, end] = range;
          // Patterns may pick up surrounding spaces; the span should not.
          while (start < end && /\s/.test(folded[start])) start++;
          while (end > start && /\s/.test(folded[end - 1])) end--;
          if (end <= start) continue;
          const distance = hits.length ? distanceToHits(start, end, hits) : start;
          // Equally near: the longer span, so "9:30 am" beats the "9:30" inside it.
          const better =
            !best ||
            distance < best.distance ||
            (distance === best.distance && end - start > best.end - best.start);
          if (better) best = { start, end, answerType, distance };
        }
      }
      if (best) return { start: best.start, end: best.end, answerType: best.answerType };
    }
    return null;
  }
}
