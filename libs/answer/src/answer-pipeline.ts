/**
 * The answer decision, the one every caller runs (REST ask, chat, `wendao ask|search`, evals, benches):
 * embed the question (neural mode) -> score FAQ candidates -> a clear FAQ match answers with the
 * FAQ; two close strong matches ask which one was meant -> otherwise the reader reads the top
 * passages and FAQ answers and a confident span answers -> otherwise close-enough FAQ candidates
 * become a clarification -> otherwise a fallback with suggestions and a handoff offer.
 */
import { performance } from 'node:perf_hooks';
import type { Embedder } from '@wendao/encoder';
import { foldTraditional, TypedSpanFinder, type Reader } from '@wendao/reader';
import { normalizeQuestion, writtenInChinese } from '@wendao/text';
import { decisionReason } from './answer-decision';
import type {
  AnswerAlternative,
  AnswerDecision,
  AnswerEvidence,
  AnswerMode,
  AnswerOutcome,
  AnswerThresholds,
  AnswerTimings,
  ClarifyOption,
  FaqSource,
  PassageSource,
} from './answer-outcome';
import type { FaqCandidate, IndexedFaq, KnowledgeIndex, ReadablePassage } from './knowledge-index';
import { chineseRendering, topicHeads } from './synonyms';

/** A KB's language: its replies' language, and which reader reads for it. */
export type AnswerLanguage = 'zh' | 'en' | 'mixed';
export const ANSWER_LANGUAGES: readonly AnswerLanguage[] = ['zh', 'en', 'mixed'];

/** The reader for each KB language (`loadAnswerModels` picks a model that serves each). */
export type AnswerReaders = Record<AnswerLanguage, Reader>;

/** The sentence encoder for each KB language; a language without one matches lexically. */
export type AnswerEmbedders = Partial<Record<AnswerLanguage, Embedder>>;

export interface AnswerPipelineOptions {
  /**
   * Sentence encoder for neural FAQ matching and hybrid passage retrieval, for every KB or one per KB
   * language; absent: lexical. A KB's index must hold the vectors of its language's encoder.
   */
  embedder?: Embedder | AnswerEmbedders;
  /** One reader for every KB, or one per KB language. */
  reader: Reader | AnswerReaders;
  /** Passages (and FAQ answers) handed to the reader per question (default 5). */
  readerPassages?: number;
}

export interface AnswerInput {
  question: string;
  index: KnowledgeIndex;
  thresholds: AnswerThresholds;
  /** Language of the KB's messages; 'mixed' answers in the question's language. */
  language: AnswerLanguage;
  /** The KB's own fallback text. */
  fallbackMessage?: string;
  /**
   * On a mixed-language KB, the language to word a question's reply in when the question says nothing
   * of its own (digits or emoji alone: 2024120512345, 😡): the chat passes the customer's.
   */
  replyLanguage?: 'zh' | 'en';
  /** The question's embedding when the caller already has it. */
  vector?: Float32Array;
}

const FAQ_CANDIDATES = 5;
/**
 * How far below the best entry a runner-up that names the question's other topic still makes a close
 * call, in margins (splitsTopics). Shop sets, wrong answers -> clarifications: lexical en-dev 5 -> 4,
 * en-test-c 4 -> 3, for one right answer on zh-test and one span on en-dev; neural (e5-small) en-dev
 * 6 -> 5, zh-test-b 6 -> 4, zh-test-d 6 -> 5, for one right answer each on zh-test-c and en-test-c.
 * Out-of-scope fallbacks unchanged. Unbounded, it cost lexical zh-test 4 right answers, en-dev 2.
 */
const SPLIT_TOPICS_MARGIN = 2;
/**
 * On a mixed-language KB the candidates searched for a question, so that a fallback or clarification
 * can offer entries in the customer's language when the best five are all in the other one (an emoji
 * in the Chinese widget was offered "Which payment methods do you accept?").
 */
const MIXED_CANDIDATES = 20;
const MAX_ALTERNATIVES = 3;
const MAX_OPTIONS = 3;
const MAX_SUGGESTIONS = 3;
/**
 * A fallback suggests the FAQ entries scoring at least this share of the clarify threshold. On the
 * shop dev sets (lexical, calibrated), no fallback whose best entry scored under 0.3 of it had the
 * right entry among its first three (14 questions, 10 of them out of scope: 红烧肉怎么做 against
 * 积分怎么获得 through 怎么); from 0.3 up about half did.
 */
