/**
 * Narrows a sentence to the span the question asks for (a duration, an amount, a phone number ...)
 * using the answer-type table. When several spans match, the question's qualifiers decide: the span
 * with the most question terms close by, in its own clause, wins (偏远地区加多少运费 -> the remote fee).
 */
import { toHalfWidth } from '@wendao/text';
import {
  ANSWER_TYPE_CUES,
  ANSWER_TYPE_FALLBACKS,
  ANSWER_TYPE_PATTERNS,
  REASON_QUESTION,
  BELOW_THRESHOLD_MARKER,
  BELOW_THRESHOLD_QUESTION,
  MEASURE_WORD,
  QUALIFIER_SYNONYMS,
  QUESTION_UNIT_CUES,
  RANGE_PART_CUES,
  RANGE_SPLIT,
  THRESHOLD_MARKER,
  THRESHOLD_QUESTION,
  countWithUnitPatterns,
  type AnswerType,
} from './answer-type-table';
import { foldTraditional } from './traditional-chars';
import type { TermHit } from './question-terms';

export interface TypedSpan {
  /** Offsets into the text given to find(). */
  start: number;
  end: number;
  answerType: AnswerType;
  /** Found only by a less specific pattern (a bare number for "how many"): weaker evidence. */
  fallback: boolean;
  /**
   * Another span of the same type in the text is pulled as strongly by the question's words: nothing
   * the question says chose this one (要几天 against 江浙沪1-2天，其他地区3-5天 took the first).
   */
  contested: boolean;
}

/** The patterns with the `d` flag added, so a named `ans` group reports its own offsets. */
function withIndices(list: RegExp[]): RegExp[] {
  return list.map((p) => new RegExp(p.source, p.flags.includes('d') ? p.flags : `${p.flags}d`));
}
function tableWithIndices(
  table: Partial<Record<AnswerType, RegExp[]>>,
): Partial<Record<AnswerType, RegExp[]>> {
  return Object.fromEntries(Object.entries(table).map(([type, list]) => [type, withIndices(list)]));
}
const PATTERNS = tableWithIndices(ANSWER_TYPE_PATTERNS);
const FALLBACKS = tableWithIndices(ANSWER_TYPE_FALLBACKS);

// How fast a question term's pull on a candidate span fades with the words between them (a CJK
// character or a Latin word each count one), and how much less a term counts when a clause break
// (，；, ...) lies between. Chosen on the shop dev sets' span questions (decay 6/12/24 words x
// clause weight 0.25/0.5/1: 12 and 0.25 best, en-dev EM 51.3 vs 48.7 at 0.5 and 1); CMRC 2018 /
// DRCD / SQuAD dev moved by at most 0.35 EM across that grid (docs/evaluation.md).
const PROXIMITY_DECAY_WORDS = 12;
const OTHER_CLAUSE_WEIGHT = 0.25;
const CLAUSE_BREAK = /[，,；;。！？!?：:]/u;
// An amount after 满/over is a threshold: it gets this much extra pull when the question asks for
// the threshold, and keeps this share of its pull otherwise (the fee below the threshold is asked).
const THRESHOLD_BONUS = 1;
const NOT_ASKED_THRESHOLD_WEIGHT = 0.5;
// How far back (characters) a threshold marker may sit before the amount: "orders over $75".
const THRESHOLD_LOOKBACK = 12;
// Two times of one place, an opening and a closing one (10:00开门，21:30关门; "opens at 10:00 and
// closes at 21:30"): the opening/closing word nearest each time, within these many characters before
// it ("closes at") or after it (21:30关门) in its clause, says which it is; the one the question asks
// for gets this extra pull and the other keeps this share of its own. Without it the place's name,
// nearer the first time, picked the opening time for 几点关门.
const TIME_CUE_BEFORE = 16;
const TIME_CUE_AFTER = 6;
const ASKED_PART_BONUS = 1;
const OTHER_PART_WEIGHT = 0.5;
const TIME_CUES = {
  from: new RegExp(RANGE_PART_CUES.start.source, 'giu'),
  to: new RegExp(RANGE_PART_CUES.end.source, 'giu'),
};

