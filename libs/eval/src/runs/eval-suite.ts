/**
 * The evals behind `wendao eval`: each method loads a dataset from the shared folder, runs one
 * measurement with the models found (or lexically), and returns the EvalRecord with its tables.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  catalogEntry,
  datasetPath,
  PAIR_DATASETS,
  READER_DATASETS,
  RETRIEVAL_DATASETS,
  STS_DATASETS,
  type CatalogEntry,
  type Language,
} from '../datasets/dataset-catalog';
import {
  intentsToRetrievalSet,
  loadCais,
  limitPerLabel,
  loadBanking77,
  loadClinc150,
  loadSmp2017,
  type IntentSplit,
} from '../datasets/intent-dataset';
import type { RetrievalSet } from '../datasets/retrieval-set';
import { sampleInOrder } from '../datasets/seeded-random';
import { loadSentencePairs, pairsToRetrievalSet } from '../datasets/sentence-pair-dataset';
import { loadSquadFile } from '../datasets/squad-dataset';
import { loadStackFaq } from '../datasets/stackfaq-dataset';
import { loadStsbEn, loadStsbZh } from '../datasets/sts-dataset';
import { accuracy, macroF1 } from '../metrics/classification-metrics';
import {
  describeMachine,
  type EvalRecord,
  type EvalTask,
  type ModelUsed,
  type ResultTable,
} from '../report/eval-record';
import { Bm25Ranker } from './bm25-ranker';
import { evaluateCache, zipfQueryLog } from './cache-eval';
import { evaluateEndToEnd } from './end-to-end-eval';
import { loadEvalModels, type EvalModelOptions, type EvalModels } from './eval-models';
import { HybridRanker } from './hybrid-ranker';
import { compareInt8Embedder, compareInt8Reader, int8Folders, type Int8Comparison } from './int8-eval';
import { evaluateLongContext } from './long-context-eval';
import { evaluatePairClassification } from './pair-classification-eval';
import { evaluateReader } from './reader-eval';
import { entryDocuments, evaluateRetrieval, rankEntries, type DocumentRanker } from './retrieval-eval';
import { evaluateSimilarity } from './similarity-eval';
import { VectorRanker } from './vector-ranker';

export interface EvalSuiteOptions extends EvalModelOptions {
  datasetsDir: string;
  /** Cap on queries / questions / pairs scored (a fixed-seed sample); the KB is always the whole set. */
  limit?: number;
  /** The command line recorded with the numbers, so they can be reproduced. */
  command: string;
  /** Source revision recorded with the numbers. */
  revision?: string;
  onProgress?: (label: string, done: number, total: number) => void;
}

const pct = (x: number) => 100 * x;
const INTENT_SETS = new Set(['banking77', 'clinc150', 'smp2017', 'cais']);
const LEXICAL_NOTE =
  'Lexical mode: no model in --models-dir for this task, so these are the no-model floor (BM25 / typed-span reader / TF-IDF), not neural numbers.';

export class EvalSuite {
  constructor(private readonly options: EvalSuiteOptions) {}

  private progress(label: string) {
    const report = this.options.onProgress;
    return report ? (done: number, total: number) => report(label, done, total) : undefined;
  }

  private record(
    task: EvalTask,
    entry: CatalogEntry,
    n: number,
    used: ModelUsed[],
    body: Pick<EvalRecord, 'metrics' | 'tables'> & { notes?: string[]; split?: string; defaultCap?: number },
  ): EvalRecord {
    const neural = used.length > 0;
    const notes = [...(body.notes ?? [])];
    if (!neural) notes.unshift(LEXICAL_NOTE);
    if (this.options.limit !== undefined)
      notes.push(`Capped with --limit ${this.options.limit} (fixed-seed sample).`);
    else if (body.defaultCap !== undefined)
      notes.push(
        `A fixed-seed sample of at most ${body.defaultCap} (this eval's default; --limit changes it).`,
      );
    return {
      task,
      dataset: entry.name,
      split: body.split ?? entry.split,
      n,
      mode: neural ? 'neural' : 'lexical',
      models: neural ? used : 'none (lexical)',
      metrics: body.metrics,
      tables: body.tables,
      reference: entry.references,
      notes,
      command: this.options.command,
      revision: this.options.revision,
      date: new Date().toISOString(),
      machine: describeMachine(),
    };
  }

