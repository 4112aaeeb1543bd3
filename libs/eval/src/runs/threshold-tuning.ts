/**
 * Tunes the ask policy's default thresholds on the dev sets: the FAQ threshold from the API's own FAQ
 * confidence (LexicalFaqScorer from @wendao/answer, or embedder cosine) on paraphrase pairs and FAQ
 * retrieval, and the answer threshold from the end-to-end reader's precision/coverage curve.
 */
import { cosineSimilarity, type Embedder } from '@wendao/encoder';
import { AnswerPipeline, KnowledgeIndex, LexicalFaqScorer } from '@wendao/answer';
import {
  catalogEntry,
  datasetPath,
  PAIR_DATASETS,
  READER_DATASETS,
  RETRIEVAL_DATASETS,
} from '../datasets/dataset-catalog';
import { intentsToRetrievalSet, loadBanking77 } from '../datasets/intent-dataset';
import type { RetrievalSet } from '../datasets/retrieval-set';
import { sampleInOrder } from '../datasets/seeded-random';
import { loadSentencePairs, type SentencePair } from '../datasets/sentence-pair-dataset';
import { loadSquadFile } from '../datasets/squad-dataset';
import { loadStackFaq } from '../datasets/stackfaq-dataset';
import { precisionCoverageCurve, type CoveragePoint, type ScoredAnswer } from '../metrics/precision-coverage';
import { describeMachine, type EvalRecord, type ResultTable } from '../report/eval-record';
import { evaluateEndToEnd } from './end-to-end-eval';
import { loadEvalModels, type EvalModelOptions } from './eval-models';
import type { PairEmbedder } from './pair-scorer';

/** Thresholds 0, 0.01, ..., 1: the lexical scores are ratios of small counts, so 0.05 steps skip real cut points. */
export const FINE_THRESHOLDS: readonly number[] = Array.from({ length: 101 }, (_, i) => i / 100);

async function embedAll(
  texts: string[],
  embedder: PairEmbedder,
  batchSize = 64,
): Promise<Map<string, Float32Array>> {
  const distinct = [...new Set(texts)];
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < distinct.length; i += batchSize) {
    const batch = distinct.slice(i, i + batchSize);
    const { vectors: out } = await embedder.embed(batch);
    batch.forEach((text, j) => vectors.set(text, out[j]));
  }
  return vectors;
}

/** The API's FAQ confidence of a neural match: cosine clamped to [0, 1]. */
const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/**
 * Paraphrase pairs as FAQ decisions: one side is the FAQ phrasing, the other the user's question,
 * and returning the FAQ is right exactly when the pair is labelled the same question. Lexical: the
 * API's LexicalFaqScorer with every pair's FAQ side as an entry (so IDF comes from the whole set).
 */
export async function scoreFaqPairs(
  pairs: readonly SentencePair[],
  embedder?: PairEmbedder,
): Promise<ScoredAnswer[]> {
  if (pairs.length === 0) throw new Error('scoreFaqPairs: no pairs');
  if (!embedder) {
    const scorer = new LexicalFaqScorer();
    const seqOf = new Map<string, number>();
    for (const p of pairs)
      if (!seqOf.has(p.b)) {
        seqOf.set(p.b, seqOf.size + 1);
        scorer.upsert(seqOf.size, { question: p.b, alternates: [], answer: '' });
      }
    return pairs.map((p) => ({
      confidence: scorer.score(scorer.weigh(p.a), seqOf.get(p.b)!)!.confidence,
      correct: p.positive,
    }));
  }
  const vectors = await embedAll(
    pairs.flatMap((p) => [p.a, p.b]),
    embedder,
  );
  return pairs.map((p) => ({
    confidence: clamp01(cosineSimilarity(vectors.get(p.a)!, vectors.get(p.b)!)),
    correct: p.positive,
  }));
}

