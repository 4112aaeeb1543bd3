/**
 * How each EvalSuite task reports its result: the metrics kept in the record, the tables that
 * docs/evaluation.md shows, and the notes a reader of the numbers must see beside them.
 */
import type { Language } from '../datasets/dataset-catalog';
import type { ResultTable } from '../report/eval-record';
import type { CacheEvalResult, LatencySummary } from './cache-eval';
import type { EndToEndResult } from './end-to-end-eval';
import type { Int8Comparison, Int8Side } from './int8-eval';
import type { LongContextResult } from './long-context-eval';
import type { PairClassificationResult } from './pair-classification-eval';
import type { ReaderEvalResult } from './reader-eval';
import type { RetrievalSystemResult } from './retrieval-eval';
import type { SimilarityEvalResult } from './similarity-eval';
import type { SuiteRecordBody } from './suite-record';

const pct = (x: number) => 100 * x;

export interface IntentClassification {
  system: string;
  accuracy: number;
  macroF1: number;
}

export function retrievalReport(run: {
  results: RetrievalSystemResult[];
  /** Intent sets only: the top entry read as the predicted intent. */
  classification?: IntentClassification[];
  entries: number;
  documents: number;
  queries: number;
  embedder: boolean;
  reranker: boolean;
}): SuiteRecordBody {
  const { results, classification, entries, documents } = run;
  const notes = [
    `KB: ${entries} entries, ${documents} indexed texts; ${run.queries} queries. Recall@k: share of queries whose gold entry is in the top k.`,
  ];
  if (!run.embedder) notes.push('vector, hybrid and hybrid + rerank need an embedder model: not run here.');
  else if (!run.reranker)
    notes.push(
      'hybrid + rerank needs a sequence-classification (cross-encoder) model in --models-dir: not run.',
    );
  const tables: ResultTable[] = classification
    ? [
        {
          title: 'As intent classification (top entry = predicted intent)',
          columns: ['system', 'accuracy', 'macro-F1'],
          rows: classification.map((c) => [c.system, pct(c.accuracy), pct(c.macroF1)]),
        },
      ]
    : [];
  return {
    metrics: {
      systems: results.map(({ top1: _top1, ...r }) => r),
      ...(classification ? { intentClassification: classification } : {}),
      entries,
      documents,
    },
    tables: [
      {
        columns: ['system', 'Recall@1', 'Recall@5', 'Recall@10', 'MRR', 'queries/s'],
        rows: results.map((r) => [
          r.system,
          pct(r.recallAt[1]),
          pct(r.recallAt[5]),
          pct(r.recallAt[10]),
          pct(r.mrr),
          Math.round(r.queriesPerSecond),
        ]),
      },
      ...tables,
    ],
    notes,
  };
}

export function readerReport(result: ReaderEvalResult, reader: string, language: Language): SuiteRecordBody {
  const { predictions, ...metrics } = result;
  return {
    metrics: { ...metrics, samplePredictions: predictions.slice(0, 10) },
    tables: [
      {
        columns: ['reader', 'EM', 'F1', 'answer contains gold %', 'answered %', 'questions/s'],
        rows: [
          [
            reader,
            result.exactMatch,
            result.f1,
            result.containsGold,
            pct(result.answeredShare),
            Math.round(result.questionsPerSecond),
          ],
        ],
      },
    ],
    notes: [
      language === 'zh'
        ? 'Scored with the CMRC 2018 rules (character-level F1, LCS overlap); embedded English is tokenised with a regex approximation of NLTK word_tokenize.'
        : 'Scored with the SQuAD v1.1 rules (normalised EM, bag-of-tokens F1, max over gold answers).',
    ],
  };
}

