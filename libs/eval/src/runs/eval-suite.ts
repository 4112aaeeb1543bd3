/**
 * The evals behind `wendao eval`: each method loads a dataset from the shared folder (suite-datasets),
 * runs one measurement with the models found (or lexically), and returns the EvalRecord with its
 * tables (suite-reports, suite-record).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CatalogEntry, Language } from '../datasets/dataset-catalog';
import type { RetrievalSet } from '../datasets/retrieval-set';
import { sampleInOrder } from '../datasets/seeded-random';
import { accuracy, macroF1 } from '../metrics/classification-metrics';
import type { EvalRecord, EvalTask, ModelUsed } from '../report/eval-record';
import { buildRankers } from './build-rankers';
import { evaluateCache, zipfQueryLog } from './cache-eval';
import { AnswerPipeline } from '@wendao/answer';
import { evaluateEndToEnd } from './end-to-end-eval';
import { loadEvalModels, type EvalModelOptions, type EvalModels } from './eval-models';
import { compareInt8Embedder, compareInt8Reader, int8Folders, type Int8Comparison } from './int8-eval';
import { evaluateLongContext } from './long-context-eval';
import { evaluatePairClassification } from './pair-classification-eval';
import { evaluateReader } from './reader-eval';
import { entryDocuments, evaluateRetrieval, rankEntries, type DocumentRanker } from './retrieval-eval';
import { evaluateSimilarity } from './similarity-eval';
import { INTENT_SETS, loadPairSet, loadReadingSet, loadRetrievalSet, loadStsSet } from './suite-datasets';
import { suiteRecord, type SuiteRecordBody } from './suite-record';
import {
  cacheReport,
  endToEndReport,
  int8Report,
  longContextReport,
  pairReport,
  readerReport,
  retrievalReport,
  similarityReport,
} from './suite-reports';

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
    body: SuiteRecordBody,
  ): EvalRecord {
    return suiteRecord(this.options, task, entry, n, used, body);
  }

  private rankers(
    texts: string[],
    models: EvalModels,
    language: Language,
    label: string,
  ): Promise<DocumentRanker[]> {
    const embedder = models.embedders[language];
    return buildRankers(texts, { embedder, reranker: models.reranker }, this.progress(`${label}: embedding`));
  }

  /**
   * The retrieval view of a named set (FAQ, question-matching, or intent set). `shots` keeps only that
   * many training utterances per intent (intent sets only); the record's dataset name says so.
   */
  loadRetrievalSet(name: string, shots?: number): { entry: CatalogEntry; set: RetrievalSet } {
    return loadRetrievalSet(this.options.datasetsDir, name, shots);
  }

  async retrieval(name: string, shots?: number): Promise<EvalRecord> {
    const { entry, set } = this.loadRetrievalSet(name, shots);
    const queries = sampleInOrder(set.queries, this.options.limit);
    const models = await loadEvalModels(this.options, { embedder: true, reranker: true });
    try {
      const docs = entryDocuments(set);
      const rankers = await this.rankers(docs.texts, models, entry.language, name);
      const results = await evaluateRetrieval({ ...set, queries }, docs, rankers, {
        onProgress: this.progress(`retrieval ${name}`),
      });
      // Intent sets: the top entry is the predicted intent, so retrieval doubles as 1-nearest-neighbour
      // intent classification with the training utterances as the labelled examples.
      const gold = queries.map((q) => q.relevant[0]);
      const classification = INTENT_SETS.has(name)
        ? results.map((r) => ({
            system: r.system,
            accuracy: accuracy(gold, r.top1),
            macroF1: macroF1(gold, r.top1),
          }))
        : undefined;
      return this.record(
        'retrieval',
        entry,
        queries.length,
        models.usedFor(entry.language),
        retrievalReport({
          results,
          classification,
          entries: set.entries.length,
          documents: docs.texts.length,
          queries: queries.length,
          embedder: models.embedders[entry.language] !== undefined,
          reranker: models.reranker !== undefined,
        }),
      );
    } finally {
      await models.close();
    }
  }

  /**
   * `predictionsPath`: also write {question id: predicted text}, the input format of the official
   * evaluate-v1.1.py / cmrc2018_evaluate.py, so the numbers can be checked with those scripts.
   */
  async reader(name: string, predictionsPath?: string): Promise<EvalRecord> {
    const { entry, dataset } = loadReadingSet(this.options.datasetsDir, name, 'reader');
    const examples = sampleInOrder(dataset.examples, this.options.limit);
    const models = await loadEvalModels(this.options, { reader: true });
    try {
      const reader = models.readers[entry.language];
      const result = await evaluateReader(reader, examples, {
        language: entry.language,
        onProgress: this.progress(`reader ${name}`),
      });
      if (predictionsPath) {
        mkdirSync(dirname(predictionsPath), { recursive: true });
        writeFileSync(
          predictionsPath,
          JSON.stringify(Object.fromEntries(result.predictions.map((p) => [p.id, p.prediction]))),
        );
      }
      return this.record(
        'reader',
        entry,
        result.n,
        models.usedFor(entry.language),
        readerReport(result, reader.mode, entry.language),
      );
    } finally {
      await models.close();
    }
  }

  async endToEnd(name: string, threshold = 0.3): Promise<EvalRecord> {
    const { entry, dataset } = loadReadingSet(this.options.datasetsDir, name, 'end-to-end');
    const examples = sampleInOrder(dataset.examples, this.options.limit);
    const models = await loadEvalModels(this.options, { embedder: true, reader: true });
    try {
      const pipeline = new AnswerPipeline({
        embedder: models.embedders,
        reader: models.readers,
        readerPassages: 3,
      });
      const result = await evaluateEndToEnd(examples, dataset.contexts, pipeline, {
        language: entry.language,
        threshold,
        onProgress: this.progress(`end-to-end ${name}`),
      });
      return this.record(
        'end-to-end',
        entry,
        result.n,
        models.usedFor(entry.language),
        endToEndReport(result, {
          retriever: models.embedders[entry.language]
            ? 'hybrid (KnowledgeIndex: BM25 + HNSW, RRF)'
            : 'BM25 (KnowledgeIndex)',
          reader: models.readers[entry.language].mode,
          threshold,
          split: `${entry.split} (KB = all ${dataset.contexts.length} paragraphs)`,
        }),
      );
    } finally {
      await models.close();
    }
  }

  async similarity(name: string): Promise<EvalRecord> {
    const { entry, pairs: all } = loadStsSet(this.options.datasetsDir, name);
    const pairs = sampleInOrder(all, this.options.limit);
    const models = await loadEvalModels(this.options, { embedder: true });
    try {
      const embedder = models.embedders[entry.language];
      const result = await evaluateSimilarity(pairs, embedder);
      return this.record(
        'similarity',
        entry,
        result.n,
        models.usedFor(entry.language),
        similarityReport(result, embedder?.modelId),
      );
    } finally {
      await models.close();
    }
  }

  async pairs(name: string): Promise<EvalRecord> {
    const { entry, pairs: all } = loadPairSet(this.options.datasetsDir, name);
    const pairs = sampleInOrder(all, this.options.limit);
    const models = await loadEvalModels(this.options, { embedder: true });
    try {
      const embedder = models.embedders[entry.language];
      const result = await evaluatePairClassification(pairs, embedder);
      return this.record(
        'pair-classification',
        entry,
        result.n,
        models.usedFor(entry.language),
        pairReport(result, embedder?.modelId),
      );
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
      const rankers = await this.rankers(docs.texts, models, entry.language, `cache ${name}`);
      const ranker = rankers[rankers.length - 1];
      const log = zipfQueryLog(
        set.queries.map((q) => q.text),
        this.options.limit ?? logLength,
      );
      const result = await evaluateCache(log, (q) => rankEntries(ranker, docs, q, 5), { cacheSize });
      return this.record(
        'cache',
        entry,
        result.n,
        models.used,
        cacheReport(result, { retriever: ranker.name, cacheSize, distinctQueries: set.queries.length }),
      );
    } finally {
      await models.close();
    }
  }

  async longContext(name: string): Promise<EvalRecord> {
    const defaultCap = 300;
    const { entry, dataset } = loadReadingSet(this.options.datasetsDir, name, 'long-context');
    const examples = sampleInOrder(dataset.examples, this.options.limit ?? defaultCap);
    const models = await loadEvalModels(this.options, { reader: true });
    try {
      const reader = models.readers[entry.language];
      const result = await evaluateLongContext(reader, dataset, examples, {
        language: entry.language,
      });
      return this.record(
        'long-context',
        entry,
        result.n,
        models.used,
        longContextReport(result, {
          split: entry.split,
          lexicalReader: reader.mode === 'lexical',
          defaultCap,
        }),
      );
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
    let defaultCap: number;
    if (folders.fp32.task === 'qa') {
      defaultCap = 200;
      const reading = loadReadingSet(this.options.datasetsDir, datasetName ?? 'squad', 'reader');
      entry = reading.entry;
      const examples = sampleInOrder(reading.dataset.examples, this.options.limit ?? defaultCap);
      result = await compareInt8Reader(
        { fp32: fp32Dir, int8: int8Dir ?? fp32Dir },
        examples,
        entry.language,
        this.options.threads,
      );
    } else {
      defaultCap = 500;
      const sts = loadStsSet(this.options.datasetsDir, datasetName ?? 'stsb-en');
      entry = sts.entry;
      const pairs = sampleInOrder(sts.pairs, this.options.limit ?? defaultCap);
      result = await compareInt8Embedder(folders, pairs, this.options.threads);
    }
    return this.record('int8', entry, result.n, used, int8Report(result, { split: entry.split, defaultCap }));
  }
}
