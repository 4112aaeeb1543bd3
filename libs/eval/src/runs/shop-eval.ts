/**
 * A shop FAQ set asked end to end through the answer pipeline the server runs: the set's FAQ entries
 * and policy documents become a KnowledgeIndex (documents chunked as uploads are), thresholds are
 * calibrated on that content as on publish (or given), then every customer paraphrase, out-of-scope
 * question and span question is answered and its outcome counted.
 */
import {
  AnswerPipeline,
  DEFAULT_THRESHOLDS,
  KnowledgeIndex,
  suggestionFloor,
  ThresholdCalibrator,
  type AnswerOutcome,
  type AnswerThresholds,
  type CalibrationReport,
} from '@wendao/answer';
import type { Embedder } from '@wendao/encoder';
import { chunkText } from '@wendao/ingest';
import type { ShopSet } from '../datasets/shop-set';
import { describeMachine, type EvalRecord } from '../report/eval-record';
import { answerContainsGold, answerScorer } from './answer-scorer';
import { decisionCeiling, type CeilingQuestion, type DecisionCeiling } from './decision-ceiling';

export interface ShopEvalOptions {
  /** Use these thresholds instead of calibrating on the set's content. */
  thresholds?: AnswerThresholds;
  targetPrecision?: number;
  /** Negatives for calibration (default: the bundled out-of-domain bank). */
  outOfDomain?: string[];
  readerPassages?: number;
  /** Drop the calibrated suggestion floor: fallbacks suggest at 0.3 x clarify, as before it existed. */
  fixedSuggestionFloor?: boolean;
}

export interface OutcomeCounts {
  n: number;
  /** Answered from the right FAQ entry (its answer, or a span extracted from it). */
  correct: number;
  /** Answered, but from another entry or a document. */
  wrong: number;
  clarify: number;
  /** Clarifications that offered the right entry. */
  clarifyRight: number;
  fallback: number;
}

export interface ShopEvalFailure {
  kind: 'paraphrase' | 'out-of-scope' | 'span';
  question: string;
  expected: string;
  got: string;
  type: AnswerOutcome['type'];
  confidence: number;
}

export interface ShopEvalResult {
  set: string;
  language: 'zh' | 'en';
  thresholds: AnswerThresholds;
  calibration?: CalibrationReport;
  paraphrases: OutcomeCounts;
  outOfScope: { n: number; fallback: number; clarify: number; answered: number };
  spans: {
    n: number;
    /** End to end: the returned answer (FAQ, span, ...) contains the gold span. */
    containsGold: number;
    /** End to end: EM / F1 x100 of the returned answer against the gold span. */
    exactMatch: number;
    f1: number;
    /** The reader alone over the named document's passages: EM / F1 x100. */
    readerExactMatch: number;
    readerF1: number;
  };
  /** The best any FAQ threshold + margin could do with these scores (decision-ceiling.ts). */
  ceiling: DecisionCeiling;
  /** What a fallback suggests ("did you mean"), by kind of question. */
  suggestions: SuggestionCounts;
  failures: ShopEvalFailure[];
}

export interface SuggestionCounts {
  /** Paraphrases that fell back, those suggesting anything, and those suggesting the labelled entry. */
  paraphraseFallbacks: number;
  paraphraseWithAny: number;
  paraphraseRightSuggested: number;
  /** Out-of-scope questions that fell back, those suggesting anything, and the suggestions in all. */
  outOfScopeFallbacks: number;
  outOfScopeWithAny: number;
  outOfScopeSuggested: number;
}

export const emptyOutcomeCounts = (): OutcomeCounts => ({
  n: 0,
  correct: 0,
  wrong: 0,
  clarify: 0,
  clarifyRight: 0,
  fallback: 0,
});

/**
 * Counts one outcome of a question one of `expected` FAQ entries answers; returns the FAQ it was
 * answered from (an FAQ answer or a span of one), or null.
 */
export function countOutcome(
  counts: OutcomeCounts,
  o: AnswerOutcome,
  expected: readonly string[],
): string | null {
  counts.n++;
  const fromFaq =
    (o.type === 'faq' || o.type === 'extracted') && o.source?.kind === 'faq' ? o.source.id : null;
  if (o.type === 'clarify') {
    counts.clarify++;
    if (o.options.some((x) => expected.includes(x.faqId))) counts.clarifyRight++;
  } else if (o.type === 'fallback') counts.fallback++;
  else if (fromFaq !== null && expected.includes(fromFaq)) counts.correct++;
  else counts.wrong++;
  return fromFaq;
}