export function endToEndReport(
  result: EndToEndResult,
  run: { retriever: string; reader: string; threshold: number; split: string },
): SuiteRecordBody {
  const { threshold } = run;
  return {
    split: run.split,
    metrics: { ...result, retriever: run.retriever },
    tables: [
      {
        title: `Summary (retriever ${run.retriever}, reader ${run.reader}, top 3 passages)`,
        columns: [
          'gold passage retrieved %',
          'gold passage first %',
          'EM (all answered)',
          'F1 (all answered)',
          'threshold',
          'answer rate %',
          'accuracy of answered % (F1 >= 0.5)',
          'answered that contain gold %',
        ],
        rows: [
          [
            pct(result.passageRecall),
            pct(result.passageRecallAt1),
            result.exactMatch,
            result.f1,
            threshold,
            pct(result.answerRate),
            pct(result.accuracyOfAnswered),
            pct(result.containsGoldOfAnswered),
          ],
        ],
      },
      {
        title: 'Precision / coverage over the answer threshold',
        columns: [
          'threshold',
          'coverage %',
          'precision % (F1 >= 0.5)',
          'precision % (answer contains gold)',
          'answered',
        ],
        rows: result.curve.map((p, i) => [
          p.threshold,
          pct(p.coverage),
          pct(p.precision),
          pct(result.containsCurve[i].precision),
          p.answered,
        ]),
      },
      {
        title:
          'Suggested thresholds: the lowest that meets each precision floor (most coverage at that precision)',
        columns: [
          'precision floor',
          'F1 >= 0.5: threshold',
          'coverage %',
          'contains gold: threshold',
          'coverage %',
        ],
        rows: result.suggested.map((s) => [
          s.precisionFloor,
          s.point ? s.point.threshold : 'none',
          s.point ? pct(s.point.coverage) : 0,
          s.containsPoint ? s.containsPoint.threshold : 'none',
          s.containsPoint ? pct(s.containsPoint.coverage) : 0,
        ]),
      },
    ],
  };
}

/** `embedderId` absent: the lexical TF-IDF cosine scored the pairs. */
export function similarityReport(result: SimilarityEvalResult, embedderId?: string): SuiteRecordBody {
  return {
    metrics: { ...result, scorer: embedderId ? 'embedder cosine' : 'TF-IDF cosine' },
    tables: [
      {
        columns: ['scorer', 'Spearman x100', 'Pearson x100'],
        rows: [[cosineScorer(embedderId), result.spearman, result.pearson]],
      },
    ],
  };
}

/** `embedderId` absent: the lexical TF-IDF cosine scored the pairs. */
export function pairReport(result: PairClassificationResult, embedderId?: string): SuiteRecordBody {
  return {
    metrics: { ...result, scorer: embedderId ? 'embedder cosine' : 'TF-IDF cosine' },
    tables: [
      {
        columns: [
          'scorer',
          'accuracy (2-fold tuned threshold)',
          'accuracy (threshold tuned on all)',
          'Spearman x100',
          'majority-class accuracy',
        ],
        rows: [
          [
            cosineScorer(embedderId),
            result.accuracy,
            result.oracleAccuracy,
            result.spearman,
            pct(Math.max(result.positiveShare, 1 - result.positiveShare)),
          ],
        ],
      },
    ],
    notes: [
      'Published accuracies are fine-tuned cross-encoders (BERT reading both sentences together); a bi-encoder or lexical threshold is a different, weaker setting.',
    ],
  };
}

function cosineScorer(embedderId?: string): string {
  return embedderId ? `${embedderId} cosine` : 'TF-IDF cosine (lexical)';
}