const SUGGESTION_FLOOR = 0.3;

/**
 * The score a fallback's suggestions must reach: the calibrated floor where the thresholds have one
 * (neural mode: a high quantile of the out-of-domain bank's best scores, see threshold-calibrator.ts),
 * else SUGGESTION_FLOOR x the clarify threshold (lexical mode, and calibrations stored before it).
 */
export function suggestionFloor(thresholds: AnswerThresholds): number {
  return thresholds.suggest ?? SUGGESTION_FLOOR * thresholds.clarify;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Is the KB written in Simplified Chinese (or not in Chinese)? Then a question in Traditional (運費怎麼算？
 * from a Hong Kong or Taiwan customer) is folded to Simplified before matching: unfolded, its words
 * met none of the entries' (lexical matching fell back on 運費怎麼算？, 可以開發票嗎, 多久發貨, or took a
 * wrong span). A KB written in Traditional is matched as written. Computed once per index state.
 * The folding is the reader's foldTraditional: OpenCC's, one character for one.
 */
const simplifiedKbs = new WeakMap<KnowledgeIndex, { key: string; simplified: boolean }>();
function writtenInSimplified(index: KnowledgeIndex): boolean {
  const key = `${index.version}:${index.faqs.size}:${index.passages.size}`;
  const cached = simplifiedKbs.get(index);
  if (cached?.key === key) return cached.simplified;
  let chars = 0;
  let traditional = 0;
  const count = (text: string) => {
    const folded = foldTraditional(text);
    for (let i = 0; i < text.length; i++) if (text[i] !== folded[i]) traditional++;
    chars += text.length;
  };
  for (const faq of index.faqs.values()) [faq.question, ...faq.alternates, faq.answer].forEach(count);
  for (const passage of index.passages.values()) count(passage.text);
  // A Simplified text has next to none of the table's Traditional characters (a name, a quote).
  const simplified = traditional <= chars * 0.002;
  simplifiedKbs.set(index, { key, simplified });
  return simplified;
}

/**
 * Which languages a mixed KB's entries are written in (by their questions), per index state: a
 * fallback or clarification offers entries in the customer's language where the KB has some.
 */
const entryLanguages = new WeakMap<KnowledgeIndex, { key: string; zh: boolean; en: boolean }>();
function kbHasEntriesIn(index: KnowledgeIndex, english: boolean): boolean {
  const key = `${index.version}:${index.faqs.size}`;
  let cached = entryLanguages.get(index);
  if (cached?.key !== key) {
    cached = { key, zh: false, en: false };
    for (const faq of index.faqs.values()) {
      if (writtenInChinese(faq.question)) cached.zh = true;
      else cached.en = true;
      if (cached.zh && cached.en) break;
    }
    entryLanguages.set(index, cached);
  }
  return english ? cached.en : cached.zh;
}

function speaksEnglish(
  language: AnswerInput['language'],
  question: string,
  replyLanguage?: AnswerInput['replyLanguage'],
): boolean {
  if (language !== 'mixed') return language === 'en';
  // Without letters, writtenInChinese says English: a Chinese customer's order number got English.
  if (replyLanguage && !/\p{L}/u.test(question)) return replyLanguage === 'en';
  return !writtenInChinese(question);
}

export function clarifyMessage(english: boolean, options: ClarifyOption[]): string {
  const questions = options.map((o) => o.question.replace(/[?？。.!！]+$/u, ''));
  if (english) {
    if (questions.length === 1) return `Did you mean: ${questions[0]}?`;
    // Quoted: unquoted, the questions ran into the sentence ("Did you mean Can I change or cancel my
    // order or How do I track my order?") and read as one.
    const quoted = questions.map((q) => `“${q}”`);
    return `Did you mean ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}?`;
  }
  if (questions.length === 1) return `您是想问：${questions[0]}？`;
  return `您是想问：${questions.slice(0, -1).join('，')}，还是${questions[questions.length - 1]}？`;
}

/**
 * The default "I don't know": it points at the suggested questions only when there are some (with
 * none, "did you mean one of these?" points at nothing).
 */
export function fallbackMessage(english: boolean, withSuggestions = true): string {
  if (english)
    return withSuggestions
      ? "Sorry, I couldn't find an answer to that. Did you mean one of these, or would you like to talk to a person?"
      : "Sorry, I couldn't find an answer to that. Try asking in other words, or talk to a person.";
  return withSuggestions
    ? '抱歉，没有找到相关答案。您是不是想问下面的问题？也可以转人工客服。'
    : '抱歉，没有找到相关答案。您可以换个说法再问，或转人工客服。';
}