/**
 * How long a duration a question's unit asks for: 几年/几个月 a long one (years, months), 几个小时/几分钟
 * a short one. A duration span in the other scale is not the answer: 保修期一般是几年 is not answered by
 * 7-10个工作日 (a repair time), 几个小时能到 not by 12个月. Days and weeks go with either short or
 * medium questions (发货要几天 → 48小时内 is an answer), so only long vs not-long and short vs long clash.
 */
type DurationScale = 'long' | 'medium' | 'short';
const LONG_DURATION_QUESTION = /(?:几|多少)个?(?:年|月)|how\s+many\s+(?:years|months)\b/iu;
const SHORT_DURATION_QUESTION = /(?:几|多少)个?(?:小时|钟头|分钟)|how\s+many\s+(?:hours|minutes)\b/iu;
function spanScale(span: string): DurationScale | null {
  if (/年|月|years?\b|months?\b/iu.test(span)) return 'long';
  if (/小时|钟头|分钟|hours?\b|minutes?\b|mins?\b/iu.test(span)) return 'short';
  if (/天|日|周|星期|days?\b|weeks?\b/iu.test(span)) return 'medium';
  return null;
}

/** Gap in characters between a span and a hit (0 when they touch or overlap). */
function gap(start: number, end: number, hit: TermHit): number {
  return hit.end <= start ? start - hit.end : hit.start >= end ? hit.start - end : 0;
}

/** Words in a stretch of text: CJK characters one each, Latin words and numbers one each. */
function wordCount(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+/gu)) n++;
  return n;
}

/** True when every character of [start, end) is part of some question-term hit: the span says nothing new. */
function insideHits(start: number, end: number, hits: TermHit[]): boolean {
  for (let i = start; i < end; i++) {
    if (!hits.some((h) => h.start <= i && i < h.end)) return false;
  }
  return true;
}

interface Scored {
  start: number;
  end: number;
  /** Sum over the question's terms of their nearest occurrence's pull. */
  pull: number;
  /** Gap to the nearest hit, the tie-breaker. */
  distance: number;
}

export class TypedSpanFinder {
  private constructor(
    /** Answer types the question asks for, most likely first; empty when it asks for none of them. */
    readonly types: AnswerType[],
    /** Number-with-the-question's-noun patterns (100积分, "50 points"), tried first for counts. */
    private readonly unitPatterns: RegExp[],
    /** Which end of a time range the question asks for, if only one. */
    private readonly rangePart: 'from' | 'to' | null,
    /** The question asks for a threshold amount (满多少包邮, minimum order), not a fee. */
    private readonly asksThreshold: boolean,
    /** The question asks for what is paid below a threshold (没满包邮要付多少运费). */
    private readonly asksBelowThreshold: boolean,
    /** Text words that stand for one of the question's qualifiers (Saturday for "weekends"). */
    private readonly qualifierWords: RegExp[],
    /** The scale of duration the question's unit asks for (几年: long), if it names one. */
    private readonly durationScale: 'long' | 'short' | null = null,
  ) {}

  static forQuestion(question: string): TypedSpanFinder {
    const q = foldTraditional(toHalfWidth(question));
    const types = TypedSpanFinder.answerTypes(q);
    let unitPatterns: RegExp[] = [];
    let unit: string | undefined;
    // A why question asks for a reason: no counted noun makes it ask for a count either.
    for (const cue of REASON_QUESTION.test(q) ? [] : QUESTION_UNIT_CUES) {
      unit = cue.exec(q)?.groups?.unit;
      if (unit) {
        unitPatterns = withIndices(countWithUnitPatterns(unit));
        break;
      }
    }
    // A counted noun asks for a count even where no cue row says so (多少积分); a measure word
    // right after the question word outranks other cues (几张免运费券 asks for 2张, not a fee).
    if (unitPatterns.length && types.length === 0) types.push('count');
    if (unit && MEASURE_WORD.test(unit) && types.includes('count')) {
      types.splice(types.indexOf('count'), 1);
      types.unshift('count');
    }
    if (!types.includes('count')) unitPatterns = [];
    const asksStart = RANGE_PART_CUES.start.test(q);
    const asksEnd = RANGE_PART_CUES.end.test(q);
    const rangePart = asksStart === asksEnd ? null : asksStart ? 'from' : 'to';
    const asksBelowThreshold = BELOW_THRESHOLD_QUESTION.test(q);
    const asksThreshold = THRESHOLD_QUESTION.test(q) && !asksBelowThreshold;
    const qualifierWords = QUALIFIER_SYNONYMS.filter((s) => s.question.test(q)).map((s) => s.text);
    const durationScale = LONG_DURATION_QUESTION.test(q)
      ? 'long'
      : SHORT_DURATION_QUESTION.test(q)
        ? 'short'
        : null;
    return new TypedSpanFinder(
      types,
      unitPatterns,
      rangePart,
      asksThreshold,
      asksBelowThreshold,
      qualifierWords,
      durationScale,
    );
  }