export function cacheReport(
  result: CacheEvalResult,
  run: { retriever: string; cacheSize: number; distinctQueries: number },
): SuiteRecordBody {
  const row = (label: string, s: LatencySummary, hitRate: number) => [
    label,
    pct(hitRate),
    s.meanMs,
    s.p50Ms,
    s.p95Ms,
    s.p99Ms,
    s.totalSeconds,
  ];
  return {
    split: `Zipf (s = 1.0) log of ${result.n} questions over ${run.distinctQueries} distinct queries`,
    metrics: { ...result, retriever: run.retriever },
    tables: [
      {
        columns: ['run', 'hit rate %', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'total s'],
        rows: [
          row('no cache', result.withoutCache, 0),
          row(`LRU cache (${run.cacheSize}, normalised key)`, result.withCache, result.hitRate),
        ],
      },
    ],
    notes: [
      `Answer = ${run.retriever} retrieval of the top 5 FAQ entries (in-process, no HTTP); ${result.distinctKeys} distinct normalised keys among ${result.distinctQuestions} distinct strings; ideal (unbounded) hit rate ${pct(result.idealHitRate).toFixed(1)}%; cached answers differing from fresh ones: ${result.staleAnswers}.`,
      'The cache is a local LRU keyed by normalizeQuestion + KB version, as the API keys it; the API cache class itself is not reused here.',
    ],
  };
}

export function longContextReport(
  result: LongContextResult,
  run: { split: string; lexicalReader: boolean; defaultCap: number },
): SuiteRecordBody {
  const row = (label: string, r: LongContextResult['sliding'], kept: number | string) => [
    label,
    r.exactMatch,
    r.f1,
    kept,
  ];
  const notes = [
    `Long contexts: the gold paragraph among other paragraphs of the file, about ${Math.round(result.meanContextTokens)} estimated tokens on average (over 512). Truncation keeps what one 512-token window holds (token count estimated: 1 per CJK character, 1.3 per word).`,
  ];
  if (run.lexicalReader)
    notes.push(
      'The lexical reader has no window, so "sliding" is simply the whole text; the comparison is meaningful only with a neural reader.',
    );
  return {
    defaultCap: run.defaultCap,
    split: `${run.split}, long contexts`,
    metrics: {
      meanContextTokens: result.meanContextTokens,
      goldKeptByTruncation: result.goldKeptByTruncation,
      sliding: { exactMatch: result.sliding.exactMatch, f1: result.sliding.f1 },
      truncated: { exactMatch: result.truncated.exactMatch, f1: result.truncated.f1 },
      original: { exactMatch: result.original.exactMatch, f1: result.original.f1 },
    },
    tables: [
      {
        columns: ['context', 'EM', 'F1', 'gold answer inside %'],
        rows: [
          row('original paragraph', result.original, 100),
          row('long, sliding windows', result.sliding, 100),
          row('long, truncated to 512', result.truncated, pct(result.goldKeptByTruncation)),
        ],
      },
    ],
    notes,
  };
}

export function int8Report(
  result: Int8Comparison,
  run: { split: string; defaultCap: number },
): SuiteRecordBody {
  const quality = result.task === 'qa' ? 'F1' : 'Spearman x100';
  const agreement =
    result.task === 'qa'
      ? `top-1 span agreement ${pct(result.top1Agreement!).toFixed(1)}%`
      : `embedding cosine mean ${result.cosine!.mean.toFixed(4)}, min ${result.cosine!.min.toFixed(4)}`;
  const side = (label: string, s: Int8Side) => [
    label,
    s.id,
    (s.bytes / 2 ** 20).toFixed(1),
    s.perSecond,
    s.quality,
  ];
  return {
    defaultCap: run.defaultCap,
    split: `${run.split} (${result.task === 'qa' ? 'questions' : 'sentences'})`,
    metrics: { ...result },
    tables: [
      {
        columns: [
          'graph',
          'model',
          'ONNX MiB',
          result.task === 'qa' ? 'questions/s' : 'sentences/s',
          quality,
        ],
        rows: [side('fp32', result.fp32), side('int8', result.int8)],
      },
    ],
    notes: [
      `Size ratio ${result.sizeRatio.toFixed(2)}, speed-up ${result.speedup.toFixed(2)}x, ${agreement}, ${quality} change ${result.qualityDelta.toFixed(2)} points (target: at most 1 point lost).`,
    ],
  };
}