  /**
   * The retrieval view of a named set (FAQ, question-matching, or intent set). `shots` keeps only that
   * many training utterances per intent (intent sets only); the record's dataset name says so.
   */
  loadRetrievalSet(name: string, shots?: number): { entry: CatalogEntry; set: RetrievalSet } {
    const entry = catalogEntry(RETRIEVAL_DATASETS, name, 'retrieval');
    const path = datasetPath(this.options.datasetsDir, entry);
    if (shots !== undefined && !INTENT_SETS.has(name))
      throw new Error(`--shots applies to the intent sets (${[...INTENT_SETS].join(', ')}), not "${name}"`);
    const intents = (split: IntentSplit, language: Language): RetrievalSet =>
      intentsToRetrievalSet(shots === undefined ? split : limitPerLabel(split, shots), language);
    let set: RetrievalSet;
    if (name === 'stackfaq') set = loadStackFaq(path);
    else if (name === 'banking77') set = intents(loadBanking77(path), 'en');
    else if (name === 'clinc150') set = intents(loadClinc150(path), 'en');
    else if (name === 'smp2017') set = intents(loadSmp2017(path), 'zh');
    else if (name === 'cais') set = intents(loadCais(path), 'zh');
    else set = pairsToRetrievalSet(loadSentencePairs(path), entry.language);
    if (shots === undefined) return { entry, set };
    return {
      entry: {
        ...entry,
        name: `${name}-${shots}shot`,
        split: `train: ${shots} utterances per intent / test as queries`,
      },
      set,
    };
  }

  private async rankers(texts: string[], models: EvalModels, label: string): Promise<DocumentRanker[]> {
    const bm25 = new Bm25Ranker(texts);
    if (!models.embedder) return [bm25];
    const vector = await VectorRanker.build(texts, models.embedder, this.progress(`${label}: embedding`));
    const rankers: DocumentRanker[] = [bm25, vector, new HybridRanker(bm25, vector, models.embedder)];
    if (models.reranker)
      rankers.push(new HybridRanker(bm25, vector, models.embedder, { reranker: models.reranker, texts }));
    return rankers;
  }