export class AnswerPipeline {
  readonly embedders: AnswerEmbedders;
  readonly readers: AnswerReaders;
  readonly readerPassages: number;

  constructor(options: AnswerPipelineOptions) {
    const { embedder } = options;
    this.embedders =
      !embedder || !('embed' in embedder) ? { ...embedder } : { zh: embedder, en: embedder, mixed: embedder };
    const { reader } = options;
    this.readers = 'answer' in reader ? { zh: reader, en: reader, mixed: reader } : reader;
    this.readerPassages = options.readerPassages ?? 5;
    if (!Number.isInteger(this.readerPassages) || this.readerPassages < 1)
      throw new Error(`readerPassages must be a positive integer, got ${this.readerPassages}`);
  }

  /** The sentence encoder of a KB in `language` (undefined: lexical FAQ matching and retrieval). */
  embedderFor(language: AnswerLanguage): Embedder | undefined {
    return this.embedders[language];
  }

  /** The reader of a KB in `language`. */
  readerFor(language: AnswerLanguage): Reader {
    return this.readers[language];
  }

  /**
   * Which kind of score each decision compares for a KB in `language`: FAQ confidence (cosine vs
   * lexical) and its reader's.
   */
  scoreModes(language: AnswerLanguage): { faq: AnswerMode; answer: AnswerMode } {
    return { faq: this.embedderFor(language) ? 'neural' : 'lexical', answer: this.readerFor(language).mode };
  }

