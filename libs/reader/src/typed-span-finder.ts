/**
 * Narrows a sentence to the span the question asks for (a duration, an amount, a phone number ...)
 * using the answer-type table; when several spans match, the one nearest the question's own words wins.
 */
import { toHalfWidth } from '@wendao/text';
import {
  ANSWER_TYPE_CUES,
  ANSWER_TYPE_FALLBACKS,
  ANSWER_TYPE_PATTERNS,
  type AnswerType,
} from './answer-type-table';
import { foldTraditional } from './traditional-chars';
import type { TermHit } from './question-terms';

export interface TypedSpan {
  /** Offsets into the text given to find(). */
  start: number;
  end: number;
  answerType: AnswerType;
}

/** The table's patterns with the `d` flag added, so a named `ans` group reports its own offsets. */
function withIndices(table: Partial<Record<AnswerType, RegExp[]>>): Partial<Record<AnswerType, RegExp[]>> {
  return Object.fromEntries(
    Object.entries(table).map(([type, list]) => [
      type,
      list.map((p) => new RegExp(p.source, p.flags.includes('d') ? p.flags : `${p.flags}d`)),
    ]),
  );
}
const PATTERNS = withIndices(ANSWER_TYPE_PATTERNS);
const FALLBACKS = withIndices(ANSWER_TYPE_FALLBACKS);

/** Gap in characters between a span and the nearest question-term hit (0 when they touch or overlap). */
function distanceToHits(start: number, end: number, hits: TermHit[]): number {
  let best = Infinity;
  for (const h of hits) {
    const gap = h.end <= start ? start - h.end : h.start >= end ? h.start - end : 0;
    if (gap < best) best = gap;
  }
  return best;
}

/** True when every character of [start, end) is part of some question-term hit: the span says nothing new. */
function insideHits(start: number, end: number, hits: TermHit[]): boolean {
  for (let i = start; i < end; i++) {
    if (!hits.some((h) => h.start <= i && i < h.end)) return false;
  }
  return true;
}

export class TypedSpanFinder {
  /** Answer types a question asks for, most likely first; empty when it asks for none of them. */
  static answerTypes(question: string): AnswerType[] {
    const q = foldTraditional(toHalfWidth(question));
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
    const folded = foldTraditional(toHalfWidth(text)); // same length: offsets stay valid for `text`
    for (const answerType of types) {
      const best =
        TypedSpanFinder.nearest(folded, PATTERNS[answerType] ?? [], hits) ??
        TypedSpanFinder.nearest(folded, FALLBACKS[answerType] ?? [], hits);
      if (best) return { ...best, answerType };
    }
    return null;
  }

  /** The match of any pattern nearest the question's words; matches that only repeat the question are skipped. */
  private static nearest(
    text: string,
    patterns: RegExp[],
    hits: TermHit[],
  ): { start: number; end: number } | null {
    let best: { start: number; end: number; distance: number } | null = null;
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const m of text.matchAll(pattern)) {
        const range = m.indices?.groups?.ans ?? m.indices![0];
        let [start, end] = range;
        // Patterns may pick up surrounding spaces; the span should not.
        while (start < end && /\s/.test(text[start])) start++;
        while (end > start && /\s/.test(text[end - 1])) end--;
        if (end <= start || insideHits(start, end, hits)) continue;
        const distance = hits.length ? distanceToHits(start, end, hits) : start;
        // Equally near: the longer span, so "9:30 am" beats the "9:30" inside it.
        const better =
          !best ||
          distance < best.distance ||
          (distance === best.distance && end - start > best.end - best.start);
        if (better) best = { start, end, distance };
      }
    }
    return best && { start: best.start, end: best.end };
  }
}