/**
 * FAQ retrieval as the API decides it: each entry becomes an FAQ of a KnowledgeIndex (its phrasings
 * as question and alternates, its other texts as the answer), each query is answered from the index's
 * best FAQ (KnowledgeIndex.searchFaqs, the server's scoring) and is right when that is a gold entry.
 * `phrasings` picks the texts an entry is asked by (StackFAQ entries also carry their answers).
 */
export async function scoreFaqRetrieval(
  set: RetrievalSet,
  phrasings: (entry: RetrievalSet['entries'][number]) => string[] = (e) => e.texts,
  embedder?: Embedder,
): Promise<ScoredAnswer[]> {
  if (set.queries.length === 0) throw new Error('scoreFaqRetrieval: no queries');
  const index = KnowledgeIndex.empty('faq-retrieval', 1, embedder);
  const seqOf = new Map<string, number>();
  for (const entry of set.entries) {
    const texts = phrasings(entry);
    if (texts.length === 0) continue;
    const answer = entry.texts.filter((t) => !texts.includes(t)).join('\n');
    const faq = { question: texts[0], alternates: texts.slice(1), answer };
    const [embedding] = embedder ? await KnowledgeIndex.embedFaqs(embedder, [faq]) : [];
    seqOf.set(entry.id, seqOf.size + 1);
    index.upsertFaq({ ...faq, seq: seqOf.size, id: entry.id, documentId: null, ...embedding });
  }
  if (index.faqs.size === 0) throw new Error('scoreFaqRetrieval: the KB has no phrasings');
  const queryVectors = embedder
    ? await embedAll(
        set.queries.map((q) => q.text),
        embedder,
      )
    : undefined;
  return set.queries.map((query) => {
    // The query's own sentence (pair sets: every sentence is an entry) is never a candidate.
    const best = index
      .searchFaqs(query.text, 3, { vector: queryVectors?.get(query.text) })
      .find((c) => c.faq.id !== query.exclude);
    return {
      confidence: best?.score ?? 0,
      correct: best !== undefined && query.relevant.includes(best.faq.id),
    };
  });
}

export interface ThresholdCurve {
  dataset: string;
  curve: CoveragePoint[];
}

export interface ThresholdChoiceAt {
  dataset: string;
  /** This set's own lowest threshold reaching the floor, or null when none does. */
  own: number | null;
  /** Precision and coverage on this set at the chosen threshold. */
  at: CoveragePoint;
}

export interface PrecisionFloorChoice {
  floor: number;
  /** The strictest of the per-set thresholds, so every set meets the floor; null when some set never does. */
  threshold: number | null;
  perDataset: ThresholdChoiceAt[];
}

/**
 * One default for several sets: each set's lowest threshold from which precision stays at or above
 * the floor at every higher threshold (so the choice is not a lucky spike in a noisy curve; points
 * with fewer than `minAnswered` answers are too few to judge and skipped), then the highest of
 * those. Null when some set never reaches the floor.
 */
export function thresholdForAllSets(
  curves: readonly ThresholdCurve[],
  floor: number,
  minAnswered = 30,
): PrecisionFloorChoice {
  if (curves.length === 0) throw new Error('thresholdForAllSets: no curves');
  const own = curves.map(({ curve }) => {
    const sorted = [...curve].sort((a, b) => a.threshold - b.threshold);
    let lowest: number | null = null;
    for (let i = sorted.length - 1; i >= 0; i--) {
      const p = sorted[i];
      if (p.answered < minAnswered) continue;
      if (p.precision < floor) break;
      lowest = p.threshold;
    }
    return lowest;
  });
  const threshold = own.some((t) => t === null) ? null : Math.max(...(own as number[]));
  return {
    floor,
    threshold,
    perDataset: curves.map(({ dataset, curve }, i) => ({
      dataset,
      own: own[i],
      // With no common threshold, show where the set stands at its strictest point.
      at:
        threshold === null
          ? curve.reduce((a, b) => (b.threshold > a.threshold ? b : a))
          : pointAt(curve, threshold),
    })),
  };
}