  async run(input: AnswerInput): Promise<AnswerOutcome> {
    const started = performance.now();
    const { index, thresholds } = input;
    const asked = input.question.trim();
    if (!normalizeQuestion(asked)) throw new Error('question has no words in it');
    let question = writtenInSimplified(index) ? foldTraditional(asked) : asked;
    const english = speaksEnglish(input.language, question, input.replyLanguage);
    const reader = this.readerFor(input.language);
    const embedder = this.embedderFor(input.language);
    const timings: AnswerTimings = { total: 0, embed: 0, faq: 0, retrieve: 0, read: 0 };

    let t = performance.now();
    let vector = input.vector ?? (embedder ? (await embedder.embed([question])).vectors[0] : undefined);
    timings.embed = round(performance.now() - t);

    t = performance.now();
    const mixed = input.language === 'mixed';
    const searched = mixed ? MIXED_CANDIDATES : FAQ_CANDIDATES;
    // Weighed once, to show its typo corrections in the evidence ('lnog' read as 'long'). Searched as
    // the question itself where nothing was corrected: a large KB's BM25 picks with its text.
    let query = index.faqQuery(question);
    let found = index.searchFaqs(query.corrections ? query : question, searched, { vector });
    // On a mixed KB a Chinese question with an English word (可以refund吗) matched the English entry
    // and was answered in English: asked again with the word in Chinese, a Chinese entry that
    // reaches the FAQ threshold answers instead.
    const first = found[0];
    if (mixed && !english && first && !writtenInChinese(first.faq.question)) {
      const rendered = chineseRendering(question);
      if (rendered !== question) {
        const renderedVector = embedder ? (await embedder.embed([rendered])).vectors[0] : undefined;
        const renderedQuery = index.faqQuery(rendered);
        const again = index.searchFaqs(renderedQuery.corrections ? renderedQuery : rendered, searched, {
          vector: renderedVector,
        });
        if (again[0] && writtenInChinese(again[0].faq.question) && again[0].score >= thresholds.faq) {
          question = rendered;
          vector = renderedVector;
          found = again;
          query = renderedQuery;
        }
      }
    }
    const searchedBest = found.slice(0, FAQ_CANDIDATES);
    // What a fallback or clarification offers: on a mixed KB with entries in the customer's language
    // (the question's, or the session's for one without letters), only those entries.
    const inCustomerLanguage = mixed && kbHasEntriesIn(index, english);
    const offerable = inCustomerLanguage
      ? found.filter((c) => writtenInChinese(c.faq.question) !== english)
      : searchedBest;
    // A question without letters (48, an order number) says nothing of what it asks beyond its digits:
    // on a mixed KB a Chinese customer's 48 was answered from the English entry whose answer has
    // "48 hours". Its answer comes from the entries (and readable passages) in the customer's language;
    // the evidence still lists the best five of all.
    const letterless = inCustomerLanguage && !/\p{L}/u.test(question);
    const candidates = letterless ? offerable.slice(0, FAQ_CANDIDATES) : searchedBest;
    timings.faq = round(performance.now() - t);
    const evidence: Omit<AnswerEvidence, 'decision' | 'reason'> = {
      thresholds,
      faqCandidates: searchedBest.map((c) => ({
        faqId: c.faq.id,
        question: c.faq.question,
        score: round3(c.score),
        lexical: round3(c.lexical),
        bm25: round3(c.bm25),
        ...(c.vector !== undefined ? { vector: round3(c.vector) } : {}),
        ...(c.sharesWord !== undefined ? { sharesWord: c.sharesWord } : {}),
        phrasing: c.phrasing,
      })),
      passages: [],
      ...(query.corrections
        ? {
            corrections: query.corrections.map(({ from, to, distance }) => ({ from, to, distance })),
            corrected: query.corrected,
          }
        : {}),
    };
    const finish = (
      outcome: Omit<AnswerOutcome, 'kbVersion' | 'evidence' | 'timings'>,
      decision: AnswerDecision,
    ) => {
      timings.total = round(performance.now() - started);
      return {
        ...outcome,
        kbVersion: index.version,
        evidence: { ...evidence, decision, reason: decisionReason(decision) },
        timings,
      };
    };

    const [best, second] = candidates;
    const faqMode: AnswerMode = vector ? 'neural' : 'lexical';
    // A close call: a runner-up within the margin of the best (calibration chooses the margin so that
    // answering above it keeps the KB's target precision). The reader gets its turn first: a typed
    // span from one of the close entries or from a document settles it; else we ask.
    const withinMargin =
      best !== undefined &&
      best.score >= thresholds.faq &&
      second !== undefined &&
      best.score - second.score < thresholds.margin;
    // A question naming two topics that the two best entries split between them (退货退款 against
    // 如何申请退货？ and 退款多久到账？) asks about both: a close call within twice the margin, between
    // those two (not a third entry within the margin).
    const splitCall =
      best !== undefined &&
      second !== undefined &&
      best.score >= thresholds.faq &&
      second.score >= thresholds.clarify &&
      best.score - second.score < SPLIT_TOPICS_MARGIN * thresholds.margin &&
      splitsTopics(question, best.faq, second.faq);
    const closeCall = withinMargin || splitCall;
    const margin =
      splitCall && !withinMargin ? round3(SPLIT_TOPICS_MARGIN * thresholds.margin) : thresholds.margin;
    // A question asking for a kind of answer (多久 a duration, 多少钱 an amount, 几点 a time) that the
    // best FAQ's answer does not contain is not answered by it: 退货期限是多久？ against an FAQ on how to
    // return things. The reader gets its turn: a typed span from a document answers; else the FAQ
    // answers after all.
    const typed = TypedSpanFinder.forQuestion(question);
    const lacksAskedType =
      best !== undefined && typed.types.length > 0 && typed.find(best.faq.answer, []) === null;
    // A neural match sharing no word with the question (BM25 0 over the entry's phrasings and answer)
    // is the encoder's guess alone: when a document shares the question's words and the reader
    // answers from it, the document answers ("When will I get my refund?" against an FAQ on shipping
    // times, beside a refund policy); otherwise the FAQ answers after all.
    const sharesNoWord = faqMode === 'neural' && best !== undefined && !(best.sharesWord ?? best.bm25 > 0);
    // A question asking for a kind of answer whose subject the best FAQ never names, while the KB
    // does: 退货期限是多久？ against 多久发货？ (下单后48小时内发货) beside a return policy. Both modes
    // match them on 多久 (e5 scores the pair 0.79). The reader gets its turn: a typed span from a
    // document naming that subject answers; else the FAQ answers after all.
    const unnamed =
      best !== undefined &&
      best.score >= thresholds.faq &&
      !closeCall &&
      !lacksAskedType &&
      !sharesNoWord &&
      typed.types.length > 0
        ? index
            .wordsMissingFrom(question, best.faq)
            .filter(
              (word) =>
                TypedSpanFinder.forQuestion(word).types.length === 0 && index.onlyDocumentsMention(word),
            )
        : [];
    if (
      best &&
      best.score >= thresholds.faq &&
      !closeCall &&
      !lacksAskedType &&
      !sharesNoWord &&
      unnamed.length === 0
    ) {
      return finish(this.faqAnswer(best, candidates, faqMode), {
        code: 'faq_confident',
        values: { score: round3(best.score), faq: thresholds.faq },
      });
    }
    const closeValues = closeCall
      ? { best: round3(best.score), second: round3(second.score), margin }
      : undefined;
    const closeOptions = splitCall
      ? this.options([best, second], thresholds.clarify, second.score)
      : closeCall
        ? this.closeOptions(candidates, offerable, thresholds)
        : [];

    t = performance.now();
    const readable = await index.readablePassages(question, this.readerPassages, vector);
    const passages = letterless
      ? readable.filter(
          (p) => writtenInChinese(p.kind === 'faq' ? p.faq.question : p.passage.text) !== english,
        )
      : readable;
    timings.retrieve = round(performance.now() - t);
    evidence.passages = passages.map((p) => ({
      kind: p.kind,
      id: p.kind === 'passage' ? p.passage.id : p.faq.id,
      score: round3(p.score),
      ...(p.bm25 !== undefined ? { bm25: round3(p.bm25) } : {}),
      ...(p.vector !== undefined ? { vector: round3(p.vector) } : {}),
    }));
    t = performance.now();
    const answers = await this.read(reader, question, passages);
    timings.read = round(performance.now() - t);
    const top = answers[0];
    if (top) evidence.readerConfidence = top.confidence;
    // A span read from an FAQ's answer speaks for that FAQ: it stands only when that FAQ is also the
    // best FAQ match (otherwise the reader and the FAQ match disagree: ask which was meant). A span
    // from a document stands when no FAQ is a plausible match, or when it is the kind of answer the
    // question asks for (a duration for 多久, an amount for 多少钱: the lexical reader types it; the
    // neural reader's spans are always answers to the question).
    const plausibleFaq = best !== undefined && best.score >= thresholds.clarify;
    // On a close call only a typed span (the kind of answer the question asks for) from one of the
    // close entries or a document settles it: a whole sentence would just pick one of the two. So would
    // a span its sentence gives beside others of its type that the question does not choose between:
    // 要几天 (快递几天能到？ vs 多久能发货？) answered 1-2天 out of 江浙沪1-2天，其他地区3-5天，偏远地区7天.
    const consistent =
      top !== undefined &&
      (closeCall
        ? top.typed &&
          !top.contested &&
          (top.source.kind === 'passage' || closeOptions.some((o) => o.faqId === top.source.id))
        : (lacksAskedType || unnamed.length > 0) && best.score >= thresholds.faq
          ? top.source.kind === 'passage' &&
            top.typed &&
            (lacksAskedType || unnamed.some((word) => passageNames(passages, top, word)))
          : sharesNoWord && best.score >= thresholds.faq
            ? top.source.kind === 'passage'
            : top.source.kind === 'faq'
              ? plausibleFaq && top.source.id === best.faq.id
              : !plausibleFaq || top.typed);
    if (top && top.confidence >= thresholds.answer && consistent) {
      return finish(
        {
          answer: top.answer,
          type: 'extracted',
          mode: reader.mode,
          source: top.source,
          confidence: top.confidence,
          ...(top.answerType ? { answerType: top.answerType } : {}),
          alternatives: answers.slice(1, 1 + MAX_ALTERNATIVES).map(withoutTyped),
          options: [],
          suggestions: [],
          handoff: false,
        },
        closeValues
          ? {
              code: 'close_call_read',
              values: { ...closeValues, reader: top.confidence, answer: thresholds.answer },
            }
          : best && best.score >= thresholds.faq
            ? unnamed.length > 0
              ? {
                  code: 'unnamed_subject_read',
                  values: {
                    words: unnamed.join(' '),
                    score: round3(best.score),
                    faq: thresholds.faq,
                    reader: top.confidence,
                    answer: thresholds.answer,
                  },
                }
              : lacksAskedType
                ? {
                    code: 'asked_type_read',
                    values: {
                      answerType: typed.types[0],
                      score: round3(best.score),
                      faq: thresholds.faq,
                      reader: top.confidence,
                      answer: thresholds.answer,
                    },
                  }
                : {
                    code: 'unshared_words_read',
                    values: {
                      score: round3(best.score),
                      faq: thresholds.faq,
                      reader: top.confidence,
                      answer: thresholds.answer,
                    },
                  }
            : {
                code: 'reader_answered',
                values: {
                  best: round3(best?.score ?? 0),
                  faq: thresholds.faq,
                  reader: top.confidence,
                  answer: thresholds.answer,
                },
              },
      );
    }

    // The FAQ after all: its answer lacked the asked-for kind, or it shared no word with the question,
    // and no document answered instead.
    if (best && best.score >= thresholds.faq && !closeCall) {
      const read = top ? { reader: top.confidence } : {};
      const score = round3(best.score);
      return finish(
        this.faqAnswer(best, candidates, faqMode),
        unnamed.length > 0
          ? {
              code: 'unnamed_subject_faq',
              values: {
                words: unnamed.join(' '),
                score,
                faq: thresholds.faq,
                ...read,
                answer: thresholds.answer,
              },
            }
          : lacksAskedType
            ? {
                code: 'asked_type_faq',
                values: {
                  answerType: typed.types[0],
                  score,
                  faq: thresholds.faq,
                  ...read,
                  answer: thresholds.answer,
                },
              }
            : {
                code: 'unshared_words_faq',
                values: { score, faq: thresholds.faq, ...read, answer: thresholds.answer },
              },
      );
    }

    if (closeValues)
      return finish(this.clarification(closeOptions, english, faqMode, candidates), {
        code: 'close_call_clarify',
        values: closeValues,
      });

    if (best && best.score >= thresholds.clarify) {
      const inLanguage = this.options(offerable, thresholds.clarify, thresholds.clarify, false);
      // No entry in the customer's language is close enough: the plausible ones are offered still.
      const options = inLanguage.length
        ? inLanguage
        : this.options(candidates, thresholds.clarify, thresholds.clarify);
      return finish(this.clarification(options, english, faqMode, candidates), {
        code: 'clarify_band',
        values: { score: round3(best.score), clarify: thresholds.clarify, faq: thresholds.faq },
      });
    }

    const suggestions = offerable
      .filter((c) => c.score > 0 && c.score >= suggestionFloor(thresholds))
      .slice(0, MAX_SUGGESTIONS)
      .map((c) => c.faq.question);
    return finish(
      {
        answer: input.fallbackMessage || fallbackMessage(english, suggestions.length > 0),
        type: 'fallback',
        mode: reader.mode,
        source: null,
        confidence: round3(Math.max(top?.confidence ?? 0, best?.score ?? 0)),
        alternatives: answers.slice(0, MAX_ALTERNATIVES).map(withoutTyped),
        options: [],
        suggestions,
        handoff: true,
      },
      {
        code: 'fallback',
        values: {
          best: round3(best?.score ?? 0),
          clarify: thresholds.clarify,
          ...(top ? { reader: top.confidence } : {}),
          answer: thresholds.answer,
        },
      },
    );
  }