/** The outcome table of a set's questions: the same columns for shop sets and public sets. */
export function outcomeRow(
  q: OutcomeCounts,
  outOfScope: { n: number; fallback: number } | undefined,
): Array<string | number> {
  return [
    pct2(q.correct, q.n),
    pct2(q.wrong, q.n),
    `${pct2(q.clarify, q.n)} (${q.clarifyRight})`,
    pct2(q.fallback, q.n),
    outOfScope ? pct2(outOfScope.fallback, outOfScope.n) : 'n/a',
  ];
}

export const OUTCOME_COLUMNS = [
  'answered correctly %',
  'wrong %',
  'clarify % (right entry offered)',
  'fallback %',
  'out-of-scope falling back %',
];

/** The set's FAQ entries and chunked documents as one knowledge base index. */
export async function buildShopIndex(set: ShopSet, embedder?: Embedder): Promise<KnowledgeIndex> {
  const index = KnowledgeIndex.empty(`shop-${set.name}`, 1, embedder);
  let seq = 1;
  const embeddings = embedder ? await KnowledgeIndex.embedFaqs(embedder, set.faqs) : [];
  set.faqs.forEach((faq, i) =>
    index.upsertFaq({
      seq: seq++,
      id: faq.id,
      documentId: null,
      question: faq.question,
      alternates: faq.alternates,
      answer: faq.answer,
      ...embeddings[i],
    }),
  );
  for (const doc of set.documents) {
    // The API's default chunking (WENDAO_CHUNK_TARGET/MAX/OVERLAP).
    const passages = chunkText(doc.text, { targetLength: 300, maxLength: 480, overlap: 1 });
    const vectors = embedder ? (await embedder.embed(passages.map((p) => p.text))).vectors : undefined;
    passages.forEach((p, i) =>
      index.addPassage(
        {
          seq: seq++,
          id: `${doc.fileName}#${i}`,
          documentId: doc.fileName,
          fileName: doc.fileName,
          ordinal: i,
          text: p.text,
          start: p.start,
          end: p.end,
        },
        vectors?.[i],
      ),
    );
  }
  return index;
}

const describe = (o: AnswerOutcome) =>
  o.type === 'faq' || (o.type === 'extracted' && o.source?.kind === 'faq')
    ? `${o.type}:${o.source!.id}`
    : o.type === 'extracted'
      ? `extracted:${o.source?.kind === 'passage' ? o.source.fileName : ''} "${o.answer}"`
      : o.type === 'clarify'
        ? `clarify:${o.options.map((x) => x.faqId).join('|')}`
        : 'fallback';

/**
 * A shop set as a KB the pipeline answers from: its index (with the pipeline's encoder for the set's
 * language) and its thresholds, the given ones or calibrated on its content as a KB publish does.
 */
export async function shopKnowledgeBase(
  set: ShopSet,
  pipeline: AnswerPipeline,
  options: ShopEvalOptions = {},
): Promise<{ index: KnowledgeIndex; thresholds: AnswerThresholds; calibration?: CalibrationReport }> {
  const embedder = pipeline.embedderFor(set.language);
  const index = await buildShopIndex(set, embedder);
  if (options.thresholds) return { index, thresholds: options.thresholds };
  const modes = pipeline.scoreModes(set.language);
  const calibration = await new ThresholdCalibrator({
    language: set.language,
    targetPrecision: options.targetPrecision,
    defaults: { ...DEFAULT_THRESHOLDS[modes.faq], answer: DEFAULT_THRESHOLDS[modes.answer].answer },
    embedder,
    reader: pipeline.readerFor(set.language),
    readerPassages: options.readerPassages ?? pipeline.readerPassages,
    outOfDomain: options.outOfDomain,
  }).calibrate(index);
  return { index, thresholds: calibration.thresholds, calibration };
}