/** The curve's point at a threshold (the nearest one at or above it). */
export function pointAt(curve: readonly CoveragePoint[], threshold: number): CoveragePoint {
  const above = curve
    .filter((p) => p.threshold >= threshold - 1e-9)
    .sort((a, b) => a.threshold - b.threshold);
  if (above.length === 0) throw new Error(`no curve point at or above threshold ${threshold}`);
  return above[0];
}

/**
 * Answer-threshold rule: net benefit = right answers - wrong answers, over all questions, at each
 * threshold (a fallback scores 0: it hands the user to suggestions or a person, neither helping nor
 * misleading). Summed over the sets; ties go to the higher threshold.
 */
export function netBenefitThreshold(curves: readonly ThresholdCurve[]): {
  threshold: number;
  perDataset: Array<{ dataset: string; at: CoveragePoint; netBenefit: number }>;
  netBenefit: number;
} {
  if (curves.length === 0) throw new Error('netBenefitThreshold: no curves');
  const benefit = (p: CoveragePoint) => p.coverage * (2 * p.precision - 1);
  const thresholds = [...new Set(curves[0].curve.map((p) => p.threshold))].sort((a, b) => a - b);
  let best = thresholds[0];
  let bestSum = -Infinity;
  for (const t of thresholds) {
    const sum = curves.reduce((s, c) => s + benefit(pointAt(c.curve, t)), 0);
    if (sum >= bestSum - 1e-12) [best, bestSum] = [t, sum];
  }
  return {
    threshold: best,
    netBenefit: bestSum / curves.length,
    perDataset: curves.map((c) => {
      const at = pointAt(c.curve, best);
      return { dataset: c.dataset, at, netBenefit: benefit(at) };
    }),
  };
}

export interface ThresholdTuningOptions extends EvalModelOptions {
  datasetsDir: string;
  /** Cap on pairs / queries / questions per set (fixed-seed sample); the KBs are always whole. */
  limit?: number;
  /** Precision a returned FAQ answer must keep on every FAQ set (default 0.9). */
  faqPrecisionFloor?: number;
  /** Passages the reader gets per question, as the API's WENDAO_READER_PASSAGES (default 5). */
  readerPassages?: number;
  command: string;
  revision?: string;
  onProgress?: (label: string, done: number, total: number) => void;
}

const FAQ_PAIR_SETS = ['lcqmc', 'bq', 'afqmc'];
// Only sets whose gold is complete: in the retrieval view of LCQMC/BQ/AFQMC, duplicates of a query
// elsewhere in the dev set are unlabelled and would count as wrong answers (at Dice 1 LCQMC scores
// 6.6% "precision"), so those sets enter as labelled pairs instead.
const FAQ_RETRIEVAL_SETS = ['stackfaq', 'banking77'];
const ANSWER_SETS = ['cmrc2018', 'drcd', 'squad'];
const pct = (x: number) => Math.round(10000 * x) / 100;
/** The curves are shown every 0.05; the JSON keeps every 0.01. */
const shown = (curve: CoveragePoint[]) => curve.filter((p) => Math.round(p.threshold * 100) % 5 === 0);

function curveTable(title: string, curves: ThresholdCurve[]): ResultTable {
  const thresholds = shown(curves[0].curve).map((p) => p.threshold);
  return {
    title,
    columns: ['threshold', ...curves.flatMap((c) => [`${c.dataset} precision %`, `${c.dataset} coverage %`])],
    rows: thresholds.map((t) => [
      t,
      ...curves.flatMap((c) => {
        const p = pointAt(c.curve, t);
        return [pct(p.precision), pct(p.coverage)];
      }),
    ]),
  };
}

/**
 * `wendao eval thresholds`: the FAQ threshold (precision floor on every FAQ set) and the answer
 * threshold (net benefit over the reading-comprehension sets), in the mode the models allow.
 */