  private faqAnswer(
    best: FaqCandidate,
    candidates: FaqCandidate[],
    mode: AnswerMode,
  ): Omit<AnswerOutcome, 'kbVersion' | 'evidence' | 'timings'> {
    return {
      answer: best.faq.answer,
      type: 'faq',
      mode,
      source: faqSource(best.faq),
      confidence: round3(best.score),
      alternatives: candidates
        .slice(1, 1 + MAX_ALTERNATIVES)
        .filter((c) => c.score > 0)
        .map((c) => ({
          answer: c.faq.answer,
          type: 'faq',
          confidence: round3(c.score),
          source: faqSource(c.faq),
        })),
      options: [],
      suggestions: [],
      handoff: false,
    };
  }

  /**
   * A close call's options: the entries within the margin of the best, or, where the customer's
   * language has entries (`offerable` is not the candidates themselves), those in it within the
   * margin of the best of them (a Chinese customer's 3 5 on a mixed KB: 快递几天能送到 or 退款多久到账,
   * not "When will I get my refund" or "How long does delivery take"), if any reaches the clarify
   * threshold.
   */
  private closeOptions(
    candidates: FaqCandidate[],
    offerable: FaqCandidate[],
    thresholds: AnswerThresholds,
  ): ClarifyOption[] {
    const near = (c?: FaqCandidate) => (c?.score ?? 0) - thresholds.margin;
    if (offerable !== candidates && offerable[0]) {
      const inLanguage = this.options(offerable, thresholds.clarify, near(offerable[0]), false);
      if (inLanguage.length) return inLanguage;
    }
    return this.options(candidates, thresholds.clarify, near(candidates[0]));
  }