export async function evaluateShop(
  set: ShopSet,
  pipeline: AnswerPipeline,
  options: ShopEvalOptions = {},
): Promise<ShopEvalResult> {
  const kb = await shopKnowledgeBase(set, pipeline, options);
  const { index, calibration } = kb;
  const { suggest, ...withoutSuggest } = kb.thresholds;
  const thresholds = options.fixedSuggestionFloor || suggest === undefined ? withoutSuggest : kb.thresholds;
  const ask = (question: string) => pipeline.run({ question, index, thresholds, language: set.language });
  const failures: ShopEvalFailure[] = [];
  const scored: CeilingQuestion[] = [];
  const scoresOf = (o: AnswerOutcome, expected: string | null): CeilingQuestion => ({
    expected,
    candidates: o.evidence.faqCandidates.slice(0, 2).map((c) => ({ id: c.faqId, score: c.score })),
  });

  const suggestions: SuggestionCounts = {
    paraphraseFallbacks: 0,
    paraphraseWithAny: 0,
    paraphraseRightSuggested: 0,
    outOfScopeFallbacks: 0,
    outOfScopeWithAny: 0,
    outOfScopeSuggested: 0,
  };
  const idOf = new Map(set.faqs.map((f) => [f.question, f.id]));
  const paraphrases = emptyOutcomeCounts();
  for (const p of set.paraphrases) {
    const o = await ask(p.question);
    if (o.type === 'fallback') {
      suggestions.paraphraseFallbacks++;
      if (o.suggestions.length) suggestions.paraphraseWithAny++;
      if (o.suggestions.some((q) => idOf.get(q) === p.faq)) suggestions.paraphraseRightSuggested++;
    }
    scored.push(scoresOf(o, p.faq));
    const fromFaq = countOutcome(paraphrases, o, [p.faq]);
    if (fromFaq !== p.faq)
      failures.push({
        kind: 'paraphrase',
        question: p.question,
        expected: p.faq,
        got: describe(o),
        type: o.type,
        confidence: o.confidence,
      });
  }

  const outOfScope = { n: 0, fallback: 0, clarify: 0, answered: 0 };
  for (const question of set.outOfScope) {
    const o = await ask(question);
    scored.push(scoresOf(o, null));
    outOfScope.n++;
    if (o.type === 'fallback') {
      outOfScope.fallback++;
      suggestions.outOfScopeFallbacks++;
      if (o.suggestions.length) suggestions.outOfScopeWithAny++;
      suggestions.outOfScopeSuggested += o.suggestions.length;
    } else {
      if (o.type === 'clarify') outOfScope.clarify++;
      else outOfScope.answered++;
      failures.push({
        kind: 'out-of-scope',
        question,
        expected: 'fallback',
        got: describe(o),
        type: o.type,
        confidence: o.confidence,
      });
    }
  }

  const score = answerScorer(set.language);
  const spans = { n: 0, containsGold: 0, exactMatch: 0, f1: 0, readerExactMatch: 0, readerF1: 0 };
  for (const s of set.spans) {
    const o = await ask(s.question);
    spans.n++;
    const answered = o.type === 'faq' || o.type === 'extracted' ? o.answer : '';
    const e2e = score(answered, [s.answer]);
    spans.exactMatch += e2e.exactMatch;
    spans.f1 += e2e.f1;
    if (answered && answerContainsGold(answered, [s.answer], set.language)) spans.containsGold++;
    // The reader alone, over the passages of the document the answer is in.
    const passages = [...index.passages.values()]
      .filter((p) => p.documentId === s.document)
      .map((p) => p.text);
    const read = await pipeline.readerFor(set.language).answer(s.question, passages, { topK: 1 });
    const predicted = read.spans[0]?.text ?? '';
    const r = score(predicted, [s.answer]);
    spans.readerExactMatch += r.exactMatch;
    spans.readerF1 += r.f1;
    if (!r.exactMatch)
      failures.push({
        kind: 'span',
        question: s.question,
        expected: s.answer,
        got: predicted,
        type: 'extracted',
        confidence: read.spans[0]?.probability ?? 0,
      });
  }
  const pct = (x: number) => (spans.n ? (100 * x) / spans.n : 0);
  return {
    set: set.name,
    language: set.language,
    thresholds,
    calibration,
    paraphrases,
    outOfScope,
    spans: {
      n: spans.n,
      containsGold: spans.containsGold,
      exactMatch: pct(spans.exactMatch),
      f1: pct(spans.f1),
      readerExactMatch: pct(spans.readerExactMatch),
      readerF1: pct(spans.readerF1),
    },
    ceiling: decisionCeiling(scored),
    suggestions,
    failures,
  };
}

function pct2(x: number, n: number): number {
  return n ? Math.round((10000 * x) / n) / 100 : 0;
}

/** How a run's records say what produced them. */
export interface RecordContext {
  mode: 'lexical' | 'neural';
  models: EvalRecord['models'];
  command: string;
  revision?: string;
}

/**
 * The share right of every FAQ answer given, out-of-scope questions included (what the KB's target
 * precision is about: an out-of-scope question answered is a wrong answer to the customer), %.
 */
export function answersRight(result: Pick<ShopEvalResult, 'paraphrases' | 'outOfScope'>): number {
  const { correct, wrong } = result.paraphrases;
  return pct2(correct, correct + wrong + result.outOfScope.answered);
}