export async function tuneThresholds(options: ThresholdTuningOptions): Promise<EvalRecord> {
  const floor = options.faqPrecisionFloor ?? 0.9;
  if (!(floor > 0 && floor <= 1)) throw new Error(`FAQ precision floor must be in (0, 1], got ${floor}`);
  const models = await loadEvalModels(options, { embedder: true, reader: true });
  try {
    // StackFAQ and BANKING77 are English, the pair sets Chinese: each is scored with its language's embedder.
    const embedder = models.embedders.en;
    const counts: Record<string, number> = {};
    const faqCurves: ThresholdCurve[] = [];
    for (const name of FAQ_RETRIEVAL_SETS) {
      const entry = catalogEntry(RETRIEVAL_DATASETS, name, 'retrieval');
      const path = datasetPath(options.datasetsDir, entry);
      const set = name === 'stackfaq' ? loadStackFaq(path) : intentsToRetrievalSet(loadBanking77(path), 'en');
      // StackFAQ entries are [question, ...answers]: only the question is a phrasing in the API.
      const phrasings = name === 'stackfaq' ? (e: { texts: string[] }) => [e.texts[0]] : undefined;
      const scored = await scoreFaqRetrieval(
        { ...set, queries: sampleInOrder(set.queries, options.limit) },
        phrasings,
        embedder,
      );
      counts[`${name} retrieval`] = scored.length;
      faqCurves.push({ dataset: name, curve: precisionCoverageCurve(scored, FINE_THRESHOLDS) });
      options.onProgress?.('thresholds: FAQ retrieval sets', faqCurves.length, FAQ_RETRIEVAL_SETS.length);
    }
    const pairCurves: ThresholdCurve[] = [];
    for (const name of FAQ_PAIR_SETS) {
      const entry = catalogEntry(PAIR_DATASETS, name, 'pair');
      const pairs = sampleInOrder(loadSentencePairs(datasetPath(options.datasetsDir, entry)), options.limit);
      const scored = await scoreFaqPairs(pairs, models.embedders[entry.language]);
      counts[`${name} pairs`] = scored.length;
      pairCurves.push({ dataset: `${name} pairs`, curve: precisionCoverageCurve(scored, FINE_THRESHOLDS) });
    }
    const faqChoices = [0.8, 0.85, 0.9, 0.95].map((f) => thresholdForAllSets(faqCurves, f));
    const faqChoice = thresholdForAllSets(faqCurves, floor);
    const pairChoices = [0.8, 0.85, 0.9, 0.95].map((f) => thresholdForAllSets(pairCurves, f));
    const pairChoice = thresholdForAllSets(pairCurves, floor);

    // The answer threshold, with the reader and passage count the API uses, on BM25 over every paragraph.
    const answerCurves: ThresholdCurve[] = [];
    const containsCurves: ThresholdCurve[] = [];
    const passageRecall: Record<string, number> = {};
    for (const name of ANSWER_SETS) {
      const entry = catalogEntry(READER_DATASETS, name, 'end-to-end');
      const dataset = loadSquadFile(datasetPath(options.datasetsDir, entry));
      const examples = sampleInOrder(dataset.examples, options.limit);
      const result = await evaluateEndToEnd(
        examples,
        dataset.contexts,
        // BM25 retrieval (no embedder): the threshold is about the reader's confidence, and embedding
        // every paragraph of three sets would dominate the run without changing what is read much.
        new AnswerPipeline({
          reader: models.readers,
          readerPassages: options.readerPassages ?? 5,
        }),
        {
          language: entry.language,
          thresholds: [...FINE_THRESHOLDS],
          onProgress: options.onProgress && ((d, t) => options.onProgress!(`thresholds: e2e ${name}`, d, t)),
        },
      );
      counts[name] = result.n;
      passageRecall[name] = result.passageRecall;
      answerCurves.push({ dataset: name, curve: result.curve });
      containsCurves.push({ dataset: name, curve: result.containsCurve });
    }
    // The lexical reader answers with a typed span or the whole sentence, shown with its source, so
    // "the answer contains the gold answer" is what a user gets from it; F1 >= 0.5 is kept alongside.
    // Chosen on the Chinese sets (the product's first language); the all-set and English optima are
    // reported beside it, since a mostly English KB may want its own answerThreshold.
    const zh = (c: ThresholdCurve) => READER_DATASETS[c.dataset].language === 'zh';
    const answerChoice = netBenefitThreshold(containsCurves.filter(zh));
    const answerAllChoice = netBenefitThreshold(containsCurves);
    const answerEnChoice = netBenefitThreshold(containsCurves.filter((c) => !zh(c)));
    const answerF1Choice = netBenefitThreshold(answerCurves);
    // The best precision reachable with enough answers to mean something (50, or all a small sample has).
    const bestPrecision = answerCurves.map((c) => {
      const enough = c.curve.filter((p) => p.answered >= Math.min(50, c.curve[0].answered));
      return {
        dataset: c.dataset,
        best: enough.reduce((a, b) => (b.precision > a.precision ? b : a)),
      };
    });

    const used = models.used;
    const neural = used.length > 0;
    const faqScorer = embedder
      ? `${embedder.modelId} cosine (clamped to [0, 1])`
      : 'lexical FAQ score (LexicalFaqScorer, as the server)';
    return {
      task: 'thresholds',
      dataset: 'faq+answer',
      split:
        'StackFAQ, BANKING77 test as FAQ retrieval; LCQMC, BQ, AFQMC dev pairs; CMRC 2018, DRCD, SQuAD dev end to end',
      n: Object.values(counts).reduce((a, b) => a + b, 0),
      mode: neural ? 'neural' : 'lexical',
      models: neural ? used : 'none (lexical)',
      metrics: {
        faqScorer,
        reader: models.readers.mixed.mode,
        counts,
        faqPrecisionFloor: floor,
        faqThreshold: faqChoice.threshold,
        faqChoice,
        faqChoicesByFloor: faqChoices,
        answerThreshold: answerChoice.threshold,
        answerChoice,
        answerAllChoice,
        answerEnChoice,
        answerF1Choice,
        answerBestPrecision: bestPrecision,
        passageRecall,
        faqCurves,
        pairChoicesByFloor: pairChoices,
        pairCurves,
        answerCurves,
        containsCurves,
      },
      tables: [
        {
          title: `Chosen defaults (${neural ? 'neural' : 'lexical'} mode)`,
          columns: ['threshold', 'value', 'rule'],
          rows: [
            [
              'FAQ',
              faqChoice.threshold ?? 'none',
              `lowest from which every FAQ retrieval set keeps precision >= ${floor} (${faqScorer})`,
            ],
            [
              'answer',
              answerChoice.threshold,
              'max net benefit (right - wrong answers per question, right = answer contains gold), summed over the Chinese sets (CMRC 2018, DRCD)',
            ],
            [
              'answer, all three sets',
              answerAllChoice.threshold,
              'the same rule over CMRC 2018, DRCD and SQuAD',
            ],
            ['answer, SQuAD only', answerEnChoice.threshold, 'the same rule on the English set'],
            [
              'answer, F1 >= 0.5 = right',
              answerF1Choice.threshold,
              'the same rule over all three sets with the stricter correctness',
            ],
          ],
        },
        {
          title: 'FAQ threshold per precision floor on the retrieval sets: the strictest set decides',
          columns: [
            'precision floor',
            'threshold',
            ...faqCurves.map((c) => `${c.dataset}: own t / precision % / coverage % at the chosen t`),
          ],
          rows: faqChoices.map((c) => [
            c.floor,
            c.threshold ?? 'none',
            ...c.perDataset.map((d) => `${d.own ?? 'none'} / ${pct(d.at.precision)} / ${pct(d.at.coverage)}`),
          ]),
        },
        curveTable(`FAQ retrieval precision / coverage over the threshold (${faqScorer})`, faqCurves),
        {
          title: `Stress test, paraphrase pairs (topically close negatives) at the chosen FAQ threshold ${faqChoice.threshold ?? 'none'}`,
          columns: [
            'set',
            'precision %',
            'pairs accepted %',
            'paraphrases accepted %',
            `own threshold for precision ${floor}`,
            'best precision % (>= 30 accepted)',
          ],
          rows: pairCurves.map((c, i) => {
            const at = faqChoice.threshold === null ? null : pointAt(c.curve, faqChoice.threshold);
            // Every pair is accepted at threshold 0, so its precision there is the share of positives.
            const positives = c.curve[0].precision * c.curve[0].answered;
            const best = c.curve
              .filter((p) => p.answered >= 30)
              .reduce((a, b) => (b.precision > a.precision ? b : a), c.curve[0]);
            return [
              c.dataset,
              at ? pct(at.precision) : 'n/a',
              at ? pct(at.coverage) : 'n/a',
              at ? pct((at.precision * at.answered) / positives) : 'n/a',
              pairChoice.perDataset[i].own ?? 'none',
              `${pct(best.precision)} at ${best.threshold}`,
            ];
          }),
        },
        curveTable('Paraphrase pairs precision / coverage over the threshold', pairCurves),
        {
          title: 'Answer threshold: at the chosen value, per set',
          columns: [
            'set',
            'precision % (contains gold)',
            'precision % (F1 >= 0.5)',
            'coverage %',
            'net benefit % (contains gold)',
            'best precision % (F1 >= 0.5, >= 50 answered) at t',
            'gold passage retrieved %',
          ],
          rows: containsCurves.map((c, i) => {
            const at = pointAt(c.curve, answerChoice.threshold);
            return [
              c.dataset,
              pct(at.precision),
              pct(pointAt(answerCurves[i].curve, answerChoice.threshold).precision),
              pct(at.coverage),
              pct(at.coverage * (2 * at.precision - 1)),
              `${pct(bestPrecision[i].best.precision)} at ${bestPrecision[i].best.threshold}`,
              pct(passageRecall[c.dataset]),
            ];
          }),
        },
        curveTable(
          `Answer precision (F1 >= 0.5) / coverage over the threshold (reader ${models.readers.mixed.mode})`,
          answerCurves,
        ),
        curveTable('Answer precision (answer contains gold) / coverage over the threshold', containsCurves),
        {
          title:
            'Net benefit (right - wrong answers per question, %, right = contains gold) over the threshold',
          columns: ['threshold', ...containsCurves.map((c) => c.dataset), 'zh sum', 'sum'],
          rows: shown(containsCurves[0].curve).map(({ threshold }) => {
            const each = containsCurves.map((c) => {
              const p = pointAt(c.curve, threshold);
              return p.coverage * (2 * p.precision - 1);
            });
            const zhSum = each.filter((_, i) => zh(containsCurves[i])).reduce((a, b) => a + b, 0);
            return [threshold, ...each.map(pct), pct(zhSum), pct(each.reduce((a, b) => a + b, 0))];
          }),
        },
      ],
      reference: [],
      notes: [
        'FAQ retrieval (StackFAQ threads, BANKING77 intents with their training utterances as alternates): each query is answered from its best FAQ (BM25 candidates over the phrasings rescored by the API confidence, as the API does); answered = that FAQ reaches the threshold, correct = it is the gold entry. The FAQ threshold is chosen on these, where the gold is complete.',
        'Coverage on the pair sets is the share of all pairs accepted; their precision depends on the share of positive pairs (LCQMC and BQ about half, AFQMC about 30%), and the negatives are topically close, which is the confusion the FAQ threshold guards against.',
        `Answer curves: the answer pipeline over a KB of all paragraphs of the set (BM25 retrieval), top ${options.readerPassages ?? 5} passages to the reader (the API default), correct = the answer contains a gold answer (or, stricter, F1 >= 0.5). Net benefit scores a fallback 0, a right answer +1 and a wrong one -1.`,
        ...(options.limit !== undefined
          ? [`Capped with --limit ${options.limit} per set (fixed-seed sample).`]
          : []),
      ],
      command: options.command,
      revision: options.revision,
      date: new Date().toISOString(),
      machine: describeMachine(),
    };
  } finally {
    await models.close();
  }
}
