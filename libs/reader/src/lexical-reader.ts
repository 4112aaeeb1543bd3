/**
 * The reader used when no QA model is present: finds the sentence that best covers the question's
 * words (CJK bigrams, English words), then narrows it to a typed span (7天内, 99元, 9:00-18:00 ...)
 * when the question asks for one, or to the phrase a wh-question leaves open when that is clear;
 * otherwise the sentence is the answer. Its probability is an overlap confidence, low when little matches.
 */
import { guessHeadings, splitSentences } from '@wendao/text';
import { QuestionTerms } from './question-terms';
import {
  DEFAULT_READER_OPTIONS,
  type AnswerSpan,
  type Reader,
  type ReaderOptions,
  type ReaderResult,
} from './reader';
import { EnglishChunkFinder } from './english-chunk-finder';
import { QuestionSlotFinder } from './question-slot-finder';
import { TypedSpanFinder } from './typed-span-finder';

// Ranking weights: a sentence's own coverage dominates; the sentence before it (a heading or
// lead-in such as "退货政策：") and a found typed span can lift a sentence that answers without
// repeating the question's words; the whole passage's coverage only breaks ties between passages.
const LEAD_IN_WEIGHT = 0.3;
const TYPED_BONUS = 0.3;
// A span found only by a loose pattern (a bare number) is weaker evidence that the sentence answers.
const FALLBACK_TYPED_BONUS = 0.15;
const PASSAGE_WEIGHT = 0.05;
// A sentence that matches but lacks the asked-for kind of answer (no amount for "how much") is a weaker answer.
const UNTYPED_PENALTY = 0.75;
// Coverage that comes only from the lead-in sentence counts for less than coverage in the answer itself.
const LEAD_IN_ONLY_DISCOUNT = 0.8;

interface Candidate {
  span: AnswerSpan;
  rank: number;
}

export class LexicalReader implements Reader {
  readonly mode = 'lexical' as const;

  /** Holds nothing to free: part of the Reader contract so callers close any reader alike. */
  async close(): Promise<void> {}

  async answer(question: string, passages: string[], options: ReaderOptions = {}): Promise<ReaderResult> {
    if (typeof question !== 'string' || question.trim() === '') throw new Error('question is empty');
    if (!Array.isArray(passages)) throw new Error('passages must be an array of strings');
    const topK = options.topK ?? DEFAULT_READER_OPTIONS.topK;
    if (!Number.isInteger(topK) || topK < 1) throw new Error(`topK must be a positive integer, got ${topK}`);

    const terms = QuestionTerms.from(question);
    const typedSpans = TypedSpanFinder.forQuestion(question);
    const types = typedSpans.types;
    const candidates: Candidate[] = [];

    passages.forEach((passage, passageIndex) => {
      if (typeof passage !== 'string') throw new Error(`passage ${passageIndex} is not a string`);
      const passageFraction = terms.coverage(passage).fraction;
      if (passageFraction === 0) return;
      const sentences = splitSentences(passage);
      const headings = guessHeadings(passage, sentences);
      sentences.forEach((sentence, i) => {
        const own = terms.coverage(sentence.text);
        const leadStart = i > 0 ? sentences[i - 1].start : sentence.start;
        const context =
          i > 0 ? terms.coverage(passage.slice(leadStart, sentence.end)).fraction : own.fraction;
        const typed = types.length ? typedSpans.find(sentence.text, own.hits) : null;
        // A heading ("International orders", "## 运费") names what its section answers without answering
        // it: the sentence under it answers, with the heading's words as its lead-in.
        if (headings[i] && !typed) return;
        const underHeading = i > 0 && headings[i - 1];
        if (own.fraction === 0 && !((typed || underHeading) && context > 0)) return;

        const rank =
          own.fraction +
          LEAD_IN_WEIGHT * context +
          (typed ? (typed.fallback ? FALLBACK_TYPED_BONUS : TYPED_BONUS) : 0) +
          PASSAGE_WEIGHT * passageFraction;
        const overlap = own.fraction > 0 ? own.fraction : LEAD_IN_ONLY_DISCOUNT * context;
        const probability = overlap * (types.length && !typed ? UNTYPED_PENALTY : 1);
        // No typed span: a wh-question may still pin down a phrase (the words around 谁/什么/哪 reappear
        // around the answer; "which carriers" -> the names next to the question's words).
        const slot =
          typed || own.fraction === 0
            ? null
            : (QuestionSlotFinder.find(question, sentence.text) ??
              EnglishChunkFinder.find(question, sentence.text));
        const narrowed = typed ?? slot;
        const start = narrowed ? sentence.start + narrowed.start : sentence.start;
        let end = narrowed ? sentence.start + narrowed.end : sentence.end;
        // A heading such as "退货政策：" is not an answer by itself: the sentence it introduces is.
        if (!narrowed && /[:：]$/.test(sentence.text) && i + 1 < sentences.length) end = sentences[i + 1].end;
        candidates.push({
          rank,
          span: {
            text: passage.slice(start, end),
            start,
            end,
            passageIndex,
            score: rank,
            probability,
            answerType: typed ? typed.answerType : slot ? 'phrase' : 'sentence',
            ...(typed?.contested ? { contested: true } : {}),
          },
        });
      });
    });

    candidates.sort(
      (a, b) => b.rank - a.rank || a.span.passageIndex - b.span.passageIndex || a.span.start - b.span.start,
    );
    const spans = candidates.slice(0, topK).map((c) => c.span);
    const best = spans[0]?.probability ?? 0;
    return {
      spans,
      noAnswer: { score: 1 - best, probability: 1 - best },
      mode: 'lexical',
      windows: passages.length,
    };
  }
}