  /**
   * The candidates worth offering: at or above `floor` and not far below the best (the best itself
   * always, unless `keepBest` is false).
   */
  private options(candidates: FaqCandidate[], floor: number, near: number, keepBest = true): ClarifyOption[] {
    return candidates
      .filter((c, i) => (keepBest && i === 0) || (c.score >= floor && c.score >= near))
      .slice(0, MAX_OPTIONS)
      .map((c) => ({ faqId: c.faq.id, question: c.faq.question, confidence: round3(c.score) }));
  }

  private clarification(
    options: ClarifyOption[],
    english: boolean,
    mode: AnswerMode,
    candidates: FaqCandidate[],
  ): Omit<AnswerOutcome, 'kbVersion' | 'evidence' | 'timings'> {
    return {
      answer: clarifyMessage(english, options),
      type: 'clarify',
      mode,
      source: null,
      confidence: round3(candidates[0].score),
      alternatives: [],
      options,
      suggestions: options.map((o) => o.question),
      handoff: false,
    };
  }

  /** Reader spans over the passages, best first, one per distinct text. */
  private async read(reader: Reader, question: string, passages: ReadablePassage[]): Promise<ReadAnswer[]> {
    if (passages.length === 0) return [];
    const result = await reader.answer(
      question,
      passages.map((p) => (p.kind === 'passage' ? p.passage.text : p.faq.answer)),
      { topK: MAX_ALTERNATIVES + 1 },
    );
    const seen = new Set<string>();
    const answers: ReadAnswer[] = [];
    for (const span of result.spans) {
      if (!span.text.trim() || seen.has(span.text)) continue;
      seen.add(span.text);
      answers.push({
        answer: span.text,
        type: 'extracted',
        confidence: round3(span.probability),
        source: spanSource(passages[span.passageIndex], span.start, span.end),
        ...(span.answerType ? { answerType: span.answerType } : {}),
        typed: span.answerType === undefined || !['sentence', 'phrase'].includes(span.answerType),
        contested: span.contested === true,
      });
    }
    return answers;
  }
}