  /** Answer types a question asks for, most likely first; empty when it asks for none of them. */
  static answerTypes(question: string): AnswerType[] {
    const q = foldTraditional(toHalfWidth(question));
    const types: AnswerType[] = [];
    if (REASON_QUESTION.test(q)) return types;
    for (const { cue, types: rowTypes } of ANSWER_TYPE_CUES) {
      if (cue.test(q)) for (const t of rowTypes) if (!types.includes(t)) types.push(t);
    }
    return types;
  }

  /**
   * The best span of the first type (in the question's order) that has any match in the text, or
   * null. `hits` are where the question's terms occur in the same text.
   */
  find(text: string, hits: TermHit[]): TypedSpan | null {
    const folded = foldTraditional(toHalfWidth(text)); // same length: offsets stay valid for `text`
    const pulling = [...hits, ...this.qualifierHits(folded)];
    for (const answerType of this.types) {
      const tiers = [PATTERNS[answerType] ?? [], FALLBACKS[answerType] ?? []];
      if (answerType === 'count') tiers.unshift(this.unitPatterns);
      for (const [tier, patterns] of tiers.entries()) {
        const best = this.closest(folded, patterns, hits, pulling, answerType);
        const fallback = tier === tiers.length - 1;
        if (best) {
          const { contested, ...span } = best;
          return {
            ...(answerType === 'time' ? this.rangeEnd(folded, span) : span),
            answerType,
            fallback,
            contested,
          };
        }
      }
    }
    return null;
  }

  /** Where the text names one of the question's qualifiers in other words; they pull like question terms. */
  private qualifierHits(text: string): TermHit[] {
    const found: TermHit[] = [];
    this.qualifierWords.forEach((words, k) => {
      for (const m of text.matchAll(words)) {
        found.push({ start: m.index, end: m.index + m[0].length, term: `qualifier ${k}` });
      }
    });
    return found;
  }

  /** Amounts after 满/over are thresholds: pulled up when the question asks for one, down otherwise. */
  private weighThreshold(text: string, scored: Scored): void {
    const before = text.slice(Math.max(0, scored.start - THRESHOLD_LOOKBACK), scored.start);
    if (THRESHOLD_MARKER.test(before)) {
      scored.pull = this.asksThreshold
        ? scored.pull + THRESHOLD_BONUS
        : scored.pull * NOT_ASKED_THRESHOLD_WEIGHT;
      return;
    }
    if (!this.asksBelowThreshold) return;
    let clauseStart = scored.start;
    while (clauseStart > 0 && !CLAUSE_BREAK.test(text[clauseStart - 1])) clauseStart--;
    if (BELOW_THRESHOLD_MARKER.test(text.slice(clauseStart, scored.start))) scored.pull += THRESHOLD_BONUS;
  }

  /** An opening time when the question asks for the closing one, or the other way round, pulls less. */
  private weighTimePart(text: string, scored: Scored): void {
    let before = text.slice(Math.max(0, scored.start - TIME_CUE_BEFORE), scored.start);
    const breakBefore = Math.max(...[...before].map((ch, i) => (CLAUSE_BREAK.test(ch) ? i : -1)));
    before = before.slice(breakBefore + 1);
    let after = text.slice(scored.end, scored.end + TIME_CUE_AFTER);
    const breakAfter = [...after].findIndex((ch) => CLAUSE_BREAK.test(ch));
    if (breakAfter >= 0) after = after.slice(0, breakAfter);
    let nearest: { part: 'from' | 'to'; gap: number } | null = null;
    for (const part of ['from', 'to'] as const) {
      for (const m of before.matchAll(TIME_CUES[part])) {
        const gap = before.length - (m.index + m[0].length);
        if (!nearest || gap < nearest.gap) nearest = { part, gap };
      }
      for (const m of after.matchAll(TIME_CUES[part])) {
        if (!nearest || m.index < nearest.gap) nearest = { part, gap: m.index };
      }
    }
    if (!nearest) return;
    scored.pull =
      nearest.part === this.rangePart ? scored.pull + ASKED_PART_BONUS : scored.pull * OTHER_PART_WEIGHT;
  }