  async retrieval(name: string, shots?: number): Promise<EvalRecord> {
    const { entry, set } = this.loadRetrievalSet(name, shots);
    const queries = sampleInOrder(set.queries, this.options.limit);
    const models = await loadEvalModels(this.options, { embedder: true, reranker: true });
    try {
      const docs = entryDocuments(set);
      const rankers = await this.rankers(docs.texts, models, name);
      const results = await evaluateRetrieval({ ...set, queries }, docs, rankers, {
        onProgress: this.progress(`retrieval ${name}`),
      });
      const notes = [
        `KB: ${set.entries.length} entries, ${docs.texts.length} indexed texts; ${queries.length} queries. Recall@k: share of queries whose gold entry is in the top k.`,
      ];
      if (!models.embedder)
        notes.push('vector, hybrid and hybrid + rerank need an embedder model: not run here.');
      else if (!models.reranker)
        notes.push(
          'hybrid + rerank needs a sequence-classification (cross-encoder) model in --models-dir: not run.',
        );
      // Intent sets: the top entry is the predicted intent, so retrieval doubles as 1-nearest-neighbour
      // intent classification with the training utterances as the labelled examples.
      const intents = INTENT_SETS.has(name);
      const gold = queries.map((q) => q.relevant[0]);
      const classification = results.map((r) => ({
        system: r.system,
        accuracy: accuracy(gold, r.top1),
        macroF1: macroF1(gold, r.top1),
      }));
      const tables: ResultTable[] = intents
        ? [
            {
              title: 'As intent classification (top entry = predicted intent)',
              columns: ['system', 'accuracy', 'macro-F1'],
              rows: classification.map((c) => [c.system, pct(c.accuracy), pct(c.macroF1)]),
            },
          ]
        : [];
      return this.record('retrieval', entry, queries.length, models.used, {
        metrics: {
          systems: results.map(({ top1: _top1, ...r }) => r),
          ...(intents ? { intentClassification: classification } : {}),
          entries: set.entries.length,
          documents: docs.texts.length,
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
      });
    } finally {
      await models.close();
    }
  }

  /**
   * `predictionsPath`: also write {question id: predicted text}, the input format of the official
   * evaluate-v1.1.py / cmrc2018_evaluate.py, so the numbers can be checked with those scripts.
   */
  async reader(name: string, predictionsPath?: string): Promise<EvalRecord> {
    const entry = catalogEntry(READER_DATASETS, name, 'reader');
    const dataset = loadSquadFile(datasetPath(this.options.datasetsDir, entry));
    const examples = sampleInOrder(dataset.examples, this.options.limit);
    const models = await loadEvalModels(this.options, { reader: true });
    try {
      const result = await evaluateReader(models.reader, examples, {
        language: entry.language,
        onProgress: this.progress(`reader ${name}`),
      });
      const { predictions, ...metrics } = result;
      if (predictionsPath) {
        mkdirSync(dirname(predictionsPath), { recursive: true });
        writeFileSync(
          predictionsPath,
          JSON.stringify(Object.fromEntries(predictions.map((p) => [p.id, p.prediction]))),
        );
      }
      return this.record('reader', entry, result.n, models.used, {
        metrics: { ...metrics, samplePredictions: predictions.slice(0, 10) },
        tables: [
          {
            columns: ['reader', 'EM', 'F1', 'answer contains gold %', 'answered %', 'questions/s'],
            rows: [
              [
                models.reader.mode,
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
          entry.language === 'zh'
            ? 'Scored with the CMRC 2018 rules (character-level F1, LCS overlap); embedded English is tokenised with a regex approximation of NLTK word_tokenize.'
            : 'Scored with the SQuAD v1.1 rules (normalised EM, bag-of-tokens F1, max over gold answers).',
        ],
      });
    } finally {
      await models.close();
    }
  }

  async endToEnd(name: string, threshold = 0.3): Promise<EvalRecord> {
    const entry = catalogEntry(READER_DATASETS, name, 'end-to-end');
    const dataset = loadSquadFile(datasetPath(this.options.datasetsDir, entry));
    const examples = sampleInOrder(dataset.examples, this.options.limit);
    const models = await loadEvalModels(this.options, { embedder: true, reader: true });
    try {
      const rankers = await this.rankers(dataset.contexts, models, `end-to-end ${name}`);
      const ranker = rankers[rankers.length - 1];
      const result = await evaluateEndToEnd(examples, dataset.contexts, ranker, models.reader, {
        language: entry.language,
        threshold,
        onProgress: this.progress(`end-to-end ${name}`),
      });
      return this.record('end-to-end', entry, result.n, models.used, {
        split: `${entry.split} (KB = all ${dataset.contexts.length} paragraphs)`,
        metrics: { ...result, retriever: ranker.name },
        tables: [
          {
            title: `Summary (retriever ${ranker.name}, reader ${models.reader.mode}, top 3 passages)`,
            columns: [
              'gold passage retrieved %',
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
      });
    } finally {
      await models.close();
    }
  }

  async similarity(name: string): Promise<EvalRecord> {
    const entry = catalogEntry(STS_DATASETS, name, 'similarity');
    const path = datasetPath(this.options.datasetsDir, entry);
    const pairs = sampleInOrder(
      name === 'stsb-en' ? loadStsbEn(path, 'test') : loadStsbZh(path),
      this.options.limit,
    );
    const models = await loadEvalModels(this.options, { embedder: true });
    try {
      const result = await evaluateSimilarity(pairs, models.embedder);
      return this.record('similarity', entry, result.n, models.used, {
        metrics: { ...result, scorer: models.embedder ? 'embedder cosine' : 'TF-IDF cosine' },
        tables: [
          {
            columns: ['scorer', 'Spearman x100', 'Pearson x100'],
            rows: [
              [
                models.embedder ? `${models.embedder.modelId} cosine` : 'TF-IDF cosine (lexical)',
                result.spearman,
                result.pearson,
              ],
            ],
          },
        ],
      });
    } finally {
      await models.close();
    }
  }

  async pairs(name: string): Promise<EvalRecord> {
    const entry = catalogEntry(PAIR_DATASETS, name, 'pair-classification');
    const pairs = sampleInOrder(
      loadSentencePairs(datasetPath(this.options.datasetsDir, entry)),
      this.options.limit,
    );
    const models = await loadEvalModels(this.options, { embedder: true });
    try {
      const result = await evaluatePairClassification(pairs, models.embedder);
      return this.record('pair-classification', entry, result.n, models.used, {
        metrics: { ...result, scorer: models.embedder ? 'embedder cosine' : 'TF-IDF cosine' },
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
                models.embedder ? `${models.embedder.modelId} cosine` : 'TF-IDF cosine (lexical)',
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
      });
    } finally {
      await models.close();
    }
  }

  /** Replays a Zipf query log of the set's queries through FAQ retrieval, with and without the answer cache. */
  async cache(name = 'stackfaq', logLength = 5000, cacheSize = 1000): Promise<EvalRecord> {
    const { entry, set } = this.loadRetrievalSet(name);
    const models = await loadEvalModels(this.options, { embedder: true });
    try {
      const docs = entryDocuments(set);
      const rankers = await this.rankers(docs.texts, models, `cache ${name}`);
      const ranker = rankers[rankers.length - 1];
      const log = zipfQueryLog(
        set.queries.map((q) => q.text),
        this.options.limit ?? logLength,
      );
      const result = await evaluateCache(log, (q) => rankEntries(ranker, docs, q, 5), { cacheSize });
      const row = (label: string, s: typeof result.withCache, hitRate: number) => [
        label,
        pct(hitRate),
        s.meanMs,
        s.p50Ms,
        s.p95Ms,
        s.p99Ms,
        s.totalSeconds,
      ];
      return this.record('cache', entry, result.n, models.used, {
        split: `Zipf (s = 1.0) log of ${result.n} questions over ${set.queries.length} distinct queries`,
        metrics: { ...result, retriever: ranker.name },
        tables: [
          {
            columns: ['run', 'hit rate %', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'total s'],
            rows: [
              row('no cache', result.withoutCache, 0),
              row(`LRU cache (${cacheSize}, normalised key)`, result.withCache, result.hitRate),
            ],
          },
        ],
        notes: [
          `Answer = ${ranker.name} retrieval of the top 5 FAQ entries (in-process, no HTTP); ${result.distinctKeys} distinct normalised keys among ${result.distinctQuestions} distinct strings; ideal (unbounded) hit rate ${pct(result.idealHitRate).toFixed(1)}%; cached answers differing from fresh ones: ${result.staleAnswers}.`,
          'The cache is a local LRU keyed by normalizeQuestion + KB version, as the API keys it; the API cache class itself is not reused here.',
        ],
      });
    } finally {
      await models.close();
    }
  }

  async longContext(name: string): Promise<EvalRecord> {
    const entry = catalogEntry(READER_DATASETS, name, 'long-context');
    const dataset = loadSquadFile(datasetPath(this.options.datasetsDir, entry));
    const examples = sampleInOrder(dataset.examples, this.options.limit ?? 300);
    const models = await loadEvalModels(this.options, { reader: true });
    try {
      const result = await evaluateLongContext(models.reader, dataset, examples, {
        language: entry.language,
      });
      const row = (label: string, r: typeof result.sliding, kept: number | string) => [
        label,
        r.exactMatch,
        r.f1,
        kept,
      ];
      const notes = [
        `Long contexts: the gold paragraph among other paragraphs of the file, about ${Math.round(result.meanContextTokens)} estimated tokens on average (over 512). Truncation keeps what one 512-token window holds (token count estimated: 1 per CJK character, 1.3 per word).`,
      ];
      if (models.reader.mode === 'lexical')
        notes.push(
          'The lexical reader has no window, so "sliding" is simply the whole text; the comparison is meaningful only with a neural reader.',
        );
      return this.record('long-context', entry, result.n, models.used, {
        defaultCap: 300,
        split: `${entry.split}, long contexts`,
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
      });
    } finally {
      await models.close();
    }
  }

  /**
   * INT8 vs FP32 of one model: `fp32Dir` alone must hold both graphs; with `int8Dir` the int8 side
   * comes from there. Embedders are compared on STS sentences, readers on reading-comprehension questions.
   */
  async int8(fp32Dir: string, int8Dir?: string, datasetName?: string): Promise<EvalRecord> {
    const folders = int8Folders(fp32Dir, int8Dir);
    const used: ModelUsed[] = [
      { id: folders.fp32.id, quantized: false, role: 'fp32' },
      { id: folders.int8.id, quantized: true, role: 'int8' },
    ];
    let entry: CatalogEntry;
    let result: Int8Comparison;
    if (folders.fp32.task === 'qa') {
      entry = catalogEntry(READER_DATASETS, datasetName ?? 'squad', 'reader');
      const dataset = loadSquadFile(datasetPath(this.options.datasetsDir, entry));
      const examples = sampleInOrder(dataset.examples, this.options.limit ?? 200);
      result = await compareInt8Reader(
        { fp32: fp32Dir, int8: int8Dir ?? fp32Dir },
        examples,
        entry.language,
        this.options.threads,
      );
    } else {
      entry = catalogEntry(STS_DATASETS, datasetName ?? 'stsb-en', 'similarity');
      const path = datasetPath(this.options.datasetsDir, entry);
      const pairs = sampleInOrder(
        entry.name === 'stsb-en' ? loadStsbEn(path) : loadStsbZh(path),
        this.options.limit ?? 500,
      );
      result = await compareInt8Embedder(folders, pairs, this.options.threads);
    }
    const quality = result.task === 'qa' ? 'F1' : 'Spearman x100';
    const agreement =
      result.task === 'qa'
        ? `top-1 span agreement ${pct(result.top1Agreement!).toFixed(1)}%`
        : `embedding cosine mean ${result.cosine!.mean.toFixed(4)}, min ${result.cosine!.min.toFixed(4)}`;
    const side = (label: string, s: typeof result.fp32) => [
      label,
      s.id,
      (s.bytes / 2 ** 20).toFixed(1),
      s.perSecond,
      s.quality,
    ];
    return this.record('int8', entry, result.n, used, {
      defaultCap: result.task === 'qa' ? 200 : 500,
      split: `${entry.split} (${result.task === 'qa' ? 'questions' : 'sentences'})`,
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
    });
  }
}