/** A reader span as an answer, with what the decision needs to know of it. */
type ReadAnswer = AnswerAlternative & { typed: boolean; contested: boolean };

/** Whether the document passage a span was read from uses the word (a stem, for English). */
function passageNames(passages: readonly ReadablePassage[], span: ReadAnswer, word: string): boolean {
  const source = span.source;
  if (source?.kind !== 'passage') return false;
  const passage = passages.find((p) => p.kind === 'passage' && p.passage.id === source.id);
  return passage?.kind === 'passage' && passage.passage.text.toLowerCase().includes(word);
}

const withoutTyped = ({ typed: _typed, contested: _contested, ...alternative }: ReadAnswer) => alternative;

export function faqSource(faq: IndexedFaq, start?: number, end?: number): FaqSource {
  return {
    kind: 'faq',
    id: faq.id,
    question: faq.question,
    text: faq.answer,
    documentId: faq.documentId,
    ...(start !== undefined ? { start, end } : {}),
  };
}

function spanSource(p: ReadablePassage, start: number, end: number): FaqSource | PassageSource {
  if (p.kind === 'faq') return faqSource(p.faq, start, end);
  return {
    kind: 'passage',
    id: p.passage.id,
    documentId: p.passage.documentId,
    fileName: p.passage.fileName,
    ordinal: p.passage.ordinal,
    text: p.passage.text,
    start,
    end,
    documentStart: p.passage.start + start,
    documentEnd: p.passage.start + end,
  };
}

/**
 * Whether a question names (synonyms.ts topicHeads) one topic only `a`'s phrasings name and another only
 * `b`'s do: 退货退款 against 如何申请退货？ (退货) and 退款多久到账？ (退款).
 */
function splitsTopics(question: string, a: IndexedFaq, b: IndexedFaq): boolean {
  const asked = topicHeads(question);
  if (asked.length < 2 || writtenInChinese(a.question) !== writtenInChinese(b.question)) return false;
  const named = (faq: IndexedFaq) => new Set([faq.question, ...faq.alternates].flatMap(topicHeads));
  const inA = named(a);
  const inB = named(b);
  return asked.some((h) => inA.has(h) && !inB.has(h)) && asked.some((h) => inB.has(h) && !inA.has(h));
}