  /**
   * False when the span is a duration in another scale than the question's unit asks for (几年 →
   * 7-10个工作日). Counts are not checked: the same noun takes several measure words in real text
   * (几只乐队 → 10队, 多少位 → 73人; a measure-word check lost 4 right CMRC 2018 dev answers).
   */
  private unitAgrees(text: string, start: number, end: number, answerType: AnswerType): boolean {
    if (answerType === 'duration' && this.durationScale) {
      const scale = spanScale(text.slice(start, end));
      if (this.durationScale === 'long' ? scale !== null && scale !== 'long' : scale === 'long') return false;
    }
    return true;
  }

  /** One end of a time range when the question asks for an opening or a closing time only. */
  private rangeEnd(text: string, span: { start: number; end: number }): { start: number; end: number } {
    if (!this.rangePart) return span;
    const m = RANGE_SPLIT.exec(text.slice(span.start, span.end));
    if (!m?.groups) return span;
    const part = m.groups[this.rangePart];
    const start = this.rangePart === 'from' ? span.start : span.end - part.length;
    return { start, end: start + part.length };
  }

  /** The match of any pattern that the question's terms pull hardest; matches that only repeat the question are skipped. */
  private closest(
    text: string,
    patterns: RegExp[],
    hits: TermHit[],
    pulling: TermHit[],
    answerType: AnswerType,
  ): { start: number; end: number; contested: boolean } | null {
    let best: Scored | null = null;
    const all: Scored[] = [];
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (const m of text.matchAll(pattern)) {
        const range = m.indices?.groups?.ans ?? m.indices![0];
        let [start, end] = range;
        // Patterns may pick up surrounding spaces; the span should not.
        while (start < end && /\s/.test(text[start])) start++;
        while (end > start && /\s/.test(text[end - 1])) end--;
        if (end <= start || insideHits(start, end, hits)) continue;
        if (!this.unitAgrees(text, start, end, answerType)) continue;
        const scored = TypedSpanFinder.score(text, start, end, pulling);
        if (answerType === 'money') this.weighThreshold(text, scored);
        if (answerType === 'time' && this.rangePart) this.weighTimePart(text, scored);
        // Equally pulled and near: the longer span, so "9:30 am" beats the "9:30" inside it.
        const better =
          !best ||
          scored.pull > best.pull + 1e-9 ||
          (Math.abs(scored.pull - best.pull) <= 1e-9 &&
            (scored.distance < best.distance ||
              (scored.distance === best.distance && end - start > best.end - best.start)));
        all.push(scored);
        if (better) best = scored;
      }
    }
    if (!best) return null;
    const chosen = best;
    const contested = all.some(
      (other) =>
        (other.end <= chosen.start || other.start >= chosen.end) &&
        Math.abs(other.pull - chosen.pull) <= 1e-9,
    );
    return { start: chosen.start, end: chosen.end, contested };
  }

  /**
   * How strongly the question's terms point at [start, end): each distinct term counts once, by its
   * nearest occurrence, fading with distance and quartered across a clause break. A span beside the
   * question's qualifier (偏远地区, Alaska) outscores one beside only the asked-for noun (运费, shipping).
   */
  private static score(text: string, start: number, end: number, hits: TermHit[]): Scored {
    const pullByTerm = new Map<string, number>();
    let distance = hits.length ? Infinity : start;
    for (const hit of hits) {
      const g = gap(start, end, hit);
      if (g < distance) distance = g;
      const between =
        g === 0 ? '' : hit.end <= start ? text.slice(hit.end, start) : text.slice(end, hit.start);
      const pull =
        Math.exp(-wordCount(between) / PROXIMITY_DECAY_WORDS) *
        (CLAUSE_BREAK.test(between) ? OTHER_CLAUSE_WEIGHT : 1);
      if (pull > (pullByTerm.get(hit.term) ?? 0)) pullByTerm.set(hit.term, pull);
    }
    let pull = 0;
    for (const p of pullByTerm.values()) pull += p;
    return { start, end, pull, distance };
  }
}