/** The result as an eval record (bench/results/eval-shop-<set>.json, docs/evaluation.md). */
export function shopRecord(
  result: ShopEvalResult,
  context: RecordContext & {
    /** The set's file name (without .json). */
    dataset: string;
  },
): EvalRecord {
  const p = result.paraphrases;
  const o = result.outOfScope;
  const t = result.thresholds;
  const sg = result.suggestions;
  const right = answersRight(result);
  return {
    task: 'shop',
    dataset: context.dataset,
    split: `${result.language} shop set ${result.set} (libs/eval/data/shop/${context.dataset.replace(/(-no-alternates)?(-typos)?$/, '')}.json${context.dataset.includes('-no-alternates') ? ', every alternate removed' : ''}${context.dataset.endsWith('-typos') ? ', one typing error in a word of each paraphrase (withTypos)' : ''})`,
    n: p.n + o.n + result.spans.n,
    mode: context.mode,
    models: context.models,
    metrics: {
      thresholds: t,
      calibration: result.calibration ?? null,
      paraphrases: p,
      outOfScope: o,
      spans: result.spans,
      answeredCorrectly: pct2(p.correct, p.n),
      wrong: pct2(p.wrong, p.n),
      clarified: pct2(p.clarify, p.n),
      outOfScopeFallback: pct2(o.fallback, o.n),
      answersRight: right,
      ceiling: result.ceiling,
      suggestions: result.suggestions,
    },
    tables: [
      {
        title: `Customer paraphrases (${p.n}), out-of-scope questions (${o.n}) and span questions (${result.spans.n})`,
        columns: [
          ...OUTCOME_COLUMNS,
          'answers right % (of every answer, out-of-scope questions included)',
          'span: answer contains gold %',
          'span reader EM / F1',
        ],
        rows: [
          [
            ...outcomeRow(p, o),
            right,
            pct2(result.spans.containsGold, result.spans.n),
            `${result.spans.readerExactMatch.toFixed(1)} / ${result.spans.readerF1.toFixed(1)}`,
          ],
        ],
      },
      {
        title:
          'Ceiling of the FAQ decision: the best FAQ threshold + margin chosen on these very questions (≤ 5 % wrong, ≥ 90 % out-of-scope falling back)',
        columns: [
          'right entry first %',
          'answered correctly %',
          'wrong %',
          'out-of-scope falling back %',
          'faq',
          'margin',
        ],
        rows: [
          [
            result.ceiling.top1,
            result.ceiling.correct,
            result.ceiling.wrong,
            result.ceiling.outOfScopeFallback,
            result.ceiling.faq ?? 'none',
            result.ceiling.margin ?? 'none',
          ],
        ],
      },
      {
        title: 'Fallback suggestions ("did you mean"): out-of-scope and in-scope questions that fell back',
        columns: [
          'out-of-scope fallbacks',
          'with any suggestion %',
          'suggestions per fallback',
          'paraphrase fallbacks',
          'with any suggestion %',
          'labelled entry suggested %',
        ],
        rows: [
          [
            sg.outOfScopeFallbacks,
            pct2(sg.outOfScopeWithAny, sg.outOfScopeFallbacks),
            sg.outOfScopeFallbacks
              ? Math.round((100 * sg.outOfScopeSuggested) / sg.outOfScopeFallbacks) / 100
              : 0,
            sg.paraphraseFallbacks,
            pct2(sg.paraphraseWithAny, sg.paraphraseFallbacks),
            pct2(sg.paraphraseRightSuggested, sg.paraphraseFallbacks),
          ],
        ],
      },
      {
        title: 'Thresholds in force',
        columns: ['faq', 'clarify', 'margin', 'answer', 'suggest', 'source'],
        rows: [
          [
            t.faq,
            t.clarify,
            t.margin,
            t.answer,
            t.suggest ?? `${Math.round(suggestionFloor(t) * 1000) / 1000} (0.3 x clarify)`,
            result.calibration
              ? `${result.calibration.calibrated ? 'calibrated' : 'defaults'}: ${result.calibration.reason}`
              : 'given',
          ],
        ],
      },
    ],
    reference: [],
    notes: [
      'Answered correctly = an FAQ answer (or a span extracted from an FAQ answer) from the labelled entry; wrong = any other answer (another entry or a document span); a clarification or a fallback is neither.',
      'Thresholds calibrated on the set content exactly as a KB publish does (ThresholdCalibrator, target precision 0.9, the bundled out-of-domain bank); the paraphrases, out-of-scope and span questions are never seen by calibration.',
      'Ceiling: an oracle (threshold and margin picked on the scored questions themselves, the reader left out) bounding what calibration of those two numbers could reach with these FAQ scores.',
      'Span reader EM/F1: the reader alone over the chunked document the gold span is in (CMRC char-level for zh, SQuAD for en).',
    ],
    command: context.command,
    revision: context.revision,
    date: new Date().toISOString(),
    machine: describeMachine(),
  };
}
